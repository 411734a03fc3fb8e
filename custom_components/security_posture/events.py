"""The `security_posture_finding` bus event: one per transition of a finding.

Its data also names the findings event entity (`entity_id`), as Home Assistant's events about
an entity do: the logbook then lists the event on that entity's own log, naming the finding
(see `logbook`). It is fired after the event entity has changed, so that the logbook, newest
first, shows each named row above the entity's own "New finding" row.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.const import ATTR_ENTITY_ID, Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import entity_registry as er

from .const import DOMAIN, EVENT_FINDING

if TYPE_CHECKING:
    from .coordinator import SecurityPostureCoordinator


@callback
def async_fire_transitions(
    hass: HomeAssistant, coordinator: SecurityPostureCoordinator
) -> None:
    """Fire the bus event for every transition of the last scan."""
    if not coordinator.transitions:
        return
    entity_id = er.async_get(hass).async_get_entity_id(
        Platform.EVENT, DOMAIN, f"{coordinator.config_entry.entry_id}_findings"
    )
    for transition in coordinator.transitions:
        data: dict[str, str] = transition.as_event_data()
        if entity_id is not None:
            data[ATTR_ENTITY_ID] = entity_id
        hass.bus.async_fire(EVENT_FINDING, data)
