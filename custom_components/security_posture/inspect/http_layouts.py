"""Which HTTP configuration a release applies at its start, from what the files hold.

Up to 2026.7 the `http:` block (or, in recovery mode, the copy in `.storage/http`); from
2026.8 the `stable` or `pending` slot of `.storage/http`, the block being moved there once
and ignored after (see `http_releases`). Nothing here reads a file or asks Home Assistant:
the files are read by `http_store` and `http_yaml_secrets`, the running server by
`http_server`.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any, Final

from .http_releases import not_applied
from .http_store import ON_TRIAL
from .http_values import (
    SLOT_SOURCES,
    SOURCE_DEFAULT,
    SOURCE_PENDING,
    SOURCE_RECOVERY,
    SOURCE_STABLE,
    SOURCE_YAML,
    HttpSettings,
    Location,
    secret_values,
    settings_from_mapping,
)

if TYPE_CHECKING:
    from collections.abc import Mapping

    from .http_releases import HttpRelease
    from .http_store import LiveSlot, StoredHttp

_YAML_IGNORED: Final = (
    "the http: block in configuration.yaml is ignored: Home Assistant moved it into "
    ".storage/http"
)
_YAML_NOT_MOVED: Final = (
    "the http: block in configuration.yaml is not moved into .storage/http (Home "
    "Assistant tries at every start and raises a repair when it fails); the stored "
    "settings apply"
)


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


def decide_settings(
    *,
    stored: StoredHttp | None,
    yaml_block: Mapping[str, Any] | None,
    yaml_where: Mapping[str, Location],
    recovery_mode: bool,
    release: HttpRelease,
    live: LiveSlot | None = None,
) -> HttpSettings:
    """Decide which configuration is in effect, as `release` does at its start.

    `live` (core's store object, 2026.8 and later) says which slot the server started
    with and wins over the files.
    """
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


def with_secret_values(
    settings: HttpSettings, from_secrets: Mapping[str, tuple[Any, ...]]
) -> HttpSettings:
    """`settings`, knowing which of their values came from `secrets.yaml` (never shown).

    By value, whatever the layout: releases that migrate the http: block copy the values
    its !secret tags name into .storage/http, where they are no less secret.
    """
    if not from_secrets:
        return settings
    return replace(settings, from_secrets=secret_values(from_secrets))
