"""The field groups built in Python (reflections/templatetags/field_groups.py) are, to the
character, what templates/field_groups.html writes for the same field: unbound, with values
and with errors, in two languages."""

import pytest
from django.template.loader import get_template
from django.utils import translation

from reflections.templatetags.field_groups import choices_group, select_group
from tests.test_field_groups import PARTIALS, _forms

BUILT = {"choices": choices_group, "select": select_group}


@pytest.mark.parametrize("language", ["en", "fi"])
def test_each_built_field_group_is_the_templates(language, team_a, acme, member):
    seen = set()
    with translation.override(language):
        for form in _forms(team_a, acme, member):
            form.is_valid()
            for name in form.fields:
                field = form[name]
                partial = PARTIALS[type(field.field.widget)]
                if partial not in BUILT:
                    continue
                seen.add(partial)
                written = get_template(f"field_groups.html#{partial}").render({"field": field})
                assert BUILT[partial](field) == written, name
    assert seen == set(BUILT)


def test_choices_from_rows_already_loaded_are_the_querysets(team_a, acme, member, supervisor):
    """The session page hands its forms the people and prompt templates it loaded (compiled
    queries): the same choices as the forms' own querysets give."""
    from reflections.forms import AttendanceForm, PromptAddForm
    from reflections.models import PromptTemplate
    from reflections.selectors import attendance_people, prompt_templates_of

    PromptTemplate.objects.create(organization=acme, text="Ours")
    initial = {"attendees": [member.pk]}
    people = list(attendance_people(team_a))
    assert len(people) == 2
    assert choices_group(
        AttendanceForm(team=team_a, initial=initial, members=people)["attendees"]
    ) == choices_group(AttendanceForm(team=team_a, initial=initial)["attendees"])
    templates = list(prompt_templates_of(acme.pk))
    assert select_group(
        PromptAddForm(organization=acme, templates=templates)["template"]
    ) == select_group(PromptAddForm(organization=acme)["template"])
