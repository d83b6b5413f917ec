"""Demo rhythms with a few months of held sessions and attendance, for `seed_demo`.
Idempotent: sessions are keyed by (rhythm, occurrence date)."""

import random
from datetime import date, time, timedelta

from django.utils import timezone

from reflections import recurrence, services
from reflections.models import Attendance, Rhythm, Session
from reflections.prompts import DEFAULT_PROMPT_KEYS
from teams.demo import DemoPeople

HISTORY_DAYS = 120

RHYTHMS = [
    # (team index, title, frequency, weekday, time)
    (0, "Viikon oppimishetki", Rhythm.Frequency.WEEKLY, 1, time(9, 0)),
    (1, "Retro ja oppiminen", Rhythm.Frequency.BIWEEKLY, 3, time(14, 0)),
    (2, "Datan äärellä", Rhythm.Frequency.WEEKLY, 2, time(10, 30)),
]


def seed_rhythms(people: DemoPeople) -> list[Rhythm]:
    rng = random.Random(7)
    now = timezone.now()
    first_date = date.today() - timedelta(days=HISTORY_DAYS)
    rhythms = []
    for team_index, title, frequency, weekday, start_time in RHYTHMS:
        team = people.teams[team_index]
        rhythm, created = Rhythm.objects.get_or_create(
            team=team,
            title=title,
            defaults={
                "frequency": frequency,
                "weekday": weekday,
                "start_date": first_date,
                "start_time": start_time,
                "time_zone": team.time_zone,
                "duration_minutes": 30,
                "location": "Neuvotteluhuone Oivallus",
                "video_url": "https://video.example/learning-lead",
                "prompt_keys": DEFAULT_PROMPT_KEYS,
            },
        )
        rhythms.append(rhythm)
        _hold_past_sessions(rhythm, rng, now)
        services.rhythm_sync(rhythm=rhythm)
    return rhythms


def _hold_past_sessions(rhythm: Rhythm, rng: random.Random, now) -> None:
    members = list(rhythm.team.members.all())
    past = recurrence.occurrences(
        rule=rhythm.rule(),
        start_date=rhythm.start_date,
        start_time=rhythm.start_time,
        time_zone=rhythm.time_zone,
        duration_minutes=rhythm.duration_minutes,
        after=now - timedelta(days=HISTORY_DAYS),
        before=now,
    )
    for index, occurrence in enumerate(past):
        session, created = Session.objects.get_or_create(
            rhythm=rhythm,
            occurrence_date=occurrence.local_date,
            defaults={
                "team": rhythm.team,
                "title": rhythm.title,
                "starts_at": occurrence.starts_at,
                "ends_at": occurrence.ends_at,
                "time_zone": rhythm.time_zone,
                "location": rhythm.location,
                "video_url": rhythm.video_url,
            },
        )
        if not created:
            continue
        services.prompts_add_builtin(session=session, keys=rhythm.prompt_keys)
        if index % 7 == 5:  # now and then a week is skipped, as in real teams
            services.session_skip(session=session)
            continue
        session.status = Session.Status.HELD
        session.held_at = occurrence.ends_at
        session.save(update_fields=["status", "held_at"])
        attendees = [person for person in members if rng.random() < 0.8]
        Attendance.objects.bulk_create(
            [Attendance(session=session, user=person) for person in attendees]
        )
