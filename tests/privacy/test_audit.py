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
        assert event.target == f"question {question.pk}"
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

    assert client.post(url, {"retention_months": "12", "min_group_size": "6"}).status_code == 302
    acme.refresh_from_db()
    assert acme.retention_months == 12
    assert last("retention_change").target == ("retention_months 24 -> 12, min_group_size 5 -> 6")


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


def test_the_filtered_audit_page_with_details_keeps_its_query_count(
    client, admin, supervisor, team_a, acme, django_assert_max_num_queries
):
    login(client, admin)
    for size in (3, 40):
        for index in range(size):
            question = services_r.question_ask(
                team=team_a, body=f"Q{size}-{index}", named_author=supervisor
            )
            services_r.question_hide(question=question, reason="Off", moderator=supervisor)
        with django_assert_max_num_queries(12):
            page = _audit(client, action="question_hide", person=supervisor.pk)
        assert f"A question in {team_a.name}" in page


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


def _audit(client, **query) -> str:
    return client.get(reverse("privacy:audit"), query).content.decode()


def test_the_audit_trail_filters_by_action_person_and_days(client, admin, member, supervisor, acme):
    from datetime import timedelta

    from django.utils import timezone

    services.audit_record(organization=acme, action="data_export", actor=member, target="json")
    services.audit_record(
        organization=acme,
        action="membership_set",
        actor=supervisor,
        subject=member,
        target="A: member",
    )
    services.audit_record(organization=acme, action="data_export", actor=admin, target="html")
    old = services.audit_record(
        organization=acme, action="data_export", actor=supervisor, target="json"
    )
    AuditEvent.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=10))
    login(client, admin)

    def rows(page: str) -> int:
        return page.split("<tbody>")[1].count("<tr>") if "<tbody>" in page else 0

    assert rows(_audit(client)) == 4
    page = _audit(client, action="data_export")
    assert rows(page) == 3 and "Team role set" not in page.split("<tbody>")[1]
    # A person: what they did, and what was done about them.
    page = _audit(client, person=member.pk)
    assert rows(page) == 2 and "As a JSON file" in page and "A, as Member" in page
    page = _audit(client, action="data_export", person=supervisor.pk)
    assert rows(page) == 1
    today = timezone.localdate()
    assert rows(_audit(client, start=today.isoformat())) == 3
    assert rows(_audit(client, end=(today - timedelta(days=1)).isoformat())) == 1
    page = _audit(client, start=today.isoformat(), end=(today - timedelta(days=1)).isoformat())
    assert "The first day must not be after the last day." in page
    page = _audit(client, action="question_hide")
    assert rows(page) == 0 and "Nothing matches this filter" in page


def test_the_audit_trail_pages_keep_the_filter(client, admin, acme):
    for _ in range(55):
        services.audit_record(organization=acme, action="data_export", actor=admin, target="json")
    services.audit_record(organization=acme, action="report_export", actor=admin, target="x")
    login(client, admin)
    page = _audit(client, action="data_export")
    assert "action=data_export&amp;page=2" in page or "page=2&amp;action=data_export" in page


def test_audit_details_are_in_words_not_ids(client, admin, supervisor, member, team_a, acme):
    from reflections import bridge_services
    from teams import direction_services

    question = services_r.question_ask(team=team_a, body="Why?")
    theme = direction_services.theme_create(organization=acme, title="Care first")
    item = bridge_services.questions_forward(
        team=team_a, questions=[question], theme=theme, forwarded_by=supervisor
    )
    services_r.question_hide(question=question, reason="Off topic", moderator=supervisor)
    team_services.person_update(
        person=member,
        first_name="Mia",
        last_name="",
        roles={"hr", "admin"},
        is_active=True,
        actor=admin,
    )
    services.audit_record(
        organization=acme,
        action="retention_run",
        target="thoughts=3 questions=1 checkins=0 before=2025-01-31",
    )
    services.audit_record(
        organization=acme,
        action="retention_change",
        actor=admin,
        target="retention_months 24 -> 12",
    )
    services.audit_record(
        organization=acme,
        action="retention_change",
        actor=admin,
        target="retention_months 12 -> 6, min_group_size 5 -> 7",
    )
    login(client, admin)
    body = _audit(client).split("<tbody>")[1]
    assert str(question.pk) not in body and str(item.pk) not in body
    assert f"A question in {team_a.name}" in body
    assert f"1 question from {team_a.name}, strategy theme Care first" in body
    assert "Roles: Organisation admin, HR / learning partner; account in use" in body
    assert "Deleted 3 thoughts, 1 question from before" in body
    assert "Kept for 12 months (was 24)" in body
    assert "Kept for 6 months (was 12); smallest group in reports: 7 people (was 5)" in body
    assert "Why?" not in body  # the question is named by its team, never its text or asker


def test_audit_details_are_finnish_for_a_finnish_reader(client, admin, supervisor, team_a):
    question = services_r.question_ask(team=team_a, body="Miksi?")
    services_r.question_hide(question=question, reason="Aiheen vierestä", moderator=supervisor)
    team_services.preferences_update(user=admin, language="fi", time_zone="Europe/Helsinki")
    login(client, admin)
    body = _audit(client).split("<tbody>")[1]
    assert f"Kysymys tiimissä {team_a.name}" in body


def _sso_events(acme, admin, member, settings):
    """Every single sign-on and provisioning row, written by the sso services themselves."""
    from cryptography.fernet import Fernet

    from sso import services as sso

    settings.SSO_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    fields = {
        "organization": acme,
        "issuer": "https://idp.example",
        "client_id": "c",
        "client_secret": "s",
        "tenant_id": "t",
        "hosted_domain": "",
        "email_domains": "acme.example",
        "admin_claim": "Admins",
        "hr_claim": "",
        "enabled": True,
        "require_sso": False,
        "break_glass_admin": None,
        "actor": admin,
    }
    sso.connection_save(**fields)
    connection = sso.connection_save(**fields | {"client_secret": ""})  # nothing changed
    connection = sso.connection_save(**fields | {"client_secret": "", "require_sso": True})
    sso.scim_token_issue(connection=connection, actor=admin)
    sso.keys_rotate()

    def identity(email, verified=True, roles=()):
        return sso.Identity(
            uid=email,
            email=email,
            email_verified=verified,
            tenant_id="t",
            hosted_domain="",
            roles=list(roles),
            first_name="",
            last_name="",
        )

    sso.sso_signin(connection=connection, identity=identity("new@acme.example", roles=["Admins"]))
    sso.sso_signin(connection=connection, identity=identity("new2@acme.example"))
    for email, verified in (("x@gmail.example", True), ("y@acme.example", False)):
        try:
            sso.sso_signin(connection=connection, identity=identity(email, verified))
        except sso.SignInRefused as refused:
            sso.sso_signin_refused(
                connection=connection, identity=identity(email, verified), reason=refused.reason
            )
    person = sso.scim_user_create(
        connection=connection,
        user_name="p@acme.example",
        email="p@acme.example",
        first_name="P",
        last_name="Q",
    )
    sso.scim_user_update(
        connection=connection,
        user=person,
        user_name="p@acme.example",
        email="p@acme.example",
        first_name="Pia",
        last_name="Q",
        active=True,
    )
    sso.scim_user_deactivate(connection=connection, user=person)
    sso.scim_user_delete(connection=connection, user=member)


def test_single_sign_on_and_provisioning_details_are_in_words(
    client, admin, member, acme, settings
):
    _sso_events(acme, admin, member, settings)
    login(client, admin)
    body = _audit(client).split("<tbody>")[1]
    for words in (
        "Changed: Sign-in with the identity provider is on; Issuer; Client id; Allowed tenant "
        "(Entra ID tid); Allowed e-mail domains; Role or group that makes an organisation "
        "admin; Client secret",
        "Saved without changes",
        "Changed: Require single sign-on",
        "New provisioning (SCIM) token; the previous one no longer works",
        "Client secret encrypted again with the newest key",
        "New account; roles from the identity provider: Organisation admin",
        "New account<",
        "Refused: e-mail addresses in gmail.example are not allowed",
        "Refused: the identity provider did not confirm the e-mail address",
        "Account created by the identity provider",
        "Name, e-mail address or status updated by the identity provider",
        "Account switched off by the identity provider: signed out, removed from teams and "
        "organisation roles",
        "Account removed by the identity provider",
    ):
        assert words in body
    for stored in ("scim_token", "key_rotation", "require_sso", "new account", "unverified"):
        assert stored not in body
    page = _audit(client, action="sso_signin_refused")
    assert "Sign-in with the identity provider refused" in page


@pytest.mark.parametrize(
    "language, words",
    [
        (
            "fi",
            [
                "Muutettu: Vaadi kertakirjautuminen",
                "Uusi tili; roolit tunnistuspalvelusta: Organisaation pääkäyttäjä",
                "Estetty: verkkotunnuksen gmail.example sähköpostiosoitteet eivät ole sallittuja",
                "Tunnistuspalvelu poisti tilin käytöstä",
                "Asiakassalaisuus salattu uudelleen uusimmalla avaimella",
            ],
        ),
        (
            "sv-fi",
            [
                "Ändrat: Kräv enkel inloggning",
                "Nekad: identifieringstjänsten bekräftade inte e-postadressen",
                "Kontot skapat av identifieringstjänsten",
                "Ny token för användarhanteringen (SCIM)",
            ],
        ),
    ],
)
def test_single_sign_on_details_are_in_the_readers_language(
    client, admin, member, acme, settings, language, words
):
    _sso_events(acme, admin, member, settings)
    team_services.preferences_update(user=admin, language=language, time_zone="Europe/Helsinki")
    login(client, admin)
    body = _audit(client).split("<tbody>")[1]
    for text in words:
        assert text in body
    assert "identity provider" not in body and "Refused" not in body
