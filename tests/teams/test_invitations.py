"""Invitations: who may invite, the e-mail, accepting through a signed expiring link."""

import re
from unittest import mock

import pytest
from django.core import mail, signing
from django.db import IntegrityError, transaction
from django.urls import reverse

from teams import services
from teams.models import Invitation, Membership, User


@pytest.fixture
def invite(client, django_capture_on_commit_callbacks):
    """Posts the invitation form as the inviter; the e-mail goes out after the commit."""

    def post(inviter, **data):
        client.force_login(inviter)
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("teams:invitations"), data)

    return post


def link_path(message) -> str:
    return re.search(r"https?://[^/\s]+(/invite/\S+/)", message.body).group(1)


def test_supervisor_invites_to_their_team_and_an_email_goes_out(client, supervisor, team_a, invite):
    response = invite(supervisor, email="new@example.org", team=team_a.pk, role="member")
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new@example.org"]
    assert "Team A" in mail.outbox[0].body


def test_supervisor_cannot_invite_to_a_team_they_do_not_lead(client, supervisor, team_b, invite):
    response = invite(supervisor, email="new@example.org", team=team_b.pk, role="member")
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Invitation.objects.exists()


def test_bad_email_gives_a_clear_error_and_keeps_what_was_typed(client, admin, invite):
    response = invite(admin, email="not-an-address", role="member")
    body = response.content.decode()
    assert "Enter a valid email address" in body
    assert 'value="not-an-address"' in body
    assert mail.outbox == []


def test_inviting_an_existing_account_is_refused(client, admin, member, invite):
    response = invite(admin, email="MIA@example.org", role="member")
    assert "already has an account" in response.content.decode()


def test_invitee_sets_a_password_joins_the_team_and_is_signed_in(
    client, supervisor, team_a, invite
):
    invite(supervisor, email="new@example.org", team=team_a.pk, role="member", language="en")
    client.logout()
    path = link_path(mail.outbox[0])
    page = client.get(path)
    assert "Join Acme" in page.content.decode()
    response = client.post(
        path,
        {
            "username": "newbie",
            "first_name": "New",
            "last_name": "Person",
            "password1": "a-fine-password-99",
            "password2": "a-fine-password-99",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="newbie")
    assert user.email == "new@example.org"
    assert user.organization == team_a.organization
    assert Membership.objects.get(user=user, team=team_a).role == "member"
    assert client.get(reverse("home")).status_code == 200
    # The link is used up.
    assert client.get(path).status_code == 400


def test_mismatched_passwords_keep_the_typed_names(client, supervisor, team_a):
    invitation = services.invitation_create(
        inviter=supervisor, email="x@example.org", team=team_a, role="member", language="en"
    )
    path = reverse("teams:invitation_accept", args=[services.invitation_token(invitation)])
    response = client.post(
        path,
        {
            "username": "xavier",
            "first_name": "Xavier",
            "password1": "a-fine-password-99",
            "password2": "another-password-99",
        },
    )
    body = response.content.decode()
    assert "The two passwords differ" in body
    assert 'value="xavier"' in body and 'value="Xavier"' in body
    assert not User.objects.filter(username="xavier").exists()


def test_tampered_token_is_refused(client, db):
    response = client.get(reverse("teams:invitation_accept", args=["abc:def"]))
    assert response.status_code == 400
    assert "does not work" in response.content.decode()


def test_expired_token_is_refused(client, supervisor, team_a, settings):
    invitation = services.invitation_create(
        inviter=supervisor, email="x@example.org", team=team_a, role="member", language="en"
    )
    token = services.invitation_token(invitation)
    settings.INVITATION_MAX_AGE = -1
    with pytest.raises(services.InvitationInvalid):
        services.invitation_from_token(token)
    assert client.get(reverse("teams:invitation_accept", args=[token])).status_code == 400


def test_token_signed_for_something_else_is_refused(client, supervisor, team_a):
    invitation = services.invitation_create(
        inviter=supervisor, email="x@example.org", team=team_a, role="member", language="en"
    )
    forged = signing.dumps({"i": invitation.pk}, salt="another-purpose")
    assert client.get(reverse("teams:invitation_accept", args=[forged])).status_code == 400


def test_withdrawn_invitation_no_longer_works(client, supervisor, team_a):
    invitation = services.invitation_create(
        inviter=supervisor, email="x@example.org", team=team_a, role="member", language="en"
    )
    token = services.invitation_token(invitation)
    client.force_login(supervisor)
    client.post(reverse("teams:invitation_revoke", args=[invitation.pk]))
    client.logout()
    assert client.get(reverse("teams:invitation_accept", args=[token])).status_code == 400


def test_invitation_email_is_in_the_inviters_language(client, supervisor, team_a, invite):
    client.force_login(supervisor)
    client.post(reverse("teams:set_language"), {"language": "fi", "next": "/"})
    invite(supervisor, email="uusi@example.org", team=team_a.pk, role="member")
    assert "kutsu" in mail.outbox[0].subject.lower()


def accept(client, invitation, username):
    path = reverse("teams:invitation_accept", args=[services.invitation_token(invitation)])
    return client.post(
        path,
        {
            "username": username,
            "first_name": "New",
            "password1": "a-fine-password-99",
            "password2": "a-fine-password-99",
        },
    )


def test_second_invitation_to_the_same_address_in_another_case_answers_clearly(
    client, supervisor, team_a, team_b, admin
):
    first = services.invitation_create(
        inviter=supervisor, email="New@Example.org", team=team_a, role="member", language="en"
    )
    second = services.invitation_create(
        inviter=admin, email="new@example.ORG", team=team_b, role="member", language="en"
    )
    assert accept(client, first, "newbie").status_code == 302
    client.logout()
    for response in (
        client.get(reverse("teams:invitation_accept", args=[services.invitation_token(second)])),
        accept(client, second, "newbie2"),
    ):
        assert response.status_code == 409
        assert "You already have an account" in response.content.decode()
    assert User.objects.filter(email__iexact="new@example.org").count() == 1
    assert not User.objects.filter(username="newbie2").exists()
    second.refresh_from_db()
    assert second.accepted_at is None


def accept_directly(invitation):
    return services.invitation_accept(
        invitation=invitation,
        username="mia2",
        first_name="Mia",
        last_name="",
        password="a-fine-password-99",
        language="en",
    )


def test_accepting_refuses_an_address_an_account_already_has(supervisor, team_a, member):
    invitation = services.invitation_create(
        inviter=supervisor, email="MIA@EXAMPLE.ORG", team=team_a, role="member", language="en"
    )
    with pytest.raises(services.InvitationAddressTaken):
        accept_directly(invitation)
    assert not User.objects.filter(username="mia2").exists()


def test_an_account_created_at_the_same_moment_is_a_clear_answer_not_an_error(
    supervisor, team_a, member
):
    invitation = services.invitation_create(
        inviter=supervisor, email="MIA@EXAMPLE.ORG", team=team_a, role="member", language="en"
    )
    # The check passes, then the unique index refuses: as if the other account came between.
    with (
        mock.patch("teams.selectors.email_in_use", side_effect=[False, True]),
        pytest.raises(services.InvitationAddressTaken),
    ):
        accept_directly(invitation)
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_accounts_are_unique_by_address_whatever_the_case(member):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user(username="mia-again", email="Mia@Example.Org", password="x")


def invitation_page(client, invitation, **headers):
    path = reverse("teams:invitation_accept", args=[services.invitation_token(invitation)])
    return client.get(path, headers=headers)


@pytest.mark.parametrize(
    ("language", "shown", "not_shown"),
    [
        ("fi", "Sinut on kutsuttu tiimiin Team A.", "You have been invited"),
        ("en", "You have been invited to the team Team A.", "Sinut on kutsuttu"),
    ],
)
def test_invitation_page_speaks_the_invitations_language_not_the_browsers(
    client, supervisor, team_a, language, shown, not_shown
):
    invitation = services.invitation_create(
        inviter=supervisor, email="x@example.org", team=team_a, role="member", language=language
    )
    browser = "en" if language == "fi" else "fi"
    response = invitation_page(client, invitation, accept_language=browser)
    body = response.content.decode()
    assert shown in body and not_shown not in body
    assert f'<html lang="{language}"' in body


def test_invitation_without_a_language_speaks_the_organisations(client, supervisor, team_a):
    team_a.organization.language = "fi"
    team_a.organization.save(update_fields=["language"])
    invitation = services.invitation_create(
        inviter=supervisor, email="x@example.org", team=team_a, role="member"
    )
    body = invitation_page(client, invitation, accept_language="en").content.decode()
    assert "Sinut on kutsuttu tiimiin Team A." in body


def test_invitee_switches_the_invitation_page_to_another_language(client, supervisor, team_a):
    invitation = services.invitation_create(
        inviter=supervisor, email="x@example.org", team=team_a, role="member", language="fi"
    )
    path = reverse("teams:invitation_accept", args=[services.invitation_token(invitation)])
    body = client.get(path).content.decode()
    assert 'action="/i18n/setlang/"' in body or reverse("teams:set_language") in body
    response = client.post(reverse("teams:set_language"), {"language": "sv-fi", "next": path})
    assert response.status_code == 302
    body = client.get(path).content.decode()
    assert "Du har bjudits in till teamet Team A." in body
    # The account made on the page keeps the language it was read in.
    accept(client, invitation, "svea")
    assert User.objects.get(username="svea").language == "sv-fi"


def test_a_signed_in_visitor_keeps_their_own_language_on_the_invitation_page(
    client, supervisor, team_a, member
):
    invitation = services.invitation_create(
        inviter=supervisor, email="x@example.org", team=team_a, role="member", language="fi"
    )
    client.force_login(member)
    body = invitation_page(client, invitation).content.decode()
    assert "You have been invited to the team Team A." in body
