from django.urls import path

from reflections.views import (
    agreement,
    bridge,
    direction,
    feed,
    feeds,
    health,
    live,
    prompt_templates,
    pulse,
    questions,
    rhythms,
    sessions,
)

app_name = "reflections"

urlpatterns = [
    path("teams/<int:pk>/sessions/", sessions.team_sessions, name="team_sessions"),
    path("rhythm-health/", health.rhythm_health, name="health"),
    # Goals beside thoughts: the team's direction and the person's own learning.
    path("teams/<int:pk>/direction/", direction.team_direction, name="team_direction"),
    path("learning/", direction.my_learning, name="my_learning"),
    path("teams/<int:pk>/agreement/", agreement.agreement_edit, name="agreement"),
    path("teams/<int:pk>/sessions/new/", sessions.session_add, name="session_add"),
    path("teams/<int:pk>/rhythms/new/", rhythms.rhythm_create, name="rhythm_create"),
    path("rhythms/<int:pk>/edit/", rhythms.rhythm_edit, name="rhythm_edit"),
    path("sessions/<int:pk>/", sessions.session_detail, name="session"),
    path("sessions/<int:pk>/move/", sessions.session_move, name="session_move"),
    path("sessions/<int:pk>/skip/", sessions.session_skip, name="session_skip"),
    path("sessions/<int:pk>/restore/", sessions.session_restore, name="session_restore"),
    path("sessions/<int:pk>/held/", sessions.session_hold, name="session_hold"),
    path("sessions/<int:pk>/prompts/", sessions.prompt_add, name="prompt_add"),
    # The live session: the poll fragment and each step (plain POSTs that redirect back).
    path("sessions/<int:pk>/live/", live.live_poll, name="live_poll"),
    path("sessions/<int:pk>/live/start/", live.live_start, name="live_start"),
    path("sessions/<int:pk>/live/next/", live.live_next, name="live_next"),
    path("sessions/<int:pk>/live/reveal/", live.live_reveal, name="live_reveal"),
    path("sessions/<int:pk>/live/extend/", live.live_extend, name="live_extend"),
    path("sessions/<int:pk>/live/votes/", live.live_vote_budget, name="live_vote_budget"),
    path("sessions/<int:pk>/live/hand-over/", live.live_hand_over, name="live_hand_over"),
    path("sessions/<int:pk>/live/safety/", live.live_safety, name="live_safety"),
    path("sessions/<int:pk>/live/cards/", live.live_card, name="live_card"),
    path("sessions/<int:pk>/live/cards/<uuid:card_pk>/vote/", live.live_vote, name="live_vote"),
    path(
        "sessions/<int:pk>/live/cards/<uuid:card_pk>/move/",
        live.live_card_move,
        name="live_card_move",
    ),
    path("sessions/<int:pk>/live/groups/", live.live_group_create, name="live_group_create"),
    path(
        "sessions/<int:pk>/live/groups/<uuid:group_pk>/",
        live.live_group_rename,
        name="live_group_rename",
    ),
    path(
        "sessions/<int:pk>/live/topics/<uuid:topic_pk>/timer/",
        live.live_topic_timer,
        name="live_topic_timer",
    ),
    path(
        "sessions/<int:pk>/live/topics/<uuid:topic_pk>/next-step/",
        live.live_next_step,
        name="live_next_step",
    ),
    path(
        "sessions/<int:pk>/live/topics/<uuid:topic_pk>/next-step/make/",
        live.live_next_step_make,
        name="live_next_step_make",
    ),
    path(
        "sessions/<int:pk>/live/groups/<uuid:group_pk>/vote/",
        live.live_group_vote,
        name="live_group_vote",
    ),
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
    # Place: the team's feed of in-progress thoughts.
    path("teams/<int:pk>/thoughts/", feed.team_feed, name="team_feed"),
    path("teams/<int:pk>/thoughts/new/", feed.thought_post, name="thought_post"),
    path("thoughts/<int:pk>/reply/", feed.thought_reply, name="thought_reply"),
    path("thoughts/<int:pk>/edit/", feed.thought_edit, name="thought_edit"),
    path("thoughts/<int:pk>/delete/", feed.thought_delete, name="thought_delete"),
    # Atmosphere: questions out loud (random ids) and the safety pulse.
    path("teams/<int:pk>/questions/", questions.team_questions, name="team_questions"),
    path("teams/<int:pk>/questions/ask/", questions.question_ask, name="question_ask"),
    path("questions/<uuid:pk>/upvote/", questions.question_upvote, name="question_upvote"),
    path(
        "questions/<uuid:pk>/upvote/withdraw/",
        questions.question_upvote_withdraw,
        name="question_upvote_withdraw",
    ),
    path("questions/<uuid:pk>/report/", questions.question_report, name="question_report"),
    path(
        "questions/<uuid:pk>/name-to-hr/",
        questions.question_name_upward,
        name="question_name_upward",
    ),
    path("questions/<uuid:pk>/answer/", questions.question_answer, name="question_answer"),
    path(
        "questions/<uuid:pk>/answered/",
        questions.question_mark_answered,
        name="question_mark_answered",
    ),
    path("questions/<uuid:pk>/hide/", questions.question_hide, name="question_hide"),
    path("questions/<uuid:pk>/show/", questions.question_unhide, name="question_unhide"),
    path("teams/<int:pk>/questions/forward/", bridge.question_forward, name="question_forward"),
    path("forwarded/", bridge.forwarded_queue, name="forwarded_queue"),
    path("forwarded/<uuid:pk>/answer/", bridge.forward_answer, name="forward_answer"),
    path("anonymity/", questions.anonymity, name="anonymity"),
    path("sessions/<int:pk>/pulse/", pulse.pulse_answer, name="pulse_answer"),
    path("sessions/<int:pk>/pulse/results/", pulse.pulse_results, name="pulse_results"),
]
