"""The configuration graph: every file Home Assistant loads, parsed, and how they connect.

The graph (`graph_reader` reads it) holds `configuration.yaml`, every file it includes and
the YAML-mode dashboards, each parsed once with its markers unresolved (`yaml_nodes`), and
the `!secret` references with how Home Assistant would resolve them. Only names and lines of
secrets are kept, never their values.

`IncludeResolver` is the one place that knows what Home Assistant's loader puts where an
include is: the file an `!include` names (relative to the including file) and the files an
`!include_dir_*` loads, in order, from the files the graph has already parsed (no I/O).
"""

# Paths are joined and normalised lexically with os.path, as annotatedyaml does.
# ruff: noqa: PTH117, PTH118, PTH119, PTH120, PTH122

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Mapping
from dataclasses import dataclass
import itertools
import os
from typing import TYPE_CHECKING, Any, Final

from .yaml_nodes import (
    INCLUDE,
    INCLUDE_DIR_LIST,
    INCLUDE_DIR_MERGE_LIST,
    INCLUDE_DIR_NAMED,
    EnvVarRef,
    Include,
    SecretRef,
    YamlMap,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

    from .key_paths import Located

CONFIG_YAML: Final = "configuration.yaml"
SECRET_YAML: Final = "secrets.yaml"  # noqa: S105 - a file name
LOVELACE_YAML: Final = "ui-lovelace.yaml"
MAX_INCLUDE_DEPTH: Final = 64
"""Includes nested deeper than this are not followed."""

ROLE_CONFIGURATION: Final = "configuration"
ROLE_INCLUDE: Final = "include"
ROLE_DASHBOARD: Final = "dashboard"

type Origin = tuple[str | None, int | None]
"""Where a key is written: file (relative to the configuration directory) and line."""


# --- the facts --------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ConfigFile:
    """One parsed file of the graph."""

    path: str
    """Relative to the configuration directory (POSIX separators); absolute if outside it."""
    mount: tuple[str, ...]
    """Mapping keys above this file's root where it was first included: `("automation",)`."""
    role: str
    """`configuration`, `include` or `dashboard` (`ROLE_*`)."""
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

    config_dir: str
    """The configuration directory (normalised) the files' paths are relative to."""
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

    def includes(self, *, dashboards: bool = False) -> IncludeResolver:
        """The include resolver over this graph's files (dashboards left out unless asked)."""
        return IncludeResolver(
            self.config_dir,
            (f for f in self.files if dashboards or f.role != ROLE_DASHBOARD),
        )


# --- paths ------------------------------------------------------------------------------


def graph_path(config_dir: str, path: str) -> str:
    """How the graph names a file: relative to `config_dir` if inside it, else absolute.

    A relative path has POSIX separators; `config_dir` and `path` are normalised.
    """
    prefix = os.path.join(config_dir, "")
    if path.startswith(prefix):
        relative = path[len(prefix) :]
        return relative if os.sep == "/" else relative.replace(os.sep, "/")
    return path


def include_path(config_dir: str, marker: Include) -> str:
    """The absolute path an include names: relative to the folder of the file holding it.

    Normalised lexically (`..` removed without following links), like annotatedyaml.
    """
    source = marker.file
    if not os.path.isabs(source):
        source = os.path.join(config_dir, source)
    return os.path.normpath(os.path.join(os.path.dirname(source), marker.target))


def include_dir_loads(name: str) -> bool:
    """Whether an `!include_dir_*` loads a file of this name.

    annotatedyaml loads `*.yaml` files but dot files and `secrets.yaml`.
    """
    return name.endswith(".yaml") and not name.startswith(".") and name != SECRET_YAML


def include_dir_enters(name: str) -> bool:
    """Whether an `!include_dir_*` walks into a folder of this name (not a dot folder)."""
    return not name.startswith(".")


# --- includes ---------------------------------------------------------------------------


class MergedMap(dict[Any, Any]):
    """A mapping merged from several files (`!include_dir_merge_named`): origin per key."""

    origins: dict[Any, Origin]


def origin_of(mapping: Mapping[Any, Any], key: Any) -> Origin:
    """The file and line of `key` in a mapping of the graph, as far as known."""
    if isinstance(mapping, MergedMap):
        return mapping.origins.get(key, (None, None))
    if isinstance(mapping, YamlMap):
        return mapping.file, mapping.key_lines.get(key)
    return None, None


class IncludeResolver:
    """What Home Assistant's loader puts where an include is, from parsed files (no I/O).

    As `annotatedyaml.loader` does: `!include` loads one file (an empty file is an empty
    mapping); `!include_dir_list`, `!include_dir_merge_list`, `!include_dir_named` and
    `!include_dir_merge_named` load every `*.yaml` below the folder, recursively, dot files
    and folders and `secrets.yaml` skipped, in sorted order.
    """

    def __init__(self, config_dir: str, files: Iterable[ConfigFile]) -> None:
        """Resolve among `files`, whose paths are relative to `config_dir`."""
        self.config_dir = os.path.normpath(config_dir)
        self.files: dict[str, ConfigFile] = {f.path: f for f in files}
        # The paths, sorted (made on first use): a folder is one slice of them.
        self._paths: list[str] | None = None
        self._listed: dict[str, list[ConfigFile]] = {}

    def absolute(self, path: str) -> str:
        """The absolute path of a graph path."""
        return path if os.path.isabs(path) else os.path.join(self.config_dir, path)

    def target(self, marker: Include) -> str:
        """The graph path of the file or folder an include names."""
        return graph_path(self.config_dir, include_path(self.config_dir, marker))

    def folder_prefix(self, directory: str) -> str:
        """What the graph path of every file below `directory` (a graph path) starts with."""
        return graph_path(self.config_dir, os.path.join(self.absolute(directory), ""))

    def members(self, directory: str) -> list[ConfigFile]:
        """The parsed files an `!include_dir_*` of `directory` (a graph path) loads, in order."""
        prefix = self.folder_prefix(directory)
        if (known := self._listed.get(prefix)) is not None:
            return known
        if self._paths is None:
            self._paths = sorted(self.files)
        found: list[tuple[list[str], str]] = []
        start = bisect_left(self._paths, prefix)
        for path in itertools.islice(self._paths, start, None):
            if not path.startswith(prefix):
                break
            parts = path[len(prefix) :].split("/")
            name = parts.pop()
            if include_dir_loads(name) and all(map(include_dir_enters, parts)):
                found.append((parts, path))
        # Sorted by folder, then name: the order of a sorted walk, folder by folder.
        listed = [self.files[path] for _, path in sorted(found)]
        self._listed[prefix] = listed
        return listed

    def value(self, marker: Include) -> Any:
        """What the loader puts where `marker` is; None when its file is not in the graph."""
        target = self.target(marker)
        if marker.tag == INCLUDE:
            config_file = self.files.get(target)
            if config_file is None:
                return None
            return YamlMap() if config_file.root is None else config_file.root
        members = self.members(target)
        if marker.tag == INCLUDE_DIR_LIST:
            return [f.root for f in members if f.root is not None]
        if marker.tag == INCLUDE_DIR_MERGE_LIST:
            return [
                item for f in members if isinstance(f.root, list) for item in f.root
            ]
        if marker.tag == INCLUDE_DIR_NAMED:
            return {
                os.path.splitext(os.path.basename(f.path))[0]: YamlMap()
                if f.root is None
                else f.root
                for f in members
            }
        merged = MergedMap()
        merged.origins = {}
        for config_file in members:
            if isinstance(config_file.root, Mapping):
                merged.update(config_file.root)
                merged.origins.update(
                    {key: origin_of(config_file.root, key) for key in config_file.root}
                )
        return merged

    def follow(self, value: Any) -> Any:
        """`value` with includes followed (a file holding only an include is followed too).

        None when a file on the way is not in the graph, or the includes loop.
        """
        for _ in range(MAX_INCLUDE_DEPTH):
            if not isinstance(value, Include):
                return value
            value = self.value(value)
        return None
