"""Models of the reflections app: when (rhythm.py) and, as they arrive, what was learned."""

from reflections.models.rhythm import (
    Attendance,
    CalendarFeed,
    Prompt,
    PromptTemplate,
    Rhythm,
    Session,
)

__all__ = ["Attendance", "CalendarFeed", "Prompt", "PromptTemplate", "Rhythm", "Session"]
