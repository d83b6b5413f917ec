"""When and what was learned: rhythms, sessions, thoughts and questions (arriving with the
Rhythm and Place issues)."""
