"""The updates family: pending and skipped updates, release age, the Core update source."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
import importlib.util
import json
from pathlib import Path
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.update import UpdateEntity, UpdateEntityFeature
from homeassistant.config_entries import ConfigEntry, ConfigFlow
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import entity_registry as er, issue_registry as ir
from homeassistant.helpers.entity_platform import AddEntitiesCallback
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    MockModule,
    MockPlatform,
    async_fire_time_changed,
    mock_config_flow,
    mock_integration,
    mock_platform,
)

from custom_components.security_posture.checks.updates.release_calendar import (
    calendar_month,
    describe_days,
    describe_months,
    months_between,
    release_date,
)
from custom_components.security_posture.checks.updates.update_pending import (
    pending_severity,
)
from custom_components.security_posture.const import DOMAIN
from custom_components.security_posture.engine import Cache, Facts, ScanContext
from custom_components.security_posture.inspect.update_entities import (
    CORE_UPDATE_SOURCES,
    PENDING_SINCE,
    RUNNING_VERSION,
    UPDATE_ENTITIES,
    Component,
    PendingMemory,
    UpdateEntityFacts,
    classify,
    fill_unavailable,
    read_update_entities,
    remember_pending,
)
from custom_components.security_posture.model import Family, Finding, Severity, Status

from .check_runs import async_scan_family, family_checks, run_on, scan_context
from .helpers import (
    COMMON_PLACEHOLDERS,
    async_scan as async_scan_service,
    async_setup_integration,
    findings_of,
    issue_placeholders_used,
)

NOW = datetime(2025, 6, 15, 12, 0, tzinfo=UTC)
STRINGS = Path(__file__).parents[1] / "custom_components/security_posture/strings.json"
CHECKS = {check.id: check for check in family_checks(Family.UPDATES)}
CORE_ID = "update.home_assistant_core_update"
OS_ID = "update.home_assistant_operating_system_update"
SUPERVISOR_ID = "update.home_assistant_supervisor_update"


def ctx_at(
    hass: HomeAssistant, now: datetime = NOW, cache: Cache | None = None
) -> ScanContext:
    return scan_context(hass, now, cache=cache)


def entity(
    entity_id: str = "update.zigbee_firmware",
    *,
    state: str = "on",
    installed: str | None = "1.0.0",
    latest: str | None = "1.1.0",
    skipped: str | None = None,
    in_progress: bool = False,
    component: Component = Component.OTHER,
    last_changed: datetime = NOW - timedelta(days=2),
) -> UpdateEntityFacts:
    return UpdateEntityFacts(
        entity_id=entity_id,
        name=f"Name of {entity_id}",
        state=state,
        installed_version=installed,
        latest_version=latest,
        skipped_version=skipped,
        in_progress=in_progress,
        title=None,
        release_url=None,
        platform=None,
        component=component,
        last_changed=last_changed,
    )


def facts(
    *entities: UpdateEntityFacts,
    running: str = "2025.6.1",
    sources: tuple[str, ...] = (CORE_ID,),
    since: dict[str, datetime] | None = None,
    now: datetime = NOW,
) -> Facts:
    return Facts(
        {
            UPDATE_ENTITIES: entities,
            CORE_UPDATE_SOURCES: sources,
            RUNNING_VERSION: running,
            PENDING_SINCE: since or {},
        },
        now=now,
    )


def run(check_id: str, the_facts: Facts) -> tuple[Status, str | None, list[Finding]]:
    return run_on(check_id, the_facts)


def assert_placeholders(check_id: str, findings: Iterable[Finding]) -> None:
    """Every placeholder of the repair text is supplied, and nothing more."""
    wanted = issue_placeholders_used(check_id) - COMMON_PLACEHOLDERS
    for finding in findings:
        assert set(finding.placeholders) == wanted


# --- calendar versions ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        ("2025.4.4", (2025, 4)),
        ("2025.12.0b3", (2025, 12)),
        ("2025.6.0.dev20250501", (2025, 6)),
        ("2025.7", (2025, 7)),
        (" 2024.1.0 ", (2024, 1)),
        ("0.118.5", None),
        ("2025.13.1", None),
        ("2025.0.1", None),
        ("20251.1.1", None),
        ("garbage", None),
        (None, None),
    ],
)
def test_calendar_month(version: str | None, expected: tuple[int, int] | None) -> None:
    assert calendar_month(version) == expected


def test_release_date_is_the_first_wednesday() -> None:
    assert release_date(2025, 4) == datetime(2025, 4, 2, tzinfo=UTC)
    assert release_date(2025, 10) == datetime(2025, 10, 1, tzinfo=UTC)
    assert release_date(2025, 6) == datetime(2025, 6, 4, tzinfo=UTC)
    for month in range(1, 13):
        day = release_date(2026, month)
        assert day.weekday() == 2
        assert day.day <= 7


def test_months_and_days_are_described() -> None:
    start = datetime(2025, 1, 8, tzinfo=UTC)
    assert months_between(start, datetime(2025, 7, 8, tzinfo=UTC)) == 6
    assert months_between(start, datetime(2025, 7, 7, tzinfo=UTC)) == 5
    assert months_between(start, datetime(2024, 7, 7, tzinfo=UTC)) == 0
    assert describe_months(1) == "1 month"
    assert describe_months(7) == "7 months"
    assert describe_months(12) == "1 year"
    assert describe_months(14) == "1 year and 2 months"
    assert describe_months(25) == "2 years and 1 month"
    assert describe_days(0) == "less than a day"
    assert describe_days(1) == "1 day"
    assert describe_days(45) == "45 days"


# --- update_pending -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("component", "days", "expected"),
    [
        (Component.OTHER, 0, Severity.MEDIUM),
        (Component.ADDON, 30, Severity.MEDIUM),
        (Component.ADDON, 31, Severity.HIGH),
        (Component.OTHER, 400, Severity.HIGH),
        (Component.CORE, 0, Severity.HIGH),
        (Component.OS, 90, Severity.HIGH),
        (Component.SUPERVISOR, 91, Severity.CRITICAL),
        (Component.CORE, 91, Severity.CRITICAL),
    ],
)
def test_pending_severity_rule(
    component: Component, days: int, expected: Severity
) -> None:
    assert pending_severity(component, days) is expected


async def test_pending_one_finding_per_entity(hass: HomeAssistant) -> None:
    the_facts = facts(
        entity(
            "update.addon",
            component=Component.ADDON,
            last_changed=NOW - timedelta(days=3),
        ),
        entity("update.lamp", last_changed=NOW - timedelta(days=40)),
        entity(
            CORE_ID, installed="2025.6.0", latest="2025.6.1", component=Component.CORE
        ),
        entity("update.installing", in_progress=True),
        entity("update.current", state="off", latest="1.0.0"),
        entity("update.unavailable", state="unavailable"),
        entity("update.no_versions", installed=None, latest=None),
    )
    status, _, findings = run("update_pending", the_facts)
    assert status is Status.FAIL
    by_subject = {f.subject: f for f in findings}
    assert set(by_subject) == {
        "update.addon",
        "update.lamp",
        CORE_ID,
        "update.no_versions",
    }
    assert by_subject["update.addon"].severity is Severity.MEDIUM
    assert by_subject["update.lamp"].severity is Severity.HIGH
    assert by_subject[CORE_ID].severity is Severity.HIGH
    assert by_subject["update.addon"].placeholders == {
        "name": "Name of update.addon",
        "installed": "1.0.0",
        "latest": "1.1.0",
        "pending": "3 days",
    }
    assert by_subject["update.lamp"].placeholders["pending"] == "40 days"
    assert by_subject[CORE_ID].title == f"Name of {CORE_ID}: 2025.6.1 is available"
    assert (
        by_subject["update.no_versions"].placeholders["latest"] == "an unknown version"
    )
    assert_placeholders("update_pending", findings)


async def test_pending_nothing_when_all_current(hass: HomeAssistant) -> None:
    the_facts = facts(
        entity(state="off", latest="1.0.0"), entity("update.b", in_progress=True)
    )
    assert run("update_pending", the_facts)[:2] == (Status.PASS, None)


async def test_pending_since_prefers_the_remembered_moment(hass: HomeAssistant) -> None:
    lamp = entity("update.lamp", last_changed=NOW - timedelta(hours=1))
    remembered = facts(lamp, since={"update.lamp": NOW - timedelta(days=31)})
    _, _, findings = run("update_pending", remembered)
    assert findings[0].severity is Severity.HIGH
    assert findings[0].placeholders["pending"] == "31 days"


async def test_core_pending_age_from_calendar_versions(hass: HomeAssistant) -> None:
    """After a restart the state is young, but 2025.2 came out months ago: critical."""
    core = entity(
        CORE_ID,
        installed="2025.1.4",
        latest="2025.3.0",
        component=Component.CORE,
        last_changed=NOW - timedelta(minutes=5),
    )
    _, _, findings = run("update_pending", facts(core))
    # 2025.3 was released on Wednesday 5 March 2025, 102 days before NOW.
    assert findings[0].placeholders["pending"] == "102 days"
    assert findings[0].severity is Severity.CRITICAL
    # Same month (a patch release): the state's own age counts.
    patch_only = replace(core, installed_version="2025.3.0", latest_version="2025.3.1")
    _, _, findings = run("update_pending", facts(patch_only))
    assert findings[0].placeholders["pending"] == "less than a day"
    assert findings[0].severity is Severity.HIGH
    # The calendar is not used for anything but Core, nor for versions it cannot read.
    for other in (
        replace(core, component=Component.SUPERVISOR),
        replace(core, installed_version="garbage"),
        replace(core, latest_version=None),
    ):
        _, _, findings = run("update_pending", facts(other))
        assert findings[0].placeholders["pending"] == "less than a day"


def test_remember_pending_survives_flaps_and_forgets_resolved() -> None:
    cache: PendingMemory = {}
    first = NOW - timedelta(days=20)
    lamp = entity("update.lamp", last_changed=first)
    assert remember_pending(cache, (lamp,)) == {"update.lamp": first}
    # Through unavailable: remembered, not restarted.
    flapping = replace(lamp, state="unavailable", last_changed=NOW - timedelta(hours=2))
    assert remember_pending(cache, (flapping,)) == {"update.lamp": first}
    back = replace(lamp, last_changed=NOW - timedelta(hours=1))
    assert remember_pending(cache, (back,)) == {"update.lamp": first}
    # Installing: remembered.
    installing = replace(back, in_progress=True)
    assert remember_pending(cache, (installing,)) == {"update.lamp": first}
    # A newer release: the clock starts at the state's change.
    newer = replace(back, latest_version="1.2.0")
    assert remember_pending(cache, (newer,)) == {"update.lamp": back.last_changed}
    # Installed (off): forgotten, and it does not come back.
    assert remember_pending(cache, (replace(newer, state="off"),)) == {}
    assert remember_pending(cache, (newer,)) == {"update.lamp": back.last_changed}
    # Gone: forgotten.
    assert remember_pending(cache, ()) == {}
    assert cache == {}


def test_fill_unavailable_keeps_the_last_known_state() -> None:
    cache: dict[str, UpdateEntityFacts] = {}
    lamp = entity("update.lamp")
    skipped = entity(OS_ID, state="off", skipped="1.1.0", component=Component.OS)
    fresh = entity("update.fresh", state="unavailable", installed=None, latest=None)
    assert fill_unavailable(cache, (lamp, skipped, fresh)) == (lamp, skipped, fresh)
    gone_dark = (
        replace(lamp, state="unavailable", installed_version=None, latest_version=None),
        replace(skipped, state="unknown", skipped_version=None),
        fresh,
    )
    assert fill_unavailable(cache, gone_dark) == (lamp, skipped, fresh)
    # Back with news: the news counts.
    installed = replace(lamp, state="off", installed_version="1.1.0")
    assert fill_unavailable(cache, (installed,)) == (installed,)
    # Gone entities are forgotten: they do not come back from memory.
    assert set(cache) == {"update.lamp"}
    assert fill_unavailable(cache, (gone_dark[1],)) == (gone_dark[1],)


# --- update_skipped -------------------------------------------------------------------------


async def test_skipped_only_for_core_os_supervisor(hass: HomeAssistant) -> None:
    the_facts = facts(
        entity(
            CORE_ID,
            state="off",
            installed="2025.5.3",
            latest="2025.6.1",
            skipped="2025.6.1",
            component=Component.CORE,
        ),
        entity(
            OS_ID, state="off", latest="15.2", skipped="15.2", component=Component.OS
        ),
        entity(SUPERVISOR_ID, component=Component.SUPERVISOR),
        entity("update.addon", state="off", skipped="1.1.0", component=Component.ADDON),
        entity("update.lamp", state="off", skipped="1.1.0"),
        entity(
            "update.os_installing",
            skipped="15.2",
            in_progress=True,
            component=Component.OS,
        ),
    )
    status, _, findings = run("update_skipped", the_facts)
    assert status is Status.FAIL
    assert [f.subject for f in findings] == [CORE_ID, OS_ID]
    assert all(f.severity is Severity.MEDIUM for f in findings)
    assert findings[0].placeholders == {
        "name": f"Name of {CORE_ID}",
        "skipped": "2025.6.1",
        "installed": "2025.5.3",
    }
    assert findings[0].title == f"Name of {CORE_ID}: update to 2025.6.1 skipped"
    assert_placeholders("update_skipped", findings)
    assert (
        run(
            "update_skipped",
            facts(entity(CORE_ID, component=Component.CORE)),
        )[0]
        is Status.PASS
    )


# --- core_version_age -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("running", "now", "severity", "age"),
    [
        # 2025.1 was released on Wednesday 1 January 2025.
        ("2025.1.3", datetime(2025, 7, 1, tzinfo=UTC), None, None),
        (
            "2025.1.3",
            datetime(2025, 7, 1, 0, 0, 1, tzinfo=UTC),
            Severity.MEDIUM,
            "6 months",
        ),
        (
            "2025.1.0b1",
            datetime(2025, 12, 30, tzinfo=UTC),
            Severity.MEDIUM,
            "11 months",
        ),
        ("2025.1.3", datetime(2026, 1, 1, tzinfo=UTC), Severity.MEDIUM, "1 year"),
        ("2025.1.3", datetime(2026, 1, 2, tzinfo=UTC), Severity.HIGH, "1 year"),
        (
            "2024.2.1",
            datetime(2026, 5, 1, tzinfo=UTC),
            Severity.HIGH,
            "2 years and 2 months",
        ),
        ("2025.6.0.dev20250520", datetime(2025, 6, 15, tzinfo=UTC), None, None),
        # A clock behind the release (a fresh dev build, a wrong clock): nothing.
        ("2025.6.1", datetime(2025, 1, 1, tzinfo=UTC), None, None),
    ],
)
async def test_core_version_age(
    hass: HomeAssistant,
    running: str,
    now: datetime,
    severity: Severity | None,
    age: str | None,
) -> None:
    status, _, findings = run("core_version_age", facts(running=running, now=now))
    if severity is None:
        assert (status, findings) == (Status.PASS, [])
        return
    assert status is Status.FAIL
    (finding,) = findings
    assert finding.severity is severity
    assert finding.subject == "homeassistant"
    assert finding.placeholders["version"] == running
    assert finding.placeholders["age"] == age
    assert finding.title == f"Home Assistant {running} is {age} old"
    assert_placeholders("core_version_age", findings)


async def test_core_version_age_names_the_release_month(hass: HomeAssistant) -> None:
    _, _, findings = run("core_version_age", facts(running="2024.11.2"))
    assert findings[0].placeholders["released"] == "November 2024"


async def test_core_version_age_unknown_for_other_versions(hass: HomeAssistant) -> None:
    status, reason, findings = run("core_version_age", facts(running="0.118.5"))
    assert (status, findings) == (Status.UNKNOWN, [])
    assert reason == "0.118.5 is not a calendar version"


# --- update_source_missing ------------------------------------------------------------------


async def test_source_missing(hass: HomeAssistant) -> None:
    status, _, findings = run("update_source_missing", facts(sources=()))
    assert status is Status.FAIL
    (finding,) = findings
    assert (finding.severity, finding.subject) == (Severity.INFO, "homeassistant")
    assert (
        finding.learn_more_url == "https://www.home-assistant.io/integrations/version/"
    )
    assert_placeholders("update_source_missing", findings)
    status, reason, findings = run(
        "update_source_missing",
        facts(sources=(CORE_ID, "binary_sensor.x")),
    )
    assert (status, findings) == (Status.PASS, [])
    assert reason == f"reported by {CORE_ID}, binary_sensor.x"


def test_every_check_has_a_repair_text_and_a_documentation_link() -> None:
    issues = json.loads(STRINGS.read_text())["issues"]
    for check in CHECKS.values():
        assert check.id in issues
        assert check.learn_more_url.startswith("https://www.home-assistant.io/")


# --- real update entities in hass -----------------------------------------------------------


class FakeUpdate(UpdateEntity):
    """An update entity as integrations write them."""

    _attr_should_poll = False
    _attr_supported_features = (
        UpdateEntityFeature.INSTALL | UpdateEntityFeature.PROGRESS
    )

    def __init__(
        self,
        unique_id: str,
        name: str,
        installed: str,
        latest: str,
        title: str | None = None,
    ) -> None:
        self._attr_unique_id = unique_id
        self._attr_name = name
        self._attr_installed_version = installed
        self._attr_latest_version = latest
        self._attr_title = title
        self._attr_release_url = "https://example.com/notes"

    @callback
    def set_installing(self, installing: bool) -> None:
        self._attr_in_progress = installing
        self._attr_update_percentage = 10 if installing else None
        self.async_write_ha_state()

    @callback
    def set_progress(self, percentage: int) -> None:
        self._attr_update_percentage = percentage
        self.async_write_ha_state()

    @callback
    def set_versions(self, installed: str, latest: str) -> None:
        self._attr_installed_version = installed
        self._attr_latest_version = latest
        self.async_write_ha_state()


def supervisor_entities() -> list[FakeUpdate]:
    """What the Supervisor integration provides on Home Assistant OS."""
    return [
        FakeUpdate(
            "home_assistant_core_version_latest",
            "Home Assistant Core Update",
            "2025.5.3",
            "2025.6.1",
            "Home Assistant Core",
        ),
        FakeUpdate(
            "home_assistant_os_version_latest",
            "Home Assistant Operating System Update",
            "15.1",
            "15.2",
        ),
        FakeUpdate(
            "home_assistant_supervisor_version_latest",
            "Home Assistant Supervisor Update",
            "2025.06.0",
            "2025.06.0",
        ),
        FakeUpdate(
            "core_ssh_version_latest", "Terminal & SSH Update", "9.16.0", "9.17.0"
        ),
        FakeUpdate(
            "a0d7b954_vscode_version_latest",
            "Studio Code Server Update",
            "5.19.0",
            "5.19.0",
        ),
    ]


async def setup_platform(
    hass: HomeAssistant, domain: str, entities: list[FakeUpdate]
) -> None:
    """Add `entities` through the update platform of a config entry of integration `domain`."""

    async def async_setup_entry(hass: HomeAssistant, entry: ConfigEntry) -> bool:
        await hass.config_entries.async_forward_entry_setups(entry, [Platform.UPDATE])
        return True

    async def async_setup_platform_entry(
        hass: HomeAssistant, entry: ConfigEntry, async_add_entities: AddEntitiesCallback
    ) -> None:
        async_add_entities(entities)

    mock_integration(hass, MockModule(domain, async_setup_entry=async_setup_entry))
    mock_platform(
        hass,
        f"{domain}.update",
        MockPlatform(async_setup_entry=async_setup_platform_entry),
    )
    mock_platform(hass, f"{domain}.config_flow")
    entry = MockConfigEntry(domain=domain)
    entry.add_to_hass(hass)
    with mock_config_flow(domain, ConfigFlow):
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()


async def scan(
    hass: HomeAssistant,
    ctx: ScanContext | None = None,
    cache: Cache | None = None,
) -> Any:
    """One scan of the family; `cache` lives across scans as the coordinator's does."""
    return await async_scan_family(
        Family.UPDATES, ctx or ctx_at(hass, dt_util.utcnow(), cache)
    )


def findings_by_check(outcome: Any) -> dict[str, dict[str, Finding]]:
    result: dict[str, dict[str, Finding]] = {}
    for finding in outcome.findings:
        result.setdefault(finding.check, {})[finding.subject] = finding
    return result


async def test_supervisor_entities_through_hass(
    hass: HomeAssistant, config_dir: Path, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to("2025-06-15 12:00:00+00:00")
    cache = Cache()
    entities = supervisor_entities()
    await setup_platform(hass, "hassio", entities)
    await setup_platform(
        hass, "zwave_js", [FakeUpdate("node_5", "Lock firmware", "1.2", "1.4")]
    )
    registry = er.async_get(hass)
    # A renamed Core entity is still Core: the registry says so.
    registry.async_update_entity(CORE_ID, new_entity_id="update.my_core")
    await hass.async_block_till_done()

    read = {e.entity_id: e for e in read_update_entities(hass)}
    assert {e: read[e].component for e in read} == {
        "update.my_core": Component.CORE,
        OS_ID: Component.OS,
        SUPERVISOR_ID: Component.SUPERVISOR,
        "update.terminal_ssh_update": Component.ADDON,
        "update.studio_code_server_update": Component.ADDON,
        "update.lock_firmware": Component.OTHER,
    }
    core = read["update.my_core"]
    assert (core.installed_version, core.latest_version, core.title) == (
        "2025.5.3",
        "2025.6.1",
        "Home Assistant Core",
    )
    assert (core.platform, core.release_url, core.name) == (
        "hassio",
        "https://example.com/notes",
        "Home Assistant Core Update",
    )

    outcome = await scan(hass, cache=cache)
    found = findings_by_check(outcome)
    assert {s: f.severity for s, f in found["update_pending"].items()} == {
        "update.my_core": Severity.HIGH,
        OS_ID: Severity.HIGH,
        "update.terminal_ssh_update": Severity.MEDIUM,
        "update.lock_firmware": Severity.MEDIUM,
    }
    assert "update_skipped" not in found
    assert "update_source_missing" not in found
    statuses = {r.check: (r.status, r.reason) for r in outcome.checks}
    assert statuses["update_source_missing"] == (
        Status.PASS,
        "reported by update.my_core",
    )

    # Skip the OS update, start installing the add-on update, uninstall the lock's integration.
    await hass.services.async_call(
        "update", "skip", {"entity_id": OS_ID}, blocking=True
    )
    entities[3].set_installing(True)
    registry.async_remove("update.lock_firmware")
    await hass.async_block_till_done()
    assert hass.states.get(OS_ID).attributes["skipped_version"] == "15.2"

    outcome = await scan(hass, cache=cache)
    found = findings_by_check(outcome)
    assert set(found["update_pending"]) == {"update.my_core"}
    assert set(found["update_skipped"]) == {OS_ID}
    assert found["update_skipped"][OS_ID].placeholders == {
        "name": "Home Assistant Operating System Update",
        "skipped": "15.2",
        "installed": "15.1",
    }

    # Supervisor restarting: its entities are unavailable for a moment; nothing is resolved.
    for update in entities:
        update._attr_available = False
        update.async_write_ha_state()
    assert hass.states.get("update.my_core").state == "unavailable"
    outcome = await scan(hass, cache=cache)
    found = findings_by_check(outcome)
    assert set(found["update_pending"]) == {"update.my_core"}
    assert set(found["update_skipped"]) == {OS_ID}
    for update in entities:
        update._attr_available = True
        update.async_write_ha_state()

    # The Core update entity disabled: nothing reports on Core any more.
    registry.async_update_entity(
        "update.my_core", disabled_by=er.RegistryEntryDisabler.USER
    )
    await hass.async_block_till_done()
    assert hass.states.get("update.my_core") is None
    found = findings_by_check(await scan(hass, cache=cache))
    assert set(found["update_source_missing"]) == {"homeassistant"}


async def test_pending_age_through_hass(
    hass: HomeAssistant, config_dir: Path, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to("2025-05-01 12:00:00+00:00")
    lamp = FakeUpdate("lamp", "Lamp firmware", "1.0", "1.1")
    await setup_platform(hass, "hue", [lamp])
    cache = Cache()
    first = await scan(hass, ctx_at(hass, dt_util.utcnow(), cache))
    assert (
        findings_by_check(first)["update_pending"]["update.lamp_firmware"].severity
        is Severity.MEDIUM
    )

    freezer.move_to("2025-06-05 12:00:00+00:00")
    # The entity drops out and comes back: the state changes, the memory does not.
    lamp._attr_available = False
    lamp.async_write_ha_state()
    await scan(hass, ctx_at(hass, dt_util.utcnow(), cache))
    lamp._attr_available = True
    lamp.async_write_ha_state()
    later = await scan(hass, ctx_at(hass, dt_util.utcnow(), cache))
    finding = findings_by_check(later)["update_pending"]["update.lamp_firmware"]
    assert finding.severity is Severity.HIGH
    assert finding.placeholders["pending"] == "35 days"
    # Without the memory (a restart), the state's own change is all there is.
    fresh = await scan(hass, ctx_at(hass, dt_util.utcnow(), Cache()))
    assert (
        findings_by_check(fresh)["update_pending"]["update.lamp_firmware"].severity
        is Severity.MEDIUM
    )


async def test_entities_without_registry_entry(
    hass: HomeAssistant, config_dir: Path
) -> None:
    """States written without a registry entry: the well-known entity ids decide."""
    attributes = {
        "installed_version": "2025.5.0",
        "latest_version": "2025.6.0",
        "in_progress": False,
        "skipped_version": None,
    }
    hass.states.async_set(CORE_ID, "on", attributes)
    hass.states.async_set(
        SUPERVISOR_ID,
        "off",
        {**attributes, "latest_version": "2025.06.1", "skipped_version": "2025.06.1"},
    )
    hass.states.async_set("update.legacy", "on", {**attributes, "in_progress": 40})
    hass.states.async_set(
        "update.odd",
        "on",
        {"installed_version": 3, "latest_version": "", "title": "x" * 500},
    )
    read = {e.entity_id: e for e in read_update_entities(hass)}
    assert read[CORE_ID].component is Component.CORE
    assert read[SUPERVISOR_ID].component is Component.SUPERVISOR
    assert read["update.legacy"].in_progress is True
    assert read[CORE_ID].in_progress is False
    assert (
        read["update.odd"].installed_version,
        read["update.odd"].latest_version,
    ) == ("3", None)
    assert read["update.odd"].title == "x" * 64
    assert read["update.odd"].component is Component.OTHER
    assert read["update.odd"].platform is None
    found = findings_by_check(await scan(hass))
    assert set(found["update_pending"]) == {CORE_ID, "update.odd"}
    assert set(found["update_skipped"]) == {SUPERVISOR_ID}


async def test_classify(hass: HomeAssistant) -> None:
    def entry(platform: str, unique_id: str) -> er.RegistryEntry:
        return er.async_get(hass).async_get_or_create("update", platform, unique_id)

    assert (
        classify("update.x", entry("hassio", "home_assistant_core_version_latest"))
        is Component.CORE
    )
    assert (
        classify("update.x", entry("hassio", "home_assistant_os_version_latest"))
        is Component.OS
    )
    assert (
        classify(
            "update.x", entry("hassio", "home_assistant_supervisor_version_latest")
        )
        is Component.SUPERVISOR
    )
    assert (
        classify("update.x", entry("hassio", "core_mosquitto_version_latest"))
        is Component.ADDON
    )
    # Another integration's entity under Core's usual entity id is not Core.
    assert (
        classify(CORE_ID, entry("hacs", "home_assistant_core_version_latest"))
        is Component.OTHER
    )
    assert classify(OS_ID, None) is Component.OS
    assert classify("update.anything", None) is Component.OTHER


async def test_plain_installation_has_no_source(
    hass: HomeAssistant, config_dir: Path
) -> None:
    """A Container/Core install with no update entity at all: info finding, no pending."""
    outcome = await scan(hass)
    found = findings_by_check(outcome)
    assert set(found) - {"core_version_age"} == {"update_source_missing"}
    assert outcome.metrics == {}
    statuses = {r.check: r.status for r in outcome.checks}
    assert statuses["update_pending"] is Status.PASS
    assert statuses["update_skipped"] is Status.PASS
    assert statuses["core_version_age"] in (Status.PASS, Status.FAIL)


async def test_version_integration_is_a_source(
    hass: HomeAssistant, config_dir: Path
) -> None:
    registry = er.async_get(hass)
    registry.async_get_or_create(
        "binary_sensor",
        "version",
        "abc_docker_hub",
        suggested_object_id="docker_hub_update_available",
    )
    registry.async_get_or_create(
        "binary_sensor", "other", "door", suggested_object_id="door"
    )
    hass.states.async_set("binary_sensor.door", "off")
    outcome = await scan(hass)
    assert "update_source_missing" in findings_by_check(outcome)
    hass.states.async_set(
        "binary_sensor.docker_hub_update_available", "on", {"device_class": "update"}
    )
    outcome = await scan(hass)
    assert "update_source_missing" not in findings_by_check(outcome)
    reasons = {r.check: r.reason for r in outcome.checks}
    assert (
        reasons["update_source_missing"]
        == "reported by binary_sensor.docker_hub_update_available"
    )


async def test_running_version_is_home_assistants(
    hass: HomeAssistant, config_dir: Path
) -> None:
    with patch("homeassistant.const.__version__", "2023.1.0"):
        outcome = await scan(hass, ctx_at(hass, NOW))
    finding = findings_by_check(outcome)["core_version_age"]["homeassistant"]
    assert finding.placeholders["version"] == "2023.1.0"
    assert finding.severity is Severity.HIGH


@pytest.mark.skipif(
    importlib.util.find_spec("hassil") is None,
    reason="the demo integration needs conversation, which needs hassil (not installed here)",
)
async def test_demo_integration(hass: HomeAssistant, config_dir: Path) -> None:
    """The demo integration's update platform, as a real installation would show it."""
    assert await async_setup_component(hass, "homeassistant", {})
    with patch(
        "homeassistant.components.demo.COMPONENTS_WITH_CONFIG_ENTRY_DEMO_PLATFORM",
        [Platform.UPDATE],
    ):
        assert await async_setup_component(hass, "demo", {})
        await hass.async_block_till_done()
    on = sorted(s.entity_id for s in hass.states.async_all("update") if s.state == "on")
    assert len(on) == 5
    outcome = await scan(hass)
    found = findings_by_check(outcome)
    assert sorted(found["update_pending"]) == on
    assert all(f.severity is Severity.MEDIUM for f in found["update_pending"].values())
    assert "update_source_missing" in found
    # Installing one: it is not a finding meanwhile.
    async with installing(hass, "update.demo_update_with_progress"):
        outcome = await scan(hass)
        assert len(findings_by_check(outcome)["update_pending"]) == 4
        assert (
            "update.demo_update_with_progress"
            not in findings_by_check(outcome)["update_pending"]
        )
    assert hass.states.get("update.demo_update_with_progress").state == "off"


@asynccontextmanager
async def installing(hass: HomeAssistant, entity_id: str) -> AsyncIterator[None]:
    """A demo entity's install that lasts until the block ends."""
    release = asyncio.Event()

    async def install() -> None:
        await release.wait()

    with patch("homeassistant.components.demo.update._fake_install", install):
        hass.async_create_task(
            hass.services.async_call(
                "update", "install", {"entity_id": entity_id}, blocking=True
            )
        )
        for _ in range(20):
            await asyncio.sleep(0)
        assert hass.states.get(entity_id).attributes["in_progress"] is True
        assert hass.states.get(entity_id).state == "on"
        yield
        release.set()
        await hass.async_block_till_done()


async def test_demo_entities_on_any_version(
    hass: HomeAssistant, config_dir: Path
) -> None:
    """The demo integration's entity class, without the demo integration's dependencies."""
    from homeassistant.components.demo.update import DemoUpdate  # noqa: PLC0415

    demo = [
        DemoUpdate(
            unique_id="update_addon",
            device_name="Demo add-on",
            title="AdGuard Home",
            installed_version="1.0.0",
            latest_version="1.0.1",
        ),
        DemoUpdate(
            unique_id="update_support_progress",
            device_name="Demo Update with Progress",
            title="Philips Lamps Firmware",
            installed_version="1.93.3",
            latest_version="1.94.2",
            support_progress=True,
            update_steps=2,
        ),
        DemoUpdate(
            unique_id="update_2_date",
            device_name="Demo No Update",
            title="AdGuard Home",
            installed_version="1.0.0",
            latest_version="1.0.0",
        ),
    ]
    await setup_platform(hass, "demo_like", demo)  # type: ignore[arg-type]
    outcome = await scan(hass)
    progress = "update.demo_update_with_progress"
    assert set(findings_by_check(outcome)["update_pending"]) == {
        "update.demo_add_on",
        progress,
    }
    async with installing(hass, progress):
        outcome = await scan(hass)
        assert set(findings_by_check(outcome)["update_pending"]) == {
            "update.demo_add_on"
        }
    assert hass.states.get(progress).state == "off"
    await hass.services.async_call(
        "update", "skip", {"entity_id": "update.demo_add_on"}, blocking=True
    )
    outcome = await scan(hass)
    assert "update_pending" not in findings_by_check(outcome)
    assert "update_skipped" not in findings_by_check(outcome)  # not Core/OS/Supervisor
    assert outcome.metrics == {}


# --- listen ---------------------------------------------------------------------------------


def listen(
    hass: HomeAssistant, request_rescan: Callable[[], None]
) -> Callable[[], None]:
    """Subscribe as the integration does: every fact the family's checks need, once."""
    facts = {fact: None for check in CHECKS.values() for fact in check.needs}
    unsubscribes = [
        fact.listen(hass, request_rescan) for fact in facts if fact.listen is not None
    ]
    assert len(unsubscribes) == 2  # the update entities, and what reports on Core

    def unsubscribe() -> None:
        for remove in unsubscribes:
            remove()

    return unsubscribe


async def test_listen_asks_for_a_rescan_when_it_matters(hass: HomeAssistant) -> None:
    calls: list[int] = []
    unsubscribe = listen(hass, lambda: calls.append(1))
    entities = supervisor_entities()

    async def count(action: Any) -> int:
        before = len(calls)
        result = action()
        if asyncio.iscoroutine(result):
            await result
        await hass.async_block_till_done()
        return len(calls) - before

    assert await count(lambda: setup_platform(hass, "hassio", entities)) == len(
        entities
    )
    os_entity, addon = entities[1], entities[3]
    assert await count(lambda: addon.set_installing(True)) == 1
    assert await count(lambda: addon.set_progress(50)) == 0
    assert await count(lambda: addon.set_installing(False)) == 1
    assert await count(lambda: addon.set_versions("9.17.0", "9.17.0")) == 1
    assert (
        await count(
            lambda: hass.services.async_call(
                "update", "skip", {"entity_id": OS_ID}, blocking=True
            )
        )
        == 1
    )
    assert await count(lambda: os_entity.set_versions("15.1", "15.3")) == 1
    assert await count(lambda: er.async_get(hass).async_remove(OS_ID)) == 1
    assert await count(lambda: hass.states.async_set("sensor.temperature", "21")) == 0
    assert await count(lambda: hass.states.async_set("sensor.temperature", "22")) == 0
    registry = er.async_get(hass)
    registry.async_get_or_create(
        "binary_sensor",
        "version",
        "x_pypi",
        suggested_object_id="pypi_update_available",
    )
    assert (
        await count(
            lambda: hass.states.async_set("binary_sensor.pypi_update_available", "off")
        )
        == 1
    )
    assert (
        await count(
            lambda: hass.states.async_set("binary_sensor.pypi_update_available", "on")
        )
        == 0
    )
    assert await count(lambda: hass.states.async_set("binary_sensor.door", "on")) == 0
    assert await count(lambda: hass.states.async_remove("binary_sensor.door")) == 0
    assert (
        await count(
            lambda: hass.states.async_remove("binary_sensor.pypi_update_available")
        )
        == 1
    )
    unsubscribe()
    assert await count(lambda: hass.states.async_set("update.new", "on")) == 0


# --- end to end -----------------------------------------------------------------------------


async def test_end_to_end_sensor_follows_updates(
    hass: HomeAssistant,
    config_dir: Path,
    mock_config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    freezer.move_to("2025-06-15 12:00:00+00:00")
    entities = supervisor_entities()
    await setup_platform(hass, "hassio", entities)
    await async_setup_integration(hass, mock_config_entry)
    sensor = "sensor.security_posture_pending_updates"
    assert hass.states.get(sensor).state == "3"
    report = await async_scan_service(hass)
    assert {
        f["subject"]: f["severity"] for f in findings_of(report, "update_pending")
    } == {
        CORE_ID: "high",
        OS_ID: "high",
        "update.terminal_ssh_update": "medium",
    }
    assert findings_of(report, "update_source_missing") == []
    assert hass.states.get("binary_sensor.security_posture_updates").state == "on"
    core_finding = next(
        f for f in findings_of(report, "update_pending") if f["subject"] == CORE_ID
    )
    issue = ir.async_get(hass).async_get_issue(DOMAIN, core_finding["id"])
    assert issue is not None
    assert (issue.translation_key, issue.severity) == (
        "update_pending",
        ir.IssueSeverity.ERROR,
    )
    assert issue.learn_more_url == "https://www.home-assistant.io/integrations/update/"
    assert issue.translation_placeholders is not None
    assert {
        k: issue.translation_placeholders[k]
        for k in ("name", "installed", "latest", "pending")
    } == {
        "name": "Home Assistant Core Update",
        "installed": "2025.5.3",
        "latest": "2025.6.1",
        "pending": "11 days",  # 2025.6 came out on Wednesday 4 June
    }

    # A new add-on release: the sensor follows once the debounce has passed.
    entities[4].set_versions("5.19.0", "5.20.0")
    await hass.async_block_till_done()
    assert hass.states.get(sensor).state == "3"
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=3))
    await hass.async_block_till_done()
    assert hass.states.get(sensor).state == "4"

    # Everything installed: all resolved within seconds.
    for update in entities:
        update.set_versions(update.latest_version or "", update.latest_version or "")
    await hass.async_block_till_done()
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=6))
    await hass.async_block_till_done()
    assert hass.states.get(sensor).state == "0"
    report = await async_scan_service(hass)
    assert findings_of(report, "update_pending") == []
    assert ir.async_get(hass).async_get_issue(DOMAIN, core_finding["id"]) is None
