"""Setup, the first scan after start, rescans, unload."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import CoreState, HomeAssistant
from homeassistant.helpers import issue_registry as ir

from custom_components.security_posture.const import DOMAIN

from .helpers import async_scan, async_setup_integration

if TYPE_CHECKING:
    from pathlib import Path

    from pytest_homeassistant_custom_component.common import MockConfigEntry


async def test_setup_scans_and_unload_leaves_nothing(
    hass: HomeAssistant, config_dir: Path, mock_config_entry: MockConfigEntry
) -> None:
    (config_dir / "configuration.yaml").write_text(
        "mqtt:\n  password: hunter2hunter2\n"
    )
    await async_setup_integration(hass, mock_config_entry)
    assert mock_config_entry.state is ConfigEntryState.LOADED
    report = await async_scan(hass)
    assert 0 <= report["score"] <= 100
    assert hass.states.get("sensor.security_posture_score") is not None
    assert await hass.config_entries.async_unload(mock_config_entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert mock_config_entry.state is ConfigEntryState.NOT_LOADED
    assert not [i for (d, i) in ir.async_get(hass).issues if d == DOMAIN]


async def test_first_scan_waits_for_start(
    hass: HomeAssistant, config_dir: Path, mock_config_entry: MockConfigEntry
) -> None:
    hass.set_state(CoreState.starting)
    await async_setup_integration(hass, mock_config_entry)
    coordinator = mock_config_entry.runtime_data
    assert coordinator.data is None
    assert hass.states.get("sensor.security_posture_score").state == "unavailable"
    hass.set_state(CoreState.running)
    hass.bus.async_fire("homeassistant_started")
    await hass.async_block_till_done(wait_background_tasks=True)
    assert coordinator.data is not None
    assert hass.states.get("sensor.security_posture_score").state != "unavailable"
