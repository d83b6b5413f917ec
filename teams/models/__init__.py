"""Models of the teams app: who belongs where (people.py) and why (direction.py, when added)."""

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
    "DEFAULT_TIME_ZONE",
    "TIME_ZONE_CHOICES",
    "Invitation",
    "Membership",
    "Organization",
    "OrgRole",
    "Team",
    "User",
]
