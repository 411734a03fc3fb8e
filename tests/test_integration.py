"""What the integration does with findings: entities, repairs, events, actions, ignores."""

from __future__ import annotations

from http import HTTPStatus
from pathlib import Path

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import entity_registry as er, issue_registry as ir
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)
from pytest_homeassistant_custom_component.typing import (
    ClientSessionGenerator,
    WebSocketGenerator,
)

from custom_components.security_posture.const import DOMAIN, EVENT_FINDING
from custom_components.security_posture.model import Hit, Severity

from .fix_helpers import FlowClient
from .helpers import (
    PASSWORD_HIT,
    PASSWORD_ID,
    ROOT_HIT,
    ROOT_ID,
    FakeFamily,
    async_scan,
    async_setup_integration,
)


def _issues(hass: HomeAssistant) -> dict[str, ir.IssueEntry]:
    return {i: e for (d, i), e in ir.async_get(hass).issues.items() if d == DOMAIN}


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


async def test_entities_follow_the_report(
    hass: HomeAssistant, loaded: FakeFamily
) -> None:
    assert hass.states.get("sensor.security_posture_score").state == "80"
    assert hass.states.get("sensor.security_posture_score").attributes["grade"] == "B"
    findings = hass.states.get("sensor.security_posture_findings")
    assert findings.state == "1"
    assert findings.attributes["high"] == 1
    assert findings.attributes["low"] == 0
    assert hass.states.get("sensor.security_posture_inline_credentials").state == "1"
    # No update_pending check ran: not a count of zero.
    assert hass.states.get("sensor.security_posture_pending_updates").state == "unknown"
    assert hass.states.get("sensor.security_posture_grade").state == "B"
    assert hass.states.get("sensor.security_posture_last_scan").state.startswith("20")
    assert (
        hass.states.get("sensor.security_posture_certificate_expiry").state == "unknown"
    )
    secrets = hass.states.get("binary_sensor.security_posture_secrets")
    assert secrets.state == "on"
    assert secrets.attributes["device_class"] == "problem"
    assert secrets.attributes["findings"] == [
        {"id": PASSWORD_ID, "check": "inline_credential", "severity": "high"}
    ]
    assert hass.states.get("binary_sensor.security_posture_host").state == "off"
    # No check of these families ran: unavailable, not "off".
    assert (
        hass.states.get("binary_sensor.security_posture_updates").state == "unavailable"
    )

    loaded.hits["inline_credential"] = []
    loaded.hits["ssh_root_login"] = [ROOT_HIT]
    await async_scan(hass)
    assert hass.states.get("sensor.security_posture_score").state == "97"
    assert hass.states.get("binary_sensor.security_posture_secrets").state == "off"
    assert hass.states.get("binary_sensor.security_posture_host").state == "on"
    assert hass.states.get("sensor.security_posture_inline_credentials").state == "0"

    loaded.unknown.add("inline_credential")
    await async_scan(hass)
    assert (
        hass.states.get("binary_sensor.security_posture_secrets").state == "unavailable"
    )
    assert (
        hass.states.get("sensor.security_posture_inline_credentials").state == "unknown"
    )


async def test_one_rule_for_every_number(
    hass: HomeAssistant, loaded: FakeFamily
) -> None:
    """A finding counts while it has an active repair: not accepted, severity low or up."""
    loaded.hits["ssh_root_login"] = [
        Hit(subject="advice", title="Just so you know", severity=Severity.INFO)
    ]
    await async_scan(hass)
    # An info finding: no repair, so no problem, no count.
    assert hass.states.get("binary_sensor.security_posture_host").state == "off"
    findings = hass.states.get("sensor.security_posture_findings")
    assert findings.state == "1"
    assert findings.attributes["unit_of_measurement"] == "findings"
    assert {
        key: findings.attributes[key]
        for key in ("critical", "high", "medium", "low", "accepted")
    } == {"critical": 0, "high": 1, "medium": 0, "low": 0, "accepted": 0}
    assert "info" not in findings.attributes
    active = [i for i in _issues(hass).values() if i.dismissed_version is None]
    assert len(active) == int(findings.state)

    # An accepted risk: listed as accepted, counted nowhere else.
    await hass.services.async_call(
        DOMAIN, "ignore_finding", {"finding_id": PASSWORD_ID}, blocking=True
    )
    findings = hass.states.get("sensor.security_posture_findings")
    assert (findings.state, findings.attributes["accepted"]) == ("0", 1)
    assert hass.states.get("sensor.security_posture_inline_credentials").state == "0"
    assert hass.states.get("binary_sensor.security_posture_secrets").state == "off"
    assert hass.states.get("sensor.security_posture_score").state == "100"


async def test_repair_issues_follow_findings(
    hass: HomeAssistant, loaded: FakeFamily
) -> None:
    issue = _issues(hass)[PASSWORD_ID]
    assert issue.translation_key == "inline_credential"
    assert issue.severity is ir.IssueSeverity.ERROR
    assert issue.is_fixable
    assert issue.learn_more_url
    assert issue.translation_placeholders == {
        "title": PASSWORD_HIT.title,
        "subject": PASSWORD_HIT.subject,
        "location": "`configuration.yaml`, line 3, key `mqtt.password`",
        "file": "configuration.yaml",
        "key": "mqtt.password",
        "kind": "password",
        "detail": "",
        "learn_more": "https://www.home-assistant.io/docs/configuration/securing/",
    }

    loaded.hits["ssh_root_login"] = [ROOT_HIT]
    await async_scan(hass)
    assert _issues(hass)[ROOT_ID].severity is ir.IssueSeverity.WARNING
    assert (
        _issues(hass)[ROOT_ID].translation_placeholders["location"] == ROOT_HIT.subject
    )

    # A check that cannot run keeps its issue; a resolved finding loses it.
    loaded.unknown.add("inline_credential")
    loaded.hits["ssh_root_login"] = []
    await async_scan(hass)
    assert set(_issues(hass)) == {PASSWORD_ID}
    loaded.unknown.clear()
    loaded.hits["inline_credential"] = []
    await async_scan(hass)
    assert _issues(hass) == {}


async def test_info_findings_raise_no_issue(
    hass: HomeAssistant, loaded: FakeFamily
) -> None:
    loaded.hits["ssh_root_login"] = [
        Hit(
            subject="x",
            title="Just so you know",
            severity=__import__(
                "custom_components.security_posture.model", fromlist=["Severity"]
            ).Severity.INFO,
        )
    ]
    report = await async_scan(hass)
    assert {f["severity"] for f in report["findings"]} == {"high", "info"}
    assert set(_issues(hass)) == {PASSWORD_ID}


async def test_accept_risk_keeps_an_ignored_repair_that_takes_it_back(
    hass: HomeAssistant, loaded: FakeFamily, hass_client: ClientSessionGenerator
) -> None:
    flows = FlowClient(await hass_client())
    menu = await flows.start(PASSWORD_ID)
    # inline_credential has a fix flow: a menu whose `ignore` option accepts the risk.
    assert menu["type"] == "menu"
    assert menu["menu_options"] == ["move_to_secrets", "ignore"]
    confirm = await flows.choose(menu, "ignore")
    assert confirm["step_id"] == "confirm"
    assert confirm["description_placeholders"]["location"].startswith(
        "`configuration.yaml`"
    )
    # The reason is asked for, optional, as long as the action takes.
    [reason] = confirm["data_schema"]
    assert (reason["name"], reason["optional"]) == ("reason", True)
    done = await flows.step(confirm, {"reason": "  lab instance  "})
    # Ended by an abort, as core's own accept-the-risk steps are: a finished flow would
    # delete the issue.
    assert (done["type"], done["reason"]) == ("abort", "risk_accepted")
    await hass.async_block_till_done()
    issue = _issues(hass)[PASSWORD_ID]
    assert issue.dismissed_version is not None  # "Show ignored repairs" lists it
    assert hass.states.get("sensor.security_posture_score").state == "100"
    assert hass.states.get("binary_sensor.security_posture_secrets").state == "off"
    store = hass.config_entries.async_entries(DOMAIN)[0].runtime_data.store
    assert store.accepted(PASSWORD_ID)["reason"] == "lab instance"
    report = await async_scan(hass)
    assert report["findings"][0]["ignored"] is True
    assert _issues(hass)[PASSWORD_ID].dismissed_version is not None

    # Opened from the ignored repairs: when and why, and the offer to count it again.
    accepted = await flows.start(PASSWORD_ID)
    assert accepted["step_id"] == "accepted"
    assert accepted["description_placeholders"]["reason"] == "lab instance"
    assert accepted["description_placeholders"]["accepted_on"][:2] == "20"
    done = await flows.step(accepted, {})
    assert (done["type"], done["reason"]) == ("abort", "risk_counted")
    await hass.async_block_till_done()
    assert _issues(hass)[PASSWORD_ID].dismissed_version is None
    assert hass.states.get("sensor.security_posture_score").state == "80"
    assert store.accepted(PASSWORD_ID) is None


async def test_accept_risk_of_a_check_without_fix(
    hass: HomeAssistant, loaded: FakeFamily, hass_client: ClientSessionGenerator
) -> None:
    loaded.hits["ssh_root_login"] = [ROOT_HIT]
    await async_scan(hass)
    flows = FlowClient(await hass_client())
    confirm = await flows.start(ROOT_ID)
    assert (confirm["type"], confirm["step_id"]) == ("form", "confirm")
    done = await flows.step(confirm, {})
    assert done["reason"] == "risk_accepted"
    store = hass.config_entries.async_entries(DOMAIN)[0].runtime_data.store
    assert store.accepted(ROOT_ID)["reason"] is None
    accepted = await flows.start(ROOT_ID)
    assert accepted["description_placeholders"]["reason"] == "\u2014"


async def test_ignoring_in_the_issue_registry_accepts_no_risk(
    hass: HomeAssistant, loaded: FakeFamily, hass_ws_client: WebSocketGenerator
) -> None:
    """The repairs/ignore_issue command (open to every user) is put back; nothing is accepted."""
    client = await hass_ws_client(hass)
    await client.send_json_auto_id(
        {
            "type": "repairs/ignore_issue",
            "domain": DOMAIN,
            "issue_id": PASSWORD_ID,
            "ignore": True,
        }
    )
    assert (await client.receive_json())["success"]
    await hass.async_block_till_done()
    assert _issues(hass)[PASSWORD_ID].dismissed_version is None
    assert hass.states.get("sensor.security_posture_score").state == "80"
    report = await async_scan(hass)
    assert report["findings"][0]["ignored"] is False

    # An accepted risk stays accepted when its issue is un-ignored from outside.
    await hass.services.async_call(
        DOMAIN, "ignore_finding", {"finding_id": PASSWORD_ID}, blocking=True
    )
    await hass.async_block_till_done()
    assert _issues(hass)[PASSWORD_ID].dismissed_version is not None
    await client.send_json_auto_id(
        {
            "type": "repairs/ignore_issue",
            "domain": DOMAIN,
            "issue_id": PASSWORD_ID,
            "ignore": False,
        }
    )
    assert (await client.receive_json())["success"]
    await hass.async_block_till_done()
    assert _issues(hass)[PASSWORD_ID].dismissed_version is not None
    assert hass.states.get("sensor.security_posture_score").state == "100"

    # Issues of other integrations are left alone.
    ir.async_create_issue(
        hass,
        "other",
        "x",
        is_fixable=False,
        severity=ir.IssueSeverity.WARNING,
        translation_key="x",
    )
    ir.async_ignore_issue(hass, "other", "x", True)
    await hass.async_block_till_done()
    assert ir.async_get(hass).issues[("other", "x")].dismissed_version is not None


async def test_fix_flow_for_unknown_issue(
    hass: HomeAssistant, loaded: FakeFamily, hass_client: ClientSessionGenerator
) -> None:
    client = await hass_client()
    resp = await client.post(
        "/api/repairs/issues/fix", json={"handler": DOMAIN, "issue_id": "nope"}
    )
    assert resp.status in (HTTPStatus.BAD_REQUEST, HTTPStatus.NOT_FOUND)


async def test_ignore_and_unignore_survive_restart(
    hass: HomeAssistant, loaded: FakeFamily, mock_config_entry: MockConfigEntry
) -> None:
    await hass.services.async_call(
        DOMAIN,
        "ignore_finding",
        {"finding_id": PASSWORD_ID, "reason": "lab instance"},
        blocking=True,
    )
    assert hass.states.get("binary_sensor.security_posture_secrets").state == "off"
    assert _issues(hass)[PASSWORD_ID].dismissed_version is not None
    assert await hass.config_entries.async_reload(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    report = await async_scan(hass)
    assert report["findings"][0]["ignored"] is True
    assert report["score"] == 100

    await hass.services.async_call(
        DOMAIN, "unignore_finding", {"finding_id": PASSWORD_ID}, blocking=True
    )
    assert hass.states.get("binary_sensor.security_posture_secrets").state == "on"
    assert PASSWORD_ID in _issues(hass)

    with pytest.raises(ServiceValidationError):
        await hass.services.async_call(
            DOMAIN, "unignore_finding", {"finding_id": PASSWORD_ID}, blocking=True
        )
    with pytest.raises(ServiceValidationError):
        await hass.services.async_call(
            DOMAIN, "ignore_finding", {"finding_id": "missing"}, blocking=True
        )


async def test_events_fire_once_per_transition(
    hass: HomeAssistant, loaded: FakeFamily, mock_config_entry: MockConfigEntry
) -> None:
    # The first scan announced the password already.
    state = hass.states.get("event.security_posture_findings")
    assert state.attributes["event_type"] == "new_finding"
    assert state.attributes["finding_id"] == PASSWORD_ID
    events = async_capture_events(hass, EVENT_FINDING)

    await async_scan(hass)
    assert events == []

    loaded.hits["ssh_root_login"] = [ROOT_HIT]
    loaded.hits["inline_credential"] = []
    await async_scan(hass)
    assert sorted((e.data["action"], e.data["finding_id"]) for e in events) == [
        ("new", ROOT_ID),
        ("resolved", PASSWORD_ID),
    ]
    # Plain strings on the bus (and so in the recorder), whatever type the code uses.
    assert {type(e.data["action"]) for e in events} == {str}
    assert events[0].data.keys() == {
        "action",
        "finding_id",
        "check",
        "family",
        "severity",
        "title",
        "entity_id",  # the findings event entity, whose log then lists the event
    }
    assert events[0].data["entity_id"] == "event.security_posture_findings"
    state = hass.states.get("event.security_posture_findings")
    assert state.attributes["event_type"] in {"new_finding", "finding_resolved"}

    # A restart that finds the same things announces nothing.
    events.clear()
    assert await hass.config_entries.async_reload(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    await async_scan(hass)
    assert events == []

    # A check that cannot run does not "resolve" its findings.
    loaded.unknown.add("ssh_root_login")
    await async_scan(hass)
    assert events == []
    loaded.unknown.clear()
    await async_scan(hass)
    assert events == []


async def test_actions_need_a_loaded_entry(
    hass: HomeAssistant, config_dir: Path
) -> None:
    assert await async_setup_component(hass, DOMAIN, {})
    with pytest.raises(ServiceValidationError):
        await hass.services.async_call(
            DOMAIN, "scan", {}, blocking=True, return_response=True
        )


async def test_scan_without_response(hass: HomeAssistant, loaded: FakeFamily) -> None:
    before = loaded.scans
    assert await hass.services.async_call(DOMAIN, "scan", {}, blocking=True) is None
    assert loaded.scans == before + 1


async def test_ignored_findings_announce_nothing(
    hass: HomeAssistant, loaded: FakeFamily
) -> None:
    await hass.services.async_call(
        DOMAIN, "ignore_finding", {"finding_id": PASSWORD_ID}, blocking=True
    )
    events = async_capture_events(hass, EVENT_FINDING)
    loaded.hits["inline_credential"] = []
    await async_scan(hass)
    loaded.hits["inline_credential"] = [PASSWORD_HIT]
    await async_scan(hass)
    assert events == []


async def test_events_without_the_event_entity(
    hass: HomeAssistant, loaded: FakeFamily
) -> None:
    """Removed from the registry, the event entity is not named in the bus event."""
    er.async_get(hass).async_remove("event.security_posture_findings")
    events = async_capture_events(hass, EVENT_FINDING)
    loaded.hits["ssh_root_login"] = [ROOT_HIT]
    await async_scan(hass)
    assert [e.data["finding_id"] for e in events] == [ROOT_ID]
    assert "entity_id" not in events[0].data
