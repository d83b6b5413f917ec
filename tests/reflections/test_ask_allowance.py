"""Each browser's share of the team's anonymous questions a day: one member cannot use up the
team's limit, and the count links no person to a question."""

from datetime import timedelta

from django.contrib.sessions.models import Session as BrowserSession
from django.urls import reverse

from reflections import ask_allowance, services
from reflections.models import Question
from tests.reflections.test_anonymity import cache_contents, snapshot, traces

LIMIT = ask_allowance.PER_BROWSER_PER_DAY


def ask(client, team, body, identity="anonymous"):
    url = reverse("reflections:question_ask", args=[team.pk])
    return client.post(url, {"body": body, "identity": identity})


def test_one_member_cannot_use_up_the_teams_daily_limit(client, member, supervisor, team_a):
    assert LIMIT < services.ANONYMOUS_QUESTIONS_PER_TEAM_PER_DAY
    client.force_login(member)
    for number in range(LIMIT):
        assert ask(client, team_a, f"Question {number}").status_code == 302
    refused = ask(client, team_a, "One too many")
    body = refused.content.decode()
    assert refused.status_code == 200
    assert f"You can ask {LIMIT} anonymous questions a day in a team" in body
    assert "One too many</textarea>" in body  # the text is kept for asking with a name
    assert Question.objects.count() == LIMIT

    assert ask(client, team_a, "With my name", identity="named").status_code == 302
    other_browser = client.__class__()
    other_browser.force_login(supervisor)
    assert ask(other_browser, team_a, "Mine, anonymously").status_code == 302
    assert Question.objects.filter(author__isnull=True).count() == LIMIT + 1


def test_the_share_is_per_team_and_starts_again_on_the_teams_next_day(
    client, member, team_a, team_b, monkeypatch
):
    from teams import services as team_services

    team_services.membership_set(team=team_b, user=member, role="member")
    client.force_login(member)
    for number in range(LIMIT):
        ask(client, team_a, f"Question {number}")
    assert ask(client, team_a, "Refused today").status_code == 200
    assert ask(client, team_b, "Another team").status_code == 302

    tomorrow = services.team_today(team_a) + timedelta(days=1)
    monkeypatch.setattr(ask_allowance, "team_today", lambda team: tomorrow)
    monkeypatch.setattr(services, "team_today", lambda team: tomorrow)
    assert ask(client, team_a, "A new day").status_code == 302


def test_the_count_stores_nothing_that_links_a_person_to_a_question(client, member, team_a):
    client.force_login(member)
    client.get(reverse("reflections:team_questions", args=[team_a.pk]))
    session_before = dict(client.session)
    rows_before = snapshot()
    cache_before = set(cache_contents())

    ask(client, team_a, "Is it only me?")

    question = Question.objects.get()
    new_rows = {table: rows - rows_before.get(table, set()) for table, rows in snapshot().items()}
    assert [table for table, rows in new_rows.items() if rows] == ["reflections_question"]
    assert dict(client.session) == session_before
    for entry in set(cache_contents()) - cache_before:
        assert traces(entry, member) == [], entry
    cookie = client.cookies[ask_allowance.COOKIE_NAME]
    value = cookie.value.split(":")
    assert value[:3] == [str(team_a.pk), question.asked_on.isoformat(), "1"]
    assert question.pk.hex not in cookie.value and str(question.pk) not in cookie.value
    assert traces(cookie.value, member) == []
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    for stored in BrowserSession.objects.all():
        assert str(question.pk) not in repr(stored.get_decoded())


def test_a_count_made_for_another_person_or_forged_does_not_count(
    client, member, supervisor, team_a
):
    client.force_login(member)
    for number in range(LIMIT):
        ask(client, team_a, f"Question {number}")
    used_up = client.cookies[ask_allowance.COOKIE_NAME].value

    other_browser = client.__class__()
    other_browser.force_login(supervisor)
    other_browser.cookies[ask_allowance.COOKIE_NAME] = used_up
    assert ask(other_browser, team_a, "Signed for someone else").status_code == 302

    client.cookies[ask_allowance.COOKIE_NAME] = f"{team_a.pk}:2000-01-01:0"  # unsigned
    assert ask(client, team_a, "Forged count").status_code == 302
