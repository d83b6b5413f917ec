"""My data: the export holds everything the person owns and nothing of anyone else's; the page,
the downloads and the deletion flow as a person uses them."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from privacy import export, services
from privacy.models import AuditEvent, DeletionRequest
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

MINE = [
    "MINE-goal",
    "MINE-reason",
    "MINE-ci",
    "MINE-thought-built-on",
    "MINE-thought-alone",
    "MINE-own-reply",
    "MINE-reply",
    "MINE-named-question",
    "MINE-answered-question",
    "MINE-answer",
]
THEIRS = [
    "THEIRS-goal",
    "THEIRS-reason",
    "THEIRS-reply",
    "THEIRS-thought",
    "THEIRS-answer",
    "THEIRS-named-question",
    "ANON-question",
    "friend-of-lotta",
    "sue@example.org",
    "mia@example.org",
]


def test_the_export_contains_everything_the_person_owns(leaver, life):
    data = export.data_export(user=leaver)
    text = json.dumps(data)

    for marker in MINE:
        assert marker in text, marker
    assert data["profile"]["email"] == "lotta-leaves@example.org"
    assert [m["team"] for m in data["memberships"]] == ["Team A"]
    assert data["personal_goals"][0]["check_ins"][0]["progress"] == 3
    assert data["votes"] == [{"question": str(life["anonymous"].pk)}]
    assert len(data["attendance"]) == 1
    assert len(data["pulse_answered"]) == 1
    assert data["reminder_settings"]["lead_minutes"] == 60
    assert data["reminder_opt_outs"] == ["Team A"]
    assert len(data["notifications"]) == 1
    assert data["calendar_feed"] is True


def test_the_export_contains_nothing_of_anyone_elses(leaver, life):
    text = json.dumps(export.data_export(user=leaver))

    for marker in THEIRS:
        assert marker not in text, marker
    assert "pulse_values" not in text and '"value"' not in text


def test_json_download_is_an_attachment_and_is_audited(client, leaver, life, acme):
    assert client.login(username=leaver.username, password=PASSWORD)

    response = client.get(reverse("privacy:export_json"))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert json.loads(response.content)["profile"]["username"] == "lotta-leaves"
    event = AuditEvent.objects.get(action="data_export")
    assert (event.organization, event.actor, event.subject) == (acme, leaver, leaver)
    assert event.ip_address == "127.0.0.1"


def test_html_download_is_readable_and_holds_only_her_content(client, leaver, life):
    assert client.login(username=leaver.username, password=PASSWORD)

    response = client.get(reverse("privacy:export_html"))

    body = response.content.decode()
    assert response["Content-Disposition"].startswith("attachment;")
    assert "MINE-thought-alone" in body and "MINE-goal" in body
    assert "THEIRS-reply" not in body and "ANON-question" not in body


def test_my_data_page_lists_what_is_held(client, leaver, life, django_assert_max_num_queries):
    assert client.login(username=leaver.username, password=PASSWORD)

    with django_assert_max_num_queries(30):
        response = client.get(reverse("privacy:my_data"))

    body = response.content.decode()
    assert "MINE-reply" in body and "MINE-ci" in body
    assert "THEIRS-thought" not in body


def test_every_page_footer_links_to_privacy_and_my_data(client, leaver):
    assert client.login(username=leaver.username, password=PASSWORD)

    body = client.get(reverse("home")).content.decode()

    assert reverse("privacy:page") in body and reverse("privacy:my_data") in body


def test_deletion_needs_the_password_and_the_confirmation(client, leaver):
    assert client.login(username=leaver.username, password=PASSWORD)
    url = reverse("privacy:account_delete")

    assert client.post(url, {"password": "wrong", "confirm": "on"}).status_code == 200
    assert client.post(url, {"password": PASSWORD}).status_code == 200
    assert not DeletionRequest.objects.exists()

    response = client.post(url, {"password": PASSWORD, "confirm": "on"})

    assert response.status_code == 302
    pending = DeletionRequest.objects.get(user=leaver)
    assert pending.due_at - pending.requested_at == timedelta(days=7)
    assert AuditEvent.objects.filter(action="deletion_request", actor=leaver).exists()


def test_the_page_explains_deletion_before_it_is_asked_for(client, leaver):
    assert client.login(username=leaver.username, password=PASSWORD)

    body = client.get(reverse("privacy:account_delete")).content.decode()

    assert "7 days" in body and "former member" in body and "Anonymous questions" in body


def test_the_only_supervisor_is_told_to_hand_over_instead_of_a_form(client, supervisor):
    assert client.login(username=supervisor.username, password=PASSWORD)
    url = reverse("privacy:account_delete")

    response = client.post(url, {"password": PASSWORD, "confirm": "on"})

    assert response.status_code == 200
    assert "Team A" in response.content.decode()
    assert not DeletionRequest.objects.exists()


def test_signing_in_during_the_grace_period_shows_the_pending_deletion(client, leaver):
    services.account_deletion_request(user=leaver)

    response = client.post(
        reverse("login"), {"username": leaver.username, "password": PASSWORD}, follow=True
    )

    assert "Your account will be deleted on" in response.content.decode()


def test_the_pending_deletion_is_told_in_the_persons_own_language(client, leaver):
    leaver.language = "fi"
    leaver.save(update_fields=["language"])
    services.account_deletion_request(user=leaver)

    response = client.post(
        reverse("login"), {"username": leaver.username, "password": PASSWORD}, follow=True
    )

    assert "Tilisi poistetaan" in response.content.decode()


def test_the_person_can_cancel_during_the_grace_period(client, leaver):
    services.account_deletion_request(user=leaver)
    assert client.login(username=leaver.username, password=PASSWORD)

    client.post(reverse("privacy:account_delete_cancel"))

    assert not DeletionRequest.objects.exists()
    assert AuditEvent.objects.filter(action="deletion_cancel").exists()
    later = timezone.now() + timedelta(days=30)
    assert not services.account_deletion_execute_due(user_id=leaver.pk, now=later)


def test_my_data_in_finnish_speaks_finnish(client, acme, team_a, supervisor):
    from teams import services as team_services
    from tests.conftest import make_user

    person = make_user(acme, "liisa", language="fi")
    team_services.membership_set(team=team_a, user=person, role="member")
    assert client.login(username="liisa", password=PASSWORD)
    client.cookies["django_language"] = "fi"

    body = client.get(reverse("privacy:my_data")).content.decode()

    assert "Omat tietoni" in body and "Poista tili" in body


def test_the_export_includes_the_hr_reports_monthly_marks_of_the_person(leaver, life, acme):
    from reports import rollups

    rollups.rollups_backfill(organization=acme)

    data = export.data_export(user=leaver)

    assert data["report_months"]
    month = timezone.localdate().isoformat()[:7]
    mine = [m for m in data["report_months"] if m["month"] == month and m["team"] == "Team A"]
    assert mine and mine[0]["took_part"] and mine[0]["posted"] and mine[0]["answered_pulse"]
    assert {m["theme"] for m in data["report_theme_months"]} <= {"Care"}
