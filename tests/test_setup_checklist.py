"""The set-up checklist on a new organisation's admin home ticks itself from data."""

from django.urls import reverse

from learning_lead import setup_checklist
from privacy import services as privacy_services
from teams import direction_services, services
from teams.models import Organization, OrgRole

from .conftest import make_user


def new_admin():
    organization = Organization.objects.create(name="Fresh", slug="fresh")
    admin = make_user(organization, "founder")
    services.org_roles_set(user=admin, roles={OrgRole.Role.ADMIN})
    return organization, admin


def done(organization) -> list[bool]:
    return [item.done for item in setup_checklist.checklist(organization.pk)]


def test_a_new_admin_sees_every_step_with_a_link(db, client):
    organization, admin = new_admin()
    client.force_login(admin)
    body = client.get(reverse("home")).content.decode()
    assert "Set up your organisation" in body
    for name in ("teams:create", "teams:invitations", "teams:themes", "privacy:settings"):
        assert f'href="{reverse(name)}"' in body
    assert done(organization) == [False] * 6


def test_items_tick_themselves_as_the_organisation_is_set_up(db, client):
    organization, admin = new_admin()
    team = services.team_create(organization=organization, name="Ops")
    assert done(organization)[0] is True
    services.invitation_create(
        inviter=admin, email="s@x.example", team=team, role="supervisor", language="fi"
    )
    services.invitation_create(
        inviter=admin, email="h@x.example", team=None, role="member", org_role="hr"
    )
    direction_services.theme_create(organization=organization, title="Quality")
    privacy_services.organization_retention_set(
        organization=organization, retention_months=12, min_group_size=6, actor=admin
    )
    assert done(organization) == [True] * 5 + [False]
    client.force_login(admin)
    client.get(reverse("privacy:page"))
    assert setup_checklist.open_checklist(organization.pk) is None
    assert "Set up your organisation" not in client.get(reverse("home")).content.decode()


def test_people_who_are_not_admins_see_no_checklist(client, member, hr):
    for person in (member, hr):
        client.force_login(person)
        assert "Set up your organisation" not in client.get(reverse("home")).content.decode()


def test_the_checklist_costs_the_same_queries_however_big_the_organisation(
    db, django_assert_max_num_queries
):
    organization, admin = new_admin()
    with django_assert_max_num_queries(1):
        setup_checklist.checklist(organization.pk)
    for n in range(5):
        services.team_create(organization=organization, name=f"T{n}")
    with django_assert_max_num_queries(1):
        setup_checklist.checklist(organization.pk)


def test_privacy_settings_set_the_minimum_group_size(client, admin, acme):
    client.force_login(admin)
    response = client.post(
        reverse("privacy:settings"), {"retention_months": "12", "min_group_size": "7"}
    )
    assert response.status_code == 302
    acme.refresh_from_db()
    assert (acme.retention_months, acme.min_group_size) == (12, 7)
    response = client.post(
        reverse("privacy:settings"), {"retention_months": "12", "min_group_size": "2"}
    )
    assert "greater than or equal to 3" in response.content.decode()
