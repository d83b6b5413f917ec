"""Which cached fragments a change of each model makes stale (see learning_lead/fragments.py).

Every model of the project is named here once: either with the scopes a change of one of its
rows touches, or in NOT_SHOWN (no cached fragment shows it). A test checks that no model is
left out, so a new model cannot silently serve stale pages. Saves, deletes (also through
``QuerySet.delete``) and many-to-many changes arrive as signals; the few writes that bypass
signals (``QuerySet.update``, ``bulk_create``) call ``fragments.changed`` themselves.

Anonymous content (questions, votes, reports, forwards, pulse values) touches only the team's
``anonymous:`` scope, which per-person fragments may not read.
"""

from contextlib import suppress

from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist
from django.db.models.signals import m2m_changed, post_delete, post_save

from learning_lead import fragments
from learning_lead.fragments import (
    anonymous,
    goal_thoughts,
    goals,
    org,
    people,
    session,
    team,
    thoughts,
    user,
)
from teams.selectors import team_ids_of

# Models no cached fragment shows, by label. Their pages are rendered on every request.
NOT_SHOWN = {
    "teams.Invitation",
    "reflections.CalendarFeed",  # the feed's token is checked on every request
    "reflections.PulseAnswered",  # asked per request ("pulse" fact), never cached
    "notifications.ReminderSettings",
    "notifications.TeamOptOut",
    "notifications.Reminder",
    "notifications.Notification",
    "privacy.AuditEvent",
    "privacy.DeletionRequest",
}


def _teams_of(user_id) -> list[str]:
    return [team(team_id) for team_id in team_ids_of(user_id)]


def _user(instance, update_fields) -> list[str]:
    # Signing in writes last_login; nothing shown changes. A name shows on every page of the
    # person's teams, questions included.
    if update_fields and set(update_fields) <= {"last_login", "password"}:
        return []
    team_ids = team_ids_of(instance.pk)
    return [
        user(instance.pk),
        people(instance.organization_id),
        *(team(team_id) for team_id in team_ids),
        *(anonymous(team_id) for team_id in team_ids),
    ]


def _membership(membership) -> list[str]:
    # The member's other teams too: a free personal goal shows through any team its owner
    # and the viewer share, so joining or leaving one changes what the others show.
    scopes = [team(membership.team_id), anonymous(membership.team_id), user(membership.user_id)]
    scopes += _teams_of(membership.user_id)
    try:
        return scopes + [people(membership.team.organization_id)]
    except ObjectDoesNotExist:  # deleted with its team, whose own signal covered it
        return scopes


def _goals_of_team(team_id) -> str:
    from teams.models import Team

    return goals(Team.objects.filter(pk=team_id).values_list("organization_id", flat=True).first())


def _personal_goal(goal) -> list[str]:
    # A free goal shows in every team of its owner; a linked one in its team goal's team.
    from teams.models import User

    organization_id = (
        User.objects.filter(pk=goal.owner_id).values_list("organization_id", flat=True).first()
    )
    return [user(goal.owner_id), *_teams_of(goal.owner_id), goals(organization_id)]


def _team_of(instance, field: str) -> int | None:
    """The team of the row's question or session: from the loaded object if there is one,
    else one query. None once the parent is gone (its own delete signal covered it)."""
    descriptor = getattr(type(instance), field)
    if descriptor.is_cached(instance):
        return getattr(instance, field).team_id
    parent = descriptor.field.related_model
    return (
        parent.objects.filter(pk=getattr(instance, f"{field}_id"))
        .values_list("team_id", flat=True)
        .first()
    )


def _question_of(instance) -> list[str]:
    team_id = _team_of(instance, "question")
    return [anonymous(team_id)] if team_id else []


def _session_of(instance, *, scope=team) -> list[str]:
    team_id = _team_of(instance, "session")
    return [scope(team_id)] if team_id else []


def _thought(thought) -> list[str]:
    """The team's thoughts, the page of the session it (or the thread it replies in) is
    about, and for a thread on a team goal the pages that show those (replies do not show
    there)."""
    session_id = thought.session_id
    if session_id is None and thought.parent_id is not None:
        # Deleted with its thread? The thread's own signal covered it.
        with suppress(ObjectDoesNotExist):
            session_id = thought.parent.session_id
    scopes = [thoughts(thought.team_id)]
    if session_id:
        scopes.append(session(session_id))
    if thought.team_goal_id and thought.parent_id is None:
        scopes.append(goal_thoughts(thought.team_id))
    return scopes


def _check_in(check_in) -> list[str]:
    try:
        return _personal_goal(check_in.goal)
    except ObjectDoesNotExist:  # deleted with its goal, whose own signal covered it
        return []


SCOPES = {
    "teams.Organization": lambda o, f: [org(o.pk)],
    "teams.User": _user,
    "teams.OrgRole": lambda r, f: [org(r.organization_id), user(r.user_id)],
    "teams.Team": lambda t, f: (
        [org(t.organization_id), people(t.organization_id), team(t.pk)] + [anonymous(t.pk)]
    ),
    "teams.Membership": lambda m, f: _membership(m),
    "teams.StrategyTheme": lambda t, f: [org(t.organization_id)],
    "teams.TeamGoal": lambda g, f: [team(g.team_id), _goals_of_team(g.team_id)],
    "teams.PersonalGoal": lambda g, f: _personal_goal(g),
    "teams.CheckIn": lambda c, f: _check_in(c),
    "reflections.TeamAgreement": lambda a, f: [team(a.team_id)],
    "reflections.ForwardedItem": lambda i, f: [anonymous(i.team_id)],
    "reflections.Thought": lambda t, f: _thought(t),
    "reflections.Question": lambda q, f: [anonymous(q.team_id)],
    "reflections.Vote": lambda v, f: _question_of(v),
    "reflections.Answer": lambda a, f: _question_of(a),
    "reflections.Report": lambda r, f: _question_of(r),
    "reflections.PulseValue": lambda v, f: _session_of(v, scope=anonymous),
    "reflections.Rhythm": lambda r, f: [team(r.team_id)],
    "reflections.Session": lambda s, f: [team(s.team_id), anonymous(s.team_id)],
    "reflections.PromptTemplate": lambda t, f: (
        [org(t.organization_id)] if t.organization_id else []
    ),
    "reflections.Prompt": lambda p, f: _session_of(p),
    "reflections.Attendance": lambda a, f: _session_of(a),
}


def _on_save(sender, instance, update_fields=None, **kwargs):
    scopes = SCOPES.get(sender._meta.label)
    if scopes is not None and not kwargs.get("raw") and not fragments.in_bulk():
        fragments.changed(*scopes(instance, update_fields))


def _on_delete(sender, instance, **kwargs):
    scopes = SCOPES.get(sender._meta.label)
    if scopes is not None and not fragments.in_bulk():
        fragments.changed(*scopes(instance, None))


def _on_m2m(sender, instance, action, model=None, pk_set=None, **kwargs):
    """Both sides of a many-to-many change: the object changed and the objects added or
    removed (a theme given to goals touches the goals' teams)."""
    if not action.startswith("post_") or fragments.in_bulk():
        return
    _on_save(type(instance), instance)
    if pk_set and model is not None and model._meta.label in SCOPES:
        for other in model.objects.filter(pk__in=pk_set):
            _on_save(model, other)


def connect() -> None:
    for label in SCOPES:
        model = apps.get_model(label)
        post_save.connect(_on_save, sender=model, dispatch_uid=f"fragments-save-{label}")
        post_delete.connect(_on_delete, sender=model, dispatch_uid=f"fragments-delete-{label}")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                _on_m2m, sender=field.remote_field.through, dispatch_uid=f"fragments-m2m-{label}"
            )
