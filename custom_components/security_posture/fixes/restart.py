"""`certificate_not_loaded`: restart Home Assistant so that it serves the renewed certificate.

Menu: `restart` or `ignore`. After a confirmation the configuration is checked first (as the
restart action itself does; a configuration that does not pass would leave Home Assistant
down), then `homeassistant.restart` is called without waiting for it, and the flow ends.
The configuration check's message is not shown: it may quote the configuration.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from homeassistant.config import async_check_ha_config_file
from homeassistant.exceptions import HomeAssistantError

from ..const import LOGGER
from .base import FixFlow

if TYPE_CHECKING:
    from homeassistant import data_entry_flow

HOMEASSISTANT_DOMAIN: Final = "homeassistant"
SERVICE_RESTART: Final = "restart"


class RestartFlow(FixFlow):
    """Restart Home Assistant, or accept the risk."""

    fix_step = "restart"

    async def async_step_restart(
        self, user_input: dict[str, str] | None = None
    ) -> data_entry_flow.FlowResult:
        """Confirm, check the configuration, restart."""
        if user_input is None:
            return self.async_show_form(
                step_id=self.fix_step, description_placeholders=self.placeholders
            )
        if await async_check_ha_config_file(self.hass) is not None:
            return self.async_abort(
                reason="config_invalid", description_placeholders=self.placeholders
            )
        try:
            await self.hass.services.async_call(
                HOMEASSISTANT_DOMAIN, SERVICE_RESTART, {}, blocking=False
            )
        except HomeAssistantError as err:
            LOGGER.warning("Restarting Home Assistant failed: %s", type(err).__name__)
            return self.async_abort(
                reason="restart_failed", description_placeholders=self.placeholders
            )
        return self.async_create_entry(
            data={},
            description="restarting",
            description_placeholders=self.placeholders,
        )
