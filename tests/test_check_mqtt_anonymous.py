"""`mqtt_anonymous`: MQTT entries and the Mosquitto add-on, on facts and end to end.

End to end, MQTT is the real integration set up from a config entry of the `mqtt` domain;
only its network client (paho) is replaced, by the test package's `mqtt_mock_entry`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from unittest.mock import MagicMock, Mock, patch

from aiohasupervisor.models import AddonState
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.dispatcher import async_dispatcher_send
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.typing import (
    ClientSessionGenerator,
    MqttMockHAClientGenerator,
)

from custom_components.security_posture.checks.exposure.mqtt_anonymous import CHECK
from custom_components.security_posture.const import DOMAIN, REFRESH_COOLDOWN
from custom_components.security_posture.diagnostics import (
    async_get_config_entry_diagnostics,
)
from custom_components.security_posture.engine import Facts, ScanContext
from custom_components.security_posture.inspect.mqtt import (
    MQTT,
    BrokerAddon,
    MqttEntry,
    MqttFacts,
    async_read_mqtt,
    mqtt_entry,
    read_custom_anonymous,
)
from custom_components.security_posture.inspect.supervisor import async_read_supervisor
from custom_components.security_posture.model import Severity, finding_id

from .fix_helpers import FlowClient, issues
from .helpers import (
    COMMON_PLACEHOLDERS,
    async_scan,
    async_setup_integration,
    findings_of,
    issue_placeholders_used,
    status_of,
)
from .supervisor_fakes import addon_details, mocked_supervisor

NOW = datetime(2026, 11, 15, 12, 0, tzinfo=UTC)
USER = "canary-mqtt-username-5d1e"
PASSWORD = "canary-mqtt-password-9b2c"
CLIENT_KEY = "-----BEGIN PRIVATE KEY-----canary-client-key-----END PRIVATE KEY-----"
NO_REASONS = SimpleNamespace(unsupported_reasons=set(), unhealthy_reasons=set())


@pytest.fixture
async def close_mqtt(
    hass: HomeAssistant, mqtt_client_mock: MagicMock
) -> AsyncIterator[None]:
    """Close the faked socket and unload MQTT after the test.

    MQTT runs a timer while its socket is open; the faked client never closes it.
    """
    yield
    mqtt_client_mock.on_socket_close(
        mqtt_client_mock, None, Mock(fileno=Mock(return_value=-1))
    )
    for entry in hass.config_entries.async_entries("mqtt"):
        if entry.state is ConfigEntryState.LOADED:
            await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()


def entry_facts(**fields: Any) -> MqttEntry:
    base: dict[str, Any] = {
        "entry_id": "e1",
        "title": "core-mosquitto",
        "loaded": True,
        "connected": True,
        "login": False,
        "client_certificate": False,
        "ws_headers": False,
        "tls": False,
        "tls_insecure": False,
    }
    return MqttEntry(**(base | fields))


def run(facts: MqttFacts) -> list:
    return list(CHECK.inspect(Facts({MQTT: facts}, now=NOW)))


def test_on_facts() -> None:
    assert run(MqttFacts(entries=(), anonymous_broker=None)) == []
    # A login, a client certificate or WebSocket headers: the broker may demand them.
    for fields in (
        {"login": True},
        {"client_certificate": True},
        {"ws_headers": True},
        {"connected": False},
        {"loaded": False, "connected": False},
    ):
        assert (
            run(MqttFacts(entries=(entry_facts(**fields),), anonymous_broker=None))
            == []
        )
    hits = run(
        MqttFacts(
            entries=(entry_facts(tls=True, tls_insecure=True),),
            anonymous_broker=BrokerAddon(
                slug="core_mosquitto", name="Mosquitto broker", source="option"
            ),
        )
    )
    assert [(h.subject, h.severity, h.key) for h in hits] == [
        ("addon:core_mosquitto", None, "anonymous"),
        ("mqtt_entry:e1", None, None),
        ("mqtt_entry:e1:tls_insecure", Severity.MEDIUM, "tls_insecure"),
    ]
    assert hits[1].title == (
        "The MQTT broker of core-mosquitto accepts clients without a login"
    )
    [hit] = run(
        MqttFacts(
            entries=(),
            anonymous_broker=BrokerAddon(
                slug="core_mosquitto", name="Mosquitto", source="mosquitto/anon.conf"
            ),
        )
    )
    assert hit.key is None
    assert "`/share/mosquitto/anon.conf`" in hit.placeholders["detail"]


def test_entry_facts_hold_no_value() -> None:
    def facts(data: dict[str, Any]) -> MqttEntry:
        entry = MockConfigEntry(domain="mqtt", title="MQTT", data=data)
        return mqtt_entry(entry, connected=False)

    plain = facts({"broker": "10.0.0.2", "port": 1883, "username": "", "password": ""})
    assert (plain.login, plain.client_certificate, plain.tls, plain.loaded) == (
        False,
        False,
        False,
        False,
    )
    full = facts(
        {
            "broker": "mqtt.example",
            "username": USER,
            "password": PASSWORD,
            "certificate": "auto",
            "client_key": CLIENT_KEY,
            "tls_insecure": True,
            "transport": "websockets",
            "ws_headers": {"Authorization": f"Bearer {PASSWORD}"},
        }
    )
    assert (full.login, full.client_certificate, full.tls, full.tls_insecure) == (
        True,
        True,
        True,
        True,
    )
    assert full.ws_headers is True
    for secret in (USER, PASSWORD, CLIENT_KEY):
        assert secret not in repr(full)
    # tls_insecure means nothing without TLS; headers nothing without WebSockets.
    bare = facts({"broker": "b", "tls_insecure": True, "ws_headers": {"a": "b"}})
    assert (bare.tls_insecure, bare.ws_headers) == (False, False)


def test_custom_configuration_files(tmp_path: Path) -> None:
    share = tmp_path / "share"
    folder = share / "mosquitto"
    folder.mkdir(parents=True)
    assert read_custom_anonymous(share, "mosquitto") == (None, ())
    (folder / "10-acl.conf").write_text("acl_file /share/mosquitto/acl\n")
    (folder / "20-anon.conf").write_text(
        "# allow_anonymous false\nallow_anonymous true\n"
    )
    (folder / "readme.txt").write_text("allow_anonymous false\n")  # not a .conf
    assert read_custom_anonymous(share, "mosquitto") == (
        ("mosquitto/20-anon.conf", True),
        (),
    )
    # Files are read in name order: the last setting wins.
    (folder / "30-close.conf").write_text("  allow_anonymous FALSE \n")
    assert read_custom_anonymous(share, "mosquitto")[0] == (
        "mosquitto/30-close.conf",
        False,
    )
    (folder / "40-dir.conf").mkdir()
    assert read_custom_anonymous(share, "mosquitto")[1] == (
        "/share/mosquitto/40-dir.conf: is a directory, not a file",
    )
    assert read_custom_anonymous(share, "absent") == (None, ())
    assert read_custom_anonymous(share, "../etc") == (
        None,
        ("the Mosquitto customize folder ../etc is outside /share",),
    )


BROKER_ADDON = [
    {"slug": "core_mosquitto", "name": "Mosquitto broker", "state": "started"}
]


def mosquitto(version: str | None, **options: Any) -> dict[str, SimpleNamespace]:
    return {
        "core_mosquitto": addon_details(
            options={"logins": [{"username": USER, "password": PASSWORD}]} | options,
            network={"1883/tcp": 1883},
            version=version,
        )
    }


async def test_the_mosquitto_add_on(hass: HomeAssistant, tmp_path: Path) -> None:
    async def broker(
        version: str | None, state: AddonState = AddonState.STARTED, **options: Any
    ) -> BrokerAddon | None:
        details = mosquitto(version, **options)
        details["core_mosquitto"].state = state
        with mocked_supervisor(addons=BROKER_ADDON, details=details, issues=NO_REASONS):
            supervisor = await async_read_supervisor(hass)
        facts = await async_read_mqtt(hass, supervisor, share_dir=tmp_path)
        return facts.anonymous_broker

    found = await broker("5.1.1", anonymous=True)
    assert found == BrokerAddon(
        slug="core_mosquitto", name="Mosquitto broker", source="option"
    )
    assert await broker("5.1.1", anonymous=False) is None
    assert await broker("5.1.1", AddonState.STOPPED, anonymous=True) is None
    # 6.0 and later refuse clients without a username whatever the options say.
    assert await broker("6.0.0", anonymous=True) is None
    assert await broker("not a version", anonymous=True) is None
    assert await broker(None, anonymous=True) is None
    # Before 6.0 the customize folder is read after the option.
    folder = tmp_path / "mosquitto"
    folder.mkdir()
    (folder / "anon.conf").write_text("allow_anonymous true\n")
    customize = {"active": True, "folder": "mosquitto"}
    assert await broker("5.1.1", customize=customize) == BrokerAddon(
        slug="core_mosquitto", name="Mosquitto broker", source="mosquitto/anon.conf"
    )
    (folder / "anon.conf").write_text("allow_anonymous false\n")
    assert await broker("5.1.1", anonymous=True, customize=customize) is None
    assert await broker("6.4.1", customize=customize) is None
    # A customize folder that says nothing about anonymous clients: the option decides.
    assert await broker(
        "5.1.1", anonymous=True, customize={"active": True, "folder": "absent"}
    ) == BrokerAddon(slug="core_mosquitto", name="Mosquitto broker", source="option")
    # Without a Supervisor there is no add-on.
    assert (await async_read_mqtt(hass, None)).anonymous_broker is None
    # What cannot be read in the folder is noted by the fact; the rest still counts.
    (folder / "zz.conf").mkdir()
    details = mosquitto("5.1.1", anonymous=True, customize=customize)
    with (
        mocked_supervisor(addons=BROKER_ADDON, details=details, issues=NO_REASONS),
        patch("custom_components.security_posture.inspect.mqtt.SHARE_DIR", tmp_path),
    ):
        ctx = ScanContext(hass=hass, config_dir=tmp_path, now=NOW)
        facts = await ctx.fact(MQTT)
    assert facts.anonymous_broker is None  # anon.conf turns it off again
    assert [n.reason for n in ctx.notes] == [
        "/share/mosquitto/zz.conf: is a directory, not a file"
    ]


def canaries_absent(*texts: str) -> None:
    for secret in (USER, PASSWORD, CLIENT_KEY):
        assert not [t for t in texts if secret in t], secret


@pytest.mark.parametrize(
    "mqtt_config_entry_data", [{"broker": "core-mosquitto", "port": 1883}]
)
async def test_end_to_end_anonymous_connection(
    hass: HomeAssistant,
    config_dir: Path,
    mqtt_mock_entry: MqttMockHAClientGenerator,
    hass_client: ClientSessionGenerator,
    close_mqtt: None,
) -> None:
    (config_dir / "configuration.yaml").write_text("")
    mqtt_mock = await mqtt_mock_entry()
    [mqtt] = hass.config_entries.async_entries("mqtt")
    assert mqtt.state is ConfigEntryState.LOADED
    entry = MockConfigEntry(domain=DOMAIN, title="Security Posture", data={})
    await async_setup_integration(hass, entry)
    report = await async_scan(hass)
    [finding] = findings_of(report, "mqtt_anonymous")
    assert finding["subject"] == f"mqtt_entry:{mqtt.entry_id}"
    assert finding["id"] == finding_id("mqtt_anonymous", f"mqtt_entry:{mqtt.entry_id}")
    assert (finding["family"], finding["severity"]) == ("exposure", "high")
    assert finding["title"] == "The MQTT broker of MQTT accepts clients without a login"
    assert hass.states.get("binary_sensor.security_posture_exposure").state == "on"
    issue = issues(hass)[finding["id"]]
    assert (issue.translation_key, issue.severity) == (
        "mqtt_anonymous",
        ir.IssueSeverity.ERROR,
    )
    assert issue.translation_placeholders is not None
    assert issue_placeholders_used("mqtt_anonymous") <= (
        set(issue.translation_placeholders) | COMMON_PLACEHOLDERS
    )

    # The connection drops: nothing is proved any more. The integration rescans by itself.
    mqtt_mock.connected = False
    async_dispatcher_send(hass, "mqtt_connection_state", False)
    async_fire_time_changed(hass, dt_util.utcnow() + REFRESH_COOLDOWN * 2)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert finding["id"] not in issues(hass)
    assert hass.states.get("binary_sensor.security_posture_exposure").state == "off"

    # Connected again; the risk accepted through the repair flow.
    mqtt_mock.connected = True
    report = await async_scan(hass)
    assert len(findings_of(report, "mqtt_anonymous")) == 1
    flows = FlowClient(await hass_client())
    confirm = await flows.start(finding["id"])
    done = await flows.step(confirm, {})
    assert done["reason"] == "risk_accepted"
    await hass.async_block_till_done()
    assert hass.states.get("binary_sensor.security_posture_exposure").state == "off"


@pytest.mark.parametrize(
    "mqtt_config_entry_data",
    [
        {
            "broker": "mqtt.example",
            "port": 8883,
            "username": USER,
            "password": PASSWORD,
            "certificate": "auto",
            "tls_insecure": True,
        }
    ],
)
async def test_end_to_end_login_and_tls_insecure(
    hass: HomeAssistant,
    config_dir: Path,
    mqtt_mock_entry: MqttMockHAClientGenerator,
    caplog: pytest.LogCaptureFixture,
    close_mqtt: None,
) -> None:
    caplog.set_level("DEBUG", logger="custom_components.security_posture")
    (config_dir / "configuration.yaml").write_text("")
    await mqtt_mock_entry()
    [mqtt] = hass.config_entries.async_entries("mqtt")
    entry = MockConfigEntry(domain=DOMAIN, title="Security Posture", data={})
    await async_setup_integration(hass, entry)
    report = await async_scan(hass)
    [finding] = findings_of(report, "mqtt_anonymous")
    assert finding["subject"] == f"mqtt_entry:{mqtt.entry_id}:tls_insecure"
    assert finding["severity"] == "medium"
    assert finding["key"] == "tls_insecure"
    issue = issues(hass)[finding["id"]]
    assert issue.severity is ir.IssueSeverity.WARNING
    diagnostics = await async_get_config_entry_diagnostics(hass, entry)
    canaries_absent(
        json.dumps(report),
        json.dumps(diagnostics, default=str),
        _ours(caplog),
        repr([i.translation_placeholders for i in issues(hass).values()]),
    )


def _ours(caplog: pytest.LogCaptureFixture) -> str:
    """Our integration's log lines only (MQTT logs its own connection details)."""
    return "\n".join(
        r.getMessage()
        for r in caplog.records
        if r.name.startswith("custom_components.security_posture")
    )


async def test_entry_not_set_up_proves_nothing(
    hass: HomeAssistant, config_dir: Path
) -> None:
    MockConfigEntry(
        domain="mqtt", title="MQTT", data={"broker": "10.0.0.2"}
    ).add_to_hass(hass)
    entry = MockConfigEntry(domain=DOMAIN, title="Security Posture", data={})
    await async_setup_integration(hass, entry)
    report = await async_scan(hass)
    assert status_of(report, "mqtt_anonymous") == "pass"


async def test_end_to_end_old_mosquitto(
    hass: HomeAssistant, config_dir: Path, tmp_path: Path
) -> None:
    entry = MockConfigEntry(domain=DOMAIN, title="Security Posture", data={})
    details = mosquitto("5.1.1", anonymous=True)
    with (
        mocked_supervisor(addons=BROKER_ADDON, details=details, issues=NO_REASONS),
        patch("custom_components.security_posture.inspect.mqtt.SHARE_DIR", tmp_path),
    ):
        await async_setup_integration(hass, entry)
        report = await async_scan(hass)
    [finding] = findings_of(report, "mqtt_anonymous")
    assert finding["subject"] == "addon:core_mosquitto"
    assert finding["title"] == "Mosquitto broker lets MQTT clients in without a login"
    canaries_absent(json.dumps(report))
    # No Supervisor data: the add-on part is noted, the entries are still read.
    with mocked_supervisor(info=None):
        report = await async_scan(hass)
    assert status_of(report, "mqtt_anonymous") == "pass"
    assert {
        "family": "exposure",
        "reason": "Supervisor: the Supervisor integration has not loaded its data yet",
        "file": None,
    } in report["notes"]
