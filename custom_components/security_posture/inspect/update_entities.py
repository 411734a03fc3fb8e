"""Read Home Assistant's update entities and what reports on Home Assistant Core itself.

Everything comes from the state machine and the entity registry: no file, no network.
Core, Operating System and Supervisor are told apart from add-ons and everything else by the
entity registry (platform `hassio` and the unique id the Supervisor integration gives them),
falling back to the entity ids Home Assistant derives for them when an entity has no registry
entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Final

from homeassistant.const import STATE_ON
from homeassistant.helpers import entity_registry as er

if TYPE_CHECKING:
    from datetime import datetime

    from homeassistant.core import HomeAssistant, State

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
