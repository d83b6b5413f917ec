"""Writes that span models or send something: teams, memberships, roles, invitations.

Each write names the cached pages' scopes it changes (learning_lead/fragment_scopes.py)."""

import datetime
import math

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from learning_lead import fragments, rate_limit
from privacy import audit as privacy_audit
from privacy.models import AuditEvent
from teams import access, selectors
from teams.models import Invitation, Membership, Organization, OrgRole, Team, User

INVITATION_SALT = "teams.invitation"


class InvitationInvalid(Exception):
    """The invitation link is tampered with, expired, revoked or already used."""


class InvitationAlreadyAccepted(Exception):
    """An accepted invitation is an account now: it can no longer be withdrawn."""


class InvitationResendTooSoon(Exception):
    """The invitation went out less than INVITATION_RESEND_INTERVAL_MINUTES ago; args[0]:
    the minutes to wait."""


class InvitationResendLimit(Exception):
    """The organisation has resent INVITATION_RESEND_HOURLY_LIMIT invitations this hour."""


class LastSupervisor(Exception):
    """A team must keep at least one supervisor."""


class InvitationAddressTaken(InvitationInvalid):
    """An account already has the invitation's address, in some letter case: typically a
    second invitation to the same person, after the first was accepted."""


@transaction.atomic
def team_create(
    *, organization: Organization, name: str, description: str = "", time_zone: str = ""
) -> Team:
    team = Team.objects.create(
        organization=organization,
        name=name,
        description=description,
        time_zone=time_zone or organization.time_zone,
    )
    fragments.changed(fragments.team(team.pk), fragments.org(organization.pk))
    return team


@transaction.atomic
def team_update(*, team: Team, name: str, description: str, time_zone: str) -> Team:
    team.name, team.description, team.time_zone = name, description, time_zone
    team.save(update_fields=["name", "description", "time_zone"])
    fragments.changed(fragments.team(team.pk), fragments.org(team.organization_id))
    return team


@transaction.atomic
def membership_set(*, team: Team, user: User, role: str) -> Membership:
    """Adds the person to the team or changes their role there."""
    if user.organization_id != team.organization_id:
        raise ValueError("A team's members come from its own organisation.")
    membership, created = Membership.objects.get_or_create(
        team=team, user=user, defaults={"role": role}
    )
    if not created and membership.role != role:
        membership.role = role
        membership.save(update_fields=["role"])
    access.forget_roles(user)
    fragments.changed(fragments.team(team.pk), *selectors.person_scopes(user.pk))
    return membership


@transaction.atomic
def membership_remove(*, team: Team, user: User) -> None:
    Membership.objects.filter(team=team, user=user).delete()
    access.forget_roles(user)
    fragments.changed(fragments.team(team.pk), *selectors.person_scopes(user.pk))


def _keeps_a_supervisor(membership: Membership, *, role: str | None) -> None:
    """Raises LastSupervisor when the membership is its team's last supervisor and would stop
    being one (role None: removed). The team's supervisors are locked first, so two
    concurrent changes cannot each leave the other as the last one."""
    supervisors = Membership.objects.select_for_update().filter(
        team_id=membership.team_id, role=Membership.Role.SUPERVISOR
    )
    list(supervisors.values_list("pk", flat=True))
    if membership.is_last_supervisor() and role != membership.role:
        raise LastSupervisor


@transaction.atomic
def member_add(
    *, team: Team, user: User, role: str, actor: User, ip_address: str | None = None
) -> Membership:
    """Adds a person to the team (or sets their role there) for whoever manages it, audited."""
    membership = membership_set(team=team, user=user, role=role)
    privacy_audit.audit_record(
        organization=actor.organization_id,
        action=AuditEvent.Action.MEMBERSHIP_SET,
        actor=actor,
        subject=user,
        target=f"{team.name}: {role}",
        ip_address=ip_address,
    )
    return membership


@transaction.atomic
def member_role_change(
    *, team: Team, membership: Membership, role: str, actor: User, ip_address: str | None = None
) -> Membership:
    """Changes a member's role, audited; LastSupervisor if the team would lose its last one."""
    _keeps_a_supervisor(membership, role=role)
    return member_add(
        team=team, user=membership.user, role=role, actor=actor, ip_address=ip_address
    )


@transaction.atomic
def member_remove(
    *, team: Team, membership: Membership, actor: User, ip_address: str | None = None
) -> None:
    """Takes a person out of the team, audited; LastSupervisor for its last supervisor."""
    _keeps_a_supervisor(membership, role=None)
    membership_remove(team=team, user=membership.user)
    privacy_audit.audit_record(
        organization=actor.organization_id,
        action=AuditEvent.Action.MEMBERSHIP_REMOVE,
        actor=actor,
        subject=membership.user,
        target=team.name,
        ip_address=ip_address,
    )


@transaction.atomic
def org_roles_set(*, user: User, roles: set[str]) -> None:
    """Gives the person exactly these organisation roles."""
    organization = user.organization
    OrgRole.objects.filter(user=user).exclude(role__in=roles).delete()
    for role in roles:
        OrgRole.objects.get_or_create(organization=organization, user=user, role=role)
    access.forget_roles(user)
    fragments.changed(fragments.user(user.pk), fragments.org(organization.pk))


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps({"i": invitation.pk}, salt=INVITATION_SALT)


def invitation_from_token(token: str) -> Invitation:
    try:
        data = signing.loads(token, salt=INVITATION_SALT, max_age=settings.INVITATION_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise InvitationInvalid("expired") from exc
    except signing.BadSignature as exc:
        raise InvitationInvalid("bad") from exc
    invitation = (
        Invitation.objects.select_related("organization", "team").filter(pk=data.get("i")).first()
    )
    if invitation is None or invitation.is_accepted:
        raise InvitationInvalid("used")
    if selectors.email_in_use(invitation.email):
        raise InvitationAddressTaken(invitation.email)
    return invitation


def invitation_label(invitation: Invitation) -> str:
    """The invitation as the audit trail names it: by id, team and role, so the invitee's
    e-mail address stays out of it."""
    team = invitation.team.name if invitation.team_id else "-"
    return f"#{invitation.pk} {team}: {invitation.role}"


@transaction.atomic
def invitation_create(
    *,
    inviter: User,
    email: str,
    team: Team | None,
    role: str,
    language: str = "",
    name: str = "",
    org_role: str = "",
    ip_address: str | None = None,
) -> Invitation:
    """Invites one person; the e-mail goes out after the commit, in `language` (empty: the
    organisation's)."""
    invitation = Invitation.objects.create(
        organization_id=inviter.organization_id,
        email=email.strip(),
        name=name.strip(),
        team=team,
        role=role,
        org_role=org_role,
        language=language,
        invited_by=inviter,
        sent_at=timezone.now(),
    )
    privacy_audit.audit_record(
        organization=inviter.organization_id,
        action=AuditEvent.Action.INVITATION_CREATE,
        actor=inviter,
        target=invitation_label(invitation),
        ip_address=ip_address,
    )
    transaction.on_commit(lambda: invitation_send(invitation=invitation))
    return invitation


@transaction.atomic
def invitations_create_many(
    *, inviter: User, lines: list, language: str = "", ip_address: str | None = None
) -> list[Invitation]:
    """Invites everyone on the checked lines (teams/invitation_lines.py), all or none: a
    line with an error, or an address that gained an account meanwhile, creates nothing."""
    if any(line.errors for line in lines):
        raise ValueError("Only lines without errors are sent.")
    created = []
    for line in lines:
        if selectors.email_in_use(line.email):
            raise InvitationAddressTaken(line.email)
        created.append(
            invitation_create(
                inviter=inviter,
                email=line.email,
                name=line.name,
                team=line.team,
                role=line.role,
                org_role=line.org_role,
                language=language,
                ip_address=ip_address,
            )
        )
    return created


@transaction.atomic
def invitation_resend(
    *, invitation: Invitation, actor: User, ip_address: str | None = None
) -> Invitation:
    """Sends the invitation again with a new link (the old one keeps working until it
    expires); InvitationAlreadyAccepted once it is an account."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.is_accepted:
        raise InvitationAlreadyAccepted
    # Limits, so that no one fills an inbox or our mail server's quota: one resend per
    # invitation in the interval (the row's lock orders two clicks), and a number per
    # organisation per hour (counted only for resends that pass the first limit).
    now = timezone.now()
    interval = datetime.timedelta(minutes=settings.INVITATION_RESEND_INTERVAL_MINUTES)
    wait = (invitation.sent_at or invitation.created_at) - now + interval
    if wait > datetime.timedelta(0):
        raise InvitationResendTooSoon(math.ceil(wait.total_seconds() / 60))
    if not rate_limit.claim(
        f"invitation-resend:organization:{invitation.organization_id}",
        limit=settings.INVITATION_RESEND_HOURLY_LIMIT,
        window_seconds=60 * 60,
    ):
        raise InvitationResendLimit
    invitation.sent_at = now
    invitation.save(update_fields=["sent_at"])
    privacy_audit.audit_record(
        organization=actor.organization_id,
        action=AuditEvent.Action.INVITATION_CREATE,
        actor=actor,
        target=f"{invitation_label(invitation)} (resent)",
        ip_address=ip_address,
    )
    transaction.on_commit(lambda: invitation_send(invitation=invitation))
    return invitation


@transaction.atomic
def invitation_revoke(
    *, invitation: Invitation, actor: User, ip_address: str | None = None
) -> None:
    """Withdraws an invitation not yet accepted (InvitationAlreadyAccepted otherwise), audited."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.is_accepted:
        raise InvitationAlreadyAccepted
    privacy_audit.audit_record(
        organization=actor.organization_id,
        action=AuditEvent.Action.INVITATION_REVOKE,
        actor=actor,
        target=invitation_label(invitation),
        ip_address=ip_address,
    )
    invitation.delete()


def invitation_send(*, invitation: Invitation) -> None:
    """The invitation e-mail, in the invitee's language (the organisation's if not known)."""
    link = settings.SITE_URL + reverse(
        "teams:invitation_accept", args=[invitation_token(invitation)]
    )
    context = {
        "invitation": invitation,
        "link": link,
        "valid_days": settings.INVITATION_MAX_AGE // 86400,
    }
    with translation.override(invitation.language or invitation.organization.language):
        subject = render_to_string("teams/email/invitation_subject.txt", context).strip()
        body = render_to_string("teams/email/invitation_body.txt", context)
    send_mail(subject, body, None, [invitation.email])


@transaction.atomic
def invitation_accept(
    *,
    invitation: Invitation,
    username: str,
    first_name: str,
    last_name: str,
    password: str,
    language: str,
    ip_address: str | None = None,
) -> User:
    # Lock the row so a double submit cannot create two accounts from one invitation.
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.is_accepted:
        raise InvitationInvalid("used")
    if selectors.email_in_use(invitation.email):
        raise InvitationAddressTaken(invitation.email)
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=invitation.email,
        organization_id=invitation.organization_id,
        time_zone=invitation.organization.time_zone,
        language=language,
    )
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        # Another invitation to the address was accepted at the same moment.
        if selectors.email_in_use(invitation.email):
            raise InvitationAddressTaken(invitation.email) from None
        raise
    fragments.changed(fragments.user(user.pk))  # in no team yet: membership_set names those
    if invitation.team_id:
        membership_set(team=invitation.team, user=user, role=invitation.role)
    if invitation.org_role:
        org_roles_set(user=user, roles={invitation.org_role})
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    privacy_audit.audit_record(
        organization=user.organization_id,
        action=AuditEvent.Action.INVITATION_ACCEPT,
        actor=user,
        subject=user,
        target=invitation_label(invitation),
        ip_address=ip_address,
    )
    return user


@transaction.atomic
def preferences_update(*, user: User, language: str, time_zone: str) -> None:
    user.language = language
    user.time_zone = time_zone
    user.save(update_fields=["language", "time_zone"])
    # Pages are keyed by language and time zone: nothing others see changes, but the row is
    # shown through these scopes, and a name on the same row may come later.
    fragments.changed(*selectors.person_scopes(user.pk))


@transaction.atomic
def person_update(
    *,
    person: User,
    first_name: str,
    last_name: str,
    roles: set[str],
    is_active: bool,
    actor: User,
    ip_address: str | None = None,
) -> None:
    """An admin's edit of a person; a change of roles or of sign-in is audited."""
    before = (set(person.org_roles.values_list("role", flat=True)), person.is_active)
    person.first_name = first_name
    person.last_name = last_name
    person.is_active = is_active
    person.save(update_fields=["first_name", "last_name", "is_active"])
    fragments.changed(*selectors.person_scopes(person.pk))  # the name, on the teams' pages
    org_roles_set(user=person, roles=roles)
    if (roles, is_active) != before:
        privacy_audit.audit_record(
            organization=actor.organization_id,
            action=AuditEvent.Action.ROLE_CHANGE,
            actor=actor,
            subject=person,
            target=f"roles={','.join(sorted(roles)) or '-'} active={is_active}",
            ip_address=ip_address,
        )
