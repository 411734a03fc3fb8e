"""The updates family: pending and skipped updates, the age of the running release.

Severity of `update_pending` (one finding per update entity that is on and not installing):

- add-ons, integrations (HACS), device firmware, anything else: medium; high once the update
  has been pending for more than 30 days;
- Home Assistant Core, Operating System and Supervisor: high; critical once pending for more
  than 90 days (three monthly releases behind).

How long an update has been pending is measured from the moment its entity turned on (the
state's last change), remembered across scans for the same latest version so that a flap
through `unavailable` does not restart the clock; an entity that is unavailable for a moment
keeps the findings it had, since it has not installed anything. The state machine forgets that
moment when Home Assistant restarts, so for Core the calendar versions give a lower bound that
survives restarts: when the latest release is of a later month than the installed one, an
update has been available since that month's release (the first Wednesday of the month).

`core_version_age`: the running release (Home Assistant versions are calendar versions,
`YEAR.MONTH.PATCH` with optional beta/dev suffixes) is dated to its monthly release, the first
Wednesday of its month. More than 6 months before today is medium, more than 12 high.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
import re
from typing import TYPE_CHECKING, Any, Final

from homeassistant import const as ha_const
from homeassistant.const import EVENT_STATE_CHANGED, STATE_OFF, STATE_ON
from homeassistant.core import callback

from ..engine import (
    CheckUnknown,
    NotApplicable,
    ScanContext,
)
from ..inspect.update_entities import (
    UPDATE_DOMAIN,
    Component,
    UpdateEntityFacts,
    core_update_sources,
    is_version_update_sensor,
    read_update_entities,
)
from ..model import Family, Hit, Severity
from .legacy import FamilyChecks, LegacyCheck, legacy_cache

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping

    from homeassistant.core import (
        CALLBACK_TYPE,
        Event,
        EventStateChangedData,
        HomeAssistant,
        State,
    )

URL_UPDATES: Final = "https://www.home-assistant.io/integrations/update/"
URL_SECURING: Final = "https://www.home-assistant.io/docs/configuration/securing/"
URL_VERSION: Final = "https://www.home-assistant.io/integrations/version/"

# Escalation of update_pending, in days pending.
COMPONENT_ESCALATION_DAYS: Final = 30
PLATFORM_ESCALATION_DAYS: Final = 90
# core_version_age thresholds, in months since the running release.
VERSION_AGE_MEDIUM_MONTHS: Final = 6
VERSION_AGE_HIGH_MONTHS: Final = 12

CACHE_PENDING_SINCE: Final = "updates.pending_since"
CACHE_LAST_KNOWN: Final = "updates.last_known"
CORE_SUBJECT: Final = "homeassistant"

_CALENDAR_VERSION = re.compile(r"^(?P<year>\d{4})\.(?P<month>\d{1,2})(?:\.|$)")
_WEDNESDAY: Final = 2
_MONTHS_IN_YEAR: Final = 12
_MONTHS = (
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


@dataclass(frozen=True, kw_only=True)
class UpdateFacts:
    """Everything the updates checks look at."""

    entities: tuple[UpdateEntityFacts, ...]
    # Entities that tell when a new Core release is out (Supervisor's, Version's).
    core_sources: tuple[str, ...]
    # The running Home Assistant version.
    running_version: str
    # For pending updates: since when they are known to be pending.
    pending_since: Mapping[str, datetime]


# --- calendar versions ------------------------------------------------------------------


def calendar_month(version: str | None) -> tuple[int, int] | None:
    """Return (year, month) of a Home Assistant calendar version, or None."""
    if version is None or (match := _CALENDAR_VERSION.match(version.strip())) is None:
        return None
    year, month = int(match["year"]), int(match["month"])
    if not 1 <= month <= _MONTHS_IN_YEAR:
        return None
    return year, month


def release_date(year: int, month: int) -> datetime:
    """Home Assistant's monthly release day: the first Wednesday of the month (UTC)."""
    first = datetime(year, month, 1, tzinfo=UTC)
    return first + timedelta(days=(_WEDNESDAY - first.weekday()) % 7)


def months_between(start: datetime, end: datetime) -> int:
    """Whole months from `start` to `end` (0 when `end` is earlier)."""
    months = (end.year - start.year) * _MONTHS_IN_YEAR + end.month - start.month
    if (end.day, end.time()) < (start.day, start.time()):
        months -= 1
    return max(0, months)


def describe_months(months: int) -> str:
    """`14` -> "1 year and 2 months"."""
    years, rest = divmod(months, _MONTHS_IN_YEAR)
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


# --- gather -------------------------------------------------------------------------------


def remember_pending(
    cache: dict[str, Any], entities: tuple[UpdateEntityFacts, ...]
) -> dict[str, datetime]:
    """Return since when each pending update is pending, remembered across scans.

    The memory of an entity is kept while it is pending for the same latest version, and
    while it is unavailable, unknown or installing; it is forgotten once the entity is off
    (installed or skipped) or gone.
    """
    memory: dict[str, tuple[str | None, datetime]] = cache.setdefault(
        CACHE_PENDING_SINCE, {}
    )
    kept: dict[str, tuple[str | None, datetime]] = {}
    for entity in entities:
        previous = memory.get(entity.entity_id)
        if entity.pending:
            since = entity.last_changed
            if previous is not None and previous[0] == entity.latest_version:
                since = min(since, previous[1])
            kept[entity.entity_id] = (entity.latest_version, since)
        elif previous is not None and entity.state != STATE_OFF:
            kept[entity.entity_id] = previous
    memory.clear()
    memory.update(kept)
    return {entity_id: since for entity_id, (_, since) in kept.items()}


def fill_unavailable(
    cache: dict[str, Any], entities: tuple[UpdateEntityFacts, ...]
) -> tuple[UpdateEntityFacts, ...]:
    """Show an unavailable or unknown entity as it last was when it was on or off.

    An update entity that drops out for a moment (Supervisor restarting, a device asleep)
    has not installed its update: its findings stay instead of being resolved and raised
    again. Entities that are gone are forgotten; so is everything on a restart.
    """
    memory: dict[str, UpdateEntityFacts] = cache.setdefault(CACHE_LAST_KNOWN, {})
    result: list[UpdateEntityFacts] = []
    for entity in entities:
        if entity.state in (STATE_ON, STATE_OFF):
            memory[entity.entity_id] = entity
            result.append(entity)
        else:
            result.append(memory.get(entity.entity_id, entity))
    present = {entity.entity_id for entity in entities}
    for entity_id in set(memory) - present:
        del memory[entity_id]
    return tuple(result)


async def _async_gather(ctx: ScanContext) -> UpdateFacts:
    """Read the update entities; nothing here does I/O."""
    entities = fill_unavailable(legacy_cache(ctx), read_update_entities(ctx.hass))
    return UpdateFacts(
        entities=entities,
        core_sources=core_update_sources(ctx.hass, entities),
        running_version=ha_const.__version__,
        pending_since=remember_pending(legacy_cache(ctx), entities),
    )


# --- checks -------------------------------------------------------------------------------


def pending_since(entity: UpdateEntityFacts, facts: UpdateFacts) -> datetime:
    """Since when `entity`'s update is known to be available."""
    since = facts.pending_since.get(entity.entity_id, entity.last_changed)
    if entity.component is Component.CORE:
        installed = calendar_month(entity.installed_version)
        latest = calendar_month(entity.latest_version)
        if installed is not None and latest is not None and latest > installed:
            since = min(since, release_date(*latest))
    return since


def pending_severity(component: Component, days: int) -> Severity:
    """The severity rule of update_pending (see the module docstring)."""
    if component.is_platform:
        return Severity.CRITICAL if days > PLATFORM_ESCALATION_DAYS else Severity.HIGH
    return Severity.HIGH if days > COMPONENT_ESCALATION_DAYS else Severity.MEDIUM


def _version(version: str | None) -> str:
    return version if version is not None else "an unknown version"


def inspect_pending(facts: UpdateFacts, ctx: ScanContext) -> Iterator[Hit]:
    """update_pending: one hit per update entity that is on and not installing."""
    for entity in facts.entities:
        if not entity.pending:
            continue
        days = max(0, (ctx.now - pending_since(entity, facts)).days)
        latest = _version(entity.latest_version)
        yield Hit(
            subject=entity.entity_id,
            title=f"{entity.name}: {latest} is available",
            severity=pending_severity(entity.component, days),
            placeholders={
                "name": entity.name,
                "installed": _version(entity.installed_version),
                "latest": latest,
                "pending": describe_days(days),
            },
        )


def inspect_skipped(facts: UpdateFacts, ctx: ScanContext) -> Iterator[Hit]:
    """update_skipped: a Core, Operating System or Supervisor update that was skipped."""
    for entity in facts.entities:
        if not entity.component.is_platform or entity.skipped_version is None:
            continue
        if entity.in_progress:
            continue
        yield Hit(
            subject=entity.entity_id,
            title=f"{entity.name}: update to {entity.skipped_version} skipped",
            placeholders={
                "name": entity.name,
                "skipped": entity.skipped_version,
                "installed": _version(entity.installed_version),
            },
        )


def inspect_version_age(facts: UpdateFacts, ctx: ScanContext) -> Iterator[Hit]:
    """core_version_age: how old the running release is, from its calendar version."""
    month = calendar_month(facts.running_version)
    if month is None:
        raise CheckUnknown(f"{facts.running_version[:32]} is not a calendar version")
    released = release_date(*month)
    if ctx.now <= _add_months(released, VERSION_AGE_MEDIUM_MONTHS):
        return
    severity = (
        Severity.HIGH
        if ctx.now > _add_months(released, VERSION_AGE_HIGH_MONTHS)
        else Severity.MEDIUM
    )
    age = describe_months(months_between(released, ctx.now))
    yield Hit(
        subject=CORE_SUBJECT,
        title=f"Home Assistant {facts.running_version} is {age} old",
        severity=severity,
        placeholders={
            "version": facts.running_version,
            "released": f"{_MONTHS[month[1] - 1]} {month[0]}",
            "age": age,
        },
    )


def _add_months(moment: datetime, months: int) -> datetime:
    """`moment` plus whole months; the release day (at most the 7th) exists in every month."""
    total = moment.month - 1 + months
    return moment.replace(
        year=moment.year + total // _MONTHS_IN_YEAR, month=total % _MONTHS_IN_YEAR + 1
    )


def inspect_source_missing(facts: UpdateFacts, ctx: ScanContext) -> Iterator[Hit]:
    """update_source_missing: nothing tells about a new Home Assistant Core release."""
    if facts.core_sources:
        raise NotApplicable(f"reported by {', '.join(facts.core_sources)}")
    yield Hit(
        subject=CORE_SUBJECT, title="Nothing reports updates for Home Assistant Core"
    )


# --- listen -------------------------------------------------------------------------------


def _signature(state: State) -> tuple[Any, ...]:
    """What about an update entity's state changes the findings or the sensor."""
    attributes = state.attributes
    return (
        state.state,
        attributes.get("installed_version"),
        attributes.get("latest_version"),
        attributes.get("skipped_version"),
        bool(attributes.get("in_progress")),
    )


def is_relevant_change(hass: HomeAssistant, data: EventStateChangedData) -> bool:
    """Whether a state change calls for a rescan of the updates family.

    An update entity that appears, disappears, turns on or off, starts or stops installing,
    or changes versions (a new release, a skip); the Version integration's sensor appearing
    or disappearing. Progress percentages during an install do not count.
    """
    entity_id = data["entity_id"]
    old_state, new_state = data["old_state"], data["new_state"]
    if entity_id.startswith(f"{UPDATE_DOMAIN}."):
        if old_state is None or new_state is None:
            return True
        return _signature(old_state) != _signature(new_state)
    if old_state is None or new_state is None:
        return is_version_update_sensor(hass, entity_id)
    return False


def listen(hass: HomeAssistant, request_rescan: Callable[[], None]) -> CALLBACK_TYPE:
    """Ask for a rescan when an update appears, resolves, is skipped or disappears."""

    @callback
    def _filter(data: EventStateChangedData) -> bool:
        return is_relevant_change(hass, data)

    @callback
    def _changed(event: Event[EventStateChangedData]) -> None:
        request_rescan()

    return hass.bus.async_listen(EVENT_STATE_CHANGED, _changed, event_filter=_filter)


FAMILY: FamilyChecks[UpdateFacts] = FamilyChecks(
    family=Family.UPDATES,
    gather=_async_gather,
    checks=(
        LegacyCheck(
            id="update_pending",
            severity=Severity.MEDIUM,
            learn_more_url=URL_UPDATES,
            inspect=inspect_pending,
        ),
        LegacyCheck(
            id="update_skipped",
            severity=Severity.MEDIUM,
            learn_more_url=URL_UPDATES,
            inspect=inspect_skipped,
        ),
        LegacyCheck(
            id="core_version_age",
            severity=Severity.MEDIUM,
            learn_more_url=URL_SECURING,
            inspect=inspect_version_age,
        ),
        LegacyCheck(
            id="update_source_missing",
            severity=Severity.INFO,
            learn_more_url=URL_VERSION,
            inspect=inspect_source_missing,
        ),
    ),
    listen=listen,
)
