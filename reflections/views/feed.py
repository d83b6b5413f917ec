"""The team feed of in-progress thoughts: list with filters and keyset paging, post, reply,
edit and delete one's own. Posting and replying swap the list in place with htmx and work as
plain forms without JavaScript."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from learning_lead import fragments, params
from reflections import access as reflections_access
from reflections import feed_rows, links, services
from reflections.forms import ReplyForm, ThoughtEditForm, ThoughtForm
from reflections.models import Thought
from teams import access

FEED_TEMPLATE = "reflections/feed.html"
FEED_BODY = "reflections/feed_body.html"


def _filters(request) -> dict:
    kind = request.GET.get("kind", "")
    session = request.GET.get("session", "")
    return {
        "kind": kind if kind in Thought.Kind.values else "",
        "session": params.id_or_none(session),
    }


def _query(request, *, keep_page: bool) -> str:
    """The feed's filters (and, with keep_page, the page) as a query string."""
    params = {key: value for key, value in _filters(request).items() if value}
    if keep_page and request.GET.get("after"):
        params["after"] = request.GET["after"]
    return urlencode(params)


def _feed_url(team, request, *, anchor: str = "") -> str:
    query = _query(request, keep_page=bool(anchor))
    url = reverse("reflections:team_feed", args=[team.pk]) + (f"?{query}" if query else "")
    return url + (f"#{anchor}" if anchor else "")


def _render_feed(request, team, *, form=None, reply_form=None, reply_to=None, status=""):
    filters = _filters(request)

    def context() -> dict:
        page = feed_rows.page(
            team,
            kind=filters["kind"],
            session_id=filters["session"],
            cursor=request.GET.get("after"),
        )
        sessions = feed_rows.sessions_listed(team)  # the filter and the form
        return {
            "team": team,
            "paths": links.team_paths(links.feed_links(), team.pk),
            "page": page,
            "filters": filters,
            "query": _query(request, keep_page=False),
            "page_query": _query(request, keep_page=True),
            "kinds": Thought.Kind.choices,
            "sessions": sessions,
            "form": form
            or ThoughtForm(
                team=team,
                sessions=sessions,
                goals=feed_rows.goals(team),
                initial={"session": filters["session"]},
            ),
            "reply_form": reply_form,
            "reply_to": reply_to,
            "status": status,
        }

    # The plain page is the team's shared fragment; a form with errors or a status is not kept.
    body = fragments.render(
        request,
        f"{FEED_BODY}#thoughts" if request.htmx else FEED_BODY,
        context,
        scopes=[fragments.team(team.pk), fragments.thoughts(team.pk)],
        # The team row was read before the generations: in the key (see questions.py).
        variant=(team.name, fragments.hour()),  # the sessions offered are those near now
        cached=form is None and reply_form is None and not status,
    )
    if request.htmx:
        return HttpResponse(body)
    return render(request, FEED_TEMPLATE, {"team": team, "body": body})


@login_required
def team_feed(request, pk: int):
    team = access.get_team_for(request.user, pk)
    return _render_feed(request, team)


@login_required
@require_POST
def thought_post(request, pk: int):
    team = access.get_team_for(request.user, pk)
    form = ThoughtForm(request.POST, team=team)
    if not form.is_valid():
        return _render_feed(request, team, form=form)
    data = form.cleaned_data
    services.thought_post(
        author=request.user,
        team=team,
        kind=data["kind"],
        body=data["body"],
        session=data["session"],
        team_goal=data["team_goal"],
    )
    if request.htmx:
        return _render_feed(request, team, status=_("Your thought is posted."))
    messages.success(request, _("Your thought is posted."))
    return redirect(_feed_url(team, request))


@login_required
@require_POST
def thought_reply(request, pk: int):
    parent = reflections_access.get_thought_for(request.user, pk)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        return _render_feed(request, parent.team, reply_form=form, reply_to=parent.pk)
    reply = services.thought_reply(
        author=request.user, parent=parent, body=form.cleaned_data["body"]
    )
    if request.htmx:
        return _render_feed(request, parent.team, status=_("Your reply is posted."))
    messages.success(request, _("Your reply is posted."))
    return redirect(_feed_url(parent.team, request, anchor=f"thought-{reply.parent_id}"))


@login_required
@require_http_methods(["GET", "POST"])
def thought_edit(request, pk: int):
    thought = reflections_access.get_thought_for(request.user, pk, own=True)
    initial = {"kind": thought.kind, "body": thought.body}
    form = ThoughtEditForm(request.POST if request.method == "POST" else None, initial=initial)
    if thought.parent_id:
        del form.fields["kind"]
    if request.method == "POST" and form.is_valid():
        services.thought_edit(
            thought=thought, body=form.cleaned_data["body"], kind=form.cleaned_data.get("kind")
        )
        messages.success(request, _("Your thought is saved."))
        return redirect("reflections:team_feed", pk=thought.team_id)
    return render(request, "reflections/thought_edit.html", {"form": form, "thought": thought})


@login_required
@require_http_methods(["GET", "POST"])
def thought_delete(request, pk: int):
    """GET asks first (the page works without JavaScript); POST deletes. With htmx the browser
    has asked (hx-confirm) and the feed's list is swapped in place."""
    thought = reflections_access.get_thought_for(request.user, pk, own=True)
    if request.method == "GET":
        context = {"thought": thought, "replies": thought.replies.count()}
        return render(request, "reflections/thought_delete.html", context)
    services.thought_delete(thought=thought)
    if request.htmx:
        return _render_feed(request, thought.team, status=_("Your thought is deleted."))
    messages.success(request, _("Your thought is deleted."))
    return redirect("reflections:team_feed", pk=thought.team_id)
