"""People of the organisation, for admins: list, edit names, roles and sign-in."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from privacy.audit import origin
from teams import access, services
from teams.forms import PersonForm
from teams.models import OrgRole


@login_required
def person_list(request):
    people = (
        access.people_for(request.user)
        .annotate(team_count=Count("memberships"))
        .prefetch_related("org_roles")
        .order_by("first_name", "last_name", "username")
    )
    return render(request, "teams/person_list.html", {"people": people})


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request, pk: int):
    person = access.get_person_for(request.user, pk)
    initial = {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "roles": list(person.org_roles.values_list("role", flat=True)),
        "is_active": person.is_active,
    }
    form = PersonForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        roles = set(data["roles"])
        if person == request.user and OrgRole.Role.ADMIN not in roles:
            form.add_error("roles", _("You cannot remove your own admin role."))
        elif person == request.user and not data["is_active"]:
            form.add_error("is_active", _("You cannot stop yourself from signing in."))
        else:
            services.person_update(
                person=person,
                first_name=data["first_name"],
                last_name=data["last_name"],
                roles=roles,
                is_active=data["is_active"],
                **origin(request),
            )
            messages.success(request, _("Saved."))
            return redirect("teams:people")
    memberships = person.memberships.select_related("team").order_by("team__name")
    context = {"person": person, "form": form, "memberships": memberships}
    return render(request, "teams/person_edit.html", context)
