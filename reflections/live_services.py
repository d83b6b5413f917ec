"""Running a session live: phases, the timer, reveal, hand-over, cards, their groups and dot
votes (what a dot goes to: reflections.models.live).

Only the facilitator moves the session on (PermissionDenied otherwise). Every change everyone
must see bumps the live session's version, which polling browsers compare with theirs. Writing
a card or giving a dot changes nothing the others see until the reveal or the discussion, so
it bumps nothing: the poll never tells that someone is writing or voting right now.

"Was it safe to speak today?" is answered in the close like the safety pulse: a mark that the
person answered and, apart from it, the answer with no person and no time; everyone sees the
answers only as a release taken each time another full group (reflections.pulse.pulse_threshold)
has answered. An answer bumps no version, so the poll says nothing about when anyone answered.

In the discussion the facilitator starts a timer per topic (its deadline held here, like the
phase's) and writes the topic's next step, which they can turn into a team goal or a thought in
the team feed through teams.direction_services.team_goal_create and
reflections.services.thought_post, which name those rows' cache scopes.

No cached page shows the live rows (learning_lead/fragment_scopes.py), so no scope is named
for them.
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from reflections.models import (
    LiveCard,
    LiveGroup,
    LiveSafetyAnswered,
    LiveSafetyValue,
    LiveSession,
    LiveVote,
    Prompt,
    Session,
    Thought,
)
from reflections.models.live import DEFAULT_VOTE_BUDGET, NextStepMade
from reflections.pulse import pulse_threshold
from reflections.services import thought_post
from teams.direction_services import team_goal_create
from teams.models import Membership, User

Phase = LiveSession.Phase
PHASES = list(Phase)
PHASE_MINUTES = {
    Phase.CHECK_IN: 5,
    Phase.REFLECT: 7,
    Phase.GROUP: 5,
    Phase.VOTE: 3,
    Phase.DISCUSS: 15,
    Phase.CLOSE: 5,
}
MAX_EXTEND_MINUTES = 15
MIN_VOTE_BUDGET, MAX_VOTE_BUDGET = 1, 10
VOTE_BUDGET_PHASES = (Phase.CHECK_IN, Phase.REFLECT, Phase.GROUP)  # before the vote


class LiveError(Exception):
    """A step the session's state does not allow now; its message is for the user."""


def _is_team_member(team_id: int, user: User) -> bool:
    return Membership.objects.filter(team_id=team_id, user=user).exists()


def _locked(live: LiveSession) -> LiveSession:
    return LiveSession.objects.select_for_update().get(pk=live.pk)


def _require_facilitator(live: LiveSession, user: User) -> None:
    if live.facilitator_id != user.pk:
        raise PermissionDenied


def _bump(live: LiveSession, **fields) -> LiveSession:
    LiveSession.objects.filter(pk=live.pk).update(version=F("version") + 1, **fields)
    live.refresh_from_db()
    return live


def _deadline(phase: str):
    return timezone.now() + timedelta(minutes=PHASE_MINUTES[phase])


def _check_vote_budget(budget: int) -> None:
    if not MIN_VOTE_BUDGET <= budget <= MAX_VOTE_BUDGET:
        raise LiveError(_("Give each person from 1 to 10 votes."))


@transaction.atomic
def live_start(
    *, session: Session, user: User, vote_budget: int = DEFAULT_VOTE_BUDGET
) -> LiveSession:
    """A supervisor of the team opens the live session and facilitates it, with the votes each
    person will have (1 to 10); the first phase, check-in, starts with its timer. Starting again
    keeps the running session as it is, except that a supervisor takes over when the
    facilitator has left (their account deleted)."""
    _check_vote_budget(vote_budget)
    if not Membership.objects.filter(
        team_id=session.team_id, user=user, role=Membership.Role.SUPERVISOR
    ).exists():
        raise PermissionDenied
    if session.status == Session.Status.SKIPPED:
        raise LiveError(_("A skipped session cannot be run."))
    live, _created = LiveSession.objects.get_or_create(
        session=session,
        defaults={
            "facilitator": user,
            "phase_ends_at": _deadline(Phase.CHECK_IN),
            "vote_budget": vote_budget,
        },
    )
    if live.facilitator_id is None:
        live = _bump(_locked(live), facilitator=user)
    return live


@transaction.atomic
def live_next_phase(*, live: LiveSession, user: User) -> LiveSession:
    """The facilitator moves everyone to the next phase, whose timer starts now."""
    live = _locked(live)
    _require_facilitator(live, user)
    position = PHASES.index(live.phase)
    if position == len(PHASES) - 1:
        raise LiveError(_("The session is already closing."))
    phase = PHASES[position + 1]
    fields = {"phase": phase, "phase_ends_at": _deadline(phase)}
    if phase in (Phase.GROUP, Phase.VOTE, Phase.DISCUSS):
        fields["revealed"] = True  # what was written is shared before it is grouped
    return _bump(live, **fields)


@transaction.atomic
def live_extend(*, live: LiveSession, user: User, minutes: int = 2) -> LiveSession:
    """The facilitator gives the current phase more time (from now, if time was up)."""
    if not 1 <= minutes <= MAX_EXTEND_MINUTES:
        raise LiveError(_("Extend by 1 to 15 minutes."))
    live = _locked(live)
    _require_facilitator(live, user)
    start = max(live.phase_ends_at or timezone.now(), timezone.now())
    return _bump(live, phase_ends_at=start + timedelta(minutes=minutes))


@transaction.atomic
def live_set_vote_budget(*, live: LiveSession, user: User, budget: int) -> LiveSession:
    """The facilitator sets how many votes each person has, until the vote phase starts (then
    everyone votes with the same budget)."""
    _check_vote_budget(budget)
    live = _locked(live)
    _require_facilitator(live, user)
    if live.phase not in VOTE_BUDGET_PHASES:
        raise LiveError(_("The votes per person are set before the vote phase starts."))
    if live.vote_budget == budget:
        return live
    return _bump(live, vote_budget=budget)


@transaction.atomic
def live_reveal(*, live: LiveSession, user: User) -> LiveSession:
    """The facilitator shows everyone's cards at once."""
    live = _locked(live)
    _require_facilitator(live, user)
    if live.revealed:
        return live
    if live.phase == Phase.CHECK_IN:
        raise LiveError(_("Cards are revealed after the reflect phase has started."))
    return _bump(live, revealed=True)


@transaction.atomic
def live_hand_over(*, live: LiveSession, user: User, to: User) -> LiveSession:
    """The facilitator hands facilitation to another member of the team."""
    live = _locked(live)
    _require_facilitator(live, user)
    if not _is_team_member(live.session.team_id, to):
        raise LiveError(_("Hand over to a member of the team."))
    if to.pk == user.pk:
        return live
    return _bump(live, facilitator=to)


@transaction.atomic
def live_card_write(
    *, live: LiveSession, user: User, body: str, prompt: Prompt | None, named: bool
) -> LiveCard:
    """A member writes a card in the reflect phase, hidden until the reveal. An anonymous card
    stores no writer, so nobody (not the writer either) can pick it out afterwards."""
    live = LiveSession.objects.select_for_update().select_related("session").get(pk=live.pk)
    if not _is_team_member(live.session.team_id, user):
        raise PermissionDenied
    if live.phase != Phase.REFLECT or live.revealed:
        raise LiveError(_("Cards are written in the reflect phase, before the reveal."))
    if prompt is not None and prompt.session_id != live.session_id:
        raise LiveError(_("Choose one of this session's prompts."))
    return LiveCard.objects.create(
        live=live, prompt=prompt, body=body, author=user if named else None
    )


def _topic(live: LiveSession, card: LiveCard | None, group: LiveGroup | None) -> dict:
    """The topic a dot goes to (reflections.models.live): a card in no group, or a group that
    holds a card."""
    if (card is None) == (group is None):
        raise ValueError("A dot goes to one card or one group.")
    if card is not None:
        if card.live_id != live.pk:
            raise LiveError(_("Votes are given in the vote phase."))
        if card.group_id is not None:
            raise LiveError(_("This card is in a group: vote for the group."))
        return {"card": card}
    if group.live_id != live.pk or not group.cards.exists():
        raise LiveError(_("Vote for a group that holds cards."))
    return {"group": group}


@transaction.atomic
def live_vote(
    *,
    live: LiveSession,
    user: User,
    card: LiveCard | None = None,
    group: LiveGroup | None = None,
) -> None:
    """A member gives a dot to a topic (a card in no group, or a group) in the vote phase,
    within their budget."""
    live = _locked(live)
    if not _is_team_member(live.session.team_id, user):
        raise PermissionDenied
    if live.phase != Phase.VOTE:
        raise LiveError(_("Votes are given in the vote phase."))
    topic = _topic(live, card, group)
    used = LiveVote.objects.filter(Q(card__live=live) | Q(group__live=live), user=user).count()
    if used >= live.vote_budget:
        raise LiveError(_("You have used all your votes."))
    try:
        with transaction.atomic():
            LiveVote.objects.create(user=user, **topic)
    except IntegrityError:
        raise LiveError(_("You have already voted for this.")) from None


@transaction.atomic
def live_vote_withdraw(
    *,
    live: LiveSession,
    user: User,
    card: LiveCard | None = None,
    group: LiveGroup | None = None,
) -> None:
    """A member takes a dot back in the vote phase; nothing is left of it."""
    live = _locked(live)
    if live.phase != Phase.VOTE:
        raise LiveError(_("Votes are given in the vote phase."))
    if card is not None:
        LiveVote.objects.filter(card=card, card__live=live, user=user).delete()
    else:
        LiveVote.objects.filter(group=group, group__live=live, user=user).delete()


# Grouping: only the facilitator, and cards move only in the group phase (before any dot).


def _require_grouping(live: LiveSession, user: User, phases=(Phase.GROUP,)) -> None:
    _require_facilitator(live, user)
    if live.phase not in phases:
        raise LiveError(_("Cards are grouped in the group phase."))


@transaction.atomic
def live_group_create(*, live: LiveSession, user: User, name: str) -> LiveGroup:
    """The facilitator makes a named group for similar cards."""
    live = _locked(live)
    _require_grouping(live, user)
    group = LiveGroup.objects.create(live=live, name=name)
    _bump(live)
    return group


@transaction.atomic
def live_group_rename(*, live: LiveSession, user: User, group: LiveGroup, name: str) -> None:
    """The facilitator renames a group, also while voting or discussing."""
    live = _locked(live)
    _require_grouping(live, user, (Phase.GROUP, Phase.VOTE, Phase.DISCUSS))
    if group.live_id != live.pk:
        raise LiveError(_("Choose one of this session's groups."))
    LiveGroup.objects.filter(pk=group.pk).update(name=name)
    _bump(live)


@transaction.atomic
def live_card_move(
    *, live: LiveSession, user: User, card: LiveCard, group: LiveGroup | None
) -> None:
    """The facilitator puts a card into a group, or takes it out of its group (None)."""
    live = _locked(live)
    _require_grouping(live, user)
    if card.live_id != live.pk or (group is not None and group.live_id != live.pk):
        raise LiveError(_("Choose one of this session's groups."))
    LiveCard.objects.filter(pk=card.pk).update(group=group)
    _bump(live)


@transaction.atomic
def live_safety_answer(*, live: LiveSession, user: User, answer: str) -> None:
    """A member answers "was it safe to speak today?" once, in the close. The mark and the
    answer share nothing; each time another full group has answered, the counts are taken
    for everyone to see (between two releases they do not move, so no single answer can be
    read off as a difference). Bumps no version and names no cache scope."""
    if answer not in LiveSafetyValue.Answer.values:
        raise LiveError(_("Choose yes, partly or no."))
    live = (
        LiveSession.objects.select_for_update(of=("self",))
        .select_related("session__team__organization")
        .get(pk=live.pk)
    )
    if not _is_team_member(live.session.team_id, user):
        raise PermissionDenied
    if live.phase != Phase.CLOSE:
        raise LiveError(_("This is asked when the session closes."))
    try:
        with transaction.atomic():
            LiveSafetyAnswered.objects.create(live=live, user=user)
    except IntegrityError:
        raise LiveError(_("You have already answered.")) from None
    LiveSafetyValue.objects.create(live=live, value=answer)
    answered = LiveSafetyAnswered.objects.filter(live=live).count()
    if answered % pulse_threshold(live.session):
        return
    counts = dict(
        LiveSafetyValue.objects.filter(live=live)
        .values_list("value")
        .annotate(n=Count("id"))
        .order_by()
    )
    release = {"answered": answered, "counts": counts}
    LiveSession.objects.filter(pk=live.pk).update(safety_release=release)


# The discussion: a timer per topic and the topic's next step.

TOPIC_MINUTES = 5


def _require_discussion(live: LiveSession, user: User) -> None:
    _require_facilitator(live, user)
    if live.phase != Phase.DISCUSS:
        raise LiveError(_("This is done in the discuss phase."))


@transaction.atomic
def live_topic_start(
    *,
    live: LiveSession,
    user: User,
    card: LiveCard | None = None,
    group: LiveGroup | None = None,
    minutes: int = TOPIC_MINUTES,
) -> LiveSession:
    """The facilitator starts discussing a topic, with its own timer held on the server (a
    late joiner sees the same clock); starting it again restarts its time."""
    if not 1 <= minutes <= MAX_EXTEND_MINUTES:
        raise LiveError(_("Give the topic 1 to 15 minutes."))
    live = _locked(live)
    _require_discussion(live, user)
    topic = _topic(live, card, group)
    return _bump(
        live,
        topic_card=topic.get("card"),
        topic_group=topic.get("group"),
        topic_ends_at=timezone.now() + timedelta(minutes=minutes),
    )


def _topic_row(live, card, group):
    topic = _topic(live, card, group)
    return topic.get("card") or topic["group"]


@transaction.atomic
def live_next_step_save(
    *,
    live: LiveSession,
    user: User,
    text: str,
    card: LiveCard | None = None,
    group: LiveGroup | None = None,
) -> None:
    """The facilitator writes (or clears) a topic's next step, shown to everyone. One already
    turned into a goal or a thought stays as it was made."""
    live = _locked(live)
    _require_discussion(live, user)
    row = _topic_row(live, card, group)
    row.refresh_from_db(fields=["next_step_made"])
    if row.next_step_made:
        raise LiveError(_("This next step has already been taken forward."))
    type(row).objects.filter(pk=row.pk).update(next_step=text)
    _bump(live)


@transaction.atomic
def live_next_step_make(
    *,
    live: LiveSession,
    user: User,
    into: str,
    card: LiveCard | None = None,
    group: LiveGroup | None = None,
):
    """The facilitator turns a topic's next step into a team goal (a supervisor's starts
    active, a member's is a proposal, as team_goal_create decides) or a thought in the team
    feed, once. Returns the goal or the thought."""
    live = (
        LiveSession.objects.select_for_update(of=("self",))
        .select_related("session__team")
        .get(pk=live.pk)
    )
    _require_discussion(live, user)
    row = _topic_row(live, card, group)
    row.refresh_from_db(fields=["next_step", "next_step_made"])
    if not row.next_step:
        raise LiveError(_("Write the next step first."))
    if row.next_step_made:
        raise LiveError(_("This next step has already been taken forward."))
    session = live.session
    if into == NextStepMade.GOAL:
        made = team_goal_create(
            team=session.team,
            author=user,
            title=row.next_step,
            why=_("A next step from the reflection session “%(title)s”.")
            % {"title": session.title},
            themes=[],
        )
    elif into == NextStepMade.THOUGHT:
        made = thought_post(
            author=user,
            team=session.team,
            kind=Thought.Kind.INSIGHT,
            body=row.next_step,
            session=session,
        )
    else:
        raise ValueError("A next step becomes a goal or a thought.")
    type(row).objects.filter(pk=row.pk).update(next_step_made=into)
    _bump(live)
    return made
