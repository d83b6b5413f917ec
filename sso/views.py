"""Single sign-on pages: the admin's connection settings, starting a sign-in from our sign-in
page, the refusal page and the signed-out page."""

from allauth.socialaccount.providers.openid_connect import views as oidc_views
from allauth.socialaccount.providers.saml import views as saml_views
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from privacy.audit import origin
from sso import crypto, selectors, services
from sso.forms import ConnectionForm, StartForm
from teams import access

SSO_SESSION_KEY = "sso_organization"

REFUSALS = {
    "tenant": gettext_lazy(
        "Your account is not in the directory (tenant or domain) your organisation uses with "
        "Learning Lead."
    ),
    "domain": gettext_lazy(
        "Your e-mail address is not in a domain your organisation allows here. Sign in with "
        "your work account."
    ),
    "unverified": gettext_lazy(
        "Your identity provider did not confirm your e-mail address, so we cannot tell which "
        "account is yours."
    ),
    "elsewhere": gettext_lazy(
        "An account with your e-mail address belongs to another organisation. Ask your "
        "organisation's admin for help."
    ),
    "inactive": gettext_lazy("Your account has been turned off. Ask your organisation's admin."),
    "off": gettext_lazy("Single sign-on is not on for this organisation."),
    "failed": gettext_lazy(
        "The sign-in did not complete: the link was used already, it expired, or the identity "
        "provider refused. Start again from the sign-in page."
    ),
}


def refusal(request, reason: str):
    return render(
        request,
        "sso/refused.html",
        {"reason": REFUSALS.get(reason, REFUSALS["failed"])},
        status=403,
    )


@require_POST
def start(request):
    """Sends the person to their organisation's identity provider (allauth's login view)."""
    form = StartForm(request.POST)
    connection = None
    if form.is_valid():
        connection = selectors.connection_for_start(form.cleaned_data["organisation"])
    if connection is None:
        messages.error(
            request,
            _("No organisation signs in with that. Check the address or sign in with a password."),
        )
        return redirect("login")
    if connection.is_saml:
        response = saml_views.login(request, organization_slug=connection.provider_id)
    else:
        response = oidc_views.login(request, provider_id=connection.provider_id)
    if response.status_code != 302:
        return response
    # A link (followed at once), not a redirect: the sign-in page's form-action policy would
    # stop the browser following a form's redirect to the provider's address.
    return render(request, "sso/continue.html", {"url": response["Location"]})


@require_GET
def saml_finish(request, organization_slug: str):
    """allauth's last SAML step. A response answering no request this browser sent (replayed,
    or from another session) ends on the refusal page, as a replayed OIDC state does."""
    try:
        return saml_views.finish_acs(request, organization_slug=organization_slug)
    except PermissionDenied:
        return refusal(request, "failed")


@require_GET
def signed_out(request):
    return render(request, "sso/signed_out.html")


class LogoutView(auth_views.LogoutView):
    """Ends our session; after a single sign-on session, says that the identity provider's
    session remains."""

    def post(self, request, *args, **kwargs):
        self.was_sso = bool(request.session.get(SSO_SESSION_KEY))
        return super().post(request, *args, **kwargs)

    def get_success_url(self):
        if getattr(self, "was_sso", False):
            return reverse("sso:signed_out")
        return super().get_success_url()


@login_required
@require_http_methods(["GET", "POST"])
def connection_settings(request):
    access.require_admin(request.user)
    organization = request.user.organization
    connection = selectors.connection_of(organization)
    initial = {}
    if connection is not None:
        initial = {name: getattr(connection, name) for name in services.CONFIG_FIELDS}
    form = ConnectionForm(
        request.POST or None,
        initial=initial,
        organization=organization,
        has_secret=bool(connection and connection.client_secret_encrypted),
    )
    context = {
        "form": form,
        "connection": connection,
        "configured": crypto.configured(),
        "callback_url": request.build_absolute_uri(
            reverse("openid_connect_callback", kwargs={"provider_id": f"org-{organization.pk}"})
        ),
        "scim_url": request.build_absolute_uri(reverse("sso:scim_users")),
        "saml_acs_url": request.build_absolute_uri(
            reverse("saml_acs", kwargs={"organization_slug": f"org-{organization.pk}"})
        ),
        "saml_sp_entity_id": request.build_absolute_uri(
            reverse("saml_metadata", kwargs={"organization_slug": f"org-{organization.pk}"})
        ),
    }
    if not context["configured"]:
        return render(request, "sso/settings.html", context)
    if request.method == "POST" and "scim_token" in request.POST and connection is not None:
        context["scim_token"] = services.scim_token_issue(connection=connection, **origin(request))
        return render(request, "sso/settings.html", context)
    if request.method == "POST" and form.is_valid():
        services.connection_save(organization=organization, **form.cleaned_data, **origin(request))
        messages.success(request, _("Single sign-on settings saved."))
        return redirect("sso:settings")
    return render(request, "sso/settings.html", context)
