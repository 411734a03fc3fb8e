"""The command-line scanner: its outputs, exit status, file names, and Home Assistant's absence.

Its findings are compared with the integration's, set up in a real `hass`, on the same
configuration directories: the public configurations of the corpus as they are and with
credentials planted (`scripts/plant_corpus.py`), and this repository's fixtures.
"""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path
import shutil
import subprocess
import sys
from typing import TYPE_CHECKING, Any

from homeassistant.const import MAJOR_VERSION, MINOR_VERSION
import jsonschema
import pytest

from custom_components.security_posture.inspect import http_settings
from custom_components.security_posture.inspect.http_releases import release_of
from security_posture_scan import cli, output
from security_posture_scan.scan import CHECKS, NOT_IN_FILES, load_checks, scan

from .helpers import async_scan, async_setup_integration, write
from .hygiene_helpers import git

if TYPE_CHECKING:
    from types import ModuleType

    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

ROOT = Path(__file__).parents[1]
CORPUS = Path(os.environ.get("SECURITY_POSTURE_CORPUS", ROOT.parent / "shared/corpus"))
FIXTURES = Path(__file__).parent / "fixtures"
SARIF_SCHEMA = json.loads(
    (Path(__file__).parent / "sarif/sarif-schema-2.1.0.json").read_text(
        encoding="utf-8"
    )
)
CANARY = "Cq7-canary-never-printed"
RUNNING = release_of(MAJOR_VERSION, MINOR_VERSION)
HTTP_CHECKS = [
    name.split(".")[1] for name in CHECKS if name.startswith("remote_access")
]


def child_env() -> dict[str, str]:
    """The command's own processes run without the suite's coverage."""
    return {k: v for k, v in os.environ.items() if not k.startswith("COV_CORE_")}


def leaky_config(root: Path) -> Path:
    """A configuration with a credential, an undefined and an unused secret."""
    return write(
        root,
        {
            "configuration.yaml": (
                "mqtt:\n"
                f"  password: {CANARY}\n"
                "sensor: !include sensors.yaml\n"
                "notify:\n"
                "  - platform: smtp\n"
                "    password: !secret smtp_password\n"
            ),
            "sensors.yaml": (
                "- platform: rest\n"
                f"  resource: https://admin:{CANARY}@example.org/state\n"
            ),
            "secrets.yaml": f"unused_token: {CANARY}\n",
        },
    )


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = cli.main(list(args))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


# --- outputs ------------------------------------------------------------------------------


def test_text_names_file_line_key_and_kind_never_the_value(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = leaky_config(tmp_path / "config")
    status, out, _ = run(capsys, str(config))
    assert status == cli.EXIT_FINDINGS
    assert CANARY not in out
    lines = out.splitlines()
    assert (
        "configuration.yaml:2: high inline_credential mqtt.password: "
        "mqtt.password: password in plain text"
    ) in lines
    assert any(
        line.startswith("sensors.yaml:2: high inline_credential [0].resource: ")
        and "URL with embedded password" in line
        for line in lines
    )
    assert any(
        line.startswith("configuration.yaml:6: medium secret_undefined ")
        for line in lines
    )
    assert any(line.startswith("secrets.yaml:1: info secret_unused ") for line in lines)
    assert lines[-2] == f"not checked: {', '.join(HTTP_CHECKS)}: {NOT_IN_FILES}"
    assert (
        lines[-1] == f"4 findings (2 high, 1 medium, 1 info) from {len(CHECKS)} checks"
    )


def test_json_is_the_reports_shape(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = leaky_config(tmp_path / "config")
    status, out, _ = run(capsys, "--format", "json", str(config))
    assert status == cli.EXIT_FINDINGS
    assert CANARY not in out
    report = json.loads(out)
    assert [c["check"] for c in report["checks"]] == [
        name.split(".")[1] for name in CHECKS
    ]
    assert {c["check"]: c["status"] for c in report["checks"]} == {
        "inline_credential": "fail",
        "secret_undefined": "fail",
        "secret_unused": "fail",
        "secrets_not_ignored": "pass",
        "secrets_served": "pass",
        **dict.fromkeys(HTTP_CHECKS, "unknown"),
    }
    finding = next(f for f in report["findings"] if f["key"] == "mqtt.password")
    assert finding == {
        "id": finding["id"],
        "check": "inline_credential",
        "family": "secrets",
        "severity": "high",
        "title": "mqtt.password: password in plain text",
        "subject": "configuration.yaml: mqtt.password",
        "file": "configuration.yaml",
        "line": 2,
        "key": "mqtt.password",
        "ignored": False,
        "learn_more_url": "https://www.home-assistant.io/docs/configuration/secrets/",
    }
    assert report["notes"] == []


def test_sarif_validates_against_the_2_1_0_schema(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = leaky_config(tmp_path / "repo" / "config")
    (config / "broken.yaml").write_text("a: [\n", encoding="utf-8")
    (config / "configuration.yaml").write_text(
        (config / "configuration.yaml").read_text() + "group: !include broken.yaml\n"
    )
    os.chdir(tmp_path / "repo")
    status, out, _ = run(capsys, "--format", "sarif", "config")
    assert status == cli.EXIT_FINDINGS
    assert CANARY not in out
    log = json.loads(out)
    jsonschema.validate(
        log, SARIF_SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    (run_,) = log["runs"]
    rules = run_["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [c.id for c in load_checks()]
    assert rules[0]["shortDescription"]["text"] == (
        "Credential written into the configuration"
    )
    result = next(
        r for r in run_["results"] if r["properties"].get("key") == "mqtt.password"
    )
    assert result["level"] == "error"
    assert rules[result["ruleIndex"]]["id"] == result["ruleId"] == "inline_credential"
    # Paths are the repository's (code scanning resolves them from its root).
    assert result["locations"] == [
        {
            "physicalLocation": {
                "artifactLocation": {"uri": "config/configuration.yaml"},
                "region": {"startLine": 2},
            }
        }
    ]
    assert result["partialFingerprints"][output.FINGERPRINT]
    # secret_unused is unknown: a file of the graph could not be read.
    notifications = run_["invocations"][0]["toolExecutionNotifications"]
    assert any(
        "secret_unused was not checked" in n["message"]["text"] for n in notifications
    )
    assert any(
        n.get("locations", [{}])[0]
        .get("physicalLocation", {})
        .get("artifactLocation", {})
        .get("uri")
        == "config/broken.yaml"
        for n in notifications
    )


def test_sarif_names_files_outside_the_configuration_by_uri(tmp_path: Path) -> None:
    location = output._location("/elsewhere/x.yaml", None, Path("config"))
    assert location == {
        "physicalLocation": {"artifactLocation": {"uri": "file:///elsewhere/x.yaml"}}
    }
    assert output._location("x.yaml", 3, None)["physicalLocation"] == {
        "artifactLocation": {"uri": "x.yaml"},
        "region": {"startLine": 3},
    }


# --- the other file checks ----------------------------------------------------------------


def every_kind_config(root: Path) -> Path:
    """A git work tree with a finding of every file check but the undefined secret."""
    leaky_config(root)
    write(
        root,
        {
            "configuration.yaml": (root / "configuration.yaml").read_text() + "http:\n"
            "  ip_ban_enabled: false\n"
            "  use_x_forwarded_for: true\n"
            "  trusted_proxies:\n"
            "    - 0.0.0.0/0\n",
            "www/secrets.yaml": f"token: {CANARY}\n",
        },
    )
    git(root, "init", "-q")
    git(root, "add", "configuration.yaml", "secrets.yaml")
    return root


def test_git_www_and_the_http_block_are_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = every_kind_config(tmp_path)
    status, out, _ = run(capsys, "--format", "json", str(config))
    assert status == cli.EXIT_FINDINGS
    assert CANARY not in out
    report = json.loads(out)
    found = {
        (f["check"], f["file"], f["line"], f["severity"]) for f in report["findings"]
    }
    assert {
        ("secrets_not_ignored", "secrets.yaml", None, "medium"),
        ("secrets_served", "www/secrets.yaml", None, "critical"),
        ("ip_ban_disabled", "configuration.yaml", 8, "medium"),
        ("trusted_proxies_broad", "configuration.yaml", 10, "high"),
    } <= found
    statuses = {c["check"]: (c["status"], c["reason"]) for c in report["checks"]}
    # Written in the block: judged. Left out: Settings decide, from 2026.8.
    assert statuses["x_frame_options_disabled"] == ("unknown", NOT_IN_FILES)
    assert statuses["login_threshold_disabled"] == ("unknown", NOT_IN_FILES)
    status, out, _ = run(capsys, "--format", "json", "--release", "2025.4", str(config))
    judged = {c["check"]: c["status"] for c in json.loads(out)["checks"]}
    assert judged["x_frame_options_disabled"] == "pass"
    assert judged["login_threshold_disabled"] == "fail"


def test_a_staged_secrets_file_blocks_its_commit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = every_kind_config(tmp_path)
    os.chdir(config)
    status, out, _ = run(capsys, "secrets.yaml")
    assert status == cli.EXIT_FINDINGS
    assert out.splitlines()[:2] == [
        "secrets.yaml:1: info secret_unused unused_token: Secret unused_token is never used",
        "secrets.yaml: medium secrets_not_ignored: secrets.yaml is tracked by git",
    ]


def test_the_external_url_written_in_yaml_raises_the_severity(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def severity(config: str, secrets: str = "") -> tuple[str, str]:
        write(tmp_path, {"configuration.yaml": config, "secrets.yaml": secrets})
        _, out, _ = run(capsys, "--format", "json", str(tmp_path))
        found = json.loads(out)["findings"]
        (finding,) = (f for f in found if f["check"] == "login_threshold_disabled")
        return finding["severity"], out

    http = "http:\n  login_attempts_threshold: -1\n"
    assert severity(http)[0] == "medium"
    written = "homeassistant:\n  external_url: https://home.example.org\n" + http
    assert severity(written)[0] == "high"
    core = "homeassistant:\n  external_url: !secret url\n" + http
    level, out = severity(core, "url: https://canary-host.example.org\n")
    assert level == "high"
    assert "canary-host" not in out
    assert severity(core, "other: x\n")[0] == "medium"  # not defined: not known
    assert severity(core, "url: [1, 2\n")[0] == "medium"  # unreadable: not known


# --- exit status and options --------------------------------------------------------------


@pytest.mark.parametrize(
    ("fail_on", "status"),
    [
        ("critical", cli.EXIT_CLEAN),
        ("high", cli.EXIT_CLEAN),
        ("medium", cli.EXIT_FINDINGS),
        ("info", cli.EXIT_FINDINGS),
        ("never", cli.EXIT_CLEAN),
    ],
)
def test_fail_on_is_a_severity_threshold(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fail_on: str, status: int
) -> None:
    config = write(
        tmp_path, {"configuration.yaml": "notify:\n  password: !secret missing\n"}
    )
    assert run(capsys, "--fail-on", fail_on, str(config))[0] == status


def test_a_clean_configuration_exits_zero(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write(tmp_path, {"configuration.yaml": "default_config:\n"})
    status, out, _ = run(capsys, "--release", "2026.7", str(config))
    assert status == cli.EXIT_FINDINGS  # up to 2026.7 the YAML decides: no ban
    assert out.splitlines()[0] == (
        "configuration.yaml: medium login_threshold_disabled "
        "http.login_attempts_threshold: Failed logins are never banned"
    )
    status, out, _ = run(capsys, str(config))
    assert status == cli.EXIT_CLEAN
    assert out.splitlines()[-1] == f"0 findings from {len(CHECKS)} checks"


def test_disabled_checks_do_not_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = leaky_config(tmp_path)
    status, out, _ = run(
        capsys, "--format", "json", "--disable", "secret_undefined", str(config)
    )
    report = json.loads(out)
    assert {c["check"]: c["status"] for c in report["checks"]}["secret_undefined"] == (
        "disabled"
    )
    assert not [f for f in report["findings"] if f["check"] == "secret_undefined"]
    assert status == cli.EXIT_FINDINGS


def test_no_configuration_cannot_be_scanned(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(capsys, str(tmp_path))
    assert status == cli.EXIT_UNSCANNABLE
    assert err == f"cannot scan {tmp_path}: configuration.yaml: file not found\n"
    assert out.startswith("not checked: inline_credential, secret_undefined, ")
    assert ": configuration.yaml: file not found\n" in out


def test_output_goes_to_a_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = leaky_config(tmp_path / "config")
    target = tmp_path / "results.sarif"
    status, out, _ = run(
        capsys, "--format", "sarif", "--output", str(target), str(config)
    )
    assert status == cli.EXIT_FINDINGS
    assert out == ""
    assert json.loads(target.read_text())["version"] == "2.1.0"


@pytest.mark.parametrize("release", ["2026", "2026.x", "latest"])
def test_a_release_is_major_dot_minor(
    capsys: pytest.CaptureFixture[str], release: str
) -> None:
    with pytest.raises(SystemExit) as caught:
        cli.main(["--release", release])
    assert caught.value.code == 2
    assert "not a release like 2026.11" in capsys.readouterr().err


# --- file names (pre-commit) --------------------------------------------------------------


def test_file_names_report_the_findings_in_those_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    leaky_config(tmp_path)
    os.chdir(tmp_path)
    status, out, _ = run(capsys, "sensors.yaml", "README.md", "../elsewhere.yaml")
    assert status == cli.EXIT_FINDINGS
    lines = [line for line in out.splitlines() if not line.startswith("not checked")]
    assert [line.split(":")[0] for line in lines[:-1]] == ["sensors.yaml"]
    status, out, _ = run(capsys, "secrets.yaml")
    assert status == cli.EXIT_CLEAN  # the unused secret is info
    assert out.splitlines()[0].startswith("secrets.yaml:1: info secret_unused")


def test_file_names_in_a_configuration_below_the_repository(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    leaky_config(tmp_path / "config")
    os.chdir(tmp_path)
    status, out, _ = run(
        capsys, "--config-dir", "config", "config/configuration.yaml", "other.txt"
    )
    assert status == cli.EXIT_FINDINGS
    assert {
        line.split(":")[0]
        for line in out.splitlines()[:-1]
        if not line.startswith("not checked")
    } == {"configuration.yaml"}
    # No file of the configuration among them: nothing to report.
    status, out, _ = run(capsys, "--config-dir", "config", "other.txt")
    assert status == cli.EXIT_CLEAN
    assert out.splitlines()[-1] == f"0 findings from {len(CHECKS)} checks"


# --- without Home Assistant ---------------------------------------------------------------

# Run the command with Home Assistant (and the libraries only it brings, its YAML loader
# annotatedyaml among them) unimportable.
_WITHOUT_HOME_ASSISTANT = """
import importlib.abc, runpy, sys

BLOCKED = (
    "homeassistant", "annotatedyaml", "cryptography", "aiohttp", "voluptuous_serialize"
)

class Blocker(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {name!r} (blocked)", name=name)
        return None

sys.meta_path.insert(0, Blocker())
sys.argv = ["security-posture-scan", *sys.argv[1:]]
try:
    runpy.run_module("security_posture_scan", run_name="__main__")
finally:
    loaded = sorted(n for n in sys.modules if n.split(".")[0] in BLOCKED)
    print("LOADED", loaded, file=sys.stderr)
"""


def test_the_command_needs_nothing_of_home_assistant(tmp_path: Path) -> None:
    config = every_kind_config(tmp_path / "config")
    done = subprocess.run(  # noqa: S603 - our own interpreter and code
        [
            sys.executable,
            "-c",
            _WITHOUT_HOME_ASSISTANT,
            "--format",
            "json",
            str(config),
        ],
        cwd=ROOT,
        env=child_env(),
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == cli.EXIT_FINDINGS, done.stderr
    assert "LOADED []" in done.stderr
    report = json.loads(done.stdout)
    assert {f["check"] for f in report["findings"]} == {
        "inline_credential",
        "secret_undefined",
        "secret_unused",
        "secrets_not_ignored",
        "secrets_served",
        "ip_ban_disabled",
        "trusted_proxies_broad",
    }
    assert len(report["checks"]) == len(CHECKS)
    assert CANARY not in done.stdout + done.stderr


def test_a_missing_integration_is_said_plainly(tmp_path: Path) -> None:
    code = (
        "import sys; sys.path = [p for p in sys.path if p not in ('', '.')]\n"
        f"sys.path.insert(0, {str(tmp_path)!r})\n"
        "import security_posture_scan\n"
    )
    shutil.copytree(ROOT / "security_posture_scan", tmp_path / "security_posture_scan")
    done = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env=child_env(),
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 1
    assert "custom_components.security_posture is not installed" in done.stderr


# --- the same findings as the integration --------------------------------------------------


def _plant_corpus() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "plant_corpus", ROOT / "scripts" / "plant_corpus.py"
    )
    assert spec is not None
    assert spec.loader is not None
    if (known := sys.modules.get(spec.name)) is not None:
        return known
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _cases() -> list[Any]:
    cases: list[Any] = [
        pytest.param(FIXTURES / name, False, id=f"fixture-{name}")
        for name in (
            "secrets/graph",
            "secrets/planted",
            "secrets/strings",
            "secrets/decoys",
        )
        if (FIXTURES / name / "configuration.yaml").exists()
    ]
    if CORPUS.is_dir():
        for source in sorted(
            p for p in CORPUS.iterdir() if (p / "configuration.yaml").exists()
        ):
            cases.append(pytest.param(source, False, id=source.name))
            cases.append(pytest.param(source, True, id=f"{source.name}-planted"))
    else:
        cases.append(
            pytest.param(
                CORPUS,
                False,
                marks=pytest.mark.skip(
                    reason=f"no corpus of configurations at {CORPUS}"
                ),
                id="corpus",
            )
        )
    return cases


def _comparable(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(findings, key=lambda f: (f["check"], f["subject"]))


@pytest.mark.parametrize(("source", "planted"), _cases())
async def test_findings_equal_the_integrations(
    hass: HomeAssistant,
    config_dir: Path,
    mock_config_entry: MockConfigEntry,
    monkeypatch: pytest.MonkeyPatch,
    source: Path,
    planted: bool,
) -> None:
    # The test's HTTP server (and, from 2026.8, its store) did not start from these files;
    # a real one would serve them.
    monkeypatch.setattr(http_settings, "server_values", lambda _server: {})
    monkeypatch.setattr(http_settings, "live_store_slot", lambda _hass: None)
    shutil.rmtree(config_dir)
    plant_corpus = _plant_corpus()
    plant_corpus.copy_config(source, config_dir)
    plants = (
        plant_corpus.plant(config_dir, plant_corpus.FORMS, seed=14) if planted else []
    )
    await async_setup_integration(hass, mock_config_entry)
    report = await async_scan(hass)
    command = await hass.async_add_executor_job(
        lambda: scan(config_dir, release=RUNNING)
    )
    # From 2026.8 a setting the http: block does not write is not judged from the files.
    ids = {c.check for c in command.checks if c.reason != NOT_IN_FILES}
    assert ids >= {"inline_credential", "secret_undefined", "secret_unused"}
    integration = [f for f in report["findings"] if f["check"] in ids]
    assert _comparable([f.as_dict() for f in command.findings]) == _comparable(
        integration
    )
    statuses = {c["check"]: (c["status"], c["reason"]) for c in report["checks"]}
    assert {
        c.check: (str(c.status), c.reason) for c in command.checks if c.check in ids
    } == {check: statuses[check] for check in ids}
    if planted:
        found = {
            (f["file"], f["line"])
            for f in integration
            if f["check"] == "inline_credential"
        }
        assert {(p.file, p.line) for p in plants} <= found
        assert len(plants) == 3 * len(plant_corpus.FORMS)


def test_every_file_check_is_run() -> None:
    assert [c.id for c in load_checks()] == [name.split(".")[1] for name in CHECKS]
