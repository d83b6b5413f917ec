"""The privacy page is written from the organisation's actual settings."""

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_the_page_states_the_organisations_own_retention_and_group_size(client, member, acme):
    acme.retention_months = 18
    acme.min_group_size = 7
    acme.save()
    assert client.login(username=member.username, password=PASSWORD)

    body = client.get(reverse("privacy:page")).content.decode()

    assert "Privacy at Acme" in body
    assert "18 months" in body and "fewer than 7 people" in body
    assert "7 days" in body  # the deletion grace period
    assert reverse("reflections:anonymity") in body


def test_visitors_get_a_general_version(client, acme):
    body = client.get(reverse("privacy:page")).content.decode()

    assert "Privacy in Learning Lead" in body and "Acme" not in body


def test_a_person_of_another_organisation_sees_their_own_settings(client, foreigner, acme):
    acme.retention_months = 18
    acme.save()
    assert client.login(username=foreigner.username, password=PASSWORD)

    body = client.get(reverse("privacy:page")).content.decode()

    assert "Privacy at Other" in body and "24 months" in body and "Acme" not in body
