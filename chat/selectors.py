"""Reads for the chat channel pages."""

from django.db.models import QuerySet

from chat.models import ChatDestination
from teams.models import Team


def destinations_of(team: Team) -> QuerySet[ChatDestination]:
    return ChatDestination.objects.filter(team=team).order_by("name", "pk")
