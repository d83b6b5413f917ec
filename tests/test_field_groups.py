"""templates/field_groups.html writes Django's field groups out for pages rendered on every
request: for each kind of field it uses, unbound, with values and with errors, in two
languages, it is Django's own markup (compared as HTML)."""

import pytest
from django import forms
from django.template.loader import get_template
from django.test.html import parse_html
from django.utils import translation

from reflections.forms import AttendanceForm, PromptAddForm
from reflections.models import PromptTemplate


class Sample(forms.Form):
    kind = forms.ChoiceField(
        label="Kind <of>",
        choices=[("a", "A & a"), ("b", "B")],
        initial="b",
        widget=forms.RadioSelect,
        help_text="Pick <one>",
    )
    many = forms.MultipleChoiceField(
        label="Many", choices=[("1", "One"), ("2", "Two")], widget=forms.CheckboxSelectMultiple
    )
    word = forms.CharField(label="Word", max_length=5, help_text="Short")
    pick = forms.ChoiceField(label="Pick", choices=[("", "—"), ("x", "X <x>")], required=False)


PARTIALS = {
    forms.RadioSelect: "choices",
    forms.CheckboxSelectMultiple: "choices",
    forms.Select: "select",
    forms.TextInput: "input",
}


def _forms(team_a, acme, member):
    PromptTemplate.objects.create(organization=acme, text="Ours <too>")
    yield Sample()
    yield Sample({"kind": "a", "many": ["2"], "word": "ab<c", "pick": "x"})
    yield Sample({"kind": "z", "many": ["9"], "word": "toolong", "pick": "q"})
    yield AttendanceForm(team=team_a, initial={"attendees": [member.pk]})
    yield AttendanceForm({"attendees": ["x"]}, team=team_a)
    yield PromptAddForm(organization=acme)
    yield PromptAddForm({"text": "a" * 301, "template": "999999"}, organization=acme)


@pytest.mark.parametrize("language", ["en", "fi"])
def test_each_written_out_field_group_is_djangos(language, team_a, acme, member):
    template = {name: get_template(f"field_groups.html#{name}") for name in set(PARTIALS.values())}
    seen = set()
    with translation.override(language):
        for form in _forms(team_a, acme, member):
            form.is_valid()
            for name in form.fields:
                field = form[name]
                partial = PARTIALS[type(field.field.widget)]
                seen.add(partial)
                written = template[partial].render({"field": field})
                assert parse_html(written) == parse_html(field.as_field_group()), name
    assert seen == set(PARTIALS.values())
