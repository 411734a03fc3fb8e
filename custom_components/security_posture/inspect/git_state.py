"""Whether the configuration is in a git work tree, and what of its secrets git would carry.

The `GIT_STATE` fact (see `secret_files.read_git_state`). A failed read is part of the state
(`error`): the check that looks at it says why it cannot decide.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from ..const import LOGGER
from ..engine import Fact
from .secret_files import GitState, read_git_state

if TYPE_CHECKING:
    from ..engine import ScanContext


async def _async_read_git_state(ctx: ScanContext) -> GitState:
    try:
        return await ctx.hass.async_add_executor_job(read_git_state, ctx.config_dir)
    except Exception as err:  # noqa: BLE001 - the error is the state the check reports
        LOGGER.debug("Reading the git state failed", exc_info=True)
        return GitState(work_tree=None, error=f"could not read: {type(err).__name__}")


GIT_STATE: Final = Fact[GitState](name="the git state", gather=_async_read_git_state)
