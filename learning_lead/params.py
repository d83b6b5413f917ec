"""Reading ids from query strings and form posts that views handle by hand.

str.isdigit() also accepts digits such as "²" or "٣" that int() refuses or that name no row,
and a long run of digits overflows PostgreSQL's bigint; both used to end in a 500.
"""

BIGINT_DIGITS = 18  # every id of up to 18 digits fits a bigint


def id_or_none(value: str | None) -> int | None:
    """The positive id in the text, or None when it is not plain ASCII digits in range."""
    if value and value.isascii() and value.isdigit() and len(value) <= BIGINT_DIGITS:
        return int(value)
    return None
