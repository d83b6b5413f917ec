# Team calendar feeds become per person, so a feed stops working when its owner leaves the team.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def drop_shared_team_feeds(apps, schema_editor):
    """A shared team link has no owner whose membership could be checked: it stops working.
    Each member finds their own link for the team on the calendar page."""
    apps.get_model("reflections", "CalendarFeed").objects.filter(user__isnull=True).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('reflections', '0007_question_forwarding'),
        ('teams', '0002_direction'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='calendarfeed',
            name='calendar_feed_one_owner',
        ),
        migrations.RunPython(drop_shared_team_feeds, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='calendarfeed',
            name='user',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='calendar_feeds', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='calendarfeed',
            name='team',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='calendar_feeds', to='teams.team'),
        ),
        migrations.AddConstraint(
            model_name='calendarfeed',
            constraint=models.UniqueConstraint(condition=models.Q(('team__isnull', True)), fields=('user',), name='calendar_feed_one_personal'),
        ),
        migrations.AddConstraint(
            model_name='calendarfeed',
            constraint=models.UniqueConstraint(fields=('user', 'team'), name='calendar_feed_one_per_team'),
        ),
    ]
