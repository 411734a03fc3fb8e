"""Snapshots of every entity the integration creates, one platform at a time.

`snapshot_platform` (Home Assistant's own helper) snapshots each entity's registry entry and
state; tests/snapshot.py keeps the snapshots equal on both test ends. Update them with
`scripts/test tests/test_platforms.py --snapshot-update`.
"""

from __future__ import annotations

from pathlib import Path
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    snapshot_platform,
)
from syrupy.assertion import SnapshotAssertion

from custom_components.security_posture.const import DOMAIN

from .helpers import (
    PASSWORD_HIT,
    ROOT_HIT,
    FakeFamily,
    async_setup_integration,
    service_device,
)


@pytest.fixture
def mock_config_entry() -> MockConfigEntry:
    """The entry with a fixed id, which the unique ids carry."""
    return MockConfigEntry(
        domain=DOMAIN,
        title="Security Posture",
        data={},
        entry_id="security_posture_entry",
    )


@pytest.mark.parametrize(
    "platform", [Platform.BINARY_SENSOR, Platform.EVENT, Platform.SENSOR]
)
async def test_entities_snapshot(
    hass: HomeAssistant,
    config_dir: Path,
    fake_family: FakeFamily,
    mock_config_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    freezer: FrozenDateTimeFactory,
    platform: Platform,
) -> None:
    freezer.move_to("2026-11-27T16:00:00+00:00")
    fake_family.hits["inline_credential"] = [PASSWORD_HIT]
    if platform is not Platform.EVENT:
        # One event only: newer releases keep each event's timestamp a millisecond after
        # the one before, so two events at a frozen time would differ between the ends.
        fake_family.hits["ssh_root_login"] = [ROOT_HIT]
    with patch("custom_components.security_posture.PLATFORMS", [platform]):
        await async_setup_integration(hass, mock_config_entry)
    await snapshot_platform(hass, entity_registry, snapshot, mock_config_entry.entry_id)


async def test_one_service_device_carries_every_entity(
    hass: HomeAssistant,
    config_dir: Path,
    fake_family: FakeFamily,
    mock_config_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    await async_setup_integration(hass, mock_config_entry)
    device = service_device(hass, mock_config_entry)
    assert device.identifiers == {(DOMAIN, mock_config_entry.entry_id)}
    assert device.name == "Security Posture"
    assert device.entry_type is dr.DeviceEntryType.SERVICE
    assert len(er.async_entries_for_device(entity_registry, device.id)) == 17
