"""`.storage/http` as each release writes it, and the releases whose behaviour differs."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from custom_components.security_posture.inspect.http_releases import release_of
from custom_components.security_posture.inspect.http_settings import running_release

if TYPE_CHECKING:
    from pathlib import Path

# The releases whose behaviour differs (see the module under test).
R2025_4 = release_of(2025, 4)  # YAML; .storage/http 1 is the recovery copy
R2026_8 = release_of(2026, 8)  # .storage/http 2: stable/pending, YAML moved once
R2026_11 = release_of(2026, 11)  # .storage/http 3: versioned TLS profiles
RUNNING_RELEASE = running_release()  # the release these tests run on
MIGRATING = RUNNING_RELEASE.migrates_yaml

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


def v2_store(
    *,
    pending: dict[str, Any] | None = None,
    done: bool = True,
    version: int = 2,
    minor: int = 2,
) -> dict[str, Any]:
    """A store as 2026.8 - 2026.10 write it (version 2.2)."""
    return {
        "version": version,
        "minor_version": minor,
        "key": "http",
        "data": {"stable": STABLE, "pending": pending, "yaml_migration_done": done},
    }


def v3_store(stable: dict[str, Any], pending: dict[str, Any] | None) -> dict[str, Any]:
    """A store as 2026.11 writes it."""
    return {
        "version": 3,
        "minor_version": 1,
        "key": "http",
        "data": {"stable": stable, "pending": pending, "yaml_migration_done": True},
    }


def v1_store(data: dict[str, Any]) -> dict[str, Any]:
    """The recovery copy of 2025.4 - 2026.7."""
    return {"version": 1, "minor_version": 1, "key": "http", "data": data}


def write_store(config_dir: Path, content: Any) -> None:
    """Write `.storage/http`."""
    (config_dir / ".storage").mkdir(exist_ok=True)
    (config_dir / ".storage" / "http").write_text(json.dumps(content))
