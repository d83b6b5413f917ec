from django.urls import path

from sso import views

app_name = "sso"

urlpatterns = [
    path("sso/start/", views.start, name="start"),
    path("sso/signed-out/", views.signed_out, name="signed_out"),
    path("sso/settings/", views.connection_settings, name="settings"),
]
