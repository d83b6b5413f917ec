"""Forms for account deletion, the organisation's privacy settings and the audit trail's
filter: validation only."""

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from privacy.models import AuditEvent

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DeletionConfirmForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=_("I understand that my account and my own content will be deleted."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not right."))
        return password


class RetentionForm(forms.Form):
    retention_months = forms.IntegerField(
        label=_("Keep thoughts, questions and check-ins for (months)"),
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("At least 1 month, at most 120. Older content is removed every night."),
    )
    min_group_size = forms.IntegerField(
        label=_("Smallest group a report figure may rest on (people)"),
        validators=[MinValueValidator(3), MaxValueValidator(50)],
        help_text=_(
            "At least 3, at most 50. HR's report hides figures resting on fewer people, so no "
            "one can be picked out."
        ),
    )


class AuditFilterForm(forms.Form):
    """The audit trail's filter: an action, a person (who acted or whom it was about) and a
    range of days in the reader's time zone; every field may be left empty."""

    action = forms.ChoiceField(label=_("Action"), required=False)
    person = forms.ModelChoiceField(
        label=_("Person"),
        queryset=None,
        required=False,
        empty_label=_("Anyone"),
        help_text=_("Who acted, or whom the action was about."),
    )
    start = forms.DateField(label=_("First day"), required=False, widget=DATE_WIDGET)
    end = forms.DateField(label=_("Last day"), required=False, widget=DATE_WIDGET)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("All actions")), *AuditEvent.Action.choices]
        self.fields["person"].queryset = people

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("The first day must not be after the last day."))
        return data

    @property
    def filters(self) -> dict:
        """The chosen filters for the selector; none when the form is not valid."""
        if not self.is_bound or not self.is_valid():
            return {}
        return {key: value for key, value in self.cleaned_data.items() if value}
