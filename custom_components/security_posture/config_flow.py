"""Config flow (one confirmation) and options flow for Security Posture."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import (
    ConfigEntry,
    ConfigFlow,
    ConfigFlowResult,
    OptionsFlow,
)
from homeassistant.core import callback
from homeassistant.helpers.selector import (
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
)
import voluptuous as vol

from .checks.registry import CHECK_IDS
from .const import (
    CONF_CERT_WARNING_DAYS,
    CONF_DISABLED_CHECKS,
    CONF_SCAN_INTERVAL,
    CONF_SSHD_CONFIG,
    DEFAULT_CERT_WARNING_DAYS,
    DEFAULT_SCAN_INTERVAL_HOURS,
    DEFAULT_SSHD_CONFIG,
    DOMAIN,
)

TITLE = "Security Posture"


class SecurityPostureConfigFlow(ConfigFlow, domain=DOMAIN):
    """Add Security Posture with one click."""

    VERSION = 1

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Confirm, then create the entry."""
        if user_input is not None:
            return self.async_create_entry(title=TITLE, data={})
        return self.async_show_form(step_id="user")

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: ConfigEntry) -> OptionsFlow:
        """Settings live in the options flow."""
        return SecurityPostureOptionsFlow()


class SecurityPostureOptionsFlow(OptionsFlow):
    """Scan interval, certificate warning window, disabled checks, sshd_config path."""

    async def async_step_init(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """One form with every setting."""
        if user_input is not None:
            return self.async_create_entry(
                data={
                    **user_input,
                    CONF_SCAN_INTERVAL: int(user_input[CONF_SCAN_INTERVAL]),
                    CONF_CERT_WARNING_DAYS: int(user_input[CONF_CERT_WARNING_DAYS]),
                }
            )
        options = self.config_entry.options
        schema = vol.Schema(
            {
                vol.Required(
                    CONF_SCAN_INTERVAL,
                    default=options.get(
                        CONF_SCAN_INTERVAL, DEFAULT_SCAN_INTERVAL_HOURS
                    ),
                ): NumberSelector(
                    NumberSelectorConfig(
                        min=1,
                        max=168,
                        step=1,
                        mode=NumberSelectorMode.BOX,
                        unit_of_measurement="h",
                    )
                ),
                vol.Required(
                    CONF_CERT_WARNING_DAYS,
                    default=options.get(
                        CONF_CERT_WARNING_DAYS, DEFAULT_CERT_WARNING_DAYS
                    ),
                ): NumberSelector(
                    NumberSelectorConfig(
                        min=1,
                        max=365,
                        step=1,
                        mode=NumberSelectorMode.BOX,
                        unit_of_measurement="d",
                    )
                ),
                vol.Required(
                    CONF_DISABLED_CHECKS,
                    default=list(options.get(CONF_DISABLED_CHECKS, [])),
                ): SelectSelector(
                    SelectSelectorConfig(
                        options=list(CHECK_IDS),
                        multiple=True,
                        mode=SelectSelectorMode.DROPDOWN,
                        translation_key="check",
                    )
                ),
                vol.Required(
                    CONF_SSHD_CONFIG,
                    default=options.get(CONF_SSHD_CONFIG, DEFAULT_SSHD_CONFIG),
                ): TextSelector(),
            }
        )
        return self.async_show_form(step_id="init", data_schema=schema)
