"""Response headers that Django's own middleware does not set: no caching of what a signed-in
person sees, and a Permissions-Policy that turns off browser features the product never uses."""

from django.conf import settings


class PrivacyHeadersMiddleware:
    """Every response gets the Permissions-Policy; a response to a signed-in person also gets
    `Cache-Control: private, no-store`, so neither a shared proxy nor the browser's history
    keeps a copy of their pages (a back button on a shared computer shows nothing).

    Responses served before authentication (static files from WhiteNoise) and responses to
    visitors who are not signed in (the token-authenticated calendar feeds, which calendar
    apps fetch without cookies) keep their own caching headers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response.headers["Cache-Control"] = "private, no-store"
        return response
