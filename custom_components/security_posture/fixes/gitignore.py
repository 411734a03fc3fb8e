"""`secrets_not_ignored`: add the exposed path to the configuration folder's `.gitignore`.

Menu: `add_to_gitignore` or `ignore`. After a confirmation, one anchored line is appended to
`<config>/.gitignore` (created when absent): `/secrets.yaml`, `/sub/secrets.yaml` or
`/.storage/`, with the file's own line endings. It goes through the same safe transaction as
every file edit (backup, atomic write), and git (or the `.gitignore` rules, when git is not
installed) must then say the path is ignored, or the change is undone.

The path is the finding's subject: the path git would carry, relative to the configuration
directory, as `secrets_not_ignored` names it (its `file` is the same path; a subject is never
missing, and it is what the finding is known by).

A path git already tracks is refused (`tracked`): ignoring it changes nothing until it is
removed from the index with `git rm --cached`, which this fix does not do for you.
"""

# ruff: noqa: PTH118

from __future__ import annotations

import os
from pathlib import Path
import re
from typing import TYPE_CHECKING, Final

from ..inspect.git_state import CarriedPath, read_git_state
from ..inspect.secret_files import STORAGE_DIR
from .base import FixFlow
from .file_ops import FixRefused, read_bytes
from .safe_write import Edit, apply_edits

if TYPE_CHECKING:
    from homeassistant import data_entry_flow

GITIGNORE: Final = ".gitignore"
_SPECIAL: Final = re.compile(r"([\\*?\[\]!#])")


def ignore_line(path: str) -> str:
    """The `.gitignore` line that ignores exactly `path` (relative to its folder)."""
    escaped = _SPECIAL.sub(r"\\\1", path)
    if escaped.endswith(" "):
        escaped = escaped[:-1] + "\\ "
    return f"/{escaped}/" if path == STORAGE_DIR else f"/{escaped}"


def _exposure(config_dir: str, path: str) -> CarriedPath | None:
    state = read_git_state(Path(config_dir))
    if state.error is not None:
        raise FixRefused("git_unreadable")
    return next((e for e in state.exposures if e.path == path), None)


def add_to_gitignore(config_dir: str, path: str) -> str | None:
    """Ignore `path`; return the backup folder, or None when nothing was needed."""
    exposure = _exposure(config_dir, path)
    if exposure is None:
        return None  # ignored meanwhile
    if exposure.tracked:
        raise FixRefused("tracked")
    target = os.path.join(config_dir, GITIGNORE)
    original = read_bytes(target)
    text = "" if original is None else original.decode("utf-8", "surrogateescape")
    newline = "\r\n" if "\r\n" in text else "\n"
    if text and not text.endswith("\n"):
        text += newline
    text += ignore_line(path) + newline

    def verify() -> bool:
        return _exposure(config_dir, path) is None

    edit = Edit(
        path=target,
        rel=GITIGNORE,
        original=original,
        new=text.encode("utf-8", "surrogateescape"),
        create_mode=0o644,
    )
    return apply_edits(config_dir, "secrets_not_ignored", [edit], verify)


class GitIgnoreFlow(FixFlow):
    """Add the path to .gitignore, or accept the risk."""

    fix_step = "add_to_gitignore"

    async def async_step_add_to_gitignore(
        self, user_input: dict[str, str] | None = None
    ) -> data_entry_flow.FlowResult:
        """Confirm, then append the line."""
        if user_input is None:
            return self.async_show_form(
                step_id=self.fix_step, description_placeholders=self.placeholders
            )
        try:
            backup = await self.hass.async_add_executor_job(
                add_to_gitignore,
                self.hass.config.config_dir,
                self.finding.subject,
            )
        except FixRefused as err:
            return self.refused(err)
        if backup is None:
            return await self.async_fixed("already_ignored")
        return await self.async_fixed("added", {"backup": backup})
