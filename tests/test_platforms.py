"""Snapshots of every entity the integration creates: ids, states and attributes.

The 2025.4 test package keeps snapshots in `tests/__snapshots__/`, newer ones in
`tests/snapshots/`: update both with `--snapshot-update` in each environment; they stay equal.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry
from syrupy.assertion import SnapshotAssertion

from custom_components.security_posture.const import DOMAIN

from .helpers import PASSWORD_HIT, ROOT_HIT, FakeFamily, async_setup_integration


def _entities(hass: HomeAssistant, entry: MockConfigEntry) -> dict[str, Any]:
    registry = er.async_get(hass)
    out: dict[str, Any] = {}
    for reg in er.async_entries_for_config_entry(registry, entry.entry_id):
        state = hass.states.get(reg.entity_id)
        assert state is not None
        out[reg.entity_id] = {
            "unique_id": reg.unique_id.removeprefix(f"{entry.entry_id}_"),
            "translation_key": reg.translation_key,
            "device_class": reg.original_device_class,
            "state": "<timestamp>" if reg.domain == "event" else state.state,
            "attributes": dict(state.attributes),
        }
    return out


async def test_entities_snapshot(
    hass: HomeAssistant,
    config_dir: Path,
    fake_family: FakeFamily,
    mock_config_entry: MockConfigEntry,
    snapshot: SnapshotAssertion,
) -> None:
    fake_family.hits["inline_credential"] = [PASSWORD_HIT]
    fake_family.hits["ssh_root_login"] = [ROOT_HIT]
    await async_setup_integration(hass, mock_config_entry)
    assert _entities(hass, mock_config_entry) == snapshot

    device = dr.async_get(hass).async_get_device({(DOMAIN, mock_config_entry.entry_id)})
    assert device is not None
    assert device.name == "Security Posture"
    assert device.entry_type is dr.DeviceEntryType.SERVICE
    assert len(er.async_entries_for_device(er.async_get(hass), device.id)) == 11
