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
from homeassistant.exceptions import (
    HomeAssistantError,
    ServiceValidationError,
    Unauthorized,
    UnknownUser,
)
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.service import async_register_admin_service
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


async def _async_require_admin(call: ServiceCall) -> None:
    """Refuse a call made by a user who is not an administrator.

    What `async_register_admin_service` does, for the scan: it returns the report, and
    Home Assistant 2025.4's admin registration cannot register a response.
    """
    if (user_id := call.context.user_id) is None:
        return  # Home Assistant itself: automations, scripts, the scheduler
    user = await call.hass.auth.async_get_user(user_id)
    if user is None:
        raise UnknownUser(context=call.context)
    if not user.is_admin:
        raise Unauthorized(context=call.context)


async def _async_scan(call: ServiceCall) -> ServiceResponse:
    await _async_require_admin(call)
    coordinator = _coordinator(call.hass)
    await coordinator.async_refresh()
    if not coordinator.last_update_success or (report := coordinator.report) is None:
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="scan_failed",
            translation_placeholders={"error": str(coordinator.last_exception)},
        )
    if call.return_response:
        # Thousands of findings are thousands of dicts: built off the event loop.
        response: ServiceResponse = await call.hass.async_add_executor_job(
            report.as_dict
        )
        return response
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
    await coordinator.async_apply_ignores()


async def _async_unignore(call: ServiceCall) -> None:
    coordinator = _coordinator(call.hass)
    finding_id: str = call.data[ATTR_FINDING_ID]
    if not coordinator.store.unignore(finding_id):
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="unknown_finding",
            translation_placeholders={"finding_id": finding_id},
        )
    await coordinator.async_apply_ignores()


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the integration's actions: each answers `Unauthorized` to non-admins."""
    hass.services.async_register(
        DOMAIN, SERVICE_SCAN, _async_scan, supports_response=SupportsResponse.OPTIONAL
    )
    async_register_admin_service(
        hass, DOMAIN, SERVICE_IGNORE_FINDING, _async_ignore, schema=IGNORE_SCHEMA
    )
    async_register_admin_service(
        hass, DOMAIN, SERVICE_UNIGNORE_FINDING, _async_unignore, schema=UNIGNORE_SCHEMA
    )
