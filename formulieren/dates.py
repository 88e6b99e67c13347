"""Today in the municipality's time zone, and date bounds written relative to it.

A bound is a `date`, an ISO date ("2024-01-01"), "vandaag"/"today", or an offset from today:
a sign, a number and a unit, `d` days, `w` weeks, `m` months, `y` years ("-18y", "+3m", "30d").
Month and year offsets keep the day of the month, moving 29 February/31st back to the last day of
a shorter month.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

TIMEZONE = ZoneInfo("Europe/Amsterdam")
_RELATIVE = re.compile(r"^([+-]?)([0-9]{1,4})([dwmy])$")


def today() -> date:
    """Today's date in Europe/Amsterdam."""
    return datetime.now(TIMEZONE).date()


def add_months(start: date, months: int) -> date:
    """`start` moved by whole months, clamped to the last day of the target month."""
    index = start.year * 12 + (start.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(start.day, last))


def is_date_bound(spec: object) -> bool:
    """Whether `spec` is something `resolve_bound` understands."""
    if isinstance(spec, date):
        return True
    if not isinstance(spec, str):
        return False
    try:
        resolve_bound(spec, date(2000, 1, 1))
    except ValueError:
        return False
    return True


def resolve_bound(spec: str | date, reference: date) -> date:
    """The date that `spec` stands for, with `reference` as today. Raises ValueError."""
    if isinstance(spec, date):
        return spec
    text = spec.strip().lower()
    if text in {"vandaag", "today"}:
        return reference
    match = _RELATIVE.match(text)
    if match:
        sign, amount, unit = match.groups()
        count = -int(amount) if sign == "-" else int(amount)
        if unit == "d":
            return reference + timedelta(days=count)
        if unit == "w":
            return reference + timedelta(weeks=count)
        return add_months(reference, count if unit == "m" else count * 12)
    return date.fromisoformat(text)
