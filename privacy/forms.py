"""Forms for account deletion and the organisation's privacy settings: validation only."""

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _


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
