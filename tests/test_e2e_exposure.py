"""The exposure checks end to end: real locks and doors (template), Assist, Home Assistant
Cloud with Google, the webhook and automation integrations, the integration's report, its
family sensor, the repairs and their flows through `/api/repairs/issues/fix`."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from homeassistant.components.homeassistant.exposed_entities import (
    async_get_entity_settings,
)
from homeassistant.config import async_hass_config_yaml
from homeassistant.helpers import issue_registry as ir
from homeassistant.setup import async_setup_component
import pytest

from custom_components.security_posture.const import DOMAIN

from .fix_helpers import FlowClient, async_finding, issues
from .helpers import async_scan, async_setup_integration, findings_of
from .voice_helpers import (
    ASSIST,
    GOOGLE,
    Cover,
    Lock,
    async_setup_access,
    async_setup_google_cloud,
    expose,
    skip_google_pin,
)

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry
    from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

VOICE = "voice_unlock_without_pin"
WEBHOOK = "webhook_exposed"
FRONT = "lock.front_door"
GARAGE = "cover.garage_door"
SAFE = "lock.safe"
PIN_CANARY = "90817263"
CODE_CANARY = "4711"
SENSOR = "binary_sensor.security_posture_exposure"


def _settings(hass: HomeAssistant, entity_id: str, assistant: str) -> dict[str, Any]:
    return dict(async_get_entity_settings(hass, entity_id).get(assistant, {}))


async def _assist(hass: HomeAssistant) -> None:
    assert await async_setup_component(hass, "conversation", {})
    await hass.async_block_till_done()


async def _voice_findings(hass: HomeAssistant) -> dict[str, dict[str, Any]]:
    return {f["subject"]: f for f in findings_of(await async_scan(hass), VOICE)}


def _never_shown(
    hass: HomeAssistant, blobs: list[str], caplog: pytest.LogCaptureFixture
) -> None:
    """The PIN and the default code are nowhere we write or show."""
    registry = ir.async_get(hass)
    blobs.append(
        json.dumps(
            [
                i.translation_placeholders
                for (d, _), i in registry.issues.items()
                if d == DOMAIN
            ]
        )
    )
    # Our log lines (the test harness logs what core's cloud stores, the PIN included).
    blobs.extend(
        r.getMessage()
        for r in caplog.records
        if r.name.startswith("custom_components.security_posture")
    )
    storage = Path(hass.config.config_dir) / ".storage"
    blobs.extend(
        p.read_text(encoding="utf-8")
        for p in storage.glob("security_posture*")
        if p.is_file()
    )
    for canary in (PIN_CANARY, CODE_CANARY):
        assert all(canary not in blob for blob in blobs), canary


async def test_assist_end_to_end(
    hass: HomeAssistant,
    config_dir: Path,
    mock_config_entry: MockConfigEntry,
    hass_client: ClientSessionGenerator,
) -> None:
    """A lock exposed to Assist and a garage door exposed by default; a lock that wants a
    code is not. The report, the sensor, the repair, and un-exposing through the flow."""
    await async_setup_access(
        hass,
        locks=(
            Lock(name="Front door"),
            Lock(name="Safe", unique_id="s1", code_format=r"^\d{4}$"),
        ),
        covers=(Cover(name="Garage door", device_class="garage"),),
    )
    await _assist(hass)
    expose(hass, ASSIST, FRONT, True)
    expose(hass, ASSIST, SAFE, True)
    await async_setup_integration(hass, mock_config_entry)

    found = await _voice_findings(hass)
    assert set(found) == {FRONT, GARAGE}
    front = found[FRONT]
    assert (front["family"], front["severity"]) == ("exposure", "high")
    assert (
        front["title"] == "Assist can unlock Front door (lock.front_door) without a PIN"
    )
    assert hass.states.get(SENSOR).state == "on"
    issue = issues(hass)[front["id"]]
    assert issue.translation_key == VOICE
    assert issue.severity is ir.IssueSeverity.ERROR
    assert issue.translation_placeholders["assistants"] == "Assist"

    flows = FlowClient(await hass_client())
    menu = await flows.start(front["id"])
    assert menu["menu_options"] == ["unexpose", "ignore"]  # no Google: no PIN to ask
    form = await flows.choose(menu, "unexpose")
    assert form["step_id"] == "unexpose"
    done = await flows.step(form, {})
    assert (done["type"], done["description"]) == ("create_entry", "unexposed")
    assert _settings(hass, FRONT, ASSIST)["should_expose"] is False
    assert front["id"] not in issues(hass)
    assert set(await _voice_findings(hass)) == {GARAGE}


async def test_assist_flow_when_already_unexposed(
    hass: HomeAssistant,
    config_dir: Path,
    mock_config_entry: MockConfigEntry,
    hass_client: ClientSessionGenerator,
) -> None:
    """Un-exposed elsewhere while the repair was open: nothing to do, the flow says so."""
    await async_setup_access(hass, locks=(Lock(name="Front door"),))
    await _assist(hass)
    expose(hass, ASSIST, FRONT, True)
    await async_setup_integration(hass, mock_config_entry)
    finding = await async_finding(hass, VOICE, subject=FRONT)
    flows = FlowClient(await hass_client())
    menu = await flows.start(finding["id"])
    expose(hass, ASSIST, FRONT, False)
    aborted = await flows.choose(menu, "unexpose")
    assert (aborted["type"], aborted["reason"]) == ("abort", "changed")


async def test_google_require_pin_end_to_end(
    hass: HomeAssistant,
    config_dir: Path,
    mock_config_entry: MockConfigEntry,
    hass_client: ClientSessionGenerator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Google with its PIN off for a lock that has a default code, no PIN set: the flow asks
    for one, hands it to Home Assistant Cloud, and turns the question back on."""
    caplog.set_level(logging.DEBUG)
    await async_setup_access(
        hass, locks=(Lock(name="Front door", unique_id="f1", code_format=r"^\d+$"),)
    )
    from homeassistant.helpers import entity_registry as er  # noqa: PLC0415

    er.async_get(hass).async_update_entity_options(
        FRONT, "lock", {"default_code": CODE_CANARY}
    )
    cloud = await async_setup_google_cloud(hass)
    expose(hass, GOOGLE, FRONT, True)
    skip_google_pin(hass, FRONT)
    await async_setup_integration(hass, mock_config_entry)

    finding = await async_finding(hass, VOICE, subject=FRONT)
    assert finding["title"].startswith("Google Assistant can unlock Front door")
    assert hass.states.get(SENSOR).state == "on"
    flows = FlowClient(await hass_client())
    menu = await flows.start(finding["id"])
    assert menu["menu_options"] == ["require_pin", "unexpose", "ignore"]
    form = await flows.choose(menu, "require_pin")
    assert form["step_id"] == "require_pin"
    assert [f["name"] for f in form["data_schema"]] == ["pin"]
    assert form["data_schema"][0]["selector"]["text"]["type"] == "password"
    wrong = await flows.step(form, {"pin": "12a"})
    assert wrong["errors"] == {"pin": "pin_invalid"}
    assert cloud.client.prefs.google_secure_devices_pin is None
    done = await flows.step(wrong, {"pin": f" {PIN_CANARY} "})
    assert (done["type"], done["description"]) == ("create_entry", "pin_required")
    assert cloud.client.prefs.google_secure_devices_pin == PIN_CANARY
    assert _settings(hass, FRONT, GOOGLE)["disable_2fa"] is False
    assert finding["id"] not in issues(hass)
    assert await _voice_findings(hass) == {}
    assert hass.states.get(SENSOR).state == "off"
    report = await async_scan(hass)
    _never_shown(hass, [json.dumps(flows.responses), json.dumps(report)], caplog)


async def test_flows_when_fixed_elsewhere(
    hass: HomeAssistant,
    config_dir: Path,
    mock_config_entry: MockConfigEntry,
    hass_client: ClientSessionGenerator,
) -> None:
    """The finding is gone by the time its repair is opened, or a step is chosen."""
    await async_setup_access(hass, locks=(Lock(name="Front door"),))
    await async_setup_google_cloud(hass)
    expose(hass, GOOGLE, FRONT, True)
    skip_google_pin(hass, FRONT)
    await async_setup_integration(hass, mock_config_entry)
    finding = await async_finding(hass, VOICE, subject=FRONT)
    flows = FlowClient(await hass_client())
    menu = await flows.start(finding["id"])
    skip_google_pin(hass, FRONT, False)
    aborted = await flows.choose(menu, "require_pin")
    assert (aborted["type"], aborted["reason"]) == ("abort", "changed")
    opened = await flows.start(finding["id"])  # the report still holds the finding
    assert (opened["type"], opened["reason"]) == ("abort", "changed")


async def test_google_pin_already_set_and_assist_left(
    hass: HomeAssistant,
    config_dir: Path,
    mock_config_entry: MockConfigEntry,
    hass_client: ClientSessionGenerator,
) -> None:
    """A PIN is set: the step only confirms. Assist still opens the door afterwards."""
    await async_setup_access(
        hass, covers=(Cover(name="Garage door", device_class="garage"),)
    )
    await _assist(hass)
    cloud = await async_setup_google_cloud(hass, pin=PIN_CANARY)
    expose(hass, GOOGLE, GARAGE, True)
    skip_google_pin(hass, GARAGE)
    await async_setup_integration(hass, mock_config_entry)

    finding = await async_finding(hass, VOICE, subject=GARAGE)
    assert finding["title"] == (
        "Assist and Google Assistant can open Garage door (cover.garage_door) "
        "without a PIN"
    )
    flows = FlowClient(await hass_client())
    form = await flows.choose(await flows.start(finding["id"]), "require_pin")
    assert form["data_schema"] == []
    done = await flows.step(form, {})
    assert done["description"] == "pin_required_assist_left"
    assert cloud.client.prefs.google_secure_devices_pin == PIN_CANARY
    left = await async_finding(hass, VOICE, subject=GARAGE)
    assert left["title"].startswith("Assist can open Garage door")
    assert left["id"] == finding["id"]  # the same finding: one per entity


async def test_google_yaml_filter_offers_no_unexposing(
    hass: HomeAssistant,
    config_dir: Path,
    mock_config_entry: MockConfigEntry,
    hass_client: ClientSessionGenerator,
) -> None:
    """When the cloud's YAML filter decides what Google sees, only the PIN is offered."""
    await async_setup_access(hass, locks=(Lock(name="Front door"),))
    await async_setup_google_cloud(
        hass, {"google_actions": {"filter": {"include_entities": [FRONT]}}}
    )
    await async_setup_integration(hass, mock_config_entry)
    finding = await async_finding(hass, VOICE, subject=FRONT)
    flows = FlowClient(await hass_client())
    menu = await flows.start(finding["id"])
    assert menu["menu_options"] == ["require_pin", "ignore"]


async def test_voice_accept_the_risk(
    hass: HomeAssistant,
    config_dir: Path,
    mock_config_entry: MockConfigEntry,
    hass_client: ClientSessionGenerator,
) -> None:
    """Accepting the risk keeps the finding, marked ignored, and turns the sensor off."""
    await async_setup_access(hass, locks=(Lock(name="Front door"),))
    await _assist(hass)
    expose(hass, ASSIST, FRONT, True)
    await async_setup_integration(hass, mock_config_entry)
    finding = await async_finding(hass, VOICE, subject=FRONT)
    flows = FlowClient(await hass_client())
    confirm = await flows.choose(await flows.start(finding["id"]), "ignore")
    accepted = await flows.step(confirm, {"reason": "the door has a second bolt"})
    assert (accepted["type"], accepted["reason"]) == ("abort", "risk_accepted")
    assert (await async_finding(hass, VOICE, subject=FRONT))["ignored"] is True
    assert hass.states.get(SENSOR).state == "off"


AUTOMATIONS = """
- id: "1"
  alias: Open garage
  triggers:
    - trigger: webhook
      webhook_id: open_the_garage_door
  actions:
    - action: cover.open_cover
      target:
        entity_id: cover.garage_door
- id: "2"
  alias: Unlock
  triggers:
    - trigger: webhook
      webhook_id: "front-door-Xq7-vB2_kLm9PzR4tYw8NcAe"
      local_only: false
      allowed_methods: [GET, POST]
  actions:
    - action: lock.unlock
      target:
        entity_id: lock.front_door
- id: "3"
  alias: Random and quiet
  triggers:
    - trigger: webhook
      webhook_id: "-O9_Ycbdv-OQ2InxwBhZZYW21"
  actions:
    - action: lock.lock
      target:
        entity_id: lock.front_door
- id: "4"
  alias: Lights
  triggers:
    - trigger: webhook
      webhook_id: !secret lights_hook
  actions: []
"""


async def test_webhooks_end_to_end(
    hass: HomeAssistant,
    config_dir: Path,
    mock_config_entry: MockConfigEntry,
    hass_client: ClientSessionGenerator,
) -> None:
    """Real webhook triggers, with Home Assistant reachable from outside."""
    (config_dir / "configuration.yaml").write_text(
        "automation: !include automations.yaml\n", encoding="utf-8"
    )
    (config_dir / "automations.yaml").write_text(AUTOMATIONS, encoding="utf-8")
    (config_dir / "secrets.yaml").write_text(
        "lights_hook: kitchen-lights-on\n", encoding="utf-8"
    )
    await async_setup_access(
        hass,
        locks=(Lock(name="Front door"),),
        covers=(Cover(name="Garage door", device_class="garage"),),
    )
    await hass.config.async_update(external_url="https://home.example.org")
    assert await async_setup_component(hass, "webhook", {})
    assert await async_setup_component(
        hass, "automation", await async_hass_config_yaml(hass)
    )
    await hass.async_block_till_done()
    await async_setup_integration(hass, mock_config_entry)

    report = await async_scan(hass)
    found = {f["subject"]: f for f in findings_of(report, WEBHOOK)}
    garage = found["webhook open\u2026 (20 characters) of automation.open_garage"]
    assert garage["severity"] == "medium"  # local only
    assert garage["title"].endswith("its id is made of words")
    assert (garage["file"], garage["line"], garage["key"]) == (
        "automations.yaml",
        6,
        "[0].triggers[0].webhook_id",
    )
    unlock = found["webhook fron\u2026 (35 characters) of automation.unlock"]
    assert unlock["severity"] == "high"
    assert unlock["title"].endswith(
        "it accepts GET; it drives a lock from outside the local network"
    )
    lights = found["webhook \u2026 (17 characters) of automation.lights"]
    assert lights["severity"] == "medium"
    assert len(found) == 3  # the random, local-only one is fine
    assert hass.states.get(SENSOR).state == "on"
    issue = issues(hass)[unlock["id"]]
    assert issue.translation_key == WEBHOOK
    assert (
        "external URL https\\://home.example.org"
        in (  # made inert for Markdown
            issue.translation_placeholders["reach"]
        )
    )

    flows = FlowClient(await hass_client())
    confirm = await flows.start(garage["id"])
    assert confirm["step_id"] == "confirm"  # no fix: accept the risk
    accepted = await flows.step(confirm, {})
    assert accepted["reason"] == "risk_accepted"

    blob = json.dumps([report, flows.responses]) + json.dumps(
        [i.translation_placeholders for i in issues(hass).values()]
    )
    for canary in (
        "open_the_garage_door",
        "Xq7-vB2_kLm9PzR4tYw8NcAe",
        "kitchen-lights-on",
        "kitc",
    ):
        assert canary not in blob


async def test_webhook_check_without_the_webhook_integration(
    hass: HomeAssistant, config_dir: Path, mock_config_entry: MockConfigEntry
) -> None:
    """No webhook integration: the check passes, saying why."""
    await async_setup_integration(hass, mock_config_entry)
    report = await async_scan(hass)
    (result,) = [c for c in report["checks"] if c["check"] == WEBHOOK]
    assert result["status"] == "pass"
    assert "not set up" in result["reason"]
