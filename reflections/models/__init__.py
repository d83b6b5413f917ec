"""Models of the reflections app: when (rhythm.py), thoughts (thoughts.py), questions
(questions.py), the safety pulse (pulse.py), the team agreement and what goes up to HR
(bridge.py). Import them from here: ``from reflections.models import Thought``."""

from reflections.models.agreement import TeamAgreement
from reflections.models.bridge import ForwardedItem
from reflections.models.live import (
    LiveCard,
    LiveGroup,
    LiveSafetyAnswered,
    LiveSafetyValue,
    LiveSession,
    LiveVote,
)
from reflections.models.pulse import PulseAnswered, PulseRelease, PulseValue
from reflections.models.questions import Answer, Question, Report, Vote
from reflections.models.rhythm import (
    Attendance,
    CalendarFeed,
    Prompt,
    PromptTemplate,
    Rhythm,
    Session,
)
from reflections.models.thoughts import Thought

__all__ = [
    "TeamAgreement",
    "Answer",
    "Attendance",
    "CalendarFeed",
    "ForwardedItem",
    "LiveCard",
    "LiveGroup",
    "LiveSafetyAnswered",
    "LiveSafetyValue",
    "LiveSession",
    "LiveVote",
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
