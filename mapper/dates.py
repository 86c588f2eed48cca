"""Reading date values: the one place that turns a written date into a :class:`datetime.date`.

Three readers, one per job, each built on the one before:

- :func:`parse_date`: a date in an incident record. ``YYYY-MM-DD`` (a day), ``YYYY-MM`` (a
  month), ``YYYY`` (a year), an ISO date and time as GIS tools write it, or a date object;
  returns the date and the precision its form implies.
- :func:`parse_timestamp`: an ISO 8601 date and time (``reviewed_at``).
- :func:`parse_day`: one full day a person types (``mapper add --date``, the review prompt).
- :func:`parse_human_date`: a publication date from article metadata or ``--published``: any
  of the above, else a date written the human way ("12 March 2024", "yesterday"), read by
  dateparser.

Each raises :class:`ValueError` with a message that quotes the value and says how to write it;
the caller adds where it came from (file, line, field or option). Date *expressions* inside
article text ("on Tuesday", "in March") are a different job: :mod:`mapper.extract.dates`.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

from mapper.guards import kind, short

_DATE_RE = re.compile(
    r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T ][0-9:.]+(?:Z|[+-][0-9:]+)?)?$")

FIX = "write YYYY-MM-DD (e.g. 2024-03-12)"
"""How to write a date, the end of every message here."""


def parse_date(value: Any) -> tuple[dt.date, str | None]:
    """A date from YYYY-MM-DD (day), YYYY-MM (month) or YYYY (year); raises a clear ValueError.

    Returns
    -------
    tuple
        The date (the first day of a month or year) and the precision its form implies:
        None for a full date, ``"month"`` or ``"year"``.

    >>> parse_date("2024-03")
    (datetime.date(2024, 3, 1), 'month')
    >>> parse_date("2024-02-30")
    Traceback (most recent call last):
    ValueError: 2024-02-30 is not a real date (day is out of range for month); check day and month
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
        raise ValueError(f"{short(text)} is not a date; {FIX}")
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    try:
        if day is not None:
            return dt.date(year, int(month), int(day)), None
        if month is not None:
            return dt.date(year, int(month), 1), "month"
        return dt.date(year, 1, 1), "year"
    except ValueError as exc:
        raise ValueError(f"{text} is not a real date ({exc}); check day and month") from None


def parse_timestamp(value: Any) -> dt.datetime:
    """An ISO 8601 date and time (``2024-03-16T14:05:00+00:00``); raises a clear ValueError.

    >>> parse_timestamp("2024-03-16T14:05:00+00:00").hour
    14
    """
    if isinstance(value, dt.datetime):
        return value
    try:
        return dt.datetime.fromisoformat(str(value).strip())
    except ValueError:
        raise ValueError(f"{short(str(value))} is not a date and time; write it as "
                         "YYYY-MM-DDTHH:MM:SS+00:00") from None


def parse_day(text: str) -> dt.date:
    """One full day typed as ``YYYY-MM-DD``; a month, a year or a typo is a clear ValueError.

    >>> parse_day(" 2024-03-14 ")
    datetime.date(2024, 3, 14)
    >>> parse_day("2024-03")
    Traceback (most recent call last):
    ValueError: '2024-03' is a month, not a day; write YYYY-MM-DD (e.g. 2024-03-12)
    """
    day, precision = parse_date(text.strip())
    if precision is not None:
        raise ValueError(f"{short(text.strip())} is a {precision}, not a day; {FIX}")
    return day


def parse_human_date(value: Any) -> dt.date | None:
    """A publication date: a date value, ISO text (with or without time) or a human date.

    None or empty text is None. ISO forms are read by :func:`parse_date` (an approximate one is
    its first day; an impossible day or month is an error, never guessed); anything else by
    dateparser ("12 March 2024", "Mar 12, 2024", "yesterday" from today).

    >>> parse_human_date("2024-03-12T09:30:00+02:00")
    datetime.date(2024, 3, 12)
    >>> parse_human_date("12 March 2024")
    datetime.date(2024, 3, 12)
    """
    if value is None or value == "":
        return None
    try:
        return parse_date(value)[0]
    except ValueError:
        if not isinstance(value, str) or _DATE_RE.match(value.strip()):
            raise  # an ISO form with an impossible day, or not text at all
    import dateparser  # slow to import: only for dates written the human way

    text = value.strip()
    parsed = dateparser.parse(text, settings={"PREFER_DAY_OF_MONTH": "first",
                                              "RETURN_AS_TIMEZONE_AWARE": False})
    if parsed is None:
        raise ValueError(f"{short(text)} is not a date; {FIX}")
    return parsed.date()
