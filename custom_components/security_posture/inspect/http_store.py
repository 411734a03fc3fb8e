"""Where each Home Assistant release keeps its HTTP settings, and how it applies them.

Where the settings live depends on the release (read from each release's `http` component):

- **2025.4 - 2026.7**: the `http:` block of `configuration.yaml` (with its includes and
  packages) is the configuration. `.storage/http` (storage version 1) is only a copy of the
  last configuration that started, which recovery mode applies instead; up to 2026.7.1 its
  trusted proxies are reduced to their network address.
- **2026.8 - 2026.10**: `.storage/http` version 2 (minor 2) holds two slots,
  `{"stable": {...}, "pending": {...} | null, "yaml_migration_done": bool}`. `stable` is the
  configuration an owner confirmed; `pending` a new one not confirmed yet. The first start
  moves the `http:` block into `pending` (when it differs from `stable`, which the version 1
  copy becomes) and ignores the YAML from then on (Home Assistant raises its own repairs about
  that). A normal start applies `pending` unless a trial of it failed (`error` set:
  `apply_failed`, `not_promoted`), else `stable`; recovery mode applies `stable`. Running
  `pending` is a trial ("Using pending HTTP config"): unless an owner confirms it within five
  minutes (websocket `http/config/promote`, which makes it `stable`), Home Assistant marks it
  `not_promoted` and restarts on `stable`. The store object sits in `hass.data["http"]` and
  knows which slot the server started with (`active_config_type`).
- **2026.11**: storage version 3: the same slots, with versioned TLS profiles (`modern_v4`,
  `intermediate_v4`, `modern_v6`, `intermediate_v6`; default `intermediate_v6`). The old names
  (`modern`, `intermediate`) meant the v4 profiles and are migrated to them when a certificate
  is configured, else to the default. Home Assistant raises its own repair for a v4 profile in
  use (`ssl_profile_outdated`).

This module knows the releases, the TLS profile names, the layouts of `.storage/http` and
core's store object; `http_settings` puts the effective settings together from them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
import json
from typing import TYPE_CHECKING, Any, Final

from .http_releases import (
    DEFAULT_PORT,
    FIELDS,
    STORAGE_FILE,
    Slot,
    as_int,
    not_applied,
)
from .safe_read import ReadRefused, read_regular

if TYPE_CHECKING:
    from pathlib import Path

    from homeassistant.core import HomeAssistant

MAX_STORAGE_BYTES: Final = 1024 * 1024
STORAGE_VERSIONS: Final = (1, 2, 3)
"""Versions of `.storage/http` this reader knows.

1: the recovery copy (2025.4 - 2026.7); 2: stable/pending slots (2026.8 - 2026.10);
3: the same with versioned TLS profiles (2026.11).
"""


# --- .storage/http ----------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class StoredHttp:
    """What `.storage/http` holds."""

    version: int
    # Versions 2 and 3 (2026.8 and later): the two slots and the migration flag.
    stable: Mapping[str, Any] | None = None
    pending: Mapping[str, Any] | None = None
    yaml_migration_done: bool = False
    # Version 1 (2025.4 - 2026.7): the copy of the last configuration that started.
    recovery: Mapping[str, Any] | None = None
    # Something to say about the reading (a version newer than this reader knows).
    remark: str | None = None

    @property
    def migrated_layout(self) -> bool:
        """Whether this is the stable/pending layout of releases that migrate the YAML."""
        return self.stable is not None

    @property
    def pending_error(self) -> str | None:
        """Why the pending slot failed its trial (it is never applied again), or None.

        Storage 2.1 has no error field: its pending slot has not failed.
        """
        error = self.pending.get("error") if self.pending is not None else None
        return str(error) if error else None


class StorageUnreadable(Exception):  # noqa: N818 - reads as the state it is
    """`.storage/http` exists but cannot be used; the message says why."""


def read_storage(config_dir: Path) -> StoredHttp | None:
    """Read `.storage/http` (blocking). None when there is no such file."""
    path = config_dir / STORAGE_FILE
    try:
        _, data = read_regular(path, MAX_STORAGE_BYTES)
    except ReadRefused as err:
        if err.missing:
            return None
        if err.reason.startswith("larger than"):
            raise StorageUnreadable("file too large") from None
        raise StorageUnreadable(err.reason) from None
    try:
        raw = json.loads(data)
    except ValueError as err:
        raise StorageUnreadable("not valid JSON") from err
    return parse_storage(raw)


def parse_storage(raw: Any) -> StoredHttp:
    """Interpret the JSON of `.storage/http` of any version.

    A version newer than `STORAGE_VERSIONS` is read for the settings this reader knows: its
    `stable`/`pending` slots if it has them, else the settings at the top of its data.
    """
    if not isinstance(raw, dict) or not isinstance(data := raw.get("data"), dict):
        raise StorageUnreadable("no data in the file")
    version = as_int(raw.get("version"), 1)
    newest = STORAGE_VERSIONS[-1]
    if version < STORAGE_VERSIONS[0]:
        raise StorageUnreadable(
            f"version {version} is not one this integration knows "
            f"({', '.join(map(str, STORAGE_VERSIONS))}); the file is ignored"
        )
    remark = None
    if version > newest:
        remark = (
            f"version {version} is newer than this integration knows (up to {newest}); "
            "it is read for the settings it knows"
        )
    if isinstance(stable := data.get("stable"), dict):
        pending = data.get("pending")
        return StoredHttp(
            version=version,
            stable=stable,
            pending=pending if isinstance(pending, dict) else None,
            yaml_migration_done=data.get("yaml_migration_done") is True,
            remark=remark,
        )
    if version == 1:
        return StoredHttp(version=version, recovery=data)
    if remark is None:
        raise StorageUnreadable(
            f"version {version} without a stable slot; the file is ignored"
        )
    if not any(name in data for name in FIELDS):
        raise StorageUnreadable(
            f"version {version} is newer than this integration knows (up to {newest}) "
            "and holds no setting it knows; the file is ignored"
        )
    return StoredHttp(
        version=version, stable=data, yaml_migration_done=True, remark=remark
    )


# --- core's store object (2026.8 and later) ---------------------------------------------


ON_TRIAL: Final = (
    "a new configuration is on trial: unless an owner confirms it, Home Assistant "
    "restores the stable one"
)


@dataclass(frozen=True, kw_only=True)
class LiveSlot:
    """The configuration the running server started with, from core's store object."""

    slot: Slot
    conf: Mapping[str, Any]
    remarks: tuple[str, ...] = ()
    yaml_moved: bool = True
    """False while the http: block could not be moved into the store (core's repair)."""


def _deadline(moment: Any) -> str:
    return f" at {moment:%Y-%m-%d %H:%M} UTC" if isinstance(moment, datetime) else ""


def live_store_slot(hass: HomeAssistant) -> LiveSlot | None:
    """The slot the running server started with (2026.8 and later), else None.

    Core keeps its `HTTPConfigStore` in `hass.data["http"]`: `active_config_type` names the
    slot the server was started with (`pending`, `stable`, or in recovery mode `default` and
    `default_legacy_port`), and stays right after an owner promotes the pending slot.
    """
    store = hass.data.get("http")
    active = getattr(store, "active_config_type", None)
    if active is None:
        return None
    slot = str(getattr(active, "value", active))
    moved = getattr(store, "yaml_migration_done", True) is not False
    pending = getattr(store, "pending", None)
    pending = pending if isinstance(pending, Mapping) else None
    if slot == "pending" and pending is not None:
        deadline = _deadline(getattr(store, "revert_deadline", None))
        return LiveSlot(
            slot="pending",
            conf=pending,
            remarks=(f"{ON_TRIAL}{deadline}",),
            yaml_moved=moved,
        )
    if slot == "stable" and isinstance(
        stable := getattr(store, "stable", None), Mapping
    ):
        remarks: tuple[str, ...] = ()
        if pending is not None and (error := pending.get("error")):
            remarks = (not_applied(str(error)),)
        elif pending is not None:
            remarks = ("a new configuration is staged for the next start",)
        return LiveSlot(slot="stable", conf=stable, remarks=remarks, yaml_moved=moved)
    if slot in ("default", "default_legacy_port"):
        default = getattr(store, "default", None)
        conf = dict(default) if isinstance(default, Mapping) else {}
        if slot == "default_legacy_port":
            conf["server_port"] = DEFAULT_PORT
        return LiveSlot(
            slot="default",
            conf=conf,
            remarks=("recovery mode runs the built-in default configuration",),
        )
    return None
