"""Read the `data` of a Home Assistant storage file (`.storage/<key>`) when no API holds it.

A storage file is JSON: `{"version": ..., "minor_version": ..., "key": ..., "data": ...}`.
It is read like every other file of the integration (`safe_read`: a regular file, opened
without blocking, bounded), in the executor. Nothing read here is ever logged.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Final

from .safe_read import ReadRefused, read_regular

if TYPE_CHECKING:
    from pathlib import Path

STORAGE_DIR: Final = ".storage"
MAX_STORAGE_BYTES: Final = 16 * 1024 * 1024


class StorageUnreadable(Exception):  # noqa: N818 - reads as the outcome it is
    """A storage file that exists but cannot be used; the message says why (no content)."""


def storage_path(key: str) -> str:
    """The path of the storage file `key`, relative to the configuration directory."""
    return f"{STORAGE_DIR}/{key}"


def read_storage_data(
    config_dir: Path, key: str, limit: int = MAX_STORAGE_BYTES
) -> tuple[Any, Any] | None:
    """The `version` and `data` of `.storage/<key>` (blocking); None when there is no file.

    Raises `StorageUnreadable` for a file that cannot be read or is not a storage file.
    """
    try:
        _, raw = read_regular(config_dir / STORAGE_DIR / key, limit)
    except ReadRefused as err:
        if err.missing:
            return None
        raise StorageUnreadable(err.reason) from None
    try:
        content = json.loads(raw)
    except (ValueError, RecursionError):  # RecursionError: nested too deeply
        raise StorageUnreadable("not valid JSON") from None
    if not isinstance(content, dict) or "data" not in content:
        raise StorageUnreadable("not a storage file (no data)")
    return content.get("version"), content["data"]
