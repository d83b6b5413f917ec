"""Ask out loud: questions with votes, answers and reports.

Anonymity is a property of the schema, not of the views (see docs/anonymity.md):
- Question, Vote and Report have random UUID primary keys and no timestamps, so neither their
  ids nor their times can be matched with a request log; a question keeps only the day it was
  asked.
- A question references its asker only when the asker chose to be named.
- Report references no person at all.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reflections.models.rhythm import Session
from teams.models import Team

QUESTION_MAX_LENGTH = 500
ANSWER_MAX_LENGTH = 2000
REASON_MAX_LENGTH = 300


class Question(models.Model):
    """An ask-out-loud question. `author` is set only when the asker chose to be named."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ANSWERED = "answered", _("Answered")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="questions")
    session = models.ForeignKey(
        Session, on_delete=models.SET_NULL, null=True, blank=True, related_name="questions"
    )
    body = models.TextField(_("question"), max_length=QUESTION_MAX_LENGTH)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="named_questions",
    )
    # Named questions only (both false for anonymous ones, where nothing is stored about the
    # asker's wishes): the asker consents that their name goes with the question if a
    # supervisor forwards it to HR/leadership, and wants a notification when it is answered.
    name_upward = models.BooleanField(default=False)
    notify_author = models.BooleanField(default=False)
    # Set when a named asker deleted their account and others had answered: the question stays
    # for the team as asked by a "former member", not passed off as anonymous.
    author_left = models.BooleanField(default=False)
    # The day only: a precise time could be matched with a web server's request log.
    asked_on = models.DateField()
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN
    )
    is_hidden = models.BooleanField(default=False)
    hide_reason = models.CharField(_("reason"), max_length=REASON_MAX_LENGTH, blank=True)

    class Meta:
        # Never ordered by creation: lists order by votes, then day, then the random id.
        ordering = ["-asked_on", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        indexes = [models.Index(fields=["team", "asked_on"], name="question_team_day")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_hidden=False) | ~models.Q(hide_reason=""),
                name="question_hidden_has_reason",
            ),
            # An anonymous question keeps no wish of its asker (a notification wish of an
            # anonymous asker lives only in their own browser: see docs/anonymity.md).
            models.CheckConstraint(
                condition=models.Q(author__isnull=False)
                | models.Q(author_left=True)
                | models.Q(name_upward=False, notify_author=False),
                name="question_anonymous_keeps_no_wishes",
            ),
        ]

    def __str__(self) -> str:
        return self.body[:60]

    @property
    def is_anonymous(self) -> bool:
        return self.author_id is None

    @property
    def name_for_leadership(self) -> str:
        """The name HR/leadership may see with a forwarded question: only a named asker's who
        agreed to it when asking; otherwise none."""
        if self.author_id is not None and self.name_upward:
            return str(self.author)
        return ""


class Vote(models.Model):
    """One person's upvote. Counted, never listed by name; random id and no time, so the order
    of votes (and so a possible first vote by the asker) cannot be read from the table."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="question_votes"
    )

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [models.UniqueConstraint(fields=["question", "user"], name="vote_once")]


class Answer(models.Model):
    """A supervisor's answer; supervisors answer in their own name."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    # Null once the author has deleted their account: the answer stays for the team.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="question_answers",
    )
    body = models.TextField(_("answer"), max_length=ANSWER_MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")


class Report(models.Model):
    """A member's note that a question needs a supervisor's look. Stores no reporter: reporting
    a colleague's question should be as safe as asking, and the asker could report too."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="reports")
    reason = models.CharField(_("reason"), max_length=REASON_MAX_LENGTH)
    reported_on = models.DateField()

    class Meta:
        ordering = ["-reported_on", "id"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
