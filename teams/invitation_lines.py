"""Many invitations at once: pasted lines or a CSV file of address, name, team, role, read
into rows with an error per line. Nothing is sent while any line has an error.

A line is `address[, name[, team[, role]]]` (commas, semicolons or tabs, as spreadsheets
save them); a line of addresses only is read as that many invitations. The role is member,
supervisor or hr (in any letter case, or as the role's name in the page's language). A first
line that names the columns is skipped. Checks take a fixed number of queries however many
lines there are."""

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from teams.models import Invitation, Membership, OrgRole, Team, User

MAX_LINES = 500
HEADER_WORDS = {"email", "e-mail", "address", "sähköposti", "osoite", "mail"}


@dataclass
class Line:
    number: int
    email: str
    name: str = ""
    team_name: str = ""
    role_text: str = ""
    team: Team | None = None
    role: str = Membership.Role.MEMBER
    org_role: str = ""
    errors: list[str] = field(default_factory=list)


def _cells(text: str) -> list[list[str]]:
    sample = "\n".join(text.splitlines()[:20])
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), dialect)]


def parse(text: str) -> list[Line]:
    """The lines as typed, numbered as the person sees them; blank lines are skipped."""
    lines: list[Line] = []
    for number, cells in enumerate(_cells(text), start=1):
        if not any(cells):
            continue
        if number == 1 and cells[0].lower() in HEADER_WORDS:
            continue
        filled = [cell for cell in cells if cell]
        if len(filled) > 1 and all("@" in cell for cell in filled):
            lines += [Line(number=number, email=cell) for cell in filled]
            continue
        cells += [""] * (4 - len(cells))
        lines.append(
            Line(
                number=number,
                email=cells[0],
                name=cells[1],
                team_name=cells[2],
                role_text=cells[3],
                errors=[_("Too many columns.")] if any(cells[4:]) else [],
            )
        )
    return lines


def _roles(may_grant_hr: bool) -> dict[str, tuple[str, str]]:
    """Each accepted spelling of a role: (team role, organisation role)."""
    roles = {}
    for value, label in Membership.Role.choices:
        roles[value] = roles[str(label).lower()] = (value, "")
    if may_grant_hr:
        for spelling in ("hr", str(OrgRole.Role.HR.label).lower()):
            roles[spelling] = (Membership.Role.MEMBER, OrgRole.Role.HR)
    return roles


def _role_codes(may_grant_hr: bool) -> list[str]:
    return [value for value, _label in Membership.Role.choices] + (["hr"] if may_grant_hr else [])


def check(
    lines: list[Line], *, organization_id: int, teams, team_required: bool, may_grant_hr: bool
) -> list[Line]:
    """Fills in each line's team and role and its errors: a malformed address, a repeat, an
    address with an account (in this organisation or another: which is not said) or an open
    invitation, an unknown team or role."""
    if len(lines) > MAX_LINES:
        lines[MAX_LINES].errors.append(
            _("At most %(count)d invitations at a time.") % {"count": MAX_LINES}
        )
    addresses = {line.email.lower() for line in lines}
    # Python's lower-casing of the typed addresses, compared with the database's of the stored
    # ones: they agree for addresses as mail systems take them; the services check again.
    taken = set(
        User.objects.annotate(email_lower=Lower("email"))
        .filter(email_lower__in=addresses)
        .values_list("email_lower", flat=True)
    )
    invited = set(
        Invitation.objects.filter(organization_id=organization_id, accepted_at__isnull=True)
        .annotate(email_lower=Lower("email"))
        .filter(email_lower__in=addresses)
        .values_list("email_lower", flat=True)
    )
    by_name = {team.name.lower(): team for team in teams}
    roles = _roles(may_grant_hr)
    seen: dict[str, int] = {}
    for line in lines:
        address = line.email.lower()
        try:
            validate_email(line.email)
        except ValidationError:
            line.errors.append(_("“%(email)s” is not an e-mail address.") % {"email": line.email})
        else:
            if address in seen:
                line.errors.append(
                    _("The address is already on line %(line)d.") % {"line": seen[address]}
                )
            elif address in taken:
                line.errors.append(_("Someone already has an account with this address."))
            elif address in invited:
                line.errors.append(_("Already invited: resend the invitation from the list below."))
            seen.setdefault(address, line.number)
        if len(line.name) > 150:
            line.errors.append(_("The name is longer than 150 characters."))
        if line.team_name:
            line.team = by_name.get(line.team_name.lower())
            if line.team is None:
                line.errors.append(
                    _("No team “%(team)s” that you can invite to.") % {"team": line.team_name}
                )
        elif team_required:
            line.errors.append(_("Name one of your teams."))
        if line.role_text:
            found = roles.get(line.role_text.lower())
            if found is None:
                line.errors.append(
                    _("Unknown role “%(role)s”: use %(roles)s.")
                    % {"role": line.role_text, "roles": ", ".join(_role_codes(may_grant_hr))}
                )
            else:
                line.role, line.org_role = found
        if line.role == Membership.Role.SUPERVISOR and line.team is None and not line.errors:
            line.errors.append(_("A supervisor is invited to a team: name it."))
    return lines
