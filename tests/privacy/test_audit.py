"""The audit trail records each sensitive action (who, what, when, from where), never an
anonymous author, and only the organisation's own admins read it."""

import pytest
from django.urls import reverse

from privacy import services
from privacy.models import AuditEvent
from reflections import services as services_r
from teams import services as team_services
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def last(action: str) -> AuditEvent:
    return AuditEvent.objects.filter(action=action).latest("created_at")


def test_role_changes_are_recorded_with_who_whom_and_where(client, admin, member, acme):
    login(client, admin)

    client.post(
        reverse("teams:person_edit", kwargs={"pk": member.pk}),
        {"first_name": "Mia", "last_name": "", "roles": ["hr"], "is_active": "on"},
    )

    event = last("role_change")
    assert (event.organization, event.actor, event.subject) == (acme, admin, member)
    assert event.actor_label == str(admin)
    assert "hr" in event.target
    assert event.ip_address == "127.0.0.1"


def test_membership_changes_are_recorded(client, supervisor, member, team_a):
    login(client, supervisor)
    kwargs = {"pk": team_a.pk, "user_pk": member.pk}

    client.post(reverse("teams:member_role", kwargs=kwargs), {"role": "supervisor"})
    client.post(reverse("teams:member_remove", kwargs=kwargs))

    assert last("membership_set").subject == member
    assert last("membership_remove").target == "Team A"


def test_invitations_are_recorded_without_the_invitees_address(client, supervisor, team_a):
    login(client, supervisor)

    client.post(
        reverse("teams:invitations"),
        {"email": "newbie@example.org", "team": team_a.pk, "role": "member"},
    )
    invitation = team_a.invitations.get()
    client.post(reverse("teams:invitation_revoke", kwargs={"pk": invitation.pk}))

    events = AuditEvent.objects.filter(action__in=["invitation_create", "invitation_revoke"])
    assert events.count() == 2
    assert all("newbie" not in event.target for event in events)


def test_accepting_an_invitation_is_recorded(client, supervisor, team_a):
    invitation = team_services.invitation_create(
        inviter=supervisor, email="newbie@example.org", team=team_a, role="member", language="en"
    )
    url = reverse(
        "teams:invitation_accept", kwargs={"token": team_services.invitation_token(invitation)}
    )

    client.post(
        url,
        {
            "username": "newbie",
            "first_name": "New",
            "last_name": "Bie",
            "password1": "a-long-new-password-77",
            "password2": "a-long-new-password-77",
        },
    )

    assert last("invitation_accept").subject.username == "newbie"


def test_moderating_an_anonymous_question_records_the_moderator_and_no_author(
    client, supervisor, member, team_a
):
    question = services_r.question_ask(team=team_a, body="Who decides this?")
    login(client, supervisor)

    client.post(
        reverse("reflections:question_hide", kwargs={"pk": question.pk}), {"reason": "Off topic"}
    )
    client.post(reverse("reflections:question_unhide", kwargs={"pk": question.pk}))

    for action in ("question_hide", "question_unhide"):
        event = last(action)
        assert event.actor == supervisor
        assert event.subject is None
        assert event.target == f"question {question.pk}"  # shown without it (audit_details)
    assert not AuditEvent.objects.filter(actor=member).exists()


def test_hr_report_downloads_are_recorded(client, hr):
    login(client, hr)

    client.get(reverse("reports:csv"))

    assert last("report_export").actor == hr


def test_retention_changes_are_recorded_and_never_below_a_month(client, admin, acme):
    login(client, admin)
    url = reverse("privacy:settings")

    assert client.post(url, {"retention_months": "0"}).status_code == 200
    acme.refresh_from_db()
    assert acme.retention_months == 24

    assert client.post(url, {"retention_months": "12"}).status_code == 302
    acme.refresh_from_db()
    assert acme.retention_months == 12
    assert last("retention_change").target == "retention_months 24 -> 12"


def test_admins_see_their_organisations_audit_trail(client, admin, supervisor, acme):
    services.audit_record(organization=acme, action="question_hide", actor=supervisor, target="x")
    login(client, admin)

    body = client.get(reverse("privacy:audit")).content.decode()

    assert "Question hidden" in body and str(supervisor) in body


def test_a_person_of_another_organisation_sees_none_of_its_audit_entries(
    client, admin, foreigner, acme
):
    services.audit_record(organization=acme, action="data_export", actor=admin, target="ACME-ONLY")
    login(client, foreigner)

    body = client.get(reverse("privacy:audit")).content.decode()

    assert "ACME-ONLY" not in body


def test_people_who_are_not_admins_cannot_read_the_audit_trail(client, hr, supervisor):
    for person in (hr, supervisor):
        login(client, person)
        assert client.get(reverse("privacy:audit")).status_code == 403


def test_the_audit_page_keeps_its_query_count_as_events_grow(
    client, admin, acme, django_assert_max_num_queries
):
    login(client, admin)
    for size in (3, 60):
        for _ in range(size):
            services.audit_record(organization=acme, action="data_export", actor=admin)
        with django_assert_max_num_queries(10):
            assert client.get(reverse("privacy:audit")).status_code == 200


def test_old_audit_events_expire(acme, admin, settings):
    from datetime import timedelta

    from django.utils import timezone

    old = services.audit_record(organization=acme, action="data_export", actor=admin)
    AuditEvent.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(days=settings.AUDIT_RETENTION_DAYS + 1)
    )
    fresh = services.audit_record(organization=acme, action="data_export", actor=admin)

    assert services.audit_purge() == 1
    assert list(AuditEvent.objects.values_list("pk", flat=True)) == [fresh.pk]


@pytest.mark.parametrize(
    ("language", "expected", "absent"),
    [
        ("fi", ["Team A: Esihenkilö", "Roolit: HR / oppimiskumppani", "3 ajatusta"], ["(s)"]),
        ("sv-fi", ["Team A: Förman", "Roller: HR / lärandepartner", "3 tankar"], ["(s)"]),
        ("en", ["Team A: Supervisor", "Roles: HR / learning partner", "3 thoughts"], ["(s)"]),
    ],
)
def test_audit_details_read_in_words_without_ids(
    client, admin, member, team_a, acme, language, expected, absent
):
    question = services_r.question_ask(team=team_a, body="Who decides this?")
    services.audit_record(
        organization=acme, action="membership_set", actor=admin, target="Team A: supervisor"
    )
    services.audit_record(
        organization=acme, action="role_change", actor=admin, target="roles=hr active=True"
    )
    services.audit_record(
        organization=acme, action="question_hide", actor=admin, target=f"question {question.pk}"
    )
    services.audit_record(
        organization=acme,
        action="retention_run",
        target="thoughts=3 questions=1 checkins=0 before=2026-01-01T00:00:00+00:00",
    )
    admin.language = language
    admin.save(update_fields=["language"])
    login(client, admin)

    body = client.get(reverse("privacy:audit")).content.decode()

    for text in expected:
        assert text in body
    for text in [*absent, str(question.pk)]:
        assert text not in body
