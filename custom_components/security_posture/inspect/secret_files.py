"""Where secrets could leak from the configuration directory: the secrets files' modes.

Three blocking readers, each run in the executor:

- `read_secrets_file` (here): the mode and last change of `secrets.yaml` (never its contents),
  and of every nested `secrets.yaml` on a lookup path.
- `git_state.read_git_state`: whether `secrets.yaml` or `.storage/` is tracked by git or
  would be added because nothing ignores it.
- `www_files.scan_www`: names under `www/` (served without login at `/local/`) that look
  like secrets, `.storage` content, backups, private keys or the database.

The facts: `SECRETS_FILE_STATE` (the main `secrets.yaml`) and `NESTED_SECRETS_FILES` (every
other one on a lookup path of the configuration's files). A failed read is part of the state
(`error`), so only the checks that look at the file say why they cannot decide; a failure to
find the nested files leaves the main one checked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
import stat
from typing import TYPE_CHECKING, Final

from ..const import LOGGER
from ..engine import Fact
from .config_facts import CONFIG_GRAPH

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

    from ..engine import ScanContext

SECRETS_FILE: Final = "secrets.yaml"
STORAGE_DIR: Final = ".storage"
WWW_DIR: Final = "www"


# --- secrets.yaml --------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class SecretsFileState:
    """What `stat` says about a `secrets.yaml`."""

    exists: bool
    path: str = SECRETS_FILE  # relative to the configuration directory
    mode: int | None = None  # permission bits only
    modified: datetime | None = None
    error: str | None = None


def read_secrets_file(config_dir: Path, rel: str = SECRETS_FILE) -> SecretsFileState:
    """Stat a `secrets.yaml` (a link is followed, as HA does; `stat` never blocks)."""
    path = config_dir / rel
    try:
        info = path.stat()
    except FileNotFoundError:
        return SecretsFileState(exists=False, path=rel)
    except OSError as err:
        return SecretsFileState(
            exists=True, path=rel, error=f"cannot read {rel}: {os_reason(err)}"
        )
    if not stat.S_ISREG(info.st_mode):
        return SecretsFileState(
            exists=True, path=rel, error=f"{rel} is not a regular file"
        )
    return SecretsFileState(
        exists=True,
        path=rel,
        mode=stat.S_IMODE(info.st_mode),
        modified=datetime.fromtimestamp(info.st_mtime, UTC),
    )


def lookup_secrets_files(files: Iterable[str]) -> tuple[str, ...]:
    """Every `secrets.yaml` Home Assistant may look a secret up in, but the main one.

    For each configuration file (relative paths), the folders from its own up to the
    configuration directory, as `!secret` is resolved.
    """
    found: set[str] = set()
    for file in files:
        if file.startswith("/"):
            continue
        parts = file.split("/")[:-1]
        while parts:
            found.add("/".join([*parts, SECRETS_FILE]))
            parts.pop()
    return tuple(sorted(found))


def read_lookup_secrets_files(
    config_dir: Path, files: Iterable[str]
) -> tuple[SecretsFileState, ...]:
    """Stat every nested `secrets.yaml` on a lookup path that exists (blocking)."""
    states = (read_secrets_file(config_dir, rel) for rel in lookup_secrets_files(files))
    return tuple(state for state in states if state.exists)


def os_reason(err: OSError) -> str:
    """The reason of an OS error without the path (which the caller names)."""
    return err.strerror or type(err).__name__


# --- the facts ---------------------------------------------------------------------------


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
