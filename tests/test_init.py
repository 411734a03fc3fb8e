"""Setup, the first scan after start, rescans, unload."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any
from unittest.mock import patch

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import EVENT_CORE_CONFIG_UPDATE
from homeassistant.core import CoreState, HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import issue_registry as ir
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.security_posture.const import (
    DOMAIN,
    STORAGE_KEY,
    STORAGE_VERSION,
)

from .conftest import STRINGS
from .helpers import (
    PASSWORD_HIT,
    PASSWORD_ID,
    FakeFamily,
    async_scan,
    async_setup_integration,
)


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


async def test_core_config_update_triggers_a_debounced_rescan(
    hass: HomeAssistant,
    config_dir: Path,
    fake_family: FakeFamily,
    mock_config_entry: MockConfigEntry,
) -> None:
    await async_setup_integration(hass, mock_config_entry)
    scans = fake_family.scans
    for _ in range(3):
        hass.bus.async_fire(EVENT_CORE_CONFIG_UPDATE)
    await hass.async_block_till_done(wait_background_tasks=True)
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=3))
    await hass.async_block_till_done(wait_background_tasks=True)
    assert fake_family.scans == scans + 1


async def test_nothing_before_the_first_scan(
    hass: HomeAssistant,
    config_dir: Path,
    fake_family: FakeFamily,
    mock_config_entry: MockConfigEntry,
) -> None:
    hass.set_state(CoreState.starting)
    await async_setup_integration(hass, mock_config_entry)
    coordinator = mock_config_entry.runtime_data
    await coordinator.async_apply_ignores()
    assert coordinator.finding("anything") is None
    with pytest.raises(ServiceValidationError):
        await hass.services.async_call(
            DOMAIN, "ignore_finding", {"finding_id": "anything"}, blocking=True
        )
    assert fake_family.scans == 0


async def test_failed_scan_is_an_error_for_the_action(
    hass: HomeAssistant,
    config_dir: Path,
    fake_family: FakeFamily,
    mock_config_entry: MockConfigEntry,
) -> None:
    await async_setup_integration(hass, mock_config_entry)
    with (
        patch(
            "custom_components.security_posture.coordinator.async_scan",
            side_effect=RuntimeError("engine broke"),
        ),
        pytest.raises(HomeAssistantError) as err,
    ):
        await hass.services.async_call(
            DOMAIN, "scan", {}, blocking=True, return_response=True
        )
    assert err.value.translation_key == "scan_failed"
    assert hass.states.get("sensor.security_posture_score").state == "unavailable"
    # The next scan recovers.
    await hass.services.async_call(DOMAIN, "scan", {}, blocking=True)
    assert hass.states.get("sensor.security_posture_score").state == "100"


async def test_removing_the_entry_removes_its_storage(
    hass: HomeAssistant,
    config_dir: Path,
    fake_family: FakeFamily,
    mock_config_entry: MockConfigEntry,
    hass_storage: dict[str, Any],
) -> None:
    await async_setup_integration(hass, mock_config_entry)
    await hass.config_entries.async_unload(mock_config_entry.entry_id)
    assert STORAGE_KEY in hass_storage
    await hass.config_entries.async_remove(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert STORAGE_KEY not in hass_storage


def _stored(version: int, minor_version: int = 1) -> dict[str, Any]:
    return {
        "version": version,
        "minor_version": minor_version,
        "key": STORAGE_KEY,
        "data": {
            "ignored": {
                PASSWORD_ID: {"reason": "lab box", "at": "2026-01-01T00:00:00"}
            },
            "known": {},
        },
    }


async def test_unreadable_state_retries_setup_and_overwrites_nothing(
    hass: HomeAssistant,
    config_dir: Path,
    fake_family: FakeFamily,
    mock_config_entry: MockConfigEntry,
    hass_storage: dict[str, Any],
) -> None:
    # A newer release of the integration wrote the state, then it was downgraded.
    hass_storage[STORAGE_KEY] = newer = _stored(STORAGE_VERSION + 1)
    fake_family.hits["inline_credential"] = [PASSWORD_HIT]
    mock_config_entry.add_to_hass(hass)
    assert not await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert mock_config_entry.state is ConfigEntryState.SETUP_RETRY
    message = STRINGS["exceptions"]["store_unreadable"]["message"]
    prefix, _, suffix = message.rstrip(".").partition("{error}")
    assert mock_config_entry.reason is not None
    assert mock_config_entry.reason.startswith(prefix)
    assert mock_config_entry.reason.endswith(suffix)
    assert f"version {STORAGE_VERSION + 1}" in mock_config_entry.reason
    # Nothing ran, nothing was raised, and the accepted risk is still on disk.
    assert fake_family.scans == 0
    assert hass.states.get("sensor.security_posture_score") is None
    assert hass_storage[STORAGE_KEY] == newer

    # Readable again: the retry sets it up, and the accepted risk holds.
    hass_storage[STORAGE_KEY] = _stored(STORAGE_VERSION, minor_version=2)
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(minutes=10))
    await hass.async_block_till_done(wait_background_tasks=True)
    assert mock_config_entry.state is ConfigEntryState.LOADED
    report = await async_scan(hass)
    assert [f["ignored"] for f in report["findings"]] == [True]
