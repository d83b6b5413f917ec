"""Planning and editing rhythms: stored sessions follow the rhythm, the past is kept."""

from datetime import time, timedelta

from django.conf import settings
from django.utils import timezone

from reflections import services
from reflections.models import Attendance, Session


def future(rhythm):
    return rhythm.sessions.filter(starts_at__gt=timezone.now()).order_by("starts_at")


def test_new_rhythm_plans_future_sessions_up_to_the_horizon_with_its_prompts(rhythm):
    sessions = list(future(rhythm))
    horizon_weeks = settings.SESSION_HORIZON_DAYS // 7
    assert horizon_weeks - 1 <= len(sessions) <= horizon_weeks + 1
    assert all(s.local_start.weekday() == 0 and s.local_start.hour == 9 for s in sessions)
    assert [p.builtin_key for p in sessions[0].prompts.all()] == ["learned", "next"]
    # Nothing is planned in the past: the past is what actually happened.
    assert not rhythm.sessions.filter(starts_at__lt=timezone.now()).exists()


def test_syncing_again_changes_nothing(rhythm):
    before = list(rhythm.sessions.values_list("pk", "starts_at", "sequence"))
    services.rhythm_sync(rhythm=rhythm)
    assert list(rhythm.sessions.values_list("pk", "starts_at", "sequence")) == before


def test_changing_the_time_moves_future_sessions_and_raises_their_sequence(rhythm, member):
    services.rhythm_update(rhythm=rhythm, start_time=time(13, 30))
    sessions = list(future(rhythm))
    assert all(s.local_start.hour == 13 and s.local_start.minute == 30 for s in sessions)
    assert all(s.sequence == 1 for s in sessions)


def test_held_sessions_and_their_attendance_survive_an_edit(rhythm, member, supervisor):
    held = future(rhythm).first()
    # Pretend it already took place.
    Session.objects.filter(pk=held.pk).update(
        starts_at=timezone.now() - timedelta(hours=2), ends_at=timezone.now() - timedelta(hours=1)
    )
    held.refresh_from_db()
    services.session_hold(session=held, attendees=[member, supervisor])
    services.rhythm_update(rhythm=rhythm, weekday=3, start_time=time(15, 0))
    held.refresh_from_db()
    assert held.status == Session.Status.HELD
    assert held.local_start.hour != 15 or held.local_start.weekday() != 3
    assert set(Attendance.objects.filter(session=held).values_list("user_id", flat=True)) == {
        member.pk,
        supervisor.pk,
    }


def test_changing_the_weekday_replaces_untouched_future_sessions(rhythm):
    services.rhythm_update(rhythm=rhythm, weekday=2)
    assert {s.local_start.weekday() for s in future(rhythm)} == {2}


def test_pausing_removes_future_sessions_and_resuming_plans_them_again(rhythm):
    services.rhythm_update(rhythm=rhythm, is_active=False)
    assert not future(rhythm).exists()
    services.rhythm_update(rhythm=rhythm, is_active=True)
    assert future(rhythm).count() > 10


def test_a_moved_session_keeps_its_new_time_when_the_rhythm_changes(rhythm, next_session):
    new_start = next_session.starts_at + timedelta(hours=5)
    services.session_move(
        session=next_session, starts_at=new_start, duration_minutes=45, location="", video_url=""
    )
    next_session.refresh_from_db()
    assert next_session.is_moved and next_session.sequence == 1
    services.rhythm_update(rhythm=rhythm, start_time=time(11, 0))
    next_session.refresh_from_db()
    assert next_session.starts_at == new_start
    assert next_session.ends_at == new_start + timedelta(minutes=45)


def test_skipped_session_stays_skipped_through_a_sync(rhythm, next_session):
    services.session_skip(session=next_session)
    services.rhythm_sync(rhythm=rhythm)
    next_session.refresh_from_db()
    assert next_session.status == Session.Status.SKIPPED
    assert next_session.sequence == 1


def test_extending_the_horizon_plans_new_weeks_as_time_passes(rhythm):
    count = rhythm.sessions.count()
    services.rhythms_extend_horizon(now=timezone.now() + timedelta(days=14))
    assert rhythm.sessions.count() == count + 2


def test_marking_held_records_exactly_the_chosen_people(past_session, member, supervisor):
    services.session_hold(session=past_session, attendees=[member, supervisor])
    services.session_hold(session=past_session, attendees=[member])
    past_session.refresh_from_db()
    assert past_session.status == Session.Status.HELD
    assert list(past_session.attendances.values_list("user_id", flat=True)) == [member.pk]
