"""`secrets_file_permissions` and `private_key_permissions`: make the file mode 600.

Menu: `restrict` or `ignore`. After a confirmation the file's mode becomes 600 (read and
write for its owner only). Refused when the file is gone or not a regular file, and when Home
Assistant's user is not its owner (and not root): then Home Assistant reads it through its
group or other bits, and mode 600 would lock Home Assistant itself out. After the change the
file must still be readable by Home Assistant, or the old mode is put back.

The private key's path is the one Home Assistant's `http` settings name (as the check read
it): the finding's subject is `private key <path>`.
"""

# Plain os calls, on the path exactly as configured.
# ruff: noqa: PTH101, PTH116, PTH118, PTH123

from __future__ import annotations

import os
import stat
from typing import TYPE_CHECKING, Final

from .base import FixFlow
from .safe_write import FixRefused, checkpoint

if TYPE_CHECKING:
    from homeassistant import data_entry_flow

OWNER_ONLY: Final = 0o600
KEY_SUBJECT_PREFIX: Final = "private key "


def restrict_mode(path: str) -> None:
    """Make `path` mode 600 unless that would hurt; raises `FixRefused` (blocking)."""
    try:
        st = os.stat(path)
    except FileNotFoundError as err:
        raise FixRefused("changed") from err
    except (OSError, ValueError) as err:
        raise FixRefused("write_failed") from err
    if not stat.S_ISREG(st.st_mode):
        raise FixRefused("unsupported_file")
    mode = stat.S_IMODE(st.st_mode)
    if mode == OWNER_ONLY:
        return  # already done (by someone else meanwhile)
    euid = os.geteuid()
    if euid not in (0, st.st_uid):
        raise FixRefused("not_owner")
    try:
        checkpoint("chmod")
        os.chmod(path, OWNER_ONLY)
    except OSError as err:
        raise FixRefused("read_only") from err
    if not _readable(path):
        try:
            checkpoint("rollback")
            os.chmod(path, mode)
        except OSError as err:
            raise FixRefused("rollback_failed") from err
        raise FixRefused("verify_failed")


def _readable(path: str) -> bool:
    """Home Assistant can still open the file for reading."""
    try:
        checkpoint("verify")
        with open(path, "rb"):
            return True
    except OSError:
        return False


class _RestrictFlow(FixFlow):
    """Confirm, then chmod 600."""

    fix_step = "restrict"

    def target(self) -> str:
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
            await self.hass.async_add_executor_job(restrict_mode, self.target())
        except FixRefused as err:
            return self.refused(err)
        return await self.async_fixed("restricted")


class SecretsFileModeFlow(_RestrictFlow):
    """secrets.yaml in the configuration folder."""

    def target(self) -> str:
        """The secrets file the check looked at."""
        rel = self.finding.file or "secrets.yaml"
        return os.path.join(self.hass.config.config_dir, *rel.split("/"))


class PrivateKeyModeFlow(_RestrictFlow):
    """The private key named by the `http` settings."""

    def target(self) -> str:
        """The key file, from the finding's subject (`private key <path>`)."""
        return self.finding.subject.removeprefix(KEY_SUBJECT_PREFIX)
