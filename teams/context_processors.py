"""What the base layout needs to draw navigation by role."""

from django.conf import settings

from teams import access


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": {}, "signup_enabled": settings.SIGNUP_ENABLED}
    return {
        "nav": {
            "is_admin": access.is_admin(user),
            "is_hr": access.is_hr(user),
            "can_invite": access.can_invite(user),
            "can_manage_themes": access.can_manage_themes(user),
            "leads_a_team": access.leads_a_team(user),
        }
    }
