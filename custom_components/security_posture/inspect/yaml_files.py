"""Read and parse one file of the configuration: bounded, without blocking, never raising.

A file is opened without blocking, checked on the descriptor (a regular file of at most
`FILE_SIZE_LIMIT`, 10 MiB, not under a kernel tree) and read once; a FIFO, a device or a
file under /proc never blocks the read (see `safe_read`). What cannot be read is a
`ReadError` whose message is the reason, without content.

Parsing keeps what the graph needs: the tree and its markers with their key paths, or for a
secrets file only its names and their lines (the values are dropped right here). A file
Home Assistant would refuse gives a reason instead of a tree.
"""

from __future__ import annotations

from dataclasses import dataclass
import errno
import os
import stat
from typing import TYPE_CHECKING, Any, Final

import yaml  # type: ignore[import-untyped]

from .key_paths import Located, walk
from .safe_read import ReadRefused, kernel_tree, read_fd
from .yaml_loader import (
    NESTED_TOO_DEEPLY,
    parse_yaml,
    value_error_reason,
    yaml_error_reason,
)
from .yaml_nodes import EnvVarRef, Include, SecretRef, YamlMap

if TYPE_CHECKING:
    from collections.abc import Mapping

FILE_SIZE_LIMIT: Final = 10 * 1024 * 1024
"""Files larger than this (10 MiB) are not read."""
_SECRETS_LOGGER_KEY: Final = "logger"

type StatKey = tuple[int, int, int]
"""What tells that a file changed: (mtime_ns, size, inode)."""


class ReadError(Exception):
    """A file that cannot be read; the message is the reason (no content in it)."""

    def __init__(
        self, reason: str, *, missing: bool = False, special: bool = False
    ) -> None:
        """`missing`: the file does not exist; `special`: it is a FIFO, device, ..."""
        super().__init__(reason)
        self.missing = missing
        self.special = special


@dataclass(frozen=True, slots=True)
class ParsedFile:
    """A parsed file, as cached: the tree and its markers, or the reason it failed."""

    root: Any
    lines: int
    size: int
    includes: tuple[Located[Include], ...] = ()
    secrets: tuple[Located[SecretRef], ...] = ()
    env_vars: tuple[Located[EnvVarRef], ...] = ()
    tag_problems: tuple[tuple[int, str], ...] = ()
    error: str | None = None


@dataclass(frozen=True, slots=True)
class ParsedSecrets:
    """A parsed secrets file, as cached: names and lines only."""

    names: Mapping[str, int]
    error: str | None = None


def _open_fd(path: str) -> int:
    """Open for reading without blocking on FIFOs (a seam for tests)."""
    return os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))


def file_error_reason(err: OSError) -> str:
    """Why a file or a folder of the configuration cannot be read (never its content)."""
    if isinstance(err, FileNotFoundError):
        return "file not found"
    if isinstance(err, PermissionError):
        return "cannot be read: permission denied"
    if err.errno == errno.ELOOP:
        return "cannot be read: symbolic link loop"
    return f"cannot be read: {err.strerror or type(err).__name__}"


def stat_key(st: os.stat_result) -> StatKey:
    """What tells, from `stat`, that a file changed since it was parsed."""
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def _check_regular(st: os.stat_result) -> None:
    if stat.S_ISDIR(st.st_mode):
        raise ReadError("is a directory, not a file")
    if not stat.S_ISREG(st.st_mode):
        raise ReadError("not a regular file", special=True)
    if st.st_size > FILE_SIZE_LIMIT:
        raise ReadError(
            f"larger than {FILE_SIZE_LIMIT // (1024 * 1024)} MiB ({st.st_size} bytes), not read"
        )


def read_text(path: str) -> tuple[StatKey, str, int]:
    """Read a whole file once: its stat key, its text and its size in bytes.

    Opened without blocking, checked on the descriptor, read to the size it had when opened
    (see `safe_read`): a FIFO, a device or a kernel file under /proc never blocks the read.
    """
    if (tree := kernel_tree(path)) is not None:
        raise ReadError(
            f"is under {tree}, a kernel interface, not a file", special=True
        )
    try:
        fd = _open_fd(path)
    except OSError as err:
        raise ReadError(
            file_error_reason(err), missing=isinstance(err, FileNotFoundError)
        ) from err
    try:
        st = os.fstat(fd)
        _check_regular(st)
        data = read_fd(fd, st, FILE_SIZE_LIMIT)
    except ReadRefused as err:
        raise ReadError(err.reason) from None
    except OSError as err:
        raise ReadError(file_error_reason(err)) from err
    finally:
        os.close(fd)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise ReadError(f"not valid UTF-8 (line {line})") from err
    # Home Assistant reads in text mode: universal newlines.
    return stat_key(st), text.replace("\r\n", "\n").replace("\r", "\n"), len(data)


def _count_lines(text: str) -> int:
    return text.count("\n") + (0 if not text or text.endswith("\n") else 1)


def _index(
    root: Any,
) -> tuple[list[Located[Include]], list[Located[SecretRef]], list[Located[EnvVarRef]]]:
    includes: list[Located[Include]] = []
    secrets: list[Located[SecretRef]] = []
    env_vars: list[Located[EnvVarRef]] = []
    for entry in walk(root):
        value = entry.value
        if isinstance(value, YamlMap):
            # A tag used as a mapping key is resolved by Home Assistant too.
            for key in value:
                if isinstance(key, SecretRef):
                    secrets.append(Located(key, (*entry.parts, str(key))))
                elif isinstance(key, EnvVarRef):
                    env_vars.append(Located(key, (*entry.parts, str(key))))
        elif isinstance(value, Include):
            includes.append(Located(value, entry.parts))
        elif isinstance(value, SecretRef):
            secrets.append(Located(value, entry.parts))
        elif isinstance(value, EnvVarRef):
            env_vars.append(Located(value, entry.parts))
    return includes, secrets, env_vars


def parse_config(text: str, rel: str, size: int) -> ParsedFile:
    """Parse a configuration file: its tree, its markers in place, or why it failed."""
    lines = _count_lines(text)
    try:
        root, tag_problems = parse_yaml(text, rel)
    except yaml.YAMLError as err:
        return ParsedFile(
            root=None, lines=lines, size=size, error=yaml_error_reason(err)
        )
    except RecursionError:
        return ParsedFile(root=None, lines=lines, size=size, error=NESTED_TOO_DEEPLY)
    except Exception as err:  # noqa: BLE001 - e.g. ValueError for a date like 2024-13-45
        return ParsedFile(
            root=None, lines=lines, size=size, error=value_error_reason(err)
        )
    # Markers only come from tags: a file without "!" has none, and is not walked for them.
    includes, secrets, env_vars = _index(root) if "!" in text else ([], [], [])
    return ParsedFile(
        root=root,
        lines=lines,
        size=size,
        includes=tuple(includes),
        secrets=tuple(secrets),
        env_vars=tuple(env_vars),
        tag_problems=tuple(tag_problems),
    )


def parse_secrets(text: str, rel: str) -> ParsedSecrets:
    """Parse a secrets file: keep the names and their lines; the values are dropped right here."""
    try:
        root, _ = parse_yaml(text, rel)
    except yaml.YAMLError as err:
        return ParsedSecrets(names={}, error=yaml_error_reason(err))
    except RecursionError:
        return ParsedSecrets(names={}, error=NESTED_TOO_DEEPLY)
    except Exception as err:  # noqa: BLE001
        return ParsedSecrets(names={}, error=value_error_reason(err))
    if root is None:
        return ParsedSecrets(names={})
    if not isinstance(root, YamlMap):
        return ParsedSecrets(names={}, error="secrets file is not a mapping")
    return ParsedSecrets(
        names={
            str(key): root.key_lines[key]
            for key in root
            if str(key) != _SECRETS_LOGGER_KEY
        }
    )
