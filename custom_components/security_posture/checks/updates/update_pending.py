"""`update_pending` (medium): one finding per update entity that is on and not installing.

- add-ons, integrations (HACS), device firmware, anything else: medium; high once the update
  has been pending for more than 30 days;
- Home Assistant Core, Operating System and Supervisor: high; critical once pending for more
  than 90 days (three monthly releases behind).

How long an update has been pending is measured from the moment its entity turned on,
remembered across scans (`PENDING_SINCE`). Home Assistant forgets that moment when it
restarts, so for Core the calendar versions give a lower bound that survives restarts: when
the latest release is of a later month than the installed one, an update has been available
since that month's release.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from ...engine import Check, Facts
from ...inspect.update_entities import (
    PENDING_SINCE,
    UPDATE_ENTITIES,
    Component,
    UpdateEntityFacts,
)
from ...model import Family, Hit, Severity
from . import URL_UPDATES, shown_version
from .release_calendar import calendar_month, describe_days, release_date

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping
    from datetime import datetime

# Escalation, in days pending.
COMPONENT_ESCALATION_DAYS: Final = 30
PLATFORM_ESCALATION_DAYS: Final = 90


def pending_since(
    entity: UpdateEntityFacts, remembered: Mapping[str, datetime]
) -> datetime:
    """Since when `entity`'s update is known to be available."""
    since = remembered.get(entity.entity_id, entity.last_changed)
    if entity.component is Component.CORE:
        installed = calendar_month(entity.installed_version)
        latest = calendar_month(entity.latest_version)
        if installed is not None and latest is not None and latest > installed:
            since = min(since, release_date(*latest))
    return since


def pending_severity(component: Component, days: int) -> Severity:
    """The severity rule (see the module docstring)."""
    if component.is_platform:
        return Severity.CRITICAL if days > PLATFORM_ESCALATION_DAYS else Severity.HIGH
    return Severity.HIGH if days > COMPONENT_ESCALATION_DAYS else Severity.MEDIUM


def _inspect(facts: Facts) -> Iterator[Hit]:
    remembered = facts[PENDING_SINCE]
    for entity in facts[UPDATE_ENTITIES]:
        if not entity.pending:
            continue
        days = max(0, (facts.now - pending_since(entity, remembered)).days)
        latest = shown_version(entity.latest_version)
        yield Hit(
            subject=entity.entity_id,
            title=f"{entity.name}: {latest} is available",
            severity=pending_severity(entity.component, days),
            placeholders={
                "name": entity.name,
                "installed": shown_version(entity.installed_version),
                "latest": latest,
                "pending": describe_days(days),
            },
        )


CHECK: Final = Check(
    id="update_pending",
    family=Family.UPDATES,
    severity=Severity.MEDIUM,
    learn_more_url=URL_UPDATES,
    needs=(UPDATE_ENTITIES, PENDING_SINCE),
    inspect=_inspect,
)
