"""Date and number formats where Django's own locale formats do not fit Finland: Swedish as
written in Finland (Django's `sv` is Sweden's, whose date fields reject 25.10.2026) and
British English (Django's `en` is American: 12/06/2026, month first)."""
