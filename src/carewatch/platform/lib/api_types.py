"""Field types for the JSON API's schemas (pydantic, no Django): what the database and
the rules can hold, refused with 422 and a sentence when it is not.

- Text: no NUL (PostgreSQL cannot store it: a 500 otherwise).
- LocalTime: a wall-clock time without a zone (a place's active hours are the family's
  local time; Django refuses aware times with a 500).
- Moment: a date and time inside the calendar we compute with (platform/lib/dates.py).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel

from carewatch.platform.lib.dates import within_calendar


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("text cannot contain the NUL character (\\x00)")
    return value


def _local(value: dt.time) -> dt.time:
    if value.tzinfo is not None:
        raise ValueError("give the time without a time zone, like 08:00 (the family's time)")
    return value


def _in_calendar(value: dt.datetime) -> dt.datetime:
    # Checked before converting: 0001-01-01T00:00+14:00 overflows on the way to UTC.
    if not within_calendar(value.date()):
        raise ValueError("give a date between 1900 and 2199")
    return value


Text = Annotated[str, AfterValidator(_no_nul)]
LocalTime = Annotated[dt.time, AfterValidator(_local)]
Moment = Annotated[dt.datetime, AfterValidator(_in_calendar)]


class ErrorOut(BaseModel):
    """Every error: a sentence, or for 422 the list of fields and what is wrong."""

    detail: str | list[dict[str, Any]]


def answers(ok: int, schema: Any, *, changes: bool = False) -> dict[int, Any]:
    """`response=` for an operation: its success and every error it can answer, so the
    OpenAPI schema documents them all (schemathesis checks that it does)."""
    errors = {400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
    if changes:
        errors[403] = ErrorOut  # a browser session without its CSRF token
    return {ok: schema, **errors}
