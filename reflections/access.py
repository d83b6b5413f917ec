"""Who may see and change the reflections app's rows: sessions, rhythms, prompt templates,
thoughts, questions and what supervisors forward to HR.

Built on teams/access.py (which teams a person is in or leads). Objects outside the user's
reach raise Http404, so their existence is not revealed; pages of a role the user does not hold
raise PermissionDenied (403).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.http import Http404

from learning_lead import compiled
from reflections.models import (
    CalendarFeed,
    ForwardedItem,
    LiveCard,
    LiveGroup,
    LiveSession,
    PromptTemplate,
    Question,
    Rhythm,
    Session,
    Thought,
)
from teams import access
from teams.models import Membership, User

# Rhythms and sessions belong to a team; members see them, supervisors run them.


def sessions_for(user: User):
    return Session.objects.filter(team__in=access.teams_for(user))


def _session_with_membership(*, manage: bool) -> compiled.Compiled:
    """One join through the user's membership of the session's team (its role says whether
    they lead it); the team agreement card opens every session page: it comes along, and so
    does the live session's state (with its facilitator), which the poll compares."""

    def build(pk: int, organization_id: int, user_id: int):
        memberships = {"team__memberships__user_id": user_id}
        if manage:
            memberships["team__memberships__role"] = Membership.Role.SUPERVISOR
        return (
            Session.objects.filter(pk=pk, team__organization_id=organization_id, **memberships)
            .select_related(
                "team",
                "team__organization",
                "team__agreement",
                "live",
                "live__facilitator",
            )
            .annotate(viewer_role=F("team__memberships__role"))
            .order_by("pk")[:1]
        )

    return compiled.Compiled(build)


# Every session page and live poll asks: compiled once per process (learning_lead/compiled.py).
_SESSION_FOR = {manage: _session_with_membership(manage=manage) for manage in (False, True)}


def get_session_for(user: User, pk: int, *, manage: bool = False):
    """A session of one of the user's teams (led by the user, with manage=True); 404 otherwise."""
    if not user.is_authenticated or user.organization_id is None:
        raise Http404
    found = _SESSION_FOR[manage](pk=pk, organization_id=user.organization_id, user_id=user.pk)
    if not found:
        raise Http404
    session = found[0]
    access.remember_leads(user, session.team, session.viewer_role == Membership.Role.SUPERVISOR)
    return session


def get_live_for(user: User, pk: int) -> LiveSession:
    """The live state of a session of one of the user's teams; 404 otherwise (and before the
    session has been started live)."""
    session = get_session_for(user, pk)
    live = LiveSession.objects.filter(session=session).select_related("session__team").first()
    if live is None:
        raise Http404
    return live


def get_live_card_for(live: LiveSession, card_pk) -> LiveCard:
    """A revealed card of this live session; 404 otherwise."""
    card = LiveCard.objects.filter(live=live, pk=card_pk).first() if live.revealed else None
    if card is None:
        raise Http404
    return card


def get_live_group_for(live: LiveSession, group_pk) -> LiveGroup:
    """A card group of this live session; 404 otherwise (also for what is no id)."""
    try:
        group = LiveGroup.objects.filter(live=live, pk=group_pk).first()
    except ValidationError:
        group = None
    if group is None:
        raise Http404
    return group


def get_live_topic_for(live: LiveSession, topic_pk) -> dict:
    """A revealed card or a card group of this live session, by its random id, as the keyword
    the live services take ({"card": card} or {"group": group}); 404 otherwise."""
    card = LiveCard.objects.filter(live=live, pk=topic_pk).first() if live.revealed else None
    if card is not None:
        return {"card": card}
    return {"group": get_live_group_for(live, topic_pk)}


def get_rhythm_for(user: User, pk: int):
    """A rhythm of a team the user leads; 404 otherwise."""
    rhythm = Rhythm.objects.filter(team__in=access.teams_led_by(user), pk=pk).select_related("team")
    rhythm = rhythm.first()
    if rhythm is None:
        raise Http404
    return rhythm


def get_prompt_template_for(user: User, pk: int):
    """A prompt template of the user's organisation, for its planners; 404 otherwise."""
    access.require_planner(user)
    template = PromptTemplate.objects.filter(organization_id=user.organization_id, pk=pk).first()
    if template is None:
        raise Http404
    return template


def get_calendar_feed(token: str) -> CalendarFeed:
    """The calendar feed the secret token names, of an active account; 404 otherwise. The
    token in the URL is the only credential calendar apps send."""
    found = CalendarFeed.objects.select_related("user", "team").filter(token=token).first()
    if found is None or not found.user.is_active:
        raise Http404
    return found


# Place and atmosphere: members see their teams' thoughts and questions; supervisors moderate.
# HR and admins see nothing individual here: they are not members of the team.


def thoughts_for(user: User):
    return Thought.objects.filter(team__in=access.teams_for(user))


def get_thought_for(user: User, pk: int, *, own: bool = False):
    """A thought of one of the user's teams (written by the user, with own=True); 404 otherwise."""
    thoughts = thoughts_for(user)
    if own:
        thoughts = thoughts.filter(author=user)
    thought = thoughts.select_related("team", "session").filter(pk=pk).first()
    if thought is None:
        raise Http404
    return thought


def get_question_for(user: User, pk, *, moderate: bool = False):
    """A question of one of the user's teams (of a team the user leads, with moderate=True);
    404 otherwise."""
    teams = access.teams_led_by(user) if moderate else access.teams_for(user)
    question = (
        Question.objects.filter(team__in=teams, pk=pk).select_related("team", "session").first()
    )
    if question is None:
        raise Http404
    return question


def get_own_question_for(user: User, pk):
    """A question the user asked with their name, in one of their teams; 404 otherwise (an
    anonymous question has no owner, so it is never found here)."""
    question = Question.objects.filter(team__in=access.teams_for(user), author=user, pk=pk).first()
    if question is None:
        raise Http404
    return question


# The bridge to leadership: HR of the organisation reads and answers what supervisors forward.


def forwarded_items_for(user: User):
    """Everything forwarded to HR in the user's organisation; HR only (403 for others)."""
    if not access.is_hr(user):
        raise PermissionDenied
    return ForwardedItem.objects.filter(team__organization_id=user.organization_id)


def get_forwarded_item_for(user: User, pk):
    """A forwarded item of the user's organisation, for its HR; 404 otherwise."""
    item = forwarded_items_for(user).select_related("team").filter(pk=pk).first()
    if item is None:
        raise Http404
    return item
