"""One parser for every id or number read from a URL or a form.

Python's `int()` and `str.isdigit()` accept far more than a person types into an address:
superscript, Arabic-Indic and full-width digits, signs, spaces, and numbers too large for a
PostgreSQL integer column (which then fails the query with a 500). Everything read from a
request goes through `parse_id`, and `<int:...>` in routes uses `IdConverter`, same rule.
"""

from __future__ import annotations

import re
from typing import Any

from werkzeug.routing import IntegerConverter, Map

# The largest value of a PostgreSQL `integer` column: ids and numbers beyond it cannot exist.
MAX_ID = 2**31 - 1
_DIGITS = "[0-9]{1,10}"
_ASCII_NUMBER = re.compile(_DIGITS)


def parse_id(text: object) -> int | None:
    """A whole number from 0 to MAX_ID written in ASCII digits only; None for anything else."""
    if type(text) is int:  # a form field filled by the app itself, not by a request
        return text if 0 <= text <= MAX_ID else None
    if not isinstance(text, str) or _ASCII_NUMBER.fullmatch(text) is None:
        return None
    value = int(text)
    return value if value <= MAX_ID else None


def coerce_id(value: object) -> int:
    """WTForms `coerce` for choices that are ids: a ValueError (a field error) unless parse_id."""
    number = parse_id(value)
    if number is None:
        raise ValueError(f"{value!r} is not an id")
    return number


class IdConverter(IntegerConverter):
    """`<int:...>` in URLs: ASCII digits up to MAX_ID, so any other value is a 404, not a 500."""

    regex = _DIGITS

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)
