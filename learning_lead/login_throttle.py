"""Login throttling with django-axes: the few pieces of glue its settings point to.

Axes counts failed sign-ins per (username, client address) pair in the database, through
Django's authentication signals, so it covers every login form at once: /accounts/login/,
/admin/login/ and any later one that calls `authenticate(request, ...)`. A stranger guessing
from their own address locks only their own pair; the owner signs in from theirs. An admin
unlocks in the Django admin (Access attempts) or with `manage.py axes_reset_username NAME`.
See docs/security.md.
"""

import ipaddress

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


class LoginThrottleBackend(AxesStandaloneBackend):
    """Refuses every sign-in of a locked (username, address) pair, whatever the password.

    A call without a request (the test client's `login()`, a shell) cannot come from the
    network; axes would raise on it, so it is left to the next backend."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


# Axes stores the username in a 255-character column; the login forms do not enforce their
# max_length (Django sets it on the widget only), and no real username is this long.
USERNAME_KEY_LENGTH = 255


def username_key(request: HttpRequest, credentials: dict | None) -> str | None:
    """The username as counted: trimmed and lower-cased, so "Mia " and "mia" share a count."""
    source = credentials if credentials is not None else request.POST
    raw = source.get("username")
    return (raw or "").strip().lower()[:USERNAME_KEY_LENGTH] or None


def client_address(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, or with TRUSTED_PROXY_COUNT proxies in front, the address the farthest
    of them received the request from. X-Forwarded-For is whatever the client wrote except
    for the entries our own proxies appended, so only those are read."""
    address = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        hops = [hop.strip() for hop in forwarded if hop.strip()]
        if len(hops) >= proxies:
            address = hops[-proxies]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def lockout_response(request: HttpRequest, original_response=None, credentials=None):
    """The page shown instead of any login form's answer while the pair is locked."""
    seconds = int(settings.AXES_COOLOFF_TIME.total_seconds())
    context = {"minutes": max(1, seconds // 60)}
    response: HttpResponse = render(request, "registration/locked_out.html", context, status=429)
    response["Retry-After"] = str(seconds)
    return response
