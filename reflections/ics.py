"""iCalendar feeds of sessions: what each session's event says (reflections/ics_writer.py
writes it out)."""

from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from reflections.ics_writer import FeedEvent, calendar
from reflections.models import Session

STATUS = {
    Session.Status.PLANNED: "CONFIRMED",
    Session.Status.HELD: "CONFIRMED",
    Session.Status.SKIPPED: "CANCELLED",
}


def session_uid(session: Session) -> str:
    return f"{session.uid}@learning-lead"


def calendar_for(sessions: Iterable[Session], *, name: str) -> bytes:
    # One reverse() for all the sessions: their pages' URLs differ only in the pk.
    before, after = reverse("reflections:session", args=[0]).rsplit("0", 1)
    page = settings.SITE_URL + before
    return calendar(
        (_event(session, f"{page}{session.pk}{after}") for session in sessions),
        name=name,
        stamp=timezone.now(),
        video_label=_("Video link"),
    )


def _event(session: Session, url: str) -> FeedEvent:
    lines = [f"– {prompt.text}" for prompt in session.prompts.all()]
    if session.video_url:
        lines += ["", _("Video link: %(url)s") % {"url": session.video_url}]
    lines += ["", url]
    zone = session.zone
    return FeedEvent(
        uid=session_uid(session),
        updated_at=session.updated_at,
        # Local wall-clock time with its zone, so clients keep it right across DST changes.
        start=session.starts_at.astimezone(zone),
        end=session.ends_at.astimezone(zone),
        summary=f"{session.title} · {session.team.name}",
        sequence=session.sequence,
        status=STATUS[session.status],
        # The room goes in LOCATION; the video link in CONFERENCE (RFC 7986) and the
        # description, which every client shows. A link alone still fills LOCATION, where
        # clients that read nothing else show it.
        location=session.location or session.video_url,
        video_url=session.video_url,
        url=url,
        description="\n".join(lines).strip(),
    )
