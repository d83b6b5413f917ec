"""Sign-up: a new organisation and its admin, verified by e-mail; the shell's way too."""

import re
from io import StringIO

import pytest
from django.core import mail, signing
from django.core.management import CommandError, call_command
from django.urls import reverse

from teams import access, signup_services
from teams.models import Organization, OrgRole, User

from ..conftest import PASSWORD


def form(**extra) -> dict:
    return {
        "organization_name": "Nordic Widgets",
        "language": "fi",
        "time_zone": "Europe/Helsinki",
        "first_name": "Nina",
        "last_name": "North",
        "email": "nina@widgets.example",
        "username": "nina",
        "password1": PASSWORD,
        "password2": PASSWORD,
    } | extra


@pytest.fixture
def sign_up(client, django_capture_on_commit_callbacks):
    def post(**extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("teams:signup"), form(**extra))

    return post


def verify_path(message) -> str:
    return re.search(r"https?://[^/\s]+(/signup/verify/\S+/)", message.body).group(1)


def test_sign_up_sends_a_link_and_the_account_waits_for_it(db, client, sign_up):
    response = sign_up()
    assert response.status_code == 200
    assert "nina@widgets.example" in response.content.decode()
    organization = Organization.objects.get(name="Nordic Widgets")
    assert (organization.language, organization.time_zone) == ("fi", "Europe/Helsinki")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["nina@widgets.example"]
    assert "Vahvista" in mail.outbox[0].subject  # in the language chosen for the organisation
    # No sign-in before the link is opened.
    assert not client.login(username="nina", password=PASSWORD)
    response = client.post(reverse("login"), {"username": "nina", "password": PASSWORD})
    assert "_auth_user_id" not in client.session


def test_opening_the_link_makes_the_person_admin_and_signs_them_in(db, client, sign_up):
    sign_up()
    path = verify_path(mail.outbox[0])
    page = client.get(path)
    assert page.status_code == 200 and "Nordic Widgets" in page.content.decode()
    assert "_auth_user_id" not in client.session  # a mail scanner's GET verifies nothing
    response = client.post(path)
    assert response.status_code == 302
    user = User.objects.get(username="nina")
    assert user.is_active and access.is_admin(user)
    assert client.get(reverse("teams:people")).status_code == 200
    # The link is used up.
    assert client.post(path).status_code == 400


def test_an_expired_or_tampered_link_explains(db, client, sign_up, settings):
    sign_up()
    path = verify_path(mail.outbox[0])
    assert client.get(path[:-3] + "xx/").status_code == 400
    settings.SIGNUP_VERIFY_MAX_AGE = -1
    response = client.post(path)
    assert response.status_code == 400
    assert "does not work" in response.content.decode()
    assert not OrgRole.objects.exists()


def test_signing_up_again_replaces_the_unverified_sign_up(db, client, sign_up):
    sign_up()
    sign_up(organization_name="Nordic Widgets Oy")
    assert list(Organization.objects.values_list("name", flat=True)) == ["Nordic Widgets Oy"]
    assert User.objects.filter(username="nina").count() == 1
    assert client.post(verify_path(mail.outbox[0])).status_code == 400  # the first link
    assert client.post(verify_path(mail.outbox[1])).status_code == 302


def test_an_address_or_username_with_an_account_is_refused(db, client, sign_up, member):
    response = sign_up(email="MIA@example.org", username="mia")
    body = response.content.decode()
    assert "already has an account" in body
    assert "username is taken" in body
    assert not Organization.objects.filter(name="Nordic Widgets").exists()
    assert mail.outbox == []


def test_weak_passwords_and_missing_fields_get_clear_errors(db, client, sign_up):
    response = sign_up(password1="12345678", password2="12345678", organization_name="")
    body = response.content.decode()
    assert "too common" in body and "This field is required" in body
    assert not Organization.objects.exists()


def test_sign_ups_from_one_address_are_limited(db, client, sign_up, settings):
    settings.SIGNUP_HOURLY_LIMIT = 2
    for n in range(2):
        assert sign_up(email=f"p{n}@x.example", username=f"p{n}").status_code == 200
    response = sign_up(email="p3@x.example", username="p3")
    assert response.status_code == 429
    assert Organization.objects.count() == 2


def test_sign_up_switched_off_answers_404(db, client, settings):
    settings.SIGNUP_ENABLED = False
    assert client.get(reverse("teams:signup")).status_code == 404
    assert "Start your organisation" not in client.get(reverse("login")).content.decode()
    token = signing.dumps({"u": 1}, salt=signup_services.SIGNUP_SALT)
    assert client.get(reverse("teams:signup_verify", args=[token])).status_code == 404


def test_create_organisation_command_makes_an_admin_with_a_password_link(db, client):
    out = StringIO()
    call_command(
        "create_organisation",
        name="Self Hosted",
        admin_email="root@self.example",
        admin_username="root",
        language="en",
        stdout=out,
    )
    user = User.objects.get(username="root")
    assert access.is_admin(user) and user.organization.language == "en"
    path = re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", out.getvalue()).group(1)
    page = client.get(path, follow=True)
    new = "another-long-password-77"
    client.post(page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert client.login(username="root", password=new)


def test_create_organisation_refuses_an_address_in_use(db, member):
    with pytest.raises(CommandError, match="already has an account"):
        call_command(
            "create_organisation",
            name="X",
            admin_email="mia@example.org",
            admin_username="x",
            stdout=StringIO(),
        )
