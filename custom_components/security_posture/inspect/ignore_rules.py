"""Which paths git ignores, decided from `.gitignore` files as git decides.

Used when the `git` binary is missing or refuses to answer: `GitIgnore` follows git's
matching rules for the patterns people write (anchoring, `**`, negation, directories only,
character classes), in time linear in the path and the pattern.
"""

from __future__ import annotations

from dataclasses import dataclass, field
import re
from typing import TYPE_CHECKING, Final

from .safe_read import ReadRefused, read_regular

if TYPE_CHECKING:
    from pathlib import Path

# Bounds of what is read of ignore files.
MAX_IGNORE_FILE_BYTES: Final = 1_000_000
MAX_IGNORE_PATTERNS: Final = 10_000


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
                read_ignore_file(path), directory
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


def read_ignore_file(path: Path) -> str:
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
