"""Demo organisation, teams and people for `seed_demo`. Idempotent: looks up by natural keys."""

from dataclasses import dataclass

from teams.models import Membership, Organization, OrgRole, Team, User

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


@dataclass
class DemoPeople:
    organization: Organization
    teams: list[Team]
    supervisor: User
    employee: User
    hr: User


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


def seed_people() -> DemoPeople:
    org, _ = Organization.objects.get_or_create(
        slug=DEMO_ORG_SLUG, defaults={"name": "Demo Oy", "time_zone": "Europe/Helsinki"}
    )
    supervisor = _person(org, "demo-supervisor", "Sanna", "Esihenkilö", "fi")
    employee = _person(org, "demo-employee", "Eetu", "Työntekijä", "fi")
    hr = _person(org, "demo-hr", "Hanna", "Henkilöstö", "fi")
    for role in (OrgRole.Role.HR, OrgRole.Role.ADMIN):
        OrgRole.objects.get_or_create(organization=org, user=hr, role=role)

    people = [_person(org, *row) for row in PEOPLE]
    teams = []
    for index, (name, description) in enumerate(TEAMS):
        team, _ = Team.objects.get_or_create(
            organization=org, name=name, defaults={"description": description}
        )
        teams.append(team)
        members = people[index * 6 : index * 6 + 6]
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
        organization=org, teams=teams, supervisor=supervisor, employee=employee, hr=hr
    )
