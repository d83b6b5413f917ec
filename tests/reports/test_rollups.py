"""The published monthly rollups equal what the rows give, months are published once and
never change, and the report keeps its figures when retention or an account deletion
removes rows."""

import copy
import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone

from privacy import services as privacy
from reflections import services as reflections
from reflections.models import Attendance, PulseAnswered, Question, Session, Thought
from reports import report, rollups
from reports.models import (
    OrgMonth,
    OrgThemeMonth,
    PersonMonth,
    PersonThemeMonth,
    RollupMonth,
    TeamMonth,
    TeamThemeMonth,
)
from reports.periods import Period, month_start, period_for
from teams import direction_services, services
from teams.models import CheckIn, Membership, Organization, OrgRole, User
from tests.conftest import make_user
from tests.personas import holding
from tests.reports import live_report as live
from tests.world import for_the_module

HELSINKI = ZoneInfo("Europe/Helsinki")


def figures(result: report.Report) -> list:
    """Every figure of every table, whether it is hidden or partial, and what it is made of."""
    return [
        [
            (value.value, value.hidden, value.partial, value.parts)
            if isinstance(value, report.Cell)
            else value
            for value in row
        ]
        for table in result.tables
        for row in table.rows
    ]


def published_cells(org, month) -> dict:
    """One published month in the shape of live_report.month_cells."""
    fields = ("planned", "held", "skipped", "attendances", "thoughts", "questions", "answered")
    teams = {
        row["team"]: {name: row[name] for name in (*fields, "pulse_sum", "pulse_count")}
        for row in TeamMonth.objects.filter(team__organization=org, month=month).values(
            "team", *fields, "pulse_sum", "pulse_count"
        )
    }
    pool = OrgMonth.objects.get(organization=org, month=month)
    return {
        "teams": {team: row for team, row in teams.items() if any(row.values())},
        "learners": pool.learners,
        "authors": pool.authors,
        "pulsers": pool.pulsers,
        "themes": {
            row.theme_id: {"authors": row.authors, "learners": row.learners}
            for row in OrgThemeMonth.objects.filter(organization=org, month=month)
            if row.authors or row.learners
        },
    }


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), HELSINKI)


@pytest.fixture(scope="module")
def world_once(django_db_setup, django_db_blocker):
    """Built once for the module (about 4 s): tests/world.py says how."""
    with for_the_module(django_db_blocker):
        acme = Organization.objects.create(name="Acme", slug="acme")
        hr = holding(acme, "hanna", OrgRole.Role.HR)
        yield build_world(acme) | {"hr": hr}


@pytest.fixture
def world(db, world_once) -> dict:
    """The module's world for one test, in the test's own transaction; a copy, so a test that
    changes an object (an account deleted) leaves the next test's as it was built."""
    return copy.deepcopy(world_once)


def build_world(acme: Organization) -> dict:
    """Fourteen months of a varied organisation: teams from 3 to 8 people, people in two
    teams, sessions held, skipped and planned (some a minute either side of a month's edge in
    the organisation's time zone), attendance, pulse answers, thoughts and replies with and
    without goals, questions open and answered, goals in every visibility with check-ins,
    goals linked to two themes, to one, and to none."""
    rng = random.Random(7)
    today = timezone.localdate(timezone=HELSINKI)
    first = month_start(today) - relativedelta(months=13)
    span = (today - first).days

    def day_in_range() -> date:
        return first + timedelta(days=rng.randrange(span + 1))

    care = direction_services.theme_create(organization=acme, title="Care")
    data = direction_services.theme_create(organization=acme, title="Data")
    direction_services.theme_create(organization=acme, title="Unused")
    sizes = {"Alpha": 8, "Beta": 6, "Gamma": 3, "Delta": 5}
    teams, people = {}, {}
    for name, size in sizes.items():
        teams[name] = services.team_create(organization=acme, name=name)
        people[name] = [make_user(acme, f"{name.lower()}{i}") for i in range(size)]
        for index, person in enumerate(people[name]):
            role = Membership.Role.SUPERVISOR if index == 0 else Membership.Role.MEMBER
            services.membership_set(team=teams[name], user=person, role=role)
    for name, extra in (("Beta", people["Alpha"][1:4]), ("Delta", people["Gamma"][1:2])):
        for person in extra:
            services.membership_set(team=teams[name], user=person, role=Membership.Role.MEMBER)
            people[name].append(person)
    goals = {
        "Alpha": [
            direction_services.team_goal_create(
                team=teams["Alpha"],
                author=people["Alpha"][0],
                title="A",
                why="w",
                themes=[care, data],
            ),
            direction_services.team_goal_create(
                team=teams["Alpha"], author=people["Alpha"][2], title="P", why="w", themes=[data]
            ),  # a member's proposal
        ],
        "Beta": [
            direction_services.team_goal_create(
                team=teams["Beta"], author=people["Beta"][0], title="B", why="w", themes=[care]
            )
        ],
        "Gamma": [
            direction_services.team_goal_create(
                team=teams["Gamma"], author=people["Gamma"][0], title="G", why="w", themes=[data]
            )
        ],
        "Delta": [
            direction_services.team_goal_create(
                team=teams["Delta"], author=people["Delta"][0], title="D", why="w", themes=[]
            )
        ],
    }
    for name, team in teams.items():
        month = first
        while month <= today:
            for index in range(rng.randint(1, 3)):
                when = local(month + timedelta(days=rng.randrange(27)), rng.randrange(7, 20))
                if month == first and index == 0:
                    when = local(month, 0, 1)  # a minute after the month begins
                session = reflections.session_add(
                    team=team,
                    title="S",
                    starts_at=when,
                    duration_minutes=30,
                    time_zone="Europe/Helsinki",
                )
                chance = rng.random()
                if chance < 0.7 and when < timezone.now():
                    attendees = rng.sample(people[name], rng.randint(1, len(people[name])))
                    reflections.session_hold(session=session, attendees=attendees)
                    for person in rng.sample(attendees, rng.randint(0, len(attendees))):
                        reflections.pulse_answer(
                            session=session,
                            user=person,
                            values={"dont_know": rng.randint(1, 5), "ask": rng.randint(1, 5)},
                        )
                elif chance < 0.85:
                    reflections.session_skip(session=session)
            edge = local(month + relativedelta(months=1), 0) - timedelta(minutes=1)
            if edge < timezone.now() - timedelta(hours=1):
                session = reflections.session_add(
                    team=team,
                    title="Edge",
                    starts_at=edge,
                    duration_minutes=30,
                    time_zone="Europe/Helsinki",
                )
                reflections.session_hold(session=session, attendees=people[name][:4])
            month += relativedelta(months=1)
    thoughts = []
    for _ in range(160):
        name = rng.choice(list(teams))
        author = rng.choice(people[name])
        goal = rng.choice([None, None, *goals[name]])
        if thoughts and rng.random() < 0.25:
            parent = rng.choice([t for t in thoughts if t.parent_id is None])
            parent_team = parent.team.name
            thought = reflections.thought_reply(
                author=rng.choice(people[parent_team]), parent=parent, body="r"
            )
        else:
            thought = reflections.thought_post(
                author=author, team=teams[name], kind="insight", body="t", team_goal=goal
            )
        thoughts.append(thought)
        when = local(day_in_range(), rng.randrange(24), rng.randrange(60))
        Thought.objects.filter(pk=thought.pk).update(created_at=min(when, timezone.now()))
    for index in range(50):
        name = rng.choice(list(teams))
        named = rng.choice(people[name]) if index % 3 else None
        question = reflections.question_ask(team=teams[name], body="q", named_author=named)
        Question.objects.filter(pk=question.pk).update(asked_on=day_in_range())
        if rng.random() < 0.5:
            reflections.question_answer(question=question, author=people[name][0], body="a")
    visibilities = ["private", "supervisor", "team"]
    for name, team_people in people.items():
        for person in team_people[:-1]:
            goal = direction_services.personal_goal_create(
                owner=person,
                title="g",
                reason="r",
                challenge=2,
                visibility=rng.choice(visibilities),
                team_goal=rng.choice([None, *goals[name]]),
            )
            for _ in range(rng.randint(0, 4)):
                direction_services.checkin_create(goal=goal, day=day_in_range(), progress=3)
    return {"org": acme, "teams": teams, "people": people, "first": first, "today": today}


def periods(world) -> list[Period]:
    today = rollups.last_published(world["org"])
    return [
        period_for("month", today),
        period_for("quarter", today),
        period_for("year", today),
        Period(world["first"], month_start(today) + relativedelta(months=1)),
        Period(world["first"], world["first"] + relativedelta(months=2)),
    ]


def test_the_world_is_varied_enough_to_tell_the_two_apart(world):
    """Guards the test below: people in two teams, hidden figures, all kinds of rows."""
    teams = world["teams"]
    assert Membership.objects.filter(user__in=world["people"]["Alpha"][1:4]).count() == 6
    assert Session.objects.filter(status="held").count() > 30
    assert Session.objects.filter(status="skipped").exists()
    assert Thought.objects.filter(team_goal__isnull=False, parent__isnull=False).exists() or (
        Thought.objects.filter(team_goal__isnull=False).exists()
    )
    assert CheckIn.objects.exclude(goal__visibility="private").count() > 10
    assert PulseAnswered.objects.count() > 20
    result = report.build(organization=world["org"], team_ids=None, period=periods(world)[2])
    hidden = [c for row in figures(result) for c in row if isinstance(c, tuple) and c[1]]
    assert hidden, "some figures are suppressed"
    assert teams["Gamma"].memberships.count() == 3


def test_published_months_hold_exactly_what_the_rows_give(world):
    org = world["org"]
    rollups.rollups_backfill(organization=org)
    sealed = RollupMonth.objects.filter(organization=org, sealed=True).values_list(
        "month", flat=True
    )
    assert len(sealed) >= 12
    for month in sealed:
        assert published_cells(org, month) == live.month_cells(org, month), month


def test_the_page_reads_published_months_only(client, world):
    client.force_login(world["hr"])
    response = client.get(reverse("reports:report"), {"period": "year"})

    assert response.status_code == 200
    assert 'id="report-freshness"' in response.content.decode()
    last = rollups.last_published(world["org"])
    months = period_for("year", last).months
    published = RollupMonth.objects.filter(organization=world["org"], sealed=True)
    assert set(published.values_list("month", flat=True)) == set(months)
    assert not published.filter(month__gt=last).exists()


def test_a_month_is_published_once_it_has_ended_and_then_stays(world):
    org, team = world["org"], world["teams"]["Alpha"]
    this_month = month_start(world["today"])
    reflections.thought_post(
        author=world["people"]["Alpha"][1], team=team, kind="insight", body="x"
    )
    rollups.rollups_refresh_recent()
    assert not RollupMonth.objects.filter(organization=org, month=this_month).exists()

    next_month = this_month + relativedelta(months=1)
    too_soon = local(next_month, 12)
    rollups.rollups_refresh_recent(now=too_soon)
    assert not RollupMonth.objects.filter(organization=org, month=this_month).exists()
    published = local(next_month + timedelta(days=2), 12)
    rollups.rollups_refresh_recent(now=published)
    state = RollupMonth.objects.get(organization=org, month=this_month)
    assert state.sealed and state.min_group_size == org.min_group_size
    cells = published_cells(org, this_month)
    assert cells == live.month_cells(org, this_month)

    reflections.thought_post(
        author=world["people"]["Alpha"][2], team=team, kind="insight", body="late"
    )
    rollups.rollups_refresh_recent(now=published + timedelta(days=1))
    assert published_cells(org, this_month) == cells  # published figures never move


def rollup_tables() -> list:
    return [
        sorted(model.objects.values_list(*fields))
        for model, fields in (
            (
                TeamMonth,
                ("team", "month", "planned", "held", "attendances", "thoughts", "answered"),
            ),
            (TeamThemeMonth, ("team", "theme", "month", "thoughts", "shared_goals")),
            (PersonMonth, ("team", "month", "user", "attended", "posted", "pulsed", "learned")),
            (
                PersonThemeMonth,
                ("team", "theme", "month", "user", "posted", "learned", "has_goal"),
            ),
            (OrgMonth, ("organization", "month", "learners", "shown_thoughts")),
            (RollupMonth, ("organization", "month", "sealed", "min_group_size")),
        )
    ]


def test_the_refresh_task_is_idempotent(world, settings):
    from reports.tasks import refresh_rollups

    refresh_rollups.apply().get()
    once = rollup_tables()
    refresh_rollups.apply().get()

    assert rollup_tables() == once
    assert len(once[2]) > 10


def test_backfill_command_computes_every_month_with_data(world):
    from django.core.management import call_command

    call_command("rollups_backfill")

    months = RollupMonth.objects.filter(organization=world["org"]).values_list("month", flat=True)
    assert min(months) == world["first"] and max(months) == month_start(world["today"])
    sealed = RollupMonth.objects.filter(organization=world["org"], sealed=True)
    assert max(sealed.values_list("month", flat=True)) == rollups.last_published(world["org"])


# Retention and account deletion leave past figures as they were.


def test_retention_leaves_every_report_figure_unchanged(world):
    org = world["org"]
    rollups.rollups_backfill(organization=org)
    before = {
        period: figures(report.build(organization=org, team_ids=None, period=period))
        for period in periods(world)
    }
    org.retention_months = 6
    org.save(update_fields=["retention_months"])

    removed = privacy.retention_run(organization=org)
    rollups.rollups_backfill(organization=org)  # a later backfill leaves sealed months be
    rollups.rollups_refresh_recent()

    assert removed.thoughts > 20 and removed.checkins > 5
    for period, figures_before in before.items():
        after = figures(report.build(organization=org, team_ids=None, period=period))
        assert after == figures_before, period
    oldest = RollupMonth.objects.filter(organization=org).order_by("month").first().month
    assert live.month_cells(org, oldest) != published_cells(org, oldest)  # rows really gone


def test_past_thoughts_learners_and_answered_share_survive_retention(world):
    """The gap of issue #11: monthly thoughts, learners and the answered share of months past
    the retention limit used to drop to what rows were left."""
    org = world["org"]
    period = periods(world)[3]
    before = report.build(organization=org, team_ids=None, period=period)
    org.retention_months = 3
    org.save(update_fields=["retention_months"])

    privacy.retention_run(organization=org)
    after = report.build(organization=org, team_ids=None, period=period)

    learners = OrgMonth.objects.filter(organization=org, month__in=period.months)
    assert sum(learners.values_list("learners", flat=True)) > 0  # learners kept
    assert figures(after) == figures(before)


def test_rollups_of_deleted_rows_hold_no_link_to_anyone_after_an_account_deletion(world):
    org = world["org"]
    leaver = world["people"]["Alpha"][2]  # in Alpha and Beta
    rollups.rollups_backfill(organization=org)
    assert PersonMonth.objects.filter(user=leaver).exists()

    privacy.account_deletion_request(user=leaver)
    assert privacy.account_deletion_execute_due(
        user_id=leaver.pk, now=timezone.now() + timedelta(days=8)
    )

    assert not PersonMonth.objects.filter(user_id=leaver.pk).exists()
    assert not PersonThemeMonth.objects.filter(user_id=leaver.pk).exists()
    formers = set(PersonMonth.objects.filter(user__isnull=True).values_list("former", flat=True))
    assert len(formers) == 1  # one key for all her marks, so she is still one person


def delete_account(user: User) -> None:
    privacy.account_deletion_request(user=user)
    later = timezone.now() + timedelta(days=8)
    assert privacy.account_deletion_execute_due(user_id=user.pk, now=later)


def test_an_account_deletion_leaves_every_report_figure_unchanged(world):
    """She left her teams first, so team sizes (taken as they are now) stay too; everything
    else rests on the rollups, which keep her attendance, pulse, thoughts and check-ins."""
    org = world["org"]
    leaver = world["people"]["Alpha"][3]  # in Alpha and Beta
    assert Attendance.objects.filter(user=leaver).exists()
    assert Thought.objects.filter(author=leaver).exists()
    for membership in Membership.objects.filter(user=leaver):
        services.membership_remove(team=membership.team, user=leaver)
    rollups.rollups_backfill(organization=org)
    selections = [None, [world["teams"]["Alpha"].pk, world["teams"]["Delta"].pk]]
    before = {
        (period, tuple(ids or ())): figures(
            report.build(organization=org, team_ids=ids, period=period)
        )
        for period in periods(world)
        for ids in selections
    }

    delete_account(leaver)
    after_deletion = {
        key: figures(report.build(organization=org, team_ids=list(key[1]) or None, period=key[0]))
        for key in before
    }
    rollups.rollups_backfill(organization=org)  # recomputing from the rows left changes nothing
    after_backfill = {
        key: figures(report.build(organization=org, team_ids=list(key[1]) or None, period=key[0]))
        for key in before
    }

    assert after_deletion == before
    assert after_backfill == before
    assert not Thought.objects.filter(author_id=leaver.pk).exists()  # her rows really are gone


def test_deleting_a_current_member_keeps_every_count_and_distinct_person(world):
    """Every published count and distinct person stays; nothing is published again."""
    org = world["org"]
    leaver = world["people"]["Beta"][2]
    rollups.rollups_backfill(organization=org)
    months = list(
        RollupMonth.objects.filter(organization=org, sealed=True).values_list("month", flat=True)
    )
    before = {month: published_cells(org, month) for month in months}

    delete_account(leaver)
    rollups.rollups_backfill(organization=org)

    assert {month: published_cells(org, month) for month in months} == before


def test_an_edit_to_a_published_month_changes_none_of_its_figures(world):
    """A late entry would otherwise let HR compare two reports and see one person's act."""
    org = world["org"]
    rollups.rollups_backfill(organization=org)
    old = month_start(world["today"]) - relativedelta(months=6)
    period = Period(old, old + relativedelta(months=1))
    before = figures(report.build(organization=org, team_ids=None, period=period))
    session = reflections.session_add(
        team=world["teams"]["Alpha"],
        title="Late entry",
        starts_at=local(old + timedelta(days=3), 10),
        duration_minutes=30,
        time_zone="Europe/Helsinki",
    )
    reflections.session_hold(session=session, attendees=world["people"]["Alpha"])

    for _ in range(3):
        rollups.rollups_refresh_recent()

    after = figures(report.build(organization=org, team_ids=None, period=period))
    assert after == before
    assert live.month_cells(org, old) != published_cells(org, old)
