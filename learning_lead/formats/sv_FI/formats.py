"""Swedish as written in Finland: Finnish numeric dates and times (25.10.2026, 14.30)."""

DATE_FORMAT = "j F Y"  # 25 oktober 2026
TIME_FORMAT = "G.i"  # 14.30
DATETIME_FORMAT = r"j F Y \k\l. G.i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "j.n.Y"  # 25.10.2026
SHORT_DATETIME_FORMAT = "j.n.Y G.i"
FIRST_DAY_OF_WEEK = 1  # Monday

DATE_INPUT_FORMATS = [
    "%d.%m.%Y",  # 25.10.2026
    "%d.%m.%y",  # 25.10.26
    "%Y-%m-%d",  # 2026-10-25, what date pickers send
]
DATETIME_INPUT_FORMATS = [
    "%d.%m.%Y %H.%M.%S",
    "%d.%m.%Y %H.%M",
    "%d.%m.%Y %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
]
TIME_INPUT_FORMATS = [
    "%H.%M.%S",
    "%H.%M",  # 14.30
    "%H:%M:%S",
    "%H:%M",  # what time pickers send
]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"  # non-breaking space
NUMBER_GROUPING = 3
