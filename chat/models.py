"""A team's chat channels (Microsoft Teams Workflows or Slack incoming webhooks), the notices
posted to them and one delivery row per (notice, channel), which makes each post happen once."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ChatDestination(models.Model):
    """A channel a team's supervisor connected. The webhook URL is a secret: stored encrypted
    (chat.crypto), shown only as its host and last four characters (`url_hint`)."""

    class Kind(models.TextChoices):
        TEAMS = "teams", _("Microsoft Teams (Workflows webhook)")
        SLACK = "slack", _("Slack (incoming webhook)")

    team = models.ForeignKey(
        "teams.Team", on_delete=models.CASCADE, related_name="chat_destinations"
    )
    kind = models.CharField(_("service"), max_length=8, choices=Kind.choices)
    name = models.CharField(_("channel name"), max_length=80)
    url_encrypted = models.TextField()
    url_hint = models.CharField(max_length=200)
    language = models.CharField(
        _("language of the messages"), max_length=8, choices=settings.LANGUAGES
    )
    enabled = models.BooleanField(_("switched on"), default=True)
    # Consecutive answers saying the webhook is gone (403, 404, 410, a redirect); a success
    # resets it.
    failure_count = models.PositiveSmallIntegerField(default=0)
    disabled_reason = models.CharField(max_length=200, blank=True)
    send_reminders = models.BooleanField(_("before each session"), default=True)
    send_nudges = models.BooleanField(_("after each session: add a reflection"), default=True)
    send_questions = models.BooleanField(_("new questions are waiting"), default=True)
    send_answers = models.BooleanField(_("HR answered forwarded questions"), default=True)
    send_lapses = models.BooleanField(_("the team's rhythm has paused"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("chat channel")
        verbose_name_plural = _("chat channels")

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"


class ChatNotice(models.Model):
    """Something to post to a team's channels, once: unique per (team, kind, key)."""

    class Kind(models.TextChoices):
        BEFORE = "before", _("Session coming up")
        NUDGE = "nudge", _("Add a reflection")
        QUESTIONS = "questions", _("New questions are waiting")
        ANSWER = "answer", _("HR answered forwarded questions")
        LAPSE = "lapse", _("The rhythm has paused")
        TEST = "test", _("Test message")

    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    key = models.CharField(max_length=64)
    session = models.ForeignKey(
        "reflections.Session", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    forwarded_item = models.ForeignKey(
        "reflections.ForwardedItem",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    # How many questions a "questions are waiting" notice counts: the count only, never a
    # question, so nothing anonymous ever reaches a payload.
    count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "kind", "key"], name="chat_notice_once")
        ]


class ChatDelivery(models.Model):
    """One notice to one channel. The unique key and a claim (a lease with a token) make sure
    no two workers post it; retries wait in `next_attempt_at`."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    notice = models.ForeignKey(ChatNotice, on_delete=models.CASCADE, related_name="deliveries")
    destination = models.ForeignKey(
        ChatDestination, on_delete=models.CASCADE, related_name="deliveries"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    next_attempt_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    claim_token = models.CharField(max_length=32, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["notice", "destination"], name="chat_delivery_once_per_destination"
            )
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status="pending"),
                name="chat_delivery_pending_due",
            )
        ]
