"""The effective HTTP settings as one value: what each setting is and where it came from.

Every layout (the `http:` block, a slot of `.storage/http`, the defaults) is read into the
same `HttpSettings`, coerced as Home Assistant coerces loosely typed YAML and JSON: an
invalid value is left at its default. Defaults count: `login_attempts_threshold` is off
(-1), `ip_ban_enabled` on, `use_x_frame_options` on, CORS allows the Cast origin only,
`ssl_profile` is the release's default.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from ipaddress import ip_network
from typing import TYPE_CHECKING, Any, Final

from .ha_values import boolean
from .http_releases import (
    DEFAULT_PORT,
    FIELDS,
    SSL_MODERN,
    STORAGE_FILE,
    HttpRelease,
    Slot,
    TlsProfile,
    as_int,
    tls_profile,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from .networks import IPNetwork

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
STORAGE_SOURCES: Final = (SOURCE_STABLE, SOURCE_PENDING, SOURCE_RECOVERY)
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
    ssl_profile: str = SSL_MODERN
    """As the release reads it (`settings_from_mapping`); `modern` before 2026.11."""
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
    release: HttpRelease | None = field(default=None, compare=False)
    """The release whose rules read these settings (None: not read from a layout)."""

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
        if self.base in STORAGE_SOURCES:
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
        return boolean(value)
    except ValueError:  # an invalid value: Home Assistant would refuse it
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
    release: HttpRelease,
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
        **values,
        base=base,
        locations=dict(locations or {}),
        remarks=tuple(notes),
        release=release,
    )


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
