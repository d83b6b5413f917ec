"""A reflection session run live: its phases, a timer held on the server, cards written
privately and revealed together, and dot votes.

Anonymity is a property of the schema (docs/anonymity.md): a card has a random id and no
time, and references its writer only when the writer chose to be named; a vote says only
"this person gives a dot to this card (or group)", with a random id and no time. Cards are
listed by votes, then by their random id, never in writing order.

Grouping, and what a vote goes to: in the group phase the facilitator gathers cards into named
groups (a group is the facilitator's, named by them; a card's writer has nothing to do with
it). From then on the session works with *topics*: a group that holds at least one card, or a
card in no group. A dot goes to a topic, so a grouped card is voted on (and discussed) only
with its group, and an empty group is no topic. Cards move only in the group phase, before any
vote is given, so no dot ever has to follow a card from one topic to another. In the
discussion each topic can have its own timer (the live session holds the topic under discussion
and its deadline) and a next step written by the facilitator.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from reflections.models.rhythm import Prompt, Session

CARD_MAX_LENGTH = 500
DEFAULT_VOTE_BUDGET = 3


class LiveSession(models.Model):
    """The live state of one session. Every change bumps `version`, which the polling
    browsers compare with theirs."""

    class Phase(models.TextChoices):
        CHECK_IN = "check_in", _("Check-in")
        REFLECT = "reflect", _("Reflect")
        GROUP = "group", _("Group")
        VOTE = "vote", _("Vote")
        DISCUSS = "discuss", _("Discuss")
        CLOSE = "close", _("Close")

    session = models.OneToOneField(Session, on_delete=models.CASCADE, related_name="live")
    phase = models.CharField(
        _("phase"), max_length=10, choices=Phase.choices, default=Phase.CHECK_IN
    )
    # When the current phase's time is up; held here so a late joiner sees the same clock.
    phase_ends_at = models.DateTimeField(null=True, blank=True)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revealed = models.BooleanField(default=False)
    vote_budget = models.PositiveSmallIntegerField(
        default=DEFAULT_VOTE_BUDGET, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    version = models.PositiveIntegerField(default=1)
    # "Was it safe to speak today?" as everyone may see it, taken each time another full group
    # has answered (reflections.live_services.live_safety_answer): {"answered": n, "counts":
    # {answer: number}}; None before the first full group. Changing it bumps no version.
    safety_release = models.JSONField(null=True, blank=True)
    # The topic under discussion (a card in no group, or a group) and when its time is up.
    topic_card = models.ForeignKey(
        "LiveCard", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    topic_group = models.ForeignKey(
        "LiveGroup", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    topic_ends_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("live session")
        verbose_name_plural = _("live sessions")

    def __str__(self) -> str:
        return f"{self.session} ({self.phase})"


GROUP_NAME_MAX_LENGTH = 80
NEXT_STEP_MAX_LENGTH = 160  # fits a team goal's title


class NextStepMade(models.TextChoices):
    """What the facilitator turned a topic's next step into."""

    NOTHING = "", _("Nothing yet")
    GOAL = "goal", _("A team goal")
    THOUGHT = "thought", _("A thought in the team feed")


class NextStepMixin(models.Model):
    """A topic's next step, written by the facilitator in the discussion."""

    next_step = models.CharField(
        _("next step"), max_length=NEXT_STEP_MAX_LENGTH, blank=True, default="", db_default=""
    )
    next_step_made = models.CharField(
        max_length=7, choices=NextStepMade.choices, blank=True, default="", db_default=""
    )

    class Meta:
        abstract = True


class LiveGroup(NextStepMixin):
    """A named group of cards, made by the facilitator in the group phase."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    live = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(_("group name"), max_length=GROUP_NAME_MAX_LENGTH)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("card group")
        verbose_name_plural = _("card groups")

    def __str__(self) -> str:
        return self.name


class LiveCard(NextStepMixin):
    """A card written in the reflect phase against one of the session's prompts. `author` is
    set only when the writer chose to be named."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    live = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="cards")
    prompt = models.ForeignKey(
        Prompt, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    body = models.TextField(_("card"), max_length=CARD_MAX_LENGTH)
    group = models.ForeignKey(
        LiveGroup, on_delete=models.SET_NULL, null=True, blank=True, related_name="cards"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        # Never in writing order: by the random id (lists order by votes first).
        ordering = ["id"]
        verbose_name = _("card")
        verbose_name_plural = _("cards")

    def __str__(self) -> str:
        return self.body[:60]


class LiveVote(models.Model):
    """One person's dot on a topic, a card in no group or a group: random id, no time."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    card = models.ForeignKey(
        LiveCard, on_delete=models.CASCADE, null=True, blank=True, related_name="votes"
    )
    group = models.ForeignKey(
        LiveGroup, on_delete=models.CASCADE, null=True, blank=True, related_name="votes"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("card vote")
        verbose_name_plural = _("card votes")
        constraints = [
            models.UniqueConstraint(fields=["card", "user"], name="live_vote_once"),
            models.UniqueConstraint(fields=["group", "user"], name="live_group_vote_once"),
            models.CheckConstraint(
                condition=models.Q(card__isnull=True) ^ models.Q(group__isnull=True),
                name="live_vote_one_topic",
            ),
        ]


class LiveSafetyAnswered(models.Model):
    """That a person has answered "was it safe to speak today?" in the close: no answer, no
    time. LiveSafetyValue holds the answers, with nothing that leads back here."""

    live = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("safety answer mark")
        verbose_name_plural = _("safety answer marks")
        constraints = [
            models.UniqueConstraint(fields=["live", "user"], name="live_safety_answered_once")
        ]


class LiveSafetyValue(models.Model):
    """One answer to "was it safe to speak today?": no person, no time, a random id."""

    class Answer(models.TextChoices):
        YES = "yes", _("Yes")
        PARTLY = "partly", _("Partly")
        NO = "no", _("No")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    live = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="+")
    value = models.CharField(max_length=6, choices=Answer.choices)

    class Meta:
        verbose_name = _("safety answer")
        verbose_name_plural = _("safety answers")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(value__in=["yes", "partly", "no"]), name="live_safety_value"
            )
        ]
