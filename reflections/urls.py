from django.urls import path

from reflections.views import feeds, prompt_templates, rhythms, sessions

app_name = "reflections"

urlpatterns = [
    path("teams/<int:pk>/sessions/", sessions.team_sessions, name="team_sessions"),
    path("teams/<int:pk>/sessions/new/", sessions.session_add, name="session_add"),
    path("teams/<int:pk>/rhythms/new/", rhythms.rhythm_create, name="rhythm_create"),
    path("rhythms/<int:pk>/edit/", rhythms.rhythm_edit, name="rhythm_edit"),
    path("sessions/<int:pk>/", sessions.session_detail, name="session"),
    path("sessions/<int:pk>/move/", sessions.session_move, name="session_move"),
    path("sessions/<int:pk>/skip/", sessions.session_skip, name="session_skip"),
    path("sessions/<int:pk>/restore/", sessions.session_restore, name="session_restore"),
    path("sessions/<int:pk>/held/", sessions.session_hold, name="session_hold"),
    path("sessions/<int:pk>/prompts/", sessions.prompt_add, name="prompt_add"),
    path(
        "sessions/<int:pk>/prompts/<int:prompt_pk>/remove/",
        sessions.prompt_remove,
        name="prompt_remove",
    ),
    path("prompts/", prompt_templates.template_list, name="prompt_templates"),
    path(
        "prompts/<int:pk>/delete/", prompt_templates.template_delete, name="prompt_template_delete"
    ),
    path("calendar/", feeds.calendar_links, name="calendar"),
    path("calendar/reset/", feeds.feed_reset_mine, name="feed_reset"),
    path("teams/<int:pk>/calendar/reset/", feeds.feed_reset_team, name="team_feed_reset"),
    path("calendar/<str:token>.ics", feeds.feed, name="feed"),
]
