"""The audit trail's details in words, in the reader's language: the stored target is a short
machine-readable note (team and role, counts, a period), shown here without ids."""

import datetime as dt
import re

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from teams.models import Membership, OrgRole

_ROLES = dict(Membership.Role.choices)
_ORG_ROLES = dict(OrgRole.Role.choices)
_COUNTS = {
    "thoughts": lambda n: ngettext("%(n)s thought", "%(n)s thoughts", n),
    "questions": lambda n: ngettext("%(n)s question", "%(n)s questions", n),
    "checkins": lambda n: ngettext("%(n)s check-in", "%(n)s check-ins", n),
    "forwarded": lambda n: ngettext("%(n)s forwarded set", "%(n)s forwarded sets", n),
}


def _team_role(text: str) -> str:
    team, _sep, role = text.rpartition(": ")
    role = str(_ROLES.get(role, role))
    return f"{team}: {role}" if team and team != "-" else role


def _month(day: str) -> str:
    return formats.date_format(dt.date.fromisoformat(day), "YEAR_MONTH_FORMAT")


def _pairs(text: str) -> dict[str, str]:
    return dict(re.findall(r"(\w+)=(\S+)", text))


def _role_change(target: str) -> str:
    pairs = _pairs(target)
    roles = [str(_ORG_ROLES.get(r, r)) for r in pairs.get("roles", "-").split(",") if r != "-"]
    parts = [_("Roles: %(roles)s") % {"roles": ", ".join(roles) or _("none")}]
    if "active" in pairs:
        parts.append(_("can sign in") if pairs["active"] == "True" else _("cannot sign in"))
    return "; ".join(parts)


def _retention_run(target: str) -> str:
    pairs = _pairs(target)
    numbers = {key: int(pairs.get(key, "0")) for key in _COUNTS if pairs.get(key, "0").isdigit()}
    counts = [_COUNTS[key](n) % {"n": n} for key, n in numbers.items() if n]
    text = _("Removed: %(what)s") % {"what": ", ".join(counts) or _("nothing")}
    if before := pairs.get("before"):
        day = formats.date_format(dt.datetime.fromisoformat(before), "SHORT_DATE_FORMAT")
        text += " " + _("(written before %(day)s)") % {"day": day}
    return text


def _question_forward(target: str) -> str:
    found = re.search(r"(?:questions=|: )(\d+)", target)
    if not found:
        return ""
    n = int(found.group(1))
    return ngettext("%(n)s question", "%(n)s questions", n) % {"n": n}


def _retention_change(target: str) -> str:
    found = re.search(r"(\d+) -> (\d+)", target)
    if not found:
        return ""
    return _("Kept for %(before)s → %(after)s months") % {
        "before": found.group(1),
        "after": found.group(2),
    }


def _report_export(target: str) -> str:
    start, _sep, end = target.partition("..")
    try:
        return f"{_month(start)} – {_month(end)}"
    except ValueError:
        return ""


def _data_export(target: str) -> str:
    return {"json": "JSON", "html": _("web page")}.get(target, "")


_RENDERERS = {
    "role_change": _role_change,
    "membership_set": _team_role,
    "membership_remove": str,
    "invitation_create": lambda t: _team_role(re.sub(r"^#\d+ ", "", t)),
    "invitation_revoke": lambda t: _team_role(re.sub(r"^#\d+ ", "", t)),
    "invitation_accept": lambda t: _team_role(re.sub(r"^#\d+ ", "", t)),
    "retention_run": _retention_run,
    "retention_change": _retention_change,
    "question_forward": _question_forward,
    "report_export": _report_export,
    "data_export": _data_export,
}


def audit_details(action: str, target: str) -> str:
    """`target` in words for `action`; ids (of questions, forwarded sets) are left out."""
    if not target:
        return ""
    render = _RENDERERS.get(action)
    return render(target) if render else ""
