"""How each Home Assistant release keeps and applies its HTTP settings, and TLS profiles.

Only names and rules: nothing here reads a file or asks Home Assistant (`http_store` reads
`.storage/http` and knows the running release).

- **2025.4 - 2026.7**: the `http:` block of `configuration.yaml` is the configuration.
- **2026.8 - 2026.10**: `.storage/http` slots (`stable`, `pending`) are; the YAML is moved
  there once, then ignored.
- **2026.11**: the same, with versioned TLS profiles (`modern_v4` ... `intermediate_v6`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final, Literal

type Slot = Literal["stable", "pending", "default"]
"""A configuration slot of the store; `default` is core's built-in configuration."""

STORAGE_FILE: Final = ".storage/http"

SSL_MODERN: Final = "modern"
SSL_INTERMEDIATE: Final = "intermediate"
UNVERSIONED_PROFILES: Final = {
    SSL_MODERN: "modern_v4",
    SSL_INTERMEDIATE: "intermediate_v4",
}
"""The profile names of YAML and storage before version 3, and the v4 profiles they meant."""
CURRENT_PROFILES: Final = ("intermediate_v6", "modern_v6")
"""The profiles of the current Mozilla guideline (2026.11); core's default is the first."""
CURRENT_GUIDELINE: Final = 6
DEFAULT_PORT: Final = 8123

# Error codes core records on a pending slot whose trial failed (2026.8 and later).
PENDING_ERRORS: Final = {
    "apply_failed": "it could not be applied",
    "not_promoted": "no owner confirmed it in time",
}

FIELDS: Final = (  # the settings read, named as in YAML and in the store
    "ssl_certificate",
    "ssl_key",
    "ssl_peer_certificate",
    "ssl_profile",
    "server_port",
    "cors_allowed_origins",
    "use_x_forwarded_for",
    "trusted_proxies",
    "login_attempts_threshold",
    "ip_ban_enabled",
    "use_x_frame_options",
)


def as_int(value: Any, default: int) -> int:
    """An integer from loosely typed JSON or YAML (never a bool), else `default`."""
    if isinstance(value, bool):
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def not_applied(error: str) -> str:
    """Why a pending configuration does not run, from the error core recorded on it."""
    return (
        f"the pending configuration is not applied: {PENDING_ERRORS.get(error, error)}"
    )


# --- the release -------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class HttpRelease:
    """How one Home Assistant release keeps and applies its HTTP settings."""

    migrates_yaml: bool
    """2026.8 and later: `.storage/http` slots are the configuration; YAML moved once."""
    versioned_profiles: bool
    """2026.11 and later: `modern_v4`, `intermediate_v6`, ... (storage version 3)."""

    @property
    def default_profile(self) -> str:
        """The TLS profile without one configured."""
        return CURRENT_PROFILES[0] if self.versioned_profiles else SSL_MODERN

    def profile(self, name: str, *, certificate: bool) -> str:
        """A profile name from YAML or an older store as this release reads it.

        2026.11 migrates `modern`/`intermediate` to the v4 profiles they meant when a
        certificate is configured, else to the default (the profile is not in use).
        """
        if not self.versioned_profiles or name not in UNVERSIONED_PROFILES:
            return name
        return UNVERSIONED_PROFILES[name] if certificate else self.default_profile


NEWEST_KNOWN: Final = (2026, 11)
"""The newest release whose rules are written here."""


def release_of(major: int, minor: int) -> HttpRelease:
    """The HTTP settings behaviour of Home Assistant `major.minor`."""
    return HttpRelease(
        migrates_yaml=(major, minor) >= (2026, 8),
        versioned_profiles=(major, minor) >= (2026, 11),
    )


# --- TLS profiles ------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class TlsProfile:
    """A Mozilla server-side TLS profile as Home Assistant names it."""

    name: str
    kind: str | None
    """`modern` or `intermediate`; None for a name this integration does not know."""
    guideline: int | None
    """The Mozilla guideline version: 4 for the unversioned names."""
    versioned: bool

    @property
    def outdated(self) -> bool:
        """A versioned profile of an older guideline: core raises `ssl_profile_outdated`.

        2026.11 raises it for any profile but the current ones (`CURRENT_PROFILES`) while a
        certificate is configured.
        """
        return (
            self.versioned
            and self.guideline is not None
            and self.guideline < CURRENT_GUIDELINE
        )


def tls_profile(name: str) -> TlsProfile:
    """Parse `modern`, `intermediate`, `modern_v4`, `intermediate_v6`, ..."""
    if name in UNVERSIONED_PROFILES:
        return TlsProfile(name=name, kind=name, guideline=4, versioned=False)
    kind, _, version = name.partition("_v")
    if kind in UNVERSIONED_PROFILES and version.isdigit() and len(version) <= 3:  # noqa: PLR2004
        return TlsProfile(name=name, kind=kind, guideline=int(version), versioned=True)
    return TlsProfile(name=name, kind=None, guideline=None, versioned=False)
