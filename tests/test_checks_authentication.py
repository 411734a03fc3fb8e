"""The authentication family: MFA, auth providers, stale tokens, failed logins."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from ipaddress import ip_network
import json
import os
from pathlib import Path
import shutil
from typing import Any
from unittest.mock import MagicMock, patch

from homeassistant.auth import auth_manager_from_config
from homeassistant.auth.const import GROUP_ID_ADMIN, GROUP_ID_USER
from homeassistant.auth.models import TOKEN_TYPE_LONG_LIVED_ACCESS_TOKEN
from homeassistant.components import persistent_notification
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.dispatcher import async_dispatcher_send
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)

from custom_components.security_posture.const import (
    CONF_SSHD_CONFIG,
    EVENT_FAILED_LOGIN,
)
from custom_components.security_posture.diagnostics import (
    async_get_config_entry_diagnostics,
)
from custom_components.security_posture.engine import Facts, ScanContext
from custom_components.security_posture.events import async_announce_failed_logins
from custom_components.security_posture.inspect import (
    auth as auth_reader,
    graph_reader,
    http_settings,
)
from custom_components.security_posture.inspect.auth import (
    AUTH_PROVIDERS,
    FAILED_LOGINS,
    LONG_LIVED_TOKENS,
    USERS,
    FailedLogin,
    FailedLoginKind,
    IpBansUnreadable,
    ProviderInfo,
    TokenInfo,
    UserInfo,
    failed_login_from_notification,
    read_ip_bans,
)
from custom_components.security_posture.inspect.auth_exposure import (
    AUTH_PROVIDERS_USE_SECRETS,
    EXPOSED_IF_KNOWN,
    TRUSTED_PROXIES,
    TrustedProxies,
)
from custom_components.security_posture.inspect.networks import IPNetwork
from custom_components.security_posture.model import Family, Finding, Severity, Status

from .check_runs import async_run, family_checks, run_on, scan_context
from .helpers import (
    COMMON_PLACEHOLDERS,
    async_scan,
    async_setup_integration,
    issue_placeholders_used,
)

NOW = datetime(2025, 6, 15, 12, 0, tzinfo=UTC)
CHECKS = {check.id: check for check in family_checks(Family.AUTHENTICATION)}
# The checks on what `hass.auth`, the files and the notifications say; login_new_source
# reads what the entry's login watcher saw (tests/test_login_new_source.py).
FROM_HASS = sorted(set(CHECKS) - {"login_new_source"})
STRINGS = json.loads(
    (
        Path(__file__).parents[1] / "custom_components/security_posture/strings.json"
    ).read_text()
)


def ctx_for(hass: HomeAssistant, now: datetime = NOW) -> ScanContext:
    return scan_context(hass, now)


def facts(
    *,
    users: tuple[UserInfo, ...] = (),
    providers: tuple[ProviderInfo, ...] = (),
    trusted_proxies: tuple[IPNetwork, ...] = (),
    tokens: tuple[TokenInfo, ...] = (),
    failed_logins: tuple[FailedLogin, ...] = (),
    exposed: bool | None = None,
    secret_proxies: frozenset[IPNetwork] = frozenset(),
    networks_from_secrets: bool = False,
) -> Facts:
    """What the authentication checks see, as the fact providers give it."""
    return Facts(
        {
            USERS: users,
            AUTH_PROVIDERS: providers,
            TRUSTED_PROXIES: TrustedProxies(
                proxies=trusted_proxies, from_secrets=secret_proxies
            ),
            LONG_LIVED_TOKENS: tokens,
            FAILED_LOGINS: failed_logins,
            EXPOSED_IF_KNOWN: exposed,
            AUTH_PROVIDERS_USE_SECRETS: networks_from_secrets,
        },
        now=NOW,
    )


def user(**kwargs: Any) -> UserInfo:
    values: dict[str, Any] = {
        "id": "u1",
        "name": "Alice",
        "is_owner": False,
        "is_admin": False,
        "local_only": False,
        "mfa_modules": (),
    }
    values.update(kwargs)
    return UserInfo(**values)


def trusted(
    *networks: str, bypass: bool = False, id_: str | None = None
) -> ProviderInfo:
    return ProviderInfo(
        type="trusted_networks",
        id=id_,
        name="Trusted Networks",
        trusted_networks=tuple(ip_network(n) for n in networks),
        allow_bypass_login=bypass,
    )


def run(check_id: str, auth_facts: Facts) -> tuple[Status, list[Finding], str | None]:
    status, reason, findings = run_on(check_id, auth_facts)
    return status, findings, reason


async def run_in(
    check_id: str, ctx: ScanContext
) -> tuple[Status, list[Finding], str | None]:
    """Gather what the check needs in `ctx`, then run it."""
    status, reason, findings = await async_run(check_id, ctx)
    return status, findings, reason


def assert_placeholders_match_text(finding: Finding) -> None:
    """The repair text uses exactly the placeholders the hit gives (plus the common ones)."""
    used = issue_placeholders_used(finding.check)
    assert used <= {*finding.placeholders, *COMMON_PLACEHOLDERS}
    assert set(finding.placeholders) <= used


# --- checks on hand-built facts -------------------------------------------------------


@pytest.mark.parametrize(
    ("owner", "admin", "local_only", "exposed", "severity", "role"),
    [
        (True, True, False, False, Severity.HIGH, "owner"),
        (False, True, False, False, Severity.HIGH, "administrator"),
        (False, False, False, False, Severity.LOW, "user"),
        (True, True, False, True, Severity.CRITICAL, "owner"),
        (False, False, False, True, Severity.MEDIUM, "user"),
        (False, True, True, True, Severity.HIGH, "administrator"),
        (False, False, False, None, Severity.LOW, "user"),
    ],
)
def test_mfa_missing_severity(
    hass: HomeAssistant,
    owner: bool,
    admin: bool,
    local_only: bool,
    exposed: bool | None,
    severity: Severity,
    role: str,
) -> None:
    someone = user(is_owner=owner, is_admin=admin, local_only=local_only)
    with_mfa = user(id="u2", name="Bob", is_admin=True, mfa_modules=("totp",))
    status, findings, _ = run(
        "mfa_missing", facts(users=(someone, with_mfa), exposed=exposed)
    )
    assert status is Status.FAIL
    assert [(f.subject, f.severity) for f in findings] == [("u1", severity)]
    assert findings[0].placeholders == {"user": "Alice", "role": role}
    assert_placeholders_match_text(findings[0])


def test_bypass(hass: HomeAssistant) -> None:
    providers = (
        ProviderInfo(type="homeassistant", id=None, name="Home Assistant Local"),
        trusted("192.168.1.0/24", "fd00::/8", bypass=True, id_="lan"),
        trusted("10.0.0.0/8"),
    )
    status, findings, _ = run("trusted_networks_bypass", facts(providers=providers))
    assert status is Status.FAIL
    assert [f.subject for f in findings] == ["auth_provider:trusted_networks:lan"]
    assert findings[0].placeholders == {"networks": "192.168.1.0/24, fd00::/8"}
    assert findings[0].severity is Severity.HIGH
    assert_placeholders_match_text(findings[0])
    status, _, _ = run("trusted_networks_bypass", facts(providers=providers[2:]))
    assert status is Status.PASS


def test_broad_networks_and_proxies(hass: HomeAssistant) -> None:
    provider = trusted("0.0.0.0/0", "203.0.113.0/24", "172.30.32.0/23", "::/0")
    auth_facts = facts(
        providers=(provider, trusted("10.0.0.0/8")),
        trusted_proxies=(ip_network("172.30.33.0/24"), ip_network("fd00::/8")),
    )
    status, findings, _ = run("trusted_networks_broad", auth_facts)
    assert status is Status.FAIL
    got = {f.subject: f for f in findings}
    base = "auth_provider:trusted_networks"
    assert set(got) == {
        f"{base}:network:0.0.0.0/0",
        f"{base}:network:203.0.113.0/24",
        f"{base}:network:::/0",
        f"{base}:proxy:172.30.33.0/24",
        f"{base}:proxy:fd00::/8",
    }
    assert got[f"{base}:network:0.0.0.0/0"].severity is Severity.CRITICAL
    assert (
        "every address on the internet"
        in got[f"{base}:network:0.0.0.0/0"].placeholders["detail"]
    )
    assert got[f"{base}:network:203.0.113.0/24"].severity is Severity.HIGH
    assert (
        "public addresses"
        in got[f"{base}:network:203.0.113.0/24"].placeholders["detail"]
    )
    # A proxy inside several trusted networks is reported once, for the first of them.
    proxy = got[f"{base}:proxy:172.30.33.0/24"]
    assert proxy.placeholders["detail"].startswith(
        "0.0.0.0/0, which contains the trusted proxy"
    )
    assert (
        got[f"{base}:proxy:fd00::/8"].placeholders["detail"].startswith("::/0, which")
    )
    for finding in findings:
        assert_placeholders_match_text(finding)


def test_proxy_inside_private_trusted_network(hass: HomeAssistant) -> None:
    auth_facts = facts(
        providers=(trusted("172.30.32.0/23"),),
        trusted_proxies=(ip_network("172.30.33.0/24"), ip_network("192.168.9.0/24")),
    )
    _, findings, _ = run("trusted_networks_broad", auth_facts)
    assert [f.subject for f in findings] == [
        "auth_provider:trusted_networks:proxy:172.30.33.0/24"
    ]
    assert (
        findings[0]
        .placeholders["detail"]
        .startswith("172.30.32.0/23, which contains the trusted proxy 172.30.33.0/24")
    )


def test_broad_passes_for_local_networks(hass: HomeAssistant) -> None:
    auth_facts = facts(
        providers=(
            ProviderInfo(type="homeassistant", id=None, name="Home Assistant Local"),
            trusted("192.168.1.0/24", "fd00::/8"),
        ),
        trusted_proxies=(ip_network("172.30.33.0/24"),),
    )
    status, findings, _ = run("trusted_networks_broad", auth_facts)
    assert (status, findings) == (Status.PASS, [])


def test_legacy_and_non_standard_providers(hass: HomeAssistant) -> None:
    providers = tuple(
        ProviderInfo(type=t, id=i, name=t)
        for t, i in (
            ("homeassistant", None),
            ("trusted_networks", None),
            ("command_line", None),
            ("legacy_api_password", None),
            ("insecure_example", "test"),
            ("auth_header", None),
        )
    )
    status, findings, _ = run("legacy_auth_provider", facts(providers=providers))
    assert status is Status.FAIL
    assert [(f.subject, f.severity) for f in findings] == [
        ("auth_provider:legacy_api_password", Severity.CRITICAL),
        ("auth_provider:insecure_example:test", Severity.CRITICAL),
        ("auth_provider:auth_header", Severity.MEDIUM),
    ]
    assert findings[0].placeholders["kind"].startswith("deprecated")
    assert findings[2].placeholders["kind"].startswith("not one of")
    for finding in findings:
        assert_placeholders_match_text(finding)


def token(**kwargs: Any) -> TokenInfo:
    values: dict[str, Any] = {
        "id": "t1",
        "client_name": "Grafana",
        "user_id": "u1",
        "user_name": "Alice",
        "created_at": NOW - timedelta(days=400),
    }
    values.update(kwargs)
    return TokenInfo(**values)


def test_token_stale(hass: HomeAssistant) -> None:
    """Old tokens are reported by age, low, whoever owns them: their use is not recorded."""
    tokens = (
        token(id="old"),
        token(id="just_old", created_at=NOW - timedelta(days=181)),
        token(id="young", created_at=NOW - timedelta(days=179)),
        token(id="new", created_at=NOW - timedelta(days=3)),
        token(
            id="admin",
            user_id="a1",
            user_name="Root",
            created_at=NOW - timedelta(days=365),
        ),
    )
    users = (user(), user(id="a1", name="Root", is_admin=True))
    status, findings, _ = run("token_stale", facts(tokens=tokens, users=users))
    assert status is Status.FAIL
    got = {f.subject: f for f in findings}
    assert set(got) == {"old", "just_old", "admin"}
    assert got["old"].placeholders == {
        "token": "Grafana",
        "user": "Alice",
        "created": "2024-05-11",
        "age": "400",
    }
    assert got["just_old"].placeholders["age"] == "181"
    assert {f.severity for f in findings} == {Severity.LOW}  # an admin's too
    assert (
        got["old"].title == 'Long-lived access token "Grafana" of Alice is 400 days old'
    )
    for finding in findings:
        assert "unused" not in finding.title
        assert_placeholders_match_text(finding)


def test_failed_logins(hass: HomeAssistant) -> None:
    recent = (
        FailedLogin(
            kind=FailedLoginKind.BAN,
            ip_address="203.0.113.7",
            at=NOW - timedelta(days=2),
        ),
        FailedLogin(
            kind=FailedLoginKind.BAN,
            ip_address="198.51.100.1",
            at=NOW - timedelta(days=1),
        ),
        FailedLogin(
            kind=FailedLoginKind.BAN,
            ip_address="198.51.100.2",
            at=NOW - timedelta(days=30),
        ),
        FailedLogin(kind=FailedLoginKind.BAN, ip_address="198.51.100.3", at=None),
        FailedLogin(
            kind=FailedLoginKind.FAILED_LOGIN,
            ip_address="192.0.2.4",
            host="scanner.example",
            at=NOW - timedelta(hours=1),
        ),
    )
    status, findings, _ = run("failed_logins", facts(failed_logins=recent))
    assert status is Status.FAIL
    assert [f.subject for f in findings] == ["recent"]
    detail = findings[0].placeholders["detail"]
    assert detail == (
        "2 addresses were banned for too many failed logins in the last 7 days "
        "(latest: 198.51.100.1, 2025-06-14). Home Assistant reports a failed login from "
        "scanner.example (192.0.2.4) on 2025-06-15."
    )
    assert_placeholders_match_text(findings[0])


def test_failed_logins_single_ban_and_bare_notice(hass: HomeAssistant) -> None:
    entries = (
        FailedLogin(
            kind=FailedLoginKind.BAN,
            ip_address="203.0.113.7",
            at=NOW - timedelta(days=2),
        ),
        FailedLogin(
            kind=FailedLoginKind.FAILED_LOGIN,
            ip_address="192.0.2.4",
            host="192.0.2.4",
            at=NOW,
        ),
        FailedLogin(
            kind=FailedLoginKind.FAILED_LOGIN, ip_address=None, host=None, at=NOW
        ),
    )
    _, findings, _ = run("failed_logins", facts(failed_logins=entries))
    assert findings[0].placeholders["detail"] == (
        "1 address was banned for too many failed logins in the last 7 days "
        "(latest: 203.0.113.7, 2025-06-13). "
        "Home Assistant reports a failed login from 192.0.2.4 on 2025-06-15. "
        "Home Assistant reports a failed login from an unknown address on 2025-06-15."
    )


def test_failed_logins_notice_only(hass: HomeAssistant) -> None:
    entries = (
        FailedLogin(kind=FailedLoginKind.FAILED_LOGIN, ip_address="192.0.2.4", at=NOW),
    )
    _, findings, _ = run("failed_logins", facts(failed_logins=entries))
    assert findings[0].placeholders["detail"] == (
        "Home Assistant reports a failed login from 192.0.2.4 on 2025-06-15."
    )


async def test_failed_logins_quiet_or_unreadable(
    hass: HomeAssistant, config_dir: Path
) -> None:
    old = (
        FailedLogin(
            kind=FailedLoginKind.BAN,
            ip_address="203.0.113.7",
            at=NOW - timedelta(days=8),
        ),
    )
    assert run("failed_logins", facts(failed_logins=old))[:2] == (
        Status.PASS,
        [],
    )
    (config_dir / "ip_bans.yaml").write_text("a: [\n")
    status, findings, reason = await run_in("failed_logins", ctx_for(hass))
    assert (status, findings) == (Status.UNKNOWN, [])
    assert reason is not None
    assert reason.startswith("ip_bans.yaml is not valid YAML")


# --- readers --------------------------------------------------------------------------


def test_read_ip_bans(tmp_path: Path) -> None:
    path = tmp_path / "ip_bans.yaml"
    assert read_ip_bans(path) == ()
    path.write_text(
        "203.0.113.7:\n  banned_at: '2025-06-14T10:00:00+00:00'\n"
        "198.51.100.1:\n  banned_at: '2025-06-14T10:00:00'\n"
        "2001:db8::1:\n  banned_at: '2025-06-13 09:00:00+00:00'\n"
        "198.51.100.9:\n  banned_at: not a date\n"
        "198.51.100.10:\n  banned_at: 12\n"
        "198.51.100.11: {}\n"
        "198.51.100.12:\n"
        "198.51.100.13:\n  banned_at: 2025-06-12 08:00:00\n"  # unquoted: YAML gives a datetime
        "not-an-ip:\n  banned_at: '2025-06-14T10:00:00+00:00'\n"
    )
    bans = {b.ip_address: b.at for b in read_ip_bans(path)}
    assert bans == {
        "203.0.113.7": datetime(2025, 6, 14, 10, tzinfo=UTC),
        "198.51.100.1": datetime(2025, 6, 14, 10, tzinfo=UTC),
        "2001:db8::1": datetime(2025, 6, 13, 9, tzinfo=UTC),
        "198.51.100.9": None,
        "198.51.100.10": None,
        "198.51.100.11": None,
        "198.51.100.12": None,
        "198.51.100.13": datetime(2025, 6, 12, 8, tzinfo=UTC),
    }
    path.write_text("")
    assert read_ip_bans(path) == ()


IP_BANS_CANARY = "canary-ban-Zq8"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("a: [\n", "not valid YAML"),
        ("- 1.2.3.4\n", "not a mapping"),
        (b"\xff\xfe\x00", "not valid YAML: not UTF-8 text"),
        (
            f"192.0.2.1:\n  banned_at: [{IP_BANS_CANARY}\n",
            r"^ip_bans\.yaml is not valid YAML at line 3, column 1: ",
        ),
        (
            f"192.0.2.1: !{IP_BANS_CANARY} x\n",
            r"^ip_bans\.yaml is not valid YAML at line 1, column 12: unknown tag$",
        ),
        (
            "192.0.2.1:\n  banned_at: 2024-13-45\n",
            r"^ip_bans\.yaml is not valid YAML: a value cannot be read \(ValueError\)$",
        ),
        ("[" * 2000 + "]" * 2000 + "\n", "not valid YAML: nested too deeply"),
    ],
)
def test_read_ip_bans_garbage(
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    content: str | bytes,
    reason: str,
) -> None:
    caplog.set_level("DEBUG")
    path = tmp_path / "ip_bans.yaml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    with pytest.raises(IpBansUnreadable, match=reason) as caught:
        read_ip_bans(path)
    # Quiet: no log record, and nothing of the file in the reason or its context.
    assert caplog.records == []
    assert IP_BANS_CANARY not in str(caught.value)
    assert caught.value.__cause__ is None


def test_read_ip_bans_recursion(tmp_path: Path) -> None:
    path = tmp_path / "ip_bans.yaml"
    path.write_text("192.0.2.1: {}\n")
    with (
        patch.object(auth_reader, "parse_yaml", side_effect=RecursionError),
        pytest.raises(IpBansUnreadable, match="nested too deeply"),
    ):
        read_ip_bans(path)


def test_read_ip_bans_replaced_after_the_stat(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "ip_bans.yaml"
    path.write_text("192.0.2.1: {}\n")
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    real_open = os.open

    def swapped(file: Any, flags: int, *args: Any) -> int:
        return real_open(fifo if Path(file) == path else file, flags, *args)

    monkeypatch.setattr(os, "open", swapped)
    with pytest.raises(IpBansUnreadable, match="not a regular file"):
        read_ip_bans(path)


def test_read_ip_bans_grown_after_the_stat(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "ip_bans.yaml"
    path.write_text("192.0.2.1: {}\n")
    monkeypatch.setattr(auth_reader, "MAX_IP_BANS_BYTES", 5)
    real_stat = Path.stat

    def small(self: Path, **kwargs: Any) -> os.stat_result:
        result = real_stat(self, **kwargs)
        if self != path:
            return result
        fields = list(result)
        fields[6] = 1  # st_size: the file was 1 byte when looked at
        return os.stat_result(fields)

    monkeypatch.setattr(Path, "stat", small)
    with pytest.raises(IpBansUnreadable, match="larger than 5 bytes"):
        read_ip_bans(path)


def test_read_ip_bans_open_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "ip_bans.yaml"
    path.write_text("192.0.2.1: {}\n")

    def refuse(*args: Any, **kwargs: Any) -> int:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "open", refuse)
    with pytest.raises(
        IpBansUnreadable, match=r"ip_bans\.yaml cannot be read: permission denied"
    ):
        read_ip_bans(path)


def test_read_ip_bans_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(auth_reader, "MAX_IP_BANS_BYTES", 10)
    path = tmp_path / "ip_bans.yaml"
    path.write_text("203.0.113.7:\n  banned_at: '2025-06-14T10:00:00+00:00'\n")
    with pytest.raises(IpBansUnreadable, match="larger than 10 bytes"):
        read_ip_bans(path)


def test_read_ip_bans_fifo(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "ip_bans.yaml")
    with pytest.raises(IpBansUnreadable, match="not a regular file"):
        read_ip_bans(tmp_path / "ip_bans.yaml")


def test_read_ip_bans_below_a_file(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")  # nothing can exist below a file
    assert read_ip_bans(tmp_path / "file" / "ip_bans.yaml") == ()


def test_read_ip_bans_unreadable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "ip_bans.yaml"
    path.write_text("192.0.2.1: {}\n")

    def broken(*args: Any, **kwargs: Any) -> int:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "open", broken)
    with pytest.raises(IpBansUnreadable, match="cannot be read: Input/output error"):
        read_ip_bans(path)


def test_read_ip_bans_kernel_file(tmp_path: Path) -> None:
    (tmp_path / "ip_bans.yaml").symlink_to("/proc/self/status")
    with pytest.raises(IpBansUnreadable, match="is under /proc"):
        read_ip_bans(tmp_path / "ip_bans.yaml")


def test_failed_login_from_notification() -> None:
    at = NOW
    login = failed_login_from_notification(
        "http-login",
        {
            "message": "Login attempt or request with invalid authentication from "
            "scanner.example (203.0.113.7). See the log for details.",
            "created_at": at,
        },
    )
    assert login == FailedLogin(
        kind=FailedLoginKind.FAILED_LOGIN,
        ip_address="203.0.113.7",
        host="scanner.example",
        at=at,
    )
    ban = failed_login_from_notification(
        "ip-ban",
        {"message": "Too many login attempts from 2001:db8::1", "created_at": at},
    )
    assert ban == FailedLogin(kind=FailedLoginKind.BAN, ip_address="2001:db8::1", at=at)
    odd = failed_login_from_notification("http-login", {"message": "something else"})
    assert odd == FailedLogin(
        kind=FailedLoginKind.FAILED_LOGIN, ip_address=None, host=None, at=None
    )
    garbled = failed_login_from_notification(
        "http-login", {"message": "from host (not-an-ip).", "created_at": "yesterday"}
    )
    assert garbled == FailedLogin(
        kind=FailedLoginKind.FAILED_LOGIN, ip_address=None, host="host", at=None
    )
    assert (
        failed_login_from_notification("ip-ban", {"message": "Banning"}).ip_address
        is None
    )  # type: ignore[union-attr]
    assert (
        failed_login_from_notification("other", {"message": "from a (1.2.3.4)"}) is None
    )


# --- gathering from a real hass -------------------------------------------------------


async def use_auth(
    hass: HomeAssistant,
    providers: list[dict[str, Any]] | None = None,
    mfa: bool = True,
) -> None:
    """Give `hass` an auth manager built from configuration, as Home Assistant does."""
    hass.auth = await auth_manager_from_config(
        hass,
        providers or [{"type": "homeassistant"}],
        [{"type": "insecure_example", "data": []}] if mfa else [],
    )


def gather(hass: HomeAssistant, now: datetime | None = None) -> ScanContext:
    """A scan's context: its facts are read from `hass` when first asked for."""
    return ctx_for(hass, now or dt_util.utcnow())


async def test_gather_users_and_mfa(hass: HomeAssistant, config_dir: Path) -> None:
    await use_auth(hass)
    owner = await hass.auth.async_create_user("Owner", group_ids=[GROUP_ID_ADMIN])
    admin = await hass.auth.async_create_user("Admin", group_ids=[GROUP_ID_ADMIN])
    member = await hass.auth.async_create_user(
        "Member", group_ids=[GROUP_ID_USER], local_only=True
    )
    gone = await hass.auth.async_create_user("Gone", group_ids=[GROUP_ID_ADMIN])
    await hass.auth.async_deactivate_user(gone)
    await hass.auth.async_create_system_user("Robot", group_ids=[GROUP_ID_ADMIN])
    await hass.auth.async_enable_user_mfa(admin, "insecure_example", {"pin": "246810"})

    ctx = gather(hass)
    users = await ctx.fact(USERS)
    assert {
        u.name: (u.is_owner, u.is_admin, u.local_only, u.mfa_modules) for u in users
    } == {
        "Owner": (True, True, False, ()),
        "Admin": (False, True, False, ("insecure_example",)),
        "Member": (False, False, True, ()),
    }
    status, findings, _ = await run_in("mfa_missing", ctx)
    assert status is Status.FAIL
    assert {(f.subject, f.severity) for f in findings} == {
        (owner.id, Severity.HIGH),
        (member.id, Severity.LOW),
    }
    assert "246810" not in repr(users)


async def test_gather_exposed_raises_mfa(hass: HomeAssistant, config_dir: Path) -> None:
    await use_auth(hass)
    owner = await hass.auth.async_create_user("Owner")
    await hass.config.async_update(external_url="https://home.example.com")
    ctx = gather(hass)
    assert await ctx.fact(EXPOSED_IF_KNOWN) is True
    _, findings, _ = await run_in("mfa_missing", ctx)
    assert [(f.subject, f.severity) for f in findings] == [
        (owner.id, Severity.CRITICAL)
    ]


async def test_gather_without_exposure_decision(
    hass: HomeAssistant, config_dir: Path
) -> None:
    await use_auth(hass)
    await hass.auth.async_create_user("Owner")
    with patch.object(
        http_settings, "async_read_http_settings", side_effect=RuntimeError("boom")
    ):
        ctx = gather(hass)
        assert await ctx.fact(EXPOSED_IF_KNOWN) is None
        assert (await ctx.fact(TRUSTED_PROXIES)).proxies == ()
        _, findings, _ = await run_in("mfa_missing", ctx)
    assert [f.severity for f in findings] == [Severity.HIGH]


async def test_gather_providers_and_proxies(
    hass: HomeAssistant, config_dir: Path
) -> None:
    (config_dir / "configuration.yaml").write_text(
        "http:\n  use_x_forwarded_for: true\n  trusted_proxies:\n    - 172.30.33.0/24\n"
    )
    await use_auth(
        hass,
        [
            {"type": "homeassistant"},
            {
                "type": "trusted_networks",
                "trusted_networks": ["0.0.0.0/0", "172.30.32.0/23"],
                "allow_bypass_login": True,
            },
            {"type": "command_line", "command": "/bin/true"},
        ],
    )
    ctx = gather(hass)
    assert [p.type for p in await ctx.fact(AUTH_PROVIDERS)] == [
        "homeassistant",
        "trusted_networks",
        "command_line",
    ]
    proxies = await ctx.fact(TRUSTED_PROXIES)
    assert proxies.proxies == (ip_network("172.30.33.0/24"),)
    assert await ctx.fact(EXPOSED_IF_KNOWN) is True  # a reverse proxy is a way in
    bypass = (await run_in("trusted_networks_bypass", ctx))[1]
    assert [f.subject for f in bypass] == ["auth_provider:trusted_networks"]
    assert {f.subject for f in (await run_in("trusted_networks_broad", ctx))[1]} == {
        "auth_provider:trusted_networks:network:0.0.0.0/0",
        "auth_provider:trusted_networks:proxy:172.30.33.0/24",
    }
    assert (await run_in("legacy_auth_provider", ctx))[0] is Status.PASS


async def test_proxies_count_only_with_forwarded_for(
    hass: HomeAssistant, config_dir: Path
) -> None:
    (config_dir / "configuration.yaml").write_text(
        "http:\n  use_x_forwarded_for: false\n  trusted_proxies:\n    - 172.30.33.0/24\n"
    )
    await use_auth(hass)
    assert (await gather(hass).fact(TRUSTED_PROXIES)).proxies == ()


async def test_gather_tokens(hass: HomeAssistant, config_dir: Path) -> None:
    await use_auth(hass)
    now = dt_util.utcnow()
    owner = await hass.auth.async_create_user("Owner")
    member = await hass.auth.async_create_user("Member", group_ids=[GROUP_ID_USER])
    old = await hass.auth.async_create_refresh_token(
        member,
        client_name="Old script",
        token_type=TOKEN_TYPE_LONG_LIVED_ACCESS_TOKEN,
        access_token_expiration=timedelta(days=3650),
    )
    access_token = hass.auth.async_create_access_token(old)
    old.created_at = now - timedelta(days=200)
    owners = await hass.auth.async_create_refresh_token(
        owner,
        client_name="Forgotten",
        token_type=TOKEN_TYPE_LONG_LIVED_ACCESS_TOKEN,
        access_token_expiration=timedelta(days=3650),
    )
    owners.created_at = now - timedelta(days=365)
    fresh = await hass.auth.async_create_refresh_token(
        owner,
        client_name="Dashboard",
        token_type=TOKEN_TYPE_LONG_LIVED_ACCESS_TOKEN,
        access_token_expiration=timedelta(days=3650),
    )
    fresh.created_at = now - timedelta(days=10)
    session = await hass.auth.async_create_refresh_token(
        owner, client_id="https://example.com/"
    )
    session.created_at = now - timedelta(days=400)
    gone = await hass.auth.async_create_user("Gone")
    old_of_gone = await hass.auth.async_create_refresh_token(
        gone,
        client_name="Of a deactivated user",
        token_type=TOKEN_TYPE_LONG_LIVED_ACCESS_TOKEN,
        access_token_expiration=timedelta(days=3650),
    )
    old_of_gone.created_at = now - timedelta(days=400)
    await hass.auth.async_deactivate_user(gone)
    secrets = [old.token, old.jwt_key, owners.token, access_token]

    ctx = gather(hass, now)
    status, findings, _ = await run_in("token_stale", ctx)
    assert status is Status.FAIL
    got = {f.subject: f for f in findings}
    assert set(got) == {old.id, owners.id}
    assert got[old.id].placeholders["user"] == "Member"
    assert got[old.id].placeholders["age"] == "200"
    assert got[owners.id].severity is Severity.LOW  # the owner's too
    assert got[owners.id].placeholders["token"] == "Forgotten"
    # What a revoke needs is findable from the subject.
    assert hass.auth.async_get_refresh_token(old.id) is old
    dump = (
        repr(await ctx.fact(LONG_LIVED_TOKENS))
        + repr(await ctx.fact(USERS))
        + json.dumps([f.as_dict() for f in findings])
        + repr(findings)
    )
    for secret in secrets:
        assert secret not in dump


async def test_long_lived_token_use_is_never_recorded(hass: HomeAssistant) -> None:
    """What the check relies on, in Home Assistant itself: using a long-lived token
    (validating its access token, as every API call does) leaves `last_used_at` at the
    time the token was created, so the age is all that can be told."""
    await use_auth(hass)
    user = await hass.auth.async_create_user("Node-RED")
    refresh = await hass.auth.async_create_refresh_token(
        user,
        client_name="Node-RED",
        token_type=TOKEN_TYPE_LONG_LIVED_ACCESS_TOKEN,
        access_token_expiration=timedelta(days=3650),
    )
    access_token = hass.auth.async_create_access_token(refresh)
    created_use = refresh.last_used_at
    assert created_use is not None
    for _ in range(3):
        assert hass.auth.async_validate_access_token(access_token) is refresh
    assert refresh.last_used_at == created_use


async def test_gather_failed_logins(hass: HomeAssistant, config_dir: Path) -> None:
    await use_auth(hass)
    now = dt_util.utcnow()
    (config_dir / "ip_bans.yaml").write_text(
        f"203.0.113.7:\n  banned_at: '{(now - timedelta(days=1)).isoformat()}'\n"
        f"198.51.100.1:\n  banned_at: '{(now - timedelta(days=60)).isoformat()}'\n"
    )
    persistent_notification.async_create(
        hass,
        "Login attempt or request with invalid authentication from "
        "scanner.example (192.0.2.4). See the log for details.",
        "Login attempt failed",
        "http-login",
    )
    ctx = gather(hass, now)
    status, findings, _ = await run_in("failed_logins", ctx)
    assert status is Status.FAIL
    detail = findings[0].placeholders["detail"]
    assert "1 address was banned" in detail
    assert "203.0.113.7" in detail
    assert "198.51.100.1" not in detail
    assert "scanner.example (192.0.2.4)" in detail


async def test_gather_failed_logins_unreadable(
    hass: HomeAssistant, config_dir: Path
) -> None:
    await use_auth(hass)
    (config_dir / "ip_bans.yaml").write_text("- just a list\n")
    ctx = gather(hass)
    status, _, reason = await run_in("failed_logins", ctx)
    assert status is Status.UNKNOWN
    assert reason == "ip_bans.yaml is not a mapping of addresses"
    # The other checks still run.
    assert (await run_in("mfa_missing", ctx))[0] is Status.PASS


async def test_quiet_instance_passes(hass: HomeAssistant, config_dir: Path) -> None:
    await use_auth(hass)
    owner = await hass.auth.async_create_user("Owner")
    await hass.auth.async_enable_user_mfa(owner, "insecure_example", {"pin": "1"})
    hass.data["persistent_notification"] = {"http-login": "garbled"}
    ctx = gather(hass)
    for check_id in FROM_HASS:
        status, findings, _ = await run_in(check_id, ctx)
        assert (check_id, status, findings) == (check_id, Status.PASS, [])


async def test_empty_configuration_leaves_the_checks_running(
    hass: HomeAssistant, config_dir: Path
) -> None:
    """An empty configuration.yaml has no auth providers in it: nothing of theirs comes
    from secrets.yaml, and every check runs."""
    (config_dir / "configuration.yaml").write_text("")
    await use_auth(hass)
    await hass.auth.async_create_user("Owner")
    ctx = gather(hass)
    assert await ctx.fact(AUTH_PROVIDERS_USE_SECRETS) is False
    for check_id in FROM_HASS:
        status, _, reason = await run_in(check_id, ctx)
        assert status is not Status.UNKNOWN, (check_id, reason)


async def test_unreadable_configuration_hides_no_network(
    hass: HomeAssistant, config_dir: Path
) -> None:
    """Without the configuration graph nothing says the networks came from secrets.yaml:
    they are shown, and the checks run."""
    await use_auth(
        hass,
        [
            {"type": "homeassistant"},
            {
                "type": "trusted_networks",
                "trusted_networks": ["0.0.0.0/0"],
                "allow_bypass_login": True,
            },
        ],
    )
    with patch.object(
        graph_reader, "read_config_graph", side_effect=RuntimeError("boom")
    ):
        ctx = gather(hass)
        assert await ctx.fact(AUTH_PROVIDERS_USE_SECRETS) is False
        status, findings, _ = await run_in("trusted_networks_bypass", ctx)
    assert status is Status.FAIL
    assert findings[0].placeholders == {"networks": "0.0.0.0/0"}


async def test_no_notifications_store(hass: HomeAssistant, config_dir: Path) -> None:
    await use_auth(hass)
    hass.data["persistent_notification"] = "garbled"
    assert await gather(hass).fact(FAILED_LOGINS) == ()


# --- the failed-login event -----------------------------------------------------------


async def test_failed_logins_are_re_emitted_once(hass: HomeAssistant) -> None:
    assert FAILED_LOGINS.listen is not None
    rescan = MagicMock()
    events = async_capture_events(hass, EVENT_FAILED_LOGIN)
    stop_announcing = async_announce_failed_logins(hass)
    stop_listening = FAILED_LOGINS.listen(hass, rescan)

    persistent_notification.async_create(
        hass,
        "Login attempt or request with invalid authentication from "
        "scanner.example (203.0.113.7). See the log for details.",
        "Login attempt failed",
        "http-login",
    )
    await hass.async_block_till_done()
    assert len(events) == 1
    data = events[0].data
    assert data["kind"] == "failed_login"
    assert type(data["kind"]) is str  # the bus carries the value, not the enum
    assert data["ip_address"] == "203.0.113.7"
    assert data["host"] == "scanner.example"
    assert dt_util.parse_datetime(data["at"]) is not None
    assert rescan.call_count == 1

    # The same notification dispatched again (for example as an update) is not re-fired.
    notifications = hass.data["persistent_notification"]
    async_dispatcher_send(
        hass,
        persistent_notification.SIGNAL_PERSISTENT_NOTIFICATIONS_UPDATED,
        persistent_notification.UpdateType.UPDATED,
        {"http-login": notifications["http-login"]},
    )
    await hass.async_block_till_done()
    assert len(events) == 1

    # A second failed login is a new notification (a new time): fired.
    persistent_notification.async_create(
        hass,
        "Login attempt or request with invalid authentication from "
        "198.51.100.1 (198.51.100.1). See the log for details.",
        "Login attempt failed",
        "http-login",
    )
    persistent_notification.async_create(
        hass,
        "Too many login attempts from 198.51.100.1",
        "Banning IP address",
        "ip-ban",
    )
    persistent_notification.async_create(hass, "Something else", "Other", "other")
    persistent_notification.async_dismiss(hass, "ip-ban")
    await hass.async_block_till_done()
    assert [(e.data["kind"], e.data["ip_address"]) for e in events] == [
        ("failed_login", "203.0.113.7"),
        ("failed_login", "198.51.100.1"),
        ("ban", "198.51.100.1"),
    ]
    assert rescan.call_count == 3

    stop_announcing()
    stop_listening()
    persistent_notification.async_create(
        hass, "Too many login attempts from 192.0.2.1", "Banning IP address", "ip-ban"
    )
    await hass.async_block_till_done()
    assert len(events) == 3
    assert rescan.call_count == 3


async def test_event_without_time(hass: HomeAssistant) -> None:
    events = async_capture_events(hass, EVENT_FAILED_LOGIN)
    unsubscribe = async_announce_failed_logins(hass)
    async_dispatcher_send(
        hass,
        persistent_notification.SIGNAL_PERSISTENT_NOTIFICATIONS_UPDATED,
        persistent_notification.UpdateType.ADDED,
        {
            "ip-ban": {
                "message": "Too many login attempts from 192.0.2.1",
                "notification_id": "ip-ban",
            }
        },
    )
    await hass.async_block_till_done()
    assert [e.data for e in events] == [
        {"kind": "ban", "ip_address": "192.0.2.1", "host": None, "at": None}
    ]
    unsubscribe()


# --- end to end through hass -----------------------------------------------------------

FAMILIES = {"authentication", "host"}
OWNER_PASSWORD = "Correct-Horse-Battery-Staple-42"
MFA_PIN = "918273"


async def setup_instance(
    hass: HomeAssistant, providers: list[dict[str, Any]], *, mfa: bool
) -> list[str]:
    """An owner with a password (and the MFA pin when `mfa`); returns the secrets to hunt."""
    await use_auth(hass, providers)
    provider = hass.auth.get_auth_provider("homeassistant", None)
    assert provider is not None
    await provider.async_add_auth("owner", OWNER_PASSWORD)  # type: ignore[attr-defined]
    credentials = await provider.async_get_or_create_credentials({"username": "owner"})
    owner = await hass.auth.async_create_user("Owner", group_ids=[GROUP_ID_ADMIN])
    await hass.auth.async_link_user(owner, credentials)
    if mfa:
        await hass.auth.async_enable_user_mfa(
            owner, "insecure_example", {"pin": MFA_PIN}
        )
    token = await hass.auth.async_create_refresh_token(
        owner,
        client_name="Node-RED",
        token_type=TOKEN_TYPE_LONG_LIVED_ACCESS_TOKEN,
        access_token_expiration=timedelta(days=3650),
    )
    return [
        OWNER_PASSWORD,
        MFA_PIN,
        token.token,
        token.jwt_key,
        hass.auth.async_create_access_token(token),
    ]


async def everything_exposed(hass: HomeAssistant, entry: Any, events: list[Any]) -> str:
    """All the integration shows: report, diagnostics, issues, states and events."""
    report = await async_scan(hass)
    diagnostics = await async_get_config_entry_diagnostics(hass, entry)
    issues = [
        (i.issue_id, i.translation_key, i.translation_placeholders, i.learn_more_url)
        for i in ir.async_get(hass).issues.values()
    ]
    states = [
        (s.entity_id, s.state, dict(s.attributes)) for s in hass.states.async_all()
    ]
    return json.dumps(
        [report, diagnostics, issues, states, [e.data for e in events]], default=str
    )


async def test_end_to_end_insecure_instance(
    hass: HomeAssistant,
    config_dir: Path,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level("DEBUG", logger="custom_components.security_posture")
    secrets = await setup_instance(
        hass,
        [
            {"type": "homeassistant"},
            {
                "type": "trusted_networks",
                "trusted_networks": ["0.0.0.0/0"],
                "allow_bypass_login": True,
            },
        ],
        mfa=False,
    )
    sshd = tmp_path / "ssh"
    shutil.copytree(Path(__file__).parent / "fixtures" / "sshd" / "root_login", sshd)
    entry = MockConfigEntry(
        domain="security_posture",
        title="Security Posture",
        data={},
        options={CONF_SSHD_CONFIG: str(sshd / "sshd_config")},
    )
    events = async_capture_events(hass, "security_posture_finding")
    await async_setup_integration(hass, entry)
    report = await async_scan(hass)

    owner = next(u for u in await hass.auth.async_get_users() if u.name == "Owner")
    ours = sorted(
        (f["check"], f["subject"], f["severity"])
        for f in report["findings"]
        if f["family"] in FAMILIES
    )
    assert ours == sorted(
        [
            ("mfa_missing", owner.id, "high"),
            ("trusted_networks_bypass", "auth_provider:trusted_networks", "high"),
            (
                "trusted_networks_broad",
                "auth_provider:trusted_networks:network:0.0.0.0/0",
                "critical",
            ),
            ("ssh_root_login", str(sshd / "sshd_config"), "high"),
        ]
    )
    statuses = {
        c["check"]: c["status"] for c in report["checks"] if c["family"] in FAMILIES
    }
    assert statuses["addon_unprotected"] == "pass"
    assert statuses["ssh_password_auth"] == "pass"
    assert "unknown" not in statuses.values()

    exposed = await everything_exposed(hass, entry, events)
    assert "Owner" in exposed  # the user is named ...
    for secret in secrets:  # ... but no password, pin, token or key appears anywhere
        assert secret not in exposed
        assert secret not in caplog.text


async def test_end_to_end_tidy_instance(
    hass: HomeAssistant, config_dir: Path, tmp_path: Path
) -> None:
    secrets = await setup_instance(
        hass,
        [
            {"type": "homeassistant"},
            {"type": "trusted_networks", "trusted_networks": ["192.168.1.0/24"]},
        ],
        mfa=True,
    )
    sshd = tmp_path / "ssh"
    shutil.copytree(Path(__file__).parent / "fixtures" / "sshd" / "tidy", sshd)
    entry = MockConfigEntry(
        domain="security_posture",
        title="Security Posture",
        data={},
        options={CONF_SSHD_CONFIG: str(sshd / "sshd_config")},
    )
    await async_setup_integration(hass, entry)
    report = await async_scan(hass)
    assert [f for f in report["findings"] if f["family"] in FAMILIES] == []
    statuses = {
        c["check"]: c["status"] for c in report["checks"] if c["family"] in FAMILIES
    }
    assert set(statuses.values()) == {"pass"}
    assert len(statuses) == 12  # login_new_source among them
    exposed = json.dumps(report)
    for secret in secrets:
        assert secret not in exposed
