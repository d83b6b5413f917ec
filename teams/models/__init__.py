"""Models of the teams app: who belongs where (people.py) and why they learn (direction.py)."""

from teams.models.direction import CheckIn, GoalStatus, PersonalGoal, StrategyTheme, TeamGoal
from teams.models.people import (
    DEFAULT_TIME_ZONE,
    TIME_ZONE_CHOICES,
    Invitation,
    Membership,
    Organization,
    OrgRole,
    Team,
    User,
)

__all__ = [
    "CheckIn",
    "GoalStatus",
    "PersonalGoal",
    "StrategyTheme",
    "TeamGoal",
    "DEFAULT_TIME_ZONE",
    "TIME_ZONE_CHOICES",
    "Invitation",
    "Membership",
    "Organization",
    "OrgRole",
    "Team",
    "User",
]
