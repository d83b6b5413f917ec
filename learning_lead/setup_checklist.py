"""The set-up checklist on a new organisation's admin home: each item ticks itself from the
organisation's own data (one query), and the list goes away once every item is done."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from privacy.models import AuditEvent
from teams.models import Invitation, Membership, Organization, OrgRole, StrategyTheme, Team


@dataclass(frozen=True)
class Item:
    label: Promise
    hint: Promise
    url: str
    done: bool


def _has(queryset) -> Exists:
    return Exists(queryset.filter(organization_id=OuterRef("pk")))


def checklist(organization_id: int) -> list[Item]:
    """The items, in the order a new admin meets them."""
    pending = Invitation.objects.filter(accepted_at__isnull=True)
    facts = (
        Organization.objects.filter(pk=organization_id)
        .annotate(
            has_teams=_has(Team.objects.all()),
            has_supervisors=Exists(
                Membership.objects.filter(
                    team__organization_id=OuterRef("pk"), role=Membership.Role.SUPERVISOR
                )
            )
            | _has(pending.filter(role=Membership.Role.SUPERVISOR, team__isnull=False)),
            has_hr=_has(OrgRole.objects.filter(role=OrgRole.Role.HR))
            | _has(pending.filter(org_role=OrgRole.Role.HR)),
            has_themes=_has(StrategyTheme.objects.all()),
            has_privacy_set=_has(
                AuditEvent.objects.filter(action=AuditEvent.Action.RETENTION_CHANGE)
            ),
            has_privacy_seen=Q(privacy_page_seen_at__isnull=False),
        )
        .values(
            "has_teams",
            "has_supervisors",
            "has_hr",
            "has_themes",
            "has_privacy_set",
            "has_privacy_seen",
        )
        .get()
    )
    return [
        Item(
            _("Create your teams"),
            _("One team for each supervisor's group of people."),
            reverse("teams:create"),
            facts["has_teams"],
        ),
        Item(
            _("Invite the supervisors"),
            _("Supervisors plan their team's reflection rhythm and invite their people."),
            reverse("teams:invitations"),
            facts["has_supervisors"],
        ),
        Item(
            _("Invite HR"),
            _("HR and learning partners see the organisation's learning report."),
            reverse("teams:invitations"),
            facts["has_hr"],
        ),
        Item(
            _("Add strategy themes"),
            _("The directions your organisation learns towards; teams link their goals to them."),
            reverse("teams:themes"),
            facts["has_themes"],
        ),
        Item(
            _("Set retention and the minimum group size"),
            _("How long content is kept, and how few people a report figure may rest on."),
            reverse("privacy:settings"),
            facts["has_privacy_set"],
        ),
        Item(
            _("Read the privacy page"),
            _("What your people are told about what is kept and who sees what."),
            reverse("privacy:page"),
            facts["has_privacy_seen"],
        ),
    ]


def open_checklist(organization_id: int | None) -> list[Item] | None:
    """The checklist while something is left to do; None once all is done."""
    if organization_id is None:
        return None
    items = checklist(organization_id)
    return None if all(item.done for item in items) else items
