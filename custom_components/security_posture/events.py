"""The `security_posture_finding` bus event: one per transition of a finding."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.core import HomeAssistant, callback

from .const import EVENT_FINDING

if TYPE_CHECKING:
    from .coordinator import SecurityPostureCoordinator


@callback
def async_fire_transitions(
    hass: HomeAssistant, coordinator: SecurityPostureCoordinator
) -> None:
    """Fire the bus event for every transition of the last scan."""
    for transition in coordinator.transitions:
        hass.bus.async_fire(
            EVENT_FINDING, transition.as_event_data(), context=transition.context
        )
