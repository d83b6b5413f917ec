"""A new organisation starts on its own: sign-up with e-mail verification, and the shell's
`manage.py create_organisation` for installs that switch sign-up off (SIGNUP_ENABLED).

The rule for unverified sign-ups: the form creates the organisation and its first person at
once, but the person cannot sign in (is_active off) and holds no role until the signed link
in the e-mail is opened. An organisation with no admin and one person who never signed in is
a *pending* sign-up: signing up again with the same address replaces it (a lost e-mail, a
typo in the password), so a stranger who typed someone else's address holds nothing."""

import hashlib

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.text import slugify

from learning_lead import fragments, rate_limit
from privacy import audit as privacy_audit
from privacy.models import AuditEvent
from teams import selectors
from teams.models import Organization, OrgRole, User

SIGNUP_SALT = "teams.signup"
HOUR = 60 * 60


class SignupInvalid(Exception):
    """The verification link is tampered with, expired, or its sign-up already verified."""


def signup_allowed(*, ip_address: str | None) -> bool:
    """Claims one sign-up for the client address: False after SIGNUP_HOURLY_LIMIT in an hour.
    The key holds a hash, never the address."""
    digest = hashlib.sha256((ip_address or "-").encode()).hexdigest()[:32]
    return rate_limit.claim(
        f"signup:address:{digest}", limit=settings.SIGNUP_HOURLY_LIMIT, window_seconds=HOUR
    )


def _unique_slug(name: str) -> str:
    base = slugify(name)[:50] or "org"
    slug, n = base, 1
    while Organization.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _organization_new(*, name: str, language: str, time_zone: str) -> Organization:
    organization = Organization.objects.create(
        name=name, slug=_unique_slug(name), language=language, time_zone=time_zone
    )
    fragments.changed(fragments.org(organization.pk))
    return organization


def signup_token(user: User) -> str:
    return signing.dumps({"u": user.pk}, salt=SIGNUP_SALT)


def signup_start(
    *,
    organization_name: str,
    language: str,
    time_zone: str,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    password: str,
) -> User:
    """Creates the organisation and its first person, who cannot sign in yet; the
    verification e-mail goes out after the commit. A pending sign-up with the address is
    replaced."""
    email = email.strip()
    for pending in selectors.pending_signups(email=email):
        pending.organization.delete()  # takes its only person with it
    organization = _organization_new(name=organization_name, language=language, time_zone=time_zone)
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        organization=organization,
        time_zone=time_zone,
        language=language,
        is_active=False,
    )
    user.set_password(password)
    user.save()
    fragments.changed(fragments.user(user.pk))
    transaction.on_commit(lambda: signup_send(user=user))
    return user


def signup_send(*, user: User) -> None:
    link = settings.SITE_URL + reverse("teams:signup_verify", args=[signup_token(user)])
    context = {
        "user": user,
        "organization": user.organization,
        "link": link,
        "valid_days": settings.SIGNUP_VERIFY_MAX_AGE // 86400,
    }
    with translation.override(user.language):
        subject = render_to_string("teams/email/signup_subject.txt", context).strip()
        body = render_to_string("teams/email/signup_body.txt", context)
    send_mail(subject, body, None, [user.email])


def signup_from_token(token: str) -> User:
    """The pending sign-up the link names; SignupInvalid when it is not one (any more)."""
    try:
        data = signing.loads(token, salt=SIGNUP_SALT, max_age=settings.SIGNUP_VERIFY_MAX_AGE)
    except signing.BadSignature as exc:  # SignatureExpired included
        raise SignupInvalid from exc
    user = selectors.pending_signups().filter(pk=data.get("u")).first()
    if user is None:
        raise SignupInvalid
    return user


@transaction.atomic
def signup_verify(*, user: User, ip_address: str | None = None) -> User:
    """The address is the person's: they can sign in and are their organisation's admin."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active or OrgRole.objects.filter(organization_id=user.organization_id).exists():
        raise SignupInvalid  # verified already (a double click)
    user.is_active = True
    user.save(update_fields=["is_active"])
    fragments.changed(fragments.user(user.pk))
    _admin_grant(user=user, ip_address=ip_address)
    return user


def _admin_grant(*, user: User, ip_address: str | None) -> None:
    OrgRole.objects.create(organization_id=user.organization_id, user=user, role="admin")
    fragments.changed(fragments.user(user.pk), fragments.org(user.organization_id))
    privacy_audit.audit_record(
        organization=user.organization_id,
        action=AuditEvent.Action.ROLE_CHANGE,
        actor=user,
        subject=user,
        target="roles=admin (new organisation)",
        ip_address=ip_address,
    )


@transaction.atomic
def organization_create(
    *,
    name: str,
    language: str,
    time_zone: str,
    username: str,
    email: str,
    first_name: str = "",
    last_name: str = "",
) -> User:
    """The shell's way (`manage.py create_organisation`): the organisation and its admin, who
    sets a password through a reset link; no e-mail to verify, the operator vouches."""
    organization = _organization_new(name=name, language=language, time_zone=time_zone)
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email.strip(),
        organization=organization,
        time_zone=time_zone,
        language=language,
    )
    user.set_unusable_password()
    user.save()
    _admin_grant(user=user, ip_address=None)
    return user
