"""Forms of single sign-on: the admin's connection settings, the sign-in page's start field
and the password sign-in that respects a required SSO."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from learning_lead.text import CleanTextMixin
from sso import selectors
from teams.models import User


class ConnectionForm(CleanTextMixin, forms.Form):
    enabled = forms.BooleanField(
        label=_("Sign-in with the identity provider is on"), required=False
    )
    issuer = forms.URLField(
        label=_("Issuer"),
        max_length=300,
        assume_scheme="https",
        help_text=_(
            "For example https://login.microsoftonline.com/<tenant id>/v2.0 or "
            "https://accounts.google.com"
        ),
    )
    client_id = forms.CharField(label=_("Client id"), max_length=200)
    client_secret = forms.CharField(
        label=_("Client secret"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text=_("Stored encrypted and never shown again. Leave empty to keep the current one."),
    )
    tenant_id = forms.CharField(
        label=_("Allowed tenant (Entra ID tid)"), max_length=100, required=False
    )
    hosted_domain = forms.CharField(
        label=_("Hosted domain (Google hd)"), max_length=253, required=False
    )
    email_domains = forms.CharField(
        label=_("Allowed e-mail domains"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line or separated by commas, for example example.com."),
    )
    admin_claim = forms.CharField(
        label=_("Role or group that makes an organisation admin"), max_length=200, required=False
    )
    hr_claim = forms.CharField(
        label=_("Role or group that makes an HR / learning partner"),
        max_length=200,
        required=False,
    )
    require_sso = forms.BooleanField(
        label=_("Require single sign-on"),
        required=False,
        help_text=_("Members cannot sign in with a password, except the break-glass admin."),
    )
    break_glass_admin = forms.ModelChoiceField(
        label=_("Break-glass admin"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Can still sign in with a password if the identity provider fails."),
    )

    def __init__(self, *args, organization, has_secret: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.has_secret = has_secret
        self.fields["break_glass_admin"].queryset = User.objects.filter(
            organization=organization, org_roles__role="admin", is_active=True
        ).distinct()

    def clean_email_domains(self) -> str:
        value = self.cleaned_data["email_domains"]
        domains = value.replace(",", "\n").split()
        if not domains or any("." not in domain.lstrip("@") for domain in domains):
            raise forms.ValidationError(_("Give at least one domain, for example example.com."))
        return "\n".join(domain.strip().lower().lstrip("@") for domain in domains)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("enabled") and not (cleaned.get("client_secret") or self.has_secret):
            self.add_error("client_secret", _("Give the client secret."))
        if cleaned.get("require_sso") and not cleaned.get("break_glass_admin"):
            self.add_error(
                "break_glass_admin",
                _("Choose a break-glass admin before requiring single sign-on."),
            )
        return cleaned


class StartForm(CleanTextMixin, forms.Form):
    organisation = forms.CharField(
        label=_("Work e-mail or organisation short name"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "email"}),
    )


class PasswordSignInForm(CleanTextMixin, AuthenticationForm):
    """Django's sign-in form, refusing members of an organisation that requires SSO."""

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not selectors.password_signin_allowed(user):
            raise forms.ValidationError(
                _(
                    "Your organisation signs in with its identity provider. Use “Sign in with "
                    "your organisation's account” below."
                ),
                code="sso_required",
            )
