"""Coaching hints for a supervisor, drawn from the team's own recent data and the three basic
needs: autonomy (has each goal been made someone's own, with their own reason?), competence
(are shared goals stuck low?) and relatedness (do sessions gather the team?).

Each hint is one sentence and a link to a page where the supervisor can act. Hints count,
never name: a personal goal counts only if its owner shared it beyond "only me", and no hint
says whose goal it is. The callers pass data they already loaded (no queries here).
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from teams.models import PersonalGoal, Team, TeamGoal

# Progress (1-5) at or below this, not rising over the recent check-ins, is "stuck low".
LOW_PROGRESS = 2
STUCK_CHECKINS = 3  # how many of the newest check-ins are compared
# A held session that gathered less than this share of the team had low participation.
LOW_PARTICIPATION = 0.5


@dataclass(frozen=True)
class Hint:
    need: str  # "autonomy", "competence" or "relatedness"
    text: str
    link_text: str
    url: str


def is_stuck(goal: PersonalGoal) -> bool:
    """At least two recent check-ins, the newest low and no higher than the oldest of them.
    Reads goal.checkin_list (newest first), as prefetched by teams.selectors.recent_checkins."""
    recent = goal.checkin_list[:STUCK_CHECKINS]
    return (
        len(recent) >= 2
        and recent[0].progress <= LOW_PROGRESS
        and recent[0].progress <= recent[-1].progress
    )


def hints_for(
    *,
    team: Team,
    active_goals: list[TeamGoal],
    goals_without_shared: list[TeamGoal],
    shared_goals: Iterable[PersonalGoal],
    held_sessions: list[tuple[int, int]],
) -> list[Hint]:
    """The team's hints. `held_sessions` is (people who took part, team size) for each recently
    held session; `shared_goals` are the active personal goals the supervisor may see."""
    direction = reverse("reflections:team_direction", args=[team.pk])
    hints = []
    if not active_goals:
        hints.append(
            Hint(
                "autonomy",
                _(
                    "The team has no active learning goal yet: ask together what the work "
                    "demands that you cannot yet do well."
                ),
                _("Add a team goal"),
                reverse("teams:team_goal_create", args=[team.pk]),
            )
        )
    elif len(goals_without_shared) == 1:
        goal = goals_without_shared[0]
        hints.append(
            Hint(
                "autonomy",
                _(
                    "Nobody has yet shared a personal goal with their own reason on “%(title)s”: "
                    "ask at the next session what it would mean in each person's own work."
                )
                % {"title": goal.title},
                _("Open the learning direction"),
                f"{direction}#goal-{goal.pk}",
            )
        )
    elif goals_without_shared:
        hints.append(
            Hint(
                "autonomy",
                ngettext(
                    "%(count)d team goal has no shared personal goal with its owner's own "
                    "reason yet: ask at the next session what it would mean in each person's "
                    "own work.",
                    "%(count)d team goals have no shared personal goal with its owner's own "
                    "reason yet: ask at the next session what they would mean in each person's "
                    "own work.",
                    len(goals_without_shared),
                )
                % {"count": len(goals_without_shared)},
                _("Open the learning direction"),
                direction,
            )
        )
    stuck = sum(1 for goal in shared_goals if is_stuck(goal))
    if stuck:
        hints.append(
            Hint(
                "competence",
                ngettext(
                    "%(count)d shared personal goal has stayed low over its recent check-ins: "
                    "talk with its owner about whether the step fits where they are now.",
                    "%(count)d shared personal goals have stayed low over their recent "
                    "check-ins: talk with their owners about whether the steps fit where they "
                    "are now.",
                    stuck,
                )
                % {"count": stuck},
                _("Open the learning direction"),
                direction,
            )
        )
    low = sum(1 for came, size in held_sessions if size and came / size < LOW_PARTICIPATION)
    if low:
        if len(held_sessions) == 1:
            text = _(
                "The one session held in the last eight weeks gathered fewer than half of the "
                "team: ask what would make it easier to take part, or try another time."
            )
        else:
            text = _(
                "%(low)d of the %(held)d sessions held in the last eight weeks gathered fewer "
                "than half of the team: ask what would make it easier to take part, or try "
                "another time."
            ) % {"low": low, "held": len(held_sessions)}
        hints.append(
            Hint(
                "relatedness",
                text,
                _("See the team's sessions"),
                reverse("reflections:team_sessions", args=[team.pk]),
            )
        )
    return hints


def hints_for_direction(direction, *, held_sessions: list[tuple[int, int]]) -> list[Hint]:
    """The hints for a team's direction view, from what the view already loaded
    (reflections.direction.TeamDirection, which holds only goals the supervisor may see)."""
    activities = [item for group in direction.groups for item in group.goals]
    shared = [goal for item in activities for goal in item.shared_goals]
    return hints_for(
        team=direction.team,
        active_goals=[item.goal for item in activities],
        goals_without_shared=[item.goal for item in activities if not item.shared_goals],
        shared_goals=shared + direction.free_goals,
        held_sessions=held_sessions,
    )
