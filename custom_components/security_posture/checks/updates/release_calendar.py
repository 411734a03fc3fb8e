"""Home Assistant's calendar versions and monthly releases.

Versions are `YEAR.MONTH.PATCH`, with optional beta/dev suffixes; each month's release comes
out on the first Wednesday of the month.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
import re
from typing import Final

_CALENDAR_VERSION: Final = re.compile(r"^(?P<year>\d{4})\.(?P<month>\d{1,2})(?:\.|$)")
_WEDNESDAY: Final = 2
MONTHS_IN_YEAR: Final = 12
MONTH_NAMES: Final = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def calendar_month(version: str | None) -> tuple[int, int] | None:
    """Return (year, month) of a Home Assistant calendar version, or None."""
    if version is None or (match := _CALENDAR_VERSION.match(version.strip())) is None:
        return None
    year, month = int(match["year"]), int(match["month"])
    if not 1 <= month <= MONTHS_IN_YEAR:
        return None
    return year, month


def release_date(year: int, month: int) -> datetime:
    """Home Assistant's monthly release day: the first Wednesday of the month (UTC)."""
    first = datetime(year, month, 1, tzinfo=UTC)
    return first + timedelta(days=(_WEDNESDAY - first.weekday()) % 7)


def add_months(moment: datetime, months: int) -> datetime:
    """`moment` plus whole months; the release day (at most the 7th) exists in every month."""
    total = moment.month - 1 + months
    return moment.replace(
        year=moment.year + total // MONTHS_IN_YEAR, month=total % MONTHS_IN_YEAR + 1
    )


def months_between(start: datetime, end: datetime) -> int:
    """Whole months from `start` to `end` (0 when `end` is earlier)."""
    months = (end.year - start.year) * MONTHS_IN_YEAR + end.month - start.month
    if (end.day, end.time()) < (start.day, start.time()):
        months -= 1
    return max(0, months)


def describe_months(months: int) -> str:
    """`14` -> "1 year and 2 months"."""
    years, rest = divmod(months, MONTHS_IN_YEAR)
    parts = []
    if years:
        parts.append(f"{years} year{'s' if years != 1 else ''}")
    if rest or not years:
        parts.append(f"{rest} month{'s' if rest != 1 else ''}")
    return " and ".join(parts)


def describe_days(days: int) -> str:
    """`0` -> "less than a day", `3` -> "3 days"."""
    if days < 1:
        return "less than a day"
    return f"{days} day{'s' if days != 1 else ''}"
