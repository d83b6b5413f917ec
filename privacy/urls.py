from django.urls import path

from privacy import views

app_name = "privacy"

urlpatterns = [
    path("my-data/", views.my_data, name="my_data"),
    path("my-data/export.json", views.export_json, name="export_json"),
    path("my-data/export.html", views.export_html, name="export_html"),
    path("my-data/delete/", views.account_delete, name="account_delete"),
    path("my-data/delete/cancel/", views.account_delete_cancel, name="account_delete_cancel"),
    path("privacy/", views.privacy_page, name="page"),
    path("privacy/settings/", views.privacy_settings, name="settings"),
    path("audit/", views.audit_log, name="audit"),
]
