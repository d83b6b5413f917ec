"""Demo organisation, teams, people and learning direction for `seed_demo`.

Idempotent: looks everything up by natural keys and adds history only to what it creates.
"""

import datetime
import random
from dataclasses import dataclass

from django.utils import timezone

from teams.demo_language import say
from teams.models import (
    CheckIn,
    Membership,
    Organization,
    OrgRole,
    PersonalGoal,
    StrategyTheme,
    Team,
    TeamGoal,
    User,
)

DEMO_PASSWORD = "learn-together"
DEMO_ORG_SLUG = "demo"

TEAMS = [
    ("Asiakaspalvelu", "Customer service: learning from every customer contact."),
    ("Ohjelmistokehitys", "Software development: building the product and learning new tools."),
    ("Data ja analytiikka", "Data and analytics: turning data into decisions."),
]

# (username, first name, last name, language)
PEOPLE = [
    ("aino", "Aino", "Virtanen", "fi"),
    ("eero", "Eero", "Korhonen", "fi"),
    ("helmi", "Helmi", "Mäkinen", "fi"),
    ("ilmari", "Ilmari", "Nieminen", "fi"),
    ("kaisa", "Kaisa", "Hämäläinen", "fi"),
    ("lauri", "Lauri", "Laine", "fi"),
    ("mira", "Mira", "Heikkinen", "en"),
    ("niko", "Niko", "Koskinen", "fi"),
    ("oona", "Oona", "Järvinen", "fi"),
    ("pekka", "Pekka", "Lehtonen", "fi"),
    ("riikka", "Riikka", "Lehtinen", "en"),
    ("sami", "Sami", "Saarinen", "fi"),
    ("tiina", "Tiina", "Salminen", "fi"),
    ("ville", "Ville", "Heinonen", "fi"),
    ("anna", "Anna", "Niemi", "en"),
    ("jussi", "Jussi", "Kinnunen", "fi"),
    ("laura", "Laura", "Salonen", "fi"),
    ("matti", "Matti", "Turunen", "fi"),
]

# More members per team (team index -> people), so that each group HR's report counts under
# a strategy theme has at least the minimum group size (5) every month: see THEME_REGIONS.
MORE_PEOPLE = {
    0: [
        ("outi", "Outi", "Rantanen", "fi"),
        ("juha", "Juha", "Mattila", "fi"),
        ("sofia", "Sofia", "Lindholm", "en"),
        ("veera", "Veera", "Kallio", "fi"),
    ],
    1: [("antti", "Antti", "Hiltunen", "fi"), ("elina", "Elina", "Miettinen", "fi")],
    2: [
        ("markus", "Markus", "Leinonen", "fi"),
        ("noora", "Noora", "Räsänen", "fi"),
        ("timo", "Timo", "Ahonen", "en"),
    ],
}


@dataclass
class DemoPeople:
    organization: Organization
    teams: list[Team]
    supervisor: User
    employee: User
    hr: User
    language: str = "fi"  # the organisation's: the demo's content is in it


def _person(org: Organization, username: str, first: str, last: str, language: str) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "email": f"{username}@demo.example",
            "organization": org,
            "language": language,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def seed_people(language: str = "fi") -> DemoPeople:
    """The organisation, in `language` when it is created (a later run keeps its language)."""
    org, _ = Organization.objects.get_or_create(
        slug=DEMO_ORG_SLUG,
        defaults={"name": "Demo Oy", "time_zone": "Europe/Helsinki", "language": language},
    )
    language = org.language
    supervisor = _person(org, "demo-supervisor", "Sanna", "Esihenkilö", language)
    employee = _person(org, "demo-employee", "Eetu", "Työntekijä", language)
    hr = _person(org, "demo-hr", "Hanna", "Henkilöstö", language)
    for role in (OrgRole.Role.HR, OrgRole.Role.ADMIN):
        OrgRole.objects.get_or_create(organization=org, user=hr, role=role)

    people = [_person(org, *row) for row in PEOPLE]
    teams = []
    for index, (name, description) in enumerate(TEAMS):
        team, _ = Team.objects.get_or_create(
            organization=org,
            name=say(name, language),
            defaults={"description": say(description, language)},
        )
        teams.append(team)
        members = people[index * 6 : index * 6 + 6]
        members += [_person(org, *row) for row in MORE_PEOPLE[index]]
        for person in members:
            Membership.objects.get_or_create(team=team, user=person)
    # The demo supervisor leads the first two teams; the demo employee is in both of them.
    for team in teams[:2]:
        Membership.objects.get_or_create(
            team=team, user=supervisor, defaults={"role": Membership.Role.SUPERVISOR}
        )
        Membership.objects.get_or_create(team=team, user=employee)
    # The third team has its own supervisor from the people above.
    Membership.objects.update_or_create(
        team=teams[2], user=people[12], defaults={"role": Membership.Role.SUPERVISOR}
    )
    return DemoPeople(
        organization=org,
        teams=teams,
        supervisor=supervisor,
        employee=employee,
        hr=hr,
        language=language,
    )


# Learning direction. Titles are natural keys: running the seed again finds them.
THEMES = [
    (
        "Customer at the centre",
        "Every team learns to see its work through the customer's eyes.",
        1,
    ),
    ("Data-driven decisions", "We decide from evidence and make our reasoning visible.", 2),
    ("Sustainable ways of working", "Workload we can carry and work that lasts.", 3),
    ("Learning together", "We share what we learn while it is still unfinished.", 4),
]

# HR's report counts people per strategy theme and month (reports/publication.py), and shows
# a theme's figure only when every group of people it cannot tell apart from the other
# themes' has five or more people. So the goals people hold fall in three groups of theme
# sets, each with at least six everyday goal holders who check in and post every month:
# {0, 2} (customer service's goals, and software development's goal on customers), {2, 3}
# (test-first development) and {1, 3} (data and analytics). The quiet goals' few holders
# join one of them.
THEME_REGIONS = [{0, 2}, {2, 3}, {1, 3}]

# team index -> [(title, why, theme indexes, status)]
TEAM_GOALS = {
    0: [
        (
            "Calm handling of difficult calls",
            "A third of our calls are complaints; handling them well keeps customers and us well.",
            [0, 2],
            "active",
        ),
        (
            "Answers from the knowledge base",
            "Customers wait less when we find answers fast and keep the base up to date.",
            [0, 2],
            "active",
        ),
        (
            "Reading the feedback data",
            "We collect feedback every day but rarely look at what it says as a whole.",
            [1],
            "proposed",
        ),
    ],
    1: [
        (
            "Test-first development",
            "Fewer production bugs means fewer evenings spent firefighting.",
            [2, 3],
            "active",
        ),
        (
            "Understanding how customers use the product",
            "We build better when we see real use, not just tickets.",
            [0, 2],
            "active",
        ),
        ("Migrating to the new build tool", "The old one is no longer maintained.", [2], "reached"),
    ],
    2: [
        (
            "Explaining results to non-specialists",
            "An analysis helps only when the people deciding understand it.",
            [1, 3],
            "active",
        ),
        (
            "Data quality checks",
            "Wrong numbers cost trust that takes months to win back.",
            [1, 3],
            "active",
        ),
    ],
}

# (owner username, team index, team goal title or None, title, reason, challenge, visibility,
#  check-ins as (days ago, progress, note))
PERSONAL_GOALS = [
    (
        "demo-employee",
        0,
        "Calm handling of difficult calls",
        "Stay calm when a customer is angry",
        "I notice I speed up and start defending myself. I want to listen first.",
        2,
        "team",
        [
            (112, 1, "Recorded myself in a practice call. Hard to listen to."),
            (84, 2, "Used a pause before answering twice this week."),
            (56, 3, "A long complaint call went well; I summarised before answering."),
            (21, 3, "Still rushing on Mondays when the queue is long."),
            (6, 4, "Aino asked me how I handle the hard ones. That felt good."),
        ],
    ),
    (
        "demo-employee",
        1,
        "Understanding how customers use the product",
        "Sit in on user interviews",
        "I write the code but have never seen a customer use it.",
        3,
        "supervisor",
        [
            (70, 1, "Asked to join the next interview round."),
            (40, 2, "Joined one interview. Surprised how differently people read the menus."),
        ],
    ),
    (
        "demo-employee",
        None,
        None,
        "Speak up in larger meetings",
        "I have ideas but stay quiet when there are more than five people.",
        2,
        "private",
        [(60, 1, "Said one thing in the all-hands. Heart racing."), (14, 2, "Easier this time.")],
    ),
    # Shared, and stuck low over its recent check-ins: the supervisor's coaching hint.
    (
        "kaisa",
        0,
        "Calm handling of difficult calls",
        "Say no to a customer kindly",
        "I promise too much when a customer pushes, and then we cannot keep it.",
        3,
        "team",
        [
            (45, 2, "Practised two phrases with Aino."),
            (24, 2, "Fell back to promising on a busy day."),
            (7, 1, "Hard week; I did not try it at all."),
        ],
    ),
    (
        "aino",
        0,
        "Calm handling of difficult calls",
        "De-escalation phrases that sound like me",
        "The scripted phrases feel fake to me and customers notice.",
        1,
        "team",
        [(90, 2, "Wrote down what I actually say."), (30, 3, "Shared my list in the session.")],
    ),
    (
        "eero",
        0,
        "Answers from the knowledge base",
        "Write one knowledge base article a week",
        "I answer the same questions again and again.",
        2,
        "supervisor",
        [(100, 1, "First article done."), (75, 2, "Three articles now.")],
    ),
    (
        "helmi",
        0,
        "Answers from the knowledge base",
        "Learn the search syntax properly",
        "I lose minutes on every call looking for things.",
        1,
        "private",
        [(20, 3, "Saved searches help a lot.")],
    ),
    (
        "niko",
        1,
        "Test-first development",
        "Write the test before the fix",
        "I keep fixing the same kinds of bugs twice.",
        2,
        "team",
        [(95, 1, "Tried it on one bug."), (50, 3, "Habit forming."), (10, 4, "Paired with Oona.")],
    ),
    (
        "oona",
        1,
        "Understanding how customers use the product",
        "Read the support tickets every Friday",
        "Tickets tell what hurts customers most.",
        1,
        "team",
        [(65, 2, "Found three recurring problems."), (35, 3, "Brought one to planning.")],
    ),
    (
        "anna",
        2,
        "Explaining results to non-specialists",
        "One picture per finding",
        "My reports are long and nobody reads to the end.",
        3,
        "supervisor",
        [(80, 1, "Tried a one-page summary."), (45, 3, "The board asked good questions.")],
    ),
    (
        "ville",
        2,
        "Data quality checks",
        "Automate the monthly checks",
        "I do them by hand and sometimes forget one.",
        2,
        "team",
        [(110, 2, "First checks scripted."), (88, 3, "Caught a broken import.")],
    ),
]


def _back_date(model, pk: int, days: int) -> None:
    # Demo history: goals should look as if set months ago, so "quiet" goals show up.
    model.objects.filter(pk=pk).update(created_at=timezone.now() - datetime.timedelta(days=days))


def seed_direction(people: DemoPeople) -> None:
    org, teams, language = people.organization, people.teams, people.language
    themes = []
    for title, description, order in THEMES:
        theme, _ = StrategyTheme.objects.get_or_create(
            organization=org,
            title=say(title, language),
            defaults={"description": say(description, language), "order": order},
        )
        themes.append(theme)

    team_goals = {}
    for team_index, rows in TEAM_GOALS.items():
        team = teams[team_index]
        for title, why, theme_indexes, status in rows:
            goal, created = TeamGoal.objects.get_or_create(
                team=team,
                title=say(title, language),
                defaults={
                    "why": say(why, language),
                    "status": status,
                    # A proposal comes from the team; the demo employee made this one.
                    "created_by": people.employee if status == "proposed" else people.supervisor,
                },
            )
            if created:
                goal.themes.set([themes[i] for i in theme_indexes])
                _back_date(TeamGoal, goal.pk, 130)
            team_goals[(team_index, title)] = goal

    today = timezone.localdate()
    for (
        owner_name,
        team_index,
        team_goal_title,
        title,
        reason,
        challenge,
        visibility,
        checkins,
    ) in PERSONAL_GOALS:
        owner = User.objects.get(username=owner_name)
        team_goal = team_goals[(team_index, team_goal_title)] if team_goal_title else None
        goal, created = PersonalGoal.objects.get_or_create(
            owner=owner,
            title=say(title, language),
            defaults={
                "reason": say(reason, language),
                "challenge": challenge,
                "visibility": visibility,
                "team_goal": team_goal,
            },
        )
        if created:
            _back_date(PersonalGoal, goal.pk, max(days for days, _, _ in checkins) + 3)
            CheckIn.objects.bulk_create(
                CheckIn(
                    goal=goal,
                    day=today - datetime.timedelta(days=days),
                    progress=progress,
                    note=say(note, language),
                )
                for days, progress, note in checkins
            )
    _seed_everyday_goals(people, team_goals, today)


# Everyday goals: most members keep one shared goal under a team goal and check in on it every
# few weeks, so the direction view and HR's report have the months of learning a real
# organisation has (HR sees a theme once five or more people stand behind it).
EVERYDAY_GOALS = [
    (
        "Oppia yksi uusi asia viikossa työn lomassa",
        "Haluan, että oppiminen kuuluu tavalliseen viikkoon.",
    ),
    ("Pyytää palautetta kerran kuussa", "Palautteesta näen, mihin kannattaa keskittyä."),
    ("Jakaa yksi kokeilu tiimille kuukaudessa", "Muiden kokeiluista opin eniten itsekin."),
]


def _seed_everyday_goals(people: DemoPeople, team_goals: dict, today) -> None:
    rng = random.Random(5)
    by_team: dict[int, list] = {}
    for (team_index, _title), goal in team_goals.items():
        if goal.status == TeamGoal.Status.ACTIVE:
            by_team.setdefault(team_index, []).append(goal)
    for team_index, team in enumerate(people.teams):
        # The team's last active goal is left to the hand-written goals, so the demo keeps a
        # quiet goal for the direction view's hint.
        goals = by_team.get(team_index, [])[:-1]
        if not goals:
            continue
        members = team.memberships.filter(role="member").select_related("user")
        for index, membership in enumerate(members.order_by("user__username")):
            owner = membership.user
            if PersonalGoal.objects.filter(owner=owner).exists():
                continue  # the hand-written goals above, or an earlier run
            title, reason = EVERYDAY_GOALS[index % len(EVERYDAY_GOALS)]
            goal = PersonalGoal.objects.create(
                owner=owner,
                title=say(title, people.language),
                reason=say(reason, people.language),
                challenge=2,
                visibility=PersonalGoal.Visibility.TEAM,
                team_goal=goals[index % len(goals)],
            )
            _back_date(PersonalGoal, goal.pk, HISTORY_CHECKIN_DAYS[0] + 5)
            CheckIn.objects.bulk_create(
                CheckIn(
                    goal=goal,
                    day=today - datetime.timedelta(days=days + rng.randrange(3)),
                    progress=min(5, 1 + step // 2),
                    note="",
                )
                for step, days in enumerate(HISTORY_CHECKIN_DAYS)
            )


# Every two weeks (give or take two days) over the demo's four months of sessions: each
# calendar month of HR's report has a check-in (and a post, reflections/demo.py) from every
# everyday goal holder, and none comes before the sessions' history (reflections/demo.py,
# HISTORY_DAYS) where too few people would be counted.
HISTORY_CHECKIN_DAYS = list(range(118, 0, -14))
