"""The posture card: served and registered by the integration, and the report it reads."""

from __future__ import annotations

from http import HTTPStatus
from pathlib import Path
from typing import Any
from unittest.mock import patch

from homeassistant.components.frontend import DATA_EXTRA_MODULE_URL, UrlManager
from homeassistant.const import EVENT_COMPONENT_LOADED
from homeassistant.core import HomeAssistant
from homeassistant.setup import ATTR_COMPONENT, async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    mock_component,
)
from pytest_homeassistant_custom_component.typing import (
    ClientSessionGenerator,
    WebSocketGenerator,
)

from custom_components.security_posture import card
from custom_components.security_posture.const import DOMAIN

from .helpers import (
    PASSWORD_HIT,
    PASSWORD_ID,
    FakeFamily,
    async_scan,
    async_setup_integration,
)

SUBSCRIBE = {"type": "security_posture/subscribe_report"}


@pytest.fixture
async def loaded(
    hass: HomeAssistant,
    config_dir: Path,
    fake_family: FakeFamily,
    mock_config_entry: MockConfigEntry,
) -> FakeFamily:
    fake_family.hits["inline_credential"] = [PASSWORD_HIT]
    await async_setup_integration(hass, mock_config_entry)
    return fake_family


async def test_card_is_served_and_loaded_on_every_page(
    hass: HomeAssistant, config_dir: Path, hass_client: ClientSessionGenerator
) -> None:
    assert await async_setup_component(hass, "http", {})
    urls = UrlManager(lambda *_: None, [])
    hass.data[DATA_EXTRA_MODULE_URL] = urls
    assert await async_setup_component(hass, DOMAIN, {})
    assert urls.urls == frozenset()  # not before the frontend is set up
    mock_component(hass, "frontend")
    hass.bus.async_fire(EVENT_COMPONENT_LOADED, {ATTR_COMPONENT: "frontend"})
    await hass.async_block_till_done()
    (url,) = urls.urls
    path, version = url.split("?v=")
    assert path == card.CARD_URL
    assert len(version) == 12

    client = await hass_client()
    response = await client.get(url)
    assert response.status == HTTPStatus.OK
    body = await response.read()
    assert body == card.CARD_FILE.read_bytes()
    assert b"security-posture-card" in body
    assert "javascript" in response.headers["Content-Type"]


async def test_a_missing_card_is_reported_not_served(
    hass: HomeAssistant,
    config_dir: Path,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    assert await async_setup_component(hass, "http", {})
    urls = UrlManager(lambda *_: None, [])
    hass.data[DATA_EXTRA_MODULE_URL] = urls
    with patch.object(card, "CARD_FILE", tmp_path / "missing.js"):
        await card._async_register(hass, "frontend")
    assert urls.urls == frozenset()
    assert "The posture card is missing" in caplog.text


async def _next(client: Any) -> dict[str, Any]:
    message: dict[str, Any] = await client.receive_json()
    assert message["type"] == "event", message
    event: dict[str, Any] = message["event"]
    return event


async def test_the_report_now_and_after_every_change(
    hass: HomeAssistant,
    loaded: FakeFamily,
    mock_config_entry: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
) -> None:
    client = await hass_ws_client(hass)
    await client.send_json_auto_id(SUBSCRIBE)
    assert (await client.receive_json())["success"]
    first = await _next(client)
    assert first["report"]["score"] == 80
    assert [f["id"] for f in first["report"]["findings"]] == [PASSWORD_ID]
    assert first["accepted"] == {}

    await hass.services.async_call(
        DOMAIN,
        "ignore_finding",
        {"finding_id": PASSWORD_ID, "reason": "test bench"},
        blocking=True,
    )
    accepted = await _next(client)
    assert accepted["report"]["findings"][0]["ignored"] is True
    assert accepted["accepted"][PASSWORD_ID]["reason"] == "test bench"

    await async_scan(hass)
    assert (await _next(client))["report"]["score"] == 100

    assert await hass.config_entries.async_unload(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert await _next(client) == {"report": None, "accepted": {}}


async def test_only_administrators_read_the_report(
    hass: HomeAssistant,
    loaded: FakeFamily,
    hass_ws_client: WebSocketGenerator,
    hass_read_only_access_token: str,
) -> None:
    client = await hass_ws_client(hass, hass_read_only_access_token)
    await client.send_json_auto_id(SUBSCRIBE)
    response = await client.receive_json()
    assert not response["success"]
    assert response["error"]["code"] == "unauthorized"
