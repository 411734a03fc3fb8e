"""End to end: a real Home Assistant process with Security Posture, driven like a user would.

Starts `hass` on a free loopback port (on the newest end the newest Home Assistant release,
installed on its own; on the floor the test package's Home Assistant 2025.4.4), with the
deliberately insecure configuration in `tests/fixtures/e2e`; onboards it and adds the
integration through the config-flow API (`scripts/onboard.py`); runs `security_posture.scan`
with a response; checks states, repair issues, diagnostics and the bus events seen over the
websocket; accepts one risk; stops Home Assistant. The fixture plants canary credentials
(inline, in a package, in a URL, in `secrets.yaml`, in an environment variable read with
`!env_var`); none of them, nor the owner's password or tokens, may appear in anything the
integration exposes, in `.storage` or in the log.

Offline: nothing can be installed at run time (a Home Assistant installed on its own processes
requirements as on a real install, and any it lacks fail, like assist_pipeline's compiled
packages on a Core install without wheels; the test package's runs with `--skip-pip`), no
discovery or cloud integrations,
and the frontend integration (always set up) serves an empty directory instead of the frontend
package: the UI is not needed. The test process may only connect to 127.0.0.1 (pytest-socket).
"""

from __future__ import annotations

from collections.abc import Generator
import contextlib
from datetime import datetime
import importlib.util
import json
import os
from pathlib import Path
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from types import ModuleType
from typing import Any

import pytest

from .conftest import FIXTURES

ROOT = Path(__file__).parents[1]
DOMAIN = "security_posture"

CANARIES = {
    "inline": "CANARY-e2e-inline-password-3a9d",
    "package": "CANARY-e2e-package-apikey-e51b",
    "url": "CANARY-e2e-url-password-7c31",
    "secret": "CANARY-e2e-secret-value-90fe",
    "unused": "CANARY-e2e-unused-secret-41d2",
    "env": "CANARY-e2e-env-value-0b6e",
}
ENV_VAR = "SP_E2E_CANARY_ENV"
OWNER_PASSWORD = "CANARY-e2e-owner-password-d17a"

FAMILIES = ("secrets", "updates", "remote_access", "authentication", "host")
ENTITIES = (
    "sensor.security_posture_score",
    "sensor.security_posture_findings",
    "sensor.security_posture_certificate_expiry",
    "sensor.security_posture_pending_updates",
    "sensor.security_posture_inline_credentials",
    "sensor.security_posture_grade",
    "sensor.security_posture_last_scan",
    "event.security_posture_findings",
    *(f"binary_sensor.security_posture_{family}" for family in FAMILIES),
)
# Integrations that would reach beyond loopback (discovery, cloud, weather, radio, TTS, ...).
NETWORK_INTEGRATIONS = {
    "bluetooth",
    "cloud",
    "dhcp",
    "google_translate",
    "met",
    "mobile_app",
    "radio_browser",
    "ssdp",
    "usb",
    "zeroconf",
}

# The interpreter whose Home Assistant runs as a real process: on the newest end,
# scripts/test points this at the newest Home Assistant release (.venv-hass); otherwise the
# interpreter running the tests (the floor, Home Assistant 2025.4.4).
HASS_PYTHON = os.environ.get("SECURITY_POSTURE_E2E_PYTHON") or sys.executable
# A Home Assistant installed on its own (.venv-hass) processes requirements as a real install
# does (offline: see Instance.start). The test package's environment pins other versions than
# the integrations' manifests, so there requirements are not processed.
PROCESS_REQUIREMENTS = "SECURITY_POSTURE_E2E_PYTHON" in os.environ


def _load_onboard() -> ModuleType:
    """scripts/onboard.py, imported by path (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location(
        "security_posture_onboard", ROOT / "scripts" / "onboard.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


onboard = _load_onboard()


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations() -> None:
    """No in-process `hass` here: Home Assistant runs in its own process."""


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Instance:
    """A Home Assistant process on loopback, with its configuration directory."""

    def __init__(
        self, tmp_path: Path, fixture: str = "e2e", *, scheme: str = "http"
    ) -> None:
        """Prepare the configuration: fixture copy, port, empty frontend, the integration.

        `fixture` is a directory of tests/fixtures; `scheme` is `https` when its `http:`
        block serves TLS.
        """
        self.config = tmp_path / "config"
        shutil.copytree(FIXTURES / fixture, self.config)
        if (secrets := self.config / "secrets.yaml").exists():
            secrets.chmod(0o644)  # secrets_file_permissions
        frontend = tmp_path / "frontend"
        (frontend / "hass_frontend").mkdir(parents=True)
        self.port = _free_port()
        self.url = f"{scheme}://127.0.0.1:{self.port}"
        configuration = self.config / "configuration.yaml"
        text, ports = re.subn(
            r"server_port: \d+", f"server_port: {self.port}", configuration.read_text()
        )
        text, repos = re.subn(
            r"development_repo: \S+", f"development_repo: {frontend}", text
        )
        assert ports == repos == 1
        configuration.write_text(text)
        (self.config / "custom_components").mkdir()
        (self.config / "custom_components" / DOMAIN).symlink_to(
            ROOT / "custom_components" / DOMAIN, target_is_directory=True
        )
        assert onboard.preseed_onboarding(self.config)
        self.output = tmp_path / "hass.out"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start `hass` in its own session (a Ctrl-C of pytest does not reach it)."""
        env = {
            key: value
            for key, value in os.environ.items()
            # No coverage measurement of the subprocess (pytest-cov), no proxies.
            if not key.startswith("COV_CORE_") and "proxy" not in key.lower()
        }
        env[ENV_VAR] = CANARIES["env"]
        # Offline, and Home Assistant processes requirements as on a real install: whatever
        # is not installed yet (assist_pipeline's compiled packages, for one) cannot be
        # installed, as on a Core install without wheels. Loading Security Posture must not
        # need any of it.
        env |= {"UV_OFFLINE": "1", "UV_NO_CACHE": "1", "PIP_NO_INDEX": "1"}
        flags = [] if PROCESS_REQUIREMENTS else ["--skip-pip"]
        with self.output.open("ab") as output:  # a restart adds to the same output
            self.process = subprocess.Popen(  # noqa: S603 - our own interpreter
                [
                    HASS_PYTHON,
                    "-m",
                    "homeassistant",
                    "--config",
                    str(self.config),
                    *flags,
                    "--log-no-color",
                ],
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                env=env,
                cwd=self.config,
                start_new_session=True,
            )

    def alive(self) -> bool:
        """Whether the process still runs."""
        return self.process is not None and self.process.poll() is None

    def stop(self) -> int | None:
        """SIGTERM and wait (Home Assistant saves its storage on the way out)."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode

    def log(self) -> str:
        """home-assistant.log and what the process printed."""
        parts = [self.config / "home-assistant.log", self.output]
        return "\n".join(p.read_text(errors="replace") for p in parts if p.exists())


class EventRecorder:
    """Every bus event, seen through a websocket `subscribe_events` read in a thread."""

    def __init__(self, url: str, token: str) -> None:
        """Subscribe to all events."""
        self.events: list[dict[str, Any]] = []
        self._websocket = onboard.WebSocket(url, token, timeout=300)
        self._websocket.command({"type": "subscribe_events"})
        self._thread = threading.Thread(target=self._read, name="e2e-events")
        self._thread.start()

    def _read(self) -> None:
        with contextlib.suppress(onboard.OnboardError, OSError, ValueError):
            while True:
                message = self._websocket.receive()
                if message.get("type") == "event":
                    self.events.append(message["event"])

    def of_type(self, event_type: str) -> list[dict[str, Any]]:
        """The events of one type so far."""
        return [e for e in list(self.events) if e["event_type"] == event_type]

    def close(self) -> None:
        """Stop reading."""
        self._websocket.close()
        self._thread.join(timeout=10)
        assert not self._thread.is_alive()


@pytest.fixture
def instance(tmp_path: Path, socket_enabled: None) -> Generator[Instance]:
    """A prepared, not yet started instance; stopped after the test whatever happened."""
    hass = Instance(tmp_path)
    try:
        yield hass
    finally:
        hass.stop()
        # Captured output: pytest shows it when the test failed.
        print(f"--- end of the log of Home Assistant ---\n{hass.log()[-6000:]}")  # noqa: T201


def api_call(
    instance: Instance, token: str, method: str, path: str, **kwargs: Any
) -> Any:
    status, body = onboard.request(instance.url, method, path, token=token, **kwargs)
    assert status == 200, f"{method} {path}: HTTP {status}: {body!r}"
    return body


def scan_workers(parent: int) -> dict[int, bytes]:
    """The scan workers (`inspect/scan_worker.py`) running as children of `parent`: pid ->
    command line."""
    workers: dict[int, bytes] = {}
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            stat = (proc / "stat").read_text()
            cmdline = (proc / "cmdline").read_bytes()
        except OSError:
            continue  # gone meanwhile
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == parent and b".inspect.scan_worker" in cmdline:
            workers[int(proc.name)] = cmdline
    return workers


def still_running(workers: dict[int, bytes]) -> list[int]:
    """Those of `workers` that still run (the same pid with the same command line)."""
    running = []
    for pid, cmdline in workers.items():
        with contextlib.suppress(OSError):
            if Path(f"/proc/{pid}/cmdline").read_bytes() == cmdline:
                running.append(pid)
    return running


def scan_report(instance: Instance, token: str) -> dict[str, Any]:
    """`security_posture.scan` over REST, asking for the response: the report."""
    path = f"/api/services/{DOMAIN}/scan?return_response"
    body = api_call(instance, token, "POST", path, json_body={})
    report: dict[str, Any] = body["service_response"]
    return report


def _states(instance: Instance, token: str) -> dict[str, dict[str, Any]]:
    return {s["entity_id"]: s for s in api_call(instance, token, "GET", "/api/states")}


def _check_report(report: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The report keeps the contract and finds what the fixture plants; findings per check."""
    statuses = {c["check"]: c["status"] for c in report["checks"]}
    assert set(statuses.values()) <= {"pass", "fail", "unknown", "disabled"}
    ids = [f["id"] for f in report["findings"]]
    assert len(ids) == len(set(ids))
    by_check: dict[str, list[dict[str, Any]]] = {}
    for finding in report["findings"]:
        assert statuses[finding["check"]] == "fail"
        by_check.setdefault(finding["check"], []).append(finding)
    assert {
        "inline_credential",
        "secret_unused",
        "secrets_file_permissions",
        "external_url_insecure",
        "tls_missing",
        "login_threshold_disabled",
        "ip_ban_disabled",
        "trusted_networks_bypass",
        "trusted_networks_broad",
        "mfa_missing",
    } <= set(by_check), sorted(by_check)
    # The three planted inline credentials; the !secret and !env_var ones are fine.
    assert sorted((f["file"], f["key"]) for f in by_check["inline_credential"]) == [
        ("configuration.yaml", "rest_command.inline.password"),
        ("configuration.yaml", "shell_command.upload"),
        ("packages/weather.yaml", "rest_command.weather_upload.headers.api_key"),
    ]
    (unused,) = by_check["secret_unused"]
    assert unused["file"] == "secrets.yaml"
    assert "old_mqtt_password" in unused["subject"]
    return by_check


def _check_states(states: dict[str, dict[str, Any]], report: dict[str, Any]) -> None:
    """What the entities show matches the report, by one rule: a finding counts while it
    is not accepted and its severity is low or above (it has an active repair issue)."""
    assert set(ENTITIES) <= set(states), set(ENTITIES) - set(states)
    counted = [
        f for f in report["findings"] if not f["ignored"] and f["severity"] != "info"
    ]
    score = states["sensor.security_posture_score"]
    assert float(score["state"]) == report["score"]
    assert score["attributes"]["grade"] == report["grade"]
    assert score["attributes"]["unit_of_measurement"] == "points"
    assert score["attributes"]["state_class"] == "measurement"
    assert states["sensor.security_posture_grade"]["state"] == report["grade"]
    last_scan = states["sensor.security_posture_last_scan"]["state"]
    # Timestamp sensors show whole seconds.
    assert datetime.fromisoformat(last_scan) == datetime.fromisoformat(
        report["scanned_at"]
    ).replace(microsecond=0)
    findings = states["sensor.security_posture_findings"]
    assert int(findings["state"]) == len(counted)
    for severity in ("critical", "high", "medium", "low"):
        count = sum(f["severity"] == severity for f in counted)
        assert findings["attributes"][severity] == count, severity
    assert findings["attributes"]["accepted"] == sum(
        f["ignored"] and f["severity"] != "info" for f in report["findings"]
    )
    for check, entity in (
        ("inline_credential", "inline_credentials"),
        ("update_pending", "pending_updates"),
    ):
        count = sum(f["check"] == check for f in counted)
        assert states[f"sensor.security_posture_{entity}"]["state"] == str(count)
    assert states["sensor.security_posture_certificate_expiry"]["state"] == "unknown"
    for family in FAMILIES:
        state = states[f"binary_sensor.security_posture_{family}"]["state"]
        if any(f["family"] == family for f in counted):
            assert state == "on", family
        else:
            assert state in ("off", "unavailable"), family


def _check_numbers_agree(
    states: dict[str, dict[str, Any]], issues: dict[str, Any]
) -> None:
    """The device page's numbers and Settings -> Repairs' list tell the same story."""
    active = [i for i in issues.values() if not i["ignored"]]
    findings = states["sensor.security_posture_findings"]
    assert int(findings["state"]) == len(active)
    assert findings["attributes"]["accepted"] == len(issues) - len(active)
    for key, check in (
        ("inline_credentials", "inline_credential"),
        ("pending_updates", "update_pending"),
    ):
        count = sum(i["translation_key"] == check for i in active)
        assert states[f"sensor.security_posture_{key}"]["state"] == str(count)


def _check_repairs(
    instance: Instance, token: str, report: dict[str, Any]
) -> tuple[dict[str, Any], list[Any]]:
    """One issue per finding of severity low or above, ignored while its risk is accepted;
    each opens a flow (an accepted one offers to stop accepting it)."""
    issues = {i["issue_id"]: i for i in onboard.repair_issues(instance.url, token)}
    wanted = {f["id"]: f for f in report["findings"] if f["severity"] != "info"}
    assert set(issues) == set(wanted)
    flows = []
    for issue_id, issue in issues.items():
        finding = wanted[issue_id]
        assert issue["ignored"] is finding["ignored"]
        assert issue["translation_key"] == finding["check"]
        assert issue["severity"] == (
            "error" if finding["severity"] in ("critical", "high") else "warning"
        )
        assert issue["learn_more_url"] == finding["learn_more_url"]
        assert issue["is_fixable"] is True
        # A fix, or accepting the risk: opened, looked at, closed again.
        flow = api_call(
            instance,
            token,
            "POST",
            "/api/repairs/issues/fix",
            json_body={"handler": DOMAIN, "issue_id": issue_id},
        )
        assert flow["type"] in ("form", "menu"), flow
        if finding["ignored"]:
            assert flow["step_id"] == "accepted", flow
        flows.append(flow)
        api_call(
            instance, token, "DELETE", f"/api/repairs/issues/fix/{flow['flow_id']}"
        )
    return issues, flows


def _errors_about_us(log: str) -> list[str]:
    """Log records at ERROR or above that mention the integration, and Home Assistant's
    reports of deprecated or blocking calls made by it (at any level)."""
    records = re.split(r"\n(?=\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)", log)
    return [
        record
        for record in records
        if DOMAIN in record
        and (
            re.match(r"\S+ \S+ (ERROR|CRITICAL) ", record)
            or "Detected " in record
            or "blocking call" in record
        )
    ]


@pytest.mark.e2e
def test_real_home_assistant(instance: Instance) -> None:
    started = time.monotonic()
    instance.start()
    url = instance.url
    # Onboarding as scripts/develop does it, step by step, so that the bus events are
    # recorded from before the integration is added.
    onboard.wait_until_up(url, 180, instance.alive)
    token = onboard.fetch_token(url, onboard.create_owner(url, password=OWNER_PASSWORD))
    onboard.finish_onboarding(url, token)
    assert all((onboard.onboarding_status(url) or {}).values())
    onboard.wait_until_running(url, token, 180)
    components = set(api_call(instance, token, "GET", "/api/config")["components"])
    assert not NETWORK_INTEGRATIONS & components

    recorder = EventRecorder(url, token)
    workers: dict[int, bytes] = {}
    try:
        entry = onboard.add_integration(url, token)
        assert entry["title"] == "Security Posture"
        (loaded,) = onboard.config_entries(url, token)
        assert loaded["entry_id"] == entry["entry_id"]
        assert loaded["state"] == "loaded"
        onboard.wait_for_state(url, token, "sensor.security_posture_score", 120)

        report = scan_report(instance, token)
        by_check = _check_report(report)
        assert not any(f["ignored"] for f in report["findings"])
        # The files were scanned in one worker process of Home Assistant's own Python,
        # not in Home Assistant's process (which it falls back to only where none starts).
        assert instance.process is not None
        workers = scan_workers(instance.process.pid)
        assert len(workers) == 1, workers
        assert b"-I" in next(iter(workers.values())).split(b"\0")
        states = _states(instance, token)
        _check_states(states, report)
        issues, flows = _check_repairs(instance, token, report)
        _check_numbers_agree(states, issues)
        diagnostics_path = f"/api/diagnostics/config_entry/{entry['entry_id']}"
        diagnostics = api_call(instance, token, "GET", diagnostics_path)
        assert diagnostics["data"]["report"]["findings"] == report["findings"]
        assert diagnostics["data"]["ignored"] == []

        # Accept one risk: the issue stays, ignored; the finding stays in the report as
        # ignored.
        accepted = by_check["ip_ban_disabled"][0]["id"]
        api_call(
            instance,
            token,
            "POST",
            f"/api/services/{DOMAIN}/ignore_finding",
            json_body={"finding_id": accepted, "reason": "accepted in the e2e test"},
        )
        after = scan_report(instance, token)
        assert [f["id"] for f in after["findings"] if f["ignored"]] == [accepted]
        states = _states(instance, token)
        _check_states(states, after)
        issues_after, _ = _check_repairs(instance, token, after)
        _check_numbers_agree(states, issues_after)
        assert set(issues_after) == set(issues)
        assert [i for i, issue in issues_after.items() if issue["ignored"]] == [
            accepted
        ]
        diagnostics_after = api_call(instance, token, "GET", diagnostics_path)
        assert diagnostics_after["data"]["ignored"] == [accepted]

        long_lived = onboard.websocket_command(
            url,
            token,
            {
                "type": "auth/long_lived_access_token",
                "client_name": "e2e canary",
                "lifespan": 30,
            },
        )
    finally:
        returncode = instance.stop()
        recorder.close()
    duration = time.monotonic() - started
    log = instance.log()
    assert returncode == 0, log[-5000:]
    # The worker stops with Home Assistant.
    deadline = time.monotonic() + 10
    while still_running(workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not still_running(workers)
    assert "security_posture" in log  # the integration logs at debug level here
    assert not _errors_about_us(log)

    # The bus event: one "new" per finding, at the first scan; nothing at the second.
    announced = recorder.of_type("security_posture_finding")
    assert sorted(e["data"]["finding_id"] for e in announced) == sorted(
        f["id"] for f in report["findings"]
    )
    for event in announced:
        assert event["data"]["action"] == "new"
        assert set(event["data"]) == {
            "action",
            "finding_id",
            "check",
            "family",
            "severity",
            "title",
            "entity_id",
        }
        assert event["data"]["entity_id"] == "event.security_posture_findings"
    assert any(
        e["data"]["entity_id"] in ENTITIES for e in recorder.of_type("state_changed")
    )

    # Leak canaries: the values are in the configuration, and nowhere else.
    storage = instance.config / ".storage"
    assert accepted in (storage / f"{DOMAIN}.state").read_text()  # ignores are saved
    assert (storage / "repairs.issue_registry").is_file()
    exposed = {
        "reports": json.dumps([report, after]),
        "states": json.dumps(states),
        "events": json.dumps(recorder.events),
        "diagnostics": json.dumps([diagnostics, diagnostics_after]),
        "repairs": json.dumps([issues, issues_after, flows]),
        "log": log,
    }
    # Everything Home Assistant stored, except its auth store: it keeps the tokens (and the
    # password's hash) by design.
    for path in sorted(storage.iterdir()):
        if path.is_file() and not path.name.startswith("auth"):
            exposed[f".storage/{path.name}"] = path.read_text(errors="replace")
    canaries = {
        **CANARIES,
        "owner_password": OWNER_PASSWORD,
        "access_token": token,
        "long_lived_token": long_lived,
    }
    leaks = [
        f"{name} in {where}"
        for name, value in canaries.items()
        for where, text in exposed.items()
        if value in text
    ]
    assert not leaks
    planted = "\n".join(p.read_text() for p in instance.config.rglob("*.yaml"))
    for name, value in CANARIES.items():
        assert name == "env" or value in planted, name
    print(f"end to end in {duration:.1f} s")  # noqa: T201
