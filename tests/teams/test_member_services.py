"""Membership, invitation and person services keep their rules and write their own audit row,
inside their transaction: the same action, subject and target the views recorded before."""

import pytest

from privacy.models import AuditEvent
from teams import services
from teams.models import Invitation, Membership

pytestmark = pytest.mark.django_db


def events(action: str) -> list[tuple]:
    rows = AuditEvent.objects.filter(action=action).order_by("pk")
    return list(rows.values_list("actor_id", "subject_id", "target", "ip_address"))


def test_adding_a_member_is_audited(admin, member, team_b):
    services.member_add(team=team_b, user=member, role="member", actor=admin, ip_address="10.0.0.1")
    assert team_b.memberships.filter(user=member, role="member").exists()
    assert events("membership_set") == [(admin.pk, member.pk, "Team B: member", "10.0.0.1")]


def test_a_role_change_is_audited(supervisor, member, team_a):
    membership = member.memberships.get(team=team_a)
    services.member_role_change(
        team=team_a, membership=membership, role="supervisor", actor=supervisor
    )
    assert member.memberships.get(team=team_a).role == "supervisor"
    assert events("membership_set") == [(supervisor.pk, member.pk, "Team A: supervisor", None)]


def test_the_last_supervisor_keeps_the_role_and_stays(admin, supervisor, team_a):
    membership = supervisor.memberships.get(team=team_a)
    with pytest.raises(services.LastSupervisor):
        services.member_role_change(team=team_a, membership=membership, role="member", actor=admin)
    with pytest.raises(services.LastSupervisor):
        services.member_remove(team=team_a, membership=membership, actor=admin)
    assert supervisor.memberships.get(team=team_a).role == "supervisor"
    assert not AuditEvent.objects.exists()


def test_removing_a_member_is_audited(supervisor, member, team_a):
    membership = member.memberships.get(team=team_a)
    services.member_remove(team=team_a, membership=membership, actor=supervisor)
    assert not Membership.objects.filter(team=team_a, user=member).exists()
    assert events("membership_remove") == [(supervisor.pk, member.pk, "Team A", None)]


def _invite(inviter, team):
    return services.invitation_create(
        inviter=inviter, email="new@example.org", team=team, role="member", language="en"
    )


def test_an_invitation_is_audited_without_the_address(supervisor, team_a):
    invitation = _invite(supervisor, team_a)
    assert events("invitation_create") == [
        (supervisor.pk, None, f"#{invitation.pk} Team A: member", None)
    ]


def test_revoking_an_invitation_deletes_it_and_is_audited(supervisor, team_a):
    invitation = _invite(supervisor, team_a)
    services.invitation_revoke(invitation=invitation, actor=supervisor, ip_address="10.0.0.2")
    assert not Invitation.objects.exists()
    assert events("invitation_revoke") == [
        (supervisor.pk, None, f"#{invitation.pk} Team A: member", "10.0.0.2")
    ]


def test_an_accepted_invitation_cannot_be_revoked(supervisor, team_a):
    invitation = _invite(supervisor, team_a)
    user = services.invitation_accept(
        invitation=invitation,
        username="newbie",
        first_name="New",
        last_name="",
        password="a-fine-password-99",
        language="en",
    )
    assert events("invitation_accept") == [
        (user.pk, user.pk, f"#{invitation.pk} Team A: member", None)
    ]
    with pytest.raises(services.InvitationAlreadyAccepted):
        services.invitation_revoke(invitation=invitation, actor=supervisor)
    assert Invitation.objects.filter(pk=invitation.pk).exists()
    assert events("invitation_revoke") == []


def test_a_person_edit_is_audited_only_when_roles_or_sign_in_change(admin, member):
    fields = {"person": member, "first_name": "Mia", "last_name": "", "actor": admin}
    services.person_update(roles=set(), is_active=True, **fields)
    assert events("role_change") == []
    services.person_update(roles={"hr"}, is_active=True, **fields)
    services.person_update(roles={"hr"}, is_active=False, **fields)
    assert events("role_change") == [
        (admin.pk, member.pk, "roles=hr active=True", None),
        (admin.pk, member.pk, "roles=hr active=False", None),
    ]
