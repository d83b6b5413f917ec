from django.urls import path, re_path

from sso import scim, views

app_name = "sso"

urlpatterns = [
    path("sso/start/", views.start, name="start"),
    path("sso/signed-out/", views.signed_out, name="signed_out"),
    path("sso/settings/", views.connection_settings, name="settings"),
    path("scim/v2/Users", scim.users, name="scim_users"),
    path("scim/v2/Users/.search", scim.search, name="scim_search"),
    path("scim/v2/.search", scim.search, name="scim_search_all"),
    path("scim/v2/Users/<int:pk>", scim.user, name="scim_user"),
    path("scim/v2/ServiceProviderConfig", scim.service_provider_config, name="scim_config"),
    path("scim/v2/ResourceTypes", scim.resource_types, name="scim_resource_types"),
    path("scim/v2/ResourceTypes/<str:name>", scim.resource_types, name="scim_resource_type"),
    path("scim/v2/Schemas", scim.schemas, name="scim_schemas"),
    path("scim/v2/Schemas/<str:schema_id>", scim.schemas, name="scim_schema"),
    re_path(r"^scim/v2/(?P<rest>.*)$", scim.not_found, name="scim_not_found"),
]
