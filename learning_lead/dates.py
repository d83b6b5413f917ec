"""Dates drawn as the template's `date` filter draws them, for HTML built in Python.

`formats.date_format` looks the format up and splits it into its characters anew for each
date; a page of thoughts draws a few dozen dates in one language, so a `DateFormatter` is made
once a page and draws each date with its characters' methods only
(tests/test_dates.py compares it with `date_format` in each language)."""

from django.utils import dateformat, formats


class DateFormatter:
    """The current language's format `name` (SHORT_DATE_FORMAT, say), split once as
    `DateFormat.format` splits it. Give it local times, as the filter does (`localtime`)."""

    def __init__(self, name: str):
        split = dateformat.re_formatchars.split(str(formats.get_format(name)))
        self.pieces = [
            (True, piece) if index % 2 else (False, dateformat.re_escaped.sub(r"\1", piece))
            for index, piece in enumerate(split)
            if index % 2 or piece
        ]

    def __call__(self, value) -> str:
        drawn = dateformat.DateFormat(value)
        return "".join(
            str(getattr(drawn, piece)()) if code else piece for code, piece in self.pieces
        )
