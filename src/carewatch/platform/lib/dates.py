"""Dates and times typed into addresses and forms, kept inside a calendar the product
can compute with (plain Python, no Django).

`date.fromisoformat` accepts 0001-01-01 and 9999-12-31, but the day after the one, the
UTC time of midnight in India on the other, overflow: pages answered 500. Nobody books,
looks back or is born outside these years, so anything beyond is "not a date we know".
"""

from __future__ import annotations

import datetime as dt

FIRST = dt.date(1900, 1, 1)
LAST = dt.date(2199, 12, 31)


def parse_day(text: str) -> dt.date | None:
    """An ISO date within FIRST..LAST, else None."""
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        return None
    return day if FIRST <= day <= LAST else None


def parse_moment(text: str, tz: dt.tzinfo) -> dt.datetime | None:
    """An ISO date and time within FIRST..LAST; a time without a zone is in `tz`."""
    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    if not FIRST <= moment.date() <= LAST:
        return None
    return moment.replace(tzinfo=tz) if moment.tzinfo is None else moment


def within_calendar(day: dt.date) -> bool:
    return FIRST <= day <= LAST
