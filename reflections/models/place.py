"""Place and atmosphere: in-progress thoughts with replies, ask-out-loud questions with votes,
answers and reports, and the anonymous safety pulse.

Anonymity is a property of the schema, not of the views (see docs/anonymity.md):
- Question, Vote, Report and PulseValue have random UUID primary keys and no timestamps, so
  neither their ids nor their times can be matched with a request log; a question keeps only
  the day it was asked.
- A question references its asker only when the asker chose to be named.
- Report and PulseValue reference no person at all; PulseAnswered ("this person has answered
  for this session") and PulseValue (the values) share no id, order or time.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reflections.models.rhythm import Session
from teams.models import Team

THOUGHT_MAX_LENGTH = 2000
QUESTION_MAX_LENGTH = 500
ANSWER_MAX_LENGTH = 2000
REASON_MAX_LENGTH = 300


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


class PulseAnswered(models.Model):
    """That a person has answered the pulse of a session: no values, no time."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="pulse_answered")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pulse_answered"
    )

    class Meta:
        verbose_name = _("pulse answer mark")
        verbose_name_plural = _("pulse answer marks")
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="pulse_answered_once")
        ]


class PulseValue(models.Model):
    """One answer to one pulse statement: no person, no time, a random id."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="pulse_values")
    statement = models.CharField(max_length=20)  # a key of reflections.pulse.PULSE_STATEMENTS
    value = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    class Meta:
        verbose_name = _("pulse value")
        verbose_name_plural = _("pulse values")
        indexes = [models.Index(fields=["session", "statement"], name="pulse_value_session")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(value__gte=1, value__lte=5), name="pulse_value_1_to_5"
            )
        ]


class PulseRelease(models.Model):
    """The pulse results of a session as a supervisor may see them, taken each time another
    full group (the threshold) has answered: re-reading after one more answer shows the same
    figures, so no single answer can be read off as the difference of two views."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="pulse_releases")
    answered = models.PositiveIntegerField()  # how many had answered when it was taken
    counts = models.JSONField()  # {statement: {value: number of answers}}

    class Meta:
        verbose_name = _("pulse release")
        verbose_name_plural = _("pulse releases")
        constraints = [
            models.UniqueConstraint(fields=["session", "answered"], name="pulse_release_once")
        ]
