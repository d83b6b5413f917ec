"""Single sign-on of one organisation: its identity provider (OpenID Connect or SAML 2.0), who
may come in through it, and the SCIM token its provisioning uses."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SsoConnection(models.Model):
    class Protocol(models.TextChoices):
        OIDC = "oidc", _("OpenID Connect")
        SAML = "saml", _("SAML 2.0")

    organization = models.OneToOneField(
        "teams.Organization", on_delete=models.CASCADE, related_name="sso"
    )
    protocol = models.CharField(
        _("protocol"), max_length=4, choices=Protocol.choices, default="oidc", db_default="oidc"
    )
    enabled = models.BooleanField(_("sign-in with the identity provider is on"), default=False)
    issuer = models.URLField(
        _("issuer"),
        max_length=300,
        help_text=_(
            "For example https://login.microsoftonline.com/<tenant id>/v2.0 or "
            "https://accounts.google.com"
        ),
    )
    client_id = models.CharField(_("client id"), max_length=200)
    # Fernet token under SSO_ENCRYPTION_KEYS (sso/crypto.py); never shown again.
    client_secret_encrypted = models.TextField(blank=True, editable=False)
    tenant_id = models.CharField(
        _("allowed tenant (Entra ID tid)"), max_length=100, blank=True, default=""
    )
    hosted_domain = models.CharField(
        _("hosted domain (Google hd)"), max_length=253, blank=True, default=""
    )
    email_domains = models.TextField(
        _("allowed e-mail domains"),
        help_text=_("One per line or separated by commas, for example example.com."),
    )
    admin_claim = models.CharField(
        _("role or group that makes an organisation admin"), max_length=200, blank=True
    )
    hr_claim = models.CharField(
        _("role or group that makes an HR / learning partner"), max_length=200, blank=True
    )
    require_sso = models.BooleanField(
        _("require single sign-on"),
        default=False,
        help_text=_("Members cannot sign in with a password, except the break-glass admin."),
    )
    break_glass_admin = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("break-glass admin"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # SAML 2.0 (protocol "saml"): the identity provider's entity id, its sign-in address and
    # the certificate its assertions are signed with (PEM or bare base64; public, not secret).
    saml_entity_id = models.CharField(
        _("identity provider's entity id"), max_length=300, blank=True, default="", db_default=""
    )
    saml_sso_url = models.URLField(
        _("identity provider's sign-in address (SSO URL)"),
        max_length=300,
        blank=True,
        default="",
        db_default="",
    )
    saml_x509cert = models.TextField(
        _("identity provider's signing certificate"), blank=True, default="", db_default=""
    )
    # SHA-256 of the SCIM bearer token; empty: SCIM is off.
    scim_token_hash = models.CharField(max_length=64, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("single sign-on connection")
        verbose_name_plural = _("single sign-on connections")

    def __str__(self) -> str:
        return f"{self.organization} · {self.issuer or self.saml_entity_id}"

    @property
    def is_saml(self) -> bool:
        return self.protocol == self.Protocol.SAML

    @property
    def provider_id(self) -> str:
        return f"org-{self.organization_id}"

    def domains(self) -> set[str]:
        parts = self.email_domains.replace(",", "\n").split()
        return {part.strip().lower().lstrip("@") for part in parts if part.strip()}


class ScimExternalId(models.Model):
    """The identity provider's own id for a person it provisioned (SCIM externalId)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="scim_external_id"
    )
    external_id = models.CharField(max_length=255)

    def __str__(self) -> str:
        return self.external_id
