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


ODD_DIGITS = ["²", "٣", "１", "9" * 30, "1-²", "²-1"]


def test_ids_in_query_strings_that_are_not_plain_digits_are_ignored(client, member, hr, team_a):
    from reflections import services as reflections

    reflections.question_ask(team=team_a, body="Plain")
    client.force_login(member)
    for value in ODD_DIGITS:
        for name in ("team_feed", "team_questions"):
            url = reverse(f"reflections:{name}", args=[team_a.pk])
            response = client.get(url, {"session": value, "after": value})
            assert response.status_code == 200, (name, value)
    assert "Plain" in response.content.decode()  # the filter is dropped, the list is shown
    client.force_login(hr)
    for value in ODD_DIGITS:
        queue = client.get(reverse("reflections:forwarded_queue"), {"theme": value, "team": value})
        assert queue.status_code == 200, value
        assert client.get(reverse("reports:report"), {"teams": value}).status_code < 500
