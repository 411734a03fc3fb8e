"""The effective HTTP settings: YAML, both `.storage/http` layouts, the running server."""

from __future__ import annotations

from ipaddress import ip_network
import json
import os
from pathlib import Path
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
    SOURCE_DEFAULT,
    SOURCE_PENDING,
    SOURCE_RECOVERY,
    SOURCE_SERVER,
    SOURCE_STABLE,
    SOURCE_YAML,
    HttpSettings,
    Location,
    StorageUnreadable,
    async_get_http_settings,
    async_read_http_settings,
    is_broad_network,
    parse_storage,
    read_storage,
    resolve,
    server_values,
    settings_from_mapping,
)
from custom_components.security_posture.model import Family

from .remote_access_certs import ec_key, make_cert, write_pair

STABLE = {
    "server_port": 8123,
    "cors_allowed_origins": ["https://cast.home-assistant.io"],
    "use_x_forwarded_for": True,
    "trusted_proxies": ["172.30.33.0/24"],
    "login_attempts_threshold": 5,
    "ip_ban_enabled": True,
    "ssl_profile": "modern",
    "use_x_frame_options": True,
}
PENDING = {**STABLE, "trusted_proxies": ["0.0.0.0/0"], "ip_ban_enabled": False}


def _v2(*, pending: dict[str, Any] | None = None, done: bool = True) -> dict[str, Any]:
    return {
        "version": 2,
        "minor_version": 2,
        "key": "http",
        "data": {"stable": STABLE, "pending": pending, "yaml_migration_done": done},
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


def test_defaults_count() -> None:
    settings = HttpSettings()
    assert settings.login_attempts_threshold == -1
    assert settings.login_threshold_enabled is False
    assert settings.ip_ban_enabled is True
    assert settings.use_x_frame_options is True
    assert settings.ssl_profile == "modern"
    assert settings.cors_allowed_origins == DEFAULT_CORS
    assert settings.reverse_proxy is False
    assert settings.source == SOURCE_DEFAULT
    assert settings.location("ip_ban_enabled") == Location(
        file="configuration.yaml", line=None, key="http.ip_ban_enabled"
    )


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


def test_parse_storage_layouts() -> None:
    stored = parse_storage(_v2(pending=PENDING))
    assert stored.migrated_layout is True
    assert stored.version == 2
    assert stored.stable == STABLE
    assert stored.pending == PENDING
    assert stored.yaml_migration_done is True
    assert parse_storage(_v2(pending=None, done=False)).yaml_migration_done is False
    old = parse_storage(_v1({"ip_ban_enabled": False}))
    assert old.migrated_layout is False
    assert old.recovery == {"ip_ban_enabled": False}
    for bad in ([], {"data": []}, {"version": 1}):
        with pytest.raises(StorageUnreadable, match="no data"):
            parse_storage(bad)


@pytest.mark.parametrize("version", [0, 3, 9, "x9"])
def test_parse_storage_unknown_version(version: Any) -> None:
    raw = {"version": version, "key": "http", "data": {"ip_ban_enabled": False}}
    shown = 1 if version == "x9" else version  # not a number: read as version 1
    if shown == 1:
        assert parse_storage(raw).recovery == {"ip_ban_enabled": False}
        return
    with pytest.raises(
        StorageUnreadable,
        match=rf"^version {shown} is not one this integration knows \(1, 2\); "
        "the file is ignored$",
    ):
        parse_storage(raw)


async def test_unknown_store_version_is_ignored_with_a_note(
    hass: HomeAssistant, config_dir: Path
) -> None:
    (config_dir / "configuration.yaml").write_text("http:\n  ip_ban_enabled: true\n")
    _write_store(
        config_dir,
        {"version": 9, "key": "http", "data": {"stable": {"ip_ban_enabled": False}}},
    )
    hass.config.recovery_mode = True  # a version 1 copy would be used now
    notes = Notes()
    settings = await async_read_http_settings(hass, config_dir, notes)
    assert settings.base == SOURCE_YAML
    assert settings.ip_ban_enabled is True
    assert notes.items == [
        (
            "cannot read the HTTP settings store: version 9 is not one this "
            "integration knows (1, 2); the file is ignored",
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

    monkeypatch.setattr(os, "open", deny)
    with pytest.raises(StorageUnreadable, match="permission denied"):
        read_storage(tmp_path)
    monkeypatch.undo()
    (tmp_path / ".storage" / "http").unlink()
    os.mkfifo(tmp_path / ".storage" / "http")  # would block a plain open
    with pytest.raises(StorageUnreadable, match="not a regular file"):
        read_storage(tmp_path)


def test_resolve_yaml_layout() -> None:
    where = {
        "ip_ban_enabled": Location(file="http.yaml", line=3, key="http.ip_ban_enabled")
    }
    settings = resolve(
        stored=parse_storage(_v1(PENDING)),
        yaml_block={"ip_ban_enabled": False},
        yaml_where=where,
        recovery_mode=False,
    )
    assert settings.base == SOURCE_YAML
    assert settings.ip_ban_enabled is False
    assert settings.trusted_proxies == ()  # the recovery copy is not in effect
    assert settings.location("ip_ban_enabled") == where["ip_ban_enabled"]
    assert settings.location("ssl_profile").key == "http.ssl_profile"
    assert resolve(
        stored=None, yaml_block=None, yaml_where={}, recovery_mode=False
    ) == (HttpSettings())


def test_resolve_recovery_copy() -> None:
    settings = resolve(
        stored=parse_storage(
            _v1({"ip_ban_enabled": False, "trusted_proxies": ["0.0.0.0"]})  # noqa: S104
        ),
        yaml_block={"ip_ban_enabled": True},
        yaml_where={},
        recovery_mode=True,
    )
    assert settings.base == SOURCE_RECOVERY
    assert settings.ip_ban_enabled is False
    assert settings.location("ip_ban_enabled") == Location(
        file=".storage/http", line=None, key="data.ip_ban_enabled"
    )
    assert "recovery mode" in settings.remarks[0]


def test_resolve_migrated_layout() -> None:
    yaml_block = {"ip_ban_enabled": True, "login_attempts_threshold": 9}
    # Migration done: the pending slot is on trial, the YAML is ignored.
    settings = resolve(
        stored=parse_storage(_v2(pending=PENDING)),
        yaml_block=yaml_block,
        yaml_where={},
        recovery_mode=False,
    )
    assert settings.base == SOURCE_PENDING
    assert settings.ip_ban_enabled is False
    assert settings.trusted_proxies == (ip_network("0.0.0.0/0"),)
    assert settings.login_attempts_threshold == 5
    assert settings.location("ip_ban_enabled") == Location(
        file=".storage/http", line=None, key="data.pending.ip_ban_enabled"
    )
    assert any("ignored after migration" in r for r in settings.remarks)
    # No pending slot: stable.
    settings = resolve(
        stored=parse_storage(_v2()), yaml_block=None, yaml_where={}, recovery_mode=False
    )
    assert settings.base == SOURCE_STABLE
    assert settings.ip_ban_enabled is True
    assert settings.remarks == ()
    assert settings.location("ssl_profile").key == "data.stable.ssl_profile"
    # Recovery mode always uses stable.
    settings = resolve(
        stored=parse_storage(_v2(pending=PENDING)),
        yaml_block=yaml_block,
        yaml_where={},
        recovery_mode=True,
    )
    assert settings.base == SOURCE_STABLE
    assert settings.ip_ban_enabled is True
    # Not migrated yet (or the migration failed) while YAML is there: the YAML.
    settings = resolve(
        stored=parse_storage(_v2(pending=PENDING, done=False)),
        yaml_block=yaml_block,
        yaml_where={},
        recovery_mode=False,
    )
    assert settings.base == SOURCE_YAML
    assert settings.login_attempts_threshold == 9


def test_resolve_live_store_slot() -> None:
    settings = resolve(
        stored=parse_storage(_v2(pending=PENDING)),
        yaml_block={"ip_ban_enabled": True},
        yaml_where={},
        recovery_mode=False,
        live_slot=(SOURCE_STABLE, STABLE),
    )
    assert settings.base == SOURCE_STABLE
    assert settings.ip_ban_enabled is True
    assert any("ignored after migration" in r for r in settings.remarks)


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
    # Without bans the server keeps no threshold: the files (here: none, the default) tell.
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
            "cannot read configuration.yaml: invalid YAML at line 3, column 1: a value "
            "is missing; the HTTP settings come from the running server "
            "and .storage/http only",
            "configuration.yaml",
        ),
    ]


async def test_migrated_store_through_hass(
    hass: HomeAssistant, config_dir: Path
) -> None:
    (config_dir / "configuration.yaml").write_text("http:\n  ip_ban_enabled: true\n")
    _write_store(config_dir, _v2(pending=PENDING))
    settings = await async_read_http_settings(hass, config_dir, Notes())
    assert settings.base == SOURCE_PENDING
    assert settings.ip_ban_enabled is False
    assert settings.trusted_proxies == (ip_network("0.0.0.0/0"),)


async def test_v1_store_outside_recovery_mode(
    hass: HomeAssistant, config_dir: Path
) -> None:
    (config_dir / "configuration.yaml").write_text("http:\n  ip_ban_enabled: true\n")
    _write_store(config_dir, _v1({"ip_ban_enabled": False}))
    settings = await async_read_http_settings(hass, config_dir, Notes())
    assert settings.base == SOURCE_YAML
    assert settings.ip_ban_enabled is True
    hass.config.recovery_mode = True
    settings = await async_read_http_settings(hass, config_dir, Notes())
    assert settings.base == SOURCE_RECOVERY
    assert settings.ip_ban_enabled is False


@pytest.mark.parametrize(
    ("active", "base", "ban"),
    [
        ("pending", SOURCE_PENDING, False),
        (SimpleNamespace(value="stable"), SOURCE_STABLE, True),
        ("default", SOURCE_DEFAULT, True),
    ],
)
async def test_live_store_object(
    hass: HomeAssistant, config_dir: Path, active: Any, base: str, ban: bool
) -> None:
    hass.data["http"] = SimpleNamespace(
        active_config_type=active, stable=STABLE, pending=PENDING
    )
    _write_store(config_dir, _v2(pending=None))
    settings = await async_read_http_settings(hass, config_dir, Notes())
    assert settings.base == base
    assert settings.ip_ban_enabled is ban


async def test_live_store_object_without_the_slot(
    hass: HomeAssistant, config_dir: Path
) -> None:
    hass.data["http"] = SimpleNamespace(
        active_config_type="pending", stable=STABLE, pending=None
    )
    _write_store(config_dir, _v2(pending=None))
    settings = await async_read_http_settings(hass, config_dir, Notes())
    assert settings.base == SOURCE_STABLE  # from the file


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


async def test_remarks_become_notes(hass: HomeAssistant, config_dir: Path) -> None:
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
        "configuration.yaml is ignored after migration"
    )
    assert "pending configuration" in ctx.notes[1].reason
