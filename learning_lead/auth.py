"""The authentication backend: Django's model backend, except that the signed-in person is
loaded with what every page's layout shows about them (organisation roles, whether they lead a
team, the unread notification count) in the one query that loads the user anyway."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from notifications.selectors import with_unread_count
from teams.access import with_roles


class RequestUserBackend(ModelBackend):
    def get_user(self, user_id):
        users = with_unread_count(with_roles(get_user_model()._default_manager.all()))
        user = users.filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
