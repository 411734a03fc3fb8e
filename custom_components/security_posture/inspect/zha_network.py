"""Read whether ZHA's Zigbee network uses the published default network key.

ZHA (through zigpy) keeps network backups in its database, `zigbee.db` in the configuration
directory: table `network_backups_v<schema>`, one JSON document per backup, whose
`network_info.network_key.key` is the key the network uses (zigpy backs the network up at
every start and then periodically). ZHA forms networks with a random key; a network
migrated from Zigbee2MQTT keeps Zigbee2MQTT's key, which may be the published default.

The database is opened read-only in the executor; ZHA's own API would need its radio
libraries, which exist only where ZHA is installed, and reads the same backups when ZHA is
not running. Only "default or not" leaves this module, never a key.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import UTC, datetime
import json
import os
import re
import sqlite3
from typing import TYPE_CHECKING, Any, Final

from .safe_read import ReadRefused, open_regular
from .zigbee2mqtt import DEFAULT_NETWORK_KEY, KEY_BYTES

if TYPE_CHECKING:
    from pathlib import Path

ZHA_DOMAIN: Final = "zha"
DATABASE: Final = "zigbee.db"
MAX_BACKUP_JSON: Final = 4 * 1024 * 1024
MAX_BACKUPS: Final = 256

_TABLE: Final = re.compile(r"network_backups_v(\d{1,4})")


class ZhaUnreadable(Exception):  # noqa: N818 - reads as the outcome it is
    """ZHA's network key cannot be read; the message says why, quoting nothing."""


@dataclass(frozen=True, kw_only=True)
class ZhaNetwork:
    """ZHA's network, from its newest backup."""

    default_key: bool
    backup_time: datetime


def read_zha_network(config_dir: Path) -> ZhaNetwork | None:
    """The newest backup's verdict, None when there is no backup (blocking: executor)."""
    path = config_dir / DATABASE
    try:
        # Refuse what is not a regular file before SQLite opens it (a FIFO would block).
        fd, _ = open_regular(path)
    except ReadRefused as err:
        raise ZhaUnreadable(f"{DATABASE}: {err.reason}") from None
    try:
        rows = _backups(path)
    except sqlite3.Error:
        raise ZhaUnreadable(f"{DATABASE}: not a database ZHA wrote") from None
    finally:
        os.close(fd)
    newest: ZhaNetwork | None = None
    for raw in rows:
        network = _network(raw)
        if network is not None and (
            newest is None or network.backup_time > newest.backup_time
        ):
            newest = network
    return newest


def _backups(path: Path) -> list[Any]:
    """The backup documents of the newest backups table, read-only."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    with contextlib.closing(sqlite3.connect(uri, uri=True, timeout=2)) as db:
        tables = [
            (int(m.group(1)), m.group(0))
            for (name,) in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
            )
            if isinstance(name, str) and (m := _TABLE.fullmatch(name))
        ]
        if not tables:
            return []
        table = max(tables)[1]  # a name matched above, never user text
        return [
            raw
            for (raw,) in db.execute(
                f"SELECT backup_json FROM {table} ORDER BY id DESC LIMIT ?",  # noqa: S608
                (MAX_BACKUPS,),
            )
        ]


def _network(raw: Any) -> ZhaNetwork | None:
    """One backup's key verdict and time, or None when it holds no usable key."""
    if not isinstance(raw, str) or len(raw) > MAX_BACKUP_JSON:
        return None
    try:
        backup = json.loads(raw)
        when = datetime.fromisoformat(backup["backup_time"])
        when = when if when.tzinfo else when.replace(tzinfo=UTC)
        text = backup["network_info"]["network_key"]["key"]
        key = bytes.fromhex(text.replace(":", ""))
    except (ValueError, TypeError, KeyError, AttributeError):
        return None
    if len(key) != KEY_BYTES or key == b"\xff" * KEY_BYTES:  # zigpy's "unknown"
        return None
    return ZhaNetwork(default_key=key == DEFAULT_NETWORK_KEY, backup_time=when)
