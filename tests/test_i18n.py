"""Finnish and English: the switch, the person's saved choice, complete catalogues."""

from pathlib import Path

import polib
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


@pytest.mark.parametrize("language", ["fi", "sv_FI"])
def test_catalogue_is_complete(language):
    po = polib.pofile(
        str(Path(django_settings.BASE_DIR) / "locale" / language / "LC_MESSAGES" / "django.po")
    )
    assert po.metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []
    # Both forms of every plural, and no "(s)" standing in for one.
    assert [e.msgid for e in po if e.msgid_plural and "" in e.msgstr_plural.values()] == []
    assert [e.msgid for e in po if "(s)" in e.msgid] == []


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


@pytest.mark.parametrize("asked", ["sv", "sv-SE", "sv-FI", "sv-SE,sv;q=0.9,en;q=0.5"])
def test_browsers_asking_for_swedish_get_finlands_swedish(client, db, asked):
    body = client.get(reverse("about"), HTTP_ACCEPT_LANGUAGE=asked).content.decode()
    assert '<html lang="sv-fi">' in body


def test_the_pickers_name_swedish_in_swedish(client, member):
    client.force_login(member)
    assert ">Svenska</option>" in client.get(reverse("home")).content.decode()
    assert ">Svenska</option>" in client.get(reverse("teams:preferences")).content.decode()


def test_persons_choice_comes_before_the_browser(client, member):
    member.language = "sv-fi"
    member.save(update_fields=["language"])
    client.force_login(member)
    body = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="sv-fi">' in body


def test_without_a_choice_the_browser_then_the_organisation_decides(client, member):
    member.language = ""
    member.save(update_fields=["language"])
    member.organization.language = "sv-fi"
    member.organization.save(update_fields=["language"])
    client.force_login(member)
    asks_english = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-GB")
    assert '<html lang="en">' in asks_english.content.decode()
    asks_german = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="de")
    assert '<html lang="sv-fi">' in asks_german.content.decode()


def test_choosing_the_browsers_language_clears_the_saved_choice(client, member):
    client.force_login(member)
    response = client.post(
        reverse("teams:preferences"), {"language": "", "time_zone": "Europe/Helsinki"}
    )
    member.refresh_from_db()
    assert member.language == ""
    assert response.cookies[django_settings.LANGUAGE_COOKIE_NAME].value == ""


@pytest.mark.parametrize(
    ("language", "typed", "shown"),
    [
        ("sv-fi", "25.10.2026", "25.10.2026"),
        ("fi", "25.10.2026", "25.10.2026"),
        ("en", "25/10/2026", "25/10/2026"),
        ("en", "25.10.2026", "25/10/2026"),
    ],
)
def test_dates_are_typed_and_shown_the_finnish_or_british_way(language, typed, shown):
    from datetime import date

    from django import forms
    from django.utils import formats, translation

    with translation.override(language):
        field = forms.DateField()
        assert field.clean(typed) == date(2026, 10, 25)
        assert field.clean("2026-10-25") == date(2026, 10, 25)
        assert formats.date_format(date(2026, 10, 25), "SHORT_DATE_FORMAT") == shown


def test_swedish_times_read_the_finnish_way():
    from datetime import time

    from django.utils import formats, translation

    with translation.override("sv-fi"):
        assert formats.time_format(time(14, 30)) == "14.30"


@pytest.mark.parametrize(("language", "blank"), [("fi", "- Valitse -"), ("sv-fi", "- Välj -")])
def test_select_fields_offer_a_blank_choice_in_the_pages_language(language, blank):
    from django.utils import translation

    from teams.models import User

    with translation.override(language):
        field = User._meta.get_field("language").formfield()
        assert str(field.choices[0][1]) == blank


def test_session_times_read_the_way_each_language_writes_them(client, member, team_a):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from reflections import services as reflection_services

    reflection_services.session_add(
        team=team_a,
        title="Retro",
        starts_at=datetime(2030, 3, 5, 9, 30, tzinfo=ZoneInfo("Europe/Helsinki")),
        duration_minutes=30,
        time_zone="Europe/Helsinki",
        prompt_keys=[],
    )
    client.force_login(member)
    url = reverse("reflections:team_sessions", args=[team_a.pk])
    for language, shown in (("fi", "9.30"), ("sv-fi", "9.30"), ("en", "09:30")):
        member.language = language
        member.save(update_fields=["language"])
        assert shown in client.get(url).content.decode(), language


def test_messages_to_someone_without_a_choice_use_the_organisations_language(
    client, member, mailoutbox
):
    member.language = ""
    member.email = "mia@example.org"
    member.save(update_fields=["language", "email"])
    member.organization.language = "sv-fi"
    member.organization.save(update_fields=["language"])
    client.post(reverse("password_reset"), {"email": "mia@example.org"})
    assert "Välj ett nytt lösenord för Learning Lead" in mailoutbox[0].subject
