"""Every URL in the URLconf, under every persona and from a foreign organisation.

The spec below must name every URL pattern (Django admin aside); a new URL that is not added
here fails `test_every_url_is_in_the_matrix`, so nothing escapes the check.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from notifications.services import unsubscribe_token
from reflections import services as services_r
from teams import services

PERSONAS = ["anonymous", "supervisor", "member", "other_member", "hr", "admin", "foreigner"]
LOGIN = "login"  # a redirect to the login page


@dataclass
class Route:
    name: str
    expect: dict[str, int | str]
    method: str = "get"
    kwargs: Callable[[dict], dict] = lambda world: {}
    # A dict, or a function of the world for data that names the world's objects.
    data: dict | Callable[[dict], dict] = field(default_factory=dict)

    def payload(self, world: dict) -> dict:
        return self.data(world) if callable(self.data) else self.data


def everyone(status: int | str, **overrides: int) -> dict[str, int | str]:
    return dict.fromkeys(PERSONAS, status) | overrides


def signed_in(status: int, **overrides: int) -> dict[str, int | str]:
    return everyone(status, anonymous=LOGIN) | overrides


def admins_only(foreigner: int) -> dict[str, int | str]:
    return signed_in(403, admin=200, foreigner=foreigner)


def team_members(status: int) -> dict[str, int | str]:
    return signed_in(404, supervisor=status, member=status)


def supervisor_only(status: int) -> dict[str, int | str]:
    return signed_in(404, supervisor=status)


def facilitator_only() -> dict[str, int | str]:
    return signed_in(404, supervisor=302, member=403)


def session(world):
    return {"pk": world["session"].pk}


def team_a(world):
    return {"pk": world["team_a"].pk}


def theme_managers(foreigner: int) -> dict[str, int | str]:
    return signed_in(403, hr=200, admin=200, foreigner=foreigner)


def thought(world):
    return {"pk": world["thought"].pk}


def question(world):
    return {"pk": world["question"].pk}


def chat_channel(world):
    return {"pk": world["chat_channel"].pk}


def team_a_member(world):
    return {"pk": world["team_a"].pk, "user_pk": world["member"].pk}


ROUTES = [
    Route("home", signed_in(200)),
    Route("healthz", everyone(200)),
    Route("bench_floor", signed_in(404)),  # off unless BENCH_FLOOR (tests/test_query_counts.py)
    Route("about", everyone(200)),
    Route("login", signed_in(302, anonymous=200)),
    Route("logout", everyone(302), method="post"),
    Route("password_change", signed_in(200)),
    Route("password_change_done", signed_in(200)),
    Route("password_reset", everyone(200)),
    Route("password_reset_done", everyone(200)),
    Route(
        "password_reset_confirm",
        everyone(200),
        kwargs=lambda w: {"uidb64": "MQ", "token": "set-password"},
    ),
    Route("password_reset_complete", everyone(200)),
    Route("teams:list", signed_in(200)),
    Route("teams:create", admins_only(foreigner=200)),
    Route(
        "teams:detail",
        signed_in(404, supervisor=200, member=200, admin=200),
        kwargs=team_a,
    ),
    Route("teams:edit", admins_only(foreigner=404), kwargs=team_a),
    Route(
        "teams:member_add",
        signed_in(404, supervisor=200, admin=200),
        kwargs=team_a,
    ),
    Route(
        "teams:member_role",
        signed_in(404, supervisor=302, admin=302),
        method="post",
        kwargs=team_a_member,
        data={"role": "supervisor"},
    ),
    Route(
        "teams:member_remove",
        signed_in(404, supervisor=302, admin=302),
        method="post",
        kwargs=team_a_member,
    ),
    Route("reflections:team_direction", signed_in(404, supervisor=200, member=200), kwargs=team_a),
    Route("teams:team_goal_create", signed_in(404, supervisor=200, member=200), kwargs=team_a),
    Route(
        "teams:team_goal_edit",
        signed_in(404, supervisor=200),
        kwargs=lambda w: {"pk": w["team_goal"].pk},
    ),
    Route(
        "teams:team_goal_accept",
        signed_in(404, supervisor=302),
        method="post",
        kwargs=lambda w: {"pk": w["team_goal"].pk},
    ),
    Route("teams:themes", theme_managers(foreigner=200)),
    Route("teams:theme_create", theme_managers(foreigner=200)),
    Route(
        "teams:theme_edit", theme_managers(foreigner=404), kwargs=lambda w: {"pk": w["theme"].pk}
    ),
    Route("reflections:my_learning", signed_in(200)),
    Route("teams:personal_goal_create", signed_in(200)),
    Route(
        "teams:personal_goal",
        signed_in(404, supervisor=200, member=200),
        kwargs=lambda w: {"pk": w["personal_goal"].pk},
    ),
    Route(
        "teams:personal_goal_edit",
        signed_in(404, member=200),
        kwargs=lambda w: {"pk": w["personal_goal"].pk},
    ),
    Route(
        "teams:checkin_create",
        signed_in(404, member=302),
        method="post",
        kwargs=lambda w: {"pk": w["personal_goal"].pk},
        data=lambda w: {"day": timezone.localdate().isoformat(), "progress": "3", "note": "M"},
    ),
    Route("teams:people", admins_only(foreigner=200)),
    Route(
        "teams:person_edit",
        admins_only(foreigner=404),
        kwargs=lambda w: {"pk": w["member"].pk},
    ),
    Route("teams:invitations", signed_in(403, supervisor=200, admin=200, foreigner=200)),
    Route("teams:invitation_many", signed_in(403, supervisor=200, admin=200, foreigner=200)),
    Route(
        "teams:invitation_resend",
        signed_in(404, supervisor=302, admin=302),
        method="post",
        kwargs=lambda w: {"pk": w["invitation"].pk},
    ),
    Route(
        "teams:invitation_revoke",
        signed_in(404, supervisor=302, admin=302),
        method="post",
        kwargs=lambda w: {"pk": w["invitation"].pk},
    ),
    Route(
        "teams:invitation_accept",
        everyone(200),
        kwargs=lambda w: {"token": services.invitation_token(w["invitation"])},
    ),
    Route("teams:signup", everyone(302, anonymous=200)),
    Route("teams:signup_verify", everyone(400), kwargs=lambda w: {"token": "not-a-token"}),
    Route("teams:preferences", signed_in(200)),
    Route("teams:set_language", everyone(302), method="post", data={"language": "fi"}),
    Route("reflections:team_sessions", team_members(200), kwargs=team_a),
    Route("reflections:agreement", team_members(200), kwargs=team_a),
    Route("reflections:session_add", supervisor_only(200), kwargs=team_a),
    Route("reflections:rhythm_create", supervisor_only(200), kwargs=team_a),
    Route("reflections:rhythm_edit", supervisor_only(200), kwargs=lambda w: {"pk": w["rhythm"].pk}),
    Route("reflections:session", team_members(200), kwargs=session),
    # The supervisor's own cross-team page: 403 for anyone who leads no team; the foreigner
    # leads a team of their own organisation and sees only that one.
    Route("reflections:health", signed_in(403, supervisor=200, foreigner=200)),
    Route("reflections:session_move", supervisor_only(200), kwargs=session),
    Route("reflections:session_skip", supervisor_only(302), method="post", kwargs=session),
    Route("reflections:session_restore", supervisor_only(302), method="post", kwargs=session),
    Route("reflections:session_hold", supervisor_only(302), method="post", kwargs=session),
    Route(
        "reflections:prompt_add",
        supervisor_only(302),
        method="post",
        kwargs=session,
        data={"builtin_key": "surprised"},
    ),
    Route(
        "reflections:prompt_remove",
        supervisor_only(302),
        method="post",
        kwargs=lambda w: {"pk": w["session"].pk, "prompt_pk": w["session"].prompts.first().pk},
    ),
    Route(
        "reflections:prompt_templates",
        signed_in(403, supervisor=200, admin=200, foreigner=200),
    ),
    Route(
        "reflections:prompt_template_delete",
        signed_in(403, supervisor=302, admin=302, foreigner=404),
        method="post",
        kwargs=lambda w: {"pk": w["prompt_template"].pk},
    ),
    Route("reflections:calendar", signed_in(200)),
    Route("reflections:feed_reset", signed_in(302), method="post"),
    Route("reflections:team_feed_reset", team_members(302), method="post", kwargs=team_a),
    Route(
        "reflections:feed",
        everyone(200),
        kwargs=lambda w: {
            "token": services_r.feed_for_team(user=w["member"], team=w["team_a"]).token
        },
    ),
    Route("reports:report", signed_in(403, hr=200, foreigner=200)),
    Route("reports:csv", signed_in(403, hr=200, foreigner=200)),
    Route("notifications:inbox", signed_in(200)),
    Route(
        "notifications:mark_read",
        signed_in(302),
        method="post",
        kwargs=lambda w: {"pk": w["notification"].pk},
    ),
    Route("notifications:mark_all_read", signed_in(302), method="post"),
    Route(
        "notifications:dismiss_answered",
        signed_in(302),
        method="post",
        data=lambda w: {"question": str(w["question"].pk)},
    ),
    Route("notifications:preferences", signed_in(200)),
    Route(
        "notifications:unsubscribe",
        everyone(200),
        kwargs=lambda w: {"token": unsubscribe_token(w["member"])},
    ),
    Route("reflections:team_feed", team_members(200), kwargs=team_a),
    Route(
        "reflections:thought_post",
        team_members(302),
        method="post",
        kwargs=team_a,
        data={"kind": "insight", "body": "Half an idea"},
    ),
    Route(
        "reflections:thought_reply",
        team_members(302),
        method="post",
        kwargs=thought,
        data={"body": "Building on it"},
    ),
    Route("reflections:thought_edit", signed_in(404, member=200), kwargs=thought),
    Route("reflections:thought_delete", signed_in(404, member=200), kwargs=thought),
    Route("reflections:thought_delete", signed_in(404, member=302), method="post", kwargs=thought),
    Route("reflections:team_questions", team_members(200), kwargs=team_a),
    Route(
        "reflections:question_ask",
        team_members(302),
        method="post",
        kwargs=team_a,
        data={"body": "Why?", "identity": "anonymous"},
    ),
    Route("reflections:question_upvote", team_members(302), method="post", kwargs=question),
    Route(
        "reflections:question_upvote_withdraw", team_members(302), method="post", kwargs=question
    ),
    Route(
        "reflections:question_name_upward",
        signed_in(404, member=302),
        method="post",
        kwargs=lambda w: {"pk": w["named_question"].pk},
        data={"allowed": "yes"},
    ),
    Route(
        "reflections:question_report",
        team_members(302),
        method="post",
        kwargs=question,
        data={"reason": "Off topic"},
    ),
    Route(
        "reflections:question_answer",
        supervisor_only(302),
        method="post",
        kwargs=question,
        data={"body": "Because."},
    ),
    Route(
        "reflections:question_mark_answered", supervisor_only(302), method="post", kwargs=question
    ),
    Route(
        "reflections:question_hide",
        supervisor_only(302),
        method="post",
        kwargs=question,
        data={"reason": "Names a customer"},
    ),
    Route("reflections:question_unhide", supervisor_only(302), method="post", kwargs=question),
    Route("reflections:question_forward", supervisor_only(200), kwargs=team_a),
    Route(
        "reflections:question_forward",
        supervisor_only(302),
        method="post",
        kwargs=team_a,
        data=lambda w: {"questions": [str(w["open_question"].pk)], "theme": w["theme"].pk},
    ),
    Route("reflections:forwarded_queue", signed_in(403, hr=200, foreigner=200)),
    Route(
        "reflections:forward_answer",
        signed_in(403, hr=302, foreigner=404),
        method="post",
        kwargs=lambda w: {"pk": w["forwarded"].pk},
        data={"body": "We will look into it.", "answered_as": "hr"},
    ),
    Route("reflections:anonymity", everyone(200)),
    Route("reflections:pulse_answer", signed_in(404, member=200), kwargs=session),
    Route("reflections:pulse_results", supervisor_only(200), kwargs=session),
    # The live session (in its vote phase, facilitated by the supervisor): team members poll
    # and write or vote; only the facilitator moves it on (403 for a member who is not).
    Route("reflections:live_poll", team_members(200), kwargs=session),
    Route("reflections:live_start", supervisor_only(302), method="post", kwargs=session),
    Route("reflections:live_next", facilitator_only(), method="post", kwargs=session),
    Route("reflections:live_reveal", facilitator_only(), method="post", kwargs=session),
    Route(
        "reflections:live_extend",
        facilitator_only(),
        method="post",
        kwargs=session,
        data={"minutes": 2},
    ),
    Route(
        "reflections:live_hand_over",
        facilitator_only(),
        method="post",
        kwargs=session,
        data=lambda w: {"to": w["member"].pk},
    ),
    Route(
        "reflections:live_card",
        team_members(302),
        method="post",
        kwargs=session,
        data={"body": "x"},
    ),
    Route(
        "reflections:live_vote",
        team_members(302),
        method="post",
        kwargs=lambda w: {"pk": w["session"].pk, "card_pk": w["live_card"].pk},
    ),
    Route(
        "reflections:live_vote_budget",
        facilitator_only(),
        method="post",
        kwargs=session,
        data={"votes": 4},
    ),
    Route(
        "reflections:live_safety",
        team_members(302),
        method="post",
        kwargs=session,
        data={"answer": "yes"},
    ),
    Route(
        "reflections:live_group_create",
        facilitator_only(),
        method="post",
        kwargs=session,
        data={"name": "Shifts"},
    ),
    Route(
        "reflections:live_group_rename",
        facilitator_only(),
        method="post",
        kwargs=lambda w: {"pk": w["session"].pk, "group_pk": w["live_group"].pk},
        data={"name": "Rotas"},
    ),
    Route(
        "reflections:live_group_vote",
        team_members(302),
        method="post",
        kwargs=lambda w: {"pk": w["session"].pk, "group_pk": w["live_group"].pk},
    ),
    Route(
        "reflections:live_card_move",
        facilitator_only(),
        method="post",
        kwargs=lambda w: {"pk": w["session"].pk, "card_pk": w["live_card"].pk},
        data=lambda w: {"group": str(w["live_group"].pk)},
    ),
    Route(
        "reflections:live_topic_timer",
        facilitator_only(),
        method="post",
        kwargs=lambda w: {"pk": w["session"].pk, "topic_pk": w["live_card"].pk},
        data={"minutes": 3},
    ),
    Route(
        "reflections:live_next_step",
        facilitator_only(),
        method="post",
        kwargs=lambda w: {"pk": w["session"].pk, "topic_pk": w["live_card"].pk},
        data={"next_step": "Try"},
    ),
    Route(
        "reflections:live_next_step_make",
        facilitator_only(),
        method="post",
        kwargs=lambda w: {"pk": w["session"].pk, "topic_pk": w["live_card"].pk},
        data={"into": "goal"},
    ),
    Route("privacy:my_data", signed_in(200)),
    Route("privacy:export_json", signed_in(200)),
    Route("privacy:export_html", signed_in(200)),
    Route("privacy:account_delete", signed_in(200)),
    Route("privacy:account_delete_cancel", signed_in(302), method="post"),
    Route("privacy:page", everyone(200)),
    Route("privacy:settings", admins_only(foreigner=200)),
    Route("privacy:audit", admins_only(foreigner=200)),
    Route("chat:destinations", supervisor_only(200), kwargs=team_a),
    Route(
        "chat:destinations",
        supervisor_only(302),
        method="post",
        kwargs=team_a,
        data={
            "kind": "slack",
            "name": "#learning",
            "url": "https://hooks.slack.com/services/T0/B0/XXXX",
            "language": "en",
        },
    ),
    Route("chat:edit", supervisor_only(200), kwargs=chat_channel),
    Route(
        "chat:edit",
        supervisor_only(302),
        method="post",
        kwargs=chat_channel,
        data={"name": "#renamed", "language": "fi", "enabled": "on"},
    ),
    Route("chat:test", supervisor_only(302), method="post", kwargs=chat_channel),
    Route("chat:remove", supervisor_only(302), method="post", kwargs=chat_channel),
    # Single sign-on (sso/): the world's organisation has no connection, so allauth's views
    # find no provider; SCIM answers nobody without its bearer token.
    Route("openid_connect_login", everyone(404), kwargs=lambda w: {"provider_id": "org-1"}),
    Route("openid_connect_callback", everyone(404), kwargs=lambda w: {"provider_id": "org-1"}),
    # SAML through allauth (per organisation, sso/saml.py): no connection, no provider. The
    # assertion consumer first hands over to its own finish step, which then finds none.
    *(
        Route(name, everyone(404), kwargs=lambda w: {"organization_slug": "org-1"})
        for name in ("saml_login", "saml_metadata", "saml_sls", "saml_finish_acs")
    ),
    Route("saml_acs", everyone(302), kwargs=lambda w: {"organization_slug": "org-1"}),
    Route("sso:start", everyone(302), method="post", data={"organisation": "acme"}),
    Route("sso:signed_out", everyone(200)),
    Route("sso:settings", admins_only(foreigner=200)),
    Route("sso:scim_users", everyone(401)),
    Route("sso:scim_user", everyone(401), kwargs=lambda w: {"pk": w["member"].pk}),
    Route("sso:scim_search", everyone(401), method="post"),
    Route("sso:scim_search_all", everyone(401), method="post"),
    Route("sso:scim_config", everyone(401)),
    Route("sso:scim_resource_types", everyone(401)),
    Route("sso:scim_resource_type", everyone(401), kwargs=lambda w: {"name": "User"}),
    Route("sso:scim_schemas", everyone(401)),
    Route("sso:scim_schema", everyone(401), kwargs=lambda w: {"schema_id": "x"}),
    Route("sso:scim_not_found", everyone(401), kwargs=lambda w: {"rest": "Groups"}),
]


def url_names(resolver: URLResolver | None = None, prefix: str = "") -> set[str]:
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            inner = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            names |= url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(prefix + pattern.name)
    return names


def test_every_url_is_in_the_matrix():
    # A name may appear twice (GET and POST of one page); every name must appear.
    assert url_names() == {route.name for route in ROUTES}


@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.name)
@pytest.mark.parametrize("persona", PERSONAS)
def test_url_answers_each_persona_as_specified(client, world, route, persona):
    user = world[persona]
    if user is not None:
        client.force_login(user)
    url = reverse(route.name, kwargs=route.kwargs(world))
    response = getattr(client, route.method)(url, route.payload(world))
    expected = route.expect[persona]
    if expected == LOGIN:
        assert response.status_code == 302, (route.name, persona)
        assert response["Location"].startswith(reverse("login") + "?next=")
    else:
        assert response.status_code == expected, (route.name, persona)
