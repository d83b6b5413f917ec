"""The bridge to leadership: team questions a supervisor forwards, alone or summarised, tagged
with a strategy theme, to HR/leadership, and the answer that comes back to the team.

What goes up carries no author: a forwarded item names the team, the theme, the questions (by
reference, so their own author field decides) and the supervisor who forwarded it. A named
asker's name goes up only if the asker consented when asking (Question.name_upward). The
answer is given in a role ("HR", "Leadership"), not as a private person; who answered is kept
only in the audit trail (see docs/anonymity.md).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from reflections.models.questions import ANSWER_MAX_LENGTH, Question
from teams.models import StrategyTheme, Team

SUMMARY_MAX_LENGTH = 2000


class ForwardedItem(models.Model):
    """One question, or a supervisor's summary of several, sent up to HR/leadership."""

    class AnsweredAs(models.TextChoices):
        HR = "hr", _("HR")
        LEADERSHIP = "leadership", _("Leadership")

    # A random id, like the questions it carries: its order says nothing.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="forwarded_items")
    theme = models.ForeignKey(
        StrategyTheme,
        verbose_name=_("strategy theme"),
        on_delete=models.PROTECT,
        related_name="forwarded_items",
    )
    questions = models.ManyToManyField(Question, related_name="forwards")
    # Empty when a single question goes up as it was asked.
    summary = models.TextField(_("summary"), max_length=SUMMARY_MAX_LENGTH, blank=True)
    # The supervisor who forwarded it, acting for the team (never an asker's link: the
    # schema test in tests/reflections/test_anonymity.py allows this one explicitly).
    forwarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Days only, like the questions: a forwarding time could hint at an asker's visit.
    forwarded_on = models.DateField()
    answer = models.TextField(_("answer"), max_length=ANSWER_MAX_LENGTH, blank=True)
    answered_as = models.CharField(
        _("answer as"), max_length=10, choices=AnsweredAs.choices, blank=True
    )
    answered_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-forwarded_on", "id"]
        verbose_name = _("forwarded question")
        verbose_name_plural = _("forwarded questions")
        indexes = [models.Index(fields=["team", "forwarded_on"], name="forward_team_day")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(answer="", answered_as="", answered_on__isnull=True)
                    | (
                        ~models.Q(answer="")
                        & ~models.Q(answered_as="")
                        & models.Q(answered_on__isnull=False)
                    )
                ),
                name="forward_answer_complete",
            )
        ]

    def __str__(self) -> str:
        return self.summary[:60] or str(self.pk)

    @property
    def is_answered(self) -> bool:
        return bool(self.answer)
