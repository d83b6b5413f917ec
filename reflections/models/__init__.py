"""Models of the reflections app: when (rhythm.py) and the place and atmosphere (place.py)."""

from reflections.models.agreement import TeamAgreement
from reflections.models.bridge import ForwardedItem
from reflections.models.place import (
    Answer,
    PulseAnswered,
    PulseRelease,
    PulseValue,
    Question,
    Report,
    Thought,
    Vote,
)
from reflections.models.rhythm import (
    Attendance,
    CalendarFeed,
    Prompt,
    PromptTemplate,
    Rhythm,
    Session,
)

__all__ = [
    "TeamAgreement",
    "Answer",
    "Attendance",
    "CalendarFeed",
    "ForwardedItem",
    "Prompt",
    "PromptTemplate",
    "PulseAnswered",
    "PulseRelease",
    "PulseValue",
    "Question",
    "Report",
    "Rhythm",
    "Session",
    "Thought",
    "Vote",
]
