"""CSV writing that spreadsheets cannot run: every CSV the project writes goes through here.

A cell that starts with =, +, -, @, a tab or a carriage return is read as a formula by Excel,
LibreOffice and Google Sheets, so a team named "=HYPERLINK(...)" would become a live link or
worse in HR's spreadsheet. OWASP's rule: such a cell gets a leading single quote, which the
spreadsheet shows as text. Plain numbers ("-3", "+1.5") are left as they are: they cannot be
formulas, and quoting them would turn figures into text.
"""

import csv
import re
from collections.abc import Iterable
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?%?")


def neutralise(value: Any) -> Any:
    """The cell as a spreadsheet should read it: text that looks like a formula is quoted."""
    if not isinstance(value, str) or not value.startswith(FORMULA_START):
        return value
    if _PLAIN_NUMBER.fullmatch(value):
        return value
    return "'" + value


class _SafeWriter:
    def __init__(self, target, **options):
        self._writer = csv.writer(target, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([neutralise(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(target, **options) -> _SafeWriter:
    """Like csv.writer, with every cell neutralised."""
    return _SafeWriter(target, **options)
