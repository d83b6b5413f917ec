"""User text without control characters: the form mixin every form that takes free text uses.

What is removed, before the form's fields are cleaned (so length limits count what is kept and
a re-shown form shows what would be stored):

- Line breaks become LF: CR LF (what browsers send from a textarea) and a lone CR.
- Removed silently: the other C0 controls (U+0000 to U+001F except tab and LF), DEL (U+007F),
  the C1 controls (U+0080 to U+009F) and the Unicode noncharacters (U+FDD0 to U+FDEF and the
  last two code points of every plane).

Why strip rather than refuse: these characters are invisible. They arrive by pasting (from
word processors, PDFs, terminals), and someone told "remove the control characters" cannot
find them; nothing they would mean survives on a web page. Why at all: the page fragment cache
marks the per-person parts of a cached page with control characters (learning_lead/fragments.py),
so text that could hold them could forge a marker; NUL is refused by PostgreSQL.

Passwords are left exactly as typed: they are hashed and never shown, and changing them would
lock people out. Every other CharField of the form (and its subclasses: e-mail, URL, username)
is cleaned. tests/test_text.py fails for a project form with text fields that lacks the mixin.
"""

import re
from collections.abc import Iterable

from django import forms

_LINE_BREAK = re.compile(r"\r\n?")
_UNWANTED = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ufdd0-\ufdef"
    + "".join(f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}" for plane in range(17))
    + "]"
)


def clean_text(value: str) -> str:
    """The text with line breaks as LF and the other control characters removed."""
    return _UNWANTED.sub("", _LINE_BREAK.sub("\n", value))


def text_field_names(form: forms.BaseForm) -> list[str]:
    """The names, as submitted, of the form's text fields (every CharField but passwords)."""
    return [
        form.add_prefix(name)
        for name, field in form.fields.items()
        if isinstance(field, forms.CharField) and not isinstance(field.widget, forms.PasswordInput)
    ]


def _cleaned(data, names: Iterable[str]):
    def each(values):
        return [clean_text(value) if isinstance(value, str) else value for value in values]

    if hasattr(data, "setlist"):  # QueryDict, MultiValueDict
        data = data.copy()
        for name in names:
            if name in data:
                data.setlist(name, each(data.getlist(name)))
        return data
    data = dict(data)
    for name in names:
        value = data.get(name)
        if isinstance(value, str):
            data[name] = clean_text(value)
        elif isinstance(value, list | tuple):
            data[name] = each(value)
    return data


class CleanTextMixin:
    """Put first in a form's bases: its text fields' submitted values lose control characters
    before the fields are cleaned."""

    def full_clean(self) -> None:
        if self.is_bound:
            self.data = _cleaned(self.data, text_field_names(self))
        super().full_clean()
