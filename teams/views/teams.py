"""Team pages: list, detail with members, create and edit (admins), member management."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from privacy.audit import origin
from teams import access, services
from teams.forms import MemberAddForm, MemberRoleForm, TeamForm


@login_required
def team_list(request):
    user = request.user
    teams = access.manageable_teams(user) if access.is_admin(user) else access.teams_for(user)
    return render(request, "teams/team_list.html", {"teams": teams.order_by("name")})


@login_required
def team_detail(request, pk: int):
    user = request.user
    if access.is_admin(user):
        team = access.get_team_for(user, pk, manage=True)
    else:
        team = access.get_team_for(user, pk)
    memberships = list(
        team.memberships.select_related("user").order_by(
            "-role", "user__first_name", "user__username"
        )
    )
    context = {
        "team": team,
        "memberships": memberships,
        # Only the team's own people reach its direction view (admins manage without it).
        "is_member": any(membership.user_id == user.pk for membership in memberships),
        "can_manage": access.can_manage_team(user, team),
        "leads": access.is_supervisor_of(user, team),
    }
    return render(request, "teams/team_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def team_create(request):
    access.require_admin(request.user)
    organization = request.user.organization
    form = TeamForm(request.POST or None, initial={"time_zone": organization.time_zone})
    form.instance.organization = request.user.organization
    if request.method == "POST" and form.is_valid():
        team = services.team_create(organization=request.user.organization, **form.cleaned_data)
        messages.success(request, _("Team “%(name)s” created.") % {"name": team.name})
        return redirect("teams:detail", pk=team.pk)
    return render(request, "teams/team_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def team_edit(request, pk: int):
    access.require_admin(request.user)
    team = access.get_team_for(request.user, pk, manage=True)
    form = TeamForm(request.POST or None, instance=team)
    if request.method == "POST" and form.is_valid():
        services.team_update(team=team, **form.cleaned_data)
        messages.success(request, _("Team details saved."))
        return redirect("teams:detail", pk=team.pk)
    return render(request, "teams/team_form.html", {"form": form, "team": team})


@login_required
@require_http_methods(["GET", "POST"])
def member_add(request, pk: int):
    team = access.get_team_for(request.user, pk, manage=True)
    form = MemberAddForm(request.POST or None, team=team)
    if request.method == "POST" and form.is_valid():
        person = form.cleaned_data["person"]
        services.member_add(
            team=team, user=person, role=form.cleaned_data["role"], **origin(request)
        )
        messages.success(request, _("%(person)s added to the team.") % {"person": person})
        return redirect("teams:detail", pk=team.pk)
    return render(request, "teams/member_add.html", {"form": form, "team": team})


@login_required
@require_POST
def member_role(request, pk: int, user_pk: int):
    team = access.get_team_for(request.user, pk, manage=True)
    membership = team.memberships.select_related("user").filter(user_id=user_pk).first()
    form = MemberRoleForm(request.POST)
    if membership is None:
        messages.error(request, _("That person is not in this team."))
    elif not form.is_valid():
        messages.error(request, _("Choose a role from the list."))
    else:
        try:
            services.member_role_change(
                team=team, membership=membership, role=form.cleaned_data["role"], **origin(request)
            )
        except services.LastSupervisor:
            messages.error(request, _("A team needs at least one supervisor."))
        else:
            messages.success(request, _("Role changed."))
    return redirect("teams:detail", pk=team.pk)


@login_required
@require_POST
def member_remove(request, pk: int, user_pk: int):
    team = access.get_team_for(request.user, pk, manage=True)
    membership = team.memberships.select_related("user").filter(user_id=user_pk).first()
    if membership is None:
        messages.error(request, _("That person is not in this team."))
    else:
        try:
            services.member_remove(team=team, membership=membership, **origin(request))
        except services.LastSupervisor:
            messages.error(request, _("A team needs at least one supervisor."))
        else:
            messages.success(
                request, _("%(person)s removed from the team.") % {"person": membership.user}
            )
    return redirect("teams:detail", pk=team.pk)
