"""The organisation's prompt templates: planners keep them, nobody else reaches them."""

import pytest
from django.urls import reverse

from reflections import services
from reflections.models import PromptTemplate


def test_supervisor_saves_a_prompt_for_the_organisation(client, supervisor, acme):
    client.force_login(supervisor)
    response = client.post(reverse("reflections:prompt_templates"), {"text": "What surprised us?"})
    assert response.status_code == 302
    assert list(PromptTemplate.objects.values_list("organization_id", "text")) == [
        (acme.pk, "What surprised us?")
    ]
    page = client.get(reverse("reflections:prompt_templates"))
    assert "What surprised us?" in page.content.decode()


def test_supervisor_removes_a_prompt_of_the_organisation(client, supervisor, acme):
    template = services.prompt_template_create(organization_id=acme.pk, text="Why?")
    client.force_login(supervisor)
    url = reverse("reflections:prompt_template_delete", kwargs={"pk": template.pk})
    assert client.post(url).status_code == 302
    assert not PromptTemplate.objects.exists()


@pytest.mark.parametrize("persona", ["member", "hr"])
def test_a_person_who_plans_nothing_may_not_keep_prompts(client, personas, acme, persona):
    template = services.prompt_template_create(organization_id=acme.pk, text="Why?")
    client.force_login(personas[persona])
    assert client.get(reverse("reflections:prompt_templates")).status_code == 403
    url = reverse("reflections:prompt_template_delete", kwargs={"pk": template.pk})
    assert client.post(url).status_code == 403
    assert PromptTemplate.objects.exists()


def test_another_organisations_prompt_is_not_found(client, supervisor, other_org):
    template = services.prompt_template_create(organization_id=other_org.pk, text="Why?")
    client.force_login(supervisor)
    url = reverse("reflections:prompt_template_delete", kwargs={"pk": template.pk})
    assert client.post(url).status_code == 404
    assert PromptTemplate.objects.exists()
