"""Diagnostics: report and options."""

from __future__ import annotations

from pathlib import Path

from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from .helpers import PASSWORD_HIT, PASSWORD_ID, FakeFamily, async_setup_integration


async def test_diagnostics(
    hass: HomeAssistant,
    config_dir: Path,
    fake_family: FakeFamily,
    mock_config_entry: MockConfigEntry,
    hass_client: ClientSessionGenerator,
) -> None:
    fake_family.hits["inline_credential"] = [PASSWORD_HIT]
    await async_setup_integration(hass, mock_config_entry)
    diagnostics = await get_diagnostics_for_config_entry(
        hass, hass_client, mock_config_entry
    )
    assert diagnostics["options"] == {}
    assert diagnostics["ignored"] == []
    report = diagnostics["report"]
    assert report["score"] == 80
    assert [f["id"] for f in report["findings"]] == [PASSWORD_ID]
    assert report["findings"][0]["key"] == "mqtt.password"
    assert {c["check"] for c in report["checks"]} == {
        "inline_credential",
        "ssh_root_login",
    }
