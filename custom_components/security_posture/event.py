"""The findings event entity: `new_finding` and `finding_resolved`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.components.event import EventEntity, EventEntityDescription
from homeassistant.core import HomeAssistant, callback

from .entity import SecurityPostureEntity

if TYPE_CHECKING:
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from .coordinator import SecurityPostureConfigEntry

PARALLEL_UPDATES = 0

EVENT_TYPES = {"new": "new_finding", "resolved": "finding_resolved"}

DESCRIPTION = EventEntityDescription(
    key="findings", translation_key="findings", event_types=list(EVENT_TYPES.values())
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SecurityPostureConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the event entity."""
    async_add_entities([FindingsEvent(entry.runtime_data, DESCRIPTION)])


class FindingsEvent(SecurityPostureEntity, EventEntity):
    """Fires once per finding that appears or is resolved."""

    @property
    def available(self) -> bool:
        """Always available: it reports changes, not a state of the report."""
        return True

    @callback
    def _handle_coordinator_update(self) -> None:
        for transition in self.coordinator.transitions:
            data = transition.as_event_data()
            del data["action"]
            self._trigger_event(EVENT_TYPES[transition.action], data)
            self.async_write_ha_state()
