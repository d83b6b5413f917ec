"""Shared team calendar links, which had no owner, stop working when feeds become per person."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("reflections", "0007_question_forwarding")]
AFTER = [("reflections", "0008_per_person_team_feeds")]


@pytest.mark.django_db(transaction=True)
def test_shared_team_links_are_dropped_and_personal_ones_kept():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    org = old.get_model("teams", "Organization").objects.create(name="Old", slug="old")
    team = old.get_model("teams", "Team").objects.create(organization=org, name="T")
    person = old.get_model("teams", "User").objects.create(username="p", organization=org)
    feeds = old.get_model("reflections", "CalendarFeed")
    feeds.objects.create(team=team, token="shared")
    feeds.objects.create(user=person, token="personal")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    kept = new.get_model("reflections", "CalendarFeed").objects.all()
    assert [(feed.token, feed.user_id, feed.team_id) for feed in kept] == [
        ("personal", person.pk, None)
    ]

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
