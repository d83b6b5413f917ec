"""Finnish and English: the switch, the person's saved choice, complete catalogues."""

from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse


def test_language_switch_changes_the_page_language(client, db):
    client.post(reverse("teams:set_language"), {"language": "fi", "next": "/about/"})
    body = client.get(reverse("about")).content.decode()
    assert '<html lang="fi">' in body
    assert "Tietoa" in body
    client.post(reverse("teams:set_language"), {"language": "en", "next": "/about/"})
    assert '<html lang="en">' in client.get(reverse("about")).content.decode()


def test_signed_in_persons_choice_is_saved_and_follows_them(client, member):
    client.force_login(member)
    client.post(reverse("teams:set_language"), {"language": "fi", "next": "/"})
    member.refresh_from_db()
    assert member.language == "fi"
    other_browser = client.__class__()
    other_browser.force_login(member)
    assert '<html lang="fi">' in other_browser.get(reverse("home")).content.decode()


def test_switch_does_not_redirect_to_another_site(client, db):
    response = client.post(
        reverse("teams:set_language"), {"language": "fi", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


@pytest.mark.parametrize("language", ["fi"])
def test_catalogue_is_complete(language):
    po = Path(django_settings.BASE_DIR) / "locale" / language / "LC_MESSAGES" / "django.po"
    entries = po.read_text(encoding="utf-8").split("\n\n")[1:]
    untranslated = [
        e for e in entries if 'msgstr ""' in e.splitlines()[-1] and '\nmsgstr ""\n"' not in e
    ]
    fuzzy = [e for e in entries if "#, fuzzy" in e]
    assert untranslated == []
    assert fuzzy == []


def test_preferences_and_the_switch_set_the_same_language_cookie(client, member, settings):
    client.force_login(member)
    saved = client.post(
        reverse("teams:preferences"), {"language": "fi", "time_zone": "Europe/Helsinki"}
    ).cookies[settings.LANGUAGE_COOKIE_NAME]
    switched = client.post(reverse("teams:set_language"), {"language": "fi", "next": "/"}).cookies[
        settings.LANGUAGE_COOKIE_NAME
    ]
    for attribute in ("secure", "httponly", "samesite", "path", "max-age"):
        assert saved[attribute] == switched[attribute], attribute
    assert saved.value == switched.value == "fi"
