from django.urls import path

from notifications.views import inbox, preferences

app_name = "notifications"

urlpatterns = [
    path("notifications/", inbox.inbox, name="inbox"),
    path("notifications/<int:pk>/read/", inbox.mark_read, name="mark_read"),
    path("notifications/read/", inbox.mark_all_read, name="mark_all_read"),
    path("notifications/answers-seen/", inbox.dismiss_answered, name="dismiss_answered"),
    path("notifications/preferences/", preferences.preferences, name="preferences"),
    path("unsubscribe/<str:token>/", preferences.unsubscribe, name="unsubscribe"),
]
