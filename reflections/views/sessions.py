"""A team's sessions: the calendar list, the session page, and what a supervisor does to one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from learning_lead import fragments
from reflections import access as reflections_access
from reflections import rhythm_templates, selectors, services, session_page, viewer_facts
from reflections.forms import AttendanceForm, PromptAddForm, SessionAddForm, SessionTimeForm
from reflections.views.live import LIVE_FRAGMENT, live_context
from teams import access


@login_required
def team_sessions(request, pk: int):
    team = access.get_team_for(request.user, pk)
    context = {
        "team": team,
        "upcoming": selectors.team_upcoming(team),
        "past": selectors.team_past(team),
        "rhythms": selectors.team_rhythms(team),
        "is_supervisor": access.is_supervisor_of(request.user, team),
        "templates": rhythm_templates.TEMPLATES.values(),
    }
    return render(request, "reflections/team_sessions.html", context)


@login_required
def session_detail(request, pk: int):
    session = reflections_access.get_session_for(request.user, pk)
    is_supervisor = access.is_supervisor_of(request.user, session.team)
    facts = viewer_facts.ViewerFacts(request.user)

    def context() -> dict:
        data = session_page.context(session, is_supervisor=is_supervisor, viewer=request.user)
        facts.known_votes(data["questions"])
        return data

    # As its writers filled it (reflections/session_page.py); the reader fills nothing.
    body = fragments.read_filled(
        request,
        session_page.TEMPLATE,
        context,
        scopes=session_page.scopes(session),
        variant=session_page.variant(session, is_supervisor=is_supervisor),
        facts=facts,
    )
    return _session_page(request, session, body)


def _session_page(request, session, body):
    """The page around its content, with the live part rendered for this viewer."""
    live = fragments.render(
        request, LIVE_FRAGMENT, live_context(session, request.user), cached=False
    )
    body = mark_safe(body.replace(session_page.LIVE_HOLE, live))  # both escaped already
    return render(request, "reflections/session_detail.html", {"session": session, "body": body})


@login_required
@require_http_methods(["GET", "POST"])
def session_add(request, pk: int):
    team = access.get_led_team_for(request.user, pk)
    form = SessionAddForm(request.POST or None, initial={"time_zone": team.time_zone})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        session = services.session_add(
            team=team,
            title=data["title"],
            starts_at=form.starts_at(),
            duration_minutes=data["duration_minutes"],
            time_zone=data["time_zone"],
            location=data["location"],
            video_url=data["video_url"],
            prompt_keys=data["prompt_keys"],
        )
        messages.success(request, _("Session added."))
        return redirect("reflections:session", pk=session.pk)
    return render(request, "reflections/session_add.html", {"form": form, "team": team})


@login_required
@require_http_methods(["GET", "POST"])
def session_move(request, pk: int):
    session = reflections_access.get_session_for(request.user, pk, manage=True)
    local = session.local_start
    initial = {
        "date": local.date(),
        "time": local.time().replace(second=0, microsecond=0),
        "duration_minutes": session.duration_minutes,
        "time_zone": session.time_zone,
        "location": session.location,
        "video_url": session.video_url,
    }
    form = SessionTimeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.session_move(
            session=session,
            starts_at=form.starts_at(),
            duration_minutes=data["duration_minutes"],
            location=data["location"],
            video_url=data["video_url"],
        )
        messages.success(request, _("Session moved. Calendars update on their next refresh."))
        return redirect("reflections:session", pk=session.pk)
    return render(request, "reflections/session_move.html", {"form": form, "session": session})


@login_required
@require_POST
def session_skip(request, pk: int):
    session = reflections_access.get_session_for(request.user, pk, manage=True)
    if session.status != session.Status.PLANNED:
        messages.error(request, _("Only a planned session can be skipped."))
    else:
        services.session_skip(session=session)
        messages.success(request, _("Session skipped. It shows as cancelled in calendars."))
    return redirect("reflections:session", pk=session.pk)


@login_required
@require_POST
def session_restore(request, pk: int):
    session = reflections_access.get_session_for(request.user, pk, manage=True)
    if session.status == session.Status.SKIPPED:
        services.session_restore(session=session)
        messages.success(request, _("Session is planned again."))
    return redirect("reflections:session", pk=session.pk)


@login_required
@require_POST
def session_hold(request, pk: int):
    session = reflections_access.get_session_for(request.user, pk, manage=True)
    form = AttendanceForm(request.POST, team=session.team)
    if not session.can_be_held:
        messages.error(request, _("A session can be marked held once it has started."))
    elif not form.is_valid():
        messages.error(request, _("Choose the people from the team list."))
    else:
        services.session_hold(session=session, attendees=list(form.cleaned_data["attendees"]))
        messages.success(request, _("Session marked held. Thank you for making room to reflect."))
    return redirect("reflections:session", pk=session.pk)


@login_required
@require_POST
def prompt_add(request, pk: int):
    session = reflections_access.get_session_for(request.user, pk, manage=True)
    form = PromptAddForm(request.POST, organization=session.team.organization)
    if form.is_valid():
        data = form.cleaned_data
        template = data["template"]
        services.prompt_add(
            session=session,
            builtin_key=data["builtin_key"],
            text=template.text if template else data["text"],
        )
        messages.success(request, _("Prompt added."))
        return redirect("reflections:session", pk=session.pk)
    context = session_page.context(session, is_supervisor=True, viewer=request.user)
    context["prompt_form"] = form
    facts = viewer_facts.ViewerFacts(request.user)
    facts.known_votes(context["questions"])
    body = fragments.render(request, session_page.TEMPLATE, context, facts=facts, cached=False)
    return _session_page(request, session, body)


@login_required
@require_POST
def prompt_remove(request, pk: int, prompt_pk: int):
    session = reflections_access.get_session_for(request.user, pk, manage=True)
    prompt = session.prompts.filter(pk=prompt_pk).first()
    if prompt is None:
        raise Http404
    services.prompt_remove(prompt=prompt)
    messages.success(request, _("Prompt removed."))
    return redirect("reflections:session", pk=session.pk)
