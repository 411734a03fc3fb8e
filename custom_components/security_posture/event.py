"""The findings event entity: `new_finding` and `finding_resolved`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.components.event import EventEntity, EventEntityDescription
from homeassistant.core import HomeAssistant, callback

from .entity import SecurityPostureEntity
from .events import FINDINGS_EVENT_KEY
from .model import TransitionAction

if TYPE_CHECKING:
    from collections.abc import Sequence

    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from .coordinator import SecurityPostureConfigEntry
    from .model import Transition

PARALLEL_UPDATES = 0

EVENT_TYPES = {
    TransitionAction.NEW: "new_finding",
    TransitionAction.RESOLVED: "finding_resolved",
}

DESCRIPTION = EventEntityDescription(
    key=FINDINGS_EVENT_KEY,
    translation_key="findings",
    event_types=list(EVENT_TYPES.values()),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SecurityPostureConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the event entity."""
    async_add_entities([FindingsEvent(entry.runtime_data, DESCRIPTION)])


class FindingsEvent(SecurityPostureEntity, EventEntity):
    """Fires once per finding that appears or is resolved.

    Its state is readable by every user: the event names the finding by id, check, family
    and severity, never by title (the bus event, which only administrators may subscribe
    to, carries the title).
    """

    @property
    def available(self) -> bool:
        """Always available: it reports changes, not a state of the report."""
        return True

    async def async_added_to_hass(self) -> None:
        """Receive transitions from the coordinator's feed (batched when many)."""
        await super().async_added_to_hass()
        self.async_on_remove(self.coordinator.feed.async_add_sink(self._announce))

    @callback
    def _handle_coordinator_update(self) -> None:
        """Nothing: the state changes with each transition the feed delivers."""

    @callback
    def _announce(self, transitions: Sequence[Transition]) -> None:
        for transition in transitions:
            data = transition.as_event_data()
            del data["action"], data["title"]
            self._trigger_event(EVENT_TYPES[transition.action], data)
            self.async_write_ha_state()
