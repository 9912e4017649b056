"""Numbers taken from URLs and forms: anything else is simply not there."""


def int_param(value: str | None) -> int | None:
    """An id or a year from a query string; «abc», «²» or «-1» are no number.

    `str.isdigit()` admits «²», which `int()` refuses; ASCII digits only.
    """
    if value and value.isascii() and value.isdecimal() and len(value) <= 18:
        return int(value)
    return None
