"""End to end: the remote access family on a real Home Assistant serving TLS.

Two instances, started as real processes the way `tests/test_e2e.py` starts them (on the
newest end the newest Home Assistant release, on the floor 2025.4.4):

- one serving an expired, self-signed certificate for another host, with a key every user can
  read, bans and the login threshold off, proxies trusted from anywhere, extra CORS origins,
  framing allowed and a plain-HTTP external URL: every one of those is a finding, the family's
  binary sensor is on and the certificate sensor is in the past;
- one set up well: nothing from this family.

Where the HTTP settings live depends on the release under test. Up to 2026.7 the `http:` block
is the configuration. From 2026.8 the first start moves it into `.storage/http` as a pending
configuration and runs it on trial ("Using pending HTTP config") until an owner confirms it
(websocket `http/config/promote`); the YAML is ignored afterwards, which a restart with a
changed block shows. 2026.11 names the TLS profiles by version and raises its own repair for
the outdated ones, which Security Posture does not repeat. The certificates are generated here
with `cryptography`; the test talks to the instance over HTTPS on loopback, unverified.
"""

from __future__ import annotations

from collections.abc import Generator
from datetime import UTC, datetime
from pathlib import Path
import re
from typing import Any

from cryptography import x509
import pytest

from custom_components.security_posture.inspect.http_releases import (
    HttpRelease,
    release_of,
)

from .remote_access_certs import (
    HOST,
    ec_key,
    key_bytes,
    make_cert,
    private_ca,
    rsa_key,
    write_pair,
)
from .test_e2e import DOMAIN, Instance, onboard

FAMILY = "remote_access"
FAMILY_SENSOR = "binary_sensor.security_posture_remote_access"
EXPIRY_SENSOR = "sensor.security_posture_certificate_expiry"
# One finding each for the insecure instance.
INSECURE = {
    "external_url_insecure",
    "certificate_expired",
    "certificate_self_signed",
    "certificate_hostname_mismatch",
    "private_key_permissions",
    "ip_ban_disabled",
    "login_threshold_disabled",
    "trusted_proxies_broad",
    "cors_origins_extra",
    "x_frame_options_disabled",
}
# Where the settings findings point, per layout.
SETTINGS = {
    "ip_ban_disabled": "ip_ban_enabled",
    "login_threshold_disabled": "login_attempts_threshold",
    "trusted_proxies_broad": "trusted_proxies",
    "cors_origins_extra": "cors_allowed_origins",
    "x_frame_options_disabled": "use_x_frame_options",
}


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations() -> None:
    """No in-process `hass` here: Home Assistant runs in its own process."""


@pytest.fixture
def instances(socket_enabled: None) -> Generator[list[Instance]]:
    """Instances made by a test; each is stopped afterwards, whatever happened."""
    made: list[Instance] = []
    try:
        yield made
    finally:
        for instance in made:
            instance.stop()
            print(f"--- end of the log of Home Assistant ---\n{instance.log()[-6000:]}")  # noqa: T201


def _prepare(
    tmp_path: Path,
    fixture: str,
    certificate: x509.Certificate,
    key: Any,
    *,
    chain: tuple[x509.Certificate, ...] = (),
    key_mode: int = 0o600,
) -> Instance:
    instance = Instance(tmp_path, fixture, scheme="https")
    write_pair(instance.config / "ssl", certificate, key, chain=chain, mode=key_mode)
    configuration = instance.config / "configuration.yaml"
    text = configuration.read_text()
    assert "@CONFIG@" in text
    configuration.write_text(text.replace("@CONFIG@", str(instance.config)))
    return instance


def _api(instance: Instance, token: str, method: str, path: str, **kwargs: Any) -> Any:
    status, body = onboard.request(instance.url, method, path, token=token, **kwargs)
    assert status == 200, f"{method} {path}: HTTP {status}: {body!r}"
    return body


def _start(instance: Instance, token: str | None = None) -> tuple[str, HttpRelease]:
    """Start (or restart) the instance, onboard it once; the token and its release."""
    instance.start()
    onboard.wait_until_up(instance.url, 180, instance.alive)
    if token is None:
        code = onboard.create_owner(instance.url)
        token = onboard.fetch_token(instance.url, code)
        onboard.finish_onboarding(instance.url, token)
    onboard.wait_until_running(instance.url, token, 180)
    version = _api(instance, token, "GET", "/api/config")["version"]
    major, minor = (int(part) for part in version.split(".")[:2])
    return token, release_of(major, minor)


def _scan(instance: Instance, token: str) -> dict[str, Any]:
    path = f"/api/services/{DOMAIN}/scan?return_response"
    report: dict[str, Any] = _api(instance, token, "POST", path, json_body={})[
        "service_response"
    ]
    return report


def _family(report: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The family's findings and check results, by check; one finding per check."""
    findings = [f for f in report["findings"] if f["family"] == FAMILY]
    by_check = {f["check"]: f for f in findings}
    assert len(by_check) == len(findings), findings
    checks = {c["check"]: c for c in report["checks"] if c["family"] == FAMILY}
    return by_check, checks


def _state(instance: Instance, token: str, entity_id: str) -> dict[str, Any]:
    state = onboard.get_state(instance.url, token, entity_id)
    assert state is not None, entity_id
    return state


def _http_issues(instance: Instance, token: str) -> set[str]:
    """Home Assistant's own repair issues of the http integration."""
    return {i["issue_id"] for i in onboard.repair_issues(instance.url, token, "http")}


def _notes(report: dict[str, Any]) -> list[str]:
    return [n["reason"] for n in report["notes"] if n["family"] == FAMILY]


def _locations(findings: dict[str, Any]) -> dict[str, tuple[Any, ...]]:
    return {
        check: (
            findings[check]["file"],
            findings[check]["line"],
            findings[check]["key"],
        )
        for check in SETTINGS
    }


@pytest.mark.e2e
def test_insecure_remote_access(tmp_path: Path, instances: list[Instance]) -> None:
    key = rsa_key()
    certificate = make_cert(
        key=key, days=-5, names=("wrong.example.net",), common_name="wrong.example.net"
    )
    instance = _prepare(tmp_path, "e2e_remote_access", certificate, key, key_mode=0o644)
    instances.append(instance)
    token, release = _start(instance)
    entry = onboard.add_integration(instance.url, token)
    assert entry["title"] == "Security Posture"
    onboard.wait_for_state(instance.url, token, "sensor.security_posture_score", 120)

    report = _scan(instance, token)
    everything = sorted(f["check"] for f in report["findings"])
    print(f"{len(everything)} findings on {release}: {everything}")  # noqa: T201
    print(f"notes: {_notes(report)}")  # noqa: T201
    findings, checks = _family(report)
    assert set(findings) == INSECURE, sorted(findings)
    assert not [c for c in checks.values() if c["status"] == "unknown"], checks
    assert findings["certificate_expired"]["severity"] == "critical"
    assert findings["login_threshold_disabled"]["severity"] == "high"  # exposed
    assert findings["trusted_proxies_broad"]["title"] == (
        "Trusted proxies include public networks: 0.0.0.0/0, ::/0"
    )
    assert findings["private_key_permissions"]["file"] == "ssl/server.key"
    assert findings["certificate_hostname_mismatch"]["file"] == "ssl/server.crt"
    assert _state(instance, token, FAMILY_SENSOR)["state"] == "on"
    expiry = datetime.fromisoformat(_state(instance, token, EXPIRY_SENSOR)["state"])
    assert expiry == certificate.not_valid_after_utc
    assert expiry < datetime.now(UTC)
    # Never the private key in the report.
    assert key_bytes(key).decode().splitlines()[1] not in str(report)
    # One repair issue per finding, and none about the move of the YAML or the TLS profile:
    # those are core's own.
    ours = {i["translation_key"] for i in onboard.repair_issues(instance.url, token)}
    assert ours & set(checks) == INSECURE

    if not release.migrates_yaml:
        # Up to 2026.7: the http: block is the configuration, findings point into it.
        assert _locations(findings) == {
            "ip_ban_disabled": ("configuration.yaml", 28, "http.ip_ban_enabled"),
            "login_threshold_disabled": (
                "configuration.yaml",
                None,
                "http.login_attempts_threshold",
            ),
            "trusted_proxies_broad": ("configuration.yaml", 31, "http.trusted_proxies"),
            "cors_origins_extra": (
                "configuration.yaml",
                35,
                "http.cors_allowed_origins",
            ),
            "x_frame_options_disabled": (
                "configuration.yaml",
                39,
                "http.use_x_frame_options",
            ),
        }
        assert not _notes(report)
    else:
        # 2026.8 and later: the block was moved into the pending slot, which runs on trial.
        assert "Using pending HTTP config" in instance.log()
        assert _locations(findings) == {
            check: (".storage/http", None, f"data.pending.{name}")
            for check, name in SETTINGS.items()
        }
        assert "deprecated_yaml" in _http_issues(instance, token)
        notes = _notes(report)
        assert any("configuration.yaml is ignored" in n for n in notes), notes
        assert any("on trial" in n for n in notes), notes
        # An owner confirms it, as the dialog asks: now the stable slot, the same findings.
        onboard.websocket_command(instance.url, token, {"type": "http/config/promote"})
        report = _scan(instance, token)
        confirmed, _ = _family(report)
        assert {c: f["id"] for c, f in confirmed.items()} == {
            c: f["id"] for c, f in findings.items()
        }
        assert _locations(confirmed) == {
            check: (".storage/http", None, f"data.stable.{name}")
            for check, name in SETTINGS.items()
        }
        assert not any("on trial" in n for n in _notes(report))
    if release.versioned_profiles:
        # The YAML's profile (modern, the default) became modern_v4: core's repair.
        assert "ssl_profile_outdated" in _http_issues(instance, token)
        assert checks["ssl_profile_intermediate"]["status"] == "pass"
        assert "its own repair" in checks["ssl_profile_intermediate"]["reason"]

    # The owner turns bans on in the YAML and restarts.
    configuration = instance.config / "configuration.yaml"
    text = configuration.read_text()
    text = text.replace("ip_ban_enabled: false", "ip_ban_enabled: true")
    configuration.write_text(
        text.replace("  # ip_ban", "  login_attempts_threshold: 5\n  # ip_ban")
    )
    assert instance.stop() == 0
    _start(instance, token)
    onboard.wait_for_state(instance.url, token, "sensor.security_posture_score", 120)
    after, _ = _family(_scan(instance, token))
    if release.migrates_yaml:
        # The YAML is ignored now: the stored configuration still runs.
        assert set(after) == INSECURE
        assert "yaml_still_present_after_migration" in _http_issues(instance, token)
    else:
        assert set(after) == INSECURE - {"ip_ban_disabled", "login_threshold_disabled"}
    assert _state(instance, token, FAMILY_SENSOR)["state"] == "on"
    assert instance.stop() == 0
    errors = [
        line
        for line in instance.log().splitlines()
        if re.match(r"\S+ \S+ (ERROR|CRITICAL) ", line) and DOMAIN in line
    ]
    assert not errors


@pytest.mark.e2e
def test_well_set_up_remote_access(tmp_path: Path, instances: list[Instance]) -> None:
    ca_cert, ca_key = private_ca()
    key = ec_key(2)
    leaf = make_cert(key=key, names=(HOST,), issuer=(ca_cert, ca_key), days=80)
    instance = _prepare(
        tmp_path, "e2e_remote_access_secure", leaf, key, chain=(ca_cert,)
    )
    instances.append(instance)
    token, release = _start(instance)
    if (
        release.migrates_yaml
    ):  # confirmed, as its owner would: no trial that could revert
        onboard.websocket_command(instance.url, token, {"type": "http/config/promote"})
    onboard.add_integration(instance.url, token)
    onboard.wait_for_state(instance.url, token, "sensor.security_posture_score", 120)

    report = _scan(instance, token)
    findings, checks = _family(report)
    assert findings == {}
    assert not [n for n in _notes(report) if "on trial" in n]
    assert {c["status"] for c in checks.values()} == {"pass"}, checks
    assert _state(instance, token, FAMILY_SENSOR)["state"] == "off"
    expiry = datetime.fromisoformat(_state(instance, token, EXPIRY_SENSOR)["state"])
    assert expiry == leaf.not_valid_after_utc
    assert expiry > datetime.now(UTC)
    if release.versioned_profiles:
        # No ssl_profile in the YAML: modern, which 2026.11 runs as modern_v4 and raises
        # its own repair about; it is not repeated as a finding.
        assert "ssl_profile_outdated" in _http_issues(instance, token)
        assert "its own repair" in checks["ssl_profile_intermediate"]["reason"]
    assert instance.stop() == 0
