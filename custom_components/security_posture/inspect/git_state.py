"""Whether git carries `secrets.yaml` or `.storage/`: tracked, or added by `git add -A`.

The configuration directory may be in a git work tree (its own, or one above it). The `git`
binary decides when it is installed and willing; otherwise the `.gitignore` files (and
`info/exclude`) decide, through `ignore_rules.GitIgnore`. A `secrets.yaml` that only includes
another file (an include stub) holds nothing to leak.

The `GIT_STATE` fact is this state, read once per scan; a failed read is part of the state
(`error`), so the check that looks at it says why it cannot decide.
"""

from __future__ import annotations

from dataclasses import dataclass
import os
from pathlib import Path
import re
import shutil
import subprocess
from typing import TYPE_CHECKING, Final

from ..const import LOGGER
from ..engine import Fact
from .ignore_rules import (
    GitIgnore,
    IgnoreFileError,
    parse_ignore_lines,
    read_ignore_file,
)
from .safe_read import ReadRefused, read_regular
from .secret_files import SECRETS_FILE, STORAGE_DIR, os_reason

if TYPE_CHECKING:
    from collections.abc import Iterator

    from ..engine import ScanContext

GIT_TIMEOUT: Final = 20.0
# Entries looked at under .storage (without git only).
MAX_STORAGE_ENTRIES: Final = 5_000
# A `.git` file or `commondir` holds one path.
MAX_POINTER_BYTES: Final = 4096
# How far up from the configuration directory a `.git` is looked for.
MAX_PARENT_LEVELS: Final = 64


@dataclass(frozen=True, kw_only=True)
class CarriedPath:
    """A sensitive path git would carry: tracked already, or added by `git add -A`."""

    path: str  # relative to the configuration directory
    tracked: bool


@dataclass(frozen=True, kw_only=True)
class GitState:
    """Whether the configuration is in a git work tree and what of it git would carry."""

    work_tree: Path | None
    exposures: tuple[CarriedPath, ...] = ()
    via_git: bool = False
    # Why the answer is partial (decided from .gitignore alone); None when git answered.
    limitation: str | None = None
    error: str | None = None


def find_work_tree(config_dir: Path) -> Path | None:
    """The nearest directory at or above `config_dir` that holds a `.git` (dir or file)."""
    for level, directory in enumerate((config_dir, *config_dir.parents)):
        if level > MAX_PARENT_LEVELS:
            break
        try:
            if (directory / ".git").exists():
                return directory
        except OSError:
            continue
    return None


def read_git_state(config_dir: Path, *, git: str | None = None) -> GitState:
    """Decide what git would carry of `secrets.yaml` and `.storage/`.

    `git`: the git executable; looked up on the PATH when None, none at all when empty.
    """
    work_tree = find_work_tree(config_dir)
    if work_tree is None:
        return GitState(work_tree=None)
    git = shutil.which("git") if git is None else git
    if not git:
        limitation = "git is not installed"
    else:
        result = _exposures_from_git(git, config_dir)
        if isinstance(result, tuple):
            return GitState(work_tree=work_tree, exposures=result, via_git=True)
        limitation = result
    try:
        exposures = _exposures_from_ignore_files(work_tree, config_dir)
    except IgnoreFileError as err:
        return GitState(work_tree=work_tree, error=str(err))
    return GitState(work_tree=work_tree, exposures=exposures, limitation=limitation)


_SECRETS_PATHSPEC: Final = (f":(glob)**/{SECRETS_FILE}", f":(glob){STORAGE_DIR}/**")


def _exposures_from_git(git: str, config_dir: Path) -> tuple[CarriedPath, ...] | str:
    """Ask git; return the exposures, or why git could not answer."""
    tracked = _git_ls_files(git, config_dir, ["--cached"])
    if isinstance(tracked, str):
        return tracked
    untracked = _git_ls_files(git, config_dir, ["--others", "--exclude-standard"])
    if isinstance(untracked, str):
        return untracked
    found: dict[str, CarriedPath] = {}
    for paths, is_tracked in ((tracked, True), (untracked, False)):
        for path in paths:
            subject = STORAGE_DIR if path.startswith(f"{STORAGE_DIR}/") else path
            if subject != STORAGE_DIR and is_include_stub(config_dir / path):
                continue
            if subject not in found or is_tracked:
                found[subject] = CarriedPath(path=subject, tracked=is_tracked)
    return tuple(sorted(found.values(), key=lambda e: e.path))


def _git_ls_files(git: str, config_dir: Path, args: list[str]) -> list[str] | str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env |= {"GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"}
    command = [
        git,
        "-c",
        "core.fsmonitor=false",
        "-C",
        str(config_dir),
        "ls-files",
        "-z",
        *args,
        "--",
        *_SECRETS_PATHSPEC,
    ]
    try:
        done = subprocess.run(  # noqa: S603 - fixed arguments, no shell
            command,
            capture_output=True,
            timeout=GIT_TIMEOUT,
            env=env,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return f"git did not answer within {GIT_TIMEOUT:.0f} s"
    except OSError as err:
        return f"git could not run ({os_reason(err)})"
    if done.returncode != 0:
        stderr = done.stderr.decode("utf-8", errors="replace")
        if "dubious ownership" in stderr:
            return "git refused the repository (it belongs to another user)"
        return f"git failed (exit status {done.returncode})"
    output = done.stdout.decode("utf-8", errors="surrogateescape")
    return [p for p in output.split("\0") if p]


def _git_dir(work_tree: Path) -> Path:
    """The repository directory of a work tree (`.git` may be a `gitdir:` file)."""
    dot_git = work_tree / ".git"
    if (text := _small_text(dot_git)) is not None:
        for line in text.splitlines():
            if line.startswith("gitdir:"):
                git_dir = Path(line.removeprefix("gitdir:").strip())
                git_dir = git_dir if git_dir.is_absolute() else work_tree / git_dir
                if (rel := _small_text(git_dir / "commondir")) is not None:
                    return git_dir / rel.strip()
                return git_dir
    return dot_git


def _small_text(path: Path) -> str | None:
    """The text of a small regular file (`.git`, `commondir`); None when not one."""
    try:
        _, data = read_regular(path, MAX_POINTER_BYTES)
    except ReadRefused:
        return None
    return data.decode("utf-8", errors="replace")


def _exposures_from_ignore_files(
    work_tree: Path, config_dir: Path
) -> tuple[CarriedPath, ...]:
    """Decide from the ignore files alone (top-level `secrets.yaml` and `.storage/`)."""
    ignore = GitIgnore(root=work_tree)
    try:
        exclude = _git_dir(work_tree) / "info" / "exclude"
    except OSError:
        exclude = None
    if exclude is not None:
        ignore.exclude = parse_ignore_lines(read_ignore_file(exclude), "")
    prefix = config_dir.relative_to(work_tree).as_posix()
    prefix = "" if prefix == "." else f"{prefix}/"
    exposures: list[CarriedPath] = []
    secrets = config_dir / SECRETS_FILE
    if (
        secrets.is_file()
        and not is_include_stub(secrets)
        and not ignore.is_ignored(f"{prefix}{SECRETS_FILE}", is_dir=False)
    ):
        exposures.append(CarriedPath(path=SECRETS_FILE, tracked=False))
    storage = config_dir / STORAGE_DIR
    if storage.is_dir() and not storage.is_symlink():
        for rel in _walk_files(storage, MAX_STORAGE_ENTRIES):
            if not ignore.is_ignored(f"{prefix}{STORAGE_DIR}/{rel}", is_dir=False):
                exposures.append(CarriedPath(path=STORAGE_DIR, tracked=False))
                break
    return tuple(exposures)


_STUB_LINE = re.compile(
    r"\s*(?:#.*|---\s*|\.\.\.\s*|(?:<<|[\w.-]+)\s*:\s*!include(?:_dir_\w+)?\s+\S.*)?"
)
MAX_STUB_BYTES: Final = 65_536


def is_include_stub(path: Path) -> bool:
    """Whether a `secrets.yaml` only includes other files (it holds no value itself).

    ESPHome configurations keep such stubs (`<<: !include ../secrets.yaml`) in their
    subfolders. Only the lines are matched, no value is kept; unreadable means not a stub.
    """
    try:
        _, data = read_regular(path, MAX_STUB_BYTES)
    except ReadRefused:
        return False
    text = data.decode("utf-8", errors="replace")
    lines = text.splitlines()
    return any(line.strip() for line in lines) and all(
        _STUB_LINE.fullmatch(line) for line in lines
    )


def _walk_files(top: Path, limit: int) -> Iterator[str]:
    """Relative paths of the files below `top`, bounded, without following links."""
    stack = [(top, "")]
    seen = 0
    while stack:
        directory, rel = stack.pop()
        try:
            with os.scandir(directory) as entries:
                listed = sorted(entries, key=lambda e: e.name)
        except OSError:
            continue
        for entry in listed:
            seen += 1
            if seen > limit:
                return
            name = f"{rel}{entry.name}"
            if entry.is_dir(follow_symlinks=False):
                stack.append((Path(entry.path), f"{name}/"))
            else:
                yield name


def git_state_of(config_dir: Path) -> GitState:
    """`read_git_state`, with an unexpected failure as the state (blocking; never raises)."""
    try:
        return read_git_state(config_dir)
    except Exception as err:  # noqa: BLE001 - the error is the state the check reports
        LOGGER.debug("Reading the git state failed", exc_info=True)
        return GitState(work_tree=None, error=f"could not read: {type(err).__name__}")


async def _async_read_git_state(ctx: ScanContext) -> GitState:
    return await ctx.hass.async_add_executor_job(git_state_of, ctx.config_dir)


GIT_STATE: Final = Fact[GitState](name="the git state", gather=_async_read_git_state)
