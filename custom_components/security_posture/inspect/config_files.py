"""Read the YAML configuration graph the way Home Assistant loads it, with file and line.

Home Assistant's own loader (`annotatedyaml.loader.FastSafeLoader`) is subclassed and given
constructors that return markers (`Include`, `SecretRef`, `EnvVarRef`, `InputRef`) instead of
resolving the tags, so that a missing secret or include never stops the reading. The graph is
then resolved here, following exactly what Home Assistant follows:

- `configuration.yaml`, `!include` (relative to the including file), the four
  `!include_dir_*` forms (recursive, `*.yaml`, dot files and directories skipped,
  `secrets.yaml` skipped, sorted, symbolic links to directories not followed, like
  `annotatedyaml.loader`), so packages come in through their includes;
- YAML-mode dashboards (`ui-lovelace.yaml` and `lovelace.dashboards.*.filename`), which
  Home Assistant loads with the same loader and secrets;
- `!secret` lookup from the directory of the file holding the reference up to the
  configuration directory, like `annotatedyaml.loader.Secrets.get`.

Values keep their place: mappings (`YamlMap`) know the line of each key and each value,
sequences (`YamlList`) the line of each item, so every value, including numbers, booleans and
null, has a file (relative to the configuration directory) and a 1-based line.

Key paths are dotted inside each file, from that file's root: mapping keys are joined with
`.`, list items are written `[n]` (`sensor[2].password`, or `[0].url` in a file whose root is
a list). A key containing `.`, `[`, `]` or `"`, or an empty key, is written `["key"]`.

Only names and lines of secrets are kept, never their values. Nothing here opens `.storage`
or the database. A file larger than `FILE_SIZE_LIMIT` (10 MiB) is not read. Every file that
cannot be read (missing, unreadable, not UTF-8, invalid YAML, too large, a link loop, an
include loop) becomes a `Problem` naming the file; reading never raises for bad input.

Parsed files are cached between scans, keyed by path and (mtime_ns, size, inode): an
unchanged rescan only calls `stat`.
"""

# Paths are joined and normalised lexically with os.path, as annotatedyaml does.
# ruff: noqa: PTH110, PTH116, PTH118, PTH119, PTH120, PTH122

from __future__ import annotations

from dataclasses import dataclass, field
import errno
import fnmatch
import os
import re
import stat
from typing import TYPE_CHECKING, Any, Final

from annotatedyaml.loader import FastSafeLoader, PythonSafeLoader
import yaml  # type: ignore[import-untyped]

from ..engine import Fact, ScanContext, Slot
from ..model import Family
from .masking import mask_credentials, mask_path
from .safe_read import ReadRefused, kernel_tree, read_fd

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping, MutableMapping, Sequence
    from pathlib import Path


CONFIG_YAML: Final = "configuration.yaml"
SECRET_YAML: Final = "secrets.yaml"  # noqa: S105 - a file name
LOVELACE_YAML: Final = "ui-lovelace.yaml"
FILE_SIZE_LIMIT: Final = 10 * 1024 * 1024
"""Files larger than this (10 MiB) are not read."""
MAX_FILES: Final = 5000
"""At most this many files are read in one graph."""
MAX_INCLUDE_DEPTH: Final = 64
"""Includes nested deeper than this are not followed."""
# libyaml's composer recurses on the C stack: a deeply nested document ("[[[[..." or deep
# indentation) crashes the process, in threads with small stacks (musl: 128 KiB) already at a
# few hundred levels. Past `_C_DEPTH_LIMIT` levels (an overestimate, see `nesting_estimate`)
# the pure-Python loader is used, which stops with a RecursionError instead; past
# `_DEPTH_LIMIT` the file is refused without parsing (Home Assistant could not load it either).
_C_DEPTH_LIMIT: Final = 100
NESTED_TOO_DEEPLY: Final = "invalid YAML: nested too deeply"
_DEPTH_LIMIT: Final = 1000
_SECRETS_LOGGER_KEY: Final = "logger"

INCLUDE: Final = "!include"
INCLUDE_DIR_LIST: Final = "!include_dir_list"
INCLUDE_DIR_MERGE_LIST: Final = "!include_dir_merge_list"
INCLUDE_DIR_NAMED: Final = "!include_dir_named"
INCLUDE_DIR_MERGE_NAMED: Final = "!include_dir_merge_named"
INCLUDE_DIR_TAGS: Final = (
    INCLUDE_DIR_LIST,
    INCLUDE_DIR_MERGE_LIST,
    INCLUDE_DIR_NAMED,
    INCLUDE_DIR_MERGE_NAMED,
)

type KeyPart = str | int
type StatKey = tuple[int, int, int]


# --- markers and containers -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Include:
    """An `!include` or `!include_dir_*` tag, unresolved."""

    tag: str
    target: str
    file: str
    line: int


@dataclass(frozen=True, slots=True)
class SecretRef:
    """A `!secret name` tag, unresolved."""

    name: str
    file: str
    line: int

    def __str__(self) -> str:
        """As written (a key path shows it where it is used as a mapping key)."""
        return f"!secret {self.name}"


@dataclass(frozen=True, slots=True)
class EnvVarRef:
    """An `!env_var NAME [default]` tag. The default is written in the file."""

    name: str
    default: str | None = field(repr=False)
    file: str
    line: int

    def __str__(self) -> str:
        """The tag and the variable's name; never the default, which may be a value."""
        return f"!env_var {self.name}"


@dataclass(frozen=True, slots=True)
class InputRef:
    """A blueprint `!input name` tag."""

    name: str
    file: str
    line: int


@dataclass(frozen=True, slots=True)
class BadTag:
    """A tag Home Assistant would refuse (no argument, or not a scalar)."""

    tag: str
    file: str
    line: int


type Marker = Include | SecretRef | EnvVarRef | InputRef | BadTag
REFERENCE_TYPES: Final = (SecretRef, EnvVarRef, InputRef, Include, BadTag)


class YamlMap(dict[Any, Any]):
    """A mapping that knows its file and the line of each key and value."""

    __slots__ = ("file", "key_lines", "line", "value_lines")

    file: str
    line: int
    key_lines: dict[Any, int]
    value_lines: dict[Any, int]


class YamlList(list[Any]):
    """A sequence that knows its file and the line of each item."""

    __slots__ = ("file", "item_lines", "line")

    file: str
    line: int
    item_lines: list[int]


# --- the loader -------------------------------------------------------------------------


class _GraphLoaderMixin:
    """State shared by both loader classes: the file being read and its problems."""

    rel_file: str
    problems: list[tuple[int, str]]

    def _setup(self, rel_file: str) -> None:
        self.rel_file = rel_file
        self.problems = []


class GraphLoader(FastSafeLoader, _GraphLoaderMixin):
    """Home Assistant's fast loader, with markers instead of resolved tags."""

    def __init__(self, stream: str, rel_file: str) -> None:
        """Read `stream`, the content of `rel_file`."""
        super().__init__(stream)
        self._setup(rel_file)

    def flatten_mapping(self, node: yaml.MappingNode) -> None:
        """Merge `<<` keys, keeping one pair per key so that merge chains stay linear."""
        super().flatten_mapping(node)
        _dedupe_pairs(node)


class PythonGraphLoader(PythonSafeLoader, _GraphLoaderMixin):
    """The pure-Python variant, used for files too deeply nested for libyaml."""

    def __init__(self, stream: str, rel_file: str) -> None:
        """Read `stream`, the content of `rel_file`."""
        super().__init__(stream)
        self._setup(rel_file)

    def flatten_mapping(self, node: yaml.MappingNode) -> None:
        """Merge `<<` keys, keeping one pair per key so that merge chains stay linear."""
        super().flatten_mapping(node)
        _dedupe_pairs(node)


type _Loader = GraphLoader | PythonGraphLoader


def _dedupe_pairs(node: yaml.MappingNode) -> None:
    """Keep the last pair of each scalar key (what a dict keeps anyway)."""
    keys = [(k.tag, k.value) for k, _ in node.value if isinstance(k, yaml.ScalarNode)]
    if len(set(keys)) == len(keys):  # the common case: no key repeats
        return
    seen: set[tuple[str, str]] = set()
    kept: list[tuple[yaml.Node, yaml.Node]] = []
    for key_node, value_node in reversed(node.value):
        if isinstance(key_node, yaml.ScalarNode):
            ident = (key_node.tag, key_node.value)
            if ident in seen:
                continue
            seen.add(ident)
        kept.append((key_node, value_node))
    if len(kept) != len(node.value):
        kept.reverse()
        node.value = kept


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> YamlMap:
    loader.flatten_mapping(node)
    result = YamlMap()
    result.file = loader.rel_file
    result.line = _line(node)
    result.key_lines = {}
    result.value_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError as err:
            raise yaml.constructor.ConstructorError(
                None, None, "found an unhashable key", key_node.start_mark
            ) from err
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = _line(key_node)
        result.value_lines[key] = _line(value_node)
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> YamlList:
    result = YamlList(loader.construct_object(child, deep=True) for child in node.value)
    result.file = loader.rel_file
    result.line = _line(node)
    result.item_lines = [_line(child) for child in node.value]
    return result


def _argument(loader: _Loader, node: yaml.Node) -> str | None:
    """The tag's scalar argument, or None (recorded as a problem) when there is none."""
    if isinstance(node, yaml.ScalarNode) and isinstance(node.value, str) and node.value:
        return node.value
    loader.problems.append((_line(node), f"{node.tag} needs an argument"))
    return None


def _construct_include(loader: _Loader, node: yaml.Node) -> Include | BadTag:
    if (target := _argument(loader, node)) is None:
        return BadTag(tag=node.tag, file=loader.rel_file, line=_line(node))
    return Include(tag=node.tag, target=target, file=loader.rel_file, line=_line(node))


def _construct_secret(loader: _Loader, node: yaml.Node) -> SecretRef | BadTag:
    if (name := _argument(loader, node)) is None:
        return BadTag(tag=node.tag, file=loader.rel_file, line=_line(node))
    return SecretRef(name=name, file=loader.rel_file, line=_line(node))


def _construct_env_var(loader: _Loader, node: yaml.Node) -> EnvVarRef | BadTag:
    if (argument := _argument(loader, node)) is None or not (args := argument.split()):
        return BadTag(tag=node.tag, file=loader.rel_file, line=_line(node))
    return EnvVarRef(
        name=args[0],
        default=" ".join(args[1:]) if len(args) > 1 else None,
        file=loader.rel_file,
        line=_line(node),
    )


def _construct_input(loader: _Loader, node: yaml.Node) -> InputRef:
    value = node.value if isinstance(node, yaml.ScalarNode) else ""
    return InputRef(name=str(value), file=loader.rel_file, line=_line(node))


for _cls in (GraphLoader, PythonGraphLoader):
    _cls.add_constructor(
        yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping
    )
    _cls.add_constructor(
        yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence
    )
    # Plain str, not annotatedyaml's NodeStrClass: lines live in the containers.
    _cls.add_constructor(
        yaml.resolver.BaseResolver.DEFAULT_SCALAR_TAG,
        yaml.SafeLoader.construct_yaml_str,
    )
    _cls.add_constructor(INCLUDE, _construct_include)
    for _tag in INCLUDE_DIR_TAGS:
        _cls.add_constructor(_tag, _construct_include)
    _cls.add_constructor("!secret", _construct_secret)
    _cls.add_constructor("!env_var", _construct_env_var)
    _cls.add_constructor("!input", _construct_input)


_BRACKETS = re.compile(r"[\[\]{}]")


def _flow_depth(text: str) -> int:
    """Deepest nesting of flow brackets (an overestimate: quotes are not considered)."""
    depth = deepest = 0
    for bracket in _BRACKETS.findall(text):
        if bracket in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif depth:
            depth -= 1
    return deepest


def _block_depth(text: str) -> int:
    """Deepest nesting of block collections (an overestimate): indentation steps and dashes."""
    indents: list[int] = []
    deepest = 0
    for line in text.split("\n"):
        indent = len(line) - len(line.lstrip(" "))
        if indent == len(line) or line[indent] == "#":
            continue
        while indents and indents[-1] >= indent:
            indents.pop()
        indents.append(indent)
        # Count "- " items by moving an index: cutting the line each time was quadratic.
        dashes = 0
        at = indent
        while line.startswith("- ", at):
            dashes += 1
            at += 2
            while at < len(line) and line[at] == " ":
                at += 1
        deepest = max(deepest, len(indents) + dashes)
    return deepest


_LINE_PREFIX = re.compile(r"^[ -]*", re.MULTILINE)


def _nesting_bound(text: str) -> int:
    """A cheap upper bound of `nesting_estimate`.

    Every opening bracket counts, plus the longest run of leading spaces and dashes of a
    line: each level `_block_depth` counts on a line takes at least one of those characters.
    """
    prefix = max(map(len, _LINE_PREFIX.findall(text)), default=0)
    return text.count("[") + text.count("{") + prefix + 1


def nesting_estimate(text: str) -> int:
    """An upper bound of how deeply the document nests (flow plus block levels)."""
    return _flow_depth(text) + _block_depth(text)


class NestedTooDeeply(yaml.YAMLError):  # type: ignore[misc]
    """The document nests deeper than `_DEPTH_LIMIT`; it is not parsed."""


def parse_yaml(text: str, rel_file: str) -> tuple[Any, list[tuple[int, str]]]:
    """Parse one document; return the tree and the problems found in tags.

    Raises `yaml.YAMLError` or `RecursionError` for content Home Assistant would refuse.
    """
    depth = _nesting_bound(text)
    if depth > _C_DEPTH_LIMIT:  # only then is the closer (and slower) estimate needed
        depth = nesting_estimate(text)
    if depth > _DEPTH_LIMIT:
        raise NestedTooDeeply
    loader_class: type[_Loader] = (
        PythonGraphLoader if depth > _C_DEPTH_LIMIT else GraphLoader
    )
    loader = loader_class(text, rel_file)
    try:
        return loader.get_single_data(), loader.problems
    finally:
        loader.dispose()


# A YAML error's text quotes the file (a tag, an alias, a character, a value that would not
# decode), in single or double quotes or none: `password: !Xy'hunter2` gives the unknown tag
# "!Xy'hunter2". So a reason is built from the error's kind and position only. The kinds
# below are recognised by the start of the library's own message, which names no content;
# whatever follows that start is never used.
_KINDS: Final = (
    ("could not determine a constructor", "unknown tag"),
    ("found undefined alias", "undefined alias"),
    ("found duplicate anchor", "duplicate anchor"),
    ("found unhashable key", "a key that is not a plain value"),
    ("found character", "a character that cannot start a token"),
    ("found a tab character", "a tab where indentation is expected"),
    ("mapping values are not allowed", "a mapping value where none is allowed"),
    ("found unexpected end of stream", "unexpected end of the file"),
    ("failed to decode base64", "a binary value that is not base64"),
    ("failed to convert base64", "a binary value that is not base64"),
    ("found unknown escape character", "an unknown escape in a quoted string"),
    ("did not find expected node content", "a value is missing"),
    ("did not find expected key", "a key is missing"),
    ("did not find expected '-'", "a list item without its dash"),
    ("did not find expected ','", "a bracket that is never closed"),
    ("did not find expected", "a token is missing"),
    ("could not find expected ':'", "a key without its colon"),
    ("but found another document", "more than one document"),
    ("expected a single document", "more than one document"),
    ("found unexpected ':'", "an unexpected colon"),
)
_CLASS_KINDS: Final = (
    (yaml.constructor.ConstructorError, "a value that cannot be constructed"),
    (yaml.composer.ComposerError, "an alias or anchor that cannot be resolved"),
    (yaml.parser.ParserError, "unexpected structure"),
    (yaml.scanner.ScannerError, "text that cannot be read as YAML tokens"),
    (yaml.reader.ReaderError, "a character that is not allowed"),
)


def _error_kind(err: yaml.YAMLError) -> str:
    for text in (getattr(err, "problem", None), getattr(err, "context", None)):
        if isinstance(text, str):
            for start, kind in _KINDS:
                if text.startswith(start):
                    return kind
    return next(
        (kind for cls, kind in _CLASS_KINDS if isinstance(err, cls)), "syntax error"
    )


def yaml_error_reason(err: yaml.YAMLError) -> str:
    """Describe a YAML error by its kind and position; never by its text (the file's)."""
    if isinstance(err, NestedTooDeeply):
        return NESTED_TOO_DEEPLY
    mark = None
    if isinstance(err, yaml.MarkedYAMLError):
        mark = err.problem_mark or err.context_mark
    where = ""
    if mark is not None:
        where = f" at line {int(mark.line) + 1}, column {int(mark.column) + 1}"
    elif isinstance(err, yaml.reader.ReaderError):
        where = f" at character {int(err.position) + 1}"
    return f"invalid YAML{where}: {_error_kind(err)}"


# --- walking a tree ---------------------------------------------------------------------


def format_key_path(parts: Sequence[KeyPart]) -> str:
    """Render a key path: `mqtt.password`, `sensor[2].url`, `customize["light.x"].icon`.

    A key holding a credential is masked (`["https://admin:***@host"]`): key paths are shown.
    """
    out: list[str] = []
    for raw in parts:
        part = raw if isinstance(raw, int) else mask_credentials(raw)
        if isinstance(part, int):
            out.append(f"[{part}]")
        elif part and not any(c in part for c in '.[]"'):
            out.append(f".{part}" if out else part)
        else:
            escaped = part.replace("\\", "\\\\").replace('"', '\\"')
            out.append(f'["{escaped}"]')
    return "".join(out)


@dataclass(frozen=True, slots=True)
class Entry:
    """One value in a tree: where it is, and the mapping or list that holds it."""

    parts: tuple[KeyPart, ...]
    value: Any
    line: int
    parent: YamlMap | YamlList | None

    @property
    def key(self) -> str:
        """The dotted key path inside the file."""
        return format_key_path(self.parts)


def walk(root: Any, line: int = 1) -> Iterator[Entry]:
    """Every value of a tree, depth first, each container once (aliases are not repeated)."""
    seen: set[int] = set()
    stack: list[Entry] = [Entry(parts=(), value=root, line=line, parent=None)]
    while stack:
        entry = stack.pop()
        yield entry
        value = entry.value
        if isinstance(value, YamlMap):
            if id(value) in seen:
                continue
            seen.add(id(value))
            stack.extend(
                Entry(
                    parts=(*entry.parts, str(key)),
                    value=child,
                    line=value.value_lines.get(key, value.line),
                    parent=value,
                )
                for key, child in reversed(value.items())
            )
        elif isinstance(value, YamlList):
            if id(value) in seen:
                continue
            seen.add(id(value))
            stack.extend(
                Entry(
                    parts=(*entry.parts, index),
                    value=child,
                    line=value.item_lines[index],
                    parent=value,
                )
                for index, child in reversed(list(enumerate(value)))
            )


# --- facts ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Located[T]:
    """A marker with the key path at which it sits in its file."""

    marker: T
    parts: tuple[KeyPart, ...]

    @property
    def key(self) -> str:
        """The dotted key path inside the file."""
        return format_key_path(self.parts)


@dataclass(frozen=True, kw_only=True)
class ConfigFile:
    """One parsed file of the graph."""

    path: str
    """Relative to the configuration directory (POSIX separators); absolute if outside it."""
    mount: tuple[str, ...]
    """Mapping keys above this file's root where it was first included: `("automation",)`."""
    role: str
    """`configuration`, `include` or `dashboard`."""
    via: Include | None
    """The include that first brought this file in (None for the roots)."""
    root: Any
    lines: int
    size: int
    includes: tuple[Located[Include], ...]
    secrets: tuple[Located[SecretRef], ...]
    env_vars: tuple[Located[EnvVarRef], ...]

    @property
    def is_json(self) -> bool:
        """Whether this is a JSON file (such as a service account key) pulled in by `!include`."""
        return self.path.lower().endswith(".json")


@dataclass(frozen=True, slots=True)
class Problem:
    """A file that could not be read or followed, and why."""

    file: str | None
    reason: str
    missing: bool = False
    """The file does not exist (so it holds nothing that was missed)."""
    mount: tuple[str, ...] | None = None
    """Where the include that failed would have put the file (None: not an include)."""
    special: bool = False
    """Not a regular file or directory (a FIFO, a device, a kernel file): opening it plainly,
    as Home Assistant's loader does, could block."""


@dataclass(frozen=True, slots=True)
class SecretDef:
    """A name defined in a secrets file (never its value)."""

    name: str
    file: str
    line: int


@dataclass(frozen=True, slots=True)
class SecretsFile:
    """A `secrets.yaml` on a lookup path: its names, or why it could not be read."""

    path: str
    names: Mapping[str, int]
    readable: bool
    exists: bool


@dataclass(frozen=True, kw_only=True)
class SecretUse:
    """A `!secret` reference and how Home Assistant would resolve it."""

    name: str
    file: str
    line: int
    key: str
    lookup: tuple[str, ...]
    """The secrets files looked at, nearest first."""
    defined_in: str | None
    """The secrets file that defines it, or None."""
    decidable: bool
    """False when a secrets file on the path could not be read (then it may be defined)."""


@dataclass(frozen=True, slots=True)
class ReadStats:
    """How much work the read took (for benchmarks)."""

    files_parsed: int = 0
    files_cached: int = 0
    bytes_read: int = 0


@dataclass(frozen=True, kw_only=True)
class ConfigGraph:
    """Everything the configuration reader found."""

    files: tuple[ConfigFile, ...]
    secret_uses: tuple[SecretUse, ...]
    secrets_files: tuple[SecretsFile, ...]
    problems: tuple[Problem, ...]
    root_problem: str | None = None
    """Why `configuration.yaml` itself could not be read, if it could not."""
    stats: ReadStats = ReadStats()

    @property
    def secret_defs(self) -> tuple[SecretDef, ...]:
        """Every name defined in every secrets file that was read."""
        return tuple(
            SecretDef(name=name, file=s.path, line=line)
            for s in self.secrets_files
            for name, line in s.names.items()
        )

    @property
    def complete(self) -> bool:
        """Whether every existing file of the graph could be read."""
        return self.root_problem is None and all(p.missing for p in self.problems)

    def file(self, path: str) -> ConfigFile | None:
        """The parsed file at `path` (relative), if it is in the graph."""
        return next((f for f in self.files if f.path == path), None)


# --- reading files ----------------------------------------------------------------------


class ReadError(Exception):
    """A file that cannot be read; the message is the reason (no content in it)."""

    def __init__(
        self, reason: str, *, missing: bool = False, special: bool = False
    ) -> None:
        """`missing`: the file does not exist; `special`: it is a FIFO, device, ..."""
        super().__init__(reason)
        self.missing = missing
        self.special = special


@dataclass(frozen=True, slots=True)
class _Parsed:
    """A parsed file, as cached: the tree and its markers, or the reason it failed."""

    root: Any
    lines: int
    size: int
    includes: tuple[Located[Include], ...] = ()
    secrets: tuple[Located[SecretRef], ...] = ()
    env_vars: tuple[Located[EnvVarRef], ...] = ()
    tag_problems: tuple[tuple[int, str], ...] = ()
    error: str | None = None


@dataclass(frozen=True, slots=True)
class _ParsedSecrets:
    """A parsed secrets file, as cached: names and lines only."""

    names: Mapping[str, int]
    error: str | None = None


@dataclass(slots=True)
class _CacheEntry:
    key: StatKey
    parsed: _Parsed | _ParsedSecrets


def _open_fd(path: str) -> int:
    """Open for reading without blocking on FIFOs (a seam for tests)."""
    return os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))


def _os_reason(err: OSError) -> str:
    if isinstance(err, FileNotFoundError):
        return "file not found"
    if isinstance(err, PermissionError):
        return "cannot be read: permission denied"
    if err.errno == errno.ELOOP:
        return "cannot be read: symbolic link loop"
    return f"cannot be read: {err.strerror or type(err).__name__}"


def _stat_key(st: os.stat_result) -> StatKey:
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def _check_regular(st: os.stat_result) -> None:
    if stat.S_ISDIR(st.st_mode):
        raise ReadError("is a directory, not a file")
    if not stat.S_ISREG(st.st_mode):
        raise ReadError("not a regular file", special=True)
    if st.st_size > FILE_SIZE_LIMIT:
        raise ReadError(
            f"larger than {FILE_SIZE_LIMIT // (1024 * 1024)} MiB ({st.st_size} bytes), not read"
        )


def _read_text(path: str) -> tuple[StatKey, str, int]:
    """Read a whole file once: its stat key, its text and its size in bytes.

    Opened without blocking, checked on the descriptor, read to the size it had when opened
    (see `safe_read`): a FIFO, a device or a kernel file under /proc never blocks the read.
    """
    if (tree := kernel_tree(path)) is not None:
        raise ReadError(
            f"is under {tree}, a kernel interface, not a file", special=True
        )
    try:
        fd = _open_fd(path)
    except OSError as err:
        raise ReadError(
            _os_reason(err), missing=isinstance(err, FileNotFoundError)
        ) from err
    try:
        st = os.fstat(fd)
        _check_regular(st)
        data = read_fd(fd, st, FILE_SIZE_LIMIT)
    except ReadRefused as err:
        raise ReadError(err.reason) from None
    except OSError as err:
        raise ReadError(_os_reason(err)) from err
    finally:
        os.close(fd)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise ReadError(f"not valid UTF-8 (line {line})") from err
    # Home Assistant reads in text mode: universal newlines.
    return _stat_key(st), text.replace("\r\n", "\n").replace("\r", "\n"), len(data)


def _value_error_reason(err: Exception) -> str:
    """A value the loader refuses; the message may quote it, so only the type is given."""
    return f"invalid YAML: a value cannot be read ({type(err).__name__})"


def _count_lines(text: str) -> int:
    return text.count("\n") + (0 if not text or text.endswith("\n") else 1)


def _index(
    root: Any,
) -> tuple[list[Located[Include]], list[Located[SecretRef]], list[Located[EnvVarRef]]]:
    includes: list[Located[Include]] = []
    secrets: list[Located[SecretRef]] = []
    env_vars: list[Located[EnvVarRef]] = []
    for entry in walk(root):
        value = entry.value
        if isinstance(value, YamlMap):
            # A tag used as a mapping key is resolved by Home Assistant too.
            for key in value:
                if isinstance(key, SecretRef):
                    secrets.append(Located(key, (*entry.parts, str(key))))
                elif isinstance(key, EnvVarRef):
                    env_vars.append(Located(key, (*entry.parts, str(key))))
        elif isinstance(value, Include):
            includes.append(Located(value, entry.parts))
        elif isinstance(value, SecretRef):
            secrets.append(Located(value, entry.parts))
        elif isinstance(value, EnvVarRef):
            env_vars.append(Located(value, entry.parts))
    return includes, secrets, env_vars


def _parse_config(text: str, rel: str, size: int) -> _Parsed:
    lines = _count_lines(text)
    try:
        root, tag_problems = parse_yaml(text, rel)
    except yaml.YAMLError as err:
        return _Parsed(root=None, lines=lines, size=size, error=yaml_error_reason(err))
    except RecursionError:
        return _Parsed(root=None, lines=lines, size=size, error=NESTED_TOO_DEEPLY)
    except Exception as err:  # noqa: BLE001 - e.g. ValueError for a date like 2024-13-45
        return _Parsed(
            root=None, lines=lines, size=size, error=_value_error_reason(err)
        )
    # Markers only come from tags: a file without "!" has none, and is not walked for them.
    includes, secrets, env_vars = _index(root) if "!" in text else ([], [], [])
    return _Parsed(
        root=root,
        lines=lines,
        size=size,
        includes=tuple(includes),
        secrets=tuple(secrets),
        env_vars=tuple(env_vars),
        tag_problems=tuple(tag_problems),
    )


def _parse_secrets(text: str, rel: str) -> _ParsedSecrets:
    """Keep the names and their lines; the values are dropped right here."""
    try:
        root, _ = parse_yaml(text, rel)
    except yaml.YAMLError as err:
        return _ParsedSecrets(names={}, error=yaml_error_reason(err))
    except RecursionError:
        return _ParsedSecrets(names={}, error=NESTED_TOO_DEEPLY)
    except Exception as err:  # noqa: BLE001
        return _ParsedSecrets(names={}, error=_value_error_reason(err))
    if root is None:
        return _ParsedSecrets(names={})
    if not isinstance(root, YamlMap):
        return _ParsedSecrets(names={}, error="secrets file is not a mapping")
    return _ParsedSecrets(
        names={
            str(key): root.key_lines[key]
            for key in root
            if str(key) != _SECRETS_LOGGER_KEY
        }
    )


# --- the graph --------------------------------------------------------------------------


def _find_files(directory: str, problems: Callable[[str, str], None]) -> Iterator[str]:
    """Files under `directory` as annotatedyaml.loader._find_files yields them (sorted)."""

    def onerror(err: OSError) -> None:
        if err.filename is not None and os.path.normpath(
            err.filename
        ) != os.path.normpath(directory):
            problems(err.filename, f"directory {_os_reason(err)}")

    for root, dirs, files in os.walk(directory, topdown=True, onerror=onerror):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for basename in sorted(files):
            if (
                not basename.startswith(".")
                and fnmatch.fnmatch(basename, "*.yaml")
                and basename != SECRET_YAML
            ):
                yield os.path.join(root, basename)


class _GraphReader:
    """One read of the graph; uses and refreshes the cache."""

    def __init__(self, config_dir: Path, cache: MutableMapping[str, Any]) -> None:
        self.config_dir = os.path.normpath(str(config_dir))
        self.prefix = os.path.join(self.config_dir, "")
        self.cache: MutableMapping[tuple[str, str], _CacheEntry] = cache  # type: ignore[assignment]
        self.used: set[tuple[str, str]] = set()
        self.files: dict[str, ConfigFile] = {}
        self.failed: set[str] = set()
        self.problems: list[Problem] = []
        self.noted: set[tuple[str | None, str]] = set()
        self.secrets_files: dict[str, SecretsFile] = {}
        self.files_parsed = 0
        self.files_cached = 0
        self.bytes_read = 0

    # paths

    def rel(self, path: str) -> str:
        """Relative POSIX path inside the configuration directory, else the absolute path."""
        if path.startswith(self.prefix):
            relative = path[len(self.prefix) :]
            return relative if os.sep == "/" else relative.replace(os.sep, "/")
        return path

    def inside(self, directory: str) -> bool:
        return os.path.commonpath([directory, self.config_dir]) == self.config_dir

    def problem(
        self,
        path: str,
        reason: str,
        *,
        missing: bool = False,
        special: bool = False,
        mount: tuple[str, ...] | None = None,
    ) -> None:
        problem = Problem(
            file=mask_path(self.rel(path)),
            reason=mask_path(reason),
            missing=missing,
            special=special,
            mount=mount,
        )
        # An aliased `!include_dir_*` walks its folder again: noted once, the first time.
        if (problem.file, problem.reason) not in self.noted:
            self.noted.add((problem.file, problem.reason))
            self.problems.append(problem)

    # reading with the cache

    def _load[P: (_Parsed, _ParsedSecrets)](
        self, path: str, parse: Callable[[str, str, int], P], kind: type[P]
    ) -> P:
        """Parsed content of `path`: from the cache when stat says unchanged."""
        cache_key = (kind.__name__, path)
        self.used.add(cache_key)
        cached = self.cache.get(cache_key)
        if cached is not None and isinstance(cached.parsed, kind):
            try:
                st = os.stat(path)
            except OSError:
                pass
            else:
                if _stat_key(st) == cached.key:
                    self.files_cached += 1
                    return cached.parsed
        key, text, size = _read_text(path)
        self.bytes_read += size
        self.files_parsed += 1
        parsed = parse(text, self.rel(path), size)
        self.cache[cache_key] = _CacheEntry(key=key, parsed=parsed)
        return parsed

    def load_config(self, path: str) -> _Parsed:
        return self._load(path, _parse_config, _Parsed)

    def load_secrets(self, path: str) -> _ParsedSecrets:
        return self._load(
            path, lambda text, rel, _size: _parse_secrets(text, rel), _ParsedSecrets
        )

    # the walk

    def visit(  # noqa: PLR0911 - one early return per reason not to read
        self,
        path: str,
        *,
        mount: tuple[str, ...],
        role: str,
        chain: tuple[str, ...],
        via: Include | None,
    ) -> ConfigFile | None:
        """Read `path` and everything it includes. Returns None if it could not be read."""
        if path in chain:
            loop = " -> ".join(self.rel(p) for p in (*chain[chain.index(path) :], path))
            self.problem(path, f"include loop: {loop}")
            return None
        if (known := self.files.get(path)) is not None:
            return known
        if path in self.failed:
            return None  # noted once, for the include that failed first
        where = (
            f" (included from {via.file} line {via.line})" if via is not None else ""
        )
        if len(chain) > MAX_INCLUDE_DEPTH:
            self.failed.add(path)
            self.problem(
                path,
                f"includes nested deeper than {MAX_INCLUDE_DEPTH}{where}",
                mount=mount,
            )
            return None
        if len(self.files) >= MAX_FILES:
            self.problem(
                path, f"more than {MAX_FILES} files in the configuration, not read"
            )
            return None
        try:
            parsed = self.load_config(path)
        except ReadError as err:
            self.failed.add(path)
            self.problem(
                path,
                f"{err}{where}",
                missing=err.missing,
                special=err.special,
                mount=mount,
            )
            return None
        if parsed.error is not None:
            self.failed.add(path)
            self.problem(path, f"{parsed.error}{where}", mount=mount)
            return None
        rel = self.rel(path)
        for line, reason in parsed.tag_problems:
            self.problems.append(Problem(file=rel, reason=f"line {line}: {reason}"))
        config_file = ConfigFile(
            path=rel,
            mount=mount,
            role=role,
            via=via,
            root=parsed.root,
            lines=parsed.lines,
            size=parsed.size,
            includes=parsed.includes,
            secrets=parsed.secrets,
            env_vars=parsed.env_vars,
        )
        self.files[path] = config_file
        inner = (*chain, path)
        for located in parsed.includes:
            self.follow(located, path, mount, inner)
        return config_file

    def follow(
        self,
        located: Located[Include],
        path: str,
        mount: tuple[str, ...],
        chain: tuple[str, ...],
    ) -> None:
        include = located.marker
        target = os.path.normpath(os.path.join(os.path.dirname(path), include.target))
        keys = (*mount, *(p for p in located.parts if isinstance(p, str)))
        if include.tag == INCLUDE:
            self.visit(target, mount=keys, role="include", chain=chain, via=include)
            return

        def problem(path: str, reason: str) -> None:
            self.problem(path, reason, mount=keys)

        for found in _find_files(target, problem):
            stem = os.path.splitext(os.path.basename(found))[0]
            self.visit(
                found,
                mount=(*keys, stem) if include.tag == INCLUDE_DIR_NAMED else keys,
                role="include",
                chain=chain,
                via=include,
            )

    # secrets

    def secrets_file(self, directory: str) -> SecretsFile:
        path = os.path.join(directory, SECRET_YAML)
        if (known := self.secrets_files.get(path)) is not None:
            return known
        rel = self.rel(path)
        try:
            parsed = self.load_secrets(path)
        except ReadError as err:
            # Like Secrets._load_secret_yaml: a missing file defines nothing; any other
            # failure would stop Home Assistant, and here leaves the lookup undecided.
            if not err.missing:
                self.problem(path, str(err), special=err.special)
            result = SecretsFile(
                path=rel, names={}, readable=err.missing, exists=not err.missing
            )
        else:
            if parsed.error is not None:
                self.problem(path, parsed.error)
            result = SecretsFile(
                path=rel, names=parsed.names, readable=parsed.error is None, exists=True
            )
        self.secrets_files[path] = result
        return result

    def resolve_secret(self, ref: SecretRef, key: str, path: str) -> SecretUse:
        """Look `ref` up as Secrets.get does: from the file's directory up to the config dir."""
        lookup: list[str] = []
        decidable = True
        directory = os.path.dirname(path)
        while self.inside(directory):
            secrets = self.secrets_file(directory)
            if secrets.exists:
                lookup.append(secrets.path)
            decidable = decidable and secrets.readable
            if ref.name in secrets.names:
                return SecretUse(
                    name=ref.name,
                    file=ref.file,
                    line=ref.line,
                    key=key,
                    lookup=tuple(lookup),
                    defined_in=secrets.path,
                    decidable=True,
                )
            if directory == self.config_dir:
                break
            directory = os.path.dirname(directory)
        return SecretUse(
            name=ref.name,
            file=ref.file,
            line=ref.line,
            key=key,
            lookup=tuple(lookup),
            defined_in=None,
            decidable=decidable,
        )

    # everything

    def read(self) -> ConfigGraph:
        config_path = os.path.join(self.config_dir, CONFIG_YAML)
        root_problem: str | None = None
        try:
            parsed = self.load_config(config_path)
        except ReadError as err:
            root_problem = f"{CONFIG_YAML}: {err}"
        else:
            if parsed.error is not None:
                root_problem = f"{CONFIG_YAML}: {parsed.error}"
            elif parsed.root is not None and not isinstance(parsed.root, YamlMap):
                root_problem = f"{CONFIG_YAML}: does not contain a mapping"
        if root_problem is not None:
            self.problems.append(Problem(file=CONFIG_YAML, reason=root_problem))
            return self.graph(root_problem)
        self.visit(config_path, mount=(), role="configuration", chain=(), via=None)
        # Home Assistant reads these when the dashboard is opened; a missing one is its
        # business (it shows an error there), not a reading problem here.
        for dashboard in self.dashboards(parsed.root):
            if os.path.exists(dashboard):
                self.visit(dashboard, mount=(), role="dashboard", chain=(), via=None)
        # The main secrets file is read even when nothing references it (unused secrets).
        self.secrets_file(self.config_dir)
        return self.graph(None)

    def dashboards(self, root: Any) -> list[str]:
        """YAML-mode dashboard files that the `lovelace:` section declares."""
        lovelace = self.effective(root, "lovelace")
        if not isinstance(lovelace, YamlMap):
            return []
        found: list[str] = []
        if str(lovelace.get("mode", "")).lower() == "yaml":
            found.append(os.path.join(self.config_dir, LOVELACE_YAML))
        dashboards = self.effective(lovelace, "dashboards")
        if isinstance(dashboards, YamlMap):
            found.extend(
                os.path.normpath(os.path.join(self.config_dir, dashboard["filename"]))
                for dashboard in dashboards.values()
                if isinstance(dashboard, YamlMap)
                and str(dashboard.get("mode", "")).lower() == "yaml"
                and isinstance(dashboard.get("filename"), str)
            )
        return [path for path in found if path not in self.files]

    def effective(self, mapping: Any, key: str) -> Any:
        """`mapping[key]`, following a plain `!include`."""
        value = mapping.get(key) if isinstance(mapping, YamlMap) else None
        if isinstance(value, Include) and value.tag == INCLUDE:
            source = os.path.join(self.config_dir, value.file)
            target = os.path.normpath(
                os.path.join(os.path.dirname(source), value.target)
            )
            included = self.files.get(target)
            return included.root if included is not None else None
        return value

    def graph(self, root_problem: str | None) -> ConfigGraph:
        uses = [
            self.resolve_secret(located.marker, located.key, path)
            for path, config_file in self.files.items()
            for located in config_file.secrets
        ]
        for stale in [p for p in self.cache if p not in self.used]:
            del self.cache[stale]
        return ConfigGraph(
            files=tuple(self.files.values()),
            secret_uses=tuple(uses),
            secrets_files=tuple(s for s in self.secrets_files.values() if s.exists),
            problems=tuple(self.problems),
            root_problem=root_problem,
            stats=ReadStats(
                files_parsed=self.files_parsed,
                files_cached=self.files_cached,
                bytes_read=self.bytes_read,
            ),
        )


def read_config_graph(config_dir: Path, cache: MutableMapping[str, Any]) -> ConfigGraph:
    """Read the configuration graph under `config_dir` (blocking: run it in the executor).

    `cache` maps absolute paths to parsed files; pass the same mapping on every scan.
    """
    return _GraphReader(config_dir, cache).read()


CONFIG_FILES_CACHE: Final = Slot[dict[str, Any]](name="parsed files", factory=dict)


async def _async_read_config_graph(ctx: ScanContext) -> ConfigGraph:
    """Read the graph in the executor, re-parsing only changed files.

    Every file that could not be read adds a note to the report.
    """
    graph: ConfigGraph = await ctx.hass.async_add_executor_job(
        read_config_graph, ctx.config_dir, ctx.cache.get(CONFIG_FILES_CACHE)
    )
    for problem in graph.problems:
        ctx.note(Family.SECRETS, problem.reason, problem.file)
    return graph


CONFIG_GRAPH: Final = Fact[ConfigGraph](
    name="the configuration files", gather=_async_read_config_graph
)


async def async_get_config_graph(ctx: ScanContext) -> ConfigGraph:
    """The configuration graph, read once per scan (the `CONFIG_GRAPH` fact)."""
    return await ctx.fact(CONFIG_GRAPH)
