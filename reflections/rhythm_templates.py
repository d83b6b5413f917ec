"""Ready rhythms a supervisor starts from: a click fills the plan, a second click plans it."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from reflections.models import Rhythm


@dataclass(frozen=True)
class RhythmTemplate:
    key: str
    title: Promise
    description: Promise
    frequency: str
    duration_minutes: int


TEMPLATES = {
    template.key: template
    for template in (
        RhythmTemplate(
            "weekly",
            _("Weekly reflection"),
            _("Every week, 30 minutes: a short, steady habit."),
            Rhythm.Frequency.WEEKLY,
            30,
        ),
        RhythmTemplate(
            "biweekly",
            _("Fortnightly reflection"),
            _("Every two weeks, 45 minutes: room for a question or two."),
            Rhythm.Frequency.BIWEEKLY,
            45,
        ),
        RhythmTemplate(
            "monthly",
            _("Monthly reflection"),
            _("Once a month, 60 minutes: a deeper look back."),
            Rhythm.Frequency.MONTHLY,
            60,
        ),
    )
}


def initial_for(key: str | None) -> dict:
    """The plan's fields a template sets; nothing for an unknown key."""
    template = TEMPLATES.get(key or "")
    if template is None:
        return {}
    return {
        "title": str(template.title),
        "frequency": template.frequency,
        "duration_minutes": template.duration_minutes,
    }
