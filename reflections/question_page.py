"""The team's questions list as a writer-filled page (docs/caching.md, "Writer-filled pages").

The list shows anonymous content, so no reader's request may fill its cache: the services that
change what it shows call ``changed(team_id)`` inside their transaction, and on commit the
writer's request renders the list's first page for every variant in use: each language we
speak, each time zone of the team's people, a member and a supervisor. Readers only read
(``learning_lead.fragments.read_filled``); a variant nobody filled, a filter or a later page is
rendered for its reader and not kept."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from learning_lead import fragments
from reflections import feed_rows, links, question_rows
from reflections.forms import QuestionForm
from teams.models import Team

TEMPLATE = "reflections/questions_body.html"
ROLES = ("member", "supervisor")


def scopes(team: Team) -> list[str]:
    """What the list shows: the team's sessions, names and people (``team:``), its anonymous
    content (``questions:``) and the organisation's settings (``org:``)."""
    return [
        fragments.team(team.pk),
        fragments.questions(team.pk),
        fragments.org(team.organization_id),
    ]


def variant(*, is_supervisor: bool) -> tuple[str, str]:
    """The role, and the day: the ask form offers the sessions around today."""
    return (ROLES[is_supervisor], timezone.now().date().isoformat())


def context(
    team: Team, *, is_supervisor: bool, session_id=None, viewer=None, cursor="", form=None
) -> dict:
    return {
        "team": team,
        "is_supervisor": is_supervisor,
        "session_id": session_id,
        "page": question_rows.page(
            team, session_id=session_id, moderate=is_supervisor, viewer=viewer, cursor=cursor
        ),
        "form": form
        or QuestionForm(
            team=team, sessions=feed_rows.sessions_listed(team), initial={"session": session_id}
        ),
        "links": links.question_links(),
    }


def variants_in_use(team: Team) -> tuple[list[str], list[str]]:
    """The time zones and languages the team's people read in: their own settings, and every
    language we speak when someone has chosen none (their browser then decides)."""
    people = Team.members.through.objects.filter(team=team)
    chosen = set(people.values_list("user__time_zone", "user__language"))
    zones = sorted({zone for zone, _language in chosen} or {settings.TIME_ZONE})
    languages = {language for _zone, language in chosen}
    if not chosen or "" in languages:
        languages = {code for code, _name in settings.LANGUAGES}
    return zones, sorted(languages)


def fill_variants(request, template, context, *, scopes, variant, zones, languages) -> None:
    """Render ``context()`` (anew in each language and time zone: forms' choices are drawn in
    them) for each variant in use and keep it for the page's readers."""
    for zone in zones:
        for language in languages:
            with translation.override(language), timezone.override(zone):
                fragments.fill_for_writers(
                    request, template, context(), scopes=scopes, variant=variant
                )


def fill(team_id: int) -> None:
    """Render the list's first page for every variant in use and keep it (the writer pays)."""
    if not fragments.enabled():
        return
    team = Team.objects.filter(pk=team_id).select_related("organization").first()
    if team is None:
        return
    request = fragments.reader_request(reverse("reflections:team_questions", args=[team.pk]))
    zones, languages = variants_in_use(team)
    for is_supervisor in (False, True):
        fill_variants(
            request,
            TEMPLATE,
            lambda is_supervisor=is_supervisor: context(team, is_supervisor=is_supervisor),
            scopes=scopes(team),
            variant=variant(is_supervisor=is_supervisor),
            zones=zones,
            languages=languages,
        )


def fill_all() -> int:
    """Every team's list, and the pages of the sessions each lists, as after a change (the
    nightly task); how many teams."""
    from reflections import session_page

    ids = list(Team.objects.order_by("pk").values_list("pk", flat=True))
    for team_id in ids:
        fill(team_id)
        session_page.fill_listed(team_id)
    return len(ids)
