"""Supervisor pages for planning rhythms and running sessions; the employee's views."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reflections.models import Rhythm, Session


def plan_data(**overrides) -> dict:
    data = {
        "title": "Weekly reflection",
        "frequency": "weekly",
        "weekday": "0",
        "week_of_month": "1",
        "custom_rule": "",
        "start_date": timezone.localdate().isoformat(),
        "start_time": "09:00",
        "time_zone": "Europe/Helsinki",
        "duration_minutes": "30",
        "location": "",
        "video_url": "",
        "prompt_keys": ["learned", "unfinished"],
        "is_active": "on",
    }
    return data | overrides


def test_supervisor_plans_a_weekly_rhythm_and_sees_it_in_the_calendar(client, supervisor, team_a):
    client.force_login(supervisor)
    response = client.post(
        reverse("reflections:rhythm_create", args=[team_a.pk]), plan_data(), follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("reflections:team_sessions", args=[team_a.pk])
    body = response.content.decode()
    assert "Weekly reflection" in body
    assert "Rhythm planned" in body
    rhythm = Rhythm.objects.get(team=team_a)
    assert rhythm.sessions.filter(status="planned").count() > 10


def test_htmx_preview_shows_next_dates_without_saving(client, supervisor, team_a):
    client.force_login(supervisor)
    response = client.post(
        reverse("reflections:rhythm_create", args=[team_a.pk]),
        plan_data(frequency="biweekly"),
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="preview"')
    assert "<html" not in body
    assert body.count("<li>") == 6
    assert not Rhythm.objects.exists()


def test_preview_button_works_without_javascript(client, supervisor, team_a):
    client.force_login(supervisor)
    response = client.post(
        reverse("reflections:rhythm_create", args=[team_a.pk]), plan_data(preview="1")
    )
    body = response.content.decode()
    assert "<html" in body and 'id="preview"' in body
    assert body.count("<time datetime=") >= 6
    assert not Rhythm.objects.exists()


def test_invalid_rrule_gives_a_clear_error_and_keeps_the_text(client, supervisor, team_a):
    client.force_login(supervisor)
    response = client.post(
        reverse("reflections:rhythm_create", args=[team_a.pk]),
        plan_data(frequency="custom", custom_rule="FREQ=FORTNIGHTLY"),
    )
    body = response.content.decode()
    assert "This is not a valid RRULE" in body
    assert 'value="FREQ=FORTNIGHTLY"' in body
    assert not Rhythm.objects.exists()


def test_rule_without_any_date_is_refused(client, supervisor, team_a):
    client.force_login(supervisor)
    response = client.post(
        reverse("reflections:rhythm_create", args=[team_a.pk]),
        plan_data(frequency="custom", custom_rule="FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30"),
    )
    assert "no dates in the next two years" in response.content.decode()


def test_impossible_and_far_dates_are_refused(client, supervisor, team_a):
    client.force_login(supervisor)
    url = reverse("reflections:rhythm_create", args=[team_a.pk])
    body = client.post(url, plan_data(start_date="2026-02-30")).content.decode()
    assert "Enter a valid date" in body
    far = (timezone.localdate() + timedelta(days=3 * 365)).isoformat()
    body = client.post(url, plan_data(start_date=far)).content.decode()
    assert "within a year back and two years ahead" in body
    body = client.post(url, plan_data(start_time="25:61", duration_minutes="0")).content.decode()
    assert "Enter a valid time" in body
    assert "greater than or equal to 5" in body
    assert not Rhythm.objects.exists()


def test_editing_a_rhythm_shows_its_next_dates(client, supervisor, rhythm):
    client.force_login(supervisor)
    body = client.get(reverse("reflections:rhythm_edit", args=[rhythm.pk])).content.decode()
    assert body.count("<time datetime=") == 6


def test_supervisor_adds_a_single_session(client, supervisor, team_a):
    client.force_login(supervisor)
    day = timezone.localdate() + timedelta(days=3)
    response = client.post(
        reverse("reflections:session_add", args=[team_a.pk]),
        {
            "title": "Extra",
            "date": day.isoformat(),
            "time": "14:00",
            "duration_minutes": "45",
            "time_zone": "Europe/Helsinki",
            "prompt_keys": ["next"],
        },
    )
    session = Session.objects.get(title="Extra")
    assert response["Location"] == reverse("reflections:session", args=[session.pk])
    assert session.rhythm is None and session.duration_minutes == 45
    assert session.local_start.hour == 14


def test_supervisor_moves_a_session(client, supervisor, next_session):
    client.force_login(supervisor)
    day = next_session.local_start.date() + timedelta(days=1)
    client.post(
        reverse("reflections:session_move", args=[next_session.pk]),
        {
            "date": day.isoformat(),
            "time": "10:15",
            "duration_minutes": "30",
            "time_zone": "Europe/Helsinki",
            "location": "Room 2",
        },
    )
    next_session.refresh_from_db()
    assert next_session.local_start.date() == day
    assert (next_session.local_start.hour, next_session.local_start.minute) == (10, 15)
    assert next_session.sequence == 1 and next_session.location == "Room 2"


def test_run_a_session_mark_held_with_attendance(client, supervisor, member, past_session):
    client.force_login(supervisor)
    page = client.get(reverse("reflections:session", args=[past_session.pk])).content.decode()
    assert "What did we learn?" in page and "Mark held" in page
    client.post(
        reverse("reflections:session_hold", args=[past_session.pk]),
        {"attendees": [member.pk, supervisor.pk]},
    )
    past_session.refresh_from_db()
    assert past_session.status == "held"
    assert past_session.attendances.count() == 2


def test_attendance_of_someone_outside_the_team_is_refused(
    client, supervisor, other_member, past_session
):
    client.force_login(supervisor)
    response = client.post(
        reverse("reflections:session_hold", args=[past_session.pk]),
        {"attendees": [other_member.pk]},
        follow=True,
    )
    assert "Choose the people from the team list" in response.content.decode()
    past_session.refresh_from_db()
    assert past_session.status == "planned"


def test_a_future_session_cannot_be_marked_held(client, supervisor, next_session):
    client.force_login(supervisor)
    client.post(reverse("reflections:session_hold", args=[next_session.pk]), {})
    next_session.refresh_from_db()
    assert next_session.status == "planned"


def test_skip_and_plan_again(client, supervisor, next_session):
    client.force_login(supervisor)
    client.post(reverse("reflections:session_skip", args=[next_session.pk]))
    next_session.refresh_from_db()
    assert next_session.status == "skipped"
    client.post(reverse("reflections:session_restore", args=[next_session.pk]))
    next_session.refresh_from_db()
    assert next_session.status == "planned" and next_session.sequence == 2


def test_supervisor_edits_prompts_of_a_session(client, supervisor, past_session):
    client.force_login(supervisor)
    url = reverse("reflections:prompt_add", args=[past_session.pk])
    client.post(url, {"text": "What would we tell a new colleague?"})
    assert past_session.prompts.last().text == "What would we tell a new colleague?"
    response = client.post(url, {"text": "Two at once", "builtin_key": "next"})
    assert "Choose one built-in prompt" in response.content.decode()
    assert 'value="Two at once"' in response.content.decode()
    first = past_session.prompts.first()
    client.post(reverse("reflections:prompt_remove", args=[past_session.pk, first.pk]))
    assert [p.text for p in past_session.prompts.all()] == ["What would we tell a new colleague?"]


def test_member_sees_upcoming_sessions_on_the_dashboard_but_no_supervisor_tools(
    client, member, rhythm, next_session
):
    client.force_login(member)
    home = client.get(reverse("home")).content.decode()
    assert reverse("reflections:session", args=[next_session.pk]) in home
    page = client.get(reverse("reflections:session", args=[next_session.pk])).content.decode()
    assert "Weekly reflection" in page
    assert "Skip this time" not in page and "Add a prompt" not in page


INVALID_RULES = {
    "FREQ=DAILY;INTERVAL=-1": "INTERVAL must be a whole number from 1 to 999",
    "FREQ=DAILY;INTERVAL=0": "INTERVAL must be a whole number from 1 to 999",
    "FREQ=WEEKLY;INTERVAL=99999999999999999999": "INTERVAL must be a whole number from 1 to 999",
    "FREQ=DAILY;COUNT=99999999999999999999": "COUNT must be a whole number from 1 to 1000",
    "FREQ=WEEKLY;COUNT=-1": "COUNT must be a whole number from 1 to 1000",
    "FREQ=HOURLY": "can repeat at most daily",
    "FREQ=FORTNIGHTLY": "This is not a valid RRULE",
    "FREQ=DAILY;BYHOUR=99": "This is not a valid RRULE",
    "ÖÖ;;==\u202e": "This is not a valid RRULE",
}


@pytest.mark.parametrize(("rule", "message"), INVALID_RULES.items())
def test_invalid_rule_is_a_form_error_on_preview_and_save(
    client, supervisor, team_a, rule, message
):
    client.force_login(supervisor)
    url = reverse("reflections:rhythm_create", args=[team_a.pk])
    data = plan_data(frequency="custom", custom_rule=rule)
    for extra, headers in (({}, {}), ({"preview": "1"}, {}), ({}, {"HTTP_HX_REQUEST": "true"})):
        response = client.post(url, data | extra, **headers)
        assert response.status_code == 200
        assert message in response.content.decode(), (rule, extra, headers)
    assert not Rhythm.objects.exists()


def test_a_rule_error_is_shown_in_finnish(client, supervisor, team_a):
    supervisor.language = "fi"
    supervisor.save(update_fields=["language"])
    client.force_login(supervisor)
    url = reverse("reflections:rhythm_create", args=[team_a.pk])
    response = client.post(url, plan_data(frequency="custom", custom_rule="FREQ=DAILY;INTERVAL=-1"))
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not Rhythm.objects.exists()


def _as_rendered(form) -> dict:
    """The form's fields as the page shows them (what a click on its button posts)."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value in (None, False):
            continue
        data[name] = value
    return data


@pytest.mark.parametrize(
    ("key", "frequency", "minutes"),
    [("weekly", "weekly", 30), ("biweekly", "biweekly", 45), ("monthly", "monthly", 60)],
)
def test_a_supervisor_plans_the_first_rhythm_from_a_template_in_two_clicks(
    client, supervisor, team_a, key, frequency, minutes
):
    client.force_login(supervisor)
    sessions_page = client.get(reverse("reflections:team_sessions", args=[team_a.pk]))
    link = f"{reverse('reflections:rhythm_create', args=[team_a.pk])}?template={key}"
    assert link in sessions_page.content.decode()
    form = client.get(link).context["form"]  # the first click
    response = client.post(link, _as_rendered(form))  # the second: "Plan the sessions"
    assert response.status_code == 302
    rhythm = Rhythm.objects.get(team=team_a)
    assert (rhythm.frequency, rhythm.duration_minutes) == (frequency, minutes)
    assert rhythm.sessions.filter(status="planned").exists()


def test_members_see_no_templates_and_an_unknown_template_changes_nothing(
    client, supervisor, member, team_a
):
    client.force_login(member)
    body = client.get(reverse("reflections:team_sessions", args=[team_a.pk])).content.decode()
    assert "?template=" not in body
    client.force_login(supervisor)
    url = reverse("reflections:rhythm_create", args=[team_a.pk])
    form = client.get(url + "?template=nonsense").context["form"]
    assert form["duration_minutes"].value() == 30 and form["frequency"].value() == "weekly"
