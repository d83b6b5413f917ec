"""The signed-in person is loaded by SQL compiled once (learning_lead/auth.py; the ORM per
request costs several times the CPU: bench/auth_user_query.py). It must load exactly what the
ORM queryset it was compiled from loads, for whoever it is, and nobody else."""

from django.contrib.auth import get_user_model

from learning_lead.auth import RequestUserBackend
from notifications.models import Notification
from notifications.selectors import with_unread_count
from teams.access import with_roles

LOADED = [
    "pk",
    "username",
    "organization_id",
    "is_active",
    "leads_a_team",
    "unread_notifications",
    "holds_hr_role",
    "holds_admin_role",
]


def by_orm(user_id):
    users = with_unread_count(with_roles(get_user_model()._default_manager.all()))
    return users.get(pk=user_id)


def test_each_person_is_loaded_as_the_orm_loads_them(personas, member, team_a):
    Notification.objects.create(user=member, kind="forward", team=team_a)
    Notification.objects.create(user=member, kind="forward", team=team_a)
    backend = RequestUserBackend()
    for user in personas.values():
        if user is None:
            continue
        loaded, expected = backend.get_user(user.pk), by_orm(user.pk)
        assert [getattr(loaded, name) for name in LOADED] == [
            getattr(expected, name) for name in LOADED
        ]
    assert backend.get_user(member.pk).unread_notifications == 2
    assert backend.get_user(personas["hr"].pk).holds_hr_role
    assert backend.get_user(personas["supervisor"].pk).leads_a_team
    assert not backend.get_user(member.pk).leads_a_team


def test_nobody_else_is_loaded(member):
    backend = RequestUserBackend()
    assert backend.get_user(member.pk + 10_000) is None
    assert backend.get_user(str(member.pk)).pk == member.pk  # the session stores a string
    member.is_active = False
    member.save()
    assert backend.get_user(member.pk) is None
