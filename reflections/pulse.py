"""Built-in safety pulse statements. Stored by key, so each person reads them in their own
language; answered on a scale of 1 (not at all true) to 5 (completely true)."""

from django.utils.translation import gettext_lazy as _

PULSE_STATEMENTS = {
    "dont_know": _("In this team I can say “I don't know yet”."),
    "mistakes": _("In this team a mistake is treated as part of learning."),
    "ask": _("In this team I can ask a question without feeling foolish."),
    "safe_today": _("Today it was safe to speak openly in this session."),
}
PULSE_SCALE = [
    (1, _("1 – not true at all")),
    (2, "2"),
    (3, "3"),
    (4, "4"),
    (5, _("5 – completely true")),
]


def pulse_threshold(session) -> int:
    """How many answers make a group whose results may be shown (and each further release)."""
    return max(5, session.team.organization.min_group_size)
