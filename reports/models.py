"""Monthly rollups the HR report reads instead of the raw rows (reports/rollups/ keeps them).

Months are calendar months in the organisation's time zone. Two kinds of tables:

- counts per team and month (`TeamMonth`, `TeamThemeMonth`): they add up over teams and
  months. `removed_*` columns hold what account deletions took away, so a recomputation
  (rows still there + removed) gives the same figure as before the deletion.
- marks per team, month and person (`PersonMonth`, `PersonThemeMonth`): one row says a person
  took part, posted, answered the pulse or checked in that month. Distinct people do not add
  up over teams or months, so the report counts them over these rows. When an account is
  deleted its rows lose the link to the person: `user` is cleared and `former` gets a random
  negative number shared by that person's rows only, so every distinct count stays exactly as
  it was and nothing points back to anyone.

`OrgMonth` and `OrgThemeMonth` hold the distinct people of the whole organisation per month,
counted over the marks when the month is computed: the report of the whole organisation reads
them instead of counting over every mark.

`RollupMonth` says when a month of an organisation was last computed and whether it is
sealed. A month is sealed when it is published (a few days after it ends) or when retention
reaches it: it is computed one last time, the publication rule (reports/publication.py)
decides once which of its figures HR may see, with the minimum group size of that moment,
and nothing about it changes again. The `shown_*` flags hold those decisions; the report
reads only sealed months, so every figure it shows is fixed and the same in every request.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class RollupMonth(models.Model):
    organization = models.ForeignKey(
        "teams.Organization", on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField()  # the first day of the month
    computed_at = models.DateTimeField()
    sealed = models.BooleanField(default=False)
    # Set when the month is sealed: the minimum group size its figures were decided with.
    min_group_size = models.PositiveSmallIntegerField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "month"], name="rollup_month_unique")
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} computed {self.computed_at:%Y-%m-%d %H:%M}"


class OrgMonth(models.Model):
    organization = models.ForeignKey(
        "teams.Organization", on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField()
    attendees = models.PositiveIntegerField(default=0)
    learners = models.PositiveIntegerField(default=0)
    authors = models.PositiveIntegerField(default=0)
    pulsers = models.PositiveIntegerField(default=0)
    # The month's team figures added up over the whole organisation (a fixed pool).
    held = models.PositiveIntegerField(default=0)
    attendances = models.PositiveIntegerField(default=0)
    seats = models.PositiveIntegerField(default=0)  # held sessions times the team's members
    thoughts = models.PositiveIntegerField(default=0)
    questions = models.PositiveIntegerField(default=0)
    answered = models.PositiveIntegerField(default=0)
    pulse_sum = models.PositiveIntegerField(default=0)
    pulse_count = models.PositiveIntegerField(default=0)
    shown_attendance = models.BooleanField(default=False)
    shown_thoughts = models.BooleanField(default=False)
    shown_questions = models.BooleanField(default=False)
    shown_pulse = models.BooleanField(default=False)
    shown_learners = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "month"], name="org_month_unique")
        ]


class OrgThemeMonth(models.Model):
    organization = models.ForeignKey(
        "teams.Organization", on_delete=models.CASCADE, related_name="+"
    )
    theme = models.ForeignKey("teams.StrategyTheme", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    authors = models.PositiveIntegerField(default=0)
    thoughts = models.PositiveIntegerField(default=0)
    learners = models.PositiveIntegerField(default=0)
    goal_people = models.PositiveIntegerField(default=0)  # with a shared goal at computation
    shared_goals = models.PositiveIntegerField(default=0)
    shown_authors = models.BooleanField(default=False)
    shown_learners = models.BooleanField(default=False)
    shown_goals = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "theme", "month"], name="org_theme_month_unique"
            )
        ]


class TeamMonth(models.Model):
    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    planned = models.PositiveIntegerField(default=0)  # sessions of any status
    held = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    attendances = models.PositiveIntegerField(default=0)  # at held sessions
    thoughts = models.PositiveIntegerField(default=0)
    questions = models.PositiveIntegerField(default=0)
    answered = models.PositiveIntegerField(default=0)
    pulse_sum = models.PositiveIntegerField(default=0)
    pulse_count = models.PositiveIntegerField(default=0)
    members = models.PositiveIntegerField(default=0)  # the team's size when computed
    removed_attendances = models.PositiveIntegerField(default=0)
    removed_thoughts = models.PositiveIntegerField(default=0)
    removed_questions = models.PositiveIntegerField(default=0)
    removed_answered = models.PositiveIntegerField(default=0)
    # What the publication rule decided when the month was sealed.
    shown_attendance = models.BooleanField(default=False)
    shown_thoughts = models.BooleanField(default=False)
    shown_questions = models.BooleanField(default=False)
    shown_pulse = models.BooleanField(default=False)

    REMOVABLE = ("attendances", "thoughts", "questions", "answered")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["team", "month"], name="team_month_unique")]
        indexes = [models.Index(fields=["month", "team"], name="team_month_by_month")]


class TeamThemeMonth(models.Model):
    """Thoughts linked (through a team goal) to a strategy theme."""

    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="+")
    theme = models.ForeignKey("teams.StrategyTheme", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    thoughts = models.PositiveIntegerField(default=0)
    removed_thoughts = models.PositiveIntegerField(default=0)
    # Shared (not private) personal goals under the team's goals with this theme, when computed.
    shared_goals = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["team", "theme", "month"], name="team_theme_month_unique"
            )
        ]


class PersonMark(models.Model):
    # While the person's account exists; cleared (and `former` set) when it is deleted.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, related_name="+"
    )
    former = models.BigIntegerField(null=True)

    class Meta:
        abstract = True


class PersonMonth(PersonMark):
    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    attended = models.BooleanField(default=False)  # a held session of the team
    posted = models.BooleanField(default=False)  # a thought in the team
    pulsed = models.BooleanField(default=False)  # answered the pulse of a session of the team
    learned = models.BooleanField(default=False)  # checked in on a shared goal, as a member

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["team", "month", "user"],
                condition=Q(user__isnull=False),
                name="person_month_unique",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | Q(former__isnull=False),
                name="person_month_someone",
            ),
        ]
        indexes = [
            models.Index(fields=["team", "month"], name="person_month_by_team"),
            # Exact counts of the few who posted or answered the pulse (selectors.at_least).
            models.Index(fields=["month"], condition=Q(posted=True), name="person_month_posted"),
            models.Index(fields=["month"], condition=Q(pulsed=True), name="person_month_pulsed"),
        ]


class PersonThemeMonth(PersonMark):
    """Per strategy theme: posted a thought linked to it, checked in on a shared goal under
    it, had a shared goal under it when the month was computed."""

    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="+")
    theme = models.ForeignKey("teams.StrategyTheme", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    posted = models.BooleanField(default=False)
    learned = models.BooleanField(default=False)
    has_goal = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["team", "theme", "month", "user"],
                condition=Q(user__isnull=False),
                name="person_theme_month_unique",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | Q(former__isnull=False),
                name="person_theme_month_someone",
            ),
        ]
        indexes = [
            models.Index(fields=["team", "month"], name="person_theme_month_by_team"),
            # Learners per theme are few beside authors; the report counts them on their own.
            models.Index(
                fields=["month", "theme"], condition=Q(learned=True), name="person_theme_learned"
            ),
        ]
