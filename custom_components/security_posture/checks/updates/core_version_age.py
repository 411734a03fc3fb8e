"""`core_version_age` (medium): the running release is old.

The running release is dated to its monthly release, from its calendar version. More than
6 months before today is medium, more than 12 high. A version that is no calendar version
is `unknown`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from ...engine import Check, CheckUnknown, Facts
from ...inspect.update_entities import RUNNING_VERSION
from ...model import Family, Hit, Severity
from . import CORE_SUBJECT, URL_SECURING
from .release_calendar import (
    MONTH_NAMES,
    add_months,
    calendar_month,
    describe_months,
    months_between,
    release_date,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

# Thresholds, in months since the running release.
VERSION_AGE_MEDIUM_MONTHS: Final = 6
VERSION_AGE_HIGH_MONTHS: Final = 12


def _inspect(facts: Facts) -> Iterator[Hit]:
    running = facts[RUNNING_VERSION]
    month = calendar_month(running)
    if month is None:
        raise CheckUnknown(f"{running[:32]} is not a calendar version")
    released = release_date(*month)
    now = facts.now
    if now <= add_months(released, VERSION_AGE_MEDIUM_MONTHS):
        return
    severity = (
        Severity.HIGH
        if now > add_months(released, VERSION_AGE_HIGH_MONTHS)
        else Severity.MEDIUM
    )
    age = describe_months(months_between(released, now))
    yield Hit(
        subject=CORE_SUBJECT,
        title=f"Home Assistant {running} is {age} old",
        severity=severity,
        placeholders={
            "version": running,
            "released": f"{MONTH_NAMES[month[1] - 1]} {month[0]}",
            "age": age,
        },
    )


CHECK: Final = Check(
    id="core_version_age",
    family=Family.UPDATES,
    severity=Severity.MEDIUM,
    learn_more_url=URL_SECURING,
    needs=(RUNNING_VERSION,),
    inspect=_inspect,
)
