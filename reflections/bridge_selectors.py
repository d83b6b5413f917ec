"""Reads for the bridge to leadership: questions a supervisor can forward, the themes to tag
them with, and HR's queue with everything its page shows already joined."""

from django.db.models import Case, Count, Prefetch, Q, QuerySet, Value, When

from reflections.models import ForwardedItem, Question
from reflections.services import team_today
from teams.models import StrategyTheme, Team

QUEUE_LIMIT = 200


def forwardable_questions(team: Team) -> QuerySet[Question]:
    """The team's visible questions not yet forwarded, in the team list's order (never by
    creation)."""
    return (
        Question.objects.filter(team=team, is_hidden=False, forwards__isnull=True)
        .select_related("author")
        .annotate(
            open_first=Case(When(status=Question.Status.OPEN, then=Value(0)), default=Value(1))
        )
        .order_by("open_first", "-asked_on", "id")
    )


def themes_to_tag(team: Team) -> QuerySet[StrategyTheme]:
    """The organisation's strategy themes current on the team's today."""
    today = team_today(team)
    return StrategyTheme.objects.filter(organization_id=team.organization_id).filter(
        Q(starts_on__isnull=True) | Q(starts_on__lte=today),
        Q(ends_on__isnull=True) | Q(ends_on__gte=today),
    )


def queue(
    items: QuerySet[ForwardedItem],
    *,
    theme_id: int | None = None,
    team_id: int | None = None,
    waiting_only: bool = False,
) -> list[ForwardedItem]:
    """HR's queue: grouped by theme (in the theme list's order), waiting items first, newest
    day first. Questions come with their upvote counts; their authors are joined only so the
    template can show a name the asker agreed to send up (Question.name_for_leadership)."""
    if theme_id:
        items = items.filter(theme_id=theme_id)
    if team_id:
        items = items.filter(team_id=team_id)
    if waiting_only:
        items = items.filter(answer="")
    # A question the supervisor hid after forwarding it is hidden from HR too.
    questions = (
        Question.objects.filter(is_hidden=False)
        .select_related("author")
        .annotate(vote_count=Count("votes", distinct=True))
        .order_by("-asked_on", "id")
    )
    return list(
        items.select_related("team", "theme", "forwarded_by")
        .prefetch_related(Prefetch("questions", queryset=questions))
        .annotate(waiting=Case(When(answer="", then=Value(0)), default=Value(1)))
        .order_by("theme__order", "theme__title", "theme_id", "waiting", "-forwarded_on", "id")[
            :QUEUE_LIMIT
        ]
    )


def queue_filters(organization_id: int) -> dict:
    return {
        "themes": list(StrategyTheme.objects.filter(organization_id=organization_id)),
        "teams": list(Team.objects.filter(organization_id=organization_id).order_by("name")),
    }
