"""The bridge to leadership: a supervisor forwards team questions (one, or several with a
summary) tagged with a strategy theme; HR reads the organisation's queue by theme and team and
answers as a role; the answer shows on the team's question page.

Forwarding and answering are audited with the actor and the item's id only: never who asked.
Nothing here logs a question together with a person."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from learning_lead import params
from privacy.audit import client_ip
from reflections import access as reflections_access
from reflections import bridge_selectors, bridge_services
from reflections.bridge_forms import ForwardAnswerForm, ForwardForm
from teams import access


@login_required
def question_forward(request, pk: int):
    team = access.get_led_team_for(request.user, pk)
    if request.method == "POST":
        form = ForwardForm(request.POST, team=team)
        if form.is_valid():
            data = form.cleaned_data
            try:
                bridge_services.questions_forward(
                    team=team,
                    questions=list(data["questions"]),
                    theme=data["theme"],
                    summary=data["summary"],
                    forwarded_by=request.user,
                    ip_address=client_ip(request),
                )
            except bridge_services.ForwardRefused:
                form.add_error(
                    None, _("These questions can no longer be forwarded together. Choose again.")
                )
            else:
                messages.success(request, _("Forwarded to HR. The team sees that it went up."))
                return redirect("reflections:team_questions", pk=team.pk)
    else:
        form = ForwardForm(team=team, initial={"questions": request.GET.getlist("question")})
    context = {"team": team, "form": form, "questions": form.fields["questions"].queryset}
    return render(request, "reflections/question_forward.html", context)


def _queue_filter(value: str) -> int | None:
    return params.id_or_none(value)


@login_required
def forwarded_queue(request):
    items = reflections_access.forwarded_items_for(request.user)
    theme_id = _queue_filter(request.GET.get("theme", ""))
    team_id = _queue_filter(request.GET.get("team", ""))
    waiting_only = request.GET.get("show") == "waiting"
    context = {
        "items": bridge_selectors.queue(
            items, theme_id=theme_id, team_id=team_id, waiting_only=waiting_only
        ),
        "theme_id": theme_id,
        "team_id": team_id,
        "waiting_only": waiting_only,
        "filtered": bool(theme_id or team_id or waiting_only),
        **bridge_selectors.queue_filters(request.user.organization_id),
    }
    template = "reflections/forwarded_queue.html"
    if request.htmx:
        template += "#queue"
    return render(request, template, context)


def _answerer(request) -> dict:
    return {"answered_by": request.user, "ip_address": client_ip(request)}


@login_required
@require_POST
def forward_answer(request, pk):
    item = reflections_access.get_forwarded_item_for(request.user, pk)
    form = ForwardAnswerForm(request.POST)
    if form.is_valid():
        bridge_services.forward_answer(
            item=item,
            body=form.cleaned_data["body"],
            answered_as=form.cleaned_data["answered_as"],
            **_answerer(request),
        )
        messages.success(request, _("Your answer is published to the team."))
    else:
        messages.error(
            request,
            _(
                "Write the answer (at most 2000 characters) and choose whether HR or leadership "
                "answers."
            ),
        )
    return redirect(reverse("reflections:forwarded_queue") + f"#item-{item.pk}")
