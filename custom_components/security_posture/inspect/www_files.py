"""Names under `www/`, which `/local/` serves without login, that should not be there.

`secrets.yaml`, `.storage` content or a copy of the folder, backups, private keys and the
database, judged by name only. A bounded walk that never follows a symbolic link to a
directory.

The `WWW_LISTING` fact: what the walk could not cover becomes a note of the report; a failed
walk is part of the state (`error`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
import os
from pathlib import Path
import re
from typing import TYPE_CHECKING, Final

from ..const import LOGGER
from ..engine import Fact
from ..model import Family
from .secret_files import STORAGE_DIR, WWW_DIR, os_reason

if TYPE_CHECKING:
    from ..engine import ScanContext

# Bounds of the walk: entries looked at under www/, depth, names reported.
MAX_WWW_ENTRIES: Final = 20_000
MAX_WWW_DEPTH: Final = 32
MAX_WWW_HITS: Final = 50
MAX_UNREADABLE_NOTES: Final = 10


class ServedKind(StrEnum):
    """What a file under `www/` looks like it is."""

    SECRETS = "secrets file"
    STORAGE = "file from .storage"
    STORAGE_DIR = "copy of the .storage folder"
    BACKUP = "backup"
    PRIVATE_KEY = "private key"
    DATABASE = "database"


@dataclass(frozen=True, kw_only=True)
class ServedFile:
    """A sensitive-looking name under `www/`."""

    path: str  # relative to the configuration directory, e.g. "www/secrets.yaml"
    kind: ServedKind


@dataclass(frozen=True, kw_only=True)
class WwwState:
    """The outcome of the walk of `www/`."""

    exists: bool
    served: tuple[ServedFile, ...] = ()
    truncated: bool = False  # more entries than the walk looks at
    more_hits: bool = False  # more sensitive names than are reported
    unreadable: tuple[str, ...] = ()  # directories that could not be listed (relative)
    error: str | None = None


_SECRETS_NAME = re.compile(r"secrets\.ya?ml(?:[.~_-].*)?", re.IGNORECASE)
_STORAGE_NAMES: Final = frozenset(
    {"auth", "core.config_entries", "application_credentials"}
)
_STORAGE_PREFIXES: Final = ("auth_provider.", "auth_module.")
_ARCHIVE = re.compile(
    r".*\.(?:tar|tar\.gz|tgz|tar\.bz2|tbz2|tar\.xz|txz|tar\.zst)", re.IGNORECASE
)
_BACKUPISH = re.compile(
    r".*(?:backup|snapshot).*\.(?:zip|7z|rar|gz|bz2|xz|bak)", re.IGNORECASE
)
_KEY_ALWAYS = re.compile(r".*\.(?:key|p12|pfx|ppk|jks|keystore)", re.IGNORECASE)
_KEY_SSH = re.compile(r"id_(?:rsa|dsa|ecdsa|ed25519)(?:_sk)?", re.IGNORECASE)
_KEY_PEM = re.compile(r".*(?:priv|key).*\.pem", re.IGNORECASE)
_DATABASE = re.compile(r"home-assistant_v2\.db.*", re.IGNORECASE)


def classify_name(name: str, *, is_dir: bool) -> ServedKind | None:
    """What a name under `www/` looks like, from the name alone."""
    if name == STORAGE_DIR:
        return ServedKind.STORAGE_DIR
    if is_dir:
        return None
    checks: tuple[tuple[bool, ServedKind], ...] = (
        (_SECRETS_NAME.fullmatch(name) is not None, ServedKind.SECRETS),
        (
            name in _STORAGE_NAMES or name.startswith(_STORAGE_PREFIXES),
            ServedKind.STORAGE,
        ),
        (_DATABASE.fullmatch(name) is not None, ServedKind.DATABASE),
        (
            _KEY_ALWAYS.fullmatch(name) is not None
            or _KEY_SSH.fullmatch(name) is not None
            or _KEY_PEM.fullmatch(name) is not None,
            ServedKind.PRIVATE_KEY,
        ),
        (
            _ARCHIVE.fullmatch(name) is not None
            or _BACKUPISH.fullmatch(name) is not None,
            ServedKind.BACKUP,
        ),
    )
    return next((kind for matched, kind in checks if matched), None)


def scan_www(
    config_dir: Path,
    *,
    max_entries: int = MAX_WWW_ENTRIES,
    max_hits: int = MAX_WWW_HITS,
) -> WwwState:
    """Walk `www/` (names only) for files that must not be served."""
    www = config_dir / WWW_DIR
    try:
        if not www.is_dir():
            return WwwState(exists=False)
        root = os.path.realpath(www)
    except OSError as err:
        return WwwState(exists=True, error=f"cannot read {WWW_DIR}/: {os_reason(err)}")
    walk = _WwwWalk(root=root, max_entries=max_entries, max_hits=max_hits)
    stack: list[tuple[str, str, int]] = [(str(www), WWW_DIR, 0)]
    while stack and not walk.truncated:
        stack.extend(reversed(walk.visit(*stack.pop())))
    return WwwState(
        exists=True,
        served=tuple(walk.served),
        truncated=walk.truncated,
        more_hits=walk.more_hits,
        unreadable=tuple(walk.unreadable),
    )


@dataclass
class _WwwWalk:
    """State of one bounded walk of `www/`."""

    root: str
    max_entries: int
    max_hits: int
    seen: int = 0
    truncated: bool = False
    more_hits: bool = False
    served: list[ServedFile] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)

    def visit(self, directory: str, rel: str, depth: int) -> list[tuple[str, str, int]]:
        """Look at the names of one directory; return its subdirectories to walk."""
        try:
            with os.scandir(directory) as scanned:
                entries = sorted(scanned, key=lambda e: e.name)
        except OSError:
            self.unreadable.append(rel)
            return []
        subdirs: list[tuple[str, str, int]] = []
        for entry in entries:
            self.seen += 1
            if self.seen > self.max_entries:
                self.truncated = True
                break
            is_dir, served = _entry_kind(entry, self.root)
            if not served:
                continue
            path = f"{rel}/{_printable(entry.name)}"
            kind = classify_name(entry.name, is_dir=is_dir)
            if kind is not None:  # a sensitive directory is reported once, not walked
                self._found(ServedFile(path=path, kind=kind))
            elif is_dir and not entry.is_symlink() and depth + 1 < MAX_WWW_DEPTH:
                subdirs.append((entry.path, path, depth + 1))
        return subdirs

    def _found(self, served: ServedFile) -> None:
        if len(self.served) >= self.max_hits:
            self.more_hits = True
        else:
            self.served.append(served)


def _entry_kind(entry: os.DirEntry[str], root: str) -> tuple[bool, bool]:
    """Whether the entry is a directory, and whether `/local/` would serve it.

    The web server does not follow a symbolic link that leads out of `www/`.
    """
    try:
        is_dir = entry.is_dir()
    except OSError:
        is_dir = False
    if not entry.is_symlink():
        return is_dir, True
    target = os.path.realpath(entry.path)
    inside = target == root or target.startswith(root.rstrip(os.sep) + os.sep)
    return is_dir, inside and Path(target).exists()


def _printable(name: str) -> str:
    """A file name as text: undecodable bytes become U+FFFD."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


# --- the fact ----------------------------------------------------------------------------


def www_state_of(config_dir: Path) -> WwwState:
    """`scan_www`, with an unexpected failure as the state (blocking; never raises)."""
    try:
        return scan_www(config_dir)
    except Exception as err:  # noqa: BLE001 - the error is the state the check reports
        LOGGER.debug("Walking %s failed", WWW_DIR, exc_info=True)
        return WwwState(exists=True, error=f"could not read: {type(err).__name__}")


def www_notes(www: WwwState) -> list[tuple[str, str]]:
    """What the walk could not cover, for the report's notes: (reason, file)."""
    notes: list[tuple[str, str]] = []
    if www.truncated:
        notes.append(
            (
                f"more than {MAX_WWW_ENTRIES} entries: only the first {MAX_WWW_ENTRIES} "
                "names were checked",
                WWW_DIR,
            )
        )
    if www.more_hits:
        notes.append(
            (
                f"more than {MAX_WWW_HITS} sensitive names: only the first "
                f"{MAX_WWW_HITS} are reported",
                WWW_DIR,
            )
        )
    notes.extend(
        ("cannot list this folder", rel)
        for rel in www.unreadable[:MAX_UNREADABLE_NOTES]
    )
    return notes


async def _async_scan_www(ctx: ScanContext) -> WwwState:
    www = await ctx.hass.async_add_executor_job(www_state_of, ctx.config_dir)
    for reason, file in www_notes(www):
        ctx.note(Family.SECRETS, reason, file)
    return www


WWW_LISTING: Final = Fact[WwwState](
    name="the www folder's listing", gather=_async_scan_www
)
