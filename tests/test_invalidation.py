"""Every service names the cached pages' scopes it changes (learning_lead/fragment_scopes.py).

Each public function of every services module is walked here: it runs once while this test
records the rows it writes (model signals and, for ``update()``/``bulk_create``, the SQL) and
the scopes it names through ``fragments.changed``. A written row of a ``SHOWN`` model must come
with a scope of each kind the map names for it; a service nobody walks fails the test. The
anonymous acts name no scope but their team's ``questions:`` one, which only writer-filled
pages read: no page a reader fills changes (docs/caching.md); a written ``WRITER_FILLED`` row
must come with its ``questions:`` scope."""

import datetime as dt
import inspect
import re
from importlib import import_module
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from chat import services as chat
from learning_lead import fragment_scopes, fragments
from notifications import notice_services
from notifications import services as notifications
from privacy import services as privacy
from reflections import bridge_services, live_services
from reflections import services as reflections
from reflections.models import Session
from sso import services as sso
from teams import direction_services as direction
from teams import invitation_lines
from teams import services as teams
from teams import signup_services as signup
from teams.models import PersonalGoal
from teams.selectors import team_ids_of

PROJECT_APPS = ["teams", "reflections", "notifications", "privacy", "reports", "chat", "sso"]
NOW = timezone.now()
TODAY = timezone.localdate()
# Past the default retention (24 months) and the audit trail's (730 days) with a year to spare:
# retention deletes the world's rows, and seals the report months before them (about a year of
# months; ten years took six seconds a walk).
LATER = NOW + dt.timedelta(days=1100)


def _service_functions() -> set[str]:
    """Every public function defined in a services module of the project's apps."""
    found = set()
    for app in PROJECT_APPS:
        root = Path(apps.get_app_config(app).path)
        for path in [*root.glob("services.py"), *root.glob("*_services.py")]:
            module = import_module(f"{app}.{path.stem}")
            for name, value in vars(module).items():
                if (
                    inspect.isfunction(value)
                    and value.__module__ == module.__name__
                    and not name.startswith("_")
                ):
                    found.add(f"{module.__name__}.{name}")
    return found


# Functions that write nothing: they read, sign or compute.
READS_ONLY = {
    "chat.services.backoff",
    "chat.services.deliveries_due",
    "reflections.services.horizon_end",
    "reflections.services.team_today",
    "teams.services.invitation_token",
    "teams.services.invitation_label",
    "teams.services.invitation_from_token",
    "teams.services.invitation_send",  # sends an e-mail
    "teams.signup_services.signup_allowed",  # counts in the cache
    "teams.signup_services.signup_token",
    "teams.signup_services.signup_send",
    "teams.signup_services.signup_from_token",
    "notifications.services.settings_for",
    "notifications.services.unsubscribe_token",
    "notifications.services.user_from_unsubscribe_token",
    "privacy.services.teams_left_without_supervisor",
    "privacy.services.account_deletions_due",
    "privacy.services.retention_cutoff",
    "sso.services.hash_token",
    "sso.services.identity_check",
}


def _thought(w, **extra):
    return reflections.thought_post(
        author=w.member, team=w.team_a, kind="insight", body="Hm", **extra
    )


def _goal(w, **extra):
    fields = {"title": "SQL", "reason": "", "challenge": 1}
    return direction.personal_goal_create(owner=w.member, **fields | extra)


def _team_goal(w):
    return direction.team_goal_create(
        team=w.team_a, author=w.supervisor, title="Reviews", why="", themes=[w.theme]
    )


def _question(w):
    return reflections.question_ask(team=w.team_a, body="Why?")


def _voted_question(w):
    question = _question(w)
    reflections.question_upvote(question=question, user=w.member)
    return question


def _named_question(w):
    return reflections.question_ask(team=w.team_a, body="Why?", named_author=w.member)


def _rhythm(w):
    return reflections.rhythm_create(
        team=w.team_a,
        title="Weekly",
        frequency="weekly",
        weekday=0,
        start_date=TODAY,
        start_time=dt.time(9),
        time_zone="Europe/Helsinki",
        duration_minutes=30,
    )


def _forwarded(w):
    return bridge_services.questions_forward(
        team=w.team_a, questions=[_question(w)], theme=w.theme, forwarded_by=w.supervisor
    )


def _invitation(w):
    return teams.invitation_create(
        inviter=w.admin, email="new@example.org", team=w.team_a, role="member", language="en"
    )


def _invitation_sent_long_ago(w):
    # A resend waits INVITATION_RESEND_INTERVAL_MINUTES after the last e-mail.
    invitation = _invitation(w)
    invitation.sent_at -= dt.timedelta(days=1)
    invitation.save(update_fields=["sent_at"])
    return invitation


def _signup(w):
    return signup.signup_start(
        organization_name="New Oy",
        language="fi",
        time_zone="UTC",
        username="founder",
        first_name="F",
        last_name="",
        email="founder@example.org",
        password="a long pass phrase 42",
    )


def _live(w):
    return live_services.live_start(session=w.session, user=w.supervisor)


def _live_at(w, phase):
    live = _live(w)
    while live.phase != phase:
        live = live_services.live_next_phase(live=live, user=w.supervisor)
    return live


def _live_card(w, phase="reflect"):
    live = _live_at(w, "reflect")
    card = live_services.live_card_write(
        live=live, user=w.member, body="Hm", prompt=None, named=False
    )
    return _live_at(w, phase), card


def _live_group(w):
    live, _card = _live_card(w, "group")
    return live, live_services.live_group_create(live=live, user=w.supervisor, name="G")


def _live_step(w):
    live, card = _live_card(w, "discuss")
    live_services.live_next_step_save(live=live, user=w.supervisor, card=card, text="Try it")
    return live, card


def _deletion_due(w):
    privacy.account_deletion_request(user=w.member, now=NOW - dt.timedelta(days=30))


# What each service is walked with: the first callable prepares (not recorded), the second is
# the call under test, given the prepared value.
SCENARIOS = {
    "reflections.services.rhythm_create": (None, _rhythm),
    "reflections.services.rhythm_update": (
        _rhythm,
        lambda w, r: reflections.rhythm_update(rhythm=r, title="Mondays", weekday=1),
    ),
    "reflections.services.rhythm_sync": (
        _rhythm,
        lambda w, r: reflections.rhythm_sync(rhythm=r, now=NOW + dt.timedelta(days=30)),
    ),
    "reflections.services.rhythms_extend_horizon": (
        _rhythm,
        lambda w, r: reflections.rhythms_extend_horizon(now=NOW + dt.timedelta(days=30)),
    ),
    "reflections.services.session_add": (None, lambda w: w.new_session()),
    "reflections.services.session_move": (
        lambda w: w.new_session(),
        lambda w, s: reflections.session_move(
            session=s, starts_at=NOW, duration_minutes=10, location="", video_url=""
        ),
    ),
    "reflections.services.session_skip": (
        lambda w: w.new_session(),
        lambda w, s: reflections.session_skip(session=s),
    ),
    "reflections.services.session_restore": (
        lambda w: w.new_session(),
        lambda w, s: reflections.session_restore(session=s),
    ),
    "reflections.services.session_hold": (
        None,
        lambda w: reflections.session_hold(session=w.session, attendees=[w.member]),
    ),
    "reflections.services.prompts_add_builtin": (
        None,
        lambda w: reflections.prompts_add_builtin(session=w.session, keys=["learned"]),
    ),
    "reflections.services.prompt_add": (
        None,
        lambda w: reflections.prompt_add(session=w.session, text="What next?"),
    ),
    "reflections.services.prompt_remove": (
        lambda w: reflections.prompt_add(session=w.session, text="What next?"),
        lambda w, p: reflections.prompt_remove(prompt=w.session.prompts.first()),
    ),
    "reflections.services.feed_for_user": (
        None,
        lambda w: reflections.feed_for_user(user=w.member),
    ),
    "reflections.services.feed_for_team": (
        None,
        lambda w: reflections.feed_for_team(user=w.member, team=w.team_a),
    ),
    "reflections.services.feeds_for_teams": (
        None,
        lambda w: reflections.feeds_for_teams(user=w.member, teams=[w.team_a]),
    ),
    "reflections.services.feed_reset": (
        lambda w: reflections.feed_for_user(user=w.member),
        lambda w, f: reflections.feed_reset(feed=f),
    ),
    "reflections.services.prompt_template_create": (
        None,
        lambda w: reflections.prompt_template_create(organization_id=w.acme.pk, text="Why?"),
    ),
    "reflections.services.prompt_template_delete": (
        lambda w: reflections.prompt_template_create(organization_id=w.acme.pk, text="Why?"),
        lambda w, t: reflections.prompt_template_delete(template=t),
    ),
    "reflections.services.thought_post": (None, _thought),
    "reflections.services.thought_reply": (
        lambda w: _thought(w, session=w.session),
        lambda w, t: reflections.thought_reply(author=w.supervisor, parent=t, body="Yes"),
    ),
    "reflections.services.thought_edit": (
        _thought,
        lambda w, t: reflections.thought_edit(thought=t, body="Hmm"),
    ),
    "reflections.services.thought_delete": (
        _thought,
        lambda w, t: reflections.thought_delete(thought=t),
    ),
    "reflections.services.question_ask": (None, _question),
    "reflections.services.question_name_upward_set": (
        _named_question,
        lambda w, q: reflections.question_name_upward_set(question=q, allowed=True),
    ),
    "reflections.services.question_upvote": (
        _question,
        lambda w, q: reflections.question_upvote(question=q, user=w.member),
    ),
    "reflections.services.question_upvote_withdraw": (
        _voted_question,
        lambda w, q: reflections.question_upvote_withdraw(question=q, user=w.member),
    ),
    "reflections.services.question_answer": (
        _named_question,
        lambda w, q: reflections.question_answer(question=q, author=w.supervisor, body="So"),
    ),
    "reflections.services.question_mark_answered": (
        _question,
        lambda w, q: reflections.question_mark_answered(question=q),
    ),
    "reflections.services.question_report": (
        _question,
        lambda w, q: reflections.question_report(question=q, reason="Rude"),
    ),
    "reflections.services.question_hide": (
        _question,
        lambda w, q: reflections.question_hide(question=q, reason="Rude", moderator=w.supervisor),
    ),
    "reflections.services.question_unhide": (
        _question,
        lambda w, q: reflections.question_unhide(question=q, moderator=w.supervisor),
    ),
    "reflections.services.pulse_answer": (
        lambda w: reflections.session_hold(session=w.session, attendees=[w.member]),
        lambda w, _: reflections.pulse_answer(session=w.session, user=w.member, values={"ask": 4}),
    ),
    "reflections.services.agreement_save": (
        None,
        lambda w: reflections.agreement_save(team=w.team_a, user=w.member, text="Be kind"),
    ),
    "reflections.bridge_services.questions_forward": (None, _forwarded),
    "reflections.live_services.live_start": (None, _live),
    "reflections.live_services.live_next_phase": (
        _live,
        lambda w, live: live_services.live_next_phase(live=live, user=w.supervisor),
    ),
    "reflections.live_services.live_extend": (
        _live,
        lambda w, live: live_services.live_extend(live=live, user=w.supervisor, minutes=2),
    ),
    "reflections.live_services.live_set_vote_budget": (
        _live,
        lambda w, live: live_services.live_set_vote_budget(live=live, user=w.supervisor, budget=5),
    ),
    "reflections.live_services.live_reveal": (
        lambda w: _live_at(w, "reflect"),
        lambda w, live: live_services.live_reveal(live=live, user=w.supervisor),
    ),
    "reflections.live_services.live_hand_over": (
        _live,
        lambda w, live: live_services.live_hand_over(live=live, user=w.supervisor, to=w.member),
    ),
    "reflections.live_services.live_card_write": (
        lambda w: _live_at(w, "reflect"),
        lambda w, live: live_services.live_card_write(
            live=live, user=w.member, body="Hm", prompt=None, named=False
        ),
    ),
    "reflections.live_services.live_vote": (
        lambda w: _live_card(w, "vote"),
        lambda w, lc: live_services.live_vote(live=lc[0], user=w.member, card=lc[1]),
    ),
    "reflections.live_services.live_group_create": (
        lambda w: _live_card(w, "group")[0],
        lambda w, live: live_services.live_group_create(live=live, user=w.supervisor, name="G"),
    ),
    "reflections.live_services.live_group_rename": (
        lambda w: _live_group(w),
        lambda w, lg: live_services.live_group_rename(
            live=lg[0], user=w.supervisor, group=lg[1], name="H"
        ),
    ),
    "reflections.live_services.live_card_move": (
        lambda w: _live_card(w, "group"),
        lambda w, lc: live_services.live_card_move(
            live=lc[0],
            user=w.supervisor,
            card=lc[1],
            group=live_services.live_group_create(live=lc[0], user=w.supervisor, name="G"),
        ),
    ),
    "reflections.live_services.live_topic_start": (
        lambda w: _live_card(w, "discuss"),
        lambda w, lc: live_services.live_topic_start(live=lc[0], user=w.supervisor, card=lc[1]),
    ),
    "reflections.live_services.live_next_step_save": (
        lambda w: _live_card(w, "discuss"),
        lambda w, lc: live_services.live_next_step_save(
            live=lc[0], user=w.supervisor, card=lc[1], text="Try it"
        ),
    ),
    "reflections.live_services.live_next_step_make": (
        lambda w: _live_step(w),
        lambda w, lc: live_services.live_next_step_make(
            live=lc[0], user=w.supervisor, card=lc[1], into="goal"
        ),
    ),
    "reflections.live_services.live_safety_answer": (
        lambda w: _live_at(w, "close"),
        lambda w, live: live_services.live_safety_answer(live=live, user=w.member, answer="yes"),
    ),
    "reflections.live_services.live_vote_withdraw": (
        lambda w: _live_card(w, "vote"),
        lambda w, lc: live_services.live_vote_withdraw(live=lc[0], user=w.member, card=lc[1]),
    ),
    "reflections.bridge_services.forward_answer": (
        _forwarded,
        lambda w, i: bridge_services.forward_answer(
            item=i, body="Yes", answered_as="hr", answered_by=w.hr
        ),
    ),
    "teams.services.team_create": (
        None,
        lambda w: teams.team_create(organization=w.acme, name="Team C"),
    ),
    "teams.services.team_update": (
        None,
        lambda w: teams.team_update(team=w.team_a, name="A", description="", time_zone="UTC"),
    ),
    "teams.services.membership_set": (
        None,
        lambda w: teams.membership_set(team=w.team_b, user=w.member, role="member"),
    ),
    "teams.services.member_add": (
        None,
        lambda w: teams.member_add(team=w.team_b, user=w.member, role="member", actor=w.admin),
    ),
    "teams.services.member_role_change": (
        lambda w: w.member.memberships.get(team=w.team_a),
        lambda w, m: teams.member_role_change(
            team=w.team_a, membership=m, role="supervisor", actor=w.supervisor
        ),
    ),
    "teams.services.member_remove": (
        lambda w: w.member.memberships.get(team=w.team_a),
        lambda w, m: teams.member_remove(team=w.team_a, membership=m, actor=w.supervisor),
    ),
    "teams.services.invitation_revoke": (
        _invitation,
        lambda w, i: teams.invitation_revoke(invitation=i, actor=w.admin),
    ),
    "teams.services.membership_remove": (
        None,
        lambda w: teams.membership_remove(team=w.team_a, user=w.member),
    ),
    "teams.services.org_roles_set": (
        None,
        lambda w: teams.org_roles_set(user=w.member, roles={"hr"}),
    ),
    "teams.services.invitation_create": (None, _invitation),
    "teams.services.invitations_create_many": (
        None,
        lambda w: teams.invitations_create_many(
            inviter=w.admin,
            lines=invitation_lines.check(
                invitation_lines.parse("a@example.org, A, Team A, supervisor\nb@example.org"),
                organization_id=w.acme.pk,
                teams=[w.team_a],
                team_required=False,
                may_grant_hr=True,
            ),
        ),
    ),
    "teams.services.invitation_resend": (
        _invitation_sent_long_ago,
        lambda w, i: teams.invitation_resend(invitation=i, actor=w.admin),
    ),
    "teams.services.invitation_accept": (
        _invitation,
        lambda w, i: teams.invitation_accept(
            invitation=i,
            username="newbie",
            first_name="New",
            last_name="Bie",
            password="a long pass phrase 42",
            language="fi",
        ),
    ),
    "teams.signup_services.signup_start": (None, _signup),
    "teams.signup_services.signup_verify": (
        _signup,
        lambda w, user: signup.signup_verify(user=user),
    ),
    "teams.signup_services.organization_create": (
        None,
        lambda w: signup.organization_create(
            name="Shell Oy", language="en", time_zone="UTC", username="root", email="r@x.org"
        ),
    ),
    "teams.services.preferences_update": (
        None,
        lambda w: teams.preferences_update(user=w.member, language="fi", time_zone="UTC"),
    ),
    "teams.services.person_update": (
        None,
        lambda w: teams.person_update(
            person=w.member,
            first_name="Miriam",
            last_name="M",
            roles=set(),
            is_active=True,
            actor=w.admin,
        ),
    ),
    "teams.direction_services.theme_create": (
        None,
        lambda w: direction.theme_create(organization=w.acme, title="Care"),
    ),
    "teams.direction_services.theme_update": (
        None,
        lambda w: direction.theme_update(
            theme=w.theme, title="Care", description="", starts_on=None, ends_on=None, order=1
        ),
    ),
    "teams.direction_services.team_goal_create": (None, _team_goal),
    "teams.direction_services.team_goal_update": (
        _team_goal,
        lambda w, g: direction.team_goal_update(
            goal=g, title="Reviews", why="Speed", themes=[], status=g.status
        ),
    ),
    "teams.direction_services.team_goal_accept": (
        lambda w: direction.team_goal_create(
            team=w.team_a, author=w.member, title="Pairs", why="", themes=[]
        ),
        lambda w, g: direction.team_goal_accept(goal=g),
    ),
    "teams.direction_services.personal_goal_create": (
        None,
        lambda w: _goal(w, visibility=PersonalGoal.Visibility.TEAM),
    ),
    "teams.direction_services.personal_goal_update": (
        _goal,
        lambda w, g: direction.personal_goal_update(
            goal=g,
            title="SQL",
            reason="Reports",
            challenge=2,
            visibility=PersonalGoal.Visibility.SUPERVISOR,
            team_goal=None,
            status=g.status,
        ),
    ),
    "teams.direction_services.checkin_create": (
        _goal,
        lambda w, g: direction.checkin_create(goal=g, day=TODAY, progress=3),
    ),
    "notifications.services.preferences_update": (
        None,
        lambda w: notifications.preferences_update(
            user=w.member,
            lead_minutes=30,
            by_email=True,
            in_app=True,
            nudges=False,
            muted_teams=[w.team_a],
        ),
    ),
    "notifications.services.unsubscribe": (
        None,
        lambda w: notifications.unsubscribe(user=w.member),
    ),
    "notifications.services.notifications_mark_read": (
        _named_question,
        lambda w, q: notifications.notifications_mark_read(user=w.member),
    ),
    "notifications.services.reminders_plan": (
        lambda w: w.new_session(),
        lambda w, s: notifications.reminders_plan(now=NOW),
    ),
    "notifications.services.reminders_recover": (
        None,
        lambda w: notifications.reminders_recover(now=NOW),
    ),
    "notifications.services.reminders_claim": (
        lambda w: w.new_session(),
        lambda w, s: notifications.reminders_claim(now=NOW + dt.timedelta(days=1), limit=10),
    ),
    "notifications.services.reminders_deliver": (
        lambda w: w.new_session() and notifications.reminders_plan(now=NOW),
        lambda w, _: notifications.reminders_deliver(
            now=NOW + dt.timedelta(days=1),
            **dict(
                zip(
                    ("token", "ids"),
                    notifications.reminders_claim(now=NOW + dt.timedelta(days=1), limit=10),
                    strict=True,
                )
            ),
        ),
    ),
    "notifications.services.reminders_sweep": (
        lambda w: w.new_session(),
        lambda w, s: notifications.reminders_sweep(now=NOW + dt.timedelta(days=1)),
    ),
    "notifications.notice_services.forward_notify_hr": (
        None,
        lambda w: notice_services.forward_notify_hr(team=w.team_a),
    ),
    "notifications.notice_services.question_answered_notify": (
        _named_question,
        lambda w, q: notice_services.question_answered_notify(question=q),
    ),
    "notifications.notice_services.question_reported_notify": (
        _question,
        lambda w, q: notice_services.question_reported_notify(question=q),
    ),
    "privacy.services.audit_purge": (
        None,
        lambda w: privacy.audit_purge(now=LATER),
    ),
    "privacy.services.account_deletion_request": (
        None,
        lambda w: privacy.account_deletion_request(user=w.member),
    ),
    "privacy.services.account_deletion_cancel": (
        lambda w: privacy.account_deletion_request(user=w.member),
        lambda w, _: privacy.account_deletion_cancel(user=w.member),
    ),
    "privacy.services.account_deletion_execute": (
        _goal,
        lambda w, _: privacy.account_deletion_execute(user=w.member),
    ),
    "privacy.services.account_deletion_execute_due": (
        _deletion_due,
        lambda w, _: privacy.account_deletion_execute_due(user_id=w.member.pk),
    ),
    "privacy.services.retention_run": (
        _thought,
        lambda w, _: privacy.retention_run(organization=w.acme, now=LATER),
    ),
    "privacy.services.retention_sweep": (
        _thought,
        lambda w, _: privacy.retention_sweep(now=LATER),
    ),
    "privacy.services.privacy_daily": (
        _deletion_due,
        lambda w, _: privacy.privacy_daily(now=LATER),
    ),
    "privacy.services.organization_retention_set": (
        None,
        lambda w: privacy.organization_retention_set(
            organization=w.acme, retention_months=6, actor=w.admin
        ),
    ),
    "privacy.services.privacy_page_seen": (
        None,
        lambda w: privacy.privacy_page_seen(organization=w.acme),
    ),
}


SOON = NOW + dt.timedelta(minutes=90)  # a new session is then within the chat reminder lead


def _chat_channel(w):
    return chat.destination_add(
        team=w.team_a, kind="teams", name="#a", url="http://localhost:9/hook", language="en"
    )


def _chat_delivery(w):
    channel = _chat_channel(w)
    w.new_session()
    chat.notices_plan(now=SOON)
    return channel.deliveries.get()


SCENARIOS |= {
    "chat.services.destination_add": (None, _chat_channel),
    "chat.services.destination_update": (
        _chat_channel,
        lambda w, c: chat.destination_update(
            destination=c, name="#b", language="fi", url="http://localhost:9/new", enabled=True
        ),
    ),
    "chat.services.destination_remove": (
        _chat_channel,
        lambda w, c: chat.destination_remove(destination=c, actor=w.supervisor),
    ),
    "chat.services.destination_test": (
        _chat_channel,
        lambda w, c: chat.destination_test(destination=c),
    ),
    "chat.services.destination_switch_off": (
        _chat_channel,
        lambda w, c: chat.destination_switch_off(destination=c, reason="HTTP 410"),
    ),
    "chat.services.keys_rotate": (_chat_channel, lambda w, c: chat.keys_rotate()),
    "chat.services.notices_plan": (
        lambda w: _chat_channel(w) and w.new_session(),
        lambda w, s: chat.notices_plan(now=SOON),
    ),
    "chat.services.deliveries_recover": (None, lambda w: chat.deliveries_recover(now=NOW)),
    "chat.services.delivery_send": (
        _chat_delivery,
        lambda w, d: chat.delivery_send(delivery_id=d.pk, now=SOON),
    ),
    "chat.services.chat_sweep": (
        lambda w: _chat_channel(w) and w.new_session(),
        lambda w, s: chat.chat_sweep(now=SOON),
    ),
}


def _sso(w):
    return sso.connection_save(
        organization=w.acme,
        issuer="https://idp.example",
        client_id="c",
        client_secret="s",
        tenant_id="t",
        hosted_domain="",
        email_domains="example.org",
        admin_claim="Admin",
        hr_claim="",
        enabled=True,
        require_sso=False,
        break_glass_admin=None,
    )


def _identity(email, roles=()):
    return sso.Identity(
        uid=email,
        email=email,
        email_verified=True,
        tenant_id="t",
        hosted_domain="",
        roles=list(roles),
        first_name="N",
        last_name="M",
    )


def _scim_person(w):
    return sso.scim_user_create(
        connection=_sso(w),
        user_name="p@example.org",
        email="p@example.org",
        first_name="P",
        last_name="Q",
        external_id="x1",
    )


SCENARIOS |= {
    "sso.services.connection_save": (None, lambda w: _sso(w)),
    "sso.services.keys_rotate": (_sso, lambda w, c: sso.keys_rotate()),
    "sso.services.scim_token_issue": (_sso, lambda w, c: sso.scim_token_issue(connection=c)),
    "sso.services.sso_signin": (
        _sso,
        lambda w, c: sso.sso_signin(connection=c, identity=_identity("new@example.org", ["Admin"])),
    ),
    "sso.services.sso_signin_refused": (
        _sso,
        lambda w, c: sso.sso_signin_refused(
            connection=c, identity=_identity("x@gmail.example"), reason="domain"
        ),
    ),
    "sso.services.scim_user_create": (_sso, lambda w, c: _scim_person(w)),
    "sso.services.scim_user_update": (
        _sso,
        lambda w, c: sso.scim_user_update(
            connection=c,
            user=w.member,
            user_name="mia2",
            email="mia2@example.org",
            first_name="Mia",
            last_name="M",
            active=False,
        ),
    ),
    "sso.services.scim_user_deactivate": (
        _sso,
        lambda w, c: sso.scim_user_deactivate(connection=c, user=w.member),
    ),
    "sso.services.scim_user_delete": (
        _sso,
        lambda w, c: sso.scim_user_delete(connection=c, user=w.other_member),
    ),
}

# The anonymous acts (and what a reader does to anonymous content) change no page a reader
# fills: at most the writer-filled questions list of their team.
ANONYMOUS_ACTS = {
    "reflections.services.question_ask",
    "reflections.services.question_upvote",
    "reflections.services.question_upvote_withdraw",
    "reflections.services.question_report",
    "notifications.notice_services.question_reported_notify",
    "reflections.services.pulse_answer",
}


def test_every_service_is_walked():
    missing = _service_functions() - set(SCENARIOS) - READS_ONLY
    assert missing == set(), "walk the new service in tests/test_invalidation.py"
    assert set(SCENARIOS) | READS_ONLY <= _service_functions()


class Recorder:
    """The rows written (as instances where signals tell, as tables where only SQL does) and
    the scopes named, during one call."""

    def __init__(self):
        self.rows, self.announced = [], set()

    def saved(self, sender, instance, **kwargs):
        self.rows.append(instance)

    def m2m(self, sender, instance, action, **kwargs):
        if action.startswith("post_"):
            self.rows.append(instance)


_WRITE = re.compile(r'\b(?:INSERT INTO|UPDATE|DELETE FROM)\s+"(\w+)"')


def _label(table: str) -> str | None:
    for model in apps.get_models(include_auto_created=True):
        if model._meta.db_table == table:
            owner = model._meta.auto_created or model  # a many-to-many table: its model's
            return owner._meta.label
    return None


def _owner(row) -> int:
    if row._meta.label == "teams.User":
        return row.pk
    if row._meta.label == "teams.CheckIn":
        return row.goal.owner_id
    return getattr(row, "user_id", None) or row.owner_id


def _scopes(row, kind: str) -> set[str]:
    """The scopes of this kind a write of the row must name."""
    label = row._meta.label
    if kind == "thoughts":
        return {fragments.thoughts(row.team_id)}
    if kind == "session":
        return {fragments.session(row.session_id)} if row.session_id else set()
    if kind == "goal-thoughts":
        return {fragments.goal_thoughts(row.team_id)} if row.team_goal_id else set()
    if kind == "org":
        pk = row.pk if label == "teams.Organization" else row.organization_id
        return {fragments.org(pk)}
    if kind == "user":
        return {fragments.user(_owner(row))}
    if label == "teams.Team":
        return {fragments.team(row.pk)}
    if hasattr(row, "team_id"):
        return {fragments.team(row.team_id)}
    if hasattr(row, "session_id"):
        team = Session.objects.filter(pk=row.session_id).values_list("team_id", flat=True)
        return {fragments.team(pk) for pk in team}  # none: deleted with its session, checked
    return {fragments.team(pk) for pk in team_ids_of(_owner(row))}


@pytest.fixture
def world(acme, team_a, team_b, supervisor, member, other_member, hr, admin, settings):
    settings.CHAT_ENCRYPTION_KEYS = ["n0Tb4Gg1JqCw4x9wYl8r8d3Yp9s1Ykq0cF6m0oZpE3k="]
    settings.CHAT_TEST_RECEIVER_HOSTS = ["localhost"]
    settings.SSO_ENCRYPTION_KEYS = ["n0Tb4Gg1JqCw4x9wYl8r8d3Yp9s1Ykq0cF6m0oZpE3k="]
    theme = direction.theme_create(organization=acme, title="Quality")
    made = []

    def new_session():
        session = reflections.session_add(
            team=team_a,
            title=f"Retro {len(made)}",
            starts_at=NOW + dt.timedelta(hours=2),
            duration_minutes=30,
            time_zone="Europe/Helsinki",
        )
        made.append(session)
        return session

    session = reflections.session_add(
        team=team_a,
        title="Kick-off",
        starts_at=NOW - dt.timedelta(days=1),
        duration_minutes=60,
        time_zone="Europe/Helsinki",
    )
    return SimpleNamespace(**locals())


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_the_service_names_every_scope_it_changes(name, world, monkeypatch):
    prepare, call = SCENARIOS[name]
    prepared = prepare(world) if prepare else None
    recorder = Recorder()
    real = fragments.changed
    monkeypatch.setattr(fragments, "changed", lambda *s: recorder.announced.update(s) or real(*s))
    receivers = [
        (post_save, recorder.saved),
        (post_delete, recorder.saved),
        (m2m_changed, recorder.m2m),
    ]
    for signal, receiver in receivers:
        signal.connect(receiver, dispatch_uid=f"walk-{id(receiver)}")
    try:
        with CaptureQueriesContext(connection) as queries:
            call(world) if prepare is None else call(world, prepared)
    finally:
        for signal, receiver in receivers:
            signal.disconnect(dispatch_uid=f"walk-{id(receiver)}")

    tables = {m[1] for query in queries for m in _WRITE.finditer(query["sql"])}
    written = {label for table in tables if (label := _label(table))}
    if name in ANONYMOUS_ACTS:
        assert {s for s in recorder.announced if not s.startswith("questions:")} == set(), (
            "an anonymous act must leave every page a reader fills as it was"
        )
        assert written & set(fragment_scopes.SHOWN) == set()
    if fragments.EVERYTHING in recorder.announced:
        return
    # A writer-filled list is filled again after a change of its team or its questions.
    if written & set(fragment_scopes.WRITER_FILLED):
        assert any(s.startswith(("questions:", "team:")) for s in recorder.announced), name
    for row in recorder.rows:
        if row._meta.label in fragment_scopes.WRITER_FILLED:
            team = row.team_id if hasattr(row, "team_id") else row.question.team_id
            named = {fragments.questions(team), fragments.team(team)} & recorder.announced
            assert named, (name, row._meta.label)
    for label in written & set(fragment_scopes.SHOWN):
        for kind in fragment_scopes.SHOWN[label]:
            rows = [row for row in recorder.rows if row._meta.label == label]
            if rows and not any(_scopes(row, kind) for row in rows):
                continue  # e.g. a new person in no team yet: no team's page shows them
            # A session page and the direction view read their team's scope too: naming that
            # one changes them as well.
            kinds = (f"{kind}:", "team:") if kind in ("session", "goal-thoughts") else (f"{kind}:",)
            assert any(s.startswith(kinds) for s in recorder.announced), (label, kind)
    for row in recorder.rows:
        for kind in fragment_scopes.SHOWN.get(row._meta.label, ()):
            missing = _scopes(row, kind) - recorder.announced
            assert missing == set(), f"{name} writes {row._meta.label} without naming {missing}"
