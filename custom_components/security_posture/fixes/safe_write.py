"""Edit the owner's files so that a failure at any point loses nothing.

`apply_edits` runs one transaction over a few files (blocking: call it in the executor):

1. Look: each file's real path (links resolved) must be inside the configuration directory
   and a new file must not be a dangling link (else `not_inside`); the file is opened without
   following a link and without blocking, and the opened descriptor must be a regular file
   with one link (else `unsupported_file`) that still holds exactly the bytes the fix was
   computed from (else `file_changed`); it must be writable: a file with no write permission
   bit at all is read-only on purpose and is left alone (`read_only`), even when running as
   root.
2. Back up: every file that exists is copied into a new folder under
   `<config>/.security_posture/backups/` (see `backup_folder`); a folder on the way that is
   a link, not ours, or writable by others is refused (`backup_unsafe`).
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
# ruff: noqa: PTH105, PTH108, PTH114, PTH116, PTH118, PTH120

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
import errno
import os
import secrets
import stat
from typing import TYPE_CHECKING, Final

from ..inspect.safe_read import ReadRefused, read_fd
from .backup_folder import backup_parts, make_backup
from .file_ops import MAX_FILE_BYTES, FixRefused, checkpoint, create, inside

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

_WRITE_BITS: Final = 0o222


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


def _link(source: str, target: str) -> None:
    """Hard-link (a seam: tests take hard links away here)."""
    os.link(source, target, follow_symlinks=False)


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
        create(temporary, data, mode, owner)
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
    elif _stat_key(os.lstat(real)) != _stat_key(expect):
        raise FixRefused("file_changed")


def _owner_of(st: os.stat_result) -> tuple[int, int]:
    return (st.st_uid, st.st_gid)


def _look(config_dir: str, edit: Edit) -> _Target:
    """Check a file is as expected and may be edited; refuse otherwise."""
    backup_parts(edit.rel)  # a name the backup can use, inside its folder
    if edit.original is None and os.path.islink(edit.path):
        raise FixRefused("not_inside")  # a dangling link: never create its target
    real = inside(config_dir, edit.path)
    flags = (
        os.O_RDONLY
        | os.O_NONBLOCK
        | getattr(os, "O_NOFOLLOW", 0)
        | getattr(os, "O_CLOEXEC", 0)
    )
    try:
        fd = os.open(real, flags)
    except FileNotFoundError:
        if edit.original is not None:
            raise FixRefused("file_changed") from None
        if not os.access(os.path.dirname(real), os.W_OK):
            raise FixRefused("read_only") from None
        return _Target(edit=edit, real=real)
    except OSError as err:
        if err.errno == errno.ELOOP:  # made a link since the path was resolved
            raise FixRefused("not_inside") from None
        raise FixRefused("unsupported_file") from None
    try:
        st = os.fstat(fd)
        _check_opened(fd, st, real, edit.original)
    finally:
        os.close(fd)
    return _Target(edit=edit, real=real, before=st)


def _check_opened(
    fd: int, st: os.stat_result, real: str, original: bytes | None
) -> None:
    """The opened file is the one the fix was computed from, and may be written."""
    if original is None:
        raise FixRefused("file_changed")  # it appeared meanwhile
    if not stat.S_ISREG(st.st_mode) or st.st_nlink != 1:
        raise FixRefused("unsupported_file")
    if not st.st_mode & _WRITE_BITS or not os.access(real, os.W_OK):
        raise FixRefused("read_only")
    if not os.access(os.path.dirname(real), os.W_OK):
        raise FixRefused("read_only")
    if _read_fd_all(fd, st) != original:
        raise FixRefused("file_changed")


def _read_fd_all(fd: int, st: os.stat_result) -> bytes:
    try:
        return read_fd(fd, st, MAX_FILE_BYTES)
    except ReadRefused:
        raise FixRefused("unsupported_file") from None


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
        existing = [
            (t.edit.rel, t.edit.original)
            for t in targets
            if t.edit.original is not None
        ]
        backup = make_backup(config_dir, label, existing)
    except FixRefused:
        raise
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
