"""The secrets checks: inline_credential, secret_undefined, secret_unused."""

from __future__ import annotations

from datetime import UTC, datetime
import json
from pathlib import Path
import shutil
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.security_posture.checks.registry import BY_ID
from custom_components.security_posture.checks.secrets import inline_credential
from custom_components.security_posture.const import DOMAIN
from custom_components.security_posture.engine import (
    CheckUnknown,
    Facts,
    NotApplicable,
    ScanContext,
    async_scan,
)
from custom_components.security_posture.inspect.config_facts import (
    CONFIG_GRAPH,
    CONFIG_SCAN,
    INLINE_CREDENTIALS,
    SCAN_CLIENT,
)
from custom_components.security_posture.inspect.config_graph import (
    ConfigGraph,
    Problem,
    SecretsFile,
    SecretUse,
)
from custom_components.security_posture.inspect.credentials import Credential
from custom_components.security_posture.model import Family, Hit, Severity, Status

from .fix_helpers import FlowClient
from .helpers import (
    async_scan as async_scan_service,
    async_setup_integration,
    findings_of,
    status_of,
)

FIXTURES = Path(__file__).parent / "fixtures" / "secrets"
SECRETS_CHECKS = tuple(
    BY_ID[check] for check in ("inline_credential", "secret_undefined", "secret_unused")
)
CHECKS = {check.id: check for check in SECRETS_CHECKS}


def ctx_for(hass: HomeAssistant, config_dir: Path) -> ScanContext:
    return ScanContext(hass=hass, config_dir=config_dir, now=datetime.now(UTC))


def use(name: str, file: str = "configuration.yaml", **kwargs: Any) -> SecretUse:
    values: dict[str, Any] = {
        "name": name,
        "file": file,
        "line": 3,
        "key": f"x.{name}",
        "lookup": ("secrets.yaml",),
        "defined_in": "secrets.yaml",
        "decidable": True,
    }
    values.update(kwargs)
    return SecretUse(**values)


def facts(
    *,
    uses: tuple[SecretUse, ...] = (),
    secrets_files: tuple[SecretsFile, ...] = (),
    problems: tuple[Problem, ...] = (),
    credentials: tuple[Credential, ...] = (),
) -> Facts:
    graph = ConfigGraph(
        config_dir="/config",
        files=(),
        secret_uses=uses,
        secrets_files=secrets_files,
        problems=problems,
    )
    return Facts(
        {CONFIG_GRAPH: graph, INLINE_CREDENTIALS: credentials}, now=datetime.now(UTC)
    )


def inspect(check_id: str, value: Facts) -> list[Hit]:
    return list(CHECKS[check_id].inspect(value))


def test_family_declaration() -> None:
    assert {c.family for c in SECRETS_CHECKS} == {Family.SECRETS}
    assert [(c.id, c.severity) for c in SECRETS_CHECKS] == [
        ("inline_credential", Severity.HIGH),
        ("secret_undefined", Severity.MEDIUM),
        ("secret_unused", Severity.INFO),
    ]
    assert {c.learn_more_url for c in SECRETS_CHECKS} == {
        "https://www.home-assistant.io/docs/configuration/secrets/"
    }


# --- on facts -------------------------------------------------------------------------------


def test_inline_credential_hits() -> None:
    credentials = (
        Credential(
            kind="password", file="configuration.yaml", line=4, key="mqtt.password"
        ),
        Credential(
            kind="API key", file="packages/w.yaml", line=9, key="weather[0].api_key"
        ),
        Credential(
            kind="URL with embedded password", file="a.yaml", line=2, key="[3].url"
        ),
    )
    hits = inspect("inline_credential", facts(credentials=credentials))
    assert hits == [
        Hit(
            subject="configuration.yaml: mqtt.password",
            title="mqtt.password: password in plain text",
            file="configuration.yaml",
            line=4,
            key="mqtt.password",
            placeholders={"kind": "password", "detail": ""},
        ),
        Hit(
            subject="packages/w.yaml: weather[0].api_key",
            title="weather[0].api_key: API key in plain text",
            file="packages/w.yaml",
            line=9,
            key="weather[0].api_key",
            placeholders={"kind": "API key", "detail": ""},
        ),
        Hit(
            subject="a.yaml: [3].url",
            title="[3].url: URL with embedded password in plain text",
            file="a.yaml",
            line=2,
            key="[3].url",
            placeholders={"kind": "URL with embedded password", "detail": ""},
        ),
    ]
    assert inspect("inline_credential", facts()) == []


def test_inline_credential_inside_a_string_and_placeholders() -> None:
    credentials = (
        Credential(
            kind="API key",
            file="rest.yaml",
            line=3,
            key="rest_command.weather.url",
            detail="API key in the URL's `appid` parameter",
        ),
        Credential(
            kind="API key",
            file="configuration.yaml",
            line=5,
            key="weather.api_key",
            placeholder=True,
        ),
        Credential(
            kind="password",
            file="configuration.yaml",
            line=9,
            key="shell_command.x",
            detail="password in the `-u` option of a curl command",
            placeholder=True,
        ),
    )
    value = facts(credentials=credentials)
    hits = inspect("inline_credential", value)
    assert [(h.title, h.severity, h.placeholders["kind"]) for h in hits] == [
        (
            "rest_command.weather.url: API key in the URL's `appid` parameter in plain text",
            None,
            "API key",
        ),
        (
            "weather.api_key: placeholder API key",
            Severity.LOW,
            "API key placeholder",
        ),
        (
            "shell_command.x: placeholder password in the `-u` option of a curl command",
            Severity.LOW,
            "password placeholder",
        ),
    ]
    assert hits[0].placeholders["detail"] == (
        " Found: API key in the URL's `appid` parameter."
    )
    assert (
        hits[1]
        .placeholders["detail"]
        .startswith(" The value is an obvious placeholder, not a working credential")
    )
    assert (
        hits[2]
        .placeholders["detail"]
        .startswith(
            " Found: password in the `-u` option of a curl command. The value is an obvious"
        )
    )
    summary = CHECKS["inline_credential"].summary
    assert summary is not None
    assert summary(value) == (
        "1 credential and 2 placeholders (not working credentials) written into the "
        "configuration"
    )
    assert summary(facts(credentials=credentials[:2])) == (
        "1 credential and 1 placeholder (not working credentials) written into the "
        "configuration"
    )
    assert summary(facts(credentials=credentials[:1])) is None
    assert inline_credential.PLACEHOLDERS.compute(value) == 2


def test_secret_undefined_one_hit_per_file_and_name() -> None:
    uses = (
        use("defined"),
        use("missing", line=5, key="a.b", defined_in=None),
        use("missing", line=9, key="c", defined_in=None),
        use("missing", file="pkg/x.yaml", line=2, key="d", defined_in=None),
        use("unknowable", defined_in=None, decidable=False),
    )
    hits = inspect("secret_undefined", facts(uses=uses))
    assert hits == [
        Hit(
            subject="configuration.yaml: !secret missing",
            title="Secret missing used in configuration.yaml is not defined",
            file="configuration.yaml",
            line=5,
            key="a.b",
            placeholders={"secret": "missing"},
        ),
        Hit(
            subject="pkg/x.yaml: !secret missing",
            title="Secret missing used in pkg/x.yaml is not defined",
            file="pkg/x.yaml",
            line=2,
            key="d",
            placeholders={"secret": "missing"},
        ),
    ]


def test_inline_credential_titles_tell_findings_apart() -> None:
    """The key path first (the list in Repairs cuts titles); the file only when needed."""
    credentials = (
        Credential(kind="password", file="packages/a.yaml", line=2, key="nas.password"),
        Credential(kind="password", file="packages/b.yaml", line=2, key="nas.password"),
        Credential(kind="token", file="notes.yaml", line=1, key=""),
    )
    titles = [
        h.title for h in inspect("inline_credential", facts(credentials=credentials))
    ]
    assert titles == [
        "nas.password: password in plain text (packages/a.yaml)",
        "nas.password: password in plain text (packages/b.yaml)",
        "Token in plain text in notes.yaml",
    ]


def test_secret_unused() -> None:
    files = (
        SecretsFile(
            path="secrets.yaml",
            names={"used": 1, "unused": 2, "shadowed": 3},
            readable=True,
            exists=True,
        ),
        SecretsFile(
            path="pkg/secrets.yaml", names={"shadowed": 1}, readable=True, exists=True
        ),
    )
    uses = (
        use("used"),
        use("shadowed", file="pkg/a.yaml", defined_in="pkg/secrets.yaml"),
        use("nowhere", defined_in=None),
    )
    hits = inspect("secret_unused", facts(uses=uses, secrets_files=files))
    assert hits == [
        Hit(
            subject="secrets.yaml: unused",
            title="Secret unused is never used",
            file="secrets.yaml",
            line=2,
            key="unused",
            placeholders={"secret": "unused", "file": "secrets.yaml"},
        ),
        Hit(
            subject="secrets.yaml: shadowed",
            title="Secret shadowed is never used",
            file="secrets.yaml",
            line=3,
            key="shadowed",
            placeholders={"secret": "shadowed", "file": "secrets.yaml"},
        ),
    ]


def test_secret_unused_needs_a_secrets_file_and_the_whole_graph() -> None:
    with pytest.raises(NotApplicable, match=r"no secrets\.yaml"):
        inspect("secret_unused", facts())
    files = (
        SecretsFile(path="secrets.yaml", names={"a": 1}, readable=True, exists=True),
    )
    with pytest.raises(CheckUnknown, match="could not be read"):
        inspect(
            "secret_unused",
            facts(
                secrets_files=files, problems=(Problem(file="x.yaml", reason="bad"),)
            ),
        )
    # A missing include holds no reference: the check still runs.
    missing = (Problem(file="x.yaml", reason="file not found", missing=True),)
    assert (
        len(inspect("secret_unused", facts(secrets_files=files, problems=missing))) == 1
    )


# --- gathered from files ----------------------------------------------------------------------


async def test_gather_reads_files_and_credentials_once(
    hass: HomeAssistant, tmp_path: Path
) -> None:
    config = tmp_path / "planted"
    shutil.copytree(FIXTURES / "planted", config)
    ctx = ctx_for(hass, config)
    first = await ctx.fact(INLINE_CREDENTIALS)
    assert len(first) == 19
    scan = await ctx.fact(CONFIG_SCAN)
    assert ctx.cache.get(SCAN_CLIENT).started == 1  # read by the scan worker

    # A rescan of unchanged files reads and walks nothing again: the same facts.
    again = ScanContext(
        hass=hass, config_dir=config, now=datetime.now(UTC), cache=ctx.cache
    )
    second = await again.fact(INLINE_CREDENTIALS)
    assert second is scan.credentials
    graph = await again.fact(CONFIG_GRAPH)
    assert graph.stats.bytes_read == 0
    assert graph.files is scan.graph.files
    assert ctx.cache.get(SCAN_CLIENT).started == 1

    # A changed file is read again; the others come from the worker's cache.
    devices = config / "packages" / "devices.yaml"
    devices.write_text(devices.read_text() + "# changed\n")
    third = ScanContext(
        hass=hass, config_dir=config, now=datetime.now(UTC), cache=ctx.cache
    )
    assert await third.fact(INLINE_CREDENTIALS) == first
    assert (await third.fact(CONFIG_GRAPH)).stats.files_parsed == 1


async def test_gather_unknown_without_configuration(
    hass: HomeAssistant, tmp_path: Path
) -> None:
    ctx = ctx_for(hass, tmp_path)
    outcome = await async_scan(SECRETS_CHECKS, (), ctx)
    assert {(r.check, r.status, r.reason) for r in outcome.checks} == {
        (check, Status.UNKNOWN, "configuration.yaml: file not found")
        for check in CHECKS
    }
    assert [(n.file, n.reason) for n in outcome.notes] == [
        ("configuration.yaml", "configuration.yaml: file not found")
    ]


async def test_scan_of_the_graph_fixture(hass: HomeAssistant, tmp_path: Path) -> None:
    config = tmp_path / "graph"
    shutil.copytree(FIXTURES / "graph", config)
    outcome = await async_scan(SECRETS_CHECKS, (), ctx_for(hass, config))
    assert {r.check: r.status for r in outcome.checks} == {
        "inline_credential": Status.PASS,
        "secret_undefined": Status.FAIL,
        "secret_unused": Status.FAIL,
    }
    assert [(f.check, f.subject, f.line, f.key) for f in outcome.findings] == [
        (
            "secret_undefined",
            "private/settings.yaml: !secret private_option",
            1,
            "option",
        ),
        ("secret_unused", "secrets.yaml: never_used", 4, "never_used"),
        # Every reference to `shadowed` resolves to the nearer packages/secrets.yaml.
        ("secret_unused", "secrets.yaml: shadowed", 5, "shadowed"),
    ]
    assert outcome.notes == ()


async def test_scan_with_unreadable_files(hass: HomeAssistant, tmp_path: Path) -> None:
    config = tmp_path / "config"
    config.mkdir()
    (config / "configuration.yaml").write_text(
        "a: !include bad.yaml\nb: !include gone.yaml\nmqtt:\n  password: hunter2-literal\n"
    )
    (config / "bad.yaml").write_bytes(b"x: \xff\n")
    (config / "secrets.yaml").write_text("s: 1\n")
    outcome = await async_scan(SECRETS_CHECKS, (), ctx_for(hass, config))
    statuses = {r.check: (r.status, r.reason) for r in outcome.checks}
    assert statuses["inline_credential"] == (Status.FAIL, None)
    assert statuses["secret_unused"][0] is Status.UNKNOWN
    assert [(n.file, n.reason) for n in outcome.notes] == [
        (
            "bad.yaml",
            "not valid UTF-8 (line 1) (included from configuration.yaml line 1)",
        ),
        ("gone.yaml", "file not found (included from configuration.yaml line 2)"),
    ]
    assert [f.subject for f in outcome.findings] == [
        "configuration.yaml: mqtt.password"
    ]


# --- end to end, through Home Assistant ------------------------------------------------------


async def test_end_to_end(
    hass: HomeAssistant, config_dir: Path, mock_config_entry: MockConfigEntry
) -> None:
    """The planted configuration: findings, repairs with their placeholders, no value."""
    shutil.copytree(FIXTURES / "planted", config_dir, dirs_exist_ok=True)
    (config_dir / "configuration.yaml").write_text(
        (config_dir / "configuration.yaml").read_text()
        + "media_player: !include missing.yaml\n"
        + "scene:\n  - name: x\n    entities: !secret scene_entities\n"
    )
    (config_dir / "secrets.yaml").write_text("old_password: canary-old-secret\n")
    await async_setup_integration(hass, mock_config_entry)
    report = await async_scan_service(hass)

    inline = findings_of(report, "inline_credential")
    assert len(inline) == 19
    mqtt = next(f for f in inline if f["key"] == "mqtt.password")
    assert mqtt == {
        "id": mqtt["id"],
        "check": "inline_credential",
        "family": "secrets",
        "severity": "high",
        "title": "mqtt.password: password in plain text",
        "subject": "configuration.yaml: mqtt.password",
        "file": "configuration.yaml",
        "line": 12,
        "key": "mqtt.password",
        "ignored": False,
        "learn_more_url": "https://www.home-assistant.io/docs/configuration/secrets/",
    }
    assert [
        (f["subject"], f["severity"]) for f in findings_of(report, "secret_undefined")
    ] == [("configuration.yaml: !secret scene_entities", "medium")]
    assert [
        (f["subject"], f["severity"]) for f in findings_of(report, "secret_unused")
    ] == [("secrets.yaml: old_password", "info")]
    assert {
        "family": "secrets",
        "file": "missing.yaml",
        "reason": "file not found (included from configuration.yaml line 59)",
    } in report["notes"]

    issues = {
        issue_id: issue
        for (domain, issue_id), issue in ir.async_get(hass).issues.items()
        if domain == DOMAIN
    }
    issue = issues[mqtt["id"]]
    assert issue.translation_key == "inline_credential"
    assert issue.severity is ir.IssueSeverity.ERROR
    assert issue.translation_placeholders is not None
    assert issue.translation_placeholders["kind"] == "password"
    undefined = findings_of(report, "secret_undefined")[0]
    assert issues[undefined["id"]].severity is ir.IssueSeverity.WARNING
    assert (
        issues[undefined["id"]].translation_placeholders["secret"] == "scene_entities"
    )  # type: ignore[index]
    # Info findings raise no repair.
    assert findings_of(report, "secret_unused")[0]["id"] not in issues

    # The inline credentials sensor counts them.
    assert hass.states.get("sensor.security_posture_inline_credentials").state == "19"  # type: ignore[union-attr]

    exposed = json.dumps(
        [
            report,
            [s.as_dict() for s in hass.states.async_all()],
            [
                {"key": i.translation_key, "placeholders": i.translation_placeholders}
                for i in issues.values()
            ],
        ],
        default=str,
    )
    assert "canary" not in exposed.lower()
    assert "canary" in (config_dir / "configuration.yaml").read_text()


async def test_end_to_end_credentials_inside_strings(
    hass: HomeAssistant,
    config_dir: Path,
    mock_config_entry: MockConfigEntry,
    hass_client: ClientSessionGenerator,
) -> None:
    """Strings: what was found where, placeholders low and counted, owner names quiet,
    no value anywhere; the move fix takes the whole string into secrets.yaml."""
    shutil.copytree(FIXTURES / "strings", config_dir, dirs_exist_ok=True)
    await async_setup_integration(hass, mock_config_entry)
    report = await async_scan_service(hass)

    inline = {f["subject"]: f for f in findings_of(report, "inline_credential")}
    assert len(inline) == 13
    assert "configuration.yaml: shell_command.google_token" not in inline
    assert "tibber_token" not in str(inline)
    weather = inline["configuration.yaml: rest_command.weather.url"]
    assert weather["severity"] == "high"
    assert weather["title"] == (
        "rest_command.weather.url: API key in the URL's `appid` parameter in plain text"
    )
    placeholders = sorted(k for k, f in inline.items() if f["severity"] == "low")
    assert placeholders == [
        "configuration.yaml: camera[0].still_image_url",
        "configuration.yaml: openweathermap_example.api_key",
        "configuration.yaml: rest_command.nasa.url",
        "configuration.yaml: shell_command.example_curl",
        "packages/cameras.yaml: notify[0].data.token",
    ]
    assert {f["severity"] for k, f in inline.items() if k not in placeholders} == {
        "high"
    }
    result = next(c for c in report["checks"] if c["check"] == "inline_credential")
    assert result["status"] == "fail"
    assert result["reason"] == (
        "8 credentials and 5 placeholders (not working credentials) written into the "
        "configuration"
    )
    sensor = hass.states.get("sensor.security_posture_inline_credentials")
    assert sensor is not None
    assert sensor.state == "13"
    assert sensor.attributes["placeholders"] == 5

    registry = ir.async_get(hass)
    issue = registry.async_get_issue(DOMAIN, weather["id"])
    assert issue is not None
    assert issue.severity is ir.IssueSeverity.ERROR
    assert issue.translation_placeholders is not None
    # The name of the parameter is the owner's text: escaped against Markdown in the repair.
    assert issue.translation_placeholders["detail"] == (
        " Found: API key in the URL's \\`appid\\` parameter."
    )
    low = registry.async_get_issue(
        DOMAIN, inline["configuration.yaml: openweathermap_example.api_key"]["id"]
    )
    assert low is not None
    assert low.severity is ir.IssueSeverity.WARNING
    assert low.translation_placeholders is not None
    assert low.translation_placeholders["kind"] == "API key placeholder"

    # The fix moves the whole URL, exactly as written, and the finding goes.
    flows = FlowClient(await hass_client())
    menu = await flows.start(weather["id"])
    form = await flows.choose(menu, "move_to_secrets")
    assert form["step_id"] == "move_to_secrets"
    done = await flows.step(form, {"name": "weather_url"})
    assert done["type"] == "create_entry"
    assert "url: !secret weather_url" in (config_dir / "configuration.yaml").read_text()
    assert "canary0123456789abcdef01234567" in (config_dir / "secrets.yaml").read_text()
    after = await async_scan_service(hass)
    assert "rest_command.weather.url" not in {
        f["key"] for f in findings_of(after, "inline_credential")
    }

    exposed = json.dumps(
        [
            report,
            after,
            flows.responses,
            [s.as_dict() for s in hass.states.async_all()],
            [
                {"key": i.translation_key, "placeholders": i.translation_placeholders}
                for i in registry.issues.values()
            ],
        ],
        default=str,
    )
    assert "canary" not in exposed.lower()


async def test_end_to_end_secret_keys_and_notes_once(
    hass: HomeAssistant, config_dir: Path, mock_config_entry: MockConfigEntry
) -> None:
    """A `!secret` used as a key is a use; an aliased include of a missing file, one note."""
    (config_dir / "configuration.yaml").write_text(
        "device_tracker:\n"
        "  - platform: x\n"
        "    names:\n"
        "      !secret phone_mac: Phone\n"
        "      !secret tablet_mac: Tablet\n"
        "sensor: &missing !include missing.yaml\n"
        + "".join(f"copy_{n}: *missing\n" for n in range(12))
    )
    (config_dir / "secrets.yaml").write_text("phone_mac: aa:bb:cc:dd:ee:ff\n")
    await async_setup_integration(hass, mock_config_entry)
    report = await async_scan_service(hass)

    assert status_of(report, "secret_unused") == "pass"
    assert [
        (f["subject"], f["key"]) for f in findings_of(report, "secret_undefined")
    ] == [
        (
            "configuration.yaml: !secret tablet_mac",
            "device_tracker[0].names.!secret tablet_mac",
        )
    ]
    assert [n for n in report["notes"] if n["file"] == "missing.yaml"] == [
        {
            "family": "secrets",
            "file": "missing.yaml",
            "reason": "file not found (included from configuration.yaml line 6)",
        }
    ]
    assert "aa:bb" not in json.dumps(report)
