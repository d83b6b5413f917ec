"""Reminders (rows the sweep delivers exactly once), in-app notifications and each person's
reminder preferences."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReminderSettings(models.Model):
    class LeadTime(models.IntegerChoices):
        NONE = 0, _("No reminder")
        HOUR = 60, _("1 hour before")
        DAY = 1440, _("1 day before")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_settings"
    )
    lead_minutes = models.PositiveIntegerField(
        _("remind me"), choices=LeadTime.choices, default=LeadTime.DAY
    )
    by_email = models.BooleanField(_("by e-mail"), default=True)
    in_app = models.BooleanField(_("in Learning Lead"), default=True)
    nudges = models.BooleanField(_("after a session, remind me to add a reflection"), default=True)
    lapse_alerts = models.BooleanField(
        _("tell me when the rhythm of a team I lead lapses"), default=True
    )

    class Meta:
        verbose_name = _("reminder settings")
        verbose_name_plural = _("reminder settings")

    @property
    def any_channel(self) -> bool:
        return self.by_email or self.in_app


class TeamOptOut(models.Model):
    """The person wants no reminders about this team's sessions."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_opt_outs"
    )
    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "team"], name="team_opt_out_once")]


class Reminder(models.Model):
    """One message to one person: about a session (before it, or a nudge after it), or to a
    supervisor about a lapse of a team's rhythm (team and lapse_key, no session)."""

    class Kind(models.TextChoices):
        BEFORE = "before", _("Before a session")
        NUDGE = "nudge", _("After a session")
        LAPSE = "lapse", _("A team's rhythm lapsed")
        # Notices to those already reminded of a session that then moved or was cancelled.
        MOVED = "moved", _("A session moved")
        CANCEL = "cancel", _("A session was cancelled")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        CANCELLED = "cancelled", _("Cancelled")

    session = models.ForeignKey(
        "reflections.Session",
        on_delete=models.CASCADE,
        related_name="reminders",
        null=True,
        blank=True,
    )
    team = models.ForeignKey(
        "teams.Team", on_delete=models.CASCADE, related_name="+", null=True, blank=True
    )
    # Which lapse a lapse reminder is about (reflections.lapse says how it is built): the same
    # lapse keeps its key from sweep to sweep; a new lapse after a recovery gets a new one.
    lapse_key = models.CharField(max_length=40, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    due_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    # A claim is a lease: a worker that dies leaves the row to be claimed again once it expires.
    claim_token = models.CharField(max_length=32, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    # The session start this message tells (before reminders and moved notices; set when
    # planned, and to the time actually rendered when sent): a later move is compared with it.
    starts_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user", "kind"],
                condition=models.Q(kind__in=["before", "nudge", "cancel"]),
                name="reminder_once_per_session_person_kind",
            ),
            # A move after a move sends again: one notice per new start time.
            models.UniqueConstraint(
                fields=["session", "user", "starts_at"],
                condition=models.Q(kind="moved"),
                name="reminder_moved_once_per_start",
            ),
            models.UniqueConstraint(
                fields=["team", "user", "lapse_key"],
                condition=models.Q(kind="lapse"),
                name="reminder_once_per_lapse_person",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(kind="lapse", team__isnull=False, session__isnull=True)
                    & ~models.Q(lapse_key="")
                )
                | (~models.Q(kind="lapse") & models.Q(session__isnull=False)),
                name="reminder_about_a_session_or_a_lapse",
            ),
        ]
        indexes = [
            models.Index(
                fields=["due_at"],
                condition=models.Q(status="pending"),
                name="reminder_pending_due",
            ),
            models.Index(
                fields=["claimed_at"],
                condition=models.Q(status="sending"),
                name="reminder_sending_claimed",
            ),
        ]

    @property
    def message_id(self) -> str:
        """Stable per reminder, so a re-sent copy after a crash is the same message to mail
        clients (they drop duplicates by Message-ID)."""
        return f"<reminder-{self.pk}@learning-lead>"


class Notification(models.Model):
    """An in-app notification; its text is drawn when shown, in the reader's language."""

    class Kind(models.TextChoices):
        BEFORE = "before", _("Session coming up")
        NUDGE = "nudge", _("Add a reflection")
        LAPSE = "lapse", _("A team's rhythm lapsed")
        ANSWERED = "answered", _("Your question is answered")
        FORWARD = "forward", _("A team forwarded questions to HR")
        REPORTED = "reported", _("A question of your team was reported")
        CHAT_OFF = "chat_off", _("A chat channel was switched off")
        MOVED = "moved", _("A session moved")
        CANCEL = "cancel", _("A session was cancelled")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    # Reminders are about a session, a lapse notification and HR's "forward" name only the
    # team, "answered" and "reported" are about a question.
    session = models.ForeignKey(
        "reflections.Session", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    team = models.ForeignKey(
        "teams.Team", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # "answered": only ever a named question asked by `user`; an anonymous asker is told
    # through a cookie in their own browser, never through a row (reflections.answer_cookie).
    # "reported": any question of a team `user` leads; the reporter is stored nowhere.
    question = models.ForeignKey(
        "reflections.Question", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    reminder = models.OneToOneField(
        Reminder, on_delete=models.SET_NULL, null=True, blank=True, related_name="notification"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["user"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread",
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(session__isnull=False)
                | models.Q(team__isnull=False)
                | models.Q(question__isnull=False),
                name="notification_about_something",
            )
        ]
