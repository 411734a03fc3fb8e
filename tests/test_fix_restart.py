"""The `certificate_not_loaded` fix flow: check the configuration, then restart."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from unittest.mock import patch

from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_mock_service,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from .fix_helpers import FlowClient, async_finding, async_setup_http, issues
from .helpers import async_setup_integration
from .remote_access_certs import ec_key, make_cert, write_pair

CHECK_CONFIG = (
    "custom_components.security_posture.fixes.restart.async_check_ha_config_file"
)


@pytest.fixture
async def flows(
    hass: HomeAssistant,
    config_dir: Path,
    mock_config_entry: MockConfigEntry,
    hass_client: ClientSessionGenerator,
) -> FlowClient:
    key = ec_key()
    pair = write_pair(config_dir / "ssl", make_cert(key=key), key)
    (config_dir / "configuration.yaml").write_text(
        f"http:\n  ssl_certificate: {pair.cert}\n  ssl_key: {pair.key}\n"
    )
    pair.cert.write_bytes(
        pair.cert.read_bytes()
    )  # renewed after Home Assistant started
    await async_setup_http(hass)
    await async_setup_integration(hass, mock_config_entry)
    return FlowClient(await hass_client())


async def open_restart(
    hass: HomeAssistant, flows: FlowClient
) -> tuple[dict[str, Any], dict[str, Any]]:
    finding = await async_finding(hass, "certificate_not_loaded")
    menu = await flows.start(finding["id"])
    assert menu["menu_options"] == ["restart", "ignore"]
    assert menu["description_placeholders"]["file"] == "ssl/server.crt"
    form = await flows.choose(menu, "restart")
    assert form["step_id"] == "restart"
    return finding, form


async def test_restart_after_confirmation(
    hass: HomeAssistant, flows: FlowClient
) -> None:
    calls = async_mock_service(hass, "homeassistant", "restart")
    finding, form = await open_restart(hass, flows)
    assert calls == []  # nothing happens before the confirmation
    with patch(CHECK_CONFIG, return_value=None) as check:
        done = await flows.step(form, {})
        await hass.async_block_till_done()
    assert (done["type"], done["description"]) == ("create_entry", "restarting")
    check.assert_awaited_once()
    assert len(calls) == 1
    assert finding["id"] not in issues(hass)


async def test_invalid_configuration_is_not_restarted(
    hass: HomeAssistant, flows: FlowClient
) -> None:
    calls = async_mock_service(hass, "homeassistant", "restart")
    finding, form = await open_restart(hass, flows)
    with patch(CHECK_CONFIG, return_value="Invalid config for 'x': password=CANARY"):
        result = await flows.step(form, {})
        await hass.async_block_till_done()
    assert result["type"] == "abort"
    assert result["reason"] == "config_invalid"
    assert "CANARY" not in str(result)
    assert calls == []
    assert finding["id"] in issues(hass)


async def test_restart_unavailable(hass: HomeAssistant, flows: FlowClient) -> None:
    _, form = await open_restart(hass, flows)
    with patch(CHECK_CONFIG, return_value=None):
        result = await flows.step(form, {})
    assert result["type"] == "abort"
    assert result["reason"] == "restart_failed"
