"""Moves privacy.MonthlyActivity (counts of rows retention had already removed) into the
removed_* columns of the team rollups, which now hold them; privacy 0002 drops the table."""

from django.db import migrations


def forwards(apps, schema_editor):
    MonthlyActivity = apps.get_model("privacy", "MonthlyActivity")
    TeamMonth = apps.get_model("reports", "TeamMonth")
    for row in MonthlyActivity.objects.iterator():
        TeamMonth.objects.update_or_create(
            team_id=row.team_id,
            month=row.month,
            defaults={
                "removed_thoughts": row.thoughts,
                "removed_questions": row.questions,
                "removed_checkins": row.checkins,
            },
        )


def backwards(apps, schema_editor):
    MonthlyActivity = apps.get_model("privacy", "MonthlyActivity")
    TeamMonth = apps.get_model("reports", "TeamMonth")
    for row in TeamMonth.objects.exclude(
        removed_thoughts=0, removed_questions=0, removed_checkins=0
    ).iterator():
        MonthlyActivity.objects.update_or_create(
            team_id=row.team_id,
            month=row.month,
            defaults={
                "thoughts": row.removed_thoughts,
                "questions": row.removed_questions,
                "checkins": row.removed_checkins,
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_monthly_rollups"),
        ("privacy", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
