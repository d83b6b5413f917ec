"""Who belongs where: users, organisations (tenants), teams, memberships, roles, invitations."""

import zoneinfo
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DEFAULT_TIME_ZONE = "Europe/Helsinki"
TIME_ZONE_CHOICES = [(tz, tz) for tz in sorted(zoneinfo.available_timezones())]


class Organization(models.Model):
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, choices=TIME_ZONE_CHOICES, default=DEFAULT_TIME_ZONE
    )
    min_group_size = models.PositiveSmallIntegerField(
        _("minimum group size in reports"),
        default=5,
        validators=[MinValueValidator(3), MaxValueValidator(50)],
        help_text=_("Report figures resting on fewer people than this are hidden."),
    )
    # The language of what the organisation shares (invitations to people who have no account
    # yet, the demo's content) and of pages for people who chose none and whose browser asks for
    # none of ours.
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        db_default=settings.LANGUAGE_CODE,  # rows written by code of before this field
        help_text=_(
            "For people who have not chosen a language and whose browser asks for none of ours."
        ),
    )
    retention_months = models.PositiveSmallIntegerField(
        _("retention in months"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    # When an admin first opened the privacy page: the set-up checklist's last item.
    privacy_page_seen_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person. Belongs to at most one organisation; staff-only superusers may have none."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="people",
        null=True,
        blank=True,
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, choices=TIME_ZONE_CHOICES, default=DEFAULT_TIME_ZONE
    )
    # Blank: not chosen; pages then follow the browser, messages the organisation.
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        blank=True,
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="user_email_unique_ci",
                violation_error_message=_("Someone already uses this e-mail address."),
            )
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class OrgRole(models.Model):
    class Role(models.TextChoices):
        HR = "hr", _("HR / learning partner")
        ADMIN = "admin", _("Organisation admin")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="roles")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="org_roles"
    )
    role = models.CharField(_("role"), max_length=8, choices=Role.choices)

    class Meta:
        verbose_name = _("organisation role")
        verbose_name_plural = _("organisation roles")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "user", "role"], name="orgrole_unique_per_user"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"


class Team(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    time_zone = models.CharField(
        _("time zone"), max_length=64, choices=TIME_ZONE_CHOICES, default=DEFAULT_TIME_ZONE
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="teams"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        constraints = [
            models.UniqueConstraint(
                "organization",
                Lower("name"),
                name="team_name_unique_in_org",
                violation_error_message=_("The organisation already has a team with this name."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        SUPERVISOR = "supervisor", _("Supervisor")

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="membership_unique_per_team")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.team} · {self.get_role_display()}"

    @property
    def is_supervisor(self) -> bool:
        return self.role == self.Role.SUPERVISOR

    def is_last_supervisor(self) -> bool:
        """A team must keep at least one supervisor."""
        if not self.is_supervisor:
            return False
        others = Membership.objects.filter(team_id=self.team_id, role=self.Role.SUPERVISOR)
        return not others.exclude(pk=self.pk).exists()


class Invitation(models.Model):
    """An e-mail invitation; its link carries a signed, expiring token of the id."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail"))
    # The invitee's name as the inviter typed it: offered on the sign-up form.
    name = models.CharField(_("name"), max_length=150, blank=True, default="", db_default="")
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        on_delete=models.CASCADE,
        related_name="invitations",
        null=True,
        blank=True,
    )
    role = models.CharField(
        _("role in team"),
        max_length=12,
        choices=Membership.Role.choices,
        default=Membership.Role.MEMBER,
    )
    # An organisation role the invitee gets on accepting (HR); empty: none.
    org_role = models.CharField(
        _("organisation role"),
        max_length=8,
        choices=OrgRole.Role.choices,
        blank=True,
        default="",
        db_default="",
    )
    # The invitee's language for the e-mail and its resends; empty: the organisation's.
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        default="",
        db_default="",
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # When the last e-mail went out (a resend renews the link); null: at created_at.
    sent_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return self.email

    @property
    def is_accepted(self) -> bool:
        return self.accepted_at is not None

    def is_expired(self, now=None) -> bool:
        """Whether the link of the last e-mail has stopped working."""
        sent = self.sent_at or self.created_at
        age = timedelta(seconds=settings.INVITATION_MAX_AGE)
        return sent + age < (now or timezone.now())
