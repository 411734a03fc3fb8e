"""Read Home Assistant's update entities and what reports on Home Assistant Core itself.

Everything comes from the state machine and the entity registry: no file, no network.
Core, Operating System and Supervisor are told apart from add-ons and everything else by the
entity registry (platform `hassio` and the unique id the Supervisor integration gives them),
falling back to the entity ids Home Assistant derives for them when an entity has no registry
entry.

The facts:

- `UPDATE_ENTITIES`: every update entity. One that is unavailable or unknown for a moment
  (Supervisor restarting, a device asleep) shows as it last was while on or off: it has not
  installed anything, so its findings stay instead of being resolved and raised again.
- `PENDING_SINCE`: since when each pending update is known to be pending, remembered across
  scans for the same latest version so that a flap through `unavailable` does not restart
  the clock. Home Assistant forgets the moment a state changed when it restarts; so do we.
- `CORE_UPDATE_SOURCES`: the entities that tell when a new Core release is out.
- `RUNNING_VERSION`: the version of Home Assistant that runs.

Each subscribes to the state changes that alter it, so that a new release, a skip or an
install is reflected within seconds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Final

from homeassistant import const as ha_const
from homeassistant.const import EVENT_STATE_CHANGED, STATE_OFF, STATE_ON
from homeassistant.core import callback
from homeassistant.helpers import entity_registry as er

from ..engine import Fact, ScanContext, Slot

if TYPE_CHECKING:
    from collections.abc import Callable

    from homeassistant.core import (
        CALLBACK_TYPE,
        Event,
        EventStateChangedData,
        HomeAssistant,
        State,
    )

UPDATE_DOMAIN: Final = "update"
BINARY_SENSOR_DOMAIN: Final = "binary_sensor"
HASSIO_PLATFORM: Final = "hassio"
VERSION_PLATFORM: Final = "version"

# Versions are shown to people; anything longer than this is cut.
MAX_VERSION_LENGTH: Final = 64


class Component(StrEnum):
    """What an update entity updates."""

    CORE = "core"
    OS = "os"
    SUPERVISOR = "supervisor"
    ADDON = "addon"
    OTHER = "other"

    @property
    def is_platform(self) -> bool:
        """Whether this is Home Assistant itself: Core, the Operating System or Supervisor."""
        return self in _PLATFORM


_PLATFORM: Final = frozenset({Component.CORE, Component.OS, Component.SUPERVISOR})

# The Supervisor integration's unique ids: f"home_assistant_{core|os|supervisor}_{key}".
_HASSIO_UNIQUE_ID_PREFIXES: Final = (
    ("home_assistant_core_", Component.CORE),
    ("home_assistant_os_", Component.OS),
    ("home_assistant_supervisor_", Component.SUPERVISOR),
)
# The entity ids Home Assistant derives for them (used only without a registry entry).
_WELL_KNOWN_ENTITY_IDS: Final = {
    "update.home_assistant_core_update": Component.CORE,
    "update.home_assistant_operating_system_update": Component.OS,
    "update.home_assistant_supervisor_update": Component.SUPERVISOR,
}


@dataclass(frozen=True, kw_only=True)
class UpdateEntityFacts:
    """One update entity as the state machine shows it."""

    entity_id: str
    name: str
    state: str
    installed_version: str | None
    latest_version: str | None
    skipped_version: str | None
    in_progress: bool
    title: str | None
    release_url: str | None
    platform: str | None
    component: Component
    last_changed: datetime

    @property
    def pending(self) -> bool:
        """An update is available and not being installed."""
        return self.state == STATE_ON and not self.in_progress


def classify(entity_id: str, entry: er.RegistryEntry | None) -> Component:
    """Tell what an update entity updates."""
    if entry is None:
        return _WELL_KNOWN_ENTITY_IDS.get(entity_id, Component.OTHER)
    if entry.platform != HASSIO_PLATFORM:
        return Component.OTHER
    for prefix, component in _HASSIO_UNIQUE_ID_PREFIXES:
        if entry.unique_id.startswith(prefix):
            return component
    return Component.ADDON


def _text(value: Any) -> str | None:
    """Return an attribute as short text, or None when it is absent."""
    if value is None or value == "":
        return None
    return str(value)[:MAX_VERSION_LENGTH]


def _in_progress(value: Any) -> bool:
    """`in_progress` is a bool; older releases and some entities give a percentage."""
    if isinstance(value, bool):
        return value
    return isinstance(value, int | float) and not isinstance(value, bool)


def entity_facts(state: State, entry: er.RegistryEntry | None) -> UpdateEntityFacts:
    """Return the facts of one update entity's state."""
    attributes = state.attributes
    return UpdateEntityFacts(
        entity_id=state.entity_id,
        name=state.name,
        state=state.state,
        installed_version=_text(attributes.get("installed_version")),
        latest_version=_text(attributes.get("latest_version")),
        skipped_version=_text(attributes.get("skipped_version")),
        in_progress=_in_progress(attributes.get("in_progress")),
        title=_text(attributes.get("title")),
        release_url=_text(attributes.get("release_url")),
        platform=entry.platform if entry is not None else None,
        component=classify(state.entity_id, entry),
        last_changed=state.last_changed,
    )


def read_update_entities(hass: HomeAssistant) -> tuple[UpdateEntityFacts, ...]:
    """Return every update entity in the state machine, sorted by entity id."""
    registry = er.async_get(hass)
    return tuple(
        entity_facts(state, registry.async_get(state.entity_id))
        for state in sorted(
            hass.states.async_all(UPDATE_DOMAIN), key=lambda s: s.entity_id
        )
    )


def is_version_update_sensor(hass: HomeAssistant, entity_id: str) -> bool:
    """Whether `entity_id` is the Version integration's "update available" binary sensor."""
    if not entity_id.startswith(f"{BINARY_SENSOR_DOMAIN}."):
        return False
    entry = er.async_get(hass).async_get(entity_id)
    return entry is not None and entry.platform == VERSION_PLATFORM


def core_update_sources(
    hass: HomeAssistant, entities: tuple[UpdateEntityFacts, ...]
) -> tuple[str, ...]:
    """Return the entities that tell when a new Home Assistant Core release is out.

    The Supervisor integration's Core update entity, and the Version integration's binary
    sensor (it exists only when the Version integration watches a source other than the local
    installation, that is when it can tell about a newer release).
    """
    sources = [e.entity_id for e in entities if e.component is Component.CORE]
    sources.extend(
        state.entity_id
        for state in sorted(
            hass.states.async_all(BINARY_SENSOR_DOMAIN), key=lambda s: s.entity_id
        )
        if is_version_update_sensor(hass, state.entity_id)
    )
    return tuple(sources)


# --- memory across scans --------------------------------------------------------------------

type PendingMemory = dict[str, tuple[str | None, datetime]]
"""Entity id -> (latest version, since when it is pending)."""

LAST_KNOWN: Final = Slot[dict[str, UpdateEntityFacts]](
    name="update entities as last seen on or off", factory=dict
)
PENDING_MEMORY: Final = Slot[PendingMemory](name="pending updates", factory=dict)


def fill_unavailable(
    memory: dict[str, UpdateEntityFacts], entities: tuple[UpdateEntityFacts, ...]
) -> tuple[UpdateEntityFacts, ...]:
    """Show an unavailable or unknown entity as it last was when it was on or off.

    `memory` is kept from scan to scan. Entities that are gone are forgotten; so is
    everything on a restart.
    """
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


def remember_pending(
    memory: PendingMemory, entities: tuple[UpdateEntityFacts, ...]
) -> dict[str, datetime]:
    """Return since when each pending update is pending, remembered across scans.

    The memory of an entity is kept while it is pending for the same latest version, and
    while it is unavailable, unknown or installing; it is forgotten once the entity is off
    (installed or skipped) or gone.
    """
    kept: PendingMemory = {}
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


# --- what calls for a rescan ----------------------------------------------------------------


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


def is_update_change(data: EventStateChangedData) -> bool:
    """Whether a state change alters what is known of the update entities.

    An update entity appears, disappears, turns on or off, starts or stops installing, or
    changes versions (a new release, a skip). Progress during an install does not count.
    """
    if not data["entity_id"].startswith(f"{UPDATE_DOMAIN}."):
        return False
    old_state, new_state = data["old_state"], data["new_state"]
    if old_state is None or new_state is None:
        return True
    return _signature(old_state) != _signature(new_state)


def is_source_change(hass: HomeAssistant, data: EventStateChangedData) -> bool:
    """The Version integration's "update available" sensor appears or disappears."""
    if data["old_state"] is not None and data["new_state"] is not None:
        return False
    return is_version_update_sensor(hass, data["entity_id"])


def _listen_states(
    hass: HomeAssistant,
    request_rescan: Callable[[], None],
    relevant: Callable[[EventStateChangedData], bool],
) -> CALLBACK_TYPE:
    @callback
    def _filter(data: EventStateChangedData) -> bool:
        return relevant(data)

    @callback
    def _changed(event: Event[EventStateChangedData]) -> None:
        request_rescan()

    return hass.bus.async_listen(EVENT_STATE_CHANGED, _changed, event_filter=_filter)


def _listen_updates(
    hass: HomeAssistant, request_rescan: Callable[[], None]
) -> CALLBACK_TYPE:
    return _listen_states(hass, request_rescan, is_update_change)


def _listen_sources(
    hass: HomeAssistant, request_rescan: Callable[[], None]
) -> CALLBACK_TYPE:
    return _listen_states(hass, request_rescan, lambda d: is_source_change(hass, d))


# --- the facts ------------------------------------------------------------------------------


async def _async_update_entities(ctx: ScanContext) -> tuple[UpdateEntityFacts, ...]:
    """The update entities, as last seen on or off when unavailable (no I/O)."""
    return fill_unavailable(ctx.cache.get(LAST_KNOWN), read_update_entities(ctx.hass))


UPDATE_ENTITIES: Final = Fact[tuple[UpdateEntityFacts, ...]](
    name="the update entities", gather=_async_update_entities, listen=_listen_updates
)


async def _async_pending_since(ctx: ScanContext) -> Mapping[str, datetime]:
    entities = await ctx.fact(UPDATE_ENTITIES)
    return remember_pending(ctx.cache.get(PENDING_MEMORY), entities)


PENDING_SINCE: Final = Fact[Mapping[str, datetime]](
    name="since when updates are pending", gather=_async_pending_since
)


async def _async_core_update_sources(ctx: ScanContext) -> tuple[str, ...]:
    return core_update_sources(ctx.hass, await ctx.fact(UPDATE_ENTITIES))


CORE_UPDATE_SOURCES: Final = Fact[tuple[str, ...]](
    name="what reports Home Assistant Core releases",
    gather=_async_core_update_sources,
    listen=_listen_sources,
)


async def _async_running_version(ctx: ScanContext) -> str:
    return ha_const.__version__


RUNNING_VERSION: Final = Fact[str](
    name="the running Home Assistant version", gather=_async_running_version
)
