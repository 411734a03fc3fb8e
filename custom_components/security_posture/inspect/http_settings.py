"""Read the HTTP server settings Home Assistant really runs with, on every release.

Where the settings live depends on the release (`http_store` says how each release from
2025.4 to 2026.11 keeps and applies them): up to 2026.7 the `http:` block of
`configuration.yaml`; from 2026.8 the `stable` or `pending` slot of `.storage/http` that the
server started with (the YAML is moved there once, then ignored); 2026.11 adds versioned TLS
profiles. This module reads them the same way.

Whatever the files say, the running server (`hass.http`) knows best what it serves: its
certificate, key, trusted proxies, TLS profile, port, whether bans are on and the threshold,
whether it honours `X-Forwarded-For` and sends `X-Frame-Options`. Those values win; a file
value that differs from them is not in effect until a restart.

Defaults count: `login_attempts_threshold` is off (-1), `ip_ban_enabled` on,
`use_x_frame_options` on, CORS allows the Cast origin only, `ssl_profile` is the release's
default.

The YAML is not loaded again here: the `http:` block comes from the scan's configuration
graph (`config_files`, read once, quietly and with bounds), see `http_yaml`. When
`configuration.yaml` cannot be read, the running server and `.storage/http` tell, with a note.
A `.storage/http` of a version newer than this reader knows is read for the settings it knows,
with a note.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from ipaddress import IPv4Network, IPv6Network, ip_network
import os
from typing import TYPE_CHECKING, Any, Final

from homeassistant.helpers import config_validation as cv

from ..const import LOGGER
from ..engine import Fact, ScanContext
from ..model import Family
from .config_files import (
    ConfigGraph,
    EnvVarRef,
    async_get_config_graph,
    read_config_graph,
)
from .http_store import (
    DEFAULT_PORT,
    FIELDS,
    ON_TRIAL,
    RUNNING_RELEASE,
    SSL_MODERN,
    STORAGE_FILE,
    HttpRelease,
    LiveSlot,
    Slot,
    StorageUnreadable,
    StoredHttp,
    TlsProfile,
    as_int,
    live_store_slot,
    not_applied,
    read_storage,
    tls_profile,
)
from .http_yaml import YamlHttp, async_resolve_markers, http_block, unset_env_vars

if TYPE_CHECKING:
    from pathlib import Path

    from homeassistant.core import HomeAssistant


type IPNetwork = IPv4Network | IPv6Network

YAML_FILE: Final = "configuration.yaml"
NO_LOGIN_ATTEMPT_THRESHOLD: Final = -1
DEFAULT_CORS: Final = ("https://cast.home-assistant.io",)
# Where a value came from, as the report says it.
SOURCE_DEFAULT: Final = "defaults"
SOURCE_YAML: Final = "the http: block of configuration.yaml"
SOURCE_STABLE: Final = ".storage/http (stable slot)"
SOURCE_PENDING: Final = ".storage/http (pending slot)"
SOURCE_RECOVERY: Final = ".storage/http (recovery copy)"
SOURCE_SERVER: Final = "the running HTTP server"
_STORAGE_SOURCES: Final = (SOURCE_STABLE, SOURCE_PENDING, SOURCE_RECOVERY)
SLOT_SOURCES: Final[Mapping[Slot, str]] = {
    "stable": SOURCE_STABLE,
    "pending": SOURCE_PENDING,
    "default": SOURCE_DEFAULT,
}


@dataclass(frozen=True, kw_only=True)
class Location:
    """Where a setting is changed.

    A file relative to the configuration directory, a line (YAML only) and the dotted key
    path inside the file.
    """

    file: str | None
    line: int | None
    key: str


@dataclass(frozen=True, kw_only=True)
class HttpSettings:
    """The effective HTTP settings and where each one came from."""

    ssl_certificate: str | None = None
    ssl_key: str | None = None
    ssl_peer_certificate: str | None = None
    ssl_profile: str = RUNNING_RELEASE.default_profile
    server_port: int = DEFAULT_PORT
    cors_allowed_origins: tuple[str, ...] = DEFAULT_CORS
    use_x_forwarded_for: bool = False
    trusted_proxies: tuple[IPNetwork, ...] = ()
    login_attempts_threshold: int = NO_LOGIN_ATTEMPT_THRESHOLD
    ip_ban_enabled: bool = True
    use_x_frame_options: bool = True
    # The layout the settings were read from (one of the SOURCE_* values but the server's).
    base: str = SOURCE_DEFAULT
    # Field name -> SOURCE_* value, for the fields that did not come from `base`.
    overrides: Mapping[str, str] = field(default_factory=dict)
    # Field name -> where to change it.
    locations: Mapping[str, Location] = field(default_factory=dict)
    # Things worth knowing about the reading (YAML ignored, pending trial, ...).
    remarks: tuple[str, ...] = ()
    # Field name -> values (as coerced) that came from secrets.yaml: never printed.
    from_secrets: Mapping[str, frozenset[Any]] = field(default_factory=dict)

    def secret(self, name: str, value: Any) -> bool:
        """Whether `value` of field `name` came from `secrets.yaml` (so it is not shown)."""
        return value in self.from_secrets.get(name, ())

    def source_of(self, name: str) -> str:
        """Where the value of one field came from."""
        return self.overrides.get(name, self.base)

    @property
    def source(self) -> str:
        """Where the settings came from, in words."""
        if SOURCE_SERVER in self.overrides.values():
            return f"{SOURCE_SERVER}, {self.base}"
        return self.base

    def location(self, name: str) -> Location:
        """Where to change one field."""
        if (found := self.locations.get(name)) is not None:
            return found
        if self.base in _STORAGE_SOURCES:
            slot = {SOURCE_STABLE: "data.stable.", SOURCE_PENDING: "data.pending."}
            return Location(
                file=STORAGE_FILE,
                line=None,
                key=f"{slot.get(self.base, 'data.')}{name}",
            )
        return Location(file=YAML_FILE, line=None, key=f"http.{name}")

    @property
    def profile(self) -> TlsProfile:
        """The TLS profile, parsed."""
        return tls_profile(self.ssl_profile)

    @property
    def login_threshold_enabled(self) -> bool:
        """Whether clients are banned after failed logins."""
        return self.login_attempts_threshold > 0

    @property
    def reverse_proxy(self) -> bool:
        """Whether the server honours `X-Forwarded-For` from trusted proxies."""
        return self.use_x_forwarded_for and bool(self.trusted_proxies)


# --- coercion of loosely typed values (YAML and JSON) ------------------------------------


def _as_bool(value: Any, default: bool) -> bool:  # noqa: FBT001
    try:
        return bool(cv.boolean(value))
    except Exception:  # noqa: BLE001 - an invalid value: Home Assistant would refuse it
        return default


def _as_str(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    return str(value)


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _networks(value: Any, remarks: list[str]) -> tuple[IPNetwork, ...]:
    networks: list[IPNetwork] = []
    invalid = 0
    for item in _as_list(value):
        try:
            networks.append(ip_network(str(item), strict=False))
        except ValueError:
            invalid += 1
    if invalid:
        remarks.append(f"ignored {invalid} trusted proxies that are not networks")
    return tuple(networks)


def _profile(value: Any) -> str | None:
    """A TLS profile name of any release (a newer one's included), else None."""
    name = str(value) if isinstance(value, str) else None
    return name if name is not None and tls_profile(name).kind is not None else None


_COERCE: Final[Mapping[str, Callable[[Any, list[str]], Any]]] = {
    "ssl_certificate": lambda v, _: _as_str(v),
    "ssl_key": lambda v, _: _as_str(v),
    "ssl_peer_certificate": lambda v, _: _as_str(v),
    "ssl_profile": lambda v, _: _profile(v),
    "server_port": lambda v, _: as_int(v, DEFAULT_PORT),
    "cors_allowed_origins": lambda v, _: tuple(str(o) for o in _as_list(v)),
    "use_x_forwarded_for": lambda v, _: _as_bool(v, default=False),
    "trusted_proxies": _networks,
    "login_attempts_threshold": lambda v, _: as_int(v, NO_LOGIN_ATTEMPT_THRESHOLD),
    "ip_ban_enabled": lambda v, _: _as_bool(v, default=True),
    "use_x_frame_options": lambda v, _: _as_bool(v, default=True),
}


def settings_from_mapping(
    conf: Mapping[str, Any],
    *,
    base: str,
    release: HttpRelease = RUNNING_RELEASE,
    locations: Mapping[str, Location] | None = None,
    remarks: tuple[str, ...] = (),
) -> HttpSettings:
    """Build settings from an `http:` block or a storage slot; missing keys get defaults.

    The TLS profile is read as `release` reads it: a missing or invalid one is `modern` (the
    YAML default before 2026.11), and 2026.11 migrates the unversioned names.
    """
    notes = list(remarks)
    values = {
        name: value
        for name in FIELDS
        if conf.get(name) is not None
        and (value := _COERCE[name](conf[name], notes)) is not None
    }
    values["ssl_profile"] = release.profile(
        values.get("ssl_profile", SSL_MODERN),
        certificate=values.get("ssl_certificate") is not None,
    )
    return HttpSettings(
        **values, base=base, locations=dict(locations or {}), remarks=tuple(notes)
    )


# --- the files ---------------------------------------------------------------------------


_LIST_FIELDS: Final = frozenset({"cors_allowed_origins", "trusted_proxies"})


def secret_values(from_secrets: Mapping[str, Any]) -> dict[str, frozenset[Any]]:
    """Values read from `secrets.yaml`, coerced like the settings they are part of."""
    coerced: dict[str, frozenset[Any]] = {}
    for name, items in from_secrets.items():
        if name not in _COERCE:
            continue
        if name in _LIST_FIELDS:
            coerced[name] = frozenset(_COERCE[name](list(items), []))
        else:
            coerced[name] = frozenset(_COERCE[name](item, []) for item in items)
    return coerced


async def async_read_yaml_http(
    hass: HomeAssistant,
    config_dir: Path,
    graph: ConfigGraph,
    note: Callable[[str, str | None], None],
) -> tuple[Mapping[str, Any] | None, dict[str, Location]]:
    """The `http:` block of the YAML configuration and where each key is.

    Taken from the configuration graph (includes, packages); its `!secret` and `!env_var`
    values are resolved. None when there is no block, or when `configuration.yaml` cannot be
    read (then the running server and `.storage/http` tell, and a note says so).
    """
    block, where, _ = await _async_read_yaml(hass, config_dir, graph, note)
    return block, where


async def _async_read_yaml(
    hass: HomeAssistant,
    config_dir: Path,
    graph: ConfigGraph,
    note: Callable[[str, str | None], None],
) -> tuple[
    Mapping[str, Any] | None, dict[str, Location], Mapping[str, tuple[Any, ...]]
]:
    """`async_read_yaml_http`, and the values that came from `secrets.yaml`."""
    if graph.root_problem is not None:
        path = os.path.join(str(config_dir), YAML_FILE)  # noqa: PTH118
        if await hass.async_add_executor_job(os.path.lexists, path):
            note(
                f"cannot read {graph.root_problem}; the HTTP settings come from the "
                f"running server and {STORAGE_FILE} only",
                YAML_FILE,
            )
        return None, {}, {}
    # Walking the graph is CPU work proportional to its size: off the event loop.
    found, unset = await hass.async_add_executor_job(
        _block_and_unset, graph, config_dir
    )
    for ref in unset:
        note(
            f"cannot load this configuration: !env_var {ref.name} (line {ref.line}) is "
            "not set and has no default; Home Assistant refuses to start with it",
            ref.file,
        )
    found = await async_resolve_markers(hass, config_dir, graph, found)
    for reason, file in found.problems:
        note(reason, file)
    where = {
        name: Location(file=file or YAML_FILE, line=line, key=f"http.{name}")
        for name, (file, line) in found.origins.items()
    }
    return found.block, where, found.from_secrets


def _block_and_unset(
    graph: ConfigGraph, config_dir: Path
) -> tuple[YamlHttp, list[EnvVarRef]]:
    found = http_block(graph, config_dir, FIELDS)
    return found, list(unset_env_vars(graph, found))


# --- the running server ------------------------------------------------------------------


def _closure_value(func: Any, name: str) -> Any:
    """A variable a middleware closed over, or None."""
    code = getattr(func, "__code__", None)
    closure = getattr(func, "__closure__", None)
    if code is None or not closure or name not in code.co_freevars:
        return None
    try:
        return closure[code.co_freevars.index(name)].cell_contents
    except (IndexError, ValueError):
        return None


def _file_values(server: Any) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in ("ssl_certificate", "ssl_key", "ssl_peer_certificate"):
        if hasattr(server, name):
            value = getattr(server, name)
            values[name] = str(value) if value else None
    if isinstance(profile := getattr(server, "ssl_profile", None), str):
        values["ssl_profile"] = str(profile)  # 2026.11: an SSLProfile (a StrEnum)
    if isinstance(port := getattr(server, "server_port", None), int):
        values["server_port"] = port
    if isinstance(proxies := getattr(server, "trusted_proxies", None), list):
        values["trusted_proxies"] = tuple(
            p for p in proxies if isinstance(p, (IPv4Network, IPv6Network))
        )
    return values


def _ban_values(app: Any) -> dict[str, Any]:
    try:
        from homeassistant.components.http.ban import (  # noqa: PLC0415
            KEY_BAN_MANAGER,
            KEY_LOGIN_THRESHOLD,
        )

        values: dict[str, Any] = {"ip_ban_enabled": KEY_BAN_MANAGER in app}
        if values["ip_ban_enabled"] and isinstance(
            threshold := app.get(KEY_LOGIN_THRESHOLD), int
        ):
            values["login_attempts_threshold"] = threshold
    except Exception:  # noqa: BLE001 - another release: fall back to the files
        LOGGER.debug(
            "Cannot read the ban settings of the running server", exc_info=True
        )
        return {}
    return values


def _middleware_values(app: Any) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for middleware in list(getattr(app, "middlewares", ())):
        name = getattr(middleware, "__name__", "")
        if name == "forwarded_middleware":
            flag = _closure_value(middleware, "use_x_forwarded_for")
            if isinstance(flag, bool):
                values["use_x_forwarded_for"] = flag
        elif name == "headers_middleware":
            headers = _closure_value(middleware, "added_headers")
            if isinstance(headers, Mapping):
                values["use_x_frame_options"] = "X-Frame-Options" in headers
    return values


def server_values(server: Any) -> dict[str, Any]:
    """What the running `HomeAssistantHTTP` object reports; what it lacks is left out.

    Certificate, key, TLS profile, port and trusted proxies are attributes of the server;
    bans and the threshold are keys of its aiohttp application; whether it honours
    `X-Forwarded-For` and sends `X-Frame-Options` is what its middlewares closed over.
    """
    values = _file_values(server)
    if (app := getattr(server, "app", None)) is not None:
        values |= _ban_values(app)
        values |= _middleware_values(app)
    return values


def apply_server(
    settings: HttpSettings,
    values: Mapping[str, Any],
    *,
    files_known: bool = True,
) -> HttpSettings:
    """Let what the running server reports win over the files.

    `files_known` is False when the files could not be read: then a difference says
    nothing about what a restart would change, and is not remarked.
    """
    changes = {name: value for name, value in values.items() if name in FIELDS}
    overrides = dict(settings.overrides)
    overrides.update(dict.fromkeys(changes, SOURCE_SERVER))
    remarks = list(settings.remarks)
    differ = sorted(
        name for name, value in changes.items() if getattr(settings, name) != value
    )
    if differ and files_known:
        remarks.append(
            f"{settings.base} differs from the running server for {', '.join(differ)}: "
            "not in effect until Home Assistant restarts"
        )
    return replace(settings, **changes, overrides=overrides, remarks=tuple(remarks))


_YAML_IGNORED: Final = (
    "the http: block in configuration.yaml is ignored: Home Assistant moved it into "
    ".storage/http"
)
_YAML_NOT_MOVED: Final = (
    "the http: block in configuration.yaml is not moved into .storage/http (Home "
    "Assistant tries at every start and raises a repair when it fails); the stored "
    "settings apply"
)
# --- putting it together -----------------------------------------------------------------


def _from_store(
    stored: StoredHttp | None,
    yaml_block: Mapping[str, Any] | None,
    yaml_where: Mapping[str, Location],
    *,
    recovery_mode: bool,
    release: HttpRelease,
) -> HttpSettings:
    """What a release of 2026.8 or later applies at its start, from the files alone."""
    if stored is None or stored.stable is None:
        # No slots yet: this start makes the version 1 copy (if any) the stable slot and
        # the http: block a pending one, which it applies.
        if yaml_block is not None and not recovery_mode:
            return settings_from_mapping(
                yaml_block, base=SOURCE_YAML, release=release, locations=yaml_where
            )
        if stored is not None and stored.recovery is not None:
            return settings_from_mapping(
                stored.recovery, base=SOURCE_RECOVERY, release=release
            )
        return settings_from_mapping({}, base=SOURCE_DEFAULT, release=release)
    remarks: list[str] = []
    if yaml_block is not None:
        remarks.append(_YAML_IGNORED if stored.yaml_migration_done else _YAML_NOT_MOVED)
    if stored.pending is not None and not recovery_mode:
        if (error := stored.pending_error) is None:
            return settings_from_mapping(
                stored.pending,
                base=SOURCE_PENDING,
                release=release,
                remarks=(*remarks, ON_TRIAL),
            )
        remarks.append(not_applied(error))
    return settings_from_mapping(
        stored.stable, base=SOURCE_STABLE, release=release, remarks=tuple(remarks)
    )


def resolve(
    *,
    stored: StoredHttp | None,
    yaml_block: Mapping[str, Any] | None,
    yaml_where: Mapping[str, Location],
    recovery_mode: bool,
    release: HttpRelease | None = None,
    live: LiveSlot | None = None,
) -> HttpSettings:
    """Decide which configuration is in effect, as `release` does at its start.

    `release` defaults to the running one. `live` (core's store object, 2026.8 and later)
    says which slot the server started with and wins over the files.
    """
    release = release or RUNNING_RELEASE
    if live is not None:
        remarks = live.remarks
        if yaml_block is not None:
            remarks = (_YAML_IGNORED if live.yaml_moved else _YAML_NOT_MOVED, *remarks)
        return settings_from_mapping(
            live.conf, base=SLOT_SOURCES[live.slot], release=release, remarks=remarks
        )
    if release.migrates_yaml:
        return _from_store(
            stored,
            yaml_block,
            yaml_where,
            recovery_mode=recovery_mode,
            release=release,
        )
    # 2025.4 - 2026.7: the YAML, or in recovery mode the copy of what last started.
    if recovery_mode and stored is not None and stored.recovery is not None:
        return settings_from_mapping(
            stored.recovery,
            base=SOURCE_RECOVERY,
            release=release,
            remarks=("recovery mode: trusted proxies are only known by their address",),
        )
    if yaml_block is not None:
        return settings_from_mapping(
            yaml_block, base=SOURCE_YAML, release=release, locations=yaml_where
        )
    return settings_from_mapping({}, base=SOURCE_DEFAULT, release=release)


async def async_read_http_settings(
    hass: HomeAssistant,
    config_dir: Path,
    note: Callable[[str, str | None], None],
    graph: ConfigGraph | None = None,
    release: HttpRelease | None = None,
) -> HttpSettings:
    """Read the effective settings; what cannot be read is passed to `note(reason, file)`.

    `graph` is the scan's configuration graph; without one it is read here (uncached).
    `release` is the running one unless given.
    """
    stored: StoredHttp | None = None
    try:
        stored = await hass.async_add_executor_job(read_storage, config_dir)
    except StorageUnreadable as err:
        note(f"cannot read the HTTP settings store: {err}", STORAGE_FILE)
    if stored is not None and stored.remark is not None:
        note(f"HTTP settings store: {stored.remark}", STORAGE_FILE)
    if graph is None:
        graph = await hass.async_add_executor_job(read_config_graph, config_dir, {})
    yaml_block, yaml_where, from_secrets = await _async_read_yaml(
        hass, config_dir, graph, note
    )
    settings = resolve(
        stored=stored,
        yaml_block=yaml_block,
        yaml_where=yaml_where,
        recovery_mode=bool(hass.config.recovery_mode),
        release=release,
        live=live_store_slot(hass),
    )
    if from_secrets:
        # By value, whatever the layout: releases that migrate the http: block copy the
        # values its !secret tags name into .storage/http, where they are no less secret.
        settings = replace(settings, from_secrets=secret_values(from_secrets))
    if (server := getattr(hass, "http", None)) is not None:
        # Defaults stand in for a configuration.yaml that could not be read.
        files_known = graph.root_problem is None or settings.base != SOURCE_DEFAULT
        settings = apply_server(
            settings, server_values(server), files_known=files_known
        )
    return settings


async def _async_gather_http_settings(ctx: ScanContext) -> HttpSettings:
    """The effective HTTP settings, with notes on how they were read."""

    def _note(reason: str, file: str | None) -> None:
        ctx.note(Family.REMOTE_ACCESS, reason, file)

    graph = await async_get_config_graph(ctx)
    settings = await async_read_http_settings(
        ctx.hass, ctx.config_dir, _note, graph=graph
    )
    # What the report should say about the reading: which layout, what is not in effect.
    file = STORAGE_FILE if settings.base in _STORAGE_SOURCES else None
    for remark in settings.remarks:
        ctx.note(
            Family.REMOTE_ACCESS,
            f"HTTP settings from {settings.source}: {remark}",
            file,
        )
    return settings


HTTP_SETTINGS: Final = Fact[HttpSettings](
    name="the HTTP settings", gather=_async_gather_http_settings
)


async def async_get_http_settings(ctx: ScanContext) -> HttpSettings:
    """The effective HTTP settings, read once per scan (the `HTTP_SETTINGS` fact)."""
    return await ctx.fact(HTTP_SETTINGS)


# Proxies in these networks are inside a home, a container network or a VPN overlay.
_NON_PUBLIC: Final = tuple(
    ip_network(n)
    for n in (
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "127.0.0.0/8",
        "169.254.0.0/16",
        "100.64.0.0/10",
        "fc00::/7",
        "fe80::/10",
        "::1/128",
    )
)


def is_broad_network(network: IPNetwork) -> bool:
    """Whether a network reaches beyond private, loopback, link-local and shared ranges.

    0.0.0.0/0, ::/0 and any network with a public address are broad; 10.0.0.0/8,
    172.16.0.0/12, 192.168.0.0/16, 127.0.0.0/8, 100.64.0.0/10, fc00::/7 and their subnets
    are not.
    """
    return not any(
        network.version == allowed.version and network.subnet_of(allowed)  # type: ignore[arg-type]
        for allowed in _NON_PUBLIC
    )
