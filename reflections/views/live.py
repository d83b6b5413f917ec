"""The live session: the versioned poll fragment and the facilitator's and members' steps.

Every step is a plain form POST that redirects back to the session page, so the page works
without JavaScript by reloading; with htmx, the live part polls its fragment every 2 seconds
and the fragment answers 204 while the client's version is current. Never cached.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from reflections import access as reflections_access
from reflections import live_selectors, live_services
from reflections.live_forms import (
    LiveCardForm,
    LiveExtendForm,
    LiveGroupForm,
    LiveHandOverForm,
    LiveNextStepForm,
    LiveSafetyForm,
    LiveTopicTimerForm,
    LiveVoteBudgetForm,
)
from reflections.models.live import DEFAULT_VOTE_BUDGET

LIVE_FRAGMENT = "reflections/live.html"


def _to_live(session_pk: int):
    response = redirect("reflections:session", pk=session_pk)
    response["Location"] += "#live"
    return response


def live_context(session, viewer) -> dict:
    """What the live fragment needs, on the session page and in the poll."""
    state = live_selectors.live_page(session, viewer=viewer)
    live = state["live"]
    state["session"] = session
    state["is_supervisor"] = getattr(session, "viewer_role", "") == "supervisor"
    # Poll while something can still change: a planned session not yet started, or a live
    # session before its close (a past session's page does not poll for ever).
    if live is None:
        state["polling"] = session.status == session.Status.PLANNED
    else:
        state["polling"] = live.phase != live.Phase.CLOSE and session.status != "skipped"
    if live is not None and live.phase == live.Phase.REFLECT and not live.revealed:
        state["card_form"] = LiveCardForm(prompts=session.prompts.all())
    if "safety" in state and not state["safety"]["answered"]:
        state["safety_form"] = LiveSafetyForm(auto_id="safety-%s")
    if live is None and state["is_supervisor"]:
        state["start_form"] = LiveVoteBudgetForm(auto_id="start-%s")
    if state.get("is_facilitator"):
        state["extend_form"] = LiveExtendForm()
        if live.phase in live_services.VOTE_BUDGET_PHASES:
            state["vote_budget_form"] = LiveVoteBudgetForm(
                initial={"votes": live.vote_budget}, auto_id="budget-%s"
            )
        # Offered only when there is someone else to hand over to.
        if state["members"].exists():
            state["hand_over_form"] = LiveHandOverForm(members=state["members"])
    return state


@login_required
@require_GET
@never_cache
def live_poll(request, pk: int):
    session = reflections_access.get_session_for(request.user, pk)
    try:
        known = int(request.GET.get("v", ""))
    except ValueError:
        known = -1
    if known == live_selectors.live_version(session):
        return HttpResponse(status=204)
    return render(request, LIVE_FRAGMENT, live_context(session, request.user))


def _vote_budget(request) -> int | None:
    """The votes per person the form asks for; None (with the error told) when it is not a
    whole number from 1 to 10."""
    form = LiveVoteBudgetForm(request.POST)
    if form.is_valid():
        return form.cleaned_data["votes"]
    messages.error(request, _("Votes per person: give a whole number from 1 to 10."))
    return None


@login_required
@require_POST
def live_start(request, pk: int):
    session = reflections_access.get_session_for(request.user, pk, manage=True)
    # "Take over facilitation" posts no budget: the running session keeps its own.
    budget = _vote_budget(request) if "votes" in request.POST else DEFAULT_VOTE_BUDGET
    if budget is None:
        return _to_live(session.pk)
    try:
        live_services.live_start(session=session, user=request.user, vote_budget=budget)
    except live_services.LiveError as error:
        messages.error(request, str(error))
    return _to_live(session.pk)


def _facilitator_step(request, pk: int, step):
    live = reflections_access.get_live_for(request.user, pk)
    try:
        step(live)
    except live_services.LiveError as error:
        messages.error(request, str(error))
    return _to_live(pk)


@login_required
@require_POST
def live_next(request, pk: int):
    return _facilitator_step(
        request, pk, lambda live: live_services.live_next_phase(live=live, user=request.user)
    )


@login_required
@require_POST
def live_reveal(request, pk: int):
    return _facilitator_step(
        request, pk, lambda live: live_services.live_reveal(live=live, user=request.user)
    )


@login_required
@require_POST
def live_extend(request, pk: int):
    form = LiveExtendForm(request.POST)
    minutes = form.cleaned_data["minutes"] if form.is_valid() else 2
    return _facilitator_step(
        request,
        pk,
        lambda live: live_services.live_extend(live=live, user=request.user, minutes=minutes),
    )


@login_required
@require_POST
def live_vote_budget(request, pk: int):
    budget = _vote_budget(request)
    if budget is None:
        return _to_live(pk)
    return _facilitator_step(
        request,
        pk,
        lambda live: live_services.live_set_vote_budget(
            live=live, user=request.user, budget=budget
        ),
    )


@login_required
@require_POST
def live_hand_over(request, pk: int):
    live = reflections_access.get_live_for(request.user, pk)
    members = live_selectors.team_members(live.session.team_id)
    form = LiveHandOverForm(request.POST, members=members)
    if not form.is_valid():
        messages.error(request, _("Choose a member of the team."))
        return _to_live(pk)
    live_services.live_hand_over(live=live, user=request.user, to=form.cleaned_data["to"])
    messages.success(request, _("Facilitation handed over."))
    return _to_live(pk)


@login_required
@require_POST
def live_card(request, pk: int):
    live = reflections_access.get_live_for(request.user, pk)
    form = LiveCardForm(request.POST, prompts=live.session.prompts.all())
    if not form.is_valid():
        messages.error(request, _("Write the card (at most 500 characters)."))
        return _to_live(pk)
    data = form.cleaned_data
    try:
        live_services.live_card_write(
            live=live,
            user=request.user,
            body=data["body"],
            prompt=data["prompt"],
            named=data["named"],
        )
    except live_services.LiveError as error:
        messages.error(request, str(error))
    else:
        # Says nothing that identifies the card: no id, no text.
        messages.success(request, _("Card saved. It stays hidden until the reveal."))
    return _to_live(pk)


def _vote(request, pk: int, topic) -> HttpResponse:
    live = reflections_access.get_live_for(request.user, pk)
    topic = topic(live)
    try:
        if request.POST.get("withdraw"):
            live_services.live_vote_withdraw(live=live, user=request.user, **topic)
        else:
            live_services.live_vote(live=live, user=request.user, **topic)
    except live_services.LiveError as error:
        messages.error(request, str(error))
    return _to_live(pk)


@login_required
@require_POST
def live_vote(request, pk: int, card_pk):
    return _vote(
        request, pk, lambda live: {"card": reflections_access.get_live_card_for(live, card_pk)}
    )


@login_required
@require_POST
def live_group_vote(request, pk: int, group_pk):
    return _vote(
        request, pk, lambda live: {"group": reflections_access.get_live_group_for(live, group_pk)}
    )


def _group_name(request) -> str | None:
    form = LiveGroupForm(request.POST)
    if form.is_valid():
        return form.cleaned_data["name"]
    messages.error(request, _("Name the group (at most 80 characters)."))
    return None


@login_required
@require_POST
def live_group_create(request, pk: int):
    name = _group_name(request)
    if name is None:
        return _to_live(pk)
    return _facilitator_step(
        request,
        pk,
        lambda live: live_services.live_group_create(live=live, user=request.user, name=name),
    )


@login_required
@require_POST
def live_group_rename(request, pk: int, group_pk):
    name = _group_name(request)
    if name is None:
        return _to_live(pk)

    def rename(live):
        group = reflections_access.get_live_group_for(live, group_pk)
        live_services.live_group_rename(live=live, user=request.user, group=group, name=name)

    return _facilitator_step(request, pk, rename)


@login_required
@require_POST
def live_card_move(request, pk: int, card_pk):
    def move(live):
        card = reflections_access.get_live_card_for(live, card_pk)
        chosen = request.POST.get("group", "")
        group = reflections_access.get_live_group_for(live, chosen) if chosen else None
        live_services.live_card_move(live=live, user=request.user, card=card, group=group)

    return _facilitator_step(request, pk, move)


@login_required
@require_POST
def live_safety(request, pk: int):
    live = reflections_access.get_live_for(request.user, pk)
    form = LiveSafetyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose yes, partly or no."))
        return _to_live(pk)
    try:
        live_services.live_safety_answer(
            live=live, user=request.user, answer=form.cleaned_data["answer"]
        )
    except live_services.LiveError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Thank you. Your answer is stored without your name."))
    return _to_live(pk)


def _topic_step(request, pk: int, topic_pk, step):
    """A facilitator's step on a topic of the discussion (a card in no group, or a group)."""
    return _facilitator_step(
        request,
        pk,
        lambda live: step(live, reflections_access.get_live_topic_for(live, topic_pk)),
    )


@login_required
@require_POST
def live_topic_timer(request, pk: int, topic_pk):
    form = LiveTopicTimerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the topic 1 to 15 minutes."))
        return _to_live(pk)
    minutes = form.cleaned_data["minutes"]
    return _topic_step(
        request,
        pk,
        topic_pk,
        lambda live, topic: live_services.live_topic_start(
            live=live, user=request.user, minutes=minutes, **topic
        ),
    )


@login_required
@require_POST
def live_next_step(request, pk: int, topic_pk):
    form = LiveNextStepForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the next step in at most 160 characters."))
        return _to_live(pk)
    text = form.cleaned_data["next_step"]
    return _topic_step(
        request,
        pk,
        topic_pk,
        lambda live, topic: live_services.live_next_step_save(
            live=live, user=request.user, text=text, **topic
        ),
    )


@login_required
@require_POST
def live_next_step_make(request, pk: int, topic_pk):
    into = request.POST.get("into", "")
    if into not in ("goal", "thought"):
        messages.error(request, _("Choose a team goal or a thought in the team feed."))
        return _to_live(pk)

    def make(live, topic):
        made = live_services.live_next_step_make(live=live, user=request.user, into=into, **topic)
        if into == "goal" and made.status == made.Status.PROPOSED:
            messages.success(
                request, _("The next step is proposed as a team goal; a supervisor accepts it.")
            )
        elif into == "goal":
            messages.success(request, _("The next step is now a team goal."))
        else:
            messages.success(request, _("The next step is now a thought in the team feed."))

    return _topic_step(request, pk, topic_pk, make)
