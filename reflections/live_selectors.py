"""What the live part of the session page shows: the phase and its timer, the revealed cards
(with their votes once the discussion starts) and the viewer's own dots.

Cards come in the order of their random ids, never in writing order; in the discussion, by
votes first. A card's writer is loaded only for cards whose writer chose to be named (an
anonymous card has none to load).
"""

from django.db.models import Count
from django.utils import timezone

from reflections.models import (
    LiveCard,
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
    cards = []
    if live.revealed:
        query = LiveCard.objects.filter(live=live).select_related("prompt", "author")
        if state["votes_shown"]:
            query = query.annotate(vote_count=Count("votes")).order_by("-vote_count", "id")
        cards = list(query)
    state["cards"] = cards
    if live.phase == Phase.VOTE:
        mine = set(
            LiveVote.objects.filter(card__live=live, user=viewer).values_list("card_id", flat=True)
        )
        state["my_votes"] = mine
        state["votes_left"] = max(0, live.vote_budget - len(mine))
    if live.phase == Phase.REFLECT and not live.revealed:
        # The viewer's own named cards; anonymous ones have no writer to find them by.
        state["my_cards"] = list(LiveCard.objects.filter(live=live, author=viewer))
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
