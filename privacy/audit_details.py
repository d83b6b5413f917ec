"""The audit trail's details in words: each event's stored `target` (written by the services in
a compact form with ids, e.g. "question <uuid>" or "roles=hr active=True") read back as a
sentence in the reader's language, with the team and theme a question or forwarded item
belonged to looked up once per page. Nothing here names who asked a question: a question is
described by its team only, as the audit trail stores no authorship."""

import re
import uuid
from collections.abc import Iterable
from datetime import date

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from privacy.models import AuditEvent
from reflections.models import ForwardedItem, Question
from teams.models import Membership, OrgRole

Action = AuditEvent.Action

QUESTION = re.compile(r"^question (?P<id>[0-9a-f-]{36})$")
FORWARDED = re.compile(r"^forwarded (?P<id>[0-9a-f-]{36})(?:: (?P<n>\d+) question\(s\))?$")
INVITATION = re.compile(r"^#\d+ (?P<team>.*): (?P<role>\w+)$")
ROLES = re.compile(r"^roles=(?P<roles>\S*) active=(?P<active>True|False)$")
RETENTION_CHANGE = re.compile(
    r"^retention_months (?P<old>\d+) -> (?P<new>\d+)"
    r"(?:, min_group_size (?P<group_old>\d+) -> (?P<group>\d+))?$"
)
PERIOD = re.compile(r"^(?P<start>\d{4}-\d{2}-\d{2})\.\.(?P<end>\d{4}-\d{2}-\d{2})$")
COUNT = re.compile(r"(?P<key>\w+)=(?P<value>[\w-]+)")
SSO_SIGNIN = re.compile(r"^(?P<new>new account)?\s*(?:roles: (?P<roles>[\w, ]+))?$")
SSO_REFUSED = re.compile(r"^(?P<reason>[a-z]+)(?: (?P<domain>\S+))?$")


def with_details(events: Iterable[AuditEvent]) -> list[AuditEvent]:
    """The events, each with `details`: its target in words (the stored text when it is in
    no form this module knows)."""
    events = list(events)
    question_ids, forwarded_ids = set(), set()
    for event in events:
        if found := QUESTION.match(event.target):
            question_ids.add(uuid.UUID(found["id"]))
        elif found := FORWARDED.match(event.target):
            forwarded_ids.add(uuid.UUID(found["id"]))
    teams = dict(
        Question.objects.filter(pk__in=question_ids).values_list("pk", "team__name")
        if question_ids
        else []
    )
    items = {
        item.pk: item
        for item in (
            ForwardedItem.objects.filter(pk__in=forwarded_ids).select_related("team", "theme")
            if forwarded_ids
            else []
        )
    }
    for event in events:
        event.details = _details(event, teams, items)
    return events


def _details(event: AuditEvent, teams: dict, items: dict) -> str:
    target, action = event.target, event.action
    if not target:
        return ""
    if action in (Action.QUESTION_HIDE, Action.QUESTION_UNHIDE) and (
        found := QUESTION.match(target)
    ):
        team = teams.get(uuid.UUID(found["id"]))
        if team is None:
            return _("A question that is no longer kept")
        return _("A question in %(team)s") % {"team": team}
    if action in (Action.QUESTION_FORWARD, Action.FORWARD_ANSWER) and (
        found := FORWARDED.match(target)
    ):
        return _forwarded(items.get(uuid.UUID(found["id"])), found["n"])
    if action == Action.ROLE_CHANGE and (found := ROLES.match(target)):
        labels = [_role(OrgRole.Role, key) for key in found["roles"].split(",") if key != "-"]
        roles = ", ".join(labels) if labels else _("no organisation roles")
        if found["active"] == "True":
            return _("Roles: %(roles)s; account in use") % {"roles": roles}
        return _("Roles: %(roles)s; account switched off") % {"roles": roles}
    if action == Action.MEMBERSHIP_SET and ": " in target:
        team, role = target.rsplit(": ", 1)
        return _("%(team)s, as %(role)s") % {"team": team, "role": _role(Membership.Role, role)}
    if action in (
        Action.INVITATION_CREATE,
        Action.INVITATION_REVOKE,
        Action.INVITATION_ACCEPT,
    ) and (found := INVITATION.match(target)):
        role = _role(Membership.Role, found["role"])
        if found["team"] == "-":
            return _("As %(role)s, no team") % {"role": role}
        return _("%(team)s, as %(role)s") % {"team": found["team"], "role": role}
    if action == Action.DATA_EXPORT:
        return {"json": _("As a JSON file"), "html": _("As a web page")}.get(target, target)
    if action == Action.RETENTION_CHANGE and (found := RETENTION_CHANGE.match(target)):
        text = _("Kept for %(new)s months (was %(old)s)") % {
            "new": found["new"],
            "old": found["old"],
        }
        if found["group"]:
            text += "; " + _("smallest group in reports: %(new)s people (was %(old)s)") % {
                "new": found["group"],
                "old": found["group_old"],
            }
        return text
    if action == Action.RETENTION_RUN:
        return _retention_run(target)
    if action == Action.SSO_CONFIG_CHANGE:
        return _sso_config(target)
    if action == Action.SSO_SIGNIN and (found := SSO_SIGNIN.match(target)):
        return _sso_signin(found) or target
    if action == Action.SSO_SIGNIN_REFUSED and (found := SSO_REFUSED.match(target)):
        return _sso_refused(found["reason"], found["domain"]) or target
    if action == Action.SCIM_CHANGE:
        return {
            "create": _("Account created by the identity provider"),
            "update": _("Name, e-mail address or status updated by the identity provider"),
            "deactivate": _(
                "Account switched off by the identity provider: signed out, removed from "
                "teams and organisation roles"
            ),
            "delete": _("Account removed by the identity provider"),
        }.get(target, target)
    if action == Action.REPORT_EXPORT and (found := PERIOD.match(target)):
        return _("Period %(start)s – %(end)s") % {
            "start": _day(found["start"]),
            "end": _day(found["end"]),
        }
    return target


def _role(choices, key: str) -> str:
    try:
        return str(choices(key).label)
    except ValueError:
        return key


def _day(text: str) -> str:
    return formats.date_format(date.fromisoformat(text), "SHORT_DATE_FORMAT")


def _forwarded(item: ForwardedItem | None, count: str | None) -> str:
    if item is None:
        return _("Forwarded questions that are no longer kept")
    values = {"team": item.team.name, "theme": item.theme.title}
    if count is None:
        return _("Questions from %(team)s, strategy theme %(theme)s") % values
    n = int(count)
    return ngettext(
        "%(n)s question from %(team)s, strategy theme %(theme)s",
        "%(n)s questions from %(team)s, strategy theme %(theme)s",
        n,
    ) % (values | {"n": n})


def _retention_run(target: str) -> str:
    counts = {found["key"]: found["value"] for found in COUNT.finditer(target)}
    words = {
        "thoughts": lambda n: ngettext("%(n)s thought", "%(n)s thoughts", n),
        "questions": lambda n: ngettext("%(n)s question", "%(n)s questions", n),
        "checkins": lambda n: ngettext("%(n)s check-in", "%(n)s check-ins", n),
        "forwarded": lambda n: ngettext("%(n)s forwarded item", "%(n)s forwarded items", n),
    }
    parts = [
        words[key](int(counts[key])) % {"n": int(counts[key])}
        for key in words
        if counts.get(key, "0").isdigit() and int(counts.get(key, "0"))
    ]
    if not parts:
        return target
    deleted = ", ".join(parts)
    if before := counts.get("before"):
        try:
            return _("Deleted %(what)s from before %(day)s") % {
                "what": deleted,
                "day": _day(before[:10]),
            }
        except ValueError:
            pass
    return _("Deleted %(what)s") % {"what": deleted}


def _sso_config(target: str) -> str:
    if target == "-":
        return _("Saved without changes")
    if target == "scim_token":
        return _("New provisioning (SCIM) token; the previous one no longer works")
    if target == "key_rotation":
        return _("Client secret encrypted again with the newest key")
    # The settings page's own field labels, so the trail names what the admin saw.
    labels = {
        "enabled": _("Sign-in with the identity provider is on"),
        "issuer": _("Issuer"),
        "client_id": _("Client id"),
        "client_secret": _("Client secret"),
        "tenant_id": _("Allowed tenant (Entra ID tid)"),
        "hosted_domain": _("Hosted domain (Google hd)"),
        "email_domains": _("Allowed e-mail domains"),
        "admin_claim": _("Role or group that makes an organisation admin"),
        "hr_claim": _("Role or group that makes an HR / learning partner"),
        "require_sso": _("Require single sign-on"),
        "break_glass_admin": _("Break-glass admin"),
        "protocol": _("Protocol"),
        "saml_entity_id": _("Identity provider's entity id"),
        "saml_sso_url": _("Identity provider's sign-in address (SSO URL)"),
        "saml_x509cert": _("Identity provider's signing certificate"),
    }
    names = [name.strip() for name in target.split(",")]
    if not all(name in labels for name in names):
        return target
    return _("Changed: %(settings)s") % {"settings": "; ".join(labels[n] for n in names)}


def _sso_signin(found: re.Match) -> str | None:
    labels = [_role(OrgRole.Role, key.strip()) for key in (found["roles"] or "").split(",")]
    roles = ", ".join(label for label in labels if label)
    if found["new"] and roles:
        return _("New account; roles from the identity provider: %(roles)s") % {"roles": roles}
    if found["new"]:
        return _("New account")
    if not roles:
        return None
    return _("Roles added from the identity provider: %(roles)s") % {"roles": roles}


def _sso_refused(reason: str, domain: str | None) -> str | None:
    if reason == "domain" and domain:
        return _("Refused: e-mail addresses in %(domain)s are not allowed") % {"domain": domain}
    return {
        "off": _("Refused: single sign-on is off"),
        "domain": _("Refused: the e-mail domain is not allowed"),
        "tenant": _("Refused: the person is not in the allowed tenant or hosted domain"),
        "unverified": _("Refused: the identity provider did not confirm the e-mail address"),
        "elsewhere": _("Refused: the e-mail address is another organisation's account"),
        "inactive": _("Refused: the account is switched off"),
    }.get(reason)
