"""The blueprints under blueprints/ and the example dashboard under docs/."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
import shutil
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.automation.config import AUTOMATION_BLUEPRINT_SCHEMA
from homeassistant.components.blueprint import importer
from homeassistant.components.blueprint.models import Blueprint, BlueprintInputs
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util, yaml as yaml_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
    async_mock_service,
)
from pytest_homeassistant_custom_component.test_util.aiohttp import (
    AiohttpClientMocker,
)
import yaml

from custom_components.security_posture.const import DOMAIN
from custom_components.security_posture.model import Hit, Severity

from .helpers import (
    PASSWORD_HIT,
    PASSWORD_ID,
    ROOT_HIT,
    FakeFamily,
    async_scan,
    async_setup_integration,
)

ROOT = Path(__file__).parents[1]
BLUEPRINTS = ROOT / "blueprints/automation/security_posture"
NOTIFY = "security_posture/notify_new_finding.yaml"
WEEKLY = "security_posture/weekly_summary.yaml"
REPOSITORY = "security-posture/security-posture"

NOTIFY_ACTION = [
    {
        "action": "test.notify",
        "data": {
            "title": "{{ notification_title }}",
            "message": "{{ message }}",
            "finding": "{{ finding_id }}",
            "severity": "{{ severity }}",
        },
    }
]


def _load(name: str) -> Blueprint:
    path = BLUEPRINTS / name
    data = yaml_util.load_yaml_dict(path)
    return Blueprint(
        data,
        path=str(path),
        expected_domain="automation",
        schema=AUTOMATION_BLUEPRINT_SCHEMA,
    )


@pytest.mark.parametrize(
    ("name", "inputs"),
    [
        ("notify_new_finding.yaml", {"min_severity", "families", "notify_action"}),
        ("weekly_summary.yaml", {"weekday", "time", "notify_action"}),
    ],
)
def test_blueprints_follow_the_schema(name: str, inputs: set[str]) -> None:
    blueprint = _load(name)
    assert blueprint.domain == "automation"
    assert blueprint.validate() is None  # min_version is a valid version, and so on
    assert set(blueprint.inputs) == inputs
    assert blueprint.metadata["source_url"] == (
        f"https://github.com/{REPOSITORY}/blob/main/blueprints/automation/security_posture/{name}"
    )
    # Every input has a default: the blueprint works with nothing filled in.
    substituted = BlueprintInputs(
        blueprint, {"use_blueprint": {"path": name, "input": {}}}
    )
    substituted.validate()
    config = substituted.async_substitute()
    assert config["actions"]


@pytest.mark.parametrize("name", ["notify_new_finding.yaml", "weekly_summary.yaml"])
async def test_import_url_serves_the_blueprint(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, name: str
) -> None:
    """The import button's URL (raw GitHub, branch main) yields this very blueprint."""
    raw = f"https://raw.githubusercontent.com/{REPOSITORY}/main/blueprints/automation/security_posture/{name}"
    aioclient_mock.get(raw, text=(BLUEPRINTS / name).read_text())
    imported = await importer.fetch_blueprint_from_url(hass, raw)
    assert imported.blueprint.name == _load(name).name
    assert imported.blueprint.domain == "automation"
    # The blob URL written in the file leads to the same raw file.
    assert importer._get_github_import_url(_load(name).metadata["source_url"]) == raw


@pytest.fixture
async def loaded(
    hass: HomeAssistant,
    config_dir: Path,
    fake_family: FakeFamily,
    mock_config_entry: MockConfigEntry,
) -> FakeFamily:
    shutil.copytree(BLUEPRINTS, config_dir / "blueprints/automation/security_posture")
    await async_setup_integration(hass, mock_config_entry)
    return fake_family


async def _automation(hass: HomeAssistant, *automations: dict[str, Any]) -> None:
    assert await async_setup_component(
        hass, "automation", {"automation": list(automations)}
    )
    await hass.async_block_till_done()
    states = hass.states.async_all("automation")
    assert len(states) == len(automations)
    for state in states:
        assert state.state == "on", state


def _use(path: str, alias: str, **inputs: Any) -> dict[str, Any]:
    return {"alias": alias, "use_blueprint": {"path": path, "input": inputs}}


async def test_notify_blueprint_notifies_at_or_above_the_severity(
    hass: HomeAssistant, loaded: FakeFamily
) -> None:
    calls = async_mock_service(hass, "test", "notify")
    await _automation(
        hass,
        _use(NOTIFY, "medium", min_severity="medium", notify_action=NOTIFY_ACTION),
        _use(
            NOTIFY,
            "host",
            min_severity="info",
            families=["host"],
            notify_action=[
                {"action": "test.notify", "data": {"message": "host: {{ title }}"}}
            ],
        ),
    )

    loaded.hits["ssh_root_login"] = [ROOT_HIT]  # host, low: below medium
    await async_scan(hass)
    assert [c.data["message"] for c in calls] == ["host: SSH allows root login"]
    calls.clear()

    loaded.hits["inline_credential"] = [PASSWORD_HIT]  # secrets, high
    await async_scan(hass)
    assert [c.data for c in calls] == [
        {
            "title": "Security Posture: new high finding",
            "message": "Password written into configuration.yaml (Secrets, high).",
            "finding": PASSWORD_ID,
            "severity": "high",
        }
    ]
    calls.clear()

    # A resolved finding is no new finding.
    loaded.hits["inline_credential"] = []
    loaded.hits["ssh_root_login"] = []
    await async_scan(hass)
    assert calls == []

    loaded.hits["ssh_root_login"] = [
        Hit(
            subject=str(severity),
            title=f"A {severity} finding",
            severity=severity,
            placeholders={"detail": "x"},
        )
        for severity in Severity
    ]
    await async_scan(hass)
    notified = sorted(c.data.get("severity", "host") for c in calls)
    assert notified == [
        "critical",
        "high",
        "host",
        "host",
        "host",
        "host",
        "host",
        "medium",
    ]


async def test_notify_blueprint_default_action(
    hass: HomeAssistant, loaded: FakeFamily
) -> None:
    calls = async_mock_service(hass, "persistent_notification", "create")
    await _automation(hass, _use(NOTIFY, "defaults"))
    loaded.hits["ssh_root_login"] = [ROOT_HIT]  # low: below the default, high
    loaded.hits["inline_credential"] = [PASSWORD_HIT]
    await async_scan(hass)
    assert [c.data for c in calls] == [
        {
            "title": "Security Posture: new high finding",
            "message": "Password written into configuration.yaml (Secrets, high).",
            "notification_id": f"security_posture_{PASSWORD_ID}",
        }
    ]


def _local(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    # June 2025: the 2nd is a Monday.
    return datetime(
        2025, 6, day, hour, minute, second, tzinfo=dt_util.get_default_time_zone()
    )


async def test_weekly_summary_scans_and_reports(
    hass: HomeAssistant, loaded: FakeFamily, freezer: FrozenDateTimeFactory
) -> None:
    calls = async_mock_service(hass, "test", "notify")
    freezer.move_to(_local(2, 8, 59, 50))
    await _automation(
        hass,
        _use(
            WEEKLY,
            "weekly",
            weekday="mon",
            time="09:00:00",
            notify_action=[
                {
                    "action": "test.notify",
                    "data": {
                        "title": "{{ notification_title }}",
                        "message": "{{ message }}",
                        "score": "{{ score }}",
                        "counts": "{{ counts }}",
                        "families": "{{ families }}",
                    },
                }
            ],
        ),
    )
    # Found after the last scan: the summary's own scan sees it.
    loaded.hits["inline_credential"] = [PASSWORD_HIT]
    loaded.hits["ssh_root_login"] = [ROOT_HIT]
    scans = loaded.scans

    freezer.move_to(_local(2, 9))
    async_fire_time_changed(hass, dt_util.utcnow())
    await hass.async_block_till_done(wait_background_tasks=True)
    assert loaded.scans == scans + 1
    assert len(calls) == 1
    data = calls[0].data
    assert data["title"] == "Security Posture: score 77 (B)"
    assert data["score"] == 77
    assert data["counts"] == {
        "critical": 0,
        "high": 1,
        "medium": 0,
        "low": 1,
    }
    assert data["message"] == (
        "Score 77/100, grade B.\n"
        "2 active findings: 1 high, 1 low.\n"
        "Secrets: problem\n"
        "Updates: not checked\n"
        "Remote access: not checked\n"
        "Authentication: not checked\n"
        "Host: problem\n"
        "Exposure: not checked\n"
        "Supply chain: not checked"
    )
    assert data["families"][0] == {"name": "Secrets", "state": "problem"}

    # Ignored findings do not count; the family sensors follow.
    await hass.services.async_call(
        DOMAIN,
        "ignore_finding",
        {"finding_id": (await async_scan(hass))["findings"][0]["id"]},
        blocking=True,
    )
    loaded.hits["ssh_root_login"] = []
    calls.clear()
    freezer.move_to(_local(9, 9))
    async_fire_time_changed(hass, dt_util.utcnow())
    await hass.async_block_till_done(wait_background_tasks=True)
    assert [c.data["message"].splitlines()[:3] for c in calls] == [
        ["Score 100/100, grade A.", "0 active findings.", "Secrets: OK"]
    ]

    # Not on other days.
    calls.clear()
    for day in range(10, 16):
        freezer.move_to(_local(day, 9))
        async_fire_time_changed(hass, dt_util.utcnow())
        await hass.async_block_till_done(wait_background_tasks=True)
    assert calls == []
    freezer.tick(timedelta(days=1))
    async_fire_time_changed(hass, dt_util.utcnow())
    await hass.async_block_till_done(wait_background_tasks=True)
    assert len(calls) == 1
    await hass.services.async_call(
        "automation", "turn_off", {"entity_id": "all"}, blocking=True
    )


def _entity_ids(node: Any) -> set[str]:
    """Every entity id a Lovelace configuration names."""
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "entity" and isinstance(value, str):
                found.add(value)
            elif key == "entities" and isinstance(value, list):
                found.update(v for v in value if isinstance(v, str))
            found |= _entity_ids(value)
    elif isinstance(node, list):
        for value in node:
            found |= _entity_ids(value)
    return found


CONTRACT_ENTITIES = {
    "sensor.security_posture_score",
    "sensor.security_posture_findings",
    "sensor.security_posture_certificate_expiry",
    "sensor.security_posture_pending_updates",
    "sensor.security_posture_inline_credentials",
    "event.security_posture_findings",
    *(
        f"binary_sensor.security_posture_{family}"
        for family in ("secrets", "updates", "remote_access", "authentication", "host")
    ),
}


# What the posture card shows of them itself (it finds the entities by their keys).
CARD_ENTITIES = {
    "sensor.security_posture_score",
    "sensor.security_posture_findings",
    *(
        f"binary_sensor.security_posture_{family}"
        for family in ("secrets", "updates", "remote_access", "authentication", "host")
    ),
}


def _cards(node: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        if "type" in node and isinstance(node["type"], str):
            found.append(node)
        for value in node.values():
            found += _cards(value)
    elif isinstance(node, list):
        for value in node:
            found += _cards(value)
    return found


async def test_dashboard_shows_the_entities(
    hass: HomeAssistant, loaded: FakeFamily, mock_config_entry: MockConfigEntry
) -> None:
    dashboard = yaml.safe_load((ROOT / "docs/dashboard.yaml").read_text())
    named = _entity_ids(dashboard)
    ours = {
        entry.entity_id
        for entry in er.async_entries_for_config_entry(
            er.async_get(hass), mock_config_entry.entry_id
        )
    }
    assert ours >= CONTRACT_ENTITIES
    # The posture card comes first, and with the entities named elsewhere, shows them all.
    cards = _cards(dashboard)
    posture = [c for c in cards if c["type"] == "custom:security-posture-card"]
    assert len(posture) == 1
    assert cards.index(posture[0]) == min(
        i for i, c in enumerate(cards) if c["type"] not in ("sections", "grid")
    )
    assert named | CARD_ENTITIES >= CONTRACT_ENTITIES
    assert named <= ours, named - ours
    assert "docs/dashboard.yaml" in (ROOT / "docs/dashboard.md").read_text()
    # Tiles take the whole width, so no name is cut short.
    for tile in (c for c in cards if c["type"] == "tile"):
        assert tile["grid_options"]["columns"] == "full", tile
