"""HR reports: one page with the aggregates and charts, and the same aggregates as CSV."""

import zoneinfo

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from learning_lead import csv_safe, params
from learning_lead.db_router import replica_reads
from privacy.audit import audit
from privacy.models import AuditEvent
from reports import charts, report, rollups, selectors
from reports.forms import ReportFilterForm
from reports.periods import period_for
from teams import access


def _asked_teams(request) -> set[int]:
    return {params.id_or_none(value) for value in request.GET.getlist("teams")} - {None}


def _report_for(request):
    """The report the filters ask for; the caller has checked access
    (access.require_report_reader)."""
    organization = request.user.organization
    teams = selectors.organisation_teams(organization)
    today = timezone.localdate(timezone=zoneinfo.ZoneInfo(organization.time_zone))
    form = ReportFilterForm(request.GET or None, teams=teams, today=today)
    data = form.cleaned_data if form.is_valid() else {"period": "quarter", "teams": []}
    last = rollups.last_published(organization)
    period = period_for(data["period"], last, data.get("start"), data.get("end"))
    result = report.build(
        organization=organization,
        team_ids=data.get("teams") or [],
        period=period,
        all_teams=teams,
    )
    return form, result


@login_required
@require_GET
@replica_reads()
def report_page(request):
    """Not cached: it reads the published monthly rollups (docs/caching.md)."""
    access.require_report_reader(request.user, _asked_teams(request))
    form, result = _report_for(request)
    trends = next(t for t in result.tables if t.key == "trends")
    labels = [f"{month.month}/{month.year % 100:02d}" for month in result.months]
    monthly = trends.rows[:-1]
    points = [
        (label, None if row[2].hidden else row[2].value)
        for label, row in zip(labels, monthly, strict=True)
    ]
    held = [(label, row[1]) for label, row in zip(labels, monthly, strict=True)]
    context = {
        "form": form,
        "report": result,
        "participation_bars": charts.bars(points, maximum=100),
        "held_bars": charts.bars(held),
        "chart": charts,
        "csv_query": request.GET.urlencode(),
        "publish_after_days": settings.REPORT_PUBLISH_AFTER_DAYS,
    }
    return render(request, "reports/report.html", context)


@login_required
@require_GET
@replica_reads()
def report_csv(request):
    access.require_report_reader(request.user, _asked_teams(request))
    _form, result = _report_for(request)
    period = f"{result.period.start.isoformat()}..{result.period.end.isoformat()}"
    audit(request, AuditEvent.Action.REPORT_EXPORT, target=period)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="learning-lead-report.csv"'
    writer = csv_safe.writer(response)
    writer.writerow([_("Period"), result.period.start.isoformat(), result.period.end.isoformat()])
    for table in result.tables:
        writer.writerow([])
        writer.writerow([table.title])
        writer.writerow(table.columns)
        for row in table.rows:
            writer.writerow([report.display(value) for value in row])
        for note in table.notes:
            writer.writerow([note])
    return response
