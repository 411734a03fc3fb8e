"""The effective HTTP settings on every release: YAML, `.storage/http` 1 to 3, the server.

The pure parts are tested for each release's behaviour (`release_of`); the parts through a
real `hass` assert what the release under test (2025.4.4 on the floor, 2026.10.4 on the
newest end) really does: on 2026.8 and later `http` moves the YAML into the pending slot of
its store and runs that.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from ipaddress import ip_network
import json
from pathlib import Path
import re
from types import SimpleNamespace
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest

from custom_components.security_posture.engine import ScanContext
from custom_components.security_posture.inspect import http_settings
from custom_components.security_posture.inspect.http_settings import (
    DEFAULT_CORS,
    RUNNING_RELEASE,
    SOURCE_DEFAULT,
    SOURCE_PENDING,
    SOURCE_RECOVERY,
    SOURCE_SERVER,
    SOURCE_STABLE,
    SOURCE_YAML,
    HttpRelease,
    HttpSettings,
    LiveSlot,
    Location,
    StorageUnreadable,
    async_get_http_settings,
    async_read_http_settings,
    is_broad_network,
    live_store_slot,
    parse_storage,
    read_storage,
    release_of,
    resolve,
    server_values,
    settings_from_mapping,
    tls_profile,
)
from custom_components.security_posture.model import Family

from .remote_access_certs import ec_key, make_cert, write_pair

# The releases whose behaviour differs (see the module under test).
R2025_4 = release_of(2025, 4)  # YAML; .storage/http 1 is the recovery copy
R2026_8 = release_of(2026, 8)  # .storage/http 2: stable/pending, YAML moved once
R2026_11 = release_of(2026, 11)  # .storage/http 3: versioned TLS profiles
MIGRATING = RUNNING_RELEASE.migrates_yaml  # the release these tests run on

STABLE = {
    "server_port": 8123,
    "cors_allowed_origins": ["https://cast.home-assistant.io"],
    "use_x_forwarded_for": True,
    "trusted_proxies": ["172.30.33.0/24"],
    "login_attempts_threshold": 5,
    "ip_ban_enabled": True,
    "ssl_profile": "modern",
    "use_x_frame_options": True,
    "created_at": "2026-08-10T10:00:00+00:00",
    "error": None,
    "error_message": None,
}
PENDING = {**STABLE, "trusted_proxies": ["0.0.0.0/0"], "ip_ban_enabled": False}


def _v2(
    *,
    pending: dict[str, Any] | None = None,
    done: bool = True,
    version: int = 2,
    minor: int = 2,
) -> dict[str, Any]:
    return {
        "version": version,
        "minor_version": minor,
        "key": "http",
        "data": {"stable": STABLE, "pending": pending, "yaml_migration_done": done},
    }


def _v3(stable: dict[str, Any], pending: dict[str, Any] | None) -> dict[str, Any]:
    """A store as 2026.11 writes it."""
    return {
        "version": 3,
        "minor_version": 1,
        "key": "http",
        "data": {"stable": stable, "pending": pending, "yaml_migration_done": True},
    }


def _v1(data: dict[str, Any]) -> dict[str, Any]:
    return {"version": 1, "minor_version": 1, "key": "http", "data": data}


def _write_store(config_dir: Path, content: Any) -> None:
    (config_dir / ".storage").mkdir(exist_ok=True)
    (config_dir / ".storage" / "http").write_text(json.dumps(content))


class Notes:
    """Collects what the reader could not read."""

    def __init__(self) -> None:
        self.items: list[tuple[str, str | None]] = []

    def __call__(self, reason: str, file: str | None) -> None:
        self.items.append((reason, file))


# --- pure parts ----------------------------------------------------------------------------


def test_releases() -> None:
    assert (R2025_4.migrates_yaml, R2025_4.versioned_profiles) == (False, False)
    assert release_of(2026, 7) == R2025_4
    assert (R2026_8.migrates_yaml, R2026_8.versioned_profiles) == (True, False)
    assert release_of(2026, 10) == R2026_8
    assert (R2026_11.migrates_yaml, R2026_11.versioned_profiles) == (True, True)
    assert release_of(2027, 1) == R2026_11
    assert R2025_4.default_profile == R2026_8.default_profile == "modern"
    assert R2026_11.default_profile == "intermediate_v6"


@pytest.mark.parametrize(
    ("name", "kind", "guideline", "versioned", "outdated"),
    [
        ("modern", "modern", 4, False, False),
        ("intermediate", "intermediate", 4, False, False),
        ("modern_v4", "modern", 4, True, True),
        ("intermediate_v4", "intermediate", 4, True, True),
        ("modern_v6", "modern", 6, True, False),
        ("intermediate_v6", "intermediate", 6, True, False),
        ("intermediate_v7", "intermediate", 7, True, False),  # a newer guideline
        ("old_v5", None, None, False, False),
        ("modern_v", None, None, False, False),
        ("modern_vx", None, None, False, False),
        ("modern_v1234", None, None, False, False),
        ("ancient", None, None, False, False),
    ],
)
def test_tls_profile(
    name: str, kind: str | None, guideline: int | None, versioned: bool, outdated: bool
) -> None:
    profile = tls_profile(name)
    assert (profile.name, profile.kind, profile.guideline) == (name, kind, guideline)
    assert (profile.versioned, profile.outdated) == (versioned, outdated)


def test_defaults_count() -> None:
    settings = HttpSettings()
    assert settings.login_attempts_threshold == -1
    assert settings.login_threshold_enabled is False
    assert settings.ip_ban_enabled is True
    assert settings.use_x_frame_options is True
    assert settings.ssl_profile == RUNNING_RELEASE.default_profile
    assert settings.cors_allowed_origins == DEFAULT_CORS
    assert settings.reverse_proxy is False
    assert settings.source == SOURCE_DEFAULT
    assert settings.location("ip_ban_enabled") == Location(
        file="configuration.yaml", line=None, key="http.ip_ban_enabled"
    )
    for release in (R2025_4, R2026_8, R2026_11):
        defaults = resolve(
            stored=None,
            yaml_block=None,
            yaml_where={},
            recovery_mode=False,
            release=release,
        )
        assert defaults == replace(HttpSettings(), ssl_profile=release.default_profile)


def test_settings_from_mapping_coerces_loosely() -> None:
    settings = settings_from_mapping(
        {
            "ssl_certificate": "/ssl/fullchain.pem",
            "ssl_key": ["not", "a", "path"],
            "ssl_profile": "ancient",
            "server_port": "8443",
            "cors_allowed_origins": "https://example.com",
            "use_x_forwarded_for": "yes",
            "trusted_proxies": ["10.0.0.0/8", "192.168.1.10", "nonsense", "10.1.2.3/8"],
            "login_attempts_threshold": True,
            "ip_ban_enabled": "maybe",
            "use_x_frame_options": "off",
            "base_url": "ignored",
        },
        base=SOURCE_YAML,
        release=R2025_4,
    )
    assert settings.ssl_certificate == "/ssl/fullchain.pem"
    assert settings.ssl_key is None
    assert settings.ssl_profile == "modern"
    assert settings.server_port == 8443
    assert settings.cors_allowed_origins == ("https://example.com",)
    assert settings.use_x_forwarded_for is True
    assert settings.trusted_proxies == (
        ip_network("10.0.0.0/8"),
        ip_network("192.168.1.10/32"),
        ip_network("10.0.0.0/8"),
    )
    assert settings.login_attempts_threshold == -1
    assert settings.ip_ban_enabled is True
    assert settings.use_x_frame_options is False
    assert settings.reverse_proxy is True
    assert settings.remarks == ("ignored 1 trusted proxies that are not networks",)
    assert (
        settings_from_mapping({"server_port": "x"}, base=SOURCE_YAML).server_port
        == 8123
    )


CERT = {"ssl_certificate": "/ssl/fullchain.pem"}


@pytest.mark.parametrize(
    ("conf", "release", "profile"),
    [
        # Up to 2026.10 the names are unversioned; a newer release's names are kept.
        ({}, R2025_4, "modern"),
        ({"ssl_profile": "intermediate"}, R2025_4, "intermediate"),
        ({"ssl_profile": "intermediate", **CERT}, R2026_8, "intermediate"),
        ({"ssl_profile": 4}, R2026_8, "modern"),
        ({"ssl_profile": "modern_v6", **CERT}, R2026_8, "modern_v6"),
        # 2026.11 migrates the old names to the v4 profiles they meant, with a certificate.
        ({**CERT}, R2026_11, "modern_v4"),
        ({"ssl_profile": "modern", **CERT}, R2026_11, "modern_v4"),
        ({"ssl_profile": "intermediate", **CERT}, R2026_11, "intermediate_v4"),
        # ... and to the default without one (the profile is not in use).
        ({}, R2026_11, "intermediate_v6"),
        ({"ssl_profile": "intermediate"}, R2026_11, "intermediate_v6"),
        # Versioned names are what they say.
        ({"ssl_profile": "intermediate_v4", **CERT}, R2026_11, "intermediate_v4"),
        ({"ssl_profile": "modern_v6"}, R2026_11, "modern_v6"),
        ({"ssl_profile": "modern_v9", **CERT}, R2026_11, "modern_v9"),
    ],
)
def test_profile_as_each_release_reads_it(
    conf: dict[str, Any], release: HttpRelease, profile: str
) -> None:
    settings = settings_from_mapping(conf, base=SOURCE_STABLE, release=release)
    assert settings.ssl_profile == profile


def test_parse_storage_layouts() -> None:
    stored = parse_storage(_v2(pending=PENDING))
    assert stored.migrated_layout is True
    assert stored.version == 2
    assert stored.stable == STABLE
    assert stored.pending == PENDING
    assert stored.pending_error is None
    assert stored.yaml_migration_done is True
    assert stored.remark is None
    assert parse_storage(_v2(pending=None, done=False)).yaml_migration_done is False
    # 2.1 (2026.8 betas) has no metadata in its slots.
    bare = {k: v for k, v in PENDING.items() if k not in ("created_at", "error")}
    assert parse_storage(_v2(pending=bare, minor=1)).pending_error is None
    failed = parse_storage(_v2(pending={**PENDING, "error": "not_promoted"}))
    assert failed.pending_error == "not_promoted"
    v3 = parse_storage(_v3({**STABLE, "ssl_profile": "modern_v4"}, None))
    assert (v3.version, v3.migrated_layout, v3.pending, v3.remark) == (
        3,
        True,
        None,
        None,
    )
    old = parse_storage(_v1({"ip_ban_enabled": False}))
    assert old.migrated_layout is False
    assert old.recovery == {"ip_ban_enabled": False}
    assert old.pending_error is None
    for bad in ([], {"data": []}, {"version": 1}):
        with pytest.raises(StorageUnreadable, match="no data"):
            parse_storage(bad)
    for version in (2, 3):
        with pytest.raises(
            StorageUnreadable,
            match=f"^version {version} without a stable slot; the file is ignored$",
        ):
            parse_storage({"version": version, "data": {"ip_ban_enabled": False}})


@pytest.mark.parametrize("version", [0, -2])
def test_parse_storage_version_too_old(version: int) -> None:
    raw = {"version": version, "key": "http", "data": {"ip_ban_enabled": False}}
    with pytest.raises(
        StorageUnreadable,
        match=rf"^version {version} is not one this integration knows \(1, 2, 3\); "
        "the file is ignored$",
    ):
        parse_storage(raw)


def test_parse_storage_version_not_a_number() -> None:
    raw = {"version": "x9", "key": "http", "data": {"ip_ban_enabled": False}}
    assert parse_storage(raw).recovery == {"ip_ban_enabled": False}  # read as version 1


NEWER = (
    "version 4 is newer than this integration knows (up to 3); it is read for the "
    "settings it knows"
)


def test_parse_storage_newer_version() -> None:
    # Slots as today: read, with a remark; unknown keys and slots are left alone.
    raw = _v2(pending=PENDING, version=4, minor=1)
    raw["data"]["candidates"] = [{"ip_ban_enabled": True}]
    stored = parse_storage(raw)
    assert (stored.version, stored.stable, stored.pending) == (4, STABLE, PENDING)
    assert stored.remark == NEWER
    # No slots, but settings it knows at the top: they are the configuration.
    flat = parse_storage({"version": 4, "data": {"ip_ban_enabled": False, "new": 1}})
    assert flat.stable == {"ip_ban_enabled": False, "new": 1}
    assert flat.yaml_migration_done is True
    assert flat.remark == NEWER
    # Nothing it knows: ignored, saying why.
    with pytest.raises(
        StorageUnreadable,
        match=r"^version 4 is newer than this integration knows \(up to 3\) and holds "
        "no setting it knows; the file is ignored$",
    ):
        parse_storage({"version": 4, "data": {"layouts": {"ip_ban_enabled": False}}})


@pytest.mark.parametrize(
    ("content", "newer"),
    [
        (_v2(pending=None, version=7), True),
        ({"version": 7, "data": {"layouts": {}}}, False),
    ],
)
async def test_newer_store_never_takes_the_family_down(
    hass: HomeAssistant, config_dir: Path, content: dict[str, Any], newer: bool
) -> None:
    (config_dir / "configuration.yaml").write_text("http:\n  ip_ban_enabled: false\n")
    _write_store(config_dir, content)
    notes = Notes()
    settings = await async_read_http_settings(hass, config_dir, notes, release=R2026_8)
    (reason, file), *_ = notes.items
    assert file == ".storage/http"
    assert "version 7 is newer than this integration knows (up to 3)" in reason
    if newer:  # the stable slot, the YAML ignored
        assert settings.base == SOURCE_STABLE
        assert settings.ip_ban_enabled is True
        assert settings.login_attempts_threshold == 5
    else:  # nothing to read there: as without a store, the YAML about to be moved
        assert settings.base == SOURCE_YAML
        assert settings.ip_ban_enabled is False


async def test_unknown_store_version_is_ignored_with_a_note(
    hass: HomeAssistant, config_dir: Path
) -> None:
    (config_dir / "configuration.yaml").write_text("http:\n  ip_ban_enabled: true\n")
    _write_store(
        config_dir,
        {"version": 0, "key": "http", "data": {"stable": {"ip_ban_enabled": False}}},
    )
    hass.config.recovery_mode = True  # a version 1 copy would be used now
    notes = Notes()
    settings = await async_read_http_settings(hass, config_dir, notes, release=R2025_4)
    assert settings.base == SOURCE_YAML
    assert settings.ip_ban_enabled is True
    assert notes.items == [
        (
            "cannot read the HTTP settings store: version 0 is not one this "
            "integration knows (1, 2, 3); the file is ignored",
            ".storage/http",
        )
    ]


def test_read_storage(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert read_storage(tmp_path) is None
    _write_store(tmp_path, _v2())
    stored = read_storage(tmp_path)
    assert stored is not None
    assert stored.stable == STABLE
    (tmp_path / ".storage" / "http").write_text("{not json")
    with pytest.raises(StorageUnreadable, match="not valid JSON"):
        read_storage(tmp_path)
    monkeypatch.setattr(http_settings, "MAX_STORAGE_BYTES", 3)
    with pytest.raises(StorageUnreadable, match="too large"):
        read_storage(tmp_path)
    monkeypatch.undo()

    def deny(*args: Any, **kwargs: Any) -> Any:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", deny)
    with pytest.raises(StorageUnreadable, match="Permission denied"):
        read_storage(tmp_path)


# 2025.4 - 2026.7: the YAML is the configuration.


@pytest.mark.parametrize(
    "content", [_v1(PENDING), _v2(pending=PENDING), _v3(PENDING, None)]
)
def test_resolve_yaml_releases(content: dict[str, Any]) -> None:
    where = {
        "ip_ban_enabled": Location(file="http.yaml", line=3, key="http.ip_ban_enabled")
    }
    # Whatever the store holds (a v2 or v3 one is left from a newer release): the YAML.
    settings = resolve(
        stored=parse_storage(content),
        yaml_block={"ip_ban_enabled": False},
        yaml_where=where,
        recovery_mode=False,
        release=R2025_4,
    )
    assert settings.base == SOURCE_YAML
    assert settings.ip_ban_enabled is False
    assert settings.trusted_proxies == ()  # the store is not in effect
    assert settings.remarks == ()
    assert settings.location("ip_ban_enabled") == where["ip_ban_enabled"]
    assert settings.location("ssl_profile").key == "http.ssl_profile"
    assert resolve(
        stored=None,
        yaml_block=None,
        yaml_where={},
        recovery_mode=False,
        release=R2025_4,
    ) == replace(HttpSettings(), ssl_profile="modern")


def test_resolve_recovery_copy() -> None:
    settings = resolve(
        stored=parse_storage(
            _v1({"ip_ban_enabled": False, "trusted_proxies": ["0.0.0.0"]})  # noqa: S104
        ),
        yaml_block={"ip_ban_enabled": True},
        yaml_where={},
        recovery_mode=True,
        release=R2025_4,
    )
    assert settings.base == SOURCE_RECOVERY
    assert settings.ip_ban_enabled is False
    assert settings.trusted_proxies == (ip_network("0.0.0.0/32"),)
    assert settings.location("ip_ban_enabled") == Location(
        file=".storage/http", line=None, key="data.ip_ban_enabled"
    )
    assert "recovery mode" in settings.remarks[0]


# 2026.8 and later: the stored slots, as the start applies them.


@pytest.mark.parametrize("release", [R2026_8, R2026_11])
def test_resolve_stored_slots(release: HttpRelease) -> None:
    yaml_block = {"ip_ban_enabled": True, "login_attempts_threshold": 9}
    # Migration done: the pending slot is on trial, the YAML is ignored.
    settings = resolve(
        stored=parse_storage(_v2(pending=PENDING)),
        yaml_block=yaml_block,
        yaml_where={},
        recovery_mode=False,
        release=release,
    )
    assert settings.base == SOURCE_PENDING
    assert settings.ip_ban_enabled is False
    assert settings.trusted_proxies == (ip_network("0.0.0.0/0"),)
    assert settings.login_attempts_threshold == 5
    assert settings.location("ip_ban_enabled") == Location(
        file=".storage/http", line=None, key="data.pending.ip_ban_enabled"
    )
    assert settings.remarks == (
        "the http: block in configuration.yaml is ignored: Home Assistant moved it "
        "into .storage/http",
        "a new configuration is on trial: unless an owner confirms it, Home Assistant "
        "restores the stable one",
    )
    # No pending slot: stable.
    settings = resolve(
        stored=parse_storage(_v2()),
        yaml_block=None,
        yaml_where={},
        recovery_mode=False,
        release=release,
    )
    assert settings.base == SOURCE_STABLE
    assert settings.ip_ban_enabled is True
    assert settings.remarks == ()
    assert settings.location("ssl_profile").key == "data.stable.ssl_profile"
    # Recovery mode always uses stable.
    settings = resolve(
        stored=parse_storage(_v2(pending=PENDING)),
        yaml_block=None,
        yaml_where={},
        recovery_mode=True,
        release=release,
    )
    assert settings.base == SOURCE_STABLE
    assert settings.ip_ban_enabled is True


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        ("not_promoted", "no owner confirmed it in time"),
        ("apply_failed", "it could not be applied"),
        ("a_new_code", "a_new_code"),
    ],
)
def test_resolve_failed_trial(error: str, reason: str) -> None:
    # A pending slot whose trial failed is never applied again: stable runs.
    settings = resolve(
        stored=parse_storage(_v2(pending={**PENDING, "error": error})),
        yaml_block=None,
        yaml_where={},
        recovery_mode=False,
        release=R2026_8,
    )
    assert settings.base == SOURCE_STABLE
    assert settings.ip_ban_enabled is True
    assert settings.remarks == (f"the pending configuration is not applied: {reason}",)


def test_resolve_yaml_not_moved() -> None:
    # The flag is not set while YAML is there: the move failed at this start (core raises
    # its repair and keeps the stored settings) or is still to come.
    settings = resolve(
        stored=parse_storage(_v2(done=False)),
        yaml_block={"ip_ban_enabled": False},
        yaml_where={},
        recovery_mode=False,
        release=R2026_8,
    )
    assert settings.base == SOURCE_STABLE
    assert settings.ip_ban_enabled is True
    assert "not moved into .storage/http" in settings.remarks[0]


def test_resolve_before_the_first_store() -> None:
    # No slots yet (no file, or the version 1 copy): the start stages the YAML as pending
    # and applies it; without YAML the copy becomes stable.
    copy = parse_storage(_v1({"ip_ban_enabled": False, "ssl_profile": "intermediate"}))
    for stored in (None, copy):
        settings = resolve(
            stored=stored,
            yaml_block={"use_x_frame_options": False},
            yaml_where={},
            recovery_mode=False,
            release=R2026_8,
        )
        assert settings.base == SOURCE_YAML
        assert settings.use_x_frame_options is False
        assert settings.ip_ban_enabled is True
        assert settings.remarks == ()
    settings = resolve(
        stored=copy,
        yaml_block=None,
        yaml_where={},
        recovery_mode=False,
        release=R2026_11,
    )
    assert settings.base == SOURCE_RECOVERY
    assert settings.ip_ban_enabled is False
    assert settings.ssl_profile == "intermediate_v6"  # no certificate: the default
    settings = resolve(
        stored=copy,
        yaml_block={"ip_ban_enabled": True},
        yaml_where={},
        recovery_mode=True,
        release=R2026_11,
    )
    assert settings.base == SOURCE_RECOVERY  # recovery mode ignores the YAML


def test_resolve_version_3() -> None:
    stable = {**STABLE, "ssl_certificate": "/ssl/c.pem", "ssl_profile": "modern_v4"}
    pending = {**stable, "ssl_profile": "intermediate_v6", "ip_ban_enabled": False}
    settings = resolve(
        stored=parse_storage(_v3(stable, pending)),
        yaml_block=None,
        yaml_where={},
        recovery_mode=False,
        release=R2026_11,
    )
    assert (settings.base, settings.ssl_profile) == (SOURCE_PENDING, "intermediate_v6")
    assert settings.ip_ban_enabled is False
    # A version 2 store read by 2026.11: its profile migrated as core migrates it.
    settings = resolve(
        stored=parse_storage(
            _v2(pending={**PENDING, **stable, "ssl_profile": "intermediate"})
        ),
        yaml_block=None,
        yaml_where={},
        recovery_mode=False,
        release=R2026_11,
    )
    assert settings.ssl_profile == "intermediate_v4"


def test_resolve_live_slot_yaml_not_moved() -> None:
    live = LiveSlot(base=SOURCE_STABLE, conf=STABLE, yaml_moved=False)
    settings = resolve(
        stored=None,
        yaml_block={"ip_ban_enabled": False},
        yaml_where={},
        recovery_mode=False,
        live=live,
    )
    assert settings.ip_ban_enabled is True
    assert "not moved into .storage/http" in settings.remarks[0]


def test_resolve_live_slot() -> None:
    live = LiveSlot(base=SOURCE_STABLE, conf=STABLE, remarks=("a remark",))
    settings = resolve(
        stored=parse_storage(_v2(pending=PENDING)),
        yaml_block={"ip_ban_enabled": False},
        yaml_where={},
        recovery_mode=False,
        release=R2026_8,
        live=live,
    )
    assert settings.base == SOURCE_STABLE
    assert settings.ip_ban_enabled is True
    assert settings.remarks == (
        "the http: block in configuration.yaml is ignored: Home Assistant moved it "
        "into .storage/http",
        "a remark",
    )


@pytest.mark.parametrize(
    ("network", "broad"),
    [
        ("0.0.0.0/0", True),
        ("::/0", True),
        ("8.8.8.0/24", True),
        ("172.0.0.0/8", True),
        ("2001:db8::/32", True),
        ("10.0.0.0/8", False),
        ("172.30.33.0/24", False),
        ("192.168.1.5/32", False),
        ("127.0.0.1/32", False),
        ("100.64.0.0/10", False),
        ("fd00::/8", False),
        ("::1/128", False),
    ],
)
def test_is_broad_network(network: str, broad: bool) -> None:
    assert is_broad_network(ip_network(network)) is broad


# --- the running server --------------------------------------------------------------------


def test_server_values_of_other_shapes() -> None:
    assert server_values(object()) == {}
    values = server_values(
        SimpleNamespace(
            ssl_certificate=None,
            ssl_key=Path("/ssl/key.pem"),
            ssl_profile=3,
            trusted_proxies=[ip_network("10.0.0.0/8"), "junk"],
            app=SimpleNamespace(),  # no `in` support: ban settings are skipped
        )
    )
    assert values == {
        "ssl_certificate": None,
        "ssl_key": "/ssl/key.pem",
        "trusted_proxies": (ip_network("10.0.0.0/8"),),
    }


def test_closure_value() -> None:
    flag = True

    def forwarded_middleware() -> bool:
        return flag

    assert http_settings._closure_value(forwarded_middleware, "flag") is True
    assert http_settings._closure_value(forwarded_middleware, "other") is None
    assert http_settings._closure_value(len, "flag") is None

    def headers_middleware() -> None:
        return None

    app = SimpleNamespace(middlewares=[forwarded_middleware, headers_middleware, len])
    assert http_settings._middleware_values(app) == {}


async def test_running_server_wins(hass: HomeAssistant, config_dir: Path) -> None:
    key = ec_key()
    pair = write_pair(config_dir / "ssl", make_cert(key=key), key)
    (config_dir / "configuration.yaml").write_text(
        "http:\n  ip_ban_enabled: true\n  login_attempts_threshold: 3\n"
        "  use_x_frame_options: true\n"
    )
    assert await async_setup_component(
        hass,
        "http",
        {
            "http": {
                "ssl_certificate": str(pair.cert),
                "ssl_key": str(pair.key),
                "ssl_profile": "intermediate",
                "ip_ban_enabled": True,
                "login_attempts_threshold": 7,
                "use_x_forwarded_for": True,
                "trusted_proxies": ["10.0.0.0/8"],
                "use_x_frame_options": False,
            }
        },
    )
    notes = Notes()
    settings = await async_read_http_settings(hass, config_dir, notes)
    assert notes.items == []
    assert settings.ssl_certificate == str(pair.cert)
    assert settings.ssl_key == str(pair.key)
    assert settings.ssl_profile == "intermediate"
    assert settings.login_attempts_threshold == 7
    assert settings.ip_ban_enabled is True
    assert settings.use_x_forwarded_for is True
    assert settings.trusted_proxies == (ip_network("10.0.0.0/8"),)
    assert settings.use_x_frame_options is False
    assert settings.source_of("login_attempts_threshold") == SOURCE_SERVER
    if MIGRATING:
        # 2026.8 and later: `http` moved its configuration into the pending slot and runs
        # it on trial; configuration.yaml is ignored, so nothing waits for a restart.
        assert settings.source_of("cors_allowed_origins") == SOURCE_PENDING
        assert settings.source == f"{SOURCE_SERVER}, {SOURCE_PENDING}"
        ignored, trial = settings.remarks
        assert "configuration.yaml is ignored" in ignored
        assert re.fullmatch(
            r"a new configuration is on trial: unless an owner confirms it, Home "
            r"Assistant restores the stable one at \d{4}-\d\d-\d\d \d\d:\d\d UTC",
            trial,
        )
        assert settings.location("login_attempts_threshold") == Location(
            file=".storage/http", line=None, key="data.pending.login_attempts_threshold"
        )
        return
    # Up to 2026.7 the YAML is the configuration.
    assert settings.source_of("cors_allowed_origins") == SOURCE_YAML
    assert settings.source == f"{SOURCE_SERVER}, {SOURCE_YAML}"
    # The YAML says otherwise: what differs is not in effect until a restart.
    assert any(
        "login_attempts_threshold" in r
        and "restart" in r
        and "use_x_frame_options" in r
        for r in settings.remarks
    )
    # Where to change it is still the YAML.
    assert settings.location("login_attempts_threshold") == Location(
        file="configuration.yaml", line=3, key="http.login_attempts_threshold"
    )


async def test_running_server_without_bans(
    hass: HomeAssistant, config_dir: Path
) -> None:
    assert await async_setup_component(
        hass, "http", {"http": {"ip_ban_enabled": False, "login_attempts_threshold": 5}}
    )
    settings = await async_read_http_settings(hass, config_dir, Notes())
    assert settings.ip_ban_enabled is False
    assert settings.source_of("ip_ban_enabled") == SOURCE_SERVER
    # Without bans the server keeps no threshold: the configuration it started with tells
    # (2026.8 and later: the store's slot; before: the files, here none, so the default).
    if MIGRATING:
        assert settings.login_attempts_threshold == 5
        assert settings.source_of("login_attempts_threshold") == SOURCE_PENDING
    else:
        assert settings.login_attempts_threshold == -1
        assert settings.source_of("login_attempts_threshold") == SOURCE_DEFAULT
    assert settings.use_x_forwarded_for is False
    assert settings.use_x_frame_options is True


async def test_ban_keys_of_another_release(
    hass: HomeAssistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Refusing:
        def __contains__(self, key: object) -> bool:
            raise TypeError("no")

    assert http_settings._ban_values(Refusing()) == {}


# --- through hass --------------------------------------------------------------------------


async def test_yaml_with_include_and_lines(
    hass: HomeAssistant, config_dir: Path
) -> None:
    (config_dir / "configuration.yaml").write_text(
        "homeassistant:\n  name: Home\n\nhttp: !include http.yaml\n"
    )
    (config_dir / "http.yaml").write_text(
        "# the http settings\n"
        "base_url: https://old.example.com\n"
        "use_x_forwarded_for: true\n"
        "trusted_proxies:\n"
        "  - 0.0.0.0/0\n"
        "ip_ban_enabled: false\n"
        "cors_allowed_origins: !secret cors\n"
    )
    (config_dir / "secrets.yaml").write_text("cors: https://evil.example.com\n")
    notes = Notes()
    settings = await async_read_http_settings(hass, config_dir, notes)
    assert notes.items == []
    assert settings.base == SOURCE_YAML
    assert settings.ip_ban_enabled is False
    assert settings.trusted_proxies == (ip_network("0.0.0.0/0"),)
    assert settings.cors_allowed_origins == ("https://evil.example.com",)
    assert settings.location("ip_ban_enabled") == Location(
        file="http.yaml", line=6, key="http.ip_ban_enabled"
    )
    assert settings.location("trusted_proxies").line == 4
    # A default is changed where the block is.
    assert settings.location("login_attempts_threshold") == Location(
        file="configuration.yaml", line=None, key="http.login_attempts_threshold"
    )


async def test_yaml_in_a_package(hass: HomeAssistant, config_dir: Path) -> None:
    (config_dir / "configuration.yaml").write_text(
        "homeassistant:\n  packages:\n    web: !include web.yaml\n"
    )
    (config_dir / "web.yaml").write_text("http:\n  use_x_frame_options: false\n")
    settings = await async_read_http_settings(hass, config_dir, Notes())
    assert settings.use_x_frame_options is False
    assert settings.location("use_x_frame_options") == Location(
        file="web.yaml", line=2, key="http.use_x_frame_options"
    )


async def test_no_configuration_at_all(hass: HomeAssistant, config_dir: Path) -> None:
    notes = Notes()
    assert await async_read_http_settings(hass, config_dir, notes) == HttpSettings()
    assert notes.items == []


async def test_broken_files_are_noted(hass: HomeAssistant, config_dir: Path) -> None:
    (config_dir / "configuration.yaml").write_text("http:\n  ip_ban_enabled: [\n")
    (config_dir / ".storage").mkdir()
    (config_dir / ".storage" / "http").write_text("[]")
    notes = Notes()
    settings = await async_read_http_settings(hass, config_dir, notes)
    assert settings == HttpSettings()
    assert notes.items == [
        ("cannot read the HTTP settings store: no data in the file", ".storage/http"),
        (
            "cannot read configuration.yaml: invalid YAML at line 3: did not find "
            "expected node content; the HTTP settings come from the running server "
            "and .storage/http only",
            "configuration.yaml",
        ),
    ]


@pytest.mark.parametrize("release", [R2025_4, R2026_8, R2026_11])
async def test_stored_slots_through_hass(
    hass: HomeAssistant, config_dir: Path, release: HttpRelease
) -> None:
    (config_dir / "configuration.yaml").write_text("http:\n  ip_ban_enabled: true\n")
    _write_store(config_dir, _v2(pending=PENDING))
    settings = await async_read_http_settings(
        hass, config_dir, Notes(), release=release
    )
    if release.migrates_yaml:
        assert settings.base == SOURCE_PENDING
        assert settings.ip_ban_enabled is False
        assert settings.trusted_proxies == (ip_network("0.0.0.0/0"),)
        assert (
            settings.ssl_profile
            == ("modern", "intermediate_v6")[release.versioned_profiles]
        )
    else:  # a store left by a newer release: not read
        assert settings.base == SOURCE_YAML
        assert settings.ip_ban_enabled is True
        assert settings.trusted_proxies == ()


async def test_v1_store_outside_recovery_mode(
    hass: HomeAssistant, config_dir: Path
) -> None:
    (config_dir / "configuration.yaml").write_text("http:\n  ip_ban_enabled: true\n")
    _write_store(config_dir, _v1({"ip_ban_enabled": False}))
    settings = await async_read_http_settings(
        hass, config_dir, Notes(), release=R2025_4
    )
    assert settings.base == SOURCE_YAML
    assert settings.ip_ban_enabled is True
    hass.config.recovery_mode = True
    settings = await async_read_http_settings(
        hass, config_dir, Notes(), release=R2025_4
    )
    assert settings.base == SOURCE_RECOVERY
    assert settings.ip_ban_enabled is False


# Core's store object (2026.8 and later), in the shape its `HTTPConfigStore` has; the test
# below runs the real one where the release has it.
DEADLINE = datetime(2026, 11, 29, 6, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("store", "base", "ban", "remarks"),
    [
        (
            SimpleNamespace(
                active_config_type="pending",
                stable=STABLE,
                pending=PENDING,
                revert_deadline=DEADLINE,
            ),
            SOURCE_PENDING,
            False,
            (
                "a new configuration is on trial: unless an owner confirms it, Home "
                "Assistant restores the stable one at 2026-11-29 06:30 UTC",
            ),
        ),
        (
            SimpleNamespace(
                active_config_type=SimpleNamespace(value="stable"),
                stable=STABLE,
                pending={**PENDING, "error": "not_promoted"},
                revert_deadline=None,
            ),
            SOURCE_STABLE,
            True,
            (
                "the pending configuration is not applied: no owner confirmed it in time",
            ),
        ),
        (
            SimpleNamespace(
                active_config_type="stable", stable=STABLE, pending=PENDING
            ),
            SOURCE_STABLE,
            True,
            ("a new configuration is staged for the next start",),
        ),
        (
            SimpleNamespace(active_config_type="stable", stable=STABLE, pending=None),
            SOURCE_STABLE,
            True,
            (),
        ),
        (
            SimpleNamespace(
                active_config_type="default",
                stable=PENDING,
                pending=None,
                default={"ip_ban_enabled": True, "server_port": 80},
            ),
            SOURCE_DEFAULT,
            True,
            ("recovery mode runs the built-in default configuration",),
        ),
    ],
)
async def test_live_store_object(
    hass: HomeAssistant,
    config_dir: Path,
    store: SimpleNamespace,
    base: str,
    ban: bool,
    remarks: tuple[str, ...],
) -> None:
    hass.data["http"] = store
    _write_store(config_dir, _v2(pending={**PENDING, "ip_ban_enabled": True}))
    settings = await async_read_http_settings(hass, config_dir, Notes())
    assert settings.base == base
    assert settings.ip_ban_enabled is ban
    assert settings.remarks == remarks


@pytest.mark.parametrize(
    ("done", "moved"), [(False, False), (True, True), (None, True)]
)
def test_live_store_object_knows_whether_the_yaml_moved(
    hass: HomeAssistant, done: bool | None, moved: bool
) -> None:
    store = SimpleNamespace(active_config_type="stable", stable=STABLE, pending=None)
    if done is not None:
        store.yaml_migration_done = done
    hass.data["http"] = store
    live = live_store_slot(hass)
    assert live is not None
    assert live.yaml_moved is moved


def test_live_store_object_in_recovery_on_the_legacy_port(hass: HomeAssistant) -> None:
    hass.data["http"] = SimpleNamespace(
        active_config_type="default_legacy_port",
        pending=None,
        default={"server_port": 80, "login_attempts_threshold": -1},
    )
    live = live_store_slot(hass)
    assert live is not None
    assert (live.base, live.conf["server_port"]) == (SOURCE_DEFAULT, 8123)
    hass.data["http"] = SimpleNamespace(active_config_type="default", pending=None)
    live = live_store_slot(hass)
    assert live is not None
    assert live.conf == {}


@pytest.mark.parametrize(
    "store",
    [
        SimpleNamespace(active_config_type="pending", stable=STABLE, pending=None),
        SimpleNamespace(active_config_type="stable", stable=None, pending=PENDING),
        SimpleNamespace(
            active_config_type="something_new", stable=STABLE, pending=None
        ),
        object(),
    ],
)
async def test_live_store_object_without_the_slot(
    hass: HomeAssistant, config_dir: Path, store: object
) -> None:
    hass.data["http"] = store
    _write_store(config_dir, _v2(pending=None))
    settings = await async_read_http_settings(
        hass, config_dir, Notes(), release=R2026_8
    )
    assert settings.base == SOURCE_STABLE  # from the file


@pytest.mark.skipif(not MIGRATING, reason="core's HTTP store came with 2026.8")
async def test_core_store_through_a_trial(
    hass: HomeAssistant, config_dir: Path
) -> None:
    """The real store: a configuration on trial, confirmed, then another one staged."""
    (config_dir / "configuration.yaml").write_text(
        "http:\n  ip_ban_enabled: false\n  use_x_frame_options: false\n"
    )
    assert await async_setup_component(
        hass, "http", {"http": {"ip_ban_enabled": False, "use_x_frame_options": False}}
    )
    store = hass.data["http"]
    live = live_store_slot(hass)
    assert live is not None
    assert live.yaml_moved is True  # the block given to `http` went into its store
    settings = await async_read_http_settings(hass, config_dir, Notes())
    assert settings.base == SOURCE_PENDING
    assert (settings.ip_ban_enabled, settings.use_x_frame_options) == (False, False)
    assert "on trial" in settings.remarks[-1]
    await store.async_promote_pending()  # what the websocket http/config/promote does
    settings = await async_read_http_settings(hass, config_dir, Notes())
    assert settings.base == SOURCE_STABLE
    assert (settings.ip_ban_enabled, settings.use_x_frame_options) == (False, False)
    assert not any("on trial" in r for r in settings.remarks)
    assert settings.location("ip_ban_enabled").key == "data.stable.ip_ban_enabled"
    # An owner changes a setting in the UI: staged, applied at the next start only.
    await store.async_set_pending({**store.stable, "ip_ban_enabled": True})
    settings = await async_read_http_settings(hass, config_dir, Notes())
    assert settings.base == SOURCE_STABLE
    assert settings.ip_ban_enabled is False
    assert settings.remarks[-1] == "a new configuration is staged for the next start"


async def test_memoized_per_scan(hass: HomeAssistant, config_dir: Path) -> None:
    (config_dir / "configuration.yaml").write_text("http:\n  ip_ban_enabled: false\n")
    ctx = ScanContext(
        hass=hass,
        config_dir=config_dir,
        now=dt_util.utcnow(),
        options={},
    )
    first = await async_get_http_settings(ctx)
    (config_dir / "configuration.yaml").write_text("http:\n  ip_ban_enabled: true\n")
    assert await async_get_http_settings(ctx) is first
    assert first.ip_ban_enabled is False
    (config_dir / "configuration.yaml").write_text("http:\n  ip_ban_enabled: [\n")
    ctx.memo.clear()
    await async_get_http_settings(ctx)
    # The scan's configuration graph notes the file for the secrets family; the HTTP
    # settings say that they come from elsewhere.
    assert [(n.family, n.file) for n in ctx.notes] == [
        (Family.SECRETS, "configuration.yaml"),
        (Family.REMOTE_ACCESS, "configuration.yaml"),
    ]
    assert "running server" in ctx.notes[1].reason
    assert ctx.memo["config_graph"].root_problem is not None  # the graph is shared


async def test_yaml_outside_the_configuration_directory(
    hass: HomeAssistant, config_dir: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere" / "http.yaml"
    outside.parent.mkdir()
    outside.write_text("# shared\nip_ban_enabled: false\n")
    (config_dir / "configuration.yaml").write_text(f"http: !include {outside}\n")
    settings = await async_read_http_settings(hass, config_dir, Notes())
    assert settings.ip_ban_enabled is False
    assert settings.location("ip_ban_enabled") == Location(
        file=str(outside), line=2, key="http.ip_ban_enabled"
    )


def test_closure_with_an_empty_cell() -> None:
    def outer() -> Any:  # noqa: RET503
        def forwarded_middleware() -> bool:
            return use_x_forwarded_for

        return forwarded_middleware
        use_x_forwarded_for = True  # never runs: the cell stays empty

    assert http_settings._closure_value(outer(), "use_x_forwarded_for") is None


async def test_remarks_become_notes(
    hass: HomeAssistant, config_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(http_settings, "RUNNING_RELEASE", R2026_8)
    (config_dir / "configuration.yaml").write_text("http:\n  ip_ban_enabled: true\n")
    _write_store(config_dir, _v2(pending=PENDING))
    ctx = ScanContext(
        hass=hass, config_dir=config_dir, now=dt_util.utcnow(), options={}
    )
    settings = await async_get_http_settings(ctx)
    assert settings.base == SOURCE_PENDING
    assert [(n.family, n.file) for n in ctx.notes] == [
        (Family.REMOTE_ACCESS, ".storage/http"),
        (Family.REMOTE_ACCESS, ".storage/http"),
    ]
    assert ctx.notes[0].reason == (
        "HTTP settings from .storage/http (pending slot): the http: block in "
        "configuration.yaml is ignored: Home Assistant moved it into .storage/http"
    )
    assert "on trial" in ctx.notes[1].reason
