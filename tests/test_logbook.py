"""The logbook names each finding, on the findings event entity's log and on the whole one.

Run against Home Assistant's real recorder (in-memory SQLite) and logbook, read back through
the websocket command the frontend uses.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from homeassistant.core import Event, HomeAssistant
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, mock_component
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
)
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from custom_components.security_posture.const import (
    DOMAIN,
    EVENT_FAILED_LOGIN,
    EVENT_FINDING,
)
from custom_components.security_posture.logbook import (
    describe_failed_login,
    describe_finding,
)

from .helpers import (
    PASSWORD_HIT,
    ROOT_HIT,
    FakeFamily,
    async_scan,
    async_setup_integration,
)

EVENT_ENTITY = "event.security_posture_findings"


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(
    recorder_mock: Any, enable_custom_integrations: None
) -> None:
    """The recorder is set up before `hass`: request it before the custom integrations."""


@pytest.fixture
async def logbook(hass: HomeAssistant) -> None:
    """The logbook, on the recorder, as a real instance has them.

    The frontend it depends on is not installed here: only its panel would be missing.
    """
    mock_component(hass, "frontend")
    assert await async_setup_component(hass, "logbook", {})


async def _entries(
    hass: HomeAssistant,
    hass_ws_client: WebSocketGenerator,
    start: Any,
    entity_ids: list[str] | None = None,
) -> list[dict[str, Any]]:
    await hass.async_block_till_done()
    await async_wait_recording_done(hass)
    client = await hass_ws_client(hass)
    command: dict[str, Any] = {
        "type": "logbook/get_events",
        "start_time": start.isoformat(),
    }
    if entity_ids is not None:
        command["entity_ids"] = entity_ids
    await client.send_json_auto_id(command)
    response = await client.receive_json()
    assert response["success"], response
    result: list[dict[str, Any]] = response["result"]
    return result


async def test_each_row_names_the_finding(
    hass: HomeAssistant,
    logbook: None,
    config_dir: Path,
    fake_family: FakeFamily,
    mock_config_entry: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
) -> None:
    start = dt_util.utcnow()
    fake_family.hits["inline_credential"] = [PASSWORD_HIT]
    await async_setup_integration(hass, mock_config_entry)
    # One transition per scan: the event entity's state is the time of its last event, and
    # the logbook shows a state only when it differs from the one before.
    fake_family.hits["ssh_root_login"] = [ROOT_HIT]
    await async_scan(hass)
    fake_family.hits["ssh_root_login"] = []
    await async_scan(hass)

    messages = [
        f"found (high): {PASSWORD_HIT.title}",
        f"found (low): {ROOT_HIT.title}",
        f"resolved: {ROOT_HIT.title}",
    ]
    # The bus events, described, belong to the event entity: on its own log, and on the
    # whole logbook; each comes right after the entity's own row, so it shows above it.
    for entity_ids in ([EVENT_ENTITY], None):
        rows = await _entries(hass, hass_ws_client, start, entity_ids)
        ours = [r for r in rows if r.get("entity_id") == EVENT_ENTITY]
        # The entity's state (when its last event fired), then the event naming it.
        assert [r.get("message", "state" in r) for r in ours] == [
            True,
            messages[0],
            True,
            messages[1],
            True,
            messages[2],
        ]
        described = [r for r in ours if "message" in r]
        assert {(r["name"], r["domain"]) for r in described} == {
            ("Security Posture", DOMAIN)
        }


def _event(event_type: str, **data: Any) -> Event:
    return Event(event_type, data)


def test_descriptions_without_all_fields() -> None:
    """Older or partial event data still gives a readable row."""
    assert describe_finding(_event(EVENT_FINDING))["message"] == (
        "found (unknown): a finding"
    )
    assert describe_finding(
        _event(EVENT_FINDING, action="resolved", finding_id="x_1")
    ) == {"name": "Security Posture", "message": "resolved: x_1"}
    assert describe_failed_login(
        _event(EVENT_FAILED_LOGIN, kind="ban", ip_address="203.0.113.9")
    ) == {"name": "Security Posture", "message": "banned 203.0.113.9"}
    assert describe_failed_login(
        _event(EVENT_FAILED_LOGIN, kind="failed_login", host="phone.lan")
    )["message"] == ("saw a failed login from phone.lan")
    assert describe_failed_login(_event(EVENT_FAILED_LOGIN))["message"] == (
        "saw a failed login from an unknown address"
    )
