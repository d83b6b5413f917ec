"""The session page as a writer-filled page (docs/caching.md, "Writer-filled pages").

The page shows the session's questions and is where a vote or a pulse answer made on it
returns, so no reader's request may fill its cache. Its content but the live part (rendered
for each request: it is the viewer's own and changes by the second) is filled by the
services that change it, on commit, for every variant in use: the languages and time zones of
the team's people, a member and a supervisor. A change of one session (``session:S``: its
thoughts and questions) fills that session's page; a change of its team (``team:T``) fills
the sessions the team's sessions page lists. Readers only read
(``learning_lead.fragments.read_filled``)."""

import functools

from django.urls import get_script_prefix, get_urlconf, reverse

from learning_lead import fragments
from reflections import links, question_page, selectors
from reflections.forms import AttendanceForm, PromptAddForm
from reflections.models import Session

TEMPLATE = "reflections/session_body.html"
# Where the live part goes in the filled page: a marker no user text can hold (control
# characters are refused at the form layer) and no one can guess (fragments.MARK).
LIVE_HOLE = f"\x02{fragments.MARK}live\x03"


# The page's links, around the team's or the session's id: each reversed once per process
# (and script prefix) rather than by a {% url %} on every rendering.
TEAM_LINKS = ("team_sessions", "agreement", "team_feed", "team_questions")
SESSION_LINKS = (
    "pulse_answer",
    "pulse_results",
    "prompt_add",
    "session_hold",
    "session_move",
    "session_skip",
    "session_restore",
)
_ID = 987654321


@functools.cache
def _around(name: str, prefix: str, urlconf) -> tuple[str, str]:
    head, tail = reverse(f"reflections:{name}", args=[_ID]).split(str(_ID))
    return head, tail


def paths(session: Session) -> dict[str, str]:
    found = {}
    for names, pk in ((TEAM_LINKS, session.team_id), (SESSION_LINKS, session.pk)):
        for name in names:
            head, tail = _around(name, get_script_prefix(), get_urlconf())
            found[name] = f"{head}{pk}{tail}"
    return found


def scopes(session: Session) -> list[str]:
    return [
        fragments.team(session.team_id),
        fragments.session(session.pk),
        fragments.org(session.team.organization_id),
    ]


def variant(session: Session, *, is_supervisor: bool) -> tuple:
    """The role, and whether the session can be marked held yet (it turns at its start)."""
    return (question_page.ROLES[is_supervisor], session.can_be_held)


def context(session: Session, *, is_supervisor: bool, viewer=None) -> dict:
    data = {
        "session": session,
        "is_supervisor": is_supervisor,
        "live_hole": LIVE_HOLE,
        "paths": paths(session),
    }
    data |= selectors.session_page(session, moderate=is_supervisor, viewer=viewer)
    # The questions' paths ({% question_item %}); reversing them is a good part of a page
    # that has no questions yet.
    data["links"] = links.question_links() if data["questions"] else {}
    if is_supervisor:
        team = session.team
        data["attendance_form"] = AttendanceForm(
            team=team,
            initial={"attendees": list(data["attendee_ids"])},
            members=selectors.SESSION_PEOPLE(team_id=team.pk),
        )
        data["prompt_form"] = PromptAddForm(
            organization=team.organization,
            templates=selectors.SESSION_TEMPLATES(organization_id=team.organization_id),
        )
    return data


def _fill_sessions(sessions: list[Session]) -> None:
    if not sessions:
        return
    team = sessions[0].team
    zones, languages = question_page.variants_in_use(team)
    for session in sessions:
        request = fragments.reader_request(reverse("reflections:session", args=[session.pk]))
        for is_supervisor in (False, True):
            question_page.fill_variants(
                request,
                TEMPLATE,
                lambda is_supervisor=is_supervisor, session=session: context(
                    session, is_supervisor=is_supervisor
                ),
                scopes=scopes(session),
                variant=variant(session, is_supervisor=is_supervisor),
                zones=zones,
                languages=languages,
            )


def _loaded(sessions):
    return sessions.select_related("team", "team__organization", "team__agreement")


def fill(session_id: int) -> None:
    """One session's page, after a change of its thoughts or questions."""
    if fragments.enabled():
        _fill_sessions(list(_loaded(Session.objects.filter(pk=session_id))))


def fill_team(team_id: int) -> None:
    """After a change of the team: the pages of its sessions around today (two weeks either
    way), where its people are; the others wait for the night (``fill_listed``)."""
    if fragments.enabled():
        around = selectors.team_current_session_ids(team_id)
        _fill_sessions(list(_loaded(Session.objects.filter(pk__in=around)).order_by("pk")))


def fill_listed(team_id: int) -> None:
    """Each night: the pages of every session the team's sessions page lists."""
    if fragments.enabled():
        listed = selectors.team_listed_session_ids(team_id)
        _fill_sessions(list(_loaded(Session.objects.filter(pk__in=listed)).order_by("pk")))
