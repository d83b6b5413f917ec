"""Signing in and out, password change and reset through e-mail."""

import re

from django.core import mail
from django.urls import reverse

from tests.conftest import PASSWORD


def test_member_signs_in_and_lands_on_home(client, member):
    response = client.post(reverse("login"), {"username": "mia", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "Team A" in response.content.decode()


def test_wrong_password_is_refused_with_a_message_and_keeps_username(client, member):
    response = client.post(reverse("login"), {"username": "mia", "password": "nope"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "enter a correct username and password" in body
    assert 'value="mia"' in body
    assert "_auth_user_id" not in client.session


def test_sign_out_ends_the_session(client, member):
    client.force_login(member)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_password_change_requires_the_old_password(client, member):
    client.force_login(member)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "wrong",
            "new_password1": "brand-new-secret-77",
            "new_password2": "brand-new-secret-77",
        },
    )
    assert response.status_code == 200
    assert "Your old password was entered incorrectly" in response.content.decode()
    member.refresh_from_db()
    assert member.check_password(PASSWORD)


def test_password_reset_by_email_link_sets_a_new_password(client, member):
    client.post(reverse("password_reset"), {"email": "mia@example.org"})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "brand-new-secret-77", "new_password2": "brand-new-secret-77"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password("brand-new-secret-77")


def test_password_reset_for_unknown_email_sends_nothing_but_looks_the_same(client, db):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_reset_email_is_in_the_persons_language(client, member):
    member.language = "fi"
    member.save()
    client.post(reverse("password_reset"), {"email": "mia@example.org"})  # page in English
    assert "salasana" in mail.outbox[0].subject.lower()
    assert "salasana" in mail.outbox[0].body.lower()


def test_sign_in_is_refused_after_five_failures_even_with_the_right_password(client, member):
    for _ in range(5):
        client.post(reverse("login"), {"username": "mia", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "mia", "password": PASSWORD})
    assert response.status_code == 200
    assert "Too many failed sign-ins" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_failures_against_one_account_do_not_lock_out_another(client, member, supervisor):
    for _ in range(5):
        client.post(reverse("login"), {"username": "mia", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "sue", "password": PASSWORD})
    assert response.status_code == 302


def test_many_failures_from_one_address_are_limited_too(client, member, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 3
    for name in ("a", "b", "c"):
        client.post(reverse("login"), {"username": name, "password": "wrong"})
    response = client.post(reverse("login"), {"username": "mia", "password": PASSWORD})
    assert "Too many failed sign-ins" in response.content.decode()


def test_a_successful_sign_in_resets_the_count(client, member):
    for _ in range(4):
        client.post(reverse("login"), {"username": "mia", "password": "wrong"})
    assert (
        client.post(reverse("login"), {"username": "mia", "password": PASSWORD}).status_code == 302
    )
    client.logout()
    for _ in range(4):
        client.post(reverse("login"), {"username": "mia", "password": "wrong"})
    assert (
        client.post(reverse("login"), {"username": "mia", "password": PASSWORD}).status_code == 302
    )
