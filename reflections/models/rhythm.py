"""Reflection rhythms and their sessions, prompts, attendance and calendar feed tokens."""

import secrets
import uuid
import zoneinfo
from datetime import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reflections.prompts import BUILTIN_PROMPTS, DEFAULT_PROMPT_KEYS
from teams.models import DEFAULT_TIME_ZONE, TIME_ZONE_CHOICES, Team

WEEKDAY_CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def default_prompt_keys() -> list[str]:
    return list(DEFAULT_PROMPT_KEYS)


class Rhythm(models.Model):
    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("Every week")
        BIWEEKLY = "biweekly", _("Every two weeks")
        MONTHLY = "monthly", _("Monthly, on a weekday")
        CUSTOM = "custom", _("Custom rule (RRULE)")

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    class WeekOfMonth(models.IntegerChoices):
        FIRST = 1, _("first")
        SECOND = 2, _("second")
        THIRD = 3, _("third")
        FOURTH = 4, _("fourth")
        LAST = -1, _("last")

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="rhythms")
    title = models.CharField(_("name"), max_length=120)
    frequency = models.CharField(
        _("repeats"), max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    weekday = models.PositiveSmallIntegerField(
        _("weekday"), choices=Weekday.choices, default=Weekday.MONDAY
    )
    week_of_month = models.SmallIntegerField(
        _("week of the month"), choices=WeekOfMonth.choices, default=WeekOfMonth.FIRST
    )
    custom_rule = models.CharField(
        _("custom rule"),
        max_length=300,
        blank=True,
        help_text=_("An RFC 5545 RRULE, for example FREQ=WEEKLY;INTERVAL=3;BYDAY=TH"),
    )
    start_date = models.DateField(_("first date"))
    start_time = models.TimeField(_("time of day"))
    time_zone = models.CharField(
        _("time zone"), max_length=64, choices=TIME_ZONE_CHOICES, default=DEFAULT_TIME_ZONE
    )
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration in minutes"),
        default=30,
        validators=[MinValueValidator(5), MaxValueValidator(480)],
    )
    location = models.CharField(_("place"), max_length=200, blank=True)
    video_url = models.URLField(_("video link"), max_length=500, blank=True)
    prompt_keys = models.JSONField(default=default_prompt_keys, blank=True)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Paused rhythms plan no new sessions.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["team", "start_time"]
        verbose_name = _("rhythm")
        verbose_name_plural = _("rhythms")

    def __str__(self) -> str:
        return self.title

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def rule(self) -> str:
        """The RRULE this rhythm repeats by (without DTSTART)."""
        day = WEEKDAY_CODES[self.weekday]
        match self.frequency:
            case self.Frequency.WEEKLY:
                return f"FREQ=WEEKLY;BYDAY={day}"
            case self.Frequency.BIWEEKLY:
                return f"FREQ=WEEKLY;INTERVAL=2;BYDAY={day}"
            case self.Frequency.MONTHLY:
                return f"FREQ=MONTHLY;BYDAY={self.week_of_month:+d}{day}"
        return self.custom_rule.strip().removeprefix("RRULE:")


class Session(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        SKIPPED = "skipped", _("Skipped")

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="sessions")
    rhythm = models.ForeignKey(
        Rhythm, on_delete=models.SET_NULL, null=True, blank=True, related_name="sessions"
    )
    # The rhythm's occurrence this session stands for (local date); stays when the session moves.
    occurrence_date = models.DateField(null=True, blank=True)
    title = models.CharField(_("name"), max_length=120)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    time_zone = models.CharField(max_length=64, choices=TIME_ZONE_CHOICES)
    location = models.CharField(_("place"), max_length=200, blank=True)
    video_url = models.URLField(_("video link"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.PLANNED
    )
    is_moved = models.BooleanField(default=False)
    sequence = models.PositiveIntegerField(default=0)
    held_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.UniqueConstraint(
                fields=["rhythm", "occurrence_date"], name="session_one_per_occurrence"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="session_ends_after"
            ),
        ]
        indexes = [models.Index(fields=["team", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.title} {self.starts_at:%Y-%m-%d}"

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def local_start(self) -> datetime:
        return self.starts_at.astimezone(self.zone)

    @property
    def duration_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    @property
    def is_upcoming(self) -> bool:
        return self.status == self.Status.PLANNED and self.ends_at > timezone.now()

    @property
    def can_be_held(self) -> bool:
        """A session can be marked held once it has started, unless it was skipped."""
        return self.status != self.Status.SKIPPED and self.starts_at <= timezone.now()

    def pulse_open_to(self, user) -> bool:
        """Who may answer the pulse besides being in the team: those marked present, or, while
        nobody is marked (attendance not taken yet), every member."""
        present = self.attendances.all()
        return not present.exists() or present.filter(user=user).exists()


class PromptTemplate(models.Model):
    """An organisation's own reusable prompt (the built-in ones live in reflections.prompts)."""

    organization = models.ForeignKey(
        "teams.Organization", on_delete=models.CASCADE, related_name="prompt_templates"
    )
    text = models.CharField(_("prompt"), max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["text"]
        verbose_name = _("prompt template")
        verbose_name_plural = _("prompt templates")

    def __str__(self) -> str:
        return self.text


class Prompt(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="prompts")
    builtin_key = models.CharField(max_length=20, blank=True)
    custom_text = models.CharField(_("prompt"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("prompt")
        verbose_name_plural = _("prompts")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(builtin_key="", custom_text=""), name="prompt_has_text"
            )
        ]

    def __str__(self) -> str:
        return str(self.text)

    @property
    def text(self) -> str:
        return self.text_of(self.builtin_key, self.custom_text)

    @staticmethod
    def text_of(builtin_key: str, custom_text: str) -> str:
        """A prompt's text from its fields (for rows read without the model)."""
        if builtin_key:
            return BUILTIN_PROMPTS.get(builtin_key, builtin_key)
        return custom_text


class Attendance(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attendances"
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [models.UniqueConstraint(fields=["session", "user"], name="attendance_once")]


def new_feed_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarFeed(models.Model):
    """A person's secret iCalendar feed URL: of all their teams (no team) or of one team.

    Every feed has an owner, so a team's feed stops working for a person who leaves the team:
    the feed view checks the owner's current membership on each request."""

    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, null=True, blank=True, related_name="calendar_feeds"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(team__isnull=True),
                name="calendar_feed_one_personal",
            ),
            models.UniqueConstraint(fields=["user", "team"], name="calendar_feed_one_per_team"),
        ]
