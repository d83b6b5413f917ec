"""Input PostgreSQL cannot hold gets a clear 400 or 404 before it reaches a query."""

from django.urls import reverse

from reflections import services


def test_a_calendar_token_with_a_nul_byte_is_not_found(client, settings, team_a, member):
    settings.DEBUG = False
    token = services.feed_for_user(user=member).token
    response = client.get(f"/calendar/{token}%00.ics")
    assert response.status_code == 404


def test_a_nul_byte_in_the_query_string_is_a_bad_request(client, member):
    client.force_login(member)
    response = client.get(reverse("reflections:calendar"), {"next": "a\x00b"})
    assert response.status_code == 400


def test_a_nul_byte_in_a_cookie_is_a_bad_request(client, member):
    client.cookies["sessionid"] = "abcdefgh\x00"
    response = client.get(reverse("home"))
    assert response.status_code == 400


def test_an_id_beyond_bigint_is_not_found(client, member, team_a):
    client.force_login(member)
    response = client.get(f"/teams/{2**63}/")
    assert response.status_code == 404
    # The same page with the real id answers, so the 404 is about the number alone.
    assert client.get(f"/teams/{team_a.pk}/").status_code == 200
