"""Security headers on responses, in production settings."""

from django.test import override_settings
from django.urls import reverse

from reflections import services as reflections


@override_settings(SECURE_HSTS_SECONDS=31536000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True)
def test_https_responses_carry_hsts(client, db):
    response = client.get(reverse("login"), secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_every_page_forbids_framing_and_inline_script(client, member):
    client.force_login(member)
    for name in ("home", "teams:list", "reflections:calendar", "notifications:inbox"):
        response = client.get(reverse(name))
        csp = response["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp
        assert "object-src 'none'" in csp
        assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
        assert response["X-Frame-Options"] == "DENY"
        assert response["Referrer-Policy"] == "same-origin"


def test_http_is_redirected_to_https_in_production(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get(reverse("login"))
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_signed_in_pages_are_never_stored_by_browsers_or_proxies(client, member, hr):
    pages = ((member, ("home", "teams:list", "privacy:my_data")), (hr, ("reports:csv",)))
    for user, names in pages:
        client.force_login(user)
        for name in names:
            response = client.get(reverse(name))
            assert response.status_code == 200, name
            assert response["Cache-Control"] == "private, no-store", name


def test_a_signed_in_htmx_partial_is_not_stored_either(client, member):
    client.force_login(member)
    response = client.get(reverse("notifications:inbox"), headers={"HX-Request": "true"})
    assert response["Cache-Control"] == "private, no-store"


def test_every_response_turns_off_camera_microphone_and_location(client, member):
    anonymous = client.get(reverse("login"))
    missing = client.get("/no-such-page/")
    client.force_login(member)
    signed_in = client.get(reverse("home"))
    for response in (anonymous, missing, signed_in):
        policy = response["Permissions-Policy"]
        for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
            assert feature in policy


def test_calendar_feeds_keep_their_own_short_private_cache(client, member):
    # Calendar apps fetch the feed without cookies; its short private cache is kept.
    feed = reflections.feed_for_user(user=member)
    response = client.get(reverse("reflections:feed", args=[feed.token]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, max-age=300"
