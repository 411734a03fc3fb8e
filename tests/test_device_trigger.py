"""Device triggers of the Security Posture device, driven through real automations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from homeassistant.components.device_automation import DeviceAutomationType
from homeassistant.components.device_automation.exceptions import (
    InvalidDeviceAutomationConfig,
)
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant, ServiceCall, State, callback
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_get_device_automations,
    async_mock_service,
)
from pytest_homeassistant_custom_component.typing import WebSocketGenerator
import voluptuous as vol

from custom_components.security_posture import device_trigger
from custom_components.security_posture.const import DOMAIN
from custom_components.security_posture.model import Hit, Severity

from .conftest import STRINGS
from .helpers import (
    PASSWORD_HIT,
    ROOT_HIT,
    ROOT_ID,
    FakeFamily,
    async_scan,
    async_setup_integration,
    service_device,
)


def _device_id(hass: HomeAssistant, entry: MockConfigEntry) -> str:
    device = service_device(hass, entry)
    assert device.identifiers == {(DOMAIN, entry.entry_id)}
    return device.id


@pytest.fixture
async def device_id(
    hass: HomeAssistant,
    config_dir: Path,
    fake_family: FakeFamily,
    mock_config_entry: MockConfigEntry,
) -> str:
    await async_setup_integration(hass, mock_config_entry)
    return _device_id(hass, mock_config_entry)


@pytest.fixture
def calls(hass: HomeAssistant) -> list[ServiceCall]:
    return async_mock_service(hass, "test", "automation")


async def _automations(
    hass: HomeAssistant, device_id: str, triggers: dict[str, dict[str, Any]]
) -> None:
    """One automation per named trigger; each calls `test.automation` with its name."""
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": [
                {
                    "alias": name,
                    "triggers": [
                        {
                            "trigger": "device",
                            "domain": DOMAIN,
                            "device_id": device_id,
                            **options,
                        }
                    ],
                    "actions": [
                        {
                            "action": "test.automation",
                            "data": {
                                "name": name,
                                "platform": "{{ trigger.platform }}",
                                "data": "{{ trigger.event.data if trigger.event is defined else trigger.to_state.state }}",
                            },
                        }
                    ],
                }
                for name, options in triggers.items()
            ]
        },
    )
    await hass.async_block_till_done()


def _fired(calls: list[ServiceCall]) -> list[str]:
    names = [call.data["name"] for call in calls]
    calls.clear()
    return sorted(names)


async def test_the_device_lists_its_triggers(
    hass: HomeAssistant, device_id: str
) -> None:
    triggers = await async_get_device_automations(
        hass, DeviceAutomationType.TRIGGER, device_id
    )
    ours = [t for t in triggers if t["domain"] == DOMAIN]
    assert sorted(t["type"] for t in ours) == [
        "finding_resolved",
        "new_finding",
        "new_login",
        "score_below",
    ]
    assert all(t["device_id"] == device_id and t["platform"] == "device" for t in ours)


async def test_capabilities_reach_the_editor(
    hass: HomeAssistant, device_id: str, hass_ws_client: WebSocketGenerator
) -> None:
    assert await async_setup_component(hass, "device_automation", {})
    client = await hass_ws_client(hass)

    async def fields(trigger_type: str) -> dict[str, dict[str, Any]]:
        await client.send_json_auto_id(
            {
                "type": "device_automation/trigger/capabilities",
                "trigger": {
                    "trigger": "device",
                    "domain": DOMAIN,
                    "device_id": device_id,
                    "type": trigger_type,
                },
            }
        )
        msg = await client.receive_json()
        assert msg["success"], msg
        return {f["name"]: f for f in msg["result"]["extra_fields"]}

    new = await fields("new_finding")
    assert set(new) == {"family", "min_severity"}
    assert new["family"]["optional"]
    select = new["min_severity"]["selector"]["select"]
    assert select["translation_key"] == "severity"
    assert [o["value"] for o in select["options"]] == [
        "critical",
        "high",
        "medium",
        "low",
        "info",
    ]
    family = new["family"]["selector"]["select"]
    assert {o["value"]: o["label"] for o in family["options"]}["remote_access"] == (
        "Remote access"
    )
    assert set(await fields("finding_resolved")) == {"family"}
    below = (await fields("score_below"))["below"]
    assert below["required"]
    assert below["selector"]["number"]["max"] == 100
    any_source = (await fields("new_login"))["any_source"]
    assert any_source["optional"]
    assert any_source["default"] is False
    assert "boolean" in any_source["selector"]


async def test_finding_triggers_follow_family_and_severity(
    hass: HomeAssistant,
    device_id: str,
    fake_family: FakeFamily,
    calls: list[ServiceCall],
) -> None:
    await _automations(
        hass,
        device_id,
        {
            "any": {"type": "new_finding"},
            "secrets": {"type": "new_finding", "family": "secrets"},
            "high+": {"type": "new_finding", "min_severity": "high"},
            "host high+": {
                "type": "new_finding",
                "family": "host",
                "min_severity": "high",
            },
            "resolved": {"type": "finding_resolved"},
            "resolved host": {"type": "finding_resolved", "family": "host"},
        },
    )

    fake_family.hits["ssh_root_login"] = [ROOT_HIT]  # host, low
    await async_scan(hass)
    assert [(c.data["name"], c.data["platform"]) for c in calls] == [("any", "device")]
    assert calls[0].data["data"] == {
        "action": "new",
        "finding_id": ROOT_ID,
        "check": "ssh_root_login",
        "family": "host",
        "severity": "low",
        "title": ROOT_HIT.title,
        "entity_id": "event.security_posture_findings",
    }
    calls.clear()

    fake_family.hits["inline_credential"] = [PASSWORD_HIT]  # secrets, high
    await async_scan(hass)
    assert _fired(calls) == ["any", "high+", "secrets"]

    # Nothing changed: no transition, nothing fires.
    await async_scan(hass)
    assert _fired(calls) == []

    fake_family.hits["ssh_root_login"] = []
    await async_scan(hass)
    assert _fired(calls) == ["resolved", "resolved host"]

    fake_family.hits["inline_credential"] = []
    await async_scan(hass)
    assert _fired(calls) == ["resolved"]

    # The same host check raised to critical: at or above high.
    fake_family.hits["ssh_root_login"] = [
        Hit(
            subject="other",
            title="Root login",
            severity=Severity.CRITICAL,
            placeholders={"detail": "x"},
        )
    ]
    await async_scan(hass)
    assert _fired(calls) == ["any", "high+", "host high+"]

    # Turned off, an automation's listeners are gone.
    await hass.services.async_call(
        "automation", "turn_off", {"entity_id": "automation.any"}, blocking=True
    )
    fake_family.hits["ssh_root_login"].append(ROOT_HIT)
    await async_scan(hass)
    assert _fired(calls) == []


@pytest.mark.parametrize(
    ("minimum", "expected"),
    [
        ("info", ["critical", "high", "info", "low", "medium"]),
        ("low", ["critical", "high", "low", "medium"]),
        ("medium", ["critical", "high", "medium"]),
        ("high", ["critical", "high"]),
        ("critical", ["critical"]),
    ],
)
async def test_minimum_severity_is_a_rank(
    hass: HomeAssistant,
    device_id: str,
    fake_family: FakeFamily,
    calls: list[ServiceCall],
    minimum: str,
    expected: list[str],
) -> None:
    await _automations(
        hass, device_id, {"min": {"type": "new_finding", "min_severity": minimum}}
    )
    fake_family.hits["ssh_root_login"] = [
        Hit(
            subject=str(severity),
            title=f"A {severity} finding",
            severity=severity,
            placeholders={"detail": "x"},
        )
        for severity in Severity
    ]
    await async_scan(hass)
    assert sorted(c.data["data"]["severity"] for c in calls) == expected


async def test_score_trigger_fires_on_a_drop_only(
    hass: HomeAssistant,
    device_id: str,
    fake_family: FakeFamily,
    calls: list[ServiceCall],
) -> None:
    await _automations(
        hass,
        device_id,
        {
            "below 90": {"type": "score_below", "below": 90},
            "below 50": {"type": "score_below", "below": "50"},
        },
    )
    score = "sensor.security_posture_score"
    assert hass.states.get(score).state == "100"

    fake_family.hits["inline_credential"] = [PASSWORD_HIT]  # 100 -> 80
    await async_scan(hass)
    assert [(c.data["name"], c.data["platform"], c.data["data"]) for c in calls] == [
        ("below 90", "device", 80)
    ]
    calls.clear()

    fake_family.hits["ssh_root_login"] = [ROOT_HIT]  # 80 -> 77: still below
    await async_scan(hass)
    assert hass.states.get(score).state == "77"
    assert _fired(calls) == []

    fake_family.hits["inline_credential"] = []  # 77 -> 97 -> 77
    await async_scan(hass)
    assert _fired(calls) == []
    fake_family.hits["inline_credential"] = [PASSWORD_HIT]
    await async_scan(hass)
    assert _fired(calls) == ["below 90"]


async def test_score_already_low_after_a_reload_is_no_drop(
    hass: HomeAssistant,
    device_id: str,
    fake_family: FakeFamily,
    mock_config_entry: MockConfigEntry,
    calls: list[ServiceCall],
) -> None:
    fake_family.hits["inline_credential"] = [PASSWORD_HIT]
    await async_scan(hass)
    await _automations(
        hass, device_id, {"below 90": {"type": "score_below", "below": 90}}
    )
    score = "sensor.security_posture_score"
    seen: list[str] = []

    @callback
    def _record(event: Any) -> None:
        seen.append(event.data["new_state"].state)

    hass.bus.async_listen("state_changed", _record)
    assert await hass.config_entries.async_reload(mock_config_entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert hass.states.get(score).state == "80"
    assert STATE_UNAVAILABLE in seen  # the sensor really went through unavailable
    assert _fired(calls) == []

    fake_family.hits["inline_credential"] = []
    await async_scan(hass)
    fake_family.hits["inline_credential"] = [PASSWORD_HIT]
    await async_scan(hass)
    assert _fired(calls) == ["below 90"]


@pytest.mark.parametrize(
    "options",
    [
        {"type": "nope"},
        {"type": "new_finding", "family": "garden"},
        {"type": "new_finding", "min_severity": "dire"},
        {"type": "finding_resolved", "min_severity": "high"},
        {"type": "score_below"},
        {"type": "score_below", "below": 101},
        {"type": "score_below", "below": "a lot"},
        {"type": "score_below", "below": 50, "family": "host"},
        {"type": "new_login", "any_source": "sometimes"},
        {"type": "new_login", "family": "host"},
    ],
)
async def test_invalid_options_are_refused(
    hass: HomeAssistant, device_id: str, options: dict[str, Any]
) -> None:
    config = {"platform": "device", "domain": DOMAIN, "device_id": device_id, **options}
    with pytest.raises(vol.Invalid):
        await device_trigger.async_validate_trigger_config(hass, config)


async def test_valid_options_are_kept(hass: HomeAssistant, device_id: str) -> None:
    config = await device_trigger.async_validate_trigger_config(
        hass,
        {
            "platform": "device",
            "domain": DOMAIN,
            "device_id": device_id,
            "type": "score_below",
            "below": "60",
        },
    )
    assert config["below"] == 60.0


def _trigger_info() -> Any:
    return {
        "domain": "test",
        "name": "test",
        "home_assistant_start": False,
        "variables": {},
        "trigger_data": {"id": "0", "idx": "0", "alias": None},
    }


async def test_score_trigger_needs_the_score_sensor(
    hass: HomeAssistant, device_id: str
) -> None:
    registry = er.async_get(hass)
    registry.async_remove("sensor.security_posture_score")
    with pytest.raises(InvalidDeviceAutomationConfig) as raised:
        await device_trigger.async_attach_trigger(
            hass,
            {"device_id": device_id, "type": "score_below", "below": 90.0},
            lambda *args: None,
            _trigger_info(),
        )
    assert raised.value.translation_domain == DOMAIN
    assert raised.value.translation_key == "score_sensor_missing"
    # Users read the translated text (Home Assistant drops the final full stop).
    message = STRINGS["exceptions"]["score_sensor_missing"]["message"]
    assert str(raised.value) == message.rstrip(".")


async def test_score_trigger_follows_a_renamed_sensor_and_sync_actions(
    hass: HomeAssistant, device_id: str, fake_family: FakeFamily
) -> None:
    registry = er.async_get(hass)
    registry.async_update_entity(
        "sensor.security_posture_score", new_entity_id="sensor.posture"
    )
    await hass.async_block_till_done()
    seen: list[dict[str, Any]] = []

    @callback
    def action(run_variables: dict[str, Any], context: Any = None) -> None:
        seen.append(run_variables["trigger"])

    remove = await device_trigger.async_attach_trigger(
        hass,
        {"device_id": device_id, "type": "score_below", "below": 90.0},
        action,
        _trigger_info(),
    )
    fake_family.hits["inline_credential"] = [PASSWORD_HIT]
    await async_scan(hass)
    assert [(t["entity_id"], t["to_state"].state) for t in seen] == [
        ("sensor.posture", "80")
    ]
    remove()
    fake_family.hits["inline_credential"] = []
    await async_scan(hass)
    fake_family.hits["inline_credential"] = [PASSWORD_HIT]
    await async_scan(hass)
    assert len(seen) == 1


def test_only_numbers_count_as_a_previous_score() -> None:
    assert not device_trigger._is_number(None)
    assert not device_trigger._is_number(State("sensor.x", STATE_UNAVAILABLE))
    assert not device_trigger._is_number(State("sensor.x", "unknown"))
    assert device_trigger._is_number(State("sensor.x", "97"))
