"""Read an OpenSSH server configuration the way sshd does, without running it.

What sshd does and this reader follows:
- keywords are case-insensitive, `Keyword value` or `Keyword=value`, `#` starts a comment,
  double quotes group an argument;
- the first value obtained for a keyword wins (later ones are ignored);
- `Include` takes one or more paths or globs (matches read in sorted order; a glob that
  matches nothing is skipped); a relative path is taken from the main configuration's
  directory (sshd itself uses /etc/ssh, where the main file normally is). When the main
  file is not in /etc/ssh (a copy of the host's /etc/ssh mounted elsewhere, as Container
  installations do), an absolute `/etc/ssh/...` include is read from that copy too;
- an included file cannot change the includer's `Match` state: a `Match` opened inside it
  ends with it, and a file included inside a `Match` block only applies under that block;
- a `Match` block lasts until the next `Match` (or the end of its file); `Match all` applies
  to every connection.

Settings are recorded per *scope*: global, or one `Match` block. Findings about a `Match`
block say which connections it covers. Unreadable files and include loops (sshd refuses to
start on those) raise `SshdConfigError`; the reader is bounded in depth, files and size.

The `SSHD_CONFIG` fact reads the file the options name. Under the Supervisor (Home
Assistant OS, Supervised) the host's SSH server is not visible from Home Assistant: the
default path is not read there (the fact is None, see `SSHD_NOT_VISIBLE`), another path is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
import glob
import os
from pathlib import Path
import re
from typing import TYPE_CHECKING, Final

from ..const import DEFAULT_SSHD_CONFIG
from ..engine import CheckUnknown, Fact, ScanContext
from .safe_read import ReadRefused, read_regular
from .supervisor import has_supervisor

if TYPE_CHECKING:
    from collections.abc import Iterator

SSHDIR = "/etc/ssh/"
MAX_DEPTH = 16  # sshd's own SERVCONF_MAX_DEPTH
MAX_FILES = 256
MAX_FILE_BYTES = 1024 * 1024

# Keywords that are the same option under another name.
ALIASES = {"challengeresponseauthentication": "kbdinteractiveauthentication"}

_KEYWORD = re.compile(r"([^\s=]+)(?:\s*=\s*|\s+)(.*)")


class SshdConfigError(Exception):
    """The configuration cannot be read as sshd would read it; the message says why."""


@dataclass(frozen=True, kw_only=True)
class Setting:
    """The first value of a keyword within one scope."""

    keyword: str  # lower case, aliases resolved
    name: str  # as written in the file
    args: tuple[str, ...]
    file: str
    line: int
    scope: str | None  # None: global; otherwise the Match criteria, e.g. "User bob"

    @property
    def value(self) -> str:
        """The first argument in lower case (sshd compares values case-insensitively)."""
        return self.args[0].lower() if self.args else ""


@dataclass(frozen=True, kw_only=True)
class SshdConfig:
    """What an sshd_config tree sets, per scope, first value winning."""

    path: str
    files: tuple[str, ...]
    settings: tuple[Setting, ...]

    def get(self, keyword: str, scope: str | None = None) -> Setting | None:
        """The first value of `keyword` in `scope` (global by default)."""
        keyword = ALIASES.get(keyword.lower(), keyword.lower())
        return next(
            (s for s in self.settings if s.keyword == keyword and s.scope == scope),
            None,
        )

    @property
    def scopes(self) -> tuple[str, ...]:
        """The Match scopes, in file order."""
        seen: dict[str, None] = {}
        for setting in self.settings:
            if setting.scope is not None:
                seen.setdefault(setting.scope, None)
        return tuple(seen)


@dataclass
class _State:
    base: Path
    files: list[str] = field(default_factory=list)
    settings: dict[tuple[str | None, str], Setting] = field(default_factory=dict)


def read_sshd_config(path: str | os.PathLike[str]) -> SshdConfig:
    """Read the configuration at `path` and everything it includes (blocking I/O)."""
    main = Path(path)
    state = _State(base=main.parent)
    _read_file(main, state, scope=None, stack=())
    return SshdConfig(
        path=str(main),
        files=tuple(state.files),
        settings=tuple(state.settings.values()),
    )


def _read_text(path: Path) -> str:
    """The file's text: a regular file, opened without blocking and checked once opened.

    An `Include` can name anything: a FIFO or `/proc/kmsg` would block the reader forever.
    """
    try:
        _, data = read_regular(path, MAX_FILE_BYTES)
    except ReadRefused as err:
        if err.missing:
            raise SshdConfigError(f"{path} does not exist") from None
        if err.reason.startswith("larger than"):
            raise SshdConfigError(
                f"{path} is larger than {MAX_FILE_BYTES} bytes"
            ) from None
        if err.reason.startswith(("not a", "is ")):
            raise SshdConfigError(f"{path} {_kind_reason(err.reason)}") from None
        reason = err.reason.removeprefix("cannot be read: ")
        raise SshdConfigError(f"{path} cannot be read: {reason}") from None
    return data.decode("utf-8", errors="replace")


def _kind_reason(reason: str) -> str:
    """`is not a regular file`, `is a directory`, `is under /proc, ...`."""
    return "is not a regular file" if reason == "not a regular file" else reason


def _read_file(
    path: Path, state: _State, scope: str | None, stack: tuple[str, ...]
) -> None:
    key = os.path.realpath(path)
    if key in stack:
        chain = " -> ".join([*stack[stack.index(key) :], key])
        raise SshdConfigError(f"Include loop (sshd refuses to start): {chain}")
    if len(stack) > MAX_DEPTH:
        raise SshdConfigError(
            f"Includes nested deeper than {MAX_DEPTH} levels at {path}"
        )
    if len(state.files) >= MAX_FILES:
        raise SshdConfigError(f"More than {MAX_FILES} files included")
    text = _read_text(path)
    state.files.append(str(path))
    stack = (*stack, key)
    enclosing = scope
    for number, name, args in _directives(text):
        keyword = ALIASES.get(name.lower(), name.lower())
        if keyword == "match":
            criteria = " ".join(args) or "all"
            scope = criteria if enclosing is None else f"{enclosing}; {criteria}"
            continue
        if keyword == "include":
            for included in _expand(args, state.base):
                _read_file(included, state, scope, stack)
            continue
        setting_key = (scope, keyword)
        if setting_key not in state.settings:
            state.settings[setting_key] = Setting(
                keyword=keyword,
                name=name,
                args=args,
                file=str(path),
                line=number,
                scope=scope,
            )


def _expand(args: tuple[str, ...], base: Path) -> Iterator[Path]:
    """Paths an Include names, in sshd's order; glob(3) does not expand `~` here either."""
    for arg in args:
        if arg.startswith(SSHDIR) and base != Path(SSHDIR):
            pattern = str(base / arg.removeprefix(SSHDIR))  # a mounted copy of /etc/ssh
        else:
            pattern = arg if arg.startswith(("/", "~")) else str(base / arg)
        for match in sorted(glob.glob(pattern)):  # noqa: PTH207 - glob(3) semantics
            if not Path(match).is_dir():  # sshd reads a directory as an empty file
                yield Path(match)


def _directives(text: str) -> Iterator[tuple[int, str, tuple[str, ...]]]:
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = _KEYWORD.fullmatch(line)
        if match is None:
            continue  # a keyword without argument: sshd reports it and ignores it
        yield number, match.group(1), _split(match.group(2))


def _split(rest: str) -> tuple[str, ...]:
    """Split arguments as sshd's argv_split does: quotes group, `#` ends the line."""
    # Characters are collected in a list: growing a string one character at a time copies
    # it each time, which is quadratic in a long line.
    args: list[str] = []
    current: list[str] | None = None
    quoted = False
    chars = iter(rest)
    for char in chars:
        if char == "\\":
            current = current if current is not None else []
            current.append(next(chars, char))
        elif quoted:
            quoted = char != '"'
            if quoted and current is not None:
                current.append(char)
        elif char.isspace():
            if current is not None:
                args.append("".join(current))
            current = None
        elif char == "#" and current is None:
            break
        else:
            quoted = char == '"'
            current = current if current is not None else []
            if not quoted:
                current.append(char)
    if current is not None:
        args.append("".join(current))
    return tuple(args)


SSHD_NOT_VISIBLE: Final = (
    "the host's SSH server is managed by the Supervisor's operating system; "
    "the SSH add-ons are checked instead"
)


async def _async_sshd_config(ctx: ScanContext) -> SshdConfig | None:
    path = ctx.options.sshd_config
    if path == DEFAULT_SSHD_CONFIG and has_supervisor(ctx.hass):
        return None
    try:
        return await ctx.hass.async_add_executor_job(read_sshd_config, path)
    except SshdConfigError as err:
        raise CheckUnknown(f"sshd_config: {err}") from None


SSHD_CONFIG: Final = Fact[SshdConfig | None](
    name="the SSH server configuration", gather=_async_sshd_config
)
"""The host's sshd_config; None when the host's SSH server is not this installation's view."""
