"""Values in incident records: dates as the checks read them, and how to name a bad value."""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

from mapper.incidents.files import short as _short

_DATE_RE = re.compile(
    r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T ][0-9:.]+(?:Z|[+-][0-9:]+)?)?$")


def parse_date(value: Any) -> tuple[dt.date, str | None]:
    """A date from YYYY-MM-DD (day), YYYY-MM (month) or YYYY (year); raises a clear ValueError.

    Returns the date and the precision the form implies (None for a full date).
    """
    if type(value) is str and len(value) == 10:
        try:
            return dt.date.fromisoformat(value), None
        except ValueError:
            pass  # the slow path below explains what is wrong
    if isinstance(value, bool) or not isinstance(value, (str, int, dt.date)):
        raise ValueError(f"expected a date as YYYY-MM-DD, found {kind(value)}")
    if isinstance(value, dt.datetime):
        return value.date(), None
    if isinstance(value, dt.date):
        return value, None
    text = str(value).strip()
    m = _DATE_RE.match(text)
    if not m:
        raise ValueError(f"{_short(text)} is not a date; write YYYY-MM-DD (e.g. 2024-03-12)")
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    try:
        if day is not None:
            return dt.date(year, int(month), int(day)), None
        if month is not None:
            return dt.date(year, int(month), 1), "month"
        return dt.date(year, 1, 1), "year"
    except ValueError as exc:
        raise ValueError(f"{text} is not a real date ({exc}); check day and month") from None


def is_number(value: Any) -> bool:
    """Whether ``value`` is an int or float (not a bool)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def kind(value: Any) -> str:
    """``value`` named for a message: "a mapping", "the text '...'", "the number 3", ..."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"the text {_short(value)}"
    if value is None:
        return "nothing"
    return f"the number {_short(value)}" if is_number(value) else type(value).__name__
