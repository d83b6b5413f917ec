"""Which cached pages show each model: the map services follow when they say what they change.

There are no model signals behind the cache. A service that writes rows names the scopes it
changes, inside its transaction (``fragments.changed(...)``), the way Zulip's ``do_*`` actions
send their events; a reader who walks from a view to the service sees the whole change.

- ``SHOWN``: each model a cached page shows, with the scope kinds it is shown through. A
  service that writes one of its rows names a scope of each kind (the row's team, its owner...).
- ``ANONYMOUS``: anonymous content and what hangs on it. No cached page shows these, so their
  services name no scope and an anonymous act leaves the cache exactly as it was: no reader's
  request afterwards can fill or miss anything that tells who acted (docs/caching.md).
- ``WRITER_FILLED``: the anonymous models a writer-filled page shows (the questions list:
  ``read_filled`` in learning_lead/fragments.py), with their scope kind. A service that writes
  one names its ``questions:`` scope, and on commit the writer's request fills the page again
  for every reader alike; no reader's request fills it, so such an act still leaves nothing a
  reader could change.
- ``NOT_SHOWN``: the rest; their pages are rendered on every request.

tests/test_invalidation.py fails when a project model is in none of these, when a service
writes a ``SHOWN`` row without naming its scopes, and when a service is not walked at all;
tests/test_cache_anonymity.py fails when a cached page reads an ``ANONYMOUS`` table.
"""

SHOWN: dict[str, tuple[str, ...]] = {
    "teams.Organization": ("org",),
    "teams.User": ("user", "team"),  # a name shows on every page of the person's teams
    "teams.OrgRole": ("user", "org"),
    "teams.Team": ("team", "org"),
    # The member's other teams too: a free personal goal shows through any team its owner and
    # the viewer share, so joining or leaving one changes what the others show.
    "teams.Membership": ("team", "user"),
    "teams.StrategyTheme": ("org",),
    "teams.TeamGoal": ("team",),
    "teams.PersonalGoal": ("user", "team"),  # through every team of its owner
    "teams.CheckIn": ("user", "team"),
    "reflections.TeamAgreement": ("team",),
    # A thought about a session shows on its page too (``session:``, writer-filled).
    # ``goal-thoughts:`` for one on a team goal (the direction view and my learning).
    "reflections.Thought": ("thoughts", "session", "goal-thoughts"),
    "reflections.Rhythm": ("team",),
    "reflections.Session": ("team",),
    "reflections.Prompt": ("team",),
    "reflections.PromptTemplate": ("org",),  # offered in the session page's prompt form
    "reflections.Attendance": ("team",),
}

ANONYMOUS = {
    "reflections.Question",
    "reflections.Vote",
    "reflections.Answer",
    "reflections.Report",
    "reflections.ForwardedItem",
    "reflections.PulseValue",
    "reflections.PulseAnswered",
    "reflections.PulseRelease",
    # The live session page and its poll are never cached (docs/caching.md).
    "reflections.LiveCard",
    "reflections.LiveVote",
    "reflections.LiveSafetyAnswered",
    "reflections.LiveSafetyValue",
}

# Shown on the questions list and the session page, which their writers fill
# (reflections/question_page.py, session_page.py): the team's ``questions:`` scope, and the
# question's ``session:`` one when it is about a session. Each is in ANONYMOUS too: no page a
# reader fills shows it.
WRITER_FILLED: dict[str, tuple[str, ...]] = {
    "reflections.Question": ("questions", "session"),
    "reflections.Vote": ("questions", "session"),
    "reflections.Answer": ("questions", "session"),
    "reflections.ForwardedItem": ("questions", "session"),
}

NOT_SHOWN = {
    "teams.Invitation",
    "reflections.CalendarFeed",  # the feed's token is checked on every request
    "reflections.LiveSession",  # the session page and its poll are not cached
    "reflections.LiveGroup",  # named by the facilitator; in the live part, never cached
    "notifications.ReminderSettings",
    "notifications.TeamOptOut",
    "notifications.Reminder",
    "notifications.Notification",
    "privacy.AuditEvent",
    "privacy.DeletionRequest",
    "chat.ChatDestination",  # the supervisor's channel page is not cached
    "chat.ChatNotice",
    "chat.ChatDelivery",
    "sso.SsoConnection",  # the admin's settings page is not cached
    "sso.ScimExternalId",  # only the SCIM API reads it
}
