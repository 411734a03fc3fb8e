"""Where secrets could leak from the configuration directory: the secrets files' modes.

Three blocking readers, each run in the executor:

- `read_secrets_file` (here): the mode and last change of `secrets.yaml` (never its contents),
  and of every nested `secrets.yaml` on a lookup path.
- `git_state.read_git_state`: whether `secrets.yaml` or `.storage/` is tracked by git or
  would be added because nothing ignores it.
- `www_files.scan_www`: names under `www/` (served without login at `/local/`) that look
  like secrets, `.storage` content, backups, private keys or the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
import stat
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

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
