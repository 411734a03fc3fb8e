"""Read where secrets could leak from the configuration directory: file modes, git, `www/`.

Three blocking readers, each run in the executor:

- `read_secrets_file`: the mode and last change of `secrets.yaml` (never its contents).
- `read_git_state`: whether the configuration directory is in a git work tree, and which of
  `secrets.yaml` (at any depth) and `.storage/` are tracked or would be added because nothing
  ignores them. The `git` binary decides when it is installed and willing; otherwise the
  `.gitignore` files (and `info/exclude`) decide, through `GitIgnore`, which follows git's
  matching rules for the patterns people write.
- `scan_www`: names under `www/` (served without login at `/local/`) that look like secrets,
  `.storage` content, backups, private keys or the database. Names only; a bounded walk that
  never follows a symbolic link to a directory.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
import os
from pathlib import Path
import re
import shutil
import stat
import subprocess
from typing import TYPE_CHECKING, Final

from .safe_read import ReadRefused, read_regular

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

SECRETS_FILE: Final = "secrets.yaml"
STORAGE_DIR: Final = ".storage"
WWW_DIR: Final = "www"

GIT_TIMEOUT: Final = 20.0
# Bounds of the walks: entries looked at under www/ and under .storage (fallback only).
MAX_WWW_ENTRIES: Final = 20_000
MAX_WWW_DEPTH: Final = 32
MAX_WWW_HITS: Final = 50
MAX_STORAGE_ENTRIES: Final = 5_000
# Bounds of what is read of ignore files.
MAX_IGNORE_FILE_BYTES: Final = 1_000_000
MAX_IGNORE_PATTERNS: Final = 10_000
# A `.git` file or `commondir` holds one path.
MAX_POINTER_BYTES: Final = 4096
# How far up from the configuration directory a `.git` is looked for.
MAX_PARENT_LEVELS: Final = 64


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
            exists=True, path=rel, error=f"cannot read {rel}: {_os_reason(err)}"
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


def _os_reason(err: OSError) -> str:
    """The reason of an OS error without the path (which the caller names)."""
    return err.strerror or type(err).__name__


# --- gitignore matching --------------------------------------------------------------------


# A pattern is a list of steps, matched by `_wildmatch` as a set of states moving along the
# path once (no backtracking): time is path length times pattern length, whatever the
# pattern. (Compiled to a regular expression, `*a*a*a*a*a*a*a*a*a*a*b` took a minute on a
# 42-character name, and grew exponentially from there.)
_LITERAL: Final = "literal"  # one given character
_ONE: Final = "one"  # `?`: one character but `/`
_CLASS: Final = "class"  # `[...]`: one character of a class, never `/`
_NEVER: Final = "never"  # a trailing backslash: git matches nothing with it
_STAR: Final = "star"  # `*`: any run of characters but `/`
_DIRS: Final = "dirs"  # `**/`: nothing, or anything that ends with `/`
_ANY: Final = "any"  # a trailing `**`: anything


@dataclass(frozen=True, slots=True)
class _Step:
    kind: str
    char: str = ""
    members: re.Pattern[str] | None = None  # for `_CLASS`: one character, fullmatched

    def next_states(self, state: int, char: str) -> tuple[int, ...]:
        """The states after reading `char` at this step (`state` is its index)."""
        if self.kind == _STAR:
            return () if char == "/" else (state,)
        if self.kind == _ANY:
            return (state,)
        if self.kind == _DIRS:
            return (state, state + 1) if char == "/" else (state,)
        if self.kind == _LITERAL:
            taken = char == self.char
        elif self.kind == _ONE:
            taken = char != "/"
        elif self.kind == _CLASS and self.members is not None:
            taken = self.members.fullmatch(char) is not None
        else:
            taken = False
        return (state + 1,) if taken else ()


_REPEATING: Final = frozenset({_STAR, _DIRS, _ANY})


def _closure(states: set[int], steps: tuple[_Step, ...]) -> set[int]:
    """Add the states reachable without reading: a repeating step may match nothing."""
    pending = list(states)
    while pending:
        state = pending.pop()
        if state < len(steps) and steps[state].kind in _REPEATING:
            following = state + 1
            if following not in states:
                states.add(following)
                pending.append(following)
    return states


def _wildmatch(steps: tuple[_Step, ...], text: str) -> bool:
    """Whether `steps` match the whole of `text`."""
    states = _closure({0}, steps)
    for char in text:
        moved = {
            following
            for state in states
            if state < len(steps)
            for following in steps[state].next_states(state, char)
        }
        if not moved:
            return False
        states = _closure(moved, steps)
    return len(steps) in states


@dataclass(frozen=True, kw_only=True)
class IgnorePattern:
    """One line of an ignore file, compiled."""

    base: (
        str  # directory of the ignore file, relative to the work tree ("" for the root)
    )
    steps: tuple[_Step, ...]
    negate: bool
    dir_only: bool
    anchored: bool  # matched against the path below `base`, not only the name

    def matches(self, path: str, *, is_dir: bool) -> bool:
        """Whether the pattern matches `path` (relative to the work tree)."""
        if self.dir_only and not is_dir:
            return False
        if self.base:
            if not path.startswith(f"{self.base}/"):
                return False
            path = path[len(self.base) + 1 :]
        target = path if self.anchored else path.rpartition("/")[2]
        return _wildmatch(self.steps, target)


def _translate(pattern: str) -> tuple[_Step, ...]:  # noqa: C901, PLR0912 - a small scanner
    """Translate a gitignore glob (git's wildmatch with WM_PATHNAME) into steps."""
    out: list[_Step] = []
    i, n = 0, len(pattern)
    while i < n:
        char = pattern[i]
        if char == "*":
            j = i
            while j < n and pattern[j] == "*":
                j += 1
            at_start = i == 0 or pattern[i - 1] == "/"
            at_end = j == n or pattern[j] == "/"
            if j - i >= 2 and at_start and at_end:  # noqa: PLR2004 - "**"
                if j == n:
                    out.append(_Step(_ANY))
                else:
                    if not out or out[-1].kind != _DIRS:
                        out.append(_Step(_DIRS))
                    j += 1  # the slash belongs to "**/"
            else:
                out.append(_Step(_STAR))
            i = j
            continue
        if char == "?":
            out.append(_Step(_ONE))
        elif char == "[":
            end, cls = _char_class(pattern, i)
            if cls is None:
                out.append(_Step(_LITERAL, char))
            else:
                out.append(_Step(_CLASS, members=re.compile(cls, re.DOTALL)))
                i = end
        elif char == "\\":
            if i + 1 < n:
                i += 1
                out.append(_Step(_LITERAL, pattern[i]))
            else:
                out.append(_Step(_NEVER))
        else:
            out.append(_Step(_LITERAL, char))
        i += 1
    return tuple(out)


def _char_class(pattern: str, start: int) -> tuple[int, str | None]:
    """Parse `[...]` at `start`; return the index of `]` and the regex class (None if open).

    The class is matched against one character at a time, so it cannot backtrack.
    """
    i = start + 1
    negate = i < len(pattern) and pattern[i] in "!^"
    if negate:
        i += 1
    items: list[str] = []
    first = True
    while i < len(pattern):
        char = pattern[i]
        if char == "]" and not first:
            body = "".join(items)
            return i, f"(?!/)[{'^' if negate else ''}{body}]"
        if char == "\\" and i + 1 < len(pattern):
            i += 1
            items.append(re.escape(pattern[i]))
        elif char == "-" and items and i + 1 < len(pattern) and pattern[i + 1] != "]":
            items.append("-")
        else:
            items.append(re.escape(char))
        first = False
        i += 1
    return start, None


def parse_ignore_lines(text: str, base: str) -> list[IgnorePattern]:
    """Compile the patterns of one ignore file whose directory is `base`."""
    patterns: list[IgnorePattern] = []
    for raw in text.split("\n"):
        line = raw.removesuffix("\r")
        if not line or line.startswith("#"):
            continue
        line = _strip_trailing_spaces(line)
        negate = line.startswith("!")
        if negate:
            line = line[1:]
        dir_only = line.endswith("/")
        if dir_only:
            line = line[:-1]
        if not line:
            continue
        anchored = "/" in line
        line = line.removeprefix("/")
        try:
            steps = _translate(line)
        except re.error:  # pragma: no cover - every construct is escaped
            continue
        patterns.append(
            IgnorePattern(
                base=base,
                steps=steps,
                negate=negate,
                dir_only=dir_only,
                anchored=anchored,
            )
        )
    return patterns


def _strip_trailing_spaces(line: str) -> str:
    """Trailing spaces are dropped unless escaped with a backslash."""
    stripped = line.rstrip(" ")
    if stripped != line and stripped.endswith("\\"):
        backslashes = len(stripped) - len(stripped.rstrip("\\"))
        if backslashes % 2 == 1:
            return stripped + " "
    return stripped


@dataclass
class GitIgnore:
    """The ignore rules of one work tree, read lazily per directory (as git does).

    Precedence, lowest first: `$GIT_DIR/info/exclude`, then `.gitignore` files from the root
    down; within that order the last matching pattern decides. A path inside an ignored
    directory is ignored whatever a later negation says.
    """

    root: Path
    exclude: list[IgnorePattern] = field(default_factory=list)
    _per_dir: dict[str, list[IgnorePattern]] = field(default_factory=dict)
    _dirs: dict[str, bool] = field(default_factory=dict)

    def _patterns_of(self, directory: str) -> list[IgnorePattern]:
        if directory not in self._per_dir:
            path = (
                self.root / directory / ".gitignore"
                if directory
                else self.root / ".gitignore"
            )
            self._per_dir[directory] = parse_ignore_lines(
                _read_ignore_file(path), directory
            )
        return self._per_dir[directory]

    def _decide(self, path: str, *, is_dir: bool) -> bool | None:
        parts = path.split("/")
        candidates = list(self.exclude)
        for depth in range(len(parts)):
            candidates.extend(self._patterns_of("/".join(parts[:depth])))
        for pattern in reversed(candidates):
            if pattern.matches(path, is_dir=is_dir):
                return not pattern.negate
        return None

    def is_ignored(self, path: str, *, is_dir: bool) -> bool:
        """Whether `path` (relative to the work tree, with `/`) is ignored."""
        parts = path.split("/")
        for depth in range(1, len(parts)):
            if self._dir_ignored("/".join(parts[:depth])):
                return True
        return bool(self._decide(path, is_dir=is_dir))

    def _dir_ignored(self, directory: str) -> bool:
        if directory not in self._dirs:
            self._dirs[directory] = bool(self._decide(directory, is_dir=True))
        return self._dirs[directory]


class IgnoreFileError(Exception):
    """An ignore file exists but cannot be read."""


def _read_ignore_file(path: Path) -> str:
    """An ignore file's text ("" when there is none), read without blocking (`safe_read`)."""
    try:
        _, data = read_regular(path, MAX_IGNORE_FILE_BYTES)
    except ReadRefused as err:
        if err.missing or err.reason.startswith("is a directory"):
            return ""
        if err.reason.startswith("larger than"):
            raise IgnoreFileError(
                f"{path.name} is larger than {MAX_IGNORE_FILE_BYTES} bytes"
            ) from None
        reason = err.reason.removeprefix("cannot be read: ")
        raise IgnoreFileError(f"cannot read {path.name}: {reason}") from None
    lines = data.decode("utf-8", errors="replace").split("\n")
    return "\n".join(lines[:MAX_IGNORE_PATTERNS])


# --- git state -----------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Exposure:
    """A sensitive path git would carry: tracked already, or added by `git add -A`."""

    path: str  # relative to the configuration directory
    tracked: bool


@dataclass(frozen=True, kw_only=True)
class GitState:
    """Whether the configuration is in a git work tree and what of it git would carry."""

    work_tree: Path | None
    exposures: tuple[Exposure, ...] = ()
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


def _exposures_from_git(git: str, config_dir: Path) -> tuple[Exposure, ...] | str:
    """Ask git; return the exposures, or why git could not answer."""
    tracked = _git_ls_files(git, config_dir, ["--cached"])
    if isinstance(tracked, str):
        return tracked
    untracked = _git_ls_files(git, config_dir, ["--others", "--exclude-standard"])
    if isinstance(untracked, str):
        return untracked
    found: dict[str, Exposure] = {}
    for paths, is_tracked in ((tracked, True), (untracked, False)):
        for path in paths:
            subject = STORAGE_DIR if path.startswith(f"{STORAGE_DIR}/") else path
            if subject != STORAGE_DIR and is_include_stub(config_dir / path):
                continue
            if subject not in found or is_tracked:
                found[subject] = Exposure(path=subject, tracked=is_tracked)
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
        return f"git could not run ({_os_reason(err)})"
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
) -> tuple[Exposure, ...]:
    """Decide from the ignore files alone (top-level `secrets.yaml` and `.storage/`)."""
    ignore = GitIgnore(root=work_tree)
    try:
        exclude = _git_dir(work_tree) / "info" / "exclude"
    except OSError:
        exclude = None
    if exclude is not None:
        ignore.exclude = parse_ignore_lines(_read_ignore_file(exclude), "")
    prefix = config_dir.relative_to(work_tree).as_posix()
    prefix = "" if prefix == "." else f"{prefix}/"
    exposures: list[Exposure] = []
    secrets = config_dir / SECRETS_FILE
    if (
        secrets.is_file()
        and not is_include_stub(secrets)
        and not ignore.is_ignored(f"{prefix}{SECRETS_FILE}", is_dir=False)
    ):
        exposures.append(Exposure(path=SECRETS_FILE, tracked=False))
    storage = config_dir / STORAGE_DIR
    if storage.is_dir() and not storage.is_symlink():
        for rel in _walk_files(storage, MAX_STORAGE_ENTRIES):
            if not ignore.is_ignored(f"{prefix}{STORAGE_DIR}/{rel}", is_dir=False):
                exposures.append(Exposure(path=STORAGE_DIR, tracked=False))
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


# --- www/ ----------------------------------------------------------------------------------


class ServedKind(StrEnum):
    """What a file under `www/` looks like it is."""

    SECRETS = "secrets file"
    STORAGE = "file from .storage"
    STORAGE_DIR = "copy of the .storage folder"
    BACKUP = "backup"
    PRIVATE_KEY = "private key"
    DATABASE = "database"


@dataclass(frozen=True, kw_only=True)
class ServedFile:
    """A sensitive-looking name under `www/`."""

    path: str  # relative to the configuration directory, e.g. "www/secrets.yaml"
    kind: ServedKind


@dataclass(frozen=True, kw_only=True)
class WwwState:
    """The outcome of the walk of `www/`."""

    exists: bool
    served: tuple[ServedFile, ...] = ()
    truncated: bool = False  # more entries than the walk looks at
    more_hits: bool = False  # more sensitive names than are reported
    unreadable: tuple[str, ...] = ()  # directories that could not be listed (relative)
    error: str | None = None


_SECRETS_NAME = re.compile(r"secrets\.ya?ml(?:[.~_-].*)?", re.IGNORECASE)
_STORAGE_NAMES: Final = frozenset(
    {"auth", "core.config_entries", "application_credentials"}
)
_STORAGE_PREFIXES: Final = ("auth_provider.", "auth_module.")
_ARCHIVE = re.compile(
    r".*\.(?:tar|tar\.gz|tgz|tar\.bz2|tbz2|tar\.xz|txz|tar\.zst)", re.IGNORECASE
)
_BACKUPISH = re.compile(
    r".*(?:backup|snapshot).*\.(?:zip|7z|rar|gz|bz2|xz|bak)", re.IGNORECASE
)
_KEY_ALWAYS = re.compile(r".*\.(?:key|p12|pfx|ppk|jks|keystore)", re.IGNORECASE)
_KEY_SSH = re.compile(r"id_(?:rsa|dsa|ecdsa|ed25519)(?:_sk)?", re.IGNORECASE)
_KEY_PEM = re.compile(r".*(?:priv|key).*\.pem", re.IGNORECASE)
_DATABASE = re.compile(r"home-assistant_v2\.db.*", re.IGNORECASE)


def classify_name(name: str, *, is_dir: bool) -> ServedKind | None:
    """What a name under `www/` looks like, from the name alone."""
    if name == STORAGE_DIR:
        return ServedKind.STORAGE_DIR
    if is_dir:
        return None
    checks: tuple[tuple[bool, ServedKind], ...] = (
        (_SECRETS_NAME.fullmatch(name) is not None, ServedKind.SECRETS),
        (
            name in _STORAGE_NAMES or name.startswith(_STORAGE_PREFIXES),
            ServedKind.STORAGE,
        ),
        (_DATABASE.fullmatch(name) is not None, ServedKind.DATABASE),
        (
            _KEY_ALWAYS.fullmatch(name) is not None
            or _KEY_SSH.fullmatch(name) is not None
            or _KEY_PEM.fullmatch(name) is not None,
            ServedKind.PRIVATE_KEY,
        ),
        (
            _ARCHIVE.fullmatch(name) is not None
            or _BACKUPISH.fullmatch(name) is not None,
            ServedKind.BACKUP,
        ),
    )
    return next((kind for matched, kind in checks if matched), None)


def scan_www(
    config_dir: Path,
    *,
    max_entries: int = MAX_WWW_ENTRIES,
    max_hits: int = MAX_WWW_HITS,
) -> WwwState:
    """Walk `www/` (names only) for files that must not be served."""
    www = config_dir / WWW_DIR
    try:
        if not www.is_dir():
            return WwwState(exists=False)
        root = os.path.realpath(www)
    except OSError as err:
        return WwwState(exists=True, error=f"cannot read {WWW_DIR}/: {_os_reason(err)}")
    walk = _WwwWalk(root=root, max_entries=max_entries, max_hits=max_hits)
    stack: list[tuple[str, str, int]] = [(str(www), WWW_DIR, 0)]
    while stack and not walk.truncated:
        stack.extend(reversed(walk.visit(*stack.pop())))
    return WwwState(
        exists=True,
        served=tuple(walk.served),
        truncated=walk.truncated,
        more_hits=walk.more_hits,
        unreadable=tuple(walk.unreadable),
    )


@dataclass
class _WwwWalk:
    """State of one bounded walk of `www/`."""

    root: str
    max_entries: int
    max_hits: int
    seen: int = 0
    truncated: bool = False
    more_hits: bool = False
    served: list[ServedFile] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)

    def visit(self, directory: str, rel: str, depth: int) -> list[tuple[str, str, int]]:
        """Look at the names of one directory; return its subdirectories to walk."""
        try:
            with os.scandir(directory) as scanned:
                entries = sorted(scanned, key=lambda e: e.name)
        except OSError:
            self.unreadable.append(rel)
            return []
        subdirs: list[tuple[str, str, int]] = []
        for entry in entries:
            self.seen += 1
            if self.seen > self.max_entries:
                self.truncated = True
                break
            is_dir, served = _entry_kind(entry, self.root)
            if not served:
                continue
            path = f"{rel}/{_printable(entry.name)}"
            kind = classify_name(entry.name, is_dir=is_dir)
            if kind is not None:  # a sensitive directory is reported once, not walked
                self._found(ServedFile(path=path, kind=kind))
            elif is_dir and not entry.is_symlink() and depth + 1 < MAX_WWW_DEPTH:
                subdirs.append((entry.path, path, depth + 1))
        return subdirs

    def _found(self, served: ServedFile) -> None:
        if len(self.served) >= self.max_hits:
            self.more_hits = True
        else:
            self.served.append(served)


def _entry_kind(entry: os.DirEntry[str], root: str) -> tuple[bool, bool]:
    """Whether the entry is a directory, and whether `/local/` would serve it.

    The web server does not follow a symbolic link that leads out of `www/`.
    """
    try:
        is_dir = entry.is_dir()
    except OSError:
        is_dir = False
    if not entry.is_symlink():
        return is_dir, True
    target = os.path.realpath(entry.path)
    inside = target == root or target.startswith(root.rstrip(os.sep) + os.sep)
    return is_dir, inside and Path(target).exists()


def _printable(name: str) -> str:
    """A file name as text: undecodable bytes become U+FFFD."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
