"""Reminder preferences, the in-app list with unread count, and unsubscribing from e-mail."""

import time
from unittest import mock

from django.urls import reverse

from notifications import services
from notifications.models import Notification, ReminderSettings, TeamOptOut


def test_preferences_are_saved_with_team_opt_out(client, member, team_a):
    client.force_login(member)
    response = client.post(
        reverse("notifications:preferences"),
        {"lead_minutes": "60", "by_email": "", "in_app": "on", "muted_teams": [team_a.pk]},
    )
    assert response.status_code == 302
    prefs = ReminderSettings.objects.get(user=member)
    assert (prefs.lead_minutes, prefs.by_email, prefs.in_app, prefs.nudges) == (
        60,
        False,
        True,
        False,
    )
    assert TeamOptOut.objects.filter(user=member, team=team_a).exists()


def test_bad_lead_time_and_foreign_team_are_refused_clearly(client, member, team_b):
    client.force_login(member)
    response = client.post(
        reverse("notifications:preferences"),
        {"lead_minutes": "5", "by_email": "on", "muted_teams": [team_b.pk]},
    )
    body = response.content.decode()
    assert body.count("Select a valid choice") == 2
    assert not ReminderSettings.objects.filter(user=member).exists()


def test_unread_count_shows_in_navigation_and_marking_read_clears_it(client, member, soon):
    services.reminders_sweep()
    client.force_login(member)
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert '<span class="badge">1<span class="visually-hidden"> unread</span></span>' in page
    assert "Weekly reflection of Team A is coming up" in page
    note = Notification.objects.get(user=member)
    response = client.post(
        reverse("notifications:mark_read", args=[note.pk]), HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert '<div id="inbox"' in body and "<html" not in body
    # The navigation's unread count is swapped out of band, so it is right without a reload.
    assert '<span id="nav-unread" hx-swap-oob="true"></span>' in body
    note.refresh_from_db()
    assert note.read_at is not None
    assert 'visually-hidden"> unread' not in client.get(reverse("home")).content.decode()


def test_someone_elses_notification_cannot_be_marked_read(client, member, supervisor, soon):
    services.reminders_sweep()
    client.force_login(member)
    theirs = Notification.objects.get(user=supervisor)
    client.post(reverse("notifications:mark_read", args=[theirs.pk]))
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_unsubscribe_link_asks_first_then_one_click_post_stops_emails(client, member):
    url = reverse("notifications:unsubscribe", args=[services.unsubscribe_token(member)])
    page = client.get(url)
    assert page.status_code == 200 and "Stop reminder e-mails?" in page.content.decode()
    assert services.settings_for(member).by_email is True
    # RFC 8058: the mail client posts this body, without cookies or CSRF token.
    response = client.post(url, "List-Unsubscribe=One-Click", content_type="text/plain")
    assert response.status_code == 200
    assert services.settings_for(member).by_email is False
    assert services.settings_for(member).in_app is True


def test_tampered_unsubscribe_token_changes_nothing(client, member):
    token = services.unsubscribe_token(member)
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    for url in (
        reverse("notifications:unsubscribe", args=[forged]),
        reverse("notifications:unsubscribe", args=["nonsense"]),
    ):
        response = client.post(url)
        assert response.status_code == 400
        assert "does not work" in response.content.decode()
    assert services.settings_for(member).by_email is True


def token_from_days_ago(user, days: int) -> str:
    with mock.patch("django.core.signing.time.time", return_value=time.time() - days * 86400):
        return services.unsubscribe_token(user)


def test_unsubscribe_link_older_than_sixty_days_explains_and_changes_nothing(client, member):
    url = reverse("notifications:unsubscribe", args=[token_from_days_ago(member, 61)])
    for response in (
        client.get(url),
        client.post(url, "List-Unsubscribe=One-Click", content_type="text/plain"),
    ):
        assert response.status_code == 410
        body = response.content.decode()
        assert "This unsubscribe link has expired" in body
        assert "work for 60 days" in body
        assert f'href="{reverse("notifications:preferences")}"' in body
    assert services.settings_for(member).by_email is True


def test_a_fifty_nine_days_old_link_still_stops_emails_in_one_click(client, member):
    url = reverse("notifications:unsubscribe", args=[token_from_days_ago(member, 59)])
    response = client.post(url, "List-Unsubscribe=One-Click", content_type="text/plain")
    assert response.status_code == 200
    assert services.settings_for(member).by_email is False


def test_how_long_unsubscribe_links_work_is_a_setting(client, member, settings):
    settings.UNSUBSCRIBE_MAX_AGE_DAYS = 1
    url = reverse("notifications:unsubscribe", args=[token_from_days_ago(member, 2)])
    response = client.post(url)
    assert response.status_code == 410
    assert "work for 1 day after" in response.content.decode()
    assert services.settings_for(member).by_email is True


def test_expired_link_page_is_in_finnish_for_finnish_visitors(client, member):
    url = reverse("notifications:unsubscribe", args=[token_from_days_ago(member, 90)])
    response = client.get(url, headers={"accept-language": "fi"})
    assert response.status_code == 410
    assert "vanhentunut" in response.content.decode()
