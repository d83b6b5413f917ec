"""HR's report is a cached fragment (docs/caching.md, "HR's report"): every figure comes from
sealed months, so an anonymous act leaves the cache exactly as it was whoever reads the report
after it, and a newly sealed month shows at once."""

from datetime import UTC, datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import formats, timezone, translation

from reflections import services
from reports import report, rollups
from teams import services as teams
from tests.reports.test_report_views import held_session, org_teams, team_of  # noqa: F401
from tests.test_cache_anonymity import _act, _client, _snapshot, _unchanged


def _content(response) -> bytes:
    """The page's main content (the layout has a per-request nonce and CSRF token), or the
    CSV."""
    body = response.content
    return body.split(b"<main", 1)[1].split(b"</main>")[0] if b"<main" in body else body


@pytest.mark.usefixtures("org_teams")
@pytest.mark.parametrize("kind", ["question", "vote", "report", "pulse"])
def test_an_anonymous_act_changes_nothing_hr_reads_or_the_cache_holds(
    kind, hr, member, team_a, monkeypatch
):
    services.question_ask(team=team_a, body="Is it fine not to know yet?")
    session = held_session(team_a, [member], days_ago=1)
    reader = _client(hr)
    asker = _client(member)
    pages = [
        reverse("reports:report"),
        reverse("reports:report") + "?period=year",
        reverse("reports:csv"),
    ]
    shown = [_content(reader.get(url)) for url in pages]  # the cache filled
    assert _content(reader.get(pages[0])) == shown[0]
    before = _snapshot()
    _act(kind, asker, team_a, session)
    built = []
    monkeypatch.setattr(report, "build", lambda **kw: built.append(kw))
    assert [_content(reader.get(url)) for url in pages] == shown
    assert not built, "read from the cache, not built afresh"
    _unchanged(before, _snapshot())


def _at(monkeypatch, moment: datetime) -> None:
    monkeypatch.setattr(timezone, "now", lambda: moment)


def _freshness(page: str) -> str:
    return page.split('id="report-freshness">')[1].split("</p>")[0]


def test_a_month_sealed_after_the_report_was_cached_shows_at_once(hr, acme, monkeypatch):
    # The 2nd of this month: last month is not due yet (REPORT_PUBLISH_AFTER_DAYS = 2).
    start = timezone.localdate().replace(day=1)
    before_due = datetime.combine(start + timedelta(days=1), time(12), UTC)
    last_month = (start - timedelta(days=1)).replace(day=1)
    team, people = team_of(acme, "Big", 6)
    _at(monkeypatch, before_due)
    held_session(team, people, days_ago=12)  # in last month
    client = _client(hr)
    url = reverse("reports:report") + "?period=year"
    shown = _freshness(client.get(url).content.decode())
    with translation.override("en"):
        last_label = formats.date_format(last_month, "YEAR_MONTH_FORMAT")
    assert last_label not in shown

    after_due = before_due + timedelta(days=1)
    assert rollups.rollups_refresh_recent(now=after_due) >= 1  # beat seals it
    _at(monkeypatch, after_due)
    page = client.get(url).content.decode()
    assert last_label in _freshness(page)
    assert "Big" in page
    teams.team_update(team=team, name="Bigger", description="", time_zone=team.time_zone)
    assert "Bigger" in client.get(url).content.decode()
