"""Demo in-app notifications for `seed_demo`, so the inbox has something to show:
a reminder of each demo person's next session and a nudge after their last held one."""

from django.utils import timezone

from notifications.models import Notification
from reflections.models import Session
from teams.demo import DemoPeople


def seed_notifications(people: DemoPeople) -> None:
    now = timezone.now()
    for user in (people.supervisor, people.employee):
        mine = Session.objects.filter(team__memberships__user=user)
        upcoming = mine.filter(status=Session.Status.PLANNED, starts_at__gt=now).first()
        held = mine.filter(status=Session.Status.HELD, attendances__user=user).last()
        for kind, session in (("before", upcoming), ("nudge", held)):
            if session is not None:
                Notification.objects.get_or_create(user=user, kind=kind, session=session)
