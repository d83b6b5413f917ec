"""A team's chat channels: the supervisor connects, changes, tests and removes them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from chat import access, crypto, selectors, services
from chat.forms import WANTS, DestinationAddForm, DestinationEditForm
from chat.models import ChatDelivery
from privacy.audit import origin
from teams import access as team_access


@login_required
@require_http_methods(["GET", "POST"])
def destination_list(request, pk: int):
    team = team_access.get_led_team_for(request.user, pk)
    form = DestinationAddForm(request.POST or None, initial={"language": request.user.language})
    if request.method == "POST" and crypto.configured() and form.is_valid():
        data = form.cleaned_data
        destination = services.destination_add(
            team=team,
            kind=data["kind"],
            name=data["name"],
            url=data["url"],
            language=data["language"],
            **{field: data[field] for field in WANTS},
            **origin(request),
        )
        messages.success(
            request,
            _("%(channel)s connected. Send a test message to check it.")
            % {"channel": destination.name},
        )
        return redirect("chat:destinations", pk=team.pk)
    context = {
        "team": team,
        "form": form,
        "destinations": selectors.destinations_of(team),
        "configured": crypto.configured(),
    }
    return render(request, "chat/destinations.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def destination_edit(request, pk: int):
    destination = access.get_destination_for(request.user, pk)
    initial = {field: getattr(destination, field) for field in ["name", "language", *WANTS]}
    form = DestinationEditForm(
        request.POST or None,
        initial={**initial, "enabled": destination.enabled},
        destination=destination,
    )
    if request.method == "POST" and form.is_valid():
        services.destination_update(destination=destination, **form.cleaned_data, **origin(request))
        messages.success(request, _("Channel settings saved."))
        return redirect("chat:destinations", pk=destination.team_id)
    return render(request, "chat/destination_form.html", {"form": form, "destination": destination})


@login_required
@require_POST
def destination_remove(request, pk: int):
    destination = access.get_destination_for(request.user, pk)
    team_id, name = destination.team_id, destination.name
    services.destination_remove(destination=destination, **origin(request))
    messages.success(request, _("%(channel)s removed.") % {"channel": name})
    return redirect("chat:destinations", pk=team_id)


@login_required
@require_POST
def destination_test(request, pk: int):
    destination = access.get_destination_for(request.user, pk)
    outcome = services.destination_test(destination=destination)
    if outcome == ChatDelivery.Status.SENT:
        messages.success(
            request, _("Test message sent to %(channel)s.") % {"channel": destination.name}
        )
    elif outcome == ChatDelivery.Status.PENDING:
        messages.warning(
            request,
            _("%(channel)s did not answer now. The test message will be tried again shortly.")
            % {"channel": destination.name},
        )
    else:
        messages.error(
            request,
            _(
                "%(channel)s refused the test message. Check the webhook address, or create a "
                "new one and enter it here."
            )
            % {"channel": destination.name},
        )
    return redirect("chat:destinations", pk=destination.team_id)
