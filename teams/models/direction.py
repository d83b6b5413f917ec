"""Why the team learns: strategy themes, team and personal learning goals, progress check-ins."""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from teams.models.people import Organization, Team


class GoalStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    REACHED = "reached", _("Reached")
    DROPPED = "dropped", _("Dropped")


class StrategyTheme(models.Model):
    """A direction the organisation has chosen; HR or an admin keeps the list."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="strategy_themes"
    )
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    starts_on = models.DateField(_("active from"), null=True, blank=True)
    ends_on = models.DateField(
        _("active until"),
        null=True,
        blank=True,
        help_text=_("Leave empty while the theme is still current."),
    )
    order = models.PositiveSmallIntegerField(
        _("order"),
        default=0,
        validators=[MaxValueValidator(1000)],
        help_text=_("Themes are listed from the smallest number up."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["order", "title"]
        verbose_name = _("strategy theme")
        verbose_name_plural = _("strategy themes")
        constraints = [
            models.UniqueConstraint(
                "organization",
                Lower("title"),
                name="theme_title_unique_in_org",
                violation_error_message=_("The organisation already has a theme with this title."),
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(starts_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="theme_period_in_order",
                violation_error_message=_("The theme cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_active_on(self, day: datetime.date) -> bool:
        return (self.starts_on is None or self.starts_on <= day) and (
            self.ends_on is None or day <= self.ends_on
        )


class TeamGoal(models.Model):
    """What competence a team is building and why; proposed by a member or set by a supervisor."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACTIVE = "active", _("Active")
        REACHED = "reached", _("Reached")
        DROPPED = "dropped", _("Dropped")

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(_("competence the team is building"), max_length=160)
    why = models.TextField(_("why it matters for our work"), max_length=2000)
    themes = models.ManyToManyField(
        StrategyTheme, verbose_name=_("strategy themes"), related_name="team_goals", blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("team learning goal")
        verbose_name_plural = _("team learning goals")

    def __str__(self) -> str:
        return self.title

    @property
    def is_proposed(self) -> bool:
        return self.status == self.Status.PROPOSED


class PersonalGoal(models.Model):
    """A person's own learning goal. Its owner alone decides who else may see it."""

    class Visibility(models.TextChoices):
        PRIVATE = "private", _("Only me")
        SUPERVISOR = "supervisor", _("Me and my supervisor")
        TEAM = "team", _("My team")

    class Challenge(models.IntegerChoices):
        SMALL = 1, _("A small step from where I am now")
        STRETCH = 2, _("A clear stretch")
        LEAP = 3, _("A big leap into new ground")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="personal_goals"
    )
    team_goal = models.ForeignKey(
        TeamGoal,
        verbose_name=_("team learning goal"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="personal_goals",
    )
    title = models.CharField(_("what I want to learn"), max_length=160)
    reason = models.TextField(_("why this matters to me"), max_length=2000)
    challenge = models.PositiveSmallIntegerField(
        _("challenge level"), choices=Challenge.choices, default=Challenge.STRETCH
    )
    visibility = models.CharField(
        _("who can see this goal"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.PRIVATE,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=GoalStatus.choices, default=GoalStatus.ACTIVE
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("personal learning goal")
        verbose_name_plural = _("personal learning goals")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(challenge__gte=1, challenge__lte=3),
                name="personal_goal_challenge_in_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_private(self) -> bool:
        return self.visibility == self.Visibility.PRIVATE

    def first_checkin_day(self) -> datetime.date:
        """A check-in tells where the person is on this goal, so none predates the goal (in
        the time zone active for the person)."""
        return timezone.localdate(self.created_at)


class CheckIn(models.Model):
    """A moment on the way: how far the person feels they are (1-5) and a short note."""

    goal = models.ForeignKey(PersonalGoal, on_delete=models.CASCADE, related_name="checkins")
    day = models.DateField(_("date"))
    progress = models.PositiveSmallIntegerField(
        _("progress (1-5)"),
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("1 = just starting, 5 = I can do this on my own."),
    )
    note = models.TextField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-day", "-created_at"]
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__gte=1, progress__lte=5),
                name="checkin_progress_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.goal} · {self.day} · {self.progress}"
