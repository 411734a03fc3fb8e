"""Edit the owner's files so that a failure at any point loses nothing.

`apply_edits` runs one transaction over a few files (blocking: call it in the executor):

1. Look: each file must still hold exactly the bytes the fix was computed from (else
   `file_changed`), be a regular file with one link, and be writable; a file with no write
   permission bit at all is read-only on purpose and is left alone (`read_only`), even when
   running as root.
2. Back up: every file that exists is copied to
   `<config>/.security_posture/backups/<UTC timestamp>-<label>/<relative path>.bak`
   (folders 0700, files 0600, each fsynced). The folder starts with a dot, so none of the
   `!include_dir_*` walks, which skip dot folders, reach it; the names end in `.bak`, not
   `.yaml`, so even an explicit include of the folder loads nothing; it is not under `www/`,
   so it is never served; and `.security_posture/.gitignore` (`*`) keeps it out of git.
3. Write: per file, a hard link to the original is kept next to it (a dot file), the new
   content goes to a temporary dot file in the same folder, is fsynced, gets the original's
   mode and owner, and replaces the file with `os.replace` (atomic); the folder is fsynced.
   A new file is created with the edit's `create_mode` (0600 for secrets).
4. Verify: the caller's check runs on the files as written (Home Assistant's own loader).
5. Roll back if a write or the check fails: files are restored in reverse order by renaming
   the kept link back (no new data written, so this works on a full disk and restores the very
   same inode, mode, owner and mtime); a created file is removed. When the file system has no
   hard links, the original bytes are written back atomically instead.
6. Finish: the kept links are removed; the backup stays.

`checkpoint(name)` is called at every step; tests make it raise to prove that a failure at
any point leaves each file either byte-identical to before or completely fixed.

Limits: a process that dies between two `os.replace` calls leaves the first file changed and
the second not (the backup and the kept link, a dot file next to it, hold the original);
extended attributes and ACLs are not copied to the new file; a change made by another
program in the instant between the last look and the rename would be lost (the window is one
`stat` wide); a file bind-mounted on its own (Docker) cannot be replaced by rename, so the
fix stops with `write_failed` and changes nothing.
"""

# Plain os calls: every step needs its exact system call (link, replace, fsync, O_EXCL).
# ruff: noqa: PTH101, PTH102, PTH103, PTH105, PTH108, PTH110, PTH112, PTH116, PTH118, PTH120, PTH123

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
import errno
import hashlib
import os
import secrets
import stat
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

BACKUP_ROOT: Final = os.path.join(".security_posture", "backups")
"""Where backups go, relative to the configuration directory."""
BACKUP_SUFFIX: Final = ".bak"
_GITIGNORE_ALL: Final = b"# Backups made by Security Posture: never commit them.\n*\n"
_WRITE_BITS: Final = 0o222


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
    """A file's bytes, or None when it does not exist."""
    try:
        with open(path, "rb") as file:
            return file.read()
    except FileNotFoundError:
        return None


@dataclass(frozen=True, kw_only=True)
class Edit:
    """Replace the content of one file (or create it)."""

    path: str
    """Absolute path as Home Assistant opens it (a symbolic link is followed)."""
    rel: str
    """Relative to the configuration directory: names the backup copy."""
    original: bytes | None
    """What the file holds now; None when it does not exist yet."""
    new: bytes
    create_mode: int = 0o600
    create_owner: tuple[int, int] | None = None
    """(uid, gid) for a new file, applied when the process may (root); else its own."""


@dataclass(kw_only=True)
class _Applied:
    edit: Edit
    real: str
    keep: str | None  # hard link to the original inode, for a rename back


@dataclass(kw_only=True)
class _Target:
    edit: Edit
    real: str
    before: os.stat_result | None = None
    applied: _Applied | None = field(default=None)


def _stat_key(st: os.stat_result) -> tuple[int, int, int, int]:
    return (st.st_ino, st.st_dev, st.st_size, st.st_mtime_ns)


def _token() -> str:
    return secrets.token_hex(4)


def _fsync_dir(directory: str) -> None:
    fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_all(fd: int, data: bytes) -> None:
    """Write every byte (a seam: tests fill the disk here)."""
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _link(source: str, target: str) -> None:
    """Hard-link (a seam: tests take hard links away here)."""
    os.link(source, target, follow_symlinks=False)


def _create(path: str, data: bytes, mode: int) -> None:
    """Create `path` (it must not exist) with `data`, fsynced."""
    fd = os.open(
        path,
        os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0),
        mode,
    )
    try:
        _write_all(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.chmod(path, mode)  # the umask may have taken bits away


def _unlink_quietly(path: str | None) -> None:
    if path is None:
        return
    with contextlib.suppress(OSError):
        os.unlink(path)


def _atomic_replace(
    real: str,
    data: bytes,
    mode: int,
    owner: tuple[int, int] | None,
    expect: os.stat_result | None,
) -> None:
    """Write `data` to a temporary file next to `real`, then rename it over `real`."""
    directory, name = os.path.split(real)
    temporary = os.path.join(directory, f".{name}.{_token()}.tmp")
    try:
        _create(temporary, data, mode)
        if owner is not None:
            st = os.stat(temporary)
            if (st.st_uid, st.st_gid) != owner:
                os.chown(temporary, *owner)
        checkpoint(f"replace:{name}")
        _last_look(real, expect)
        os.replace(temporary, real)
    except BaseException:
        _unlink_quietly(temporary)
        raise
    _fsync_dir(directory)


def _last_look(real: str, expect: os.stat_result | None) -> None:
    """Nobody changed (or created) the file since it was read."""
    if expect is None:
        if os.path.lexists(real):
            raise FixRefused("file_changed")
    elif _stat_key(os.stat(real)) != _stat_key(expect):
        raise FixRefused("file_changed")


def _owner_of(st: os.stat_result) -> tuple[int, int]:
    return (st.st_uid, st.st_gid)


def _look(config_dir: str, edit: Edit) -> _Target:
    """Check a file is as expected and may be edited; refuse otherwise."""
    real = os.path.realpath(edit.path)
    try:
        st = os.stat(real)
    except FileNotFoundError:
        if edit.original is not None:
            raise FixRefused("file_changed") from None
        directory = os.path.dirname(real)
        if not os.access(directory, os.W_OK):
            raise FixRefused("read_only") from None
        return _Target(edit=edit, real=real)
    if edit.original is None:
        raise FixRefused("file_changed")  # it appeared meanwhile
    if not stat.S_ISREG(st.st_mode) or st.st_nlink != 1:
        raise FixRefused("unsupported_file")
    if not st.st_mode & _WRITE_BITS or not os.access(real, os.W_OK):
        raise FixRefused("read_only")
    if not os.access(os.path.dirname(real), os.W_OK):
        raise FixRefused("read_only")
    if read_bytes(real) != edit.original:
        raise FixRefused("file_changed")
    return _Target(edit=edit, real=real, before=st)


def _backup(config_dir: str, label: str, targets: Sequence[_Target]) -> str:
    """Copy every existing file into a new backup folder; return the folder (relative)."""
    home = os.path.join(config_dir, os.path.dirname(BACKUP_ROOT))
    root = os.path.join(config_dir, BACKUP_ROOT)
    for directory in (home, root):
        if not os.path.isdir(directory):
            os.mkdir(directory, 0o700)
    marker = os.path.join(home, ".gitignore")
    if not os.path.exists(marker):
        _create(marker, _GITIGNORE_ALL, 0o644)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    folder = os.path.join(root, f"{stamp}-{label}")
    os.mkdir(folder, 0o700)
    for target in targets:
        original = target.edit.original
        if original is None:
            continue
        copy = os.path.join(folder, *target.edit.rel.split("/")) + BACKUP_SUFFIX
        os.makedirs(os.path.dirname(copy), mode=0o700, exist_ok=True)
        checkpoint(f"backup:{target.edit.rel}")
        _create(copy, original, 0o600)
        if read_bytes(copy) != original:
            raise OSError(errno.EIO, "backup copy differs")
    _fsync_dir(folder)
    return os.path.relpath(folder, config_dir).replace(os.sep, "/")


def _apply(target: _Target) -> _Applied:
    """Write one file; the original stays reachable through the kept link."""
    edit, real = target.edit, target.real
    keep: str | None = None
    if target.before is not None:
        directory, name = os.path.split(real)
        keep = os.path.join(directory, f".{name}.{_token()}.keep")
        try:
            _link(real, keep)
        except OSError:
            keep = None  # no hard links here: the bytes in memory are the fallback
    try:
        if target.before is None:
            _atomic_replace(
                real, edit.new, edit.create_mode, _new_owner(edit), expect=None
            )
        else:
            _atomic_replace(
                real,
                edit.new,
                stat.S_IMODE(target.before.st_mode),
                _owner_of(target.before),
                expect=target.before,
            )
    except BaseException:
        _unlink_quietly(keep)
        raise
    return _Applied(edit=edit, real=real, keep=keep)


def _new_owner(edit: Edit) -> tuple[int, int] | None:
    if edit.create_owner is None or not hasattr(os, "geteuid") or os.geteuid() != 0:
        return None
    return edit.create_owner


def _restore(applied: _Applied) -> None:
    """Put one file back as it was."""
    edit, real = applied.edit, applied.real
    checkpoint(f"rollback:{edit.rel}")
    if edit.original is None:
        os.unlink(real)
        _fsync_dir(os.path.dirname(real))
    elif applied.keep is not None:
        os.replace(applied.keep, real)
        applied.keep = None
        _fsync_dir(os.path.dirname(real))
    else:
        st = os.stat(real)
        _atomic_replace(
            real, edit.original, stat.S_IMODE(st.st_mode), _owner_of(st), expect=st
        )


def _rollback(applied: list[_Applied]) -> bool:
    """Restore every written file, newest first; False if any could not be restored."""
    restored = True
    for item in reversed(applied):
        try:
            _restore(item)
        except Exception:  # noqa: BLE001 - try the others; the backup holds this one
            restored = False
    return restored


def _reason(err: BaseException) -> str:
    if isinstance(err, FixRefused):
        return err.reason
    if isinstance(err, OSError):
        if err.errno in (errno.ENOSPC, errno.EDQUOT):
            return "disk_full"
        if err.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return "read_only"
    return "write_failed"


def _verify(verify: Callable[[], bool]) -> None:
    """Run the caller's check; raise `verify_failed` unless it says yes."""
    try:
        checkpoint("verify")
        verified = verify()
    except Exception as err:
        raise FixRefused(
            "verify_failed"
        ) from err  # a check that cannot run proves nothing
    if not verified:
        raise FixRefused("verify_failed")


def apply_edits(
    config_dir: str,
    label: str,
    edits: Sequence[Edit],
    verify: Callable[[], bool],
) -> str:
    """Write `edits` as one transaction; return the backup folder (relative).

    Raises `FixRefused` with the reason when nothing was changed, or everything written was
    put back (`backup` names the backup folder once there is one). `rollback_failed` means a
    file could not be put back: the backup folder holds its original.
    """
    targets = [_look(config_dir, edit) for edit in edits]
    try:
        checkpoint("backup")
        backup = _backup(config_dir, label, targets)
    except Exception as err:
        raise FixRefused("backup_failed") from err
    applied: list[_Applied] = []
    try:
        for target in targets:
            checkpoint(f"write:{target.edit.rel}")
            applied.append(_apply(target))
        _verify(verify)
    except Exception as err:
        reason = _reason(err)
        if not _rollback(applied):
            raise FixRefused("rollback_failed", backup=backup) from err
        raise FixRefused(reason, backup=backup) from err
    for item in applied:
        _unlink_quietly(item.keep)
    return backup
