"""HR reports: one page with the aggregates and charts, and the same aggregates as CSV."""

import io
import zoneinfo

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from learning_lead import csv_safe, fragments, params
from learning_lead.db_router import replica_reads
from privacy.audit import audit
from privacy.models import AuditEvent
from reports import charts, report, rollups, selectors
from reports.forms import ReportFilterForm
from reports.periods import period_for
from teams import access


def _asked_teams(request) -> set[int]:
    return {params.id_or_none(value) for value in request.GET.getlist("teams")} - {None}


class _Asked:
    """What a report request asks for, read before the cache: the filter, the period and the
    published months (sealing any that is due), and the key parts of its cached output."""

    def __init__(self, request):
        self.organization = organization = request.user.organization
        self.teams = selectors.organisation_teams(organization)
        today = timezone.localdate(timezone=zoneinfo.ZoneInfo(organization.time_zone))
        self.form = ReportFilterForm(request.GET or None, teams=self.teams, today=today)
        data = self.form.cleaned_data if self.form.is_valid() else {}
        self.team_ids = data.get("teams") or []
        last = rollups.last_published(organization)
        self.period = period_for(
            data.get("period") or "quarter", last, data.get("start"), data.get("end")
        )
        self.published = rollups.rollups_ensure(
            organization=organization, months=self.period.months
        )
        # Everything the output shows besides the sealed months' figures, which never change
        # once published (docs/caching.md, "HR's report"): the teams (names, sizes, goals:
        # their `team:` scopes), the organisation's settings and themes (`org:`), this month
        # (the filter's checks), the published months and when each was sealed.
        self.scopes = [fragments.org(organization.pk)] + [
            fragments.team(team.pk) for team in self.teams
        ]
        self.variant = (
            organization.pk,
            organization.min_group_size,
            organization.time_zone,
            today.replace(day=1),
            sorted(self.published.items()),
            [(team.pk, team.name, team.size) for team in self.teams],
            settings.REPORT_PUBLISH_AFTER_DAYS,
        )

    def build(self):
        return report.build(
            organization=self.organization,
            team_ids=self.team_ids,
            period=self.period,
            all_teams=self.teams,
            published=self.published,
        )


@login_required
@require_GET
@replica_reads()
def report_page(request):
    """Cached: every figure comes from sealed months, so no anonymous act can change it
    (docs/caching.md, "HR's report")."""
    access.require_report_reader(request.user, _asked_teams(request))
    asked = _Asked(request)

    def context() -> dict:
        result = asked.build()
        trends = next(t for t in result.tables if t.key == "trends")
        labels = [f"{month.month}/{month.year % 100:02d}" for month in result.months]
        monthly = trends.rows[:-1]
        points = [
            (label, None if row[2].hidden else row[2].value)
            for label, row in zip(labels, monthly, strict=True)
        ]
        held = [(label, row[1]) for label, row in zip(labels, monthly, strict=True)]
        return {
            "form": asked.form,
            "report": result,
            "participation_bars": charts.bars(points, maximum=100),
            "held_bars": charts.bars(held),
            "chart": charts,
            "csv_query": request.GET.urlencode(),
            "publish_after_days": settings.REPORT_PUBLISH_AFTER_DAYS,
        }

    body = fragments.render(
        request, "reports/report_body.html", context, scopes=asked.scopes, variant=asked.variant
    )
    return render(request, "reports/report.html", {"body": body})


@login_required
@require_GET
@replica_reads()
def report_csv(request):
    access.require_report_reader(request.user, _asked_teams(request))
    asked = _Asked(request)
    period = f"{asked.period.start.isoformat()}..{asked.period.end.isoformat()}"
    audit(request, AuditEvent.Action.REPORT_EXPORT, target=period)

    def build() -> str:
        result = asked.build()
        out = io.StringIO()
        writer = csv_safe.writer(out)
        writer.writerow(
            [_("Period"), result.period.start.isoformat(), result.period.end.isoformat()]
        )
        for table in result.tables:
            writer.writerow([])
            writer.writerow([table.title])
            writer.writerow(table.columns)
            for row in table.rows:
                writer.writerow([report.display(value) for value in row])
            for note in table.notes:
                writer.writerow([note])
        return out.getvalue()

    # Cached as the page is: every figure comes from sealed months (docs/caching.md).
    text = fragments.text(
        "reports/csv", build, scopes=asked.scopes, variant=(request.GET.urlencode(), asked.variant)
    )
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="learning-lead-report.csv"'
    return response
