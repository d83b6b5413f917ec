"""Every POST in the URLconf refuses a request without a CSRF token, htmx requests included.

The exceptions: the RFC 8058 one-click unsubscribe, which mail clients post without cookies
(its signed token is the proof, and it only ever turns e-mails off), and the SCIM API, which
identity providers call with a bearer token and never with a session: signed in through the
browser's cookies, it still answers 401."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD
from tests.test_access_matrix import ROUTES

CSRF_EXEMPT = {"notifications:unsubscribe"}
BEARER_ONLY = {"sso:scim_search", "sso:scim_search_all"}  # the SCIM API
POSTS = [route for route in ROUTES if route.method == "post"]


def test_every_post_route_is_probed():
    assert len(POSTS) >= 15


@pytest.mark.parametrize("route", POSTS, ids=lambda route: route.name)
@pytest.mark.parametrize("htmx", [False, True], ids=["form", "htmx"])
def test_post_without_csrf_token_is_refused(world, route, htmx):
    browser = Client(enforce_csrf_checks=True)
    user = world["supervisor"]
    assert browser.login(username=user.username, password=PASSWORD)
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = browser.post(
        reverse(route.name, kwargs=route.kwargs(world)), route.payload(world), **headers
    )
    assert response.status_code == (401 if route.name in BEARER_ONLY else 403)


def test_unsubscribe_is_the_documented_exception(world):
    route = next(r for r in ROUTES if r.name == "notifications:unsubscribe")
    assert route.name in CSRF_EXEMPT
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(reverse(route.name, kwargs=route.kwargs(world)))
    assert response.status_code == 200
