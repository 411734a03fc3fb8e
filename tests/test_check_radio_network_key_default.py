"""`radio_network_key_default`: Zigbee2MQTT, ZHA and Z-Wave JS keys, on facts and end to end."""

from __future__ import annotations

from datetime import UTC, datetime
import json
import os
from pathlib import Path
import sqlite3
from types import SimpleNamespace
from typing import Any

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.security_posture.checks.exposure.radio_network_key_default import (
    CHECK,
)
from custom_components.security_posture.const import DOMAIN
from custom_components.security_posture.diagnostics import (
    async_get_config_entry_diagnostics,
)
from custom_components.security_posture.engine import Facts
from custom_components.security_posture.inspect.addon_details import ZwaveKeys
from custom_components.security_posture.inspect.radio_keys import (
    RADIO_KEYS,
    RadioKeyFacts,
    ZwaveNetwork,
    async_read_radio_keys,
    zwave_networks,
)
from custom_components.security_posture.inspect.supervisor import (
    Addon,
    SupervisorFacts,
)
from custom_components.security_posture.inspect.zha_network import (
    ZhaNetwork,
    ZhaUnreadable,
    read_zha_network,
)
from custom_components.security_posture.inspect.zigbee2mqtt import (
    KeyState,
    Zigbee2MqttNetwork,
    folders,
    read_networks,
)
from custom_components.security_posture.model import finding_id

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
DEFAULT = [1, 3, 5, 7, 9, 11, 13, 15, 0, 2, 4, 6, 8, 10, 12, 13]
# An own key whose bytes are also canaries: their text never appears anywhere.
OWN = [201, 37, 118, 64, 250, 9, 177, 42, 93, 140, 6, 221, 75, 188, 31, 99]
OWN_HEX = bytes(OWN).hex()
ZWAVE_KEY = "C0FFEE00C0FFEE00C0FFEE00C0FFEE00"
Z2M_SECRET = "canary-z2m-mqtt-password"
NO_REASONS = SimpleNamespace(unsupported_reasons=set(), unhealthy_reasons=set())


def z2m(folder: Path, network_key: Any = None, *, text: str | None = None) -> Path:
    """Write a Zigbee2MQTT configuration.yaml (and return it)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "configuration.yaml"
    if text is None:
        advanced = (
            "" if network_key is None else f"  network_key: {json.dumps(network_key)}\n"
        )
        text = (
            "homeassistant: true\n"
            "mqtt:\n  server: mqtt://core-mosquitto\n  user: z2m\n"
            f"  password: {Z2M_SECRET}\n"
            "serial:\n  port: /dev/ttyACM0\n"
            f"advanced:\n  log_level: info\n{advanced}"
        )
    path.write_text(text)
    return path


def backup(folder: Path, key: list[int] | str) -> None:
    """Zigbee2MQTT's coordinator_backup.json (open coordinator backup format)."""
    hex_key = key if isinstance(key, str) else bytes(key).hex()
    (folder / "coordinator_backup.json").write_text(
        json.dumps(
            {
                "metadata": {"format": "zigpy/open-coordinator-backup", "version": 1},
                "network_key": {
                    "key": hex_key,
                    "sequence_number": 0,
                    "frame_counter": 7,
                },
                "channel": 11,
            }
        )
    )


def states(config_dir: Path, folder: Path | None = None) -> list[tuple[Any, Any, bool]]:
    networks = read_networks(config_dir, [folder or config_dir / "zigbee2mqtt"])
    return [(n.configured, n.running, n.default_key) for n in networks]


def test_zigbee2mqtt_configuration(tmp_path: Path) -> None:
    config = tmp_path / "config"
    folder = config / "zigbee2mqtt"
    assert states(config) == []  # no Zigbee2MQTT here
    z2m(folder, DEFAULT)
    assert states(config) == [(KeyState.DEFAULT, None, True)]
    z2m(folder)  # missing: Zigbee2MQTT uses its published default
    assert states(config) == [(KeyState.MISSING, None, True)]
    z2m(folder, "GENERATE")
    assert states(config) == [(KeyState.GENERATE, None, False)]
    z2m(folder, OWN)
    assert states(config) == [(KeyState.OWN, None, False)]
    z2m(folder, [1, 2, 3])
    assert states(config) == [(KeyState.INVALID, None, False)]
    z2m(folder, [True] * 16)
    assert states(config) == [(KeyState.INVALID, None, False)]
    # Hexadecimal YAML integers are the same key.
    z2m(
        folder,
        text="advanced:\n  network_key: [0x01, 0x03, 0x05, 0x07, 0x09, 0x0B, "
        "0x0D, 0x0F, 0x00, 0x02, 0x04, 0x06, 0x08, 0x0A, 0x0C, 0x0D]\n",
    )
    assert states(config) == [(KeyState.DEFAULT, None, True)]
    z2m(folder, text="")  # an empty file: every default, the key's included
    assert states(config) == [(KeyState.MISSING, None, True)]


def test_zigbee2mqtt_secret_references(tmp_path: Path) -> None:
    config = tmp_path / "config"
    folder = config / "zigbee2mqtt"
    z2m(folder, "!secret network_key")
    (folder / "secret.yaml").write_text(f"network_key: {json.dumps(DEFAULT)}\n")
    assert states(config) == [(KeyState.DEFAULT, None, True)]
    (folder / "secret.yaml").write_text(f"network_key: {json.dumps(OWN)}\n")
    assert states(config) == [(KeyState.OWN, None, False)]
    z2m(folder, "!keys.yml network_key")
    (folder / "keys.yml").write_text(f"network_key: {json.dumps(DEFAULT)}\n")
    assert states(config) == [(KeyState.DEFAULT, None, True)]
    # Written as a YAML tag, not quoted: the same reference.
    z2m(folder, text="advanced:\n  network_key: !secret network_key\n")
    assert states(config) == [(KeyState.OWN, None, False)]
    # A reference that cannot be followed leaves the network undecided, with a reason.
    for reference, reason in (
        ("!secret other", "advanced.network_key refers to a name secret.yaml lacks"),
        (
            "!absent network_key",
            "advanced.network_key refers to absent.yaml: file not found",
        ),
        (
            "!../../etc/passwd x",
            "advanced.network_key refers to a file that cannot be read",
        ),
        ("!secret", "advanced.network_key refers to a file that cannot be read"),
    ):
        z2m(folder, reference)
        [network] = read_networks(config, [folder])
        assert (network.configured, network.default_key) == (None, False)
        assert network.problem == f"zigbee2mqtt/configuration.yaml: {reason}"
    for text in (
        "advanced:\n  network_key: !secret [1, 2]\n",
        "advanced:\n  network_key: !secret {a: 1}\n",
    ):
        z2m(folder, text=text)
        [network] = read_networks(config, [folder])
        assert (network.configured, network.default_key) == (None, False)
    for reference, reason in (
        (
            "!secret network_key",
            "advanced.network_key refers to a name secret.yaml lacks",
        ),
    ):
        (folder / "secret.yaml").write_text("- not a mapping\n")
        z2m(folder, reference)
        [network] = read_networks(config, [folder])
        assert (network.configured, network.default_key) == (None, False)
        assert network.problem == f"zigbee2mqtt/configuration.yaml: {reason}"


def test_zigbee2mqtt_broken_files(tmp_path: Path) -> None:
    config = tmp_path / "config"
    folder = config / "zigbee2mqtt"
    for text, reason in (
        ("advanced: [unclosed\n", "not valid YAML"),
        ("a:" + " [" * 2000 + "\n", None),
    ):
        z2m(folder, text=text)
        [network] = read_networks(config, [folder])
        assert network.configured is None
        assert network.problem is not None
        if reason:
            assert network.problem.endswith(reason)
        assert Z2M_SECRET not in network.problem
    (folder / "configuration.yaml").unlink()
    (folder / "configuration.yaml").mkdir()
    [network] = read_networks(config, [folder])
    assert network.problem == (
        "zigbee2mqtt/configuration.yaml: is a directory, not a file"
    )


def test_zigbee2mqtt_coordinator_backup_decides(tmp_path: Path) -> None:
    config = tmp_path / "config"
    folder = config / "zigbee2mqtt"
    # The network formed on the default key, then the setting was changed: still default.
    z2m(folder, "GENERATE")
    backup(folder, DEFAULT)
    assert states(config) == [(KeyState.GENERATE, KeyState.DEFAULT, True)]
    # The setting missing, but the network runs on a key of its own.
    z2m(folder)
    backup(folder, OWN)
    assert states(config) == [(KeyState.MISSING, KeyState.OWN, False)]
    # A backup that says nothing usable is ignored.
    for broken in ("not json", json.dumps({"network_key": {"key": "zz"}}), "[]"):
        (folder / "coordinator_backup.json").write_text(broken)
        assert states(config) == [(KeyState.MISSING, None, True)]
    backup(folder, "0102")
    assert states(config) == [(KeyState.MISSING, None, True)]


def supervisor(*addons: Addon) -> SupervisorFacts:
    return SupervisorFacts(addons=addons, unsupported=(), unhealthy=())


def test_zigbee2mqtt_folders(tmp_path: Path) -> None:
    config = tmp_path / "config"
    # Without a Supervisor, the folder an add-on would use.
    assert folders(config, None) == ([config / "zigbee2mqtt"], [])
    # Under the Supervisor, only the installed add-ons' data folders.
    assert folders(config, supervisor()) == ([], [])
    z2m_addon = Addon(
        slug="45df7312_zigbee2mqtt", name="Zigbee2MQTT", started=True, protected=True
    )
    assert folders(config, supervisor(z2m_addon)) == ([config / "zigbee2mqtt"], [])
    paths = {
        "/config/zigbee2mqtt": config / "zigbee2mqtt",
        "/config/z2m/data": config / "z2m/data",
        "/share/zigbee2mqtt": Path("/share/zigbee2mqtt"),
    }
    for data_path, folder in paths.items():
        addon = Addon(**{**z2m_addon.__dict__, "data_path": data_path})
        assert folders(config, supervisor(addon)) == ([folder], [])
    # The edge add-on beside the stable one, on the same folder: read once.
    edge = Addon(**{**z2m_addon.__dict__, "slug": "45df7312_zigbee2mqtt_edge"})
    assert folders(config, supervisor(z2m_addon, edge)) == (
        [config / "zigbee2mqtt"],
        [],
    )
    for data_path in ("/addon_config/zigbee2mqtt", "/config/../../etc"):
        addon = Addon(**{**z2m_addon.__dict__, "data_path": data_path})
        assert folders(config, supervisor(addon)) == (
            [],
            [
                "add-on 45df7312_zigbee2mqtt: its data folder is not visible to Home Assistant"
            ],
        )
    # A folder outside the configuration directory is named absolutely.
    share = tmp_path / "share" / "zigbee2mqtt"
    z2m(share, DEFAULT)
    [network] = read_networks(config, [share])
    assert (network.file, network.in_config_dir) == (
        str(share / "configuration.yaml"),
        False,
    )


def zha_database(
    config_dir: Path,
    *backups: tuple[str, list[int] | str],
    table: str = "network_backups_v13",
) -> Path:
    """zigpy's database with network backups, as ZHA writes it."""
    path = config_dir / "zigbee.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE devices_v13 (ieee ieee, nwk INTEGER)")
        db.execute(
            f"CREATE TABLE {table} (id INTEGER PRIMARY KEY AUTOINCREMENT, "
            "backup_json TEXT NOT NULL)"
        )
        for when, key in backups:
            text = key if isinstance(key, str) else ":".join(f"{b:02x}" for b in key)
            db.execute(
                f"INSERT INTO {table} VALUES (NULL, ?)",  # noqa: S608
                (
                    json.dumps(
                        {
                            "version": 1,
                            "backup_time": when,
                            "network_info": {
                                "channel": 15,
                                "network_key": {"key": text, "tx_counter": 1234},
                                "tc_link_key": {
                                    "key": "5a:69:67:42:65:65:41:6c:6c:69:61:6e:63:65:30:39"
                                },
                            },
                            "node_info": {"ieee": "00:12:4b:00:1c:a1:b8:46"},
                        }
                    ),
                ),
            )
    return path


def test_zha_network(tmp_path: Path) -> None:
    with pytest.raises(ZhaUnreadable, match=r"zigbee\.db: file not found"):
        read_zha_network(tmp_path)
    zha_database(tmp_path)
    assert read_zha_network(tmp_path) is None  # no backup yet
    (tmp_path / "zigbee.db").unlink()
    sqlite3.connect(tmp_path / "zigbee.db").close()
    assert read_zha_network(tmp_path) is None  # no table at all
    (tmp_path / "zigbee.db").unlink()
    zha_database(
        tmp_path,
        ("2026-01-01T10:00:00+00:00", OWN),
        ("2026-03-01T10:00:00+00:00", DEFAULT),  # the newest: migrated from Zigbee2MQTT
        ("2026-02-01T10:00:00", OWN),  # no zone: taken as UTC
        ("2026-04-01T10:00:00+00:00", "ff:" * 15 + "ff"),  # zigpy's "unknown" key
        ("bad time", DEFAULT),
    )
    with sqlite3.connect(tmp_path / "zigbee.db") as db:  # not text: skipped
        db.execute("INSERT INTO network_backups_v13 VALUES (NULL, ?)", (b"\x00",))
    assert read_zha_network(tmp_path) == ZhaNetwork(
        default_key=True, backup_time=datetime(2026, 3, 1, 10, tzinfo=UTC)
    )
    (tmp_path / "zigbee.db").unlink()
    zha_database(
        tmp_path, ("2026-01-01T10:00:00+00:00", OWN), table="network_backups_v12"
    )
    network = read_zha_network(tmp_path)
    assert network is not None
    assert network.default_key is False
    # Not a database, or not a file.
    (tmp_path / "zigbee.db").write_text("garbage " * 100)
    with pytest.raises(ZhaUnreadable, match="not a database ZHA wrote"):
        read_zha_network(tmp_path)
    (tmp_path / "zigbee.db").unlink()
    os.mkfifo(tmp_path / "zigbee.db")
    with pytest.raises(ZhaUnreadable, match="not a regular file"):
        read_zha_network(tmp_path)


def test_on_facts() -> None:
    def run(facts: RadioKeyFacts) -> list:
        return list(CHECK.inspect(Facts({RADIO_KEYS: facts}, now=NOW)))

    nothing = RadioKeyFacts(zigbee2mqtt=(), zha=None, zwave=(), problems=())
    assert run(nothing) == []
    z2m_default = Zigbee2MqttNetwork(
        file="zigbee2mqtt/configuration.yaml",
        in_config_dir=True,
        configured=KeyState.MISSING,
        running=None,
    )
    hits = run(
        RadioKeyFacts(
            zigbee2mqtt=(
                z2m_default,
                Zigbee2MqttNetwork(
                    file="/share/zigbee2mqtt/configuration.yaml",
                    in_config_dir=False,
                    configured=KeyState.OWN,
                    running=KeyState.DEFAULT,
                ),
                Zigbee2MqttNetwork(
                    file="/share/z2m/configuration.yaml",
                    in_config_dir=False,
                    configured=KeyState.DEFAULT,
                    running=None,
                ),
                Zigbee2MqttNetwork(
                    file="broken/configuration.yaml",
                    in_config_dir=True,
                    configured=None,
                    running=None,
                    problem="broken/configuration.yaml: not valid YAML",
                ),
            ),
            zha=ZhaNetwork(default_key=True, backup_time=NOW),
            zwave=(
                ZwaveNetwork(
                    subject="addon:core_zwave_js", name="Z-Wave JS", s2_keys=0
                ),
                ZwaveNetwork(subject="config_entry:e2", name="Z-Wave JS", s2_keys=3),
            ),
            problems=(),
        )
    )
    assert [(h.subject, h.file) for h in hits] == [
        (
            "zigbee2mqtt:zigbee2mqtt/configuration.yaml",
            "zigbee2mqtt/configuration.yaml",
        ),
        ("zigbee2mqtt:/share/zigbee2mqtt/configuration.yaml", None),
        ("zigbee2mqtt:/share/z2m/configuration.yaml", None),
        ("zha:network_key", "zigbee.db"),
        ("zwave_js:addon:core_zwave_js", None),
    ]
    assert "is not set" in hits[0].placeholders["detail"]
    assert "coordinator backup" in hits[1].placeholders["detail"]
    assert "is the network key" in hits[2].placeholders["detail"]
    assert (
        run(
            RadioKeyFacts(
                zigbee2mqtt=(),
                zha=ZhaNetwork(default_key=False, backup_time=NOW),
                zwave=(),
                problems=(),
            )
        )
        == []
    )


async def test_zwave_networks(hass: HomeAssistant) -> None:
    addon = Addon(
        slug="core_zwave_js",
        name="Z-Wave JS",
        started=True,
        protected=True,
        zwave=ZwaveKeys(s2=0, s0=True),
    )
    assert zwave_networks(hass, supervisor(addon)) == (
        ZwaveNetwork(subject="addon:core_zwave_js", name="Z-Wave JS", s2_keys=0),
    )
    # A stopped add-on makes its missing keys when it starts.
    stopped = Addon(**{**addon.__dict__, "started": False})
    assert zwave_networks(hass, supervisor(stopped)) == ()
    # Without the add-on's details: a loaded entry that runs the add-on mirrors its keys.
    # (Marked loaded by hand: Z-Wave JS's library is not in the test environment.)
    entries: list[MockConfigEntry] = []
    for data, state in (
        (
            {"use_addon": True, "s2_access_control_key": ZWAVE_KEY},
            ConfigEntryState.LOADED,
        ),
        ({"use_addon": True, "s2_authenticated_key": " "}, ConfigEntryState.LOADED),
        ({"use_addon": True}, ConfigEntryState.SETUP_RETRY),
        ({"use_addon": False, "url": "ws://zwave-js-ui:3000"}, ConfigEntryState.LOADED),
    ):
        entry = MockConfigEntry(
            domain="zwave_js", title="Z-Wave", data=data, state=state
        )
        entry.add_to_hass(hass)
        entries.append(entry)
    found = zwave_networks(hass, None)
    assert [n.s2_keys for n in found] == [1, 0]
    assert ZWAVE_KEY not in repr(found)
    for entry in entries:  # nothing for Home Assistant to unload
        entry.mock_state(hass, ConfigEntryState.NOT_LOADED)


ADDONS = [
    {"slug": "45df7312_zigbee2mqtt", "name": "Zigbee2MQTT", "state": "started"},
    {"slug": "core_zwave_js", "name": "Z-Wave JS", "state": "started"},
]


def addon_answers(
    z2m_options: dict[str, Any], zwave_options: dict[str, Any]
) -> dict[str, Any]:
    return {
        "45df7312_zigbee2mqtt": addon_details(options=z2m_options, ingress=True),
        "core_zwave_js": addon_details(
            options=zwave_options, network={"3000/tcp": None}, ingress=True
        ),
    }


async def test_end_to_end(
    hass: HomeAssistant,
    config_dir: Path,
    hass_client: ClientSessionGenerator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level("DEBUG", logger="custom_components.security_posture")
    z2m(config_dir / "zigbee2mqtt", DEFAULT)
    (config_dir / "zigbee2mqtt" / "secret.yaml").write_text(f"network_key: {OWN}\n")
    MockConfigEntry(domain="zha", title="ZHA", data={"radio_type": "ezsp"}).add_to_hass(
        hass
    )
    zha_database(config_dir, ("2026-03-01T10:00:00+00:00", DEFAULT))
    answers = addon_answers(
        {"data_path": "/config/zigbee2mqtt", "mqtt": {"password": Z2M_SECRET}},
        {"network_key": ZWAVE_KEY, "s0_legacy_key": ZWAVE_KEY},  # predates S2
    )
    entry = MockConfigEntry(domain=DOMAIN, title="Security Posture", data={})
    with mocked_supervisor(addons=ADDONS, details=answers, issues=NO_REASONS):
        await async_setup_integration(hass, entry)
        report = await async_scan(hass)
        diagnostics = await async_get_config_entry_diagnostics(hass, entry)
    assert status_of(report, "radio_network_key_default") == "fail"
    found = {f["subject"]: f for f in findings_of(report, "radio_network_key_default")}
    assert set(found) == {
        "zigbee2mqtt:zigbee2mqtt/configuration.yaml",
        "zha:network_key",
        "zwave_js:addon:core_zwave_js",
    }
    z2m_finding = found["zigbee2mqtt:zigbee2mqtt/configuration.yaml"]
    assert z2m_finding["file"] == "zigbee2mqtt/configuration.yaml"
    assert z2m_finding["key"] == "advanced.network_key"
    assert (z2m_finding["family"], z2m_finding["severity"]) == ("exposure", "high")
    assert z2m_finding["id"] == finding_id(
        "radio_network_key_default", "zigbee2mqtt:zigbee2mqtt/configuration.yaml"
    )
    assert hass.states.get("binary_sensor.security_posture_exposure").state == "on"
    issue = issues(hass)[z2m_finding["id"]]
    assert (issue.translation_key, issue.severity) == (
        "radio_network_key_default",
        ir.IssueSeverity.ERROR,
    )
    assert issue.translation_placeholders is not None
    assert issue_placeholders_used("radio_network_key_default") <= (
        set(issue.translation_placeholders) | COMMON_PLACEHOLDERS
    )
    # No key, no option value, nothing from the files but their state.
    texts = [
        json.dumps(report),
        json.dumps(diagnostics, default=str),
        caplog.text,
        repr([i.translation_placeholders for i in issues(hass).values()]),
    ]
    for canary in (ZWAVE_KEY, Z2M_SECRET, OWN_HEX, json.dumps(DEFAULT), "1, 3, 5, 7"):
        assert not [t for t in texts if canary in t], canary

    # Accept the risk of one; fix the others.
    flows = FlowClient(await hass_client())
    confirm = await flows.start(found["zha:network_key"]["id"])
    assert (await flows.step(confirm, {}))["reason"] == "risk_accepted"
    z2m(config_dir / "zigbee2mqtt", "GENERATE")
    answers = addon_answers(
        {"data_path": "/config/zigbee2mqtt"},
        {"s0_legacy_key": ZWAVE_KEY, "s2_access_control_key": ZWAVE_KEY},
    )
    with mocked_supervisor(addons=ADDONS, details=answers, issues=NO_REASONS):
        report = await async_scan(hass)
    [left] = findings_of(report, "radio_network_key_default")
    assert (left["subject"], left["ignored"]) == ("zha:network_key", True)
    assert hass.states.get("binary_sensor.security_posture_exposure").state == "off"


async def test_end_to_end_without_supervisor_and_with_problems(
    hass: HomeAssistant, config_dir: Path
) -> None:
    # A Container installation with Zigbee2MQTT's folder mounted in the configuration.
    z2m(config_dir / "zigbee2mqtt", text="advanced: [broken\n")
    MockConfigEntry(domain="zha", title="ZHA", data={}).add_to_hass(hass)
    entry = MockConfigEntry(domain=DOMAIN, title="Security Posture", data={})
    await async_setup_integration(hass, entry)
    report = await async_scan(hass)
    assert status_of(report, "radio_network_key_default") == "pass"
    reasons = {n["reason"] for n in report["notes"] if n["family"] == "exposure"}
    assert reasons >= {
        "zigbee2mqtt/configuration.yaml: not valid YAML",
        "ZHA: zigbee.db: file not found",
    }
    # Nothing about radios at all: nothing read, nothing noted.
    facts = await async_read_radio_keys(hass, config_dir / "empty", None)
    assert facts.zigbee2mqtt == ()
