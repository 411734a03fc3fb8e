"""Where each release keeps its HTTP settings: releases, TLS profiles, `.storage/http` 1 to 3
(and newer), and core's store object."""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from homeassistant.core import HomeAssistant
import pytest

from custom_components.security_posture.inspect import http_store
from custom_components.security_posture.inspect.http_releases import (
    release_of,
    tls_profile,
)
from custom_components.security_posture.inspect.http_store import (
    StorageUnreadable,
    live_store_slot,
    parse_storage,
    read_storage,
)

from .http_stores import (
    PENDING,
    R2025_4,
    R2026_8,
    R2026_11,
    STABLE,
    v1_store,
    v2_store,
    v3_store,
    write_store,
)


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


def test_parse_storage_layouts() -> None:
    stored = parse_storage(v2_store(pending=PENDING))
    assert stored.migrated_layout is True
    assert stored.version == 2
    assert stored.stable == STABLE
    assert stored.pending == PENDING
    assert stored.pending_error is None
    assert stored.yaml_migration_done is True
    assert stored.remark is None
    assert (
        parse_storage(v2_store(pending=None, done=False)).yaml_migration_done is False
    )
    # 2.1 (2026.8 betas) has no metadata in its slots.
    bare = {k: v for k, v in PENDING.items() if k not in ("created_at", "error")}
    assert parse_storage(v2_store(pending=bare, minor=1)).pending_error is None
    failed = parse_storage(v2_store(pending={**PENDING, "error": "not_promoted"}))
    assert failed.pending_error == "not_promoted"
    v3 = parse_storage(v3_store({**STABLE, "ssl_profile": "modern_v4"}, None))
    assert (v3.version, v3.migrated_layout, v3.pending, v3.remark) == (
        3,
        True,
        None,
        None,
    )
    old = parse_storage(v1_store({"ip_ban_enabled": False}))
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
    raw = v2_store(pending=PENDING, version=4, minor=1)
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


def test_read_storage(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert read_storage(tmp_path) is None
    write_store(tmp_path, v2_store())
    stored = read_storage(tmp_path)
    assert stored is not None
    assert stored.stable == STABLE
    (tmp_path / ".storage" / "http").write_text("{not json")
    with pytest.raises(StorageUnreadable, match="not valid JSON"):
        read_storage(tmp_path)
    monkeypatch.setattr(http_store, "MAX_STORAGE_BYTES", 3)
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
    assert (live.slot, live.conf["server_port"]) == ("default", 8123)
    hass.data["http"] = SimpleNamespace(active_config_type="default", pending=None)
    live = live_store_slot(hass)
    assert live is not None
    assert live.conf == {}
