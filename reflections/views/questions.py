"""Ask-out-loud questions: the team's list, asking (anonymously or named), upvoting, reporting,
and the supervisor's answering, marking answered and hiding with a reason.

Nothing here logs, caches or puts in the session who asked, and no message or redirect after
asking carries the question's id (see docs/anonymity.md)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from learning_lead import fragments, params
from privacy.audit import client_ip
from reflections import access as reflections_access
from reflections import answer_cookie, ask_allowance, question_page, services, viewer_facts
from reflections.forms import AnswerForm, QuestionForm, ReasonForm
from teams import access

LIMIT_MESSAGE = _lazy(
    "The team has asked many anonymous questions today. Try again tomorrow, or ask with your name."
)


def _browser_limit_message() -> str:
    count = ask_allowance.PER_BROWSER_PER_DAY
    return ngettext(
        "You can ask %(count)s anonymous question a day in a team. Ask again tomorrow, "
        "or ask with your name.",
        "You can ask %(count)s anonymous questions a day in a team. Ask again tomorrow, "
        "or ask with your name.",
        count,
    ) % {"count": count}


def _back(request, question) -> str:
    """Where an action on a question returns: the page it was taken on (the team's list or a
    session page), if that is a page of this site; else the team's list."""
    target = request.POST.get("next", "")
    # A path of this site only: a bare word such as "0" would be taken for a URL name.
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("reflections:team_questions", args=[question.team_id])


def _render_list(request, team, *, form=None):
    session_id = params.id_or_none(request.GET.get("session", ""))
    is_supervisor = access.is_supervisor_of(request.user, team)
    facts = viewer_facts.ViewerFacts(request.user)

    def context() -> dict:
        data = question_page.context(
            team,
            is_supervisor=is_supervisor,
            session_id=session_id,
            viewer=request.user,
            cursor=request.GET.get("after", ""),
            form=form,
        )
        facts.known_votes(data["page"].questions)
        return data

    if form is None and request.method == "GET":
        # As its writers filled it (reflections/question_page.py); the reader fills nothing.
        body = fragments.read_filled(
            request,
            question_page.TEMPLATE,
            context,
            scopes=question_page.scopes(team),
            variant=question_page.variant(is_supervisor=is_supervisor),
            facts=facts,
        )
    else:
        body = fragments.render(request, question_page.TEMPLATE, context, facts=facts, cached=False)
    return render(request, "reflections/questions.html", {"team": team, "body": body})


@login_required
def team_questions(request, pk: int):
    return _render_list(request, access.get_team_for(request.user, pk))


@login_required
@require_POST
def question_ask(request, pk: int):
    team = access.get_team_for(request.user, pk)
    form = QuestionForm(request.POST, team=team)
    if not form.is_valid():
        return _render_list(request, team, form=form)
    data = form.cleaned_data
    if not form.is_named and not ask_allowance.allows(request, team):
        form.add_error(None, _browser_limit_message())
        return _render_list(request, team, form=form)
    try:
        question = services.question_ask(
            team=team,
            body=data["body"],
            named_author=request.user if form.is_named else None,
            session=data["session"],
            name_upward=data["name_upward"],
            notify_author=data["notify"],
        )
    except services.QuestionLimitReached:
        form.add_error(None, LIMIT_MESSAGE)
        return _render_list(request, team, form=form)
    messages.success(
        request,
        _("Your question is asked.") if form.is_named else _("Your question is asked anonymously."),
    )
    response = redirect("reflections:team_questions", pk=team.pk)
    if not form.is_named:
        ask_allowance.spend(request, response, team)
    if data["notify"] and not form.is_named:
        # Remembered by the asker's browser only: no row, session entry or log line.
        answer_cookie.follow(request, response, question.pk)
    return response


@login_required
@require_POST
def question_upvote(request, pk):
    question = reflections_access.get_question_for(request.user, pk)
    try:
        services.question_upvote(question=question, user=request.user)
    except services.QuestionHidden:
        messages.error(request, _("A hidden question can't be upvoted."))
    except services.AlreadyVoted:
        messages.error(request, _("You have already upvoted this question."))
    return redirect(_back(request, question))


@login_required
@require_POST
def question_upvote_withdraw(request, pk):
    question = reflections_access.get_question_for(request.user, pk)
    if services.question_upvote_withdraw(question=question, user=request.user):
        messages.success(request, _("Your upvote is taken back."))
    return redirect(_back(request, question))


@login_required
@require_POST
def question_name_upward(request, pk):
    """The named asker's consent to send their name with the question to HR, given or
    withdrawn."""
    question = reflections_access.get_own_question_for(request.user, pk)
    allowed = request.POST.get("allowed") == "yes"
    services.question_name_upward_set(question=question, allowed=allowed)
    messages.success(
        request,
        _("If the question goes to HR, your name goes with it.")
        if allowed
        else _("If the question goes to HR, it goes without your name."),
    )
    return redirect(_back(request, question))


@login_required
@require_POST
def question_report(request, pk):
    question = reflections_access.get_question_for(request.user, pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        services.question_report(question=question, reason=form.cleaned_data["reason"])
        messages.success(request, _("Thank you. A supervisor of the team will take a look."))
    else:
        messages.error(
            request, _("To report a question, say briefly why (at most 300 characters).")
        )
    return redirect(_back(request, question))


@login_required
@require_POST
def question_answer(request, pk):
    question = reflections_access.get_question_for(request.user, pk, moderate=True)
    form = AnswerForm(request.POST)
    if form.is_valid():
        services.question_answer(
            question=question, author=request.user, body=form.cleaned_data["body"]
        )
        messages.success(request, _("Your answer is posted."))
    else:
        messages.error(
            request,
            _("Write the answer first (at most 2000 characters), or mark the question answered."),
        )
    return redirect(_back(request, question))


@login_required
@require_POST
def question_mark_answered(request, pk):
    question = reflections_access.get_question_for(request.user, pk, moderate=True)
    services.question_mark_answered(question=question)
    messages.success(request, _("Marked answered."))
    return redirect(_back(request, question))


def _moderator(request) -> dict:
    return {"moderator": request.user, "ip_address": client_ip(request)}


@login_required
@require_POST
def question_hide(request, pk):
    question = reflections_access.get_question_for(request.user, pk, moderate=True)
    form = ReasonForm(request.POST)
    if form.is_valid():
        services.question_hide(
            question=question, reason=form.cleaned_data["reason"], **_moderator(request)
        )
        messages.success(request, _("The question is hidden. The team sees your reason."))
    else:
        messages.error(
            request,
            _("To hide a question, give a reason the team can read (at most 300 characters)."),
        )
    return redirect(_back(request, question))


@login_required
@require_POST
def question_unhide(request, pk):
    question = reflections_access.get_question_for(request.user, pk, moderate=True)
    services.question_unhide(question=question, **_moderator(request))
    messages.success(request, _("The question is shown again."))
    return redirect(_back(request, question))


def anonymity(request):
    """What anonymity protects and what it does not, in plain words (docs/anonymity.md)."""
    return render(request, "reflections/anonymity.html")
