"""Helpers for tests that set up the integration in a real `hass`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from custom_components.security_posture.const import DOMAIN, SERVICE_SCAN

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry


async def async_setup_integration(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Add the entry, set it up and wait for the first scan (Home Assistant is running)."""
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


async def async_scan(hass: HomeAssistant) -> dict[str, Any]:
    """Run `security_posture.scan` and return the report."""
    response = await hass.services.async_call(
        DOMAIN, SERVICE_SCAN, {}, blocking=True, return_response=True
    )
    await hass.async_block_till_done()
    return cast("dict[str, Any]", response)


def findings_of(report: dict[str, Any], check: str) -> list[dict[str, Any]]:
    """The findings of one check in a report."""
    return [f for f in report["findings"] if f["check"] == check]


def status_of(report: dict[str, Any], check: str) -> str:
    """The status of one check in a report."""
    return next(c["status"] for c in report["checks"] if c["check"] == check)
