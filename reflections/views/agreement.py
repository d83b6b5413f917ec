"""The team agreement card: read and edited by the team's own people."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from reflections import selectors, services
from reflections.forms import AgreementForm
from teams import access


@login_required
@require_http_methods(["GET", "POST"])
def agreement_edit(request, pk: int):
    team = access.get_team_for(request.user, pk)
    current = selectors.agreement_of(team)
    form = AgreementForm(request.POST or None, initial={"text": current.text if current else ""})
    if request.method == "POST" and form.is_valid():
        services.agreement_save(team=team, user=request.user, text=form.cleaned_data["text"])
        messages.success(request, _("The team agreement is saved."))
        return redirect("reflections:team_sessions", pk=team.pk)
    context = {"form": form, "team": team, "agreement": current}
    return render(request, "reflections/agreement_form.html", context)
