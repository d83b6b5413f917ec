"""Forms of single sign-on: the admin's connection settings, the sign-in page's start field
and the password sign-in that respects a required SSO."""

import base64
import binascii

from cryptography import x509
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from learning_lead.text import CleanTextMixin
from sso import selectors
from sso.models import SsoConnection
from teams.models import User


class ConnectionForm(CleanTextMixin, forms.Form):
    enabled = forms.BooleanField(
        label=_("Sign-in with the identity provider is on"), required=False
    )
    protocol = forms.ChoiceField(
        label=_("Protocol"),
        choices=SsoConnection.Protocol.choices,
        initial=SsoConnection.Protocol.OIDC,
        widget=forms.RadioSelect,
    )
    issuer = forms.URLField(
        label=_("Issuer"),
        required=False,
        max_length=300,
        assume_scheme="https",
        help_text=_(
            "For example https://login.microsoftonline.com/<tenant id>/v2.0 or "
            "https://accounts.google.com"
        ),
    )
    client_id = forms.CharField(label=_("Client id"), max_length=200, required=False)
    client_secret = forms.CharField(
        label=_("Client secret"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text=_("Stored encrypted and never shown again. Leave empty to keep the current one."),
    )
    saml_entity_id = forms.CharField(
        label=_("Identity provider's entity id"),
        max_length=300,
        required=False,
        help_text=_("SAML only. For Entra ID: https://sts.windows.net/<tenant id>/"),
    )
    saml_sso_url = forms.URLField(
        label=_("Identity provider's sign-in address (SSO URL)"),
        max_length=300,
        required=False,
        assume_scheme="https",
        help_text=_("SAML only."),
    )
    saml_x509cert = forms.CharField(
        label=_("Identity provider's signing certificate"),
        max_length=20000,
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("SAML only. The certificate (Base64 or PEM) from the provider's settings."),
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

    def clean_saml_x509cert(self) -> str:
        """The certificate as base64 DER on one line, as python3-saml takes it."""
        text = self.cleaned_data["saml_x509cert"].strip()
        if not text:
            return ""
        body = "".join(
            line.strip() for line in text.splitlines() if line.strip() and "-----" not in line
        )
        try:
            x509.load_der_x509_certificate(base64.b64decode(body, validate=True))
        except (ValueError, binascii.Error):
            raise forms.ValidationError(
                _("This is not a certificate. Copy it whole from the provider's settings.")
            ) from None
        return body

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("protocol") == SsoConnection.Protocol.SAML:
            for name in ("saml_entity_id", "saml_sso_url", "saml_x509cert"):
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, _("Needed for SAML."))
            cleaned["hosted_domain"] = ""  # Google's hd is an OpenID Connect claim
        else:
            for name in ("issuer", "client_id"):
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, _("Needed for OpenID Connect."))
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
