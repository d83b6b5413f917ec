"""iCalendar feeds of sessions: what each session's event says (reflections/ics_writer.py
writes it out)."""

from collections import defaultdict
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from reflections import selectors
from reflections.ics_writer import FeedEvent, calendar
from reflections.models import Prompt, Session
from teams.models import Team

STATUS = {
    Session.Status.PLANNED: "CONFIRMED",
    Session.Status.HELD: "CONFIRMED",
    Session.Status.SKIPPED: "CANCELLED",
}


def session_uid(uid) -> str:
    return f"{uid}@learning-lead"


def calendar_for(teams: QuerySet[Team] | list[int], *, name: str) -> bytes:
    """The feed of the teams' sessions (selectors.feed_sessions)."""
    sessions = list(selectors.feed_sessions(teams))
    prompts = defaultdict(list)
    if sessions:
        for session_id, builtin_key, custom_text in selectors.feed_prompts(
            [session["pk"] for session in sessions]
        ):
            prompts[session_id].append(Prompt.text_of(builtin_key, custom_text))
    # One reverse() for all the sessions: their pages' URLs differ only in the pk.
    before, after = reverse("reflections:session", args=[0]).rsplit("0", 1)
    page = settings.SITE_URL + before
    return calendar(
        (
            _event(session, prompts[session["pk"]], f"{page}{session['pk']}{after}")
            for session in sessions
        ),
        name=name,
        stamp=timezone.now(),
        video_label=_("Video link"),
    )


def _event(session: dict, prompts: list[str], url: str) -> FeedEvent:
    video_url = session["video_url"]
    lines = [f"– {text}" for text in prompts]
    if video_url:
        lines += ["", _("Video link: %(url)s") % {"url": video_url}]
    lines += ["", url]
    zone = ZoneInfo(session["time_zone"])
    return FeedEvent(
        uid=session_uid(session["uid"]),
        updated_at=session["updated_at"],
        # Local wall-clock time with its zone, so clients keep it right across DST changes.
        start=session["starts_at"].astimezone(zone),
        end=session["ends_at"].astimezone(zone),
        summary=f"{session['title']} · {session['team__name']}",
        sequence=session["sequence"],
        status=STATUS[session["status"]],
        # The room goes in LOCATION; the video link in CONFERENCE (RFC 7986) and the
        # description, which every client shows. A link alone still fills LOCATION, where
        # clients that read nothing else show it.
        location=session["location"] or video_url,
        video_url=video_url,
        url=url,
        description="\n".join(lines).strip(),
    )
