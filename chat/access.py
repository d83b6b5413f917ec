"""Who may manage a team's chat channels: the team's supervisors (teams.access decides who
leads a team)."""

from django.http import Http404

from chat.models import ChatDestination
from teams import access
from teams.models import User


def get_destination_for(user: User, pk: int) -> ChatDestination:
    """A channel of a team the user leads; 404 otherwise."""
    destination = (
        ChatDestination.objects.select_related("team")
        .filter(pk=pk, team__in=access.teams_led_by(user))
        .first()
    )
    if destination is None:
        raise Http404
    return destination
