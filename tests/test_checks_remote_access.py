"""The remote access family: each check on facts, the exposure decision, and end to end."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from ipaddress import ip_network
import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from unittest.mock import patch

from homeassistant.config import async_hass_config_yaml
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.security_posture.checks.registry import BY_ID
from custom_components.security_posture.checks.remote_access.certificate_expiring import (
    CERTIFICATE_EXPIRY,
)
from custom_components.security_posture.checks.remote_access.settings import (
    HTTP_SETTINGS_UI,
    where_to_change,
)
from custom_components.security_posture.const import CONF_CERT_WARNING_DAYS
from custom_components.security_posture.engine import (
    Fact,
    Facts,
    ScanContext,
    ScanOptions,
    run_check,
)
from custom_components.security_posture.inspect import process
from custom_components.security_posture.inspect.certificates import (
    CERTIFICATE,
    CertificateReading,
    FileFacts,
    LeafCertificate,
    located,
)
from custom_components.security_posture.inspect.exposure import (
    EXPOSURE,
    Exposure,
    async_get_exposure,
    cloud_remote_domain,
    decide_exposure,
    is_local_host,
)
from custom_components.security_posture.inspect.http_settings import (
    HTTP_SETTINGS,
)
from custom_components.security_posture.inspect.http_values import (
    SOURCE_DEFAULT,
    SOURCE_RECOVERY,
    SOURCE_STABLE,
    SOURCE_YAML,
    HttpSettings,
    Location,
)
from custom_components.security_posture.inspect.process import PROCESS_STARTED
from custom_components.security_posture.model import Family, Finding, Severity, Status

from .helpers import (
    COMMON_PLACEHOLDERS,
    async_scan,
    async_setup_integration,
    issue_placeholders_used,
)
from .http_stores import RUNNING_RELEASE
from .remote_access_certs import (
    HOST,
    ec_key,
    key_bytes,
    make_cert,
    private_ca,
    rsa_key,
    write_pair,
)

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
CONFIG = Path("/config")
FAMILY_CHECKS = tuple(c for c in BY_ID.values() if c.family is Family.REMOTE_ACCESS)
CHECKS = {c.id: c for c in FAMILY_CHECKS}
STRINGS = json.loads(
    (
        Path(__file__).parent.parent / "custom_components/security_posture/strings.json"
    ).read_text()
)
DONE_WHEN_FINDINGS = {
    "certificate_expired",
    "certificate_self_signed",
    "certificate_hostname_mismatch",
    "private_key_permissions",
    "ip_ban_disabled",
    "login_threshold_disabled",
    "trusted_proxies_broad",
    "external_url_insecure",
}


# --- facts by hand -------------------------------------------------------------------------


def make_leaf(**changes: Any) -> LeafCertificate:
    leaf = LeafCertificate(
        subject=f"CN={HOST}",
        not_before=NOW - timedelta(days=30),
        not_after=NOW + timedelta(days=60),
        self_signed=False,
        key_type="EC",
        key_size=256,
        signature_hash="sha256",
        dns_names=(HOST,),
        ip_addresses=(),
        chain_length=2,
        encoding="PEM",
    )
    return replace(leaf, **changes)


def make_reading(
    *,
    leaf: LeafCertificate | None = None,
    cert_path: str = "/ssl/fullchain.pem",
    key_path: str = "/ssl/privkey.pem",
    key_mode: int | None = 0o600,
    mtime: datetime | None = NOW - timedelta(days=3),
    certificate_error: str | None = None,
    key_error: str | None = None,
    key_matches: bool | None = True,
) -> CertificateReading:
    """A reading as the `CERTIFICATE` fact gives it, with the configuration in `CONFIG`."""
    reading = CertificateReading(
        certificate_file=FileFacts(path=cert_path, mode=0o644, mtime=mtime),
        key_file=FileFacts(path=key_path, mode=key_mode, mtime=mtime),
        key_in_certificate_file=False,
        leaf=leaf if leaf is not None else make_leaf(),
        certificate_error=certificate_error,
        key_error=key_error,
        key_matches=key_matches,
    )
    return located(reading, CONFIG)


GOOD_HTTP = HttpSettings(
    ssl_certificate="/ssl/fullchain.pem",
    ssl_key="/ssl/privkey.pem",
    login_attempts_threshold=5,
    base=SOURCE_YAML,
)
GOOD_EXPOSURE = decide_exposure(
    external_url=f"https://{HOST}", cloud_domain=None, settings=GOOD_HTTP
)


type RemoteAccessFacts = dict[Fact[object], object]


def make_facts(
    *,
    http: HttpSettings = GOOD_HTTP,
    exposure: Exposure | None = None,
    certificate: CertificateReading | None = None,
    started_at: datetime = NOW - timedelta(days=1),
    no_certificate: bool = False,
) -> RemoteAccessFacts:
    return {
        HTTP_SETTINGS: http,
        EXPOSURE: exposure if exposure is not None else GOOD_EXPOSURE,
        CERTIFICATE: None if no_certificate else (certificate or make_reading()),
        PROCESS_STARTED: started_at,
    }


def declared(
    needs: tuple[Fact[object], ...],
    facts: RemoteAccessFacts,
    options: dict[str, Any] | None = None,
    now: datetime = NOW,
) -> Facts:
    """What a check or metric sees: the facts it declares (and only those)."""
    return Facts(
        {key: facts[key] for key in needs},
        now=now,
        options=ScanOptions.from_entry(options or {}),
    )


def run(
    check_id: str,
    facts: RemoteAccessFacts,
    options: dict[str, Any] | None = None,
    now: datetime = NOW,
) -> tuple[Status, str | None, list[Finding]]:
    check = CHECKS[check_id]
    findings: list[Finding] = []
    result = run_check(check, declared(check.needs, facts, options, now), findings)
    return result.status, result.reason, findings


def run_all(facts: RemoteAccessFacts, now: datetime = NOW) -> list[Finding]:
    findings: list[Finding] = []
    for check in FAMILY_CHECKS:
        result = run_check(check, declared(check.needs, facts, now=now), findings)
        assert result.status is not Status.UNKNOWN, (check.id, result.reason)
    return findings


def expiry(facts: RemoteAccessFacts) -> datetime | None:
    """The `certificate_expiry` metric on these facts."""
    return CERTIFICATE_EXPIRY.compute(declared(CERTIFICATE_EXPIRY.needs, facts))


def only(
    check_id: str,
    facts: RemoteAccessFacts,
    options: dict[str, Any] | None = None,
    now: datetime = NOW,
) -> Finding:
    status, _, findings = run(check_id, facts, options, now)
    assert status is Status.FAIL
    assert len(findings) == 1
    return findings[0]


def passes(
    check_id: str,
    facts: RemoteAccessFacts,
    options: dict[str, Any] | None = None,
    now: datetime = NOW,
) -> str | None:
    status, reason, findings = run(check_id, facts, options, now)
    assert status is Status.PASS
    assert findings == []
    return reason


def unknown(check_id: str, facts: RemoteAccessFacts) -> str | None:
    status, reason, findings = run(check_id, facts)
    assert status is Status.UNKNOWN
    assert findings == []
    return reason


# --- the whole family on facts -------------------------------------------------------------


def done_when_facts() -> RemoteAccessFacts:
    http = HttpSettings(
        ssl_certificate="/ssl/fullchain.pem",
        ssl_key="/ssl/privkey.pem",
        ip_ban_enabled=False,
        login_attempts_threshold=-1,
        use_x_forwarded_for=True,
        trusted_proxies=(ip_network("0.0.0.0/0"),),
        base=SOURCE_YAML,
    )
    leaf = make_leaf(
        not_after=NOW - timedelta(days=2),
        self_signed=True,
        dns_names=("other.example.net",),
        key_type="RSA",
        key_size=2048,
    )
    return make_facts(
        http=http,
        exposure=decide_exposure(
            external_url=f"http://{HOST}:8123", cloud_domain=None, settings=http
        ),
        certificate=make_reading(leaf=leaf, key_mode=0o644),
    )


def test_done_when_on_facts() -> None:
    findings = run_all(done_when_facts())
    assert {f.check for f in findings} == DONE_WHEN_FINDINGS
    assert len(findings) == len(DONE_WHEN_FINDINGS)
    severity = {f.check: f.severity for f in findings}
    assert severity["certificate_expired"] is Severity.CRITICAL
    assert severity["login_threshold_disabled"] is Severity.HIGH  # exposed
    assert severity["trusted_proxies_broad"] is Severity.HIGH
    assert severity["external_url_insecure"] is Severity.HIGH


def test_well_configured_on_facts() -> None:
    assert run_all(make_facts()) == []


def test_placeholders_are_exactly_those_the_texts_use() -> None:
    facts = done_when_facts()
    everything = [
        *run_all(facts),
        *run(
            "certificate_unreadable",
            make_facts(certificate=make_reading(certificate_error="x", key_error="y")),
        )[2],
        *run(
            "certificate_expiring",
            make_facts(
                certificate=make_reading(
                    leaf=make_leaf(not_after=NOW + timedelta(days=3))
                )
            ),
        )[2],
        *run(
            "certificate_key_mismatch",
            make_facts(certificate=make_reading(key_matches=False)),
        )[2],
        *run(
            "certificate_weak",
            make_facts(
                certificate=make_reading(leaf=make_leaf(key_type="RSA", key_size=1024))
            ),
        )[2],
        *run(
            "certificate_not_loaded",
            make_facts(
                certificate=make_reading(mtime=NOW), started_at=NOW - timedelta(hours=1)
            ),
        )[2],
        *run(
            "tls_missing",
            make_facts(
                http=HttpSettings(),
                exposure=decide_exposure(
                    external_url="http://example.com",
                    cloud_domain=None,
                    settings=HttpSettings(),
                ),
            ),
        )[2],
        *run(
            "x_frame_options_disabled",
            make_facts(http=replace(GOOD_HTTP, use_x_frame_options=False)),
        )[2],
        *run(
            "cors_origins_extra",
            make_facts(
                http=replace(GOOD_HTTP, cors_allowed_origins=("https://x.example",))
            ),
        )[2],
        *run(
            "ssl_profile_intermediate",
            make_facts(http=replace(GOOD_HTTP, ssl_profile="intermediate")),
        )[2],
    ]
    assert {f.check for f in everything} == set(CHECKS)
    for finding in everything:
        used = issue_placeholders_used(finding.check) - COMMON_PLACEHOLDERS
        assert set(finding.placeholders) == used, finding.check
        assert all(finding.placeholders.values()), finding.check


# --- exposure ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("host", "local"),
    [
        ("localhost", True),
        ("homeassistant", True),
        ("homeassistant.local", True),
        ("ha.lan", True),
        ("ha.home.arpa", True),
        ("ha.fritz.box", False),
        ("HA.LOCAL.", True),
        ("192.168.1.10", True),
        ("10.0.0.5", True),
        ("127.0.0.1", True),
        ("100.101.102.103", True),
        ("169.254.1.1", True),
        ("[fd00::1]", True),
        ("::1", True),
        ("", True),
        ("ha.example.com", False),
        ("abc.duckdns.org", False),
        ("8.8.8.8", False),
        ("2001:4860:4860::8888", False),
    ],
)
def test_is_local_host(host: str, local: bool) -> None:
    assert is_local_host(host) is local


def test_decide_exposure() -> None:
    none = decide_exposure(
        external_url=None, cloud_domain=None, settings=HttpSettings()
    )
    assert none.exposed is False
    assert none.ways == ()
    assert none.external_url is None
    for junk in ("not a url", "http://[::1"):
        bad = decide_exposure(
            external_url=junk, cloud_domain=None, settings=HttpSettings()
        )
        assert bad.external_host is None
        assert bad.exposed is False
    public = decide_exposure(
        external_url="HTTP://user:hunter2@Bücher.example:8123/path?token=abc",
        cloud_domain=None,
        settings=HttpSettings(),
    )
    assert public.external_url == "http://xn--bcher-kva.example:8123"
    assert "hunter2" not in repr(public)
    assert "abc" not in (public.external_url or "")
    assert public.external_scheme == "http"
    assert public.external_host == "xn--bcher-kva.example"
    assert public.external_host_public is True
    assert public.ways == ("external URL http://xn--bcher-kva.example:8123",)
    ipv6 = decide_exposure(
        external_url="https://[2001:db8::1]", cloud_domain=None, settings=HttpSettings()
    )
    assert ipv6.external_url == "https://[2001:db8::1]"
    assert ipv6.external_host == "2001:db8::1"
    proxied = HttpSettings(
        use_x_forwarded_for=True, trusted_proxies=(ip_network("10.0.0.0/8"),)
    )
    everything = decide_exposure(
        external_url="https://ha.local",
        cloud_domain="abc.ui.nabu.casa",
        settings=proxied,
    )
    assert everything.external_host_public is False
    assert everything.cloud_remote is True
    assert everything.reverse_proxy is True
    assert everything.exposed is True
    assert everything.ways == ("Home Assistant Cloud remote UI", "a reverse proxy")
    # use_x_forwarded_for without proxies is no reverse proxy.
    lonely = HttpSettings(use_x_forwarded_for=True)
    assert (
        decide_exposure(external_url=None, cloud_domain=None, settings=lonely).exposed
        is False
    )


def _cloud(
    *, logged_in: Any = True, enabled: Any = True, domain: Any = "abc.ui.nabu.casa"
) -> Any:
    prefs = SimpleNamespace(remote_enabled=enabled, remote_domain=domain)
    return SimpleNamespace(is_logged_in=logged_in, client=SimpleNamespace(prefs=prefs))


async def test_cloud_remote_domain(hass: HomeAssistant) -> None:
    hass.data["cloud"] = _cloud()
    assert cloud_remote_domain(hass) is None  # the integration is not loaded
    hass.config.components.add("cloud")
    assert cloud_remote_domain(hass) == "abc.ui.nabu.casa"
    hass.data["cloud"] = _cloud(logged_in=False)
    assert cloud_remote_domain(hass) is None
    hass.data["cloud"] = _cloud(enabled=False)
    assert cloud_remote_domain(hass) is None
    hass.data["cloud"] = _cloud(domain=None)
    assert cloud_remote_domain(hass) is None
    hass.data["cloud"] = SimpleNamespace(
        is_logged_in=True
    )  # no client: another release
    assert cloud_remote_domain(hass) is None
    del hass.data["cloud"]
    assert cloud_remote_domain(hass) is None


async def test_exposure_is_decided_once_per_scan(
    hass: HomeAssistant, config_dir: Path
) -> None:
    await hass.config.async_update(external_url="http://ha.example.com:8123")
    ctx = ScanContext(hass=hass, config_dir=config_dir, now=dt_util.utcnow())
    first = await async_get_exposure(ctx)
    assert first.external_host_public is True
    await hass.config.async_update(external_url="https://ha.local")
    assert await async_get_exposure(ctx) is first
    assert await ctx.fact(EXPOSURE) is first
    assert await ctx.fact(HTTP_SETTINGS) == HttpSettings()


@pytest.mark.parametrize("text", ["", "# nothing but a comment\n"])
async def test_exposure_of_an_empty_configuration(
    hass: HomeAssistant, config_dir: Path, text: str
) -> None:
    """An empty configuration.yaml names no external URL from secrets: still decided."""
    (config_dir / "configuration.yaml").write_text(text)
    await hass.config.async_update(external_url="http://ha.example.com:8123")
    ctx = ScanContext(hass=hass, config_dir=config_dir, now=dt_util.utcnow())
    exposure = await ctx.fact(EXPOSURE)
    assert exposure.external_host_public is True
    assert exposure.url_from_secrets is False


# --- each check ----------------------------------------------------------------------------


def test_external_url_insecure() -> None:
    http = GOOD_HTTP
    reason = passes(
        "external_url_insecure",
        make_facts(
            exposure=decide_exposure(
                external_url=None, cloud_domain=None, settings=http
            )
        ),
    )
    assert reason == "no external URL is configured"
    passes("external_url_insecure", make_facts())
    local = decide_exposure(
        external_url="http://192.168.1.2:8123", cloud_domain=None, settings=http
    )
    passes("external_url_insecure", make_facts(exposure=local))
    public = decide_exposure(
        external_url="http://admin:pw@ha.example.com:8123",
        cloud_domain=None,
        settings=http,
    )
    finding = only("external_url_insecure", make_facts(exposure=public))
    assert finding.placeholders == {"url": "http://ha.example.com:8123"}
    assert finding.key == "homeassistant.external_url"
    assert finding.severity is Severity.HIGH
    assert "pw" not in finding.title


def test_tls_missing() -> None:
    plain = HttpSettings()
    public = decide_exposure(
        external_url="https://ha.example.com", cloud_domain=None, settings=plain
    )
    finding = only(
        "tls_missing", make_facts(http=plain, exposure=public, no_certificate=True)
    )
    assert finding.placeholders == {"detail": "external URL https://ha.example.com"}
    assert finding.severity is Severity.HIGH
    # A certificate, a reverse proxy or the cloud's remote UI each provide TLS.
    passes("tls_missing", make_facts(exposure=replace(public, cloud_remote=True)))
    passes(
        "tls_missing",
        make_facts(http=plain, exposure=replace(public, reverse_proxy=True)),
    )
    passes("tls_missing", make_facts(exposure=public))
    local = decide_exposure(
        external_url="http://ha.local", cloud_domain=None, settings=plain
    )
    assert passes("tls_missing", make_facts(http=plain, exposure=local)) == (
        "no external URL names a host outside the local network"
    )


def test_certificate_checks_without_certificate() -> None:
    facts = make_facts(http=HttpSettings(), no_certificate=True)
    for check_id in CHECKS:
        if check_id.startswith("certificate") or check_id == "private_key_permissions":
            assert passes(check_id, facts) == "no certificate is configured"
    assert (
        passes("ssl_profile_intermediate", facts)
        == "Home Assistant serves no TLS itself"
    )
    assert expiry(facts) is None


def test_certificate_unreadable() -> None:
    reading = make_reading(
        leaf=None,
        certificate_error="the file does not exist",
        key_error="permission denied",
        key_matches=None,
    )
    reading = replace(reading, leaf=None)
    facts = make_facts(certificate=reading)
    status, _, findings = run("certificate_unreadable", facts)
    assert status is Status.FAIL
    assert [f.placeholders for f in findings] == [
        {
            "detail": "certificate `/ssl/fullchain.pem`",
            "reason": "the file does not exist",
        },
        {"detail": "private key `/ssl/privkey.pem`", "reason": "permission denied"},
    ]
    assert [f.key for f in findings] == ["http.ssl_certificate", "http.ssl_key"]
    assert findings[0].file is None  # outside the configuration directory
    assert len({f.id for f in findings}) == 2
    # The other certificate checks cannot decide.
    for check_id in (
        "certificate_expired",
        "certificate_weak",
        "certificate_self_signed",
    ):
        assert unknown(check_id, facts) == "the certificate cannot be read"
    assert expiry(facts) is None


def test_certificate_inside_the_configuration_directory() -> None:
    reading = make_reading(
        cert_path="/config/ssl/cert.pem",
        key_path="/config/ssl/key.pem",
        certificate_error="it is a directory",
        key_mode=0o644,
    )
    facts = make_facts(certificate=reading)
    finding = only("certificate_unreadable", facts)
    assert finding.file == "ssl/cert.pem"
    assert finding.placeholders["detail"] == "certificate `ssl/cert.pem`"
    finding = only("private_key_permissions", facts)
    assert finding.file == "ssl/key.pem"
    assert finding.placeholders == {"file": "ssl/key.pem", "mode": "0644"}


def test_certificate_expired() -> None:
    expired = make_leaf(not_after=datetime(2025, 5, 30, 8, 30, tzinfo=UTC))
    finding = only(
        "certificate_expired", make_facts(certificate=make_reading(leaf=expired))
    )
    assert finding.severity is Severity.CRITICAL
    assert finding.placeholders == {
        "file": "/ssl/fullchain.pem",
        "expires": "2025-05-30 08:30 UTC",
    }
    assert finding.subject == "certificate /ssl/fullchain.pem"
    passes("certificate_expired", make_facts())
    # Expired is not also "expiring".
    passes("certificate_expiring", make_facts(certificate=make_reading(leaf=expired)))


@pytest.mark.parametrize(
    ("left", "options", "severity", "days"),
    [
        (timedelta(days=3), {}, Severity.HIGH, "3"),
        (timedelta(days=6, hours=23), {}, Severity.HIGH, "7"),
        (timedelta(days=20), {}, Severity.MEDIUM, "20"),
        (timedelta(days=30), {}, Severity.MEDIUM, "30"),
        (timedelta(days=31), {}, None, None),
        (timedelta(days=40), {CONF_CERT_WARNING_DAYS: 45}, Severity.MEDIUM, "40"),
        (timedelta(days=20), {CONF_CERT_WARNING_DAYS: 10}, None, None),
        (timedelta(days=20), {CONF_CERT_WARNING_DAYS: "junk"}, Severity.MEDIUM, "20"),
        (timedelta(days=3), {CONF_CERT_WARNING_DAYS: -5}, None, None),
    ],
)
def test_certificate_expiring(
    left: timedelta,
    options: dict[str, Any],
    severity: Severity | None,
    days: str | None,
) -> None:
    facts = make_facts(certificate=make_reading(leaf=make_leaf(not_after=NOW + left)))
    if severity is None:
        passes("certificate_expiring", facts, options)
        return
    finding = only("certificate_expiring", facts, options)
    assert finding.severity is severity
    assert finding.placeholders["days"] == days
    assert set(finding.placeholders) == {"file", "expires", "days"}


def test_certificate_key_mismatch() -> None:
    finding = only(
        "certificate_key_mismatch",
        make_facts(certificate=make_reading(key_matches=False)),
    )
    assert finding.placeholders == {
        "file": "/ssl/fullchain.pem",
        "key_file": "/ssl/privkey.pem",
    }
    assert finding.severity is Severity.HIGH
    passes("certificate_key_mismatch", make_facts())
    assert (
        unknown(
            "certificate_key_mismatch",
            make_facts(certificate=make_reading(key_matches=None)),
        )
        == "the certificate or its private key cannot be read"
    )


@pytest.mark.parametrize(
    ("changes", "detail"),
    [
        ({"key_type": "RSA", "key_size": 1024}, "1024-bit RSA key"),
        ({"key_type": "DSA", "key_size": 1024}, "1024-bit DSA key"),
        ({"signature_hash": "sha1"}, "SHA1 signature"),
        (
            {"signature_hash": "md5", "key_type": "RSA", "key_size": 512},
            "512-bit RSA key, MD5 signature",
        ),
        ({"key_type": "RSA", "key_size": 2048}, None),
        ({"key_type": "EC", "key_size": 256}, None),
        ({"key_type": "Ed25519", "key_size": 256, "signature_hash": None}, None),
    ],
)
def test_certificate_weak(changes: dict[str, Any], detail: str | None) -> None:
    facts = make_facts(certificate=make_reading(leaf=make_leaf(**changes)))
    if detail is None:
        passes("certificate_weak", facts)
        return
    finding = only("certificate_weak", facts)
    assert finding.placeholders == {"file": "/ssl/fullchain.pem", "detail": detail}
    assert finding.severity is Severity.MEDIUM


def test_certificate_hostname_mismatch() -> None:
    wrong = make_reading(
        leaf=make_leaf(dns_names=("other.example.net", "*.example.org"))
    )
    finding = only("certificate_hostname_mismatch", make_facts(certificate=wrong))
    assert finding.placeholders == {"file": "/ssl/fullchain.pem", "host": HOST}
    wildcard = make_reading(leaf=make_leaf(dns_names=("*.example.com",)))
    passes("certificate_hostname_mismatch", make_facts(certificate=wildcard))
    no_url = decide_exposure(external_url=None, cloud_domain=None, settings=GOOD_HTTP)
    assert (
        passes(
            "certificate_hostname_mismatch",
            make_facts(certificate=wrong, exposure=no_url),
        )
        == "no external URL to compare the certificate with"
    )
    cloud = decide_exposure(
        external_url="https://abc.ui.nabu.casa", cloud_domain=None, settings=GOOD_HTTP
    )
    assert "Cloud" in (
        passes(
            "certificate_hostname_mismatch",
            make_facts(certificate=wrong, exposure=cloud),
        )
        or ""
    )
    custom = decide_exposure(
        external_url="https://home.example.eu",
        cloud_domain="home.example.eu",
        settings=GOOD_HTTP,
    )
    passes(
        "certificate_hostname_mismatch", make_facts(certificate=wrong, exposure=custom)
    )
    by_ip = decide_exposure(
        external_url="https://203.0.113.9", cloud_domain=None, settings=GOOD_HTTP
    )
    ip_cert = make_reading(leaf=make_leaf(ip_addresses=("203.0.113.9",)))
    passes(
        "certificate_hostname_mismatch", make_facts(certificate=ip_cert, exposure=by_ip)
    )
    only("certificate_hostname_mismatch", make_facts(certificate=wrong, exposure=by_ip))


def test_certificate_self_signed() -> None:
    finding = only(
        "certificate_self_signed",
        make_facts(certificate=make_reading(leaf=make_leaf(self_signed=True))),
    )
    assert finding.severity is Severity.LOW
    assert finding.title == "Certificate /ssl/fullchain.pem is self-signed"
    passes("certificate_self_signed", make_facts())


def test_certificate_not_loaded() -> None:
    renewed = make_reading(mtime=NOW - timedelta(hours=1))
    finding = only(
        "certificate_not_loaded",
        make_facts(certificate=renewed, started_at=NOW - timedelta(days=2)),
    )
    assert finding.placeholders == {
        "file": "/ssl/fullchain.pem",
        "changed": "2025-06-01 11:00 UTC",
    }
    assert finding.severity is Severity.MEDIUM
    passes("certificate_not_loaded", make_facts(certificate=renewed, started_at=NOW))
    assert (
        unknown(
            "certificate_not_loaded", make_facts(certificate=make_reading(mtime=None))
        )
        == "the certificate files cannot be read"
    )


@pytest.mark.parametrize(
    ("mode", "fails"),
    [(0o644, True), (0o640, True), (0o604, True), (0o600, False), (0o400, False)],
)
def test_private_key_permissions(mode: int, fails: bool) -> None:
    facts = make_facts(certificate=make_reading(key_mode=mode))
    if fails:
        assert (
            only("private_key_permissions", facts).placeholders["mode"] == f"{mode:04o}"
        )
    else:
        passes("private_key_permissions", facts)


def test_private_key_permissions_unknown() -> None:
    reading = make_reading(key_mode=None)
    reading = replace(
        reading, key_file=replace(reading.key_file, error="the file does not exist")
    )
    assert unknown("private_key_permissions", make_facts(certificate=reading)) == (
        "the private key file cannot be read: the file does not exist"
    )


def test_login_threshold_disabled_rises_when_exposed() -> None:
    off = replace(GOOD_HTTP, login_attempts_threshold=-1)
    exposed = only("login_threshold_disabled", make_facts(http=off))
    assert exposed.severity is Severity.HIGH
    assert exposed.placeholders == {
        "where": where_to_change(off, "login_attempts_threshold")
    }
    assert exposed.key == "http.login_attempts_threshold"
    assert exposed.file == "configuration.yaml"
    local = decide_exposure(
        external_url="https://ha.local", cloud_domain=None, settings=off
    )
    assert only(
        "login_threshold_disabled", make_facts(http=off, exposure=local)
    ).severity is (Severity.MEDIUM)
    passes("login_threshold_disabled", make_facts())


def test_where_to_change_names_the_page_or_the_file() -> None:
    """People are told where they change a setting, never which storage slot it came from."""
    older = (2025, 4)
    page = "[Settings → System → Network](/config/network), **HTTP server**"
    stable = HttpSettings(base=SOURCE_STABLE)
    assert (
        where_to_change(stable, "ip_ban_enabled", older) == f"{page} → **IP banning**"
    )
    assert where_to_change(stable, "server_port", older) == page
    defaults = HttpSettings(base=SOURCE_DEFAULT)
    assert where_to_change(defaults, "trusted_proxies", HTTP_SETTINGS_UI) == (
        f"{page} → **Reverse proxy**"
    )
    assert where_to_change(defaults, "use_x_frame_options", older) == (
        "the `http:` section of `configuration.yaml` (then restart Home Assistant)"
    )
    included = HttpSettings(
        base=SOURCE_YAML,
        locations={
            "cors_allowed_origins": Location(
                file="packages/http.yaml", line=3, key="http.cors_allowed_origins"
            )
        },
    )
    assert where_to_change(included, "cors_allowed_origins", older) == (
        "the `http:` section of `packages/http.yaml` (then restart Home Assistant)"
    )
    # The recovery copy in .storage/http is not where anyone changes a setting.
    recovery = HttpSettings(base=SOURCE_RECOVERY)
    assert "`configuration.yaml`" in where_to_change(recovery, "ssl_profile", older)
    for text in (where_to_change(s, "ssl_profile") for s in (stable, recovery)):
        assert ".storage" not in text
        assert "slot" not in text


def test_ip_ban_disabled_located_in_yaml() -> None:
    where = Location(file="http.yaml", line=4, key="http.ip_ban_enabled")
    http = replace(GOOD_HTTP, ip_ban_enabled=False, locations={"ip_ban_enabled": where})
    finding = only("ip_ban_disabled", make_facts(http=http))
    assert (finding.file, finding.line, finding.key) == (
        "http.yaml",
        4,
        "http.ip_ban_enabled",
    )
    assert finding.severity is Severity.MEDIUM
    assert finding.subject == "http.ip_ban_enabled"
    passes("ip_ban_disabled", make_facts())


def test_trusted_proxies_broad() -> None:
    proxies = (
        ip_network("172.30.33.0/24"),
        ip_network("0.0.0.0/0"),
        ip_network("::/0"),
    )
    broad = replace(GOOD_HTTP, use_x_forwarded_for=True, trusted_proxies=proxies)
    finding = only("trusted_proxies_broad", make_facts(http=broad))
    assert finding.placeholders == {
        "networks": "0.0.0.0/0, ::/0",
        "where": where_to_change(broad, "trusted_proxies"),
    }
    private = replace(broad, trusted_proxies=proxies[:1])
    passes("trusted_proxies_broad", make_facts(http=private))
    unused = replace(broad, use_x_forwarded_for=False)
    assert (
        passes("trusted_proxies_broad", make_facts(http=unused))
        == "X-Forwarded-For is not used"
    )


def test_small_settings() -> None:
    http = replace(
        GOOD_HTTP,
        use_x_frame_options=False,
        cors_allowed_origins=("https://cast.home-assistant.io", "https://evil.example"),
        ssl_profile="intermediate",
    )
    facts = make_facts(http=http)
    assert only("x_frame_options_disabled", facts).severity is Severity.LOW
    cors = only("cors_origins_extra", facts)
    assert cors.placeholders == {
        "origins": "https://evil.example",
        "where": where_to_change(http, "cors_allowed_origins"),
    }
    assert only("ssl_profile_intermediate", facts).severity is Severity.INFO
    for check_id in (
        "x_frame_options_disabled",
        "cors_origins_extra",
        "ssl_profile_intermediate",
    ):
        passes(check_id, make_facts())


@pytest.mark.parametrize(
    ("profile", "reason"),
    [
        ("modern", None),
        # 2026.11: the v6 profiles are current, intermediate_v6 its recommended default.
        ("intermediate_v6", None),
        ("modern_v6", None),
        ("intermediate_v7", None),
        # The v4 profiles: core raises its own repair (ssl_profile_outdated).
        (
            "intermediate_v4",
            "Home Assistant raises its own repair for the outdated intermediate_v4 "
            "profile",
        ),
        (
            "modern_v4",
            "Home Assistant raises its own repair for the outdated modern_v4 profile",
        ),
    ],
)
def test_ssl_profile_of_each_release(profile: str, reason: str | None) -> None:
    facts = make_facts(http=replace(GOOD_HTTP, ssl_profile=profile))
    assert passes("ssl_profile_intermediate", facts) == reason


def test_metrics() -> None:
    assert CERTIFICATE_EXPIRY.name == "certificate_expiry"
    assert expiry(make_facts()) == NOW + timedelta(days=60)


# --- gather through hass -------------------------------------------------------------------


async def _gather(
    hass: HomeAssistant, config_dir: Path
) -> tuple[RemoteAccessFacts, datetime]:
    """Gather every fact the family declares, as a scan does."""
    ctx = ScanContext(hass=hass, config_dir=config_dir, now=dt_util.utcnow())
    needs = {key: None for check in FAMILY_CHECKS for key in check.needs}
    assert set(needs) == {HTTP_SETTINGS, EXPOSURE, CERTIFICATE, PROCESS_STARTED}
    return {key: await ctx.fact(key) for key in needs}, ctx.now


async def test_gather_without_anything(hass: HomeAssistant, config_dir: Path) -> None:
    facts, now = await _gather(hass, config_dir)
    assert facts[CERTIFICATE] is None
    assert facts[HTTP_SETTINGS] == HttpSettings()
    exposure = facts[EXPOSURE]
    assert isinstance(exposure, Exposure)
    assert exposure.exposed is False
    started_at = facts[PROCESS_STARTED]
    assert isinstance(started_at, datetime)
    assert started_at <= dt_util.utcnow()
    findings = run_all(facts, now)
    assert [f.check for f in findings] == ["login_threshold_disabled"]
    assert findings[0].severity is Severity.MEDIUM


async def test_gather_with_an_empty_configuration(
    hass: HomeAssistant, config_dir: Path
) -> None:
    """An empty configuration.yaml (valid for Home Assistant) has no core settings."""
    (config_dir / "configuration.yaml").write_text("")
    facts, _ = await _gather(hass, config_dir)
    exposure = facts[EXPOSURE]
    assert isinstance(exposure, Exposure)
    assert exposure.exposed is False
    assert exposure.url_from_secrets is False


async def test_gather_reads_the_files(hass: HomeAssistant, config_dir: Path) -> None:
    key = rsa_key(1024)
    pair = write_pair(config_dir / "ssl", make_cert(key=key, days=3), key, mode=0o640)
    (config_dir / "configuration.yaml").write_text(
        f"http:\n  ssl_certificate: {pair.cert}\n  ssl_key: {pair.key}\n"
        "  login_attempts_threshold: 5\n"
    )
    await hass.config.async_update(external_url=f"https://{HOST}")
    facts, now = await _gather(hass, config_dir)
    reading = facts[CERTIFICATE]
    assert isinstance(reading, CertificateReading)
    assert reading.leaf is not None
    assert reading.leaf.key_size == 1024
    findings = {f.check: f for f in run_all(facts, now)}
    assert set(findings) == {
        "certificate_unreadable",  # the server refuses a 1024-bit key
        "certificate_expiring",
        "certificate_weak",
        "certificate_self_signed",
        "private_key_permissions",
    }
    assert findings["certificate_expiring"].severity is Severity.HIGH
    assert findings["certificate_unreadable"].file == "ssl/server.crt"
    assert findings["certificate_unreadable"].placeholders["reason"] == (
        "the server refuses it (ee key too small)"
    )
    assert findings["private_key_permissions"].file == "ssl/server.key"
    assert expiry(facts) == reading.leaf.not_after


async def test_gather_notices_a_renewal(hass: HomeAssistant, config_dir: Path) -> None:
    key = ec_key()
    pair = write_pair(config_dir / "ssl", make_cert(key=key), key)
    (config_dir / "configuration.yaml").write_text(
        f"http:\n  ssl_certificate: {pair.cert}\n  ssl_key: {pair.key}\n"
    )
    facts, now = await _gather(hass, config_dir)
    passes("certificate_not_loaded", facts, now=now)
    pair.cert.write_bytes(pair.cert.read_bytes())  # renewed now, after the start
    facts, now = await _gather(hass, config_dir)
    assert only("certificate_not_loaded", facts, now=now).file == "ssl/server.crt"


# --- end to end ----------------------------------------------------------------------------


async def _setup_http_from_yaml(hass: HomeAssistant) -> None:
    config = await async_hass_config_yaml(hass)
    assert await async_setup_component(hass, "http", config)
    await hass.async_block_till_done()


def _family(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    findings = [f for f in report["findings"] if f["family"] == "remote_access"]
    by_check = {f["check"]: f for f in findings}
    assert len(by_check) == len(findings)
    return by_check


async def test_done_when_end_to_end(
    hass: HomeAssistant, config_dir: Path, mock_config_entry: MockConfigEntry
) -> None:
    key = rsa_key()
    cert = make_cert(
        key=key, days=-5, names=("wrong.example.net",), common_name="wrong"
    )
    pair = write_pair(config_dir / "ssl", cert, key, mode=0o644)
    (config_dir / "configuration.yaml").write_text(
        "http:\n"
        f"  ssl_certificate: {pair.cert}\n"
        f"  ssl_key: {pair.key}\n"
        "  ip_ban_enabled: false\n"
        "  use_x_forwarded_for: true\n"
        "  trusted_proxies:\n"
        "    - 0.0.0.0/0\n"
    )
    await hass.config.async_update(external_url="http://ha.example.com:8123")
    await _setup_http_from_yaml(hass)
    await async_setup_integration(hass, mock_config_entry)
    report = await async_scan(hass)
    findings = _family(report)
    assert set(findings) == DONE_WHEN_FINDINGS
    assert findings["login_threshold_disabled"]["severity"] == "high"
    assert findings["certificate_expired"]["severity"] == "critical"
    where = {
        check: (
            findings[check]["file"],
            findings[check]["line"],
            findings[check]["key"],
        )
        for check in ("ip_ban_disabled", "trusted_proxies_broad")
    }
    if RUNNING_RELEASE.migrates_yaml:
        # 2026.8 and later moved the http: block into the store's pending slot, and runs it.
        assert where == {
            "ip_ban_disabled": (".storage/http", None, "data.pending.ip_ban_enabled"),
            "trusted_proxies_broad": (
                ".storage/http",
                None,
                "data.pending.trusted_proxies",
            ),
        }
    else:
        assert where == {
            "ip_ban_disabled": ("configuration.yaml", 4, "http.ip_ban_enabled"),
            "trusted_proxies_broad": ("configuration.yaml", 6, "http.trusted_proxies"),
        }
    statuses = {
        c["check"]: c["status"]
        for c in report["checks"]
        if c["family"] == "remote_access"
    }
    assert set(statuses) == set(CHECKS)
    assert "unknown" not in statuses.values()
    # Never the private key in anything the integration shows.
    body = key_bytes(key).decode().splitlines()[1]
    assert body not in json.dumps(report)
    state = hass.states.get("sensor.security_posture_certificate_expiry")
    assert state is not None
    assert dt_util.parse_datetime(state.state) == cert.not_valid_after_utc


async def test_well_configured_end_to_end(
    hass: HomeAssistant, config_dir: Path, mock_config_entry: MockConfigEntry
) -> None:
    ca_cert, ca_key = private_ca()
    key = ec_key(2)
    leaf = make_cert(key=key, names=(HOST,), issuer=(ca_cert, ca_key), days=80)
    pair = write_pair(config_dir / "ssl", leaf, key, chain=(ca_cert,))
    (config_dir / "configuration.yaml").write_text(
        "http:\n"
        f"  ssl_certificate: {pair.cert}\n"
        f"  ssl_key: {pair.key}\n"
        "  login_attempts_threshold: 5\n"
        "  use_x_forwarded_for: true\n"
        "  trusted_proxies:\n"
        "    - 172.30.33.0/24\n"
    )
    await hass.config.async_update(external_url=f"https://{HOST}")
    await _setup_http_from_yaml(hass)
    await async_setup_integration(hass, mock_config_entry)
    report = await async_scan(hass)
    assert _family(report) == {}
    statuses = {
        c["check"]: c["status"]
        for c in report["checks"]
        if c["family"] == "remote_access"
    }
    assert set(statuses.values()) == {"pass"}
    state = hass.states.get("sensor.security_posture_certificate_expiry")
    assert state is not None
    assert dt_util.parse_datetime(state.state) == leaf.not_valid_after_utc


async def test_no_certificate_end_to_end(
    hass: HomeAssistant, config_dir: Path, mock_config_entry: MockConfigEntry
) -> None:
    await async_setup_integration(hass, mock_config_entry)
    report = await async_scan(hass)
    assert set(_family(report)) == {"login_threshold_disabled"}
    state = hass.states.get("sensor.security_posture_certificate_expiry")
    assert state is not None
    assert state.state == "unknown"


async def test_broken_reader_makes_only_its_checks_unknown(
    hass: HomeAssistant, config_dir: Path, mock_config_entry: MockConfigEntry
) -> None:
    """A fact that cannot be read makes the checks that need it unknown, no others."""
    with patch.object(process, "process_started_at", side_effect=OSError("boom")):
        await async_setup_integration(hass, mock_config_entry)
        report = await async_scan(hass)
    unknown = {
        c["check"]: c["reason"]
        for c in report["checks"]
        if c["family"] == "remote_access" and c["status"] == "unknown"
    }
    assert unknown == {
        "certificate_not_loaded": "could not read when Home Assistant started: OSError"
    }
