"""The report filter: period and unit. Validation only."""

from django import forms
from django.utils.translation import gettext_lazy as _

from reflections.forms import DateInput
from teams.models import Team


class ReportFilterForm(forms.Form):
    PERIODS = [
        ("month", _("This month")),
        ("quarter", _("Last three months")),
        ("year", _("Last twelve months")),
        ("custom", _("Custom months")),
    ]
    period = forms.ChoiceField(
        label=_("Period"), choices=PERIODS, initial="quarter", required=False
    )
    start = forms.DateField(label=_("From (month)"), required=False, widget=DateInput())
    end = forms.DateField(label=_("To (month)"), required=False, widget=DateInput())
    teams = forms.ModelMultipleChoiceField(
        label=_("Teams (none chosen: the whole organisation)"),
        queryset=Team.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teams"].queryset = Team.objects.filter(organization=organization)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("period") == "custom":
            start, end = cleaned.get("start"), cleaned.get("end")
            if not start or not end:
                raise forms.ValidationError(_("Choose both months of a custom period."))
            if start > end:
                raise forms.ValidationError(_("The period must start before it ends."))
            if (end.year - start.year) * 12 + end.month - start.month >= 36:
                raise forms.ValidationError(_("Choose at most three years."))
        return cleaned
