"""What the live part of the session page shows: the phase and its timer, the revealed cards
(with their votes once the discussion starts) and the viewer's own dots.

Cards come in the order of their random ids, never in writing order; in the discussion, by
votes first. A card's writer is loaded only for cards whose writer chose to be named (an
anonymous card has none to load).
"""

from django.db.models import Count, Q
from django.utils import timezone

from reflections.models import (
    LiveCard,
    LiveGroup,
    LiveSafetyAnswered,
    LiveSafetyValue,
    LiveSession,
    LiveVote,
    Session,
)
from reflections.pulse import pulse_threshold
from teams.models import User

Phase = LiveSession.Phase
VOTES_SHOWN = (Phase.DISCUSS, Phase.CLOSE)


def team_members(team_id: int):
    """The people facilitation can be handed over to: the team's members and supervisors."""
    return (
        User.objects.filter(memberships__team_id=team_id)
        .order_by("first_name", "last_name", "username")
        .distinct()
    )


def live_of(session: Session) -> LiveSession | None:
    """The session's live state: loaded with the session by reflections.access (no query),
    or asked for."""
    try:
        return session.live
    except LiveSession.DoesNotExist:
        return None


def live_version(session: Session) -> int:
    """The live session's version, 0 before it starts: what the poll compares."""
    live = live_of(session)
    return live.version if live else 0


def live_page(session: Session, *, viewer: User) -> dict:
    """The live state as the viewer sees it; the same number of queries however many cards,
    votes and members there are."""
    live = live_of(session)
    state = {"live": live, "version": live.version if live else 0}
    if live is None:
        return state
    state["phases"] = list(Phase)
    state["is_facilitator"] = live.facilitator_id == viewer.pk
    state["seconds_left"] = (
        max(0, int((live.phase_ends_at - timezone.now()).total_seconds()))
        if live.phase_ends_at
        else 0
    )
    minutes, seconds = divmod(state["seconds_left"], 60)
    state["time_left"] = f"{minutes}:{seconds:02d}"
    state["votes_shown"] = live.phase in VOTES_SHOWN
    state["topics"] = topics(live) if live.revealed else []
    if live.phase in (Phase.GROUP, Phase.VOTE, Phase.DISCUSS) and state["is_facilitator"]:
        state["groups"] = list(LiveGroup.objects.filter(live=live))
    if live.phase == Phase.VOTE:
        mine = set()
        for card_id, group_id in LiveVote.objects.filter(
            Q(card__live=live) | Q(group__live=live), user=viewer
        ).values_list("card_id", "group_id"):
            mine.add(card_id or group_id)
        state["my_votes"] = mine
        state["votes_left"] = max(0, live.vote_budget - len(mine))
    if live.phase == Phase.REFLECT and not live.revealed:
        # The viewer's own named cards; anonymous ones have no writer to find them by.
        state["my_cards"] = list(LiveCard.objects.filter(live=live, author=viewer))
    if live.phase == Phase.DISCUSS:
        state["topic_pk"] = live.topic_card_id or live.topic_group_id
        state["topic_seconds_left"] = (
            max(0, int((live.topic_ends_at - timezone.now()).total_seconds()))
            if live.topic_ends_at and state["topic_pk"]
            else 0
        )
        minutes, seconds = divmod(state["topic_seconds_left"], 60)
        state["topic_time_left"] = f"{minutes}:{seconds:02d}"
    if live.phase == Phase.CLOSE:
        state["safety"] = safety(live, session, viewer=viewer)
    if state["is_facilitator"]:
        state["members"] = team_members(session.team_id).exclude(pk=viewer.pk)
    return state


def safety(live: LiveSession, session: Session, *, viewer: User) -> dict:
    """ "Was it safe to speak today?": whether the viewer has answered, and the answers only as
    the last release (reflections.live_services.live_safety_answer), never as they come in."""
    release = live.safety_release or {}
    counts = release.get("counts", {})
    return {
        "answered": LiveSafetyAnswered.objects.filter(live=live, user=viewer).exists(),
        "threshold": pulse_threshold(session),
        "released": release.get("answered", 0),
        "counts": [
            (label, counts.get(value, 0)) for value, label in LiveSafetyValue.Answer.choices
        ],
    }


class Topic:
    """What is voted on and discussed (reflections.models.live): a group with its cards, or a
    card in no group. `pk` is the group's or the card's random id."""

    def __init__(self, *, card: LiveCard | None = None, group: LiveGroup | None = None, cards=()):
        self.card = card
        self.group = group
        self.cards = list(cards) if group is not None else [card]
        row = group or card
        self.pk = row.pk
        self.vote_count = getattr(row, "vote_count", 0)
        self.next_step = row.next_step
        self.next_step_made = row.next_step_made

    @property
    def is_group(self) -> bool:
        return self.group is not None


def topics(live: LiveSession) -> list[Topic]:
    """The revealed cards as topics: before the discussion groups by name, then the cards in no
    group by their random ids; from the discussion on, by votes (then by random id). Groups
    without cards are no topic. Three queries however many cards, groups and votes."""
    votes_shown = live.phase in VOTES_SHOWN
    cards = LiveCard.objects.filter(live=live).select_related("prompt", "author")
    groups = LiveGroup.objects.filter(live=live)
    if votes_shown:
        cards = cards.annotate(vote_count=Count("votes"))
        groups = groups.annotate(vote_count=Count("votes"))
    by_group: dict = {}
    loose = []
    for card in cards:
        if card.group_id is None:
            loose.append(Topic(card=card))
        else:
            by_group.setdefault(card.group_id, []).append(card)
    found = [
        Topic(group=group, cards=by_group[group.pk]) for group in groups if group.pk in by_group
    ]
    found += loose
    if votes_shown:
        found.sort(key=lambda topic: (-topic.vote_count, str(topic.pk)))
    return found
