"""Reminder preferences: validation only."""

from django import forms
from django.utils.translation import gettext_lazy as _

from notifications.models import ReminderSettings
from teams.models import Team


class PreferencesForm(forms.Form):
    lead_minutes = forms.TypedChoiceField(
        label=_("Remind me before a session"),
        choices=ReminderSettings.LeadTime.choices,
        coerce=int,
    )
    by_email = forms.BooleanField(label=_("By e-mail"), required=False)
    in_app = forms.BooleanField(label=_("In Learning Lead"), required=False)
    nudges = forms.BooleanField(
        label=_("After a session I took part in, remind me to add a reflection"),
        required=False,
    )
    lapse_alerts = forms.BooleanField(
        label=_("Tell me when the reflection rhythm of a team I lead lapses"),
        help_text=_(
            "Once per lapse: when two planned sessions in a row were not held, or nothing is "
            "planned ahead."
        ),
        required=False,
    )
    muted_teams = forms.ModelMultipleChoiceField(
        label=_("No reminders about these teams"),
        queryset=Team.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, teams, leads: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["muted_teams"].queryset = teams
        if not leads:
            del self.fields["lapse_alerts"]
