"""Property: whatever is typed into any form, the answer is a page (with a clear message when
the input is bad), never a server error."""

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import PASSWORD
from tests.examples import examples

TEXT = st.one_of(
    st.text(max_size=400),
    st.sampled_from(
        [
            "",
            " ",
            "0",
            "-1",
            "99999999999",
            "2026-02-30",
            "25:61",
            "<b>x</b>",
            "FREQ=WEEKLY;BYDAY=XX",
            "FREQ=SECONDLY",
            "FREQ=DAILY;INTERVAL=-1",
            "FREQ=DAILY;INTERVAL=0",
            "FREQ=DAILY;COUNT=99999999999999999999",
            "1999-01-01",
            "9999-12-31",
            "9223372036854775808",
            "\x00",
            "a" * 5000,
        ]
    ),
)

# (persona, URL name, URL kwargs from the world, the form's field names)
FORMS = [
    ("admin", "teams:create", None, ["name", "description", "time_zone"]),
    ("admin", "teams:person_edit", "member", ["first_name", "last_name", "roles", "is_active"]),
    ("supervisor", "teams:member_add", "team_a", ["person", "role"]),
    ("supervisor", "teams:invitations", None, ["email", "team", "role"]),
    ("member", "teams:preferences", None, ["language", "time_zone"]),
    (
        "supervisor",
        "reflections:rhythm_create",
        "team_a",
        [
            "title",
            "frequency",
            "weekday",
            "week_of_month",
            "custom_rule",
            "start_date",
            "start_time",
            "time_zone",
            "duration_minutes",
            "location",
            "video_url",
            "prompt_keys",
        ],
    ),
    (
        "supervisor",
        "reflections:session_add",
        "team_a",
        ["title", "date", "time", "duration_minutes", "time_zone", "location", "video_url"],
    ),
    (
        "supervisor",
        "reflections:session_move",
        "session",
        ["date", "time", "duration_minutes", "time_zone", "location", "video_url"],
    ),
    ("supervisor", "reflections:prompt_add", "session", ["builtin_key", "template", "text"]),
    ("supervisor", "reflections:prompt_templates", None, ["text"]),
    (
        "member",
        "notifications:preferences",
        None,
        ["lead_minutes", "by_email", "in_app", "nudges", "muted_teams"],
    ),
    (
        "supervisor",
        "notifications:preferences",
        None,
        ["lead_minutes", "by_email", "in_app", "nudges", "lapse_alerts", "muted_teams"],
    ),
    ("hr", "teams:theme_create", None, ["title", "description", "starts_on", "ends_on", "order"]),
    ("supervisor", "teams:team_goal_create", "team_a", ["title", "why", "themes", "status"]),
    (
        "member",
        "teams:personal_goal_create",
        None,
        ["title", "reason", "team_goal", "challenge", "visibility"],
    ),
    ("member", "teams:checkin_create", "personal_goal", ["day", "progress", "note"]),
    ("member", "reflections:thought_post", "team_a", ["kind", "body", "session", "team_goal"]),
    ("member", "reflections:thought_reply", "thought", ["body"]),
    ("member", "reflections:agreement", "team_a", ["text"]),
    ("member", "reflections:thought_edit", "thought", ["kind", "body"]),
    (
        "member",
        "reflections:question_ask",
        "team_a",
        ["body", "identity", "session", "notify", "name_upward"],
    ),
    ("supervisor", "reflections:question_forward", "team_a", ["questions", "theme", "summary"]),
    ("member", "reflections:question_name_upward", "named_question", ["allowed", "next"]),
    ("hr", "reflections:forward_answer", "forwarded", ["body", "answered_as"]),
    ("member", "notifications:dismiss_answered", None, ["question"]),
    ("supervisor", "reflections:question_answer", "question", ["body"]),
    ("member", "reflections:question_report", "question", ["reason"]),
    ("supervisor", "reflections:question_hide", "question", ["reason"]),
    (
        "member",
        "reflections:pulse_answer",
        "session",
        ["dont_know", "mistakes", "ask", "safe_today"],
    ),
    ("supervisor", "reflections:live_start", "session", ["votes"]),
    ("supervisor", "reflections:live_vote_budget", "session", ["votes"]),
    ("supervisor", "reflections:live_group_create", "session", ["name"]),
    ("member", "reflections:live_safety", "session", ["answer"]),
    ("member", "privacy:account_delete", None, ["password", "confirm"]),
    ("admin", "privacy:settings", None, ["retention_months", "min_group_size"]),
]


def url_for(world, name, key):
    if key is None:
        return reverse(name)
    if key == "team_a":
        return reverse(name, args=[world["team_a"].pk])
    return reverse(name, args=[world[key].pk])


@pytest.mark.parametrize(("persona", "name", "key", "fields"), FORMS, ids=[f[1] for f in FORMS])
def test_any_input_gives_a_page_not_a_server_error(world, persona, name, key, fields):
    browser = Client(raise_request_exception=False)
    assert browser.login(username=world[persona].username, password=PASSWORD)
    url = url_for(world, name, key)

    @settings(max_examples=examples(30), deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.fixed_dictionaries({}, optional=dict.fromkeys(fields, TEXT)))
    def post(data):
        response = browser.post(url, data)
        assert response.status_code < 500, (name, data)

    post()


@settings(max_examples=examples(40), deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.fixed_dictionaries({}, optional=dict.fromkeys(["username", "password"], TEXT)))
def test_any_sign_in_input_gives_a_page(data, client, db):
    response = client.post(reverse("login"), data)
    assert response.status_code in (200, 302, 429)  # 429: the lockout page


@settings(max_examples=examples(40), deadline=None, suppress_health_check=list(HealthCheck))
@given(
    data=st.fixed_dictionaries(
        {}, optional=dict.fromkeys(["period", "start", "end", "teams"], TEXT)
    )
)
def test_any_report_filter_gives_a_page(data, client, world):
    client.force_login(world["hr"])
    response = client.get(reverse("reports:report"), data)
    assert response.status_code in (200, 400, 404)  # 400: a NUL byte in the query string


@settings(max_examples=examples(30), deadline=None, suppress_health_check=list(HealthCheck))
@given(
    data=st.fixed_dictionaries(
        {},
        optional=dict.fromkeys(
            ["username", "first_name", "last_name", "password1", "password2"], TEXT
        ),
    )
)
def test_any_invitation_answer_gives_a_page(data, client, world):
    from teams import services

    invitation = services.invitation_create(
        inviter=world["supervisor"],
        email="fuzz@example.org",
        team=world["team_a"],
        role="member",
        language="en",
    )
    url = reverse("teams:invitation_accept", args=[services.invitation_token(invitation)])
    response = client.post(url, data)
    # 409: an earlier example accepted an invitation to the same address.
    assert response.status_code in (200, 302, 400, 409)
    client.logout()


@settings(max_examples=examples(30), deadline=None, suppress_health_check=list(HealthCheck))
@given(
    data=st.fixed_dictionaries(
        {},
        optional=dict.fromkeys(
            [
                "organization_name",
                "language",
                "time_zone",
                "email",
                "username",
                "first_name",
                "last_name",
                "password1",
                "password2",
            ],
            TEXT,
        ),
    )
)
def test_any_sign_up_gives_a_page(data, client, db):
    response = client.post(reverse("teams:signup"), data)
    assert response.status_code in (200, 429)


@settings(max_examples=examples(30), deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.fixed_dictionaries({}, optional={"email": TEXT}))
def test_any_password_reset_request_gives_a_page(data, client, db):
    response = client.post(reverse("password_reset"), data)
    assert response.status_code in (200, 302)
