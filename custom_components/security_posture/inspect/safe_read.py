"""Read a file the only safe way: a regular file, opened without blocking, bounded.

Every reader of the integration goes through here (or, for the configuration graph, does
exactly this itself). A path is opened with `O_NONBLOCK` (a FIFO or a device opens at once
instead of waiting for a writer), then the *opened descriptor* is checked: a regular file,
no larger than the caller's limit. Checking the path first and opening it afterwards left a
window in which the file could be swapped for a FIFO.

Then exactly the size `fstat` gave is read, never "until the end": files under `/proc`
say they are regular and empty, and reading one such as `/proc/kmsg` to its end blocks (and
consumes the kernel's log). Paths that resolve under `/proc`, `/sys` or `/dev` are refused
outright: they are kernel interfaces, not configuration.
"""

from __future__ import annotations

import errno
import os
import stat
from typing import Final

KERNEL_TREES: Final = ("/proc", "/sys", "/dev")
_CHUNK: Final = 1 << 20


class ReadRefused(Exception):  # noqa: N818 - reads as the outcome it is
    """A file that is not read; the message is the reason, which never quotes content."""

    def __init__(self, reason: str, *, missing: bool = False) -> None:
        """`missing` is set when there is no such file."""
        super().__init__(reason)
        self.reason = reason
        self.missing = missing


def kernel_tree(
    path: str | os.PathLike[str], real_dirs: dict[str, str] | None = None
) -> str | None:
    """The kernel interface (`/proc`, `/sys`, `/dev`) a path resolves into, if any.

    `real_dirs` remembers the real path of each folder between calls (one read of many
    files in few folders): then only the file itself is looked at.
    """
    try:
        if real_dirs is not None and isinstance(path, str):
            real = _real_path(path, real_dirs)
        else:
            real = os.path.realpath(path)
    except (OSError, ValueError):  # a NUL byte: opening it fails too, and says why
        return None
    return next(
        (tree for tree in KERNEL_TREES if real == tree or real.startswith(f"{tree}/")),
        None,
    )


def _real_path(path: str, real_dirs: dict[str, str]) -> str:
    """`os.path.realpath(path)`, with the real path of its folder taken from `real_dirs`."""
    folder, name = os.path.split(path)
    if not folder or name in ("", ".", ".."):
        return os.path.realpath(path)
    if (real_folder := real_dirs.get(folder)) is None:
        real_folder = real_dirs[folder] = os.path.realpath(folder)
    candidate = os.path.join(real_folder, name)  # noqa: PTH118 - lexical, as realpath
    return os.path.realpath(candidate) if os.path.islink(candidate) else candidate  # noqa: PTH114


def os_reason(err: OSError) -> str:
    """Why an open or a read failed, without the path (the caller names it)."""
    if isinstance(err, (FileNotFoundError, NotADirectoryError)):
        return "file not found"
    if isinstance(err, PermissionError):
        return "permission denied"
    if err.errno == errno.ELOOP:
        return "a symbolic link where none is allowed, or a link loop"
    return f"cannot be read: {err.strerror or type(err).__name__}"


def open_regular(
    path: str | os.PathLike[str], *, follow_links: bool = True
) -> tuple[int, os.stat_result]:
    """Open a regular file for reading without blocking; its descriptor and its stat.

    With `follow_links=False` the last component must not be a symbolic link. Raises
    `ReadRefused` for anything else; the descriptor is the caller's to close.
    """
    if (tree := kernel_tree(path)) is not None:
        raise ReadRefused(f"is under {tree}, a kernel interface, not a file")
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    if not follow_links:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except OSError as err:
        missing = isinstance(err, (FileNotFoundError, NotADirectoryError))
        raise ReadRefused(os_reason(err), missing=missing) from None
    try:
        st = os.fstat(fd)
        check_regular(st)
    except BaseException:
        os.close(fd)
        raise
    return fd, st


def check_regular(st: os.stat_result) -> None:
    """Refuse what an opened descriptor says is not a regular file."""
    if stat.S_ISDIR(st.st_mode):
        raise ReadRefused("is a directory, not a file")
    if not stat.S_ISREG(st.st_mode):
        raise ReadRefused("not a regular file")


def read_fd(fd: int, st: os.stat_result, limit: int) -> bytes:
    """The bytes of an opened regular file: exactly its size, at most `limit`."""
    if st.st_size > limit:
        raise ReadRefused(f"larger than {limit} bytes")
    chunks: list[bytes] = []
    left = st.st_size
    try:
        while left > 0 and (chunk := os.read(fd, min(left, _CHUNK))):
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as err:
        raise ReadRefused(os_reason(err)) from None
    return b"".join(chunks)


def read_regular(
    path: str | os.PathLike[str], limit: int, *, follow_links: bool = True
) -> tuple[os.stat_result, bytes]:
    """Open, check and read a regular file of at most `limit` bytes (blocking I/O)."""
    fd, st = open_regular(path, follow_links=follow_links)
    try:
        return st, read_fd(fd, st, limit)
    finally:
        os.close(fd)
