"""Demo rhythms with a few months of held sessions and attendance, and the place and atmosphere
(thoughts with replies, named and anonymous questions with votes and answers, pulse answers),
for `seed_demo`. Idempotent: sessions are keyed by (rhythm, occurrence date); a team that
already has thoughts, questions or pulse answers gets no more."""

import random
import zoneinfo
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from learning_lead import fragments
from reflections import bridge_services, recurrence, services
from reflections.models import Attendance, Question, Rhythm, Session, Thought
from reflections.prompts import DEFAULT_PROMPT_KEYS
from reflections.pulse import PULSE_STATEMENTS
from teams.demo import EVERYDAY_GOALS, DemoPeople
from teams.demo_language import say
from teams.models import (
    Membership,
    OrgRole,
    PersonalGoal,
    StrategyTheme,
    Team,
    TeamGoal,
    User,
)

HISTORY_DAYS = 120

RHYTHMS = [
    # (team index, title, frequency, weekday, time)
    (0, "Viikon oppimishetki", Rhythm.Frequency.WEEKLY, 1, time(9, 0)),
    (1, "Retro ja oppiminen", Rhythm.Frequency.BIWEEKLY, 3, time(14, 0)),
    (2, "Datan äärellä", Rhythm.Frequency.WEEKLY, 2, time(10, 30)),
]


# The team whose rhythm has lapsed in the demo (see _hold_past_sessions).
LAPSED_TEAM = 1


def seed_rhythms(people: DemoPeople) -> list[Rhythm]:
    rng = random.Random(7)
    now = timezone.now()
    first_date = date.today() - timedelta(days=HISTORY_DAYS)
    rhythms = []
    for team_index, title, frequency, weekday, start_time in RHYTHMS:
        team = people.teams[team_index]
        rhythm, created = Rhythm.objects.get_or_create(
            team=team,
            title=say(title, people.language),
            defaults={
                "frequency": frequency,
                "weekday": weekday,
                "start_date": first_date,
                "start_time": start_time,
                "time_zone": team.time_zone,
                "duration_minutes": 30,
                "location": say("Neuvotteluhuone Oivallus", people.language),
                "video_url": "https://video.example/learning-lead",
                "prompt_keys": DEFAULT_PROMPT_KEYS,
            },
        )
        rhythms.append(rhythm)
        _hold_past_sessions(rhythm, rng, now, lapse=team_index == LAPSED_TEAM)
        services.rhythm_sync(rhythm=rhythm)
    return rhythms


def _hold_past_sessions(rhythm: Rhythm, rng: random.Random, now, *, lapse: bool) -> None:
    members = list(rhythm.team.members.all())
    past = recurrence.occurrences(
        rule=rhythm.rule(),
        start_date=rhythm.start_date,
        start_time=rhythm.start_time,
        time_zone=rhythm.time_zone,
        duration_minutes=rhythm.duration_minutes,
        after=now - timedelta(days=HISTORY_DAYS),
        before=now,
    )
    # One team's supervisor has let the last two sessions pass without holding them, so the
    # demo shows a lapsed rhythm on the rhythm health page (a day's grace after each end).
    lapsed = []
    if lapse:
        due = [occ for occ in past if occ.ends_at < now - timedelta(days=1)]
        lapsed = [occ.local_date for occ in due[-2:]]
    for index, occurrence in enumerate(past):
        session, created = Session.objects.get_or_create(
            rhythm=rhythm,
            occurrence_date=occurrence.local_date,
            defaults={
                "team": rhythm.team,
                "title": rhythm.title,
                "starts_at": occurrence.starts_at,
                "ends_at": occurrence.ends_at,
                "time_zone": rhythm.time_zone,
                "location": rhythm.location,
                "video_url": rhythm.video_url,
            },
        )
        if not created:
            continue
        services.prompts_add_builtin(session=session, keys=rhythm.prompt_keys)
        if occurrence.local_date in lapsed or occurrence.ends_at > now - timedelta(days=1):
            continue  # not held (yet)
        if index % 7 == 5:  # now and then a week is skipped, as in real teams
            services.session_skip(session=session)
            continue
        session.status = Session.Status.HELD
        session.held_at = occurrence.ends_at
        session.save(update_fields=["status", "held_at"])
        attendees = [person for person in members if rng.random() < 0.8]
        Attendance.objects.bulk_create(
            [Attendance(session=session, user=person) for person in attendees]
        )


# (kind, thought, replies)
THOUGHTS = [
    (
        Thought.Kind.THINKING,
        "Mietin yhä, miksi sama virhe toistuu perjantaisin. Onko kyse kiireestä vai siitä, "
        "että ohje on vaikea löytää?",
        ["Huomasin saman. Ohje on kolmen klikkauksen takana.", "Voisiko sen nostaa etusivulle?"],
    ),
    (
        Thought.Kind.INSIGHT,
        "Oivallus: kun kysyin asiakkaalta ensin, mitä hän jo kokeili, puhelu lyheni selvästi.",
        ["Kokeilen tätä huomenna."],
    ),
    (
        Thought.Kind.TRIED,
        "Kokeilin parityötä katselmoinnissa. Hitaampaa alussa, mutta virheitä löytyi enemmän.",
        ["Kuinka pitkiä jaksoja teitte?", "Noin 45 minuuttia, sitten tauko."],
    ),
    (
        Thought.Kind.THINKING,
        "Keskeneräinen ajatus: pitäisikö meidän kirjata myös epäonnistuneet kokeilut?",
        [],
    ),
    (
        Thought.Kind.INSIGHT,
        "Huomasin, että opin eniten silloin, kun joku kysyi 'miksi' eikä 'miten'.",
        ["Sama! Miksi-kysymys pakottaa ajattelemaan."],
    ),
    (
        Thought.Kind.TRIED,
        "Tried writing the release notes before the code. It made the scope clearer.",
        [],
    ),
]

# (question, asked with a name, supervisor's answer or "")
QUESTIONS = [
    (
        "Saako sanoa, jos ei ymmärrä uutta prosessia? Kaikki näyttävät jo osaavan sen.",
        False,
        "Saa, ja kiitos kun kysyit. Käydään prosessi läpi seuraavassa oppimishetkessä.",
    ),
    ("Miten valitsemme, mitä opettelemme seuraavaksi?", True, ""),
    ("Voisiko oppimishetken pitää joskus etänä?", False, ""),
    (
        "Mistä löydän vanhat kokeilujen tulokset?",
        True,
        "Ne ovat tiimin kansiossa kohdassa Kokeilut. Lisään linkin istunnon tietoihin.",
    ),
    ("Is it OK to spend work time on an online course?", False, ""),
]


def _plain_members(team: Team) -> list[User]:
    return [
        membership.user
        for membership in team.memberships.filter(role=Membership.Role.MEMBER)
        .select_related("user")
        .order_by("user__username")
    ]


def _supervisor(team: Team) -> User:
    return team.memberships.filter(role=Membership.Role.SUPERVISOR).first().user


def seed_place(people: DemoPeople) -> None:
    rng = random.Random(11)
    for index, team in enumerate(people.teams):
        members = _plain_members(team)
        held = list(team.sessions.filter(status=Session.Status.HELD).order_by("-starts_at")[:8])
        language = people.language
        if not team.thoughts.exists():
            _seed_after_session_notes(team, rng, language)
            _seed_thoughts(team, members, held, rng, language)
        if not team.questions.exists():
            _seed_questions(team, members, held, rng, language)
        if not team.forwarded_items.exists():
            _seed_forwards(team, index, language)
        for session in held[:5]:
            if not session.pulse_answered.exists():
                _seed_pulse(session, members, rng)


# What people jot down after a session: short, often unfinished (kind, text).
AFTER_SESSION = [
    (Thought.Kind.INSIGHT, "Tärkein oppini tänään: kysy ensin, mitä toinen jo tietää."),
    (Thought.Kind.THINKING, "Jäin miettimään, miten saisimme kokeilut näkyviin koko tiimille."),
    (Thought.Kind.TRIED, "Kokeilin tänään uutta tapaa ja kirjaan, miten se meni."),
    (Thought.Kind.THINKING, "Vielä keskeneräistä: en tiedä, mikä tässä oikeasti ratkaisee."),
    (Thought.Kind.INSIGHT, "I learned that a short pause before answering changes the talk."),
    (Thought.Kind.TRIED, "Tried the checklist from the session; two steps were unclear."),
]


def _seed_after_session_notes(team: Team, rng, language: str) -> None:
    """A short note from about half of those who took part in each held session of the last
    four months, posted on the session within a day of it."""
    since = timezone.now() - timedelta(days=HISTORY_DAYS)
    held = team.sessions.filter(status=Session.Status.HELD, starts_at__gte=since).order_by(
        "starts_at"
    )
    for session in held.prefetch_related("attendances__user"):
        for attendance in session.attendances.all():
            if rng.random() >= 0.5:
                continue
            kind, body = rng.choice(AFTER_SESSION)
            thought = services.thought_post(
                author=attendance.user,
                team=team,
                kind=kind,
                body=say(body, language),
                session=session,
            )
            when = session.ends_at + timedelta(hours=rng.randrange(1, 20))
            Thought.objects.filter(pk=thought.pk).update(created_at=min(when, timezone.now()))


def _seed_thoughts(
    team: Team, members: list[User], held: list[Session], rng, language: str
) -> None:
    for index, (kind, body, replies) in enumerate(THOUGHTS):
        session = held[index] if index < len(held) and index % 3 != 2 else None
        when = (session.ends_at if session else timezone.now()) - timedelta(hours=index)
        thought = services.thought_post(
            author=rng.choice(members),
            team=team,
            kind=kind,
            body=say(body, language),
            session=session,
        )
        Thought.objects.filter(pk=thought.pk).update(created_at=when)
        for offset, reply in enumerate(replies, start=1):
            answer = services.thought_reply(
                author=rng.choice(members), parent=thought, body=say(reply, language)
            )
            Thought.objects.filter(pk=answer.pk).update(created_at=when + timedelta(hours=offset))


def _seed_questions(
    team: Team, members: list[User], held: list[Session], rng, language: str
) -> None:
    supervisor = _supervisor(team)
    for index, (body, named, answer) in enumerate(QUESTIONS):
        session = held[index] if index < len(held) and index % 2 == 0 else None
        question = services.question_ask(
            team=team,
            body=say(body, language),
            named_author=rng.choice(members) if named else None,
            session=session,
        )
        day = session.local_start.date() if session else timezone.localdate()
        Question.objects.filter(pk=question.pk).update(asked_on=day)
        for voter in rng.sample(members, k=rng.randint(1, len(members))):
            services.question_upvote(question=question, user=voter)
        if answer:
            services.question_answer(
                question=question, author=supervisor, body=say(answer, language)
            )


# team index -> (question bodies, the supervisor's summary, HR's answer or "")
FORWARDS = {
    0: (
        ["Is it OK to spend work time on an online course?"],
        "",
        "Yes. Up to four hours a month is part of the work when the course serves your "
        "team's learning goals; agree the timing with your supervisor.",
    ),
    1: (
        [
            "Voisiko oppimishetken pitää joskus etänä?",
            "Miten valitsemme, mitä opettelemme seuraavaksi?",
        ],
        "Tiimi toivoo selkeyttä siihen, miten oppimista järjestetään hybridityössä ja kuka "
        "päättää painopisteistä.",
        "",
    ),
}


def _seed_forwards(team: Team, index: int, language: str) -> None:
    """Questions the supervisor sent up to HR (with a strategy theme), one of them answered."""
    if index not in FORWARDS:
        return
    bodies, summary, answer = FORWARDS[index]
    bodies = [say(body, language) for body in bodies]
    summary, answer = say(summary, language), say(answer, language)
    questions = list(team.questions.filter(body__in=bodies, is_hidden=False))
    theme = StrategyTheme.objects.filter(organization_id=team.organization_id).first()
    if not questions or theme is None:
        return
    item = bridge_services.questions_forward(
        team=team, questions=questions, theme=theme, summary=summary, forwarded_by=_supervisor(team)
    )
    if answer:
        hr = User.objects.filter(
            organization_id=team.organization_id, org_roles__role=OrgRole.Role.HR
        ).first()
        bridge_services.forward_answer(
            item=item, body=answer, answered_as="hr", answered_by=hr or _supervisor(team)
        )


def _seed_pulse(session: Session, members: list[User], rng) -> None:
    members = [person for person in members if session.pulse_open_to(person)]
    # Five or more answers a session: a month's pulse of a team that met once still reaches
    # the report's minimum group size.
    for person in rng.sample(members, k=min(len(members), rng.choice([5, 6, 7]))):
        values = {key: rng.choice([2, 3, 4, 4, 5]) for key in PULSE_STATEMENTS}
        services.pulse_answer(session=session, user=person, values=values)


def link_thoughts_to_goals(people: DemoPeople) -> None:
    """Ties about every third top-level demo thought older than five weeks to the active team goal
    its author shares a personal goal under, so the direction view and the HR report show
    thoughts per goal, the demo's quiet goals stay quiet, and each person posts under the
    themes of their own goals (teams/demo.py, THEME_REGIONS). Same result on every run."""
    before = timezone.now() - timedelta(days=35)
    for team in people.teams:
        goal_of: dict[int, int] = {}
        shared = (
            PersonalGoal.objects.filter(
                team_goal__team=team, team_goal__status=TeamGoal.Status.ACTIVE
            )
            .exclude(visibility=PersonalGoal.Visibility.PRIVATE)
            .order_by("pk")
        )
        for owner_id, team_goal_id in shared.values_list("owner_id", "team_goal_id"):
            goal_of.setdefault(owner_id, team_goal_id)
        thoughts = team.thoughts.filter(
            parent__isnull=True, author__isnull=False, created_at__lt=before
        ).order_by("pk")
        for thought in thoughts:
            goal = goal_of.get(thought.author_id)
            # By the thought's own key: a later run (with more thoughts) picks the same ones.
            if thought.pk % 3 == 0 and goal and thought.team_goal_id is None:
                thought.team_goal_id = goal
                thought.save(update_fields=["team_goal"])


# What everyday goal holders write on their goal when they check in (Finnish, as written).
GOAL_POSTS = [
    "Kirjasin viikon oppimisen: kokeilin yhtä uutta asiaa ja kerroin siitä tiimille.",
    "Pyysin palautetta kollegalta. Sain yhden hyvän vinkin, jota kokeilen seuraavaksi.",
    "Jaoin tiimille kokeilun, joka ei vielä toiminut. Keskustelusta oli apua.",
]


def seed_goal_posts(people: DemoPeople) -> None:
    """A short thought on the team goal with each check-in of the everyday goals (teams/demo.py):
    every month HR's report has the same people posting under each theme as learning under
    it, so no theme's figure is hidden for too few people. Once per goal."""
    language = people.language
    titles = [say(title, language) for title, _reason in EVERYDAY_GOALS]
    goals = (
        PersonalGoal.objects.filter(
            owner__organization=people.organization,
            title__in=titles,
            team_goal__isnull=False,
        )
        .select_related("team_goal")
        .prefetch_related("checkins")
        .order_by("pk")
    )
    now = timezone.now()
    zone = zoneinfo.ZoneInfo(people.organization.time_zone)
    posted = set(
        Thought.objects.filter(
            team__organization=people.organization, body__in=[say(t, language) for t in GOAL_POSTS]
        ).values_list("author_id", "team_goal_id")
    )
    new = []
    for goal in goals:
        if (goal.owner_id, goal.team_goal_id) in posted:
            continue
        for index, checkin in enumerate(sorted(goal.checkins.all(), key=lambda c: c.day)):
            when = datetime.combine(checkin.day, time(15, 0), zone)
            new.append(
                Thought(
                    team_id=goal.team_goal.team_id,
                    author_id=goal.owner_id,
                    team_goal_id=goal.team_goal_id,
                    kind=Thought.Kind.TRIED,
                    body=say(GOAL_POSTS[index % len(GOAL_POSTS)], language),
                    created_at=min(when, now),
                )
            )
    Thought.objects.bulk_create(new)
    for team_id in {thought.team_id for thought in new}:
        fragments.changed(fragments.thoughts(team_id), fragments.goal_thoughts(team_id))
