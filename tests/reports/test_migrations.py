"""The counts retention wrote into privacy.MonthlyActivity move into the report rollups."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("privacy", "0001_initial"), ("reports", "0001_monthly_rollups")]
AFTER = [("privacy", "0002_monthly_activity_moved_to_report_rollups")]


@pytest.mark.django_db(transaction=True)
def test_monthly_activity_becomes_removed_counts_of_the_team_months():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    org = old.get_model("teams", "Organization").objects.create(name="Old", slug="old")
    team = old.get_model("teams", "Team").objects.create(organization=org, name="T")
    old.get_model("privacy", "MonthlyActivity").objects.create(
        team=team, month=date(2024, 3, 1), thoughts=7, questions=2, checkins=4
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    row = new.get_model("reports", "TeamMonth").objects.get(team_id=team.pk)

    assert row.month == date(2024, 3, 1)
    assert (row.removed_thoughts, row.removed_questions, row.removed_checkins) == (7, 2, 4)

    # Back to the latest schema: the tests that run after this one (transactional ones run
    # last) need every later migration.
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
