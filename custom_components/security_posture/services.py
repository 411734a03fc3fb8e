"""Actions: scan now (with the report as response), ignore and unignore findings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import config_validation as cv
import voluptuous as vol

from .const import (
    ATTR_FINDING_ID,
    ATTR_REASON,
    DOMAIN,
    SERVICE_IGNORE_FINDING,
    SERVICE_SCAN,
    SERVICE_UNIGNORE_FINDING,
)

if TYPE_CHECKING:
    from .coordinator import SecurityPostureConfigEntry, SecurityPostureCoordinator

IGNORE_SCHEMA = vol.Schema(
    {
        vol.Required(ATTR_FINDING_ID): cv.string,
        vol.Optional(ATTR_REASON): vol.All(cv.string, vol.Length(max=255)),
    }
)
UNIGNORE_SCHEMA = vol.Schema({vol.Required(ATTR_FINDING_ID): cv.string})


def _coordinator(hass: HomeAssistant) -> SecurityPostureCoordinator:
    entries: list[SecurityPostureConfigEntry] = (
        hass.config_entries.async_loaded_entries(DOMAIN)
    )
    if not entries:
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="not_loaded"
        )
    return entries[0].runtime_data


async def _async_scan(call: ServiceCall) -> ServiceResponse:
    coordinator = _coordinator(call.hass)
    await coordinator.async_refresh()
    if not coordinator.last_update_success or (report := coordinator.report) is None:
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="scan_failed",
            translation_placeholders={"error": str(coordinator.last_exception)},
        )
    if call.return_response:
        return report.as_dict()
    return None


async def _async_ignore(call: ServiceCall) -> None:
    coordinator = _coordinator(call.hass)
    finding_id: str = call.data[ATTR_FINDING_ID]
    if coordinator.finding(finding_id) is None:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="unknown_finding",
            translation_placeholders={"finding_id": finding_id},
        )
    coordinator.store.ignore(finding_id, call.data.get(ATTR_REASON))
    coordinator.async_apply_ignores()


async def _async_unignore(call: ServiceCall) -> None:
    coordinator = _coordinator(call.hass)
    finding_id: str = call.data[ATTR_FINDING_ID]
    if not coordinator.store.unignore(finding_id):
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="unknown_finding",
            translation_placeholders={"finding_id": finding_id},
        )
    coordinator.async_apply_ignores()


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the integration's actions."""
    hass.services.async_register(
        DOMAIN, SERVICE_SCAN, _async_scan, supports_response=SupportsResponse.OPTIONAL
    )
    hass.services.async_register(
        DOMAIN, SERVICE_IGNORE_FINDING, _async_ignore, schema=IGNORE_SCHEMA
    )
    hass.services.async_register(
        DOMAIN, SERVICE_UNIGNORE_FINDING, _async_unignore, schema=UNIGNORE_SCHEMA
    )
