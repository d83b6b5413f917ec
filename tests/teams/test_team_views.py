"""Teams and people managed in the app: creating, editing, members and roles."""

from django.urls import reverse

from teams.models import Membership, OrgRole, Team


def test_admin_creates_a_team(client, admin):
    client.force_login(admin)
    response = client.post(
        reverse("teams:create"),
        {"name": "Team C", "description": "New", "time_zone": "Europe/Helsinki"},
    )
    team = Team.objects.get(name="Team C")
    assert response["Location"] == reverse("teams:detail", args=[team.pk])
    assert team.organization == admin.organization


def test_empty_team_name_gives_an_error_and_keeps_the_description(client, admin):
    client.force_login(admin)
    response = client.post(
        reverse("teams:create"),
        {"name": "", "description": "Kept text", "time_zone": "Europe/Helsinki"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "This field is required" in body
    assert "Kept text" in body


def test_duplicate_team_name_in_the_same_organisation_is_refused(client, admin, team_a):
    client.force_login(admin)
    response = client.post(
        reverse("teams:create"), {"name": "team a", "time_zone": "Europe/Helsinki"}
    )
    assert "already has a team with this name" in response.content.decode()
    assert Team.objects.filter(organization=admin.organization).count() == 1


def test_same_team_name_is_fine_in_another_organisation(client, foreigner, team_a):
    client.force_login(foreigner)
    client.post(reverse("teams:create"), {"name": "Team A", "time_zone": "Europe/Helsinki"})
    assert Team.objects.filter(name="Team A").count() == 2


def test_unknown_time_zone_is_refused(client, admin):
    client.force_login(admin)
    response = client.post(reverse("teams:create"), {"name": "T", "time_zone": "Mars/Base"})
    assert "Select a valid choice" in response.content.decode()


def test_supervisor_adds_an_organisation_member_to_their_team(client, supervisor, team_a, hr):
    client.force_login(supervisor)
    response = client.post(
        reverse("teams:member_add", args=[team_a.pk]), {"person": hr.pk, "role": "member"}
    )
    assert response.status_code == 302
    assert team_a.memberships.filter(user=hr, role="member").exists()


def test_people_of_another_organisation_cannot_be_added(client, supervisor, team_a, hr, foreigner):
    client.force_login(supervisor)
    response = client.post(
        reverse("teams:member_add", args=[team_a.pk]), {"person": foreigner.pk, "role": "member"}
    )
    assert "Select a valid choice" in response.content.decode()
    assert not team_a.memberships.filter(user=foreigner).exists()


def test_the_last_supervisor_cannot_be_removed_or_demoted(client, supervisor, member, team_a):
    client.force_login(supervisor)
    client.post(reverse("teams:member_remove", args=[team_a.pk, supervisor.pk]), follow=True)
    response = client.post(
        reverse("teams:member_role", args=[team_a.pk, supervisor.pk]),
        {"role": "member"},
        follow=True,
    )
    assert "needs at least one supervisor" in response.content.decode()
    assert Membership.objects.get(team=team_a, user=supervisor).role == "supervisor"


def test_supervisor_promotes_a_member_and_removes_another(client, supervisor, member, team_a):
    client.force_login(supervisor)
    client.post(reverse("teams:member_role", args=[team_a.pk, member.pk]), {"role": "supervisor"})
    assert Membership.objects.get(team=team_a, user=member).role == "supervisor"
    client.post(reverse("teams:member_remove", args=[team_a.pk, member.pk]))
    assert not Membership.objects.filter(team=team_a, user=member).exists()


def test_admin_gives_hr_role_and_can_stop_sign_in(client, admin, member):
    client.force_login(admin)
    client.post(
        reverse("teams:person_edit", args=[member.pk]),
        {"first_name": "Mia", "last_name": "M", "roles": ["hr"], "is_active": ""},
    )
    member.refresh_from_db()
    assert not member.is_active
    assert set(member.org_roles.values_list("role", flat=True)) == {OrgRole.Role.HR}


def test_admin_cannot_remove_their_own_admin_role(client, admin):
    client.force_login(admin)
    response = client.post(
        reverse("teams:person_edit", args=[admin.pk]),
        {"first_name": "Adam", "roles": [], "is_active": "on"},
    )
    assert "cannot remove your own admin role" in response.content.decode()
    assert admin.org_roles.filter(role="admin").exists()


def test_member_sees_only_their_own_teams(client, member, team_a, team_b):
    client.force_login(member)
    body = client.get(reverse("teams:list")).content.decode()
    assert "Team A" in body
    assert "Team B" not in body
