"""The report filter: period and unit. Validation only."""

from datetime import date

from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _


class TeamCheckboxes(forms.CheckboxSelectMultiple):
    """Django's checkbox list, same markup, built in Python: an organisation may have a
    thousand teams, and the template-per-option rendering took longer than the report."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        base_id = attrs.pop("id", None)
        chosen = set(self.format_value(value))
        name = escape(name)
        # Attributes the field adds (aria-invalid, aria-describedby) go on every box.
        extra = flatatt(attrs)
        options = []
        for index, (option, label) in enumerate(self.choices):
            option_value, label = escape(str(option)), escape(str(label))
            if base_id:
                box_id = f"{base_id}_{index}"
                head, ident = f' for="{box_id}"', f' id="{box_id}"'
            else:
                head = ident = ""
            checked = " checked" if str(option) in chosen else ""
            options.append(
                f"<div>\n    <label{head}><input"
                f' type="checkbox" name="{name}" value="{option_value}"{extra}{ident}{checked}>'
                f"\n {label}</label>\n\n</div>"
            )
        outer = flatatt({"id": base_id} if base_id else {})
        return mark_safe(f"<div{outer}>{''.join(options)}\n</div>")  # noqa: S308 - escaped


class MonthInput(forms.DateInput):
    """A month picker (`<input type="month">`, which sends 2026-10); browsers without one show
    a text box that takes 10/2026, 10.2026 or 2026-10 as well."""

    input_type = "month"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m", **kwargs)


class MonthField(forms.DateField):
    """A month, cleaned to its first day. Whole dates (older links) are taken too."""

    widget = MonthInput
    input_formats = ["%Y-%m", "%m/%Y", "%m.%Y", "%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y"]

    def to_python(self, value):
        day = super().to_python(value)
        return day.replace(day=1) if day else day


class ReportFilterForm(forms.Form):
    PERIODS = [
        ("month", _("Last published month")),
        ("quarter", _("Last three published months")),
        ("year", _("Last twelve published months")),
        ("custom", _("Custom months")),
    ]
    EARLIEST = date(2000, 1, 1)
    period = forms.ChoiceField(
        label=_("Period"), choices=PERIODS, initial="quarter", required=False
    )
    start = MonthField(label=_("From (month)"), required=False)
    end = MonthField(label=_("To (month)"), required=False)
    teams = forms.TypedMultipleChoiceField(
        label=_("Teams (none chosen: the whole organisation)"),
        coerce=int,
        required=False,
        widget=TeamCheckboxes,
    )

    def __init__(self, *args, teams, today: date, **kwargs):
        """`teams`: the organisation's teams, already loaded; the chosen ones clean to ids.
        `today`: the organisation's date; no month after its month can be chosen."""
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["teams"].choices = [(team.pk, str(team)) for team in teams]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("period") == "custom":
            start, end = cleaned.get("start"), cleaned.get("end")
            if not start or not end:
                raise forms.ValidationError(_("Choose both months of a custom period."))
            if start > end:
                raise forms.ValidationError(_("The period must start before it ends."))
            if start < self.EARLIEST or end.replace(day=1) > self.today.replace(day=1):
                raise forms.ValidationError(_("Choose months from January 2000 up to this month."))
            if (end.year - start.year) * 12 + end.month - start.month >= 36:
                raise forms.ValidationError(_("Choose at most three years."))
        return cleaned
