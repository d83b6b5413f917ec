from django.urls import path

from chat import views

app_name = "chat"

urlpatterns = [
    path("teams/<int:pk>/chat/", views.destination_list, name="destinations"),
    path("chat/<int:pk>/edit/", views.destination_edit, name="edit"),
    path("chat/<int:pk>/remove/", views.destination_remove, name="remove"),
    path("chat/<int:pk>/test/", views.destination_test, name="test"),
]
