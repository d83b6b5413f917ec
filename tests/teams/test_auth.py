"""Signing in and out, password change and reset through e-mail."""

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.conftest import PASSWORD, make_user

STRANGER = "198.51.100.7"  # documentation addresses (RFC 5737)
OWNER = "203.0.113.20"


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


def fail(client, url, username, times, address=STRANGER, **extra):
    for _ in range(times):
        client.post(url, {"username": username, "password": "wrong"}, REMOTE_ADDR=address, **extra)


def sign_in(client, url, username, address=STRANGER, **extra):
    return client.post(
        url, {"username": username, "password": PASSWORD}, REMOTE_ADDR=address, **extra
    )


@pytest.fixture
def staff(acme):
    user = make_user(acme, "stella")
    user.is_staff = user.is_superuser = True
    user.save()
    return user


def test_sign_in_is_refused_after_five_failures_even_with_the_right_password(client, member):
    fail(client, reverse("login"), "mia", 5)
    response = sign_in(client, reverse("login"), "mia")
    assert response.status_code == 429
    body = response.content.decode()
    assert "Too many failed sign-ins" in body
    assert "paused for 15 minutes" in body
    assert reverse("password_reset") in body
    assert response["Retry-After"] == "900"
    assert "_auth_user_id" not in client.session


def test_four_failures_still_let_the_right_password_in(client, member):
    fail(client, reverse("login"), "mia", 4)
    assert sign_in(client, reverse("login"), "mia").status_code == 302


def test_a_lock_on_the_sign_in_page_holds_on_the_admin_login_too(client, staff):
    admin_login = reverse("admin:login")
    fail(client, reverse("login"), "stella", 5)
    fail(client, admin_login, "stella", 10)
    response = sign_in(client, admin_login, "stella")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("admin:index")).status_code == 302  # still signed out


def test_failures_on_the_admin_login_lock_the_sign_in_page(client, staff):
    fail(client, reverse("admin:login"), "stella", 5)
    assert sign_in(client, reverse("login"), "stella").status_code == 429


def test_a_stranger_cannot_lock_the_owner_out_from_another_address(client, member):
    fail(client, reverse("login"), "mia", 12, address=STRANGER)
    assert sign_in(client, reverse("login"), "mia", address=STRANGER).status_code == 429
    assert sign_in(client, reverse("login"), "mia", address=OWNER).status_code == 302


def test_failures_against_one_account_do_not_lock_out_another(client, member, supervisor):
    fail(client, reverse("login"), "mia", 5)
    assert sign_in(client, reverse("login"), "sue").status_code == 302


def test_username_case_and_spaces_do_not_give_extra_tries(client, member):
    for name in ("MIA", " mia", "Mia ", "mIa", "mia"):
        fail(client, reverse("login"), name, 1)
    assert sign_in(client, reverse("login"), "mia").status_code == 429


def test_an_overlong_username_is_counted_not_a_server_error(client, member):
    long_name = "a" * 1000
    for _ in range(5):
        response = client.post(reverse("login"), {"username": long_name, "password": "x"})
        assert response.status_code in (200, 429)
    assert response.status_code == 429
    assert sign_in(client, reverse("login"), "mia").status_code == 302


def test_a_forged_forwarded_for_header_is_not_another_address(client, member):
    for i in range(5):
        fail(client, reverse("login"), "mia", 1, HTTP_X_FORWARDED_FOR=f"192.0.2.{i}")
    response = sign_in(client, reverse("login"), "mia", HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert response.status_code == 429


def test_behind_a_trusted_proxy_the_forwarded_client_address_counts(client, member, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.5"
    fail(client, reverse("login"), "mia", 5, address=proxy, HTTP_X_FORWARDED_FOR=STRANGER)
    assert (
        sign_in(client, reverse("login"), "mia", proxy, HTTP_X_FORWARDED_FOR=STRANGER).status_code
        == 429
    )
    # The client may prepend anything; only the entry our proxy appended is read.
    owner = f"{STRANGER}, {OWNER}"
    response = sign_in(client, reverse("login"), "mia", proxy, HTTP_X_FORWARDED_FOR=owner)
    assert response.status_code == 302


def test_the_lock_ends_after_fifteen_minutes(client, member):
    fail(client, reverse("login"), "mia", 5)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert sign_in(client, reverse("login"), "mia").status_code == 302


def test_an_admin_unlocks_a_person_with_the_reset_command(client, member):
    fail(client, reverse("login"), "mia", 5)
    call_command("axes_reset_username", "mia", verbosity=0)
    assert sign_in(client, reverse("login"), "mia").status_code == 302


def test_an_admin_sees_and_unlocks_failed_attempts_in_the_django_admin(client, member, staff):
    fail(client, reverse("login"), "mia", 5)
    attempt = AccessAttempt.objects.get(username="mia")
    client.force_login(staff)
    listing = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert listing.status_code == 200 and "mia" in listing.content.decode()
    client.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"})
    client.logout()
    assert sign_in(client, reverse("login"), "mia").status_code == 302


def test_people_without_staff_rights_do_not_see_the_attempts(client, admin):
    client.force_login(admin)  # an organisation admin, not Django staff
    response = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert response.status_code == 302


def test_lockout_page_is_in_finnish_for_finnish_visitors(client, member):
    fail(client, reverse("login"), "mia", 5, HTTP_ACCEPT_LANGUAGE="fi")
    response = sign_in(client, reverse("login"), "mia", HTTP_ACCEPT_LANGUAGE="fi")
    assert response.status_code == 429
    assert "Liian monta" in response.content.decode()


def test_a_successful_sign_in_resets_the_count(client, member):
    fail(client, reverse("login"), "mia", 4)
    assert sign_in(client, reverse("login"), "mia").status_code == 302
    client.logout()
    fail(client, reverse("login"), "mia", 4)
    assert sign_in(client, reverse("login"), "mia").status_code == 302


def reset(client, email):
    return client.post(reverse("password_reset"), {"email": email})


def test_a_second_reset_right_away_sends_nothing_but_looks_the_same(client, member):
    first, second = reset(client, "mia@example.org"), reset(client, "mia@example.org")
    assert len(mail.outbox) == 1
    for response in (first, second):
        assert response.status_code == 302
        assert response["Location"] == reverse("password_reset_done")


def test_reset_limit_holds_for_the_address_written_in_another_case(client, member):
    reset(client, "mia@example.org")
    reset(client, " MIA@Example.ORG ")
    assert len(mail.outbox) == 1


def test_resets_are_capped_per_day_even_when_spaced_out(client, member, settings):
    settings.PASSWORD_RESET_INTERVAL_SECONDS = 0  # as if every try came minutes apart
    for _ in range(8):
        reset(client, "mia@example.org")
    assert len(mail.outbox) == 5


def test_the_limit_follows_the_account_when_its_address_changes(client, member):
    reset(client, "mia@example.org")
    member.email = "mia.new@example.org"
    member.save()
    reset(client, "mia.new@example.org")
    assert len(mail.outbox) == 1


def test_one_persons_resets_do_not_hold_back_anothers(client, member, supervisor):
    reset(client, "mia@example.org")
    reset(client, "sue@example.org")
    assert sorted(m.to[0] for m in mail.outbox) == ["mia@example.org", "sue@example.org"]


def test_a_held_back_reset_and_an_unknown_address_answer_alike(client, member):
    reset(client, "mia@example.org")
    held = reset(client, "mia@example.org")
    unknown = reset(client, "nobody@example.org")
    assert (held.status_code, held["Location"]) == (unknown.status_code, unknown["Location"])
    assert len(mail.outbox) == 1
