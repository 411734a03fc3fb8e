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
from pathlib import Path
import re
from types import SimpleNamespace
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest

from custom_components.security_posture.engine import ScanContext
from custom_components.security_posture.inspect import http_server, http_settings
from custom_components.security_posture.inspect.config_facts import CONFIG_GRAPH
from custom_components.security_posture.inspect.http_releases import HttpRelease
from custom_components.security_posture.inspect.http_server import server_values
from custom_components.security_posture.inspect.http_settings import (
    async_get_http_settings,
    async_read_http_settings,
    resolve,
)
from custom_components.security_posture.inspect.http_store import (
    LiveSlot,
    live_store_slot,
    parse_storage,
)
from custom_components.security_posture.inspect.http_values import (
    DEFAULT_CORS,
    SOURCE_DEFAULT,
    SOURCE_PENDING,
    SOURCE_RECOVERY,
    SOURCE_SERVER,
    SOURCE_STABLE,
    SOURCE_YAML,
    HttpSettings,
    Location,
    settings_from_mapping,
)
from custom_components.security_posture.model import Family

from .http_stores import (
    MIGRATING,
    PENDING,
    R2025_4,
    R2026_8,
    R2026_11,
    RUNNING_RELEASE,
    STABLE,
    v1_store,
    v2_store,
    v3_store,
    write_store,
)
from .remote_access_certs import ec_key, make_cert, write_pair


class Notes:
    """Collects what the reader could not read."""

    def __init__(self) -> None:
        self.items: list[tuple[str, str | None]] = []

    def __call__(self, reason: str, file: str | None) -> None:
        self.items.append((reason, file))


# --- pure parts ----------------------------------------------------------------------------


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
        settings_from_mapping(
            {"server_port": "x"}, base=SOURCE_YAML, release=R2025_4
        ).server_port
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


@pytest.mark.parametrize(
    ("content", "newer"),
    [
        (v2_store(pending=None, version=7), True),
        ({"version": 7, "data": {"layouts": {}}}, False),
    ],
)
async def test_newer_store_never_takes_the_family_down(
    hass: HomeAssistant, config_dir: Path, content: dict[str, Any], newer: bool
) -> None:
    (config_dir / "configuration.yaml").write_text("http:\n  ip_ban_enabled: false\n")
    write_store(config_dir, content)
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
    write_store(
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


# 2025.4 - 2026.7: the YAML is the configuration.


@pytest.mark.parametrize(
    "content", [v1_store(PENDING), v2_store(pending=PENDING), v3_store(PENDING, None)]
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
            v1_store({"ip_ban_enabled": False, "trusted_proxies": ["0.0.0.0"]})  # noqa: S104
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
        stored=parse_storage(v2_store(pending=PENDING)),
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
        stored=parse_storage(v2_store()),
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
        stored=parse_storage(v2_store(pending=PENDING)),
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
        stored=parse_storage(v2_store(pending={**PENDING, "error": error})),
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
        stored=parse_storage(v2_store(done=False)),
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
    copy = parse_storage(
        v1_store({"ip_ban_enabled": False, "ssl_profile": "intermediate"})
    )
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
        stored=parse_storage(v3_store(stable, pending)),
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
            v2_store(pending={**PENDING, **stable, "ssl_profile": "intermediate"})
        ),
        yaml_block=None,
        yaml_where={},
        recovery_mode=False,
        release=R2026_11,
    )
    assert settings.ssl_profile == "intermediate_v4"


def test_resolve_live_slot_yaml_not_moved() -> None:
    live = LiveSlot(slot="stable", conf=STABLE, yaml_moved=False)
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
    live = LiveSlot(slot="stable", conf=STABLE, remarks=("a remark",))
    settings = resolve(
        stored=parse_storage(v2_store(pending=PENDING)),
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

    assert http_server._closure_value(forwarded_middleware, "flag") is True
    assert http_server._closure_value(forwarded_middleware, "other") is None
    assert http_server._closure_value(len, "flag") is None

    def headers_middleware() -> None:
        return None

    app = SimpleNamespace(middlewares=[forwarded_middleware, headers_middleware, len])
    assert http_server._middleware_values(app) == {}


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

    assert http_server._ban_values(Refusing()) == {}


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
            "cannot read configuration.yaml: invalid YAML at line 3, column 1: a value "
            "is missing; the HTTP settings come from the running server "
            "and .storage/http only",
            "configuration.yaml",
        ),
    ]


@pytest.mark.parametrize("release", [R2025_4, R2026_8, R2026_11])
async def test_stored_slots_through_hass(
    hass: HomeAssistant, config_dir: Path, release: HttpRelease
) -> None:
    (config_dir / "configuration.yaml").write_text("http:\n  ip_ban_enabled: true\n")
    write_store(config_dir, v2_store(pending=PENDING))
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
    write_store(config_dir, v1_store({"ip_ban_enabled": False}))
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
    write_store(config_dir, v2_store(pending={**PENDING, "ip_ban_enabled": True}))
    settings = await async_read_http_settings(hass, config_dir, Notes())
    assert settings.base == base
    assert settings.ip_ban_enabled is ban
    assert settings.remarks == remarks


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
    write_store(config_dir, v2_store(pending=None))
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
    ctx = ScanContext(hass=hass, config_dir=config_dir, now=dt_util.utcnow())
    await async_get_http_settings(ctx)
    # The scan's configuration graph notes the file for the secrets family; the HTTP
    # settings say that they come from elsewhere.
    assert [(n.family, n.file) for n in ctx.notes] == [
        (Family.SECRETS, "configuration.yaml"),
        (Family.REMOTE_ACCESS, "configuration.yaml"),
    ]
    assert "running server" in ctx.notes[1].reason
    assert (
        await ctx.fact(CONFIG_GRAPH)
    ).root_problem is not None  # the graph is shared


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

    assert http_server._closure_value(outer(), "use_x_forwarded_for") is None


async def test_remarks_become_notes(
    hass: HomeAssistant, config_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(http_settings, "running_release", lambda: R2026_8)
    (config_dir / "configuration.yaml").write_text("http:\n  ip_ban_enabled: true\n")
    write_store(config_dir, v2_store(pending=PENDING))
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


def test_settings_know_the_release_that_read_them() -> None:
    settings = settings_from_mapping({}, base=SOURCE_YAML, release=R2026_8)
    assert settings.release == R2026_8
    assert HttpSettings().release is None
    assert settings == settings_from_mapping({}, base=SOURCE_YAML, release=R2025_4)
