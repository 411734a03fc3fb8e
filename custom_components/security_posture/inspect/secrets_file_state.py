"""The `secrets.yaml` files as the file system sees them: mode and last change, never content.

- `SECRETS_FILE_STATE`: the main `secrets.yaml` of the configuration directory.
- `NESTED_SECRETS_FILES`: every other `secrets.yaml` on a lookup path of the configuration's
  files (`!secret` looks in the file's own folder, then up to the configuration directory).

A failed read is part of the state (`error`), so that only the checks that look at the file
say why they cannot decide; a failure to find the nested files leaves the main one checked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from ..const import LOGGER
from ..engine import Fact
from .config_files import CONFIG_GRAPH
from .secret_files import (
    SECRETS_FILE,
    SecretsFileState,
    read_lookup_secrets_files,
    read_secrets_file,
)

if TYPE_CHECKING:
    from ..engine import ScanContext


async def _async_read_main(ctx: ScanContext) -> SecretsFileState:
    try:
        return await ctx.hass.async_add_executor_job(read_secrets_file, ctx.config_dir)
    except Exception as err:  # noqa: BLE001 - the error is the state the checks report
        LOGGER.debug("Reading %s failed", SECRETS_FILE, exc_info=True)
        return SecretsFileState(
            exists=True, error=f"could not read: {type(err).__name__}"
        )


async def _async_read_nested(ctx: ScanContext) -> tuple[SecretsFileState, ...]:
    try:
        graph = await ctx.fact(CONFIG_GRAPH)
        return await ctx.hass.async_add_executor_job(
            read_lookup_secrets_files, ctx.config_dir, [f.path for f in graph.files]
        )
    except Exception:  # noqa: BLE001 - the main secrets.yaml is still checked
        LOGGER.debug("Reading the nested secrets files failed", exc_info=True)
        return ()


SECRETS_FILE_STATE: Final = Fact[SecretsFileState](
    name="the secrets file", gather=_async_read_main
)
NESTED_SECRETS_FILES: Final = Fact[tuple[SecretsFileState, ...]](
    name="the nested secrets files", gather=_async_read_nested
)
