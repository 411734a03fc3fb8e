"""Diagnostics: the report and the options. The report holds no secret values to begin with."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from homeassistant.components.diagnostics import async_redact_data

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

    from .coordinator import SecurityPostureConfigEntry

# Defence in depth: nothing of this kind is ever put into the report or options.
TO_REDACT = {"password", "token", "api_key", "secret", "value"}


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: SecurityPostureConfigEntry
) -> dict[str, Any]:
    """Return the last report and the options."""
    coordinator = entry.runtime_data
    report = report.as_dict() if (report := coordinator.report) is not None else None
    return async_redact_data(
        {
            "options": dict(entry.options),
            "ignored": sorted(coordinator.store.ignored),
            "report": report,
        },
        TO_REDACT,
    )
