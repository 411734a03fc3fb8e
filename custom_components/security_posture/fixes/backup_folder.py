"""The backup folder: a copy of every file a fix edits, made before anything is written.

Every file that exists is copied to
`<config>/.security_posture/backups/<UTC timestamp>-<label>/<relative path>.bak`
(folders 0700, files 0600, each fsynced). The folder starts with a dot, so none of the
`!include_dir_*` walks, which skip dot folders, reach it; the names end in `.bak`, not
`.yaml`, so even an explicit include of the folder loads nothing; it is not under `www/`,
so it is never served; and `.security_posture/.gitignore` (`*`) keeps it out of git.
Every folder on the way is opened relative to the one above it, without following links:
a `.security_posture` (or `backups`) that is a link, not ours, or writable by others is
refused (`backup_unsafe`), so a planted link never receives a copy of a credential.
"""

# Plain os calls: every step needs its exact system call (mkdir/open relative to a folder).
# ruff: noqa: PTH117, PTH118

from __future__ import annotations

import contextlib
from datetime import UTC, datetime
import errno
import os
from typing import TYPE_CHECKING, Final

from .file_ops import FixRefused, checkpoint, create

if TYPE_CHECKING:
    from collections.abc import Sequence

BACKUP_HOME: Final = ".security_posture"
BACKUP_FOLDER: Final = "backups"
BACKUP_ROOT: Final = os.path.join(BACKUP_HOME, BACKUP_FOLDER)
"""Where backups go, relative to the configuration directory."""
BACKUP_SUFFIX: Final = ".bak"
_GITIGNORE_ALL: Final = b"# Backups made by Security Posture: never commit them.\n*\n"


def backup_parts(rel: str) -> list[str]:
    """The components of a relative path, for the backup's copy; refuse any other path."""
    parts = rel.split("/")
    if os.path.isabs(rel) or any(p in ("", ".", "..") for p in parts):
        raise FixRefused("not_inside")
    return parts


def _own_dir(parent_fd: int, name: str) -> int:
    """Open (making it, mode 0700, if needed) a folder of ours under `parent_fd`.

    Never through a link; a folder that another user owns, or that others may write in, is
    refused: a copy of a credential would be theirs to take.
    """
    with contextlib.suppress(FileExistsError):
        os.mkdir(name, 0o700, dir_fd=parent_fd)
    try:
        fd = os.open(
            name,
            os.O_RDONLY
            | getattr(os, "O_DIRECTORY", 0)
            | getattr(os, "O_NOFOLLOW", 0)
            | getattr(os, "O_CLOEXEC", 0),
            dir_fd=parent_fd,
        )
    except OSError as err:
        if err.errno in (errno.ELOOP, errno.ENOTDIR):
            raise FixRefused("backup_unsafe") from None
        raise
    st = os.fstat(fd)
    if st.st_uid != os.geteuid() or st.st_mode & 0o022:
        os.close(fd)
        raise FixRefused("backup_unsafe")
    return fd


def make_backup(config_dir: str, label: str, files: Sequence[tuple[str, bytes]]) -> str:
    """Copy the files into a new backup folder; return the folder (relative).

    `files` are the existing files' names (relative to the configuration directory) and
    their contents.
    """
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    folder_name = f"{stamp}-{label}"
    opened: list[int] = []
    try:
        config_fd = os.open(
            os.path.realpath(config_dir),
            os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0),
        )
        opened.append(config_fd)
        home_fd = _own_dir(config_fd, BACKUP_HOME)
        opened.append(home_fd)
        try:
            os.stat(".gitignore", dir_fd=home_fd, follow_symlinks=False)
        except FileNotFoundError:
            create(".gitignore", _GITIGNORE_ALL, 0o644, dir_fd=home_fd)
        root_fd = _own_dir(home_fd, BACKUP_FOLDER)
        opened.append(root_fd)
        os.mkdir(folder_name, 0o700, dir_fd=root_fd)
        folder_fd = _own_dir(root_fd, folder_name)
        opened.append(folder_fd)
        for rel, content in files:
            *folders, name = backup_parts(rel)
            parent = folder_fd
            for folder in folders:
                parent = _own_dir(parent, folder)
                opened.append(parent)
            checkpoint(f"backup:{rel}")
            create(name + BACKUP_SUFFIX, content, 0o600, dir_fd=parent)
        os.fsync(folder_fd)
    finally:
        for fd in reversed(opened):
            os.close(fd)
    return f"{BACKUP_HOME}/{BACKUP_FOLDER}/{folder_name}"
