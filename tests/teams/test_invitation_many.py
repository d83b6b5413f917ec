"""Many invitations at once: paste or CSV, a preview with an error per line, all or nothing."""

import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from teams import services
from teams.models import Invitation, OrgRole


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    def send(person, **data):
        client.force_login(person)
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("teams:invitation_many"), data)

    return send


def twenty() -> str:
    return "\n".join(f"person{n}@example.org" for n in range(20))


def test_checking_shows_each_line_and_sends_nothing(post, admin):
    response = post(admin, lines=twenty())
    body = response.content.decode()
    assert "20 invitations are ready to send" in body
    assert "Send 20 invitations" in body
    assert not Invitation.objects.exists() and mail.outbox == []


def test_sending_twenty_pasted_addresses_invites_them_all(post, admin, acme):
    response = post(admin, lines=twenty(), send="1")
    assert response.status_code == 302
    assert Invitation.objects.filter(organization=acme).count() == 20
    assert len(mail.outbox) == 20


def test_a_line_with_name_team_and_role_is_read(post, admin, team_a, client):
    post(admin, lines="email;name;team;role\nsue2@example.org;Sue Two;team a;Supervisor", send="1")
    invitation = Invitation.objects.get()
    assert (invitation.team, invitation.role, invitation.name) == (team_a, "supervisor", "Sue Two")
    path = re.search(r"https?://[^/\s]+(/invite/\S+/)", mail.outbox[0].body).group(1)
    client.logout()
    assert 'value="Sue"' in client.get(path).content.decode()  # the name is offered


def test_bad_lines_get_their_own_errors_and_nothing_is_created(post, admin, member, foreigner):
    lines = "\n".join(
        [
            "ok@example.org",
            "not-an-address",
            "ok@example.org",
            "MIA@example.org",  # has an account here
            "olga@example.org",  # has an account in another organisation
            "x@example.org, X, No Such Team",
            "y@example.org, Y, , boss",
        ]
    )
    response = post(admin, lines=lines, send="1")
    body = response.content.decode()
    assert response.status_code == 200
    assert "6 lines need fixing. Nothing has been sent." in body
    assert "is not an e-mail address" in body
    assert "already on line 1" in body
    assert body.count("Someone already has an account with this address.") == 2
    assert "No team “No Such Team”" in body
    assert "Unknown role “boss”" in body
    assert "Send 7 invitations" not in body
    assert not Invitation.objects.exists() and mail.outbox == []


def test_an_open_invitation_is_not_made_twice(post, admin):
    post(admin, lines="a@example.org", send="1")
    body = post(admin, lines="a@example.org", send="1").content.decode()
    assert "Already invited" in body
    assert Invitation.objects.count() == 1


def test_a_csv_file_works_like_pasted_lines(post, admin, team_a):
    upload = SimpleUploadedFile(
        "people.csv", "\ufeffa@example.org,Anna A,Team A,member\nb@example.org\n".encode()
    )
    response = post(admin, csv_file=upload)
    assert "2 invitations are ready to send" in response.content.decode()
    assert "a@example.org,Anna A,Team A,member" in response.content.decode()  # kept to send


def test_supervisors_invite_only_to_their_teams_and_not_hr(post, supervisor, team_a, team_b):
    body = post(
        supervisor, lines="a@example.org\nb@example.org, B, Team B\nc@example.org, C, Team A, hr"
    ).content.decode()
    assert "Name one of your teams." in body
    assert "No team “Team B”" in body
    assert "Unknown role “hr”" in body


def test_an_admin_invites_hr_who_gets_the_role_on_accepting(post, admin, client):
    post(admin, lines="h@example.org, Helmi HR, , hr", send="1")
    invitation = Invitation.objects.get()
    user = services.invitation_accept(
        invitation=invitation,
        username="helmi",
        first_name="Helmi",
        last_name="",
        password="a long pass phrase 42",
        language="en",
    )
    assert OrgRole.objects.filter(user=user, role="hr").exists()


def test_the_invitation_comes_in_the_organisations_language(post, admin, acme):
    acme.language = "fi"
    acme.save(update_fields=["language"])
    post(admin, lines="a@example.org", send="1")
    post(admin, lines="b@example.org", language="en", send="1")
    assert "kutsui" in mail.outbox[0].body
    assert "invited you" in mail.outbox[1].body


def test_resend_renews_an_expired_link(client, admin, team_a, django_capture_on_commit_callbacks):
    invitation = services.invitation_create(
        inviter=admin, email="late@example.org", team=team_a, role="member"
    )
    Invitation.objects.filter(pk=invitation.pk).update(
        sent_at=timezone.now() - timezone.timedelta(days=8)
    )
    client.force_login(admin)
    assert "link expired" in client.get(reverse("teams:invitations")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("teams:invitation_resend", args=[invitation.pk]))
    invitation.refresh_from_db()
    assert not invitation.is_expired()
    assert len(mail.outbox) == 1
    path = re.search(r"https?://[^/\s]+(/invite/\S+/)", mail.outbox[0].body).group(1)
    client.logout()
    assert client.get(path).status_code == 200


def test_checking_costs_the_same_queries_for_five_or_fifty_lines(
    admin, team_a, django_assert_max_num_queries
):
    from teams import invitation_lines

    teams = [team_a]
    for count in (5, 50):
        text = "\n".join(f"p{n}@example.org, P, Team A, member" for n in range(count))
        with django_assert_max_num_queries(2):
            invitation_lines.check(
                invitation_lines.parse(text),
                organization_id=admin.organization_id,
                teams=teams,
                team_required=False,
                may_grant_hr=True,
            )


def test_nothing_pasted_says_what_to_do(post, admin):
    body = post(admin, lines="  ").content.decode()
    assert "Paste some addresses or choose a file." in body


def resend(client, invitation, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("teams:invitation_resend", args=[invitation.pk]))
    return client.get(response.url).content.decode()


def sent_minutes_ago(invitation, minutes: int) -> None:
    Invitation.objects.filter(pk=invitation.pk).update(
        sent_at=timezone.now() - timezone.timedelta(minutes=minutes)
    )


def test_an_invitation_is_resent_at_most_once_in_ten_minutes(
    client, admin, team_a, django_capture_on_commit_callbacks
):
    invitation = services.invitation_create(
        inviter=admin, email="slow@example.org", team=team_a, role="member"
    )
    client.force_login(admin)
    sent_minutes_ago(invitation, 11)
    assert "Invitation sent again" in resend(client, invitation, django_capture_on_commit_callbacks)
    page = resend(client, invitation, django_capture_on_commit_callbacks)
    assert "slow@example.org has just been sent this invitation" in page
    assert "You can send it again in 10 minutes." in page
    assert len(mail.outbox) == 1
    sent_minutes_ago(invitation, 9)
    page = resend(client, invitation, django_capture_on_commit_callbacks)
    assert "You can send it again in 1 minute." in page
    assert len(mail.outbox) == 1


def test_the_too_soon_message_is_in_the_senders_language(
    client, admin, team_a, django_capture_on_commit_callbacks
):
    invitation = services.invitation_create(
        inviter=admin, email="slow@example.org", team=team_a, role="member"
    )
    admin.language = "fi"
    admin.save(update_fields=["language"])
    client.force_login(admin)
    page = resend(client, invitation, django_capture_on_commit_callbacks)
    assert "Voit lähettää sen uudelleen 10 minuutin kuluttua." in page
    assert mail.outbox == []


def test_an_organisation_resends_at_most_its_hourly_limit(
    client, admin, team_a, settings, django_capture_on_commit_callbacks
):
    settings.INVITATION_RESEND_HOURLY_LIMIT = 2
    invitations = [
        services.invitation_create(
            inviter=admin, email=f"p{n}@example.org", team=team_a, role="member"
        )
        for n in range(3)
    ]
    client.force_login(admin)
    for invitation in invitations:
        sent_minutes_ago(invitation, 60)
    pages = [resend(client, i, django_capture_on_commit_callbacks) for i in invitations]
    assert all("Invitation sent again" in page for page in pages[:2])
    assert "sent many invitations again within the last hour" in pages[2]
    assert len(mail.outbox) == 2
    invitations[2].refresh_from_db()
    assert invitations[2].sent_at < timezone.now() - timezone.timedelta(minutes=59)
