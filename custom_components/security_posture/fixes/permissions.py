"""`secrets_file_permissions` and `private_key_permissions`: make the file mode 600.

Menu: `restrict` or `ignore`. After a confirmation the file's mode becomes 600 (read and
write for its owner only). Refused when the file's real path is outside the configuration
directory (`not_inside`: a link out, or a key kept elsewhere such as `/ssl`), when the file is
gone or not a regular file, and when Home
Assistant's user is not its owner (and not root): then Home Assistant reads it through its
group or other bits, and mode 600 would lock Home Assistant itself out. After the change the
file must still be readable by Home Assistant, or the old mode is put back.

The private key's path is the one Home Assistant's effective `http` settings name, read
again when the fix runs (the finding does not carry a path that came from `secrets.yaml`).
"""

# Plain os calls, on the path exactly as configured.
# ruff: noqa: PTH118

from __future__ import annotations

import errno
import os
from pathlib import Path
import stat
from typing import TYPE_CHECKING, Final

from ..inspect.http_settings import async_read_http_settings
from .base import FixFlow
from .file_ops import FixRefused, checkpoint, inside

if TYPE_CHECKING:
    from homeassistant import data_entry_flow

OWNER_ONLY: Final = 0o600


def restrict_mode(path: str, config_dir: str) -> None:
    """Make `path` mode 600 unless that would hurt; raises `FixRefused` (blocking).

    Only a regular file whose real path is inside the configuration directory is changed:
    it is opened without following a link and without blocking, and its mode is changed on
    the opened descriptor, so a link (or a file swapped meanwhile) is never followed out.
    """
    real = inside(config_dir, path)
    try:
        fd = os.open(real, _OPEN_FLAGS)
    except FileNotFoundError as err:
        raise FixRefused("changed") from err
    except OSError as err:
        if err.errno == errno.ELOOP:
            raise FixRefused("not_inside") from err
        raise FixRefused("write_failed") from err
    try:
        _restrict(fd, real)
    finally:
        os.close(fd)


_OPEN_FLAGS: Final = (
    os.O_RDONLY
    | os.O_NONBLOCK
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_CLOEXEC", 0)
)


def _restrict(fd: int, real: str) -> None:
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode) or st.st_nlink != 1:
        # A hard link is the same file under another name, perhaps outside the
        # configuration directory: its mode is not ours to change.
        raise FixRefused("unsupported_file")
    mode = stat.S_IMODE(st.st_mode)
    if mode == OWNER_ONLY:
        return  # already done (by someone else meanwhile)
    euid = os.geteuid()
    if euid not in (0, st.st_uid):
        raise FixRefused("not_owner")
    try:
        checkpoint("chmod")
        os.fchmod(fd, OWNER_ONLY)
    except OSError as err:
        raise FixRefused("read_only") from err
    if not _readable(real):
        try:
            checkpoint("rollback")
            os.fchmod(fd, mode)
        except OSError as err:
            raise FixRefused("rollback_failed") from err
        raise FixRefused("verify_failed")


def _readable(path: str) -> bool:
    """Home Assistant can still open the file for reading."""
    try:
        checkpoint("verify")
        os.close(os.open(path, _OPEN_FLAGS))
    except OSError:
        return False
    return True


class _RestrictFlow(FixFlow):
    """Confirm, then chmod 600."""

    fix_step = "restrict"

    async def async_target(self) -> str:
        """The file to restrict."""
        raise NotImplementedError

    async def async_step_restrict(
        self, user_input: dict[str, str] | None = None
    ) -> data_entry_flow.FlowResult:
        """Confirm, then restrict the file."""
        if user_input is None:
            return self.async_show_form(
                step_id=self.fix_step, description_placeholders=self.placeholders
            )
        try:
            await self.hass.async_add_executor_job(
                restrict_mode, await self.async_target(), self.hass.config.config_dir
            )
        except FixRefused as err:
            return self.refused(err)
        return await self.async_fixed("restricted")


class SecretsFileModeFlow(_RestrictFlow):
    """secrets.yaml in the configuration folder."""

    async def async_target(self) -> str:
        """The secrets file the check looked at."""
        rel = self.finding.file or "secrets.yaml"
        return os.path.join(self.hass.config.config_dir, *rel.split("/"))


class PrivateKeyModeFlow(_RestrictFlow):
    """The private key named by the `http` settings."""

    async def async_target(self) -> str:
        """The key file the effective HTTP settings name, read again now.

        Not taken from the finding: a path that came from `secrets.yaml` is not in it.
        """
        settings = await async_read_http_settings(
            self.hass, Path(self.hass.config.config_dir), lambda _reason, _file: None
        )
        if (key := settings.ssl_key or settings.ssl_certificate) is None:
            raise FixRefused("changed")
        return key
