from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import TemplateView

from learning_lead import views
from sso.forms import PasswordSignInForm
from sso.views import LogoutView, saml_finish
from teams.forms import PasswordResetForm

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("bench/floor/", views.bench_floor, name="bench_floor"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            redirect_authenticated_user=True, authentication_form=PasswordSignInForm
        ),
        name="login",
    ),
    path("accounts/logout/", LogoutView.as_view(), name="logout"),
    # Only allauth's OpenID Connect and SAML flows (accounts/oidc/org-<pk>/login/...,
    # accounts/saml/org-<pk>/acs/...): see sso/.
    path("accounts/", include("allauth.socialaccount.providers.openid_connect.urls")),
    path("accounts/saml/<str:organization_slug>/acs/finish/", saml_finish),
    path("accounts/", include("allauth.socialaccount.providers.saml.urls")),
    path(
        "accounts/password_reset/",
        auth_views.PasswordResetView.as_view(form_class=PasswordResetForm),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("teams.urls")),
    path("", include("reflections.urls")),
    path("", include("notifications.urls")),
    path("", include("reports.urls")),
    path("", include("privacy.urls")),
    path("", include("chat.urls")),
    path("", include("sso.urls")),
    path("about/", TemplateView.as_view(template_name="about.html"), name="about"),
    path("admin/", admin.site.urls),
]

# A 503 instead of a 500 while Redis fails over (learning_lead/views.py).
handler500 = views.server_error
