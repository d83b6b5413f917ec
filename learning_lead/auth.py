"""The authentication backend: Django's model backend, except that the signed-in person is
loaded with what every page's layout shows about them (organisation roles, whether they lead a
team, the unread notification count) in the one query that loads the user anyway."""

import functools

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from notifications.selectors import with_unread_count
from teams.access import with_roles

_ANY_ID = -424242  # stands for the user id in the SQL built once below


@functools.cache
def _user_query() -> tuple[str, tuple]:
    """The SQL of the annotated user query, compiled once per process: compiling its four
    subqueries took several times longer than running it, on every request."""
    users = with_unread_count(with_roles(get_user_model()._default_manager.all()))
    return users.filter(pk=_ANY_ID).query.sql_with_params()


class RequestUserBackend(ModelBackend):
    def get_user(self, user_id):
        sql, params = _user_query()
        params = [int(user_id) if param == _ANY_ID else param for param in params]
        user = next(iter(get_user_model()._default_manager.raw(sql, params)), None)
        return user if user is not None and self.user_can_authenticate(user) else None
