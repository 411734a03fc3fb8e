"""What every file-editing fix shares: the refusal, the checkpoint seam and careful file I/O.

`FixRefused` carries the reason a fix did not happen; `checkpoint(name)` marks each step of a
transaction (tests make it raise); `read_bytes` and `inside` read and locate the owner's files
without following them anywhere unexpected; `create` makes a new file exclusively, fsynced.
"""

# Plain os calls: every step needs its exact system call (fsync, O_EXCL, O_NOFOLLOW).

from __future__ import annotations

import errno
import hashlib
import os
from typing import Final

from ..inspect.safe_read import ReadRefused, read_regular
from ..inspect.yaml_files import FILE_SIZE_LIMIT

MAX_FILE_BYTES: Final = FILE_SIZE_LIMIT
"""Fixes edit only files the configuration reader reads."""


class FixRefused(Exception):  # noqa: N818 - reads as the outcome it is
    """The fix did not happen (or was undone); `reason` is a translation key.

    Never carries file content: only the reason and, for some reasons, a path to show.
    """

    def __init__(self, reason: str, *, backup: str | None = None) -> None:
        """`backup` is the backup folder (relative) when one was made."""
        super().__init__(reason)
        self.reason = reason
        self.backup = backup


def checkpoint(name: str) -> None:
    """A named point of a transaction; does nothing (tests make it raise)."""


def digest(data: bytes | None) -> str | None:
    """The SHA-256 of a file's bytes; None for a file that does not exist."""
    return None if data is None else hashlib.sha256(data).hexdigest()


def read_bytes(path: str) -> bytes | None:
    """A file's bytes, or None when it does not exist.

    Opened without blocking and checked on the descriptor (`safe_read`): anything but a
    regular file of at most `MAX_FILE_BYTES` is refused as `unsupported_file`.
    """
    try:
        _, data = read_regular(path, MAX_FILE_BYTES)
    except ReadRefused as err:
        if err.missing:
            return None
        raise FixRefused("unsupported_file") from None
    return data


def inside(config_dir: str, path: str) -> str:
    """The real path of `path` (links resolved); refuse one outside the configuration."""
    root = os.path.realpath(config_dir)
    try:
        real = os.path.realpath(path)
    except (OSError, ValueError) as err:  # a NUL byte: no file has that name
        raise FixRefused("unsupported_file") from err
    if os.path.commonpath([root, real]) != root or real == root:
        raise FixRefused("not_inside")
    return real


def _write_all(fd: int, data: bytes) -> None:
    """Write every byte (a seam: tests fill the disk here)."""
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def create(
    path: str,
    data: bytes,
    mode: int,
    owner: tuple[int, int] | None = None,
    *,
    dir_fd: int | None = None,
) -> None:
    """Create `path` (it must not exist, not even as a link) with `data`, fsynced."""
    fd = os.open(
        path,
        os.O_RDWR
        | os.O_CREAT
        | os.O_EXCL
        | getattr(os, "O_NOFOLLOW", 0)
        | getattr(os, "O_CLOEXEC", 0),
        mode,
        dir_fd=dir_fd,
    )
    try:
        _write_all(fd, data)
        os.fchmod(fd, mode)  # the umask may have taken bits away
        if owner is not None:
            st = os.fstat(fd)
            if (st.st_uid, st.st_gid) != owner:
                os.fchown(fd, *owner)
        os.fsync(fd)
        if dir_fd is not None and _read_back(fd, len(data)) != data:
            raise OSError(errno.EIO, "backup copy differs")
    finally:
        os.close(fd)


def _read_back(fd: int, size: int) -> bytes:
    """What a file just written holds (a seam: tests make a copy come back wrong)."""
    return os.pread(fd, size + 1, 0)
