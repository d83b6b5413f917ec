"""Place: in-progress thoughts posted to the team feed, with replies building on them."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reflections.models.rhythm import Session
from teams.models import Team

THOUGHT_MAX_LENGTH = 2000


class Thought(models.Model):
    """A piece of in-progress thinking posted to the team feed, or a reply building on one."""

    class Kind(models.TextChoices):
        THINKING = "thinking", _("Still thinking")
        INSIGHT = "insight", _("Insight")
        TRIED = "tried", _("Tried this")

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="thoughts")
    session = models.ForeignKey(
        Session, on_delete=models.SET_NULL, null=True, blank=True, related_name="thoughts"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    # The team learning goal the thought builds competence for (team-visible, like the feed).
    team_goal = models.ForeignKey(
        "teams.TeamGoal",
        verbose_name=_("learning goal"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="thoughts",
    )
    # Null once the author has deleted their account and others had built on the thought:
    # it stays in the team's record as "former member" (privacy.services).
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="thoughts",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.THINKING)
    body = models.TextField(_("thought"), max_length=THOUGHT_MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("thought")
        verbose_name_plural = _("thoughts")
        indexes = [
            models.Index(fields=["team", "-created_at", "-id"], name="thought_feed"),
            models.Index(fields=["parent", "created_at"], name="thought_replies"),
        ]

    def __str__(self) -> str:
        return self.body[:60]
