"""The safety pulse of a held session: members answer once, anonymously; the supervisor sees
results only in aggregate and only when enough people answered."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from reflections import access as reflections_access
from reflections import selectors, services
from reflections.forms import PulseForm
from reflections.models import Session
from teams import access


def _refusal(session: Session, user) -> str:
    """Why this person cannot answer now, or "" when they can."""
    if session.status != Session.Status.HELD:
        return _("The pulse opens once the session is held.")
    if selectors.pulse_answered(session=session, user=user):
        return _("You have already answered the pulse of this session.")
    if not session.pulse_open_to(user):
        return _("Only those marked present at the session answer its pulse.")
    return ""


@login_required
@require_http_methods(["GET", "POST"])
def pulse_answer(request, pk: int):
    session = reflections_access.get_session_for(request.user, pk)
    if not access.is_member_of(request.user, session.team):
        raise Http404  # supervisors read the results; they do not answer about themselves
    refusal = _refusal(session, request.user)
    form = PulseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and refusal:
        messages.error(request, refusal)
        return redirect("reflections:session", pk=session.pk)
    if request.method == "POST" and form.is_valid():
        try:
            services.pulse_answer(session=session, user=request.user, values=form.values())
            messages.success(request, _("Thank you. Your answer is saved without your name."))
        except services.PulseAlreadyAnswered:  # a second tab, or a double click
            messages.error(request, _("You have already answered the pulse of this session."))
        except services.PulseNotOpen:  # attendance was marked meanwhile
            messages.error(request, _("Only those marked present at the session answer its pulse."))
        return redirect("reflections:session", pk=session.pk)
    context = {"session": session, "form": form, "refusal": refusal}
    return render(request, "reflections/pulse_answer.html", context)


@login_required
def pulse_results(request, pk: int):
    session = reflections_access.get_session_for(request.user, pk, manage=True)
    context = {"session": session, "results": selectors.pulse_results(session)}
    return render(request, "reflections/pulse_results.html", context)
