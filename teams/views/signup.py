"""Sign-up: a person starts an organisation and becomes its admin once the e-mail is theirs."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from learning_lead.login_throttle import client_address
from privacy.audit import client_ip
from teams import signup_services
from teams.forms import SignupForm
from teams.models import DEFAULT_TIME_ZONE


def _require_enabled() -> None:
    if not settings.SIGNUP_ENABLED:
        raise Http404


@require_http_methods(["GET", "POST"])
def signup(request):
    _require_enabled()
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(
        request.POST or None,
        initial={"language": get_language(), "time_zone": DEFAULT_TIME_ZONE},
    )
    if request.method == "POST" and form.is_valid():
        if not signup_services.signup_allowed(ip_address=client_address(request)):
            form.add_error(None, _("Too many sign-ups from your address. Try again in an hour."))
            return render(request, "teams/signup.html", {"form": form}, status=429)
        data = form.cleaned_data
        user = signup_services.signup_start(
            organization_name=data["organization_name"],
            language=data["language"],
            time_zone=data["time_zone"],
            username=data["username"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            password=data["password1"],
        )
        return render(request, "teams/signup_sent.html", {"email": user.email})
    return render(request, "teams/signup.html", {"form": form})


@require_http_methods(["GET", "POST"])
def signup_verify(request, token: str):
    """GET shows a button (mail scanners open links too); POST verifies and signs in."""
    _require_enabled()
    try:
        user = signup_services.signup_from_token(token)
        if request.method == "POST":
            user = signup_services.signup_verify(user=user, ip_address=client_ip(request))
    except signup_services.SignupInvalid:
        days = settings.SIGNUP_VERIFY_MAX_AGE // 86400
        return render(request, "teams/signup_invalid.html", {"days": days}, status=400)
    if request.method == "GET":
        return render(request, "teams/signup_verify.html", {"pending": user})
    login(request, user, backend=settings.USER_BACKEND)
    messages.success(request, _("Your e-mail is verified. Welcome to Learning Lead!"))
    return redirect("home")
