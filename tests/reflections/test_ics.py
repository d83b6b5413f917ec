"""iCalendar feeds: parse with icalendar, match the sessions, follow moves and skips."""

from datetime import timedelta

import icalendar
from django.urls import reverse

from reflections import services
from reflections.models import Session
from teams import services as team_services


def fetch(client, feed) -> icalendar.Calendar:
    response = client.get(reverse("reflections:feed", args=[feed.token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def events(calendar) -> dict[str, icalendar.Event]:
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_team_feed_lists_each_session_with_a_stable_uid_and_local_time(client, rhythm, member):
    calendar = fetch(client, services.feed_for_team(user=member, team=rhythm.team))
    found = events(calendar)
    sessions = list(Session.objects.filter(team=rhythm.team))
    assert set(found) == {f"{s.uid}@learning-lead" for s in sessions}
    first = sessions[0]
    event = found[f"{first.uid}@learning-lead"]
    assert event.decoded("DTSTART") == first.starts_at
    assert event["DTSTART"].params["TZID"] == "Europe/Helsinki"
    assert event.decoded("DTSTART").hour == 9
    assert event["SEQUENCE"] == 0 and event["STATUS"] == "CONFIRMED"
    assert "Weekly reflection" in str(event["SUMMARY"])
    assert "What did we learn?" in str(event["DESCRIPTION"])
    assert any(tz["TZID"] == "Europe/Helsinki" for tz in calendar.walk("VTIMEZONE"))
    # The same feed twice gives the same UIDs.
    assert set(events(fetch(client, services.feed_for_team(user=member, team=rhythm.team)))) == set(
        found
    )


def test_moved_session_has_a_higher_sequence_and_the_new_time(client, rhythm, next_session, member):
    new_start = next_session.starts_at + timedelta(days=1)
    services.session_move(
        session=next_session, starts_at=new_start, duration_minutes=30, location="", video_url=""
    )
    event = events(fetch(client, services.feed_for_team(user=member, team=rhythm.team)))[
        f"{next_session.uid}@learning-lead"
    ]
    assert event["SEQUENCE"] == 1
    assert event.decoded("DTSTART") == new_start


def test_a_session_with_a_room_and_a_link_keeps_both_in_the_calendar(
    client, rhythm, next_session, member
):
    link = "https://meet.example.com/team-a-weekly"
    services.session_move(
        session=next_session,
        starts_at=next_session.starts_at,
        duration_minutes=30,
        location="Room 4.12",
        video_url=link,
    )
    event = events(fetch(client, services.feed_for_team(user=member, team=rhythm.team)))[
        f"{next_session.uid}@learning-lead"
    ]
    assert str(event["LOCATION"]) == "Room 4.12"
    assert str(event["CONFERENCE"]) == link
    assert event["CONFERENCE"].params["FEATURE"] == "VIDEO"
    assert link in str(event["DESCRIPTION"])
    # The event's URL stays the session's page in Learning Lead.
    assert str(event["URL"]).endswith(reverse("reflections:session", args=[next_session.pk]))


def test_a_session_with_only_a_link_shows_it_as_its_location(client, rhythm, next_session, member):
    link = "https://meet.example.com/only-online"
    services.session_move(
        session=next_session,
        starts_at=next_session.starts_at,
        duration_minutes=30,
        location="",
        video_url=link,
    )
    found = events(fetch(client, services.feed_for_team(user=member, team=rhythm.team)))
    event = found[f"{next_session.uid}@learning-lead"]
    assert str(event["LOCATION"]) == link and str(event["CONFERENCE"]) == link
    # A session with a room and no link has no conference.
    other = next(e for uid, e in found.items() if uid != f"{next_session.uid}@learning-lead")
    assert str(other["LOCATION"]) == "Room 1" and "CONFERENCE" not in other


def test_skipped_session_is_cancelled_in_the_feed(client, rhythm, next_session, member):
    services.session_skip(session=next_session)
    event = events(fetch(client, services.feed_for_team(user=member, team=rhythm.team)))[
        f"{next_session.uid}@learning-lead"
    ]
    assert event["STATUS"] == "CANCELLED"
    assert event["SEQUENCE"] == 1


def test_personal_feed_covers_all_my_teams_and_no_others(
    client, rhythm, member, team_b, other_member
):
    services.rhythm_create(
        team=team_b,
        title="Team B weekly",
        frequency="weekly",
        weekday=2,
        start_date=rhythm.start_date,
        start_time=rhythm.start_time,
        time_zone="Europe/Helsinki",
    )
    mine = events(fetch(client, services.feed_for_user(user=member)))
    assert set(mine) == {f"{s.uid}@learning-lead" for s in rhythm.team.sessions.all()}
    bobs = events(fetch(client, services.feed_for_user(user=other_member)))
    assert bobs and not set(bobs) & set(mine)


def test_personal_feed_is_in_the_persons_language(client, rhythm, member):
    member.language = "fi"
    member.save()
    calendar = fetch(client, services.feed_for_user(user=member))
    event = next(iter(calendar.walk("VEVENT")))
    assert "Mitä" in str(event["DESCRIPTION"])


def test_reset_link_stops_the_old_one(client, member, rhythm):
    client.force_login(member)
    old = services.feed_for_user(user=member).token
    client.post(reverse("reflections:feed_reset"))
    new = services.feed_for_user(user=member).token
    assert new != old
    assert client.get(reverse("reflections:feed", args=[old])).status_code == 404
    assert client.get(reverse("reflections:feed", args=[new])).status_code == 200


def test_unknown_token_and_deactivated_persons_feed_give_404(client, member):
    assert client.get(reverse("reflections:feed", args=["nope"])).status_code == 404
    feed = services.feed_for_user(user=member)
    member.is_active = False
    member.save()
    assert client.get(reverse("reflections:feed", args=[feed.token])).status_code == 404


def test_a_team_feed_stops_working_for_a_person_who_left_the_team(
    client, rhythm, member, supervisor
):
    theirs = services.feed_for_team(user=member, team=rhythm.team)
    leads = services.feed_for_team(user=supervisor, team=rhythm.team)
    assert theirs.token != leads.token  # each person has their own link to the team
    fetch(client, theirs)

    team_services.membership_remove(team=rhythm.team, user=member)

    url = reverse("reflections:feed", args=[theirs.token])
    assert client.get(url).status_code == 404
    fetch(client, leads)  # the others' links to the team keep working


def test_resetting_a_team_link_changes_only_ones_own(client, rhythm, member, supervisor):
    mine = services.feed_for_team(user=member, team=rhythm.team).token
    theirs = services.feed_for_team(user=supervisor, team=rhythm.team).token
    client.force_login(member)
    response = client.post(reverse("reflections:team_feed_reset", args=[rhythm.team.pk]))
    assert response.status_code == 302
    new = services.feed_for_team(user=member, team=rhythm.team).token
    assert new != mine
    client.logout()
    assert client.get(reverse("reflections:feed", args=[mine])).status_code == 404
    assert client.get(reverse("reflections:feed", args=[new])).status_code == 200
    assert client.get(reverse("reflections:feed", args=[theirs])).status_code == 200


def test_resetting_the_link_of_a_team_one_is_not_in_gives_404(client, rhythm, other_member):
    client.force_login(other_member)
    response = client.post(reverse("reflections:team_feed_reset", args=[rhythm.team.pk]))
    assert response.status_code == 404


def test_feed_follows_its_owner_not_the_calendar_app_asking(client, rhythm, member):
    member.language = "sv-fi"
    member.save(update_fields=["language"])
    token = services.feed_for_user(user=member).token
    response = client.get(reverse("reflections:feed", args=[token]), HTTP_ACCEPT_LANGUAGE="en")
    assert "Vad lärde vi oss?" in response.content.decode()
    assert "What did we learn?" not in response.content.decode()
