"""Read the configuration graph the way Home Assistant loads it, with file and line.

The graph (`config_graph`) is resolved following exactly what Home Assistant follows:

- `configuration.yaml`, `!include` (relative to the including file), the four
  `!include_dir_*` forms (recursive, `*.yaml`, dot files and directories skipped,
  `secrets.yaml` skipped, sorted, symbolic links to directories not followed, like
  `annotatedyaml.loader`), so packages come in through their includes;
- YAML-mode dashboards (`ui-lovelace.yaml` and `lovelace.dashboards.*.filename`), which
  Home Assistant loads with the same loader and secrets;
- `!secret` lookup from the directory of the file holding the reference up to the
  configuration directory, like `annotatedyaml.loader.Secrets.get`.

Nothing here opens `.storage` or the database. Every file that cannot be read (missing,
unreadable, not UTF-8, invalid YAML, too large, a link loop, an include loop) becomes a
`Problem` naming the file; reading never raises for bad input.

Parsed files are cached between scans, keyed by path and (mtime_ns, size, inode): an
unchanged rescan only calls `stat`.
"""

# Paths are joined and normalised lexically with os.path, as annotatedyaml does.
# ruff: noqa: PTH110, PTH118, PTH119, PTH120, PTH122

from __future__ import annotations

from dataclasses import dataclass
import os
from typing import TYPE_CHECKING, Any, Final

from .config_graph import (
    CONFIG_YAML,
    LOVELACE_YAML,
    MAX_INCLUDE_DEPTH,
    ROLE_CONFIGURATION,
    ROLE_DASHBOARD,
    ROLE_INCLUDE,
    SECRET_YAML,
    ConfigFile,
    ConfigGraph,
    IncludeResolver,
    Problem,
    ReadStats,
    SecretsFile,
    SecretUse,
    graph_path,
    include_dir_enters,
    include_dir_loads,
    include_path,
)
from .masking import mask_path
from .yaml_files import (
    ParsedFile,
    ParsedSecrets,
    ReadError,
    StatKey,
    current_key,
    file_error_reason,
    parse_config,
    parse_secrets,
    read_text,
)
from .yaml_nodes import INCLUDE, INCLUDE_DIR_NAMED, Include, SecretRef, YamlMap

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, MutableMapping
    from pathlib import Path

    from .key_paths import Located

MAX_FILES: Final = 5000
"""At most this many files are read in one graph."""


def _find_files(
    directory: str,
    problems: Callable[[str, str], None],
    watch: Callable[[str], None],
    refused: Callable[[str], str | None] = lambda _path: None,
) -> Iterator[str]:
    """Files under `directory` as annotatedyaml.loader._find_files yields them (sorted).

    `watch` is called with every folder that is listed (and `directory` even when it
    cannot be): adding or removing a file changes one of them. A folder `refused` names a
    reason for is not listed: that is a problem.
    """

    def onerror(err: OSError) -> None:
        if err.filename is not None and os.path.normpath(
            err.filename
        ) != os.path.normpath(directory):
            problems(err.filename, f"directory {file_error_reason(err)}")

    watch(directory)
    for root, dirs, files in os.walk(directory, topdown=True, onerror=onerror):
        if root != directory:
            watch(root)
        entered = []
        for name in sorted(filter(include_dir_enters, dirs)):
            if (reason := refused(os.path.join(root, name))) is not None:
                problems(os.path.join(root, name), reason)
            else:
                entered.append(name)
        dirs[:] = entered
        for basename in sorted(files):
            if include_dir_loads(basename):
                yield os.path.join(root, basename)


@dataclass(slots=True)
class _CacheEntry:
    key: StatKey
    parsed: ParsedFile | ParsedSecrets


class GraphReader:
    """One read of the graph; uses and refreshes the cache.

    Every path it looks at is kept in `watched` with its stat key (None for nothing
    there): while none of them changes, reading again gives the same graph.
    """

    def __init__(self, config_dir: Path, cache: MutableMapping[str, Any]) -> None:
        """Read the graph under `config_dir`; `cache` is kept between reads."""
        self.config_dir = os.path.normpath(str(config_dir))
        self.cache: MutableMapping[tuple[str, str], Any] = cache  # type: ignore[assignment]
        self.used: set[tuple[str, str]] = set()
        self.watched: dict[str, StatKey | None] = {}
        self.real_dirs: dict[str, str] = {}
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
        return graph_path(self.config_dir, path)

    def inside(self, directory: str) -> bool:
        """Whether `directory` is the configuration directory or inside it."""
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
        """Note that `path` could not be read or followed (once per file and reason)."""
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

    def watch(self, path: str) -> None:
        """Keep what `path` is now (a file or folder that could not be read, or none)."""
        self.watched[path] = current_key(path)

    def read_file(self, path: str) -> tuple[StatKey, str, int]:
        """Read a file of the graph: stat key, text, size (ReadError if it cannot be)."""
        try:
            key, text, size = read_text(path, self.real_dirs)
        except ReadError:
            self.watch(path)
            raise
        self.watched[path] = key
        self.bytes_read += size
        self.files_parsed += 1
        return key, text, size

    def cached[E](self, cache_key: tuple[str, str], kind: type[E]) -> E | None:
        """The cache entry at `cache_key` if stat says its file is unchanged."""
        self.used.add(cache_key)
        cached = self.cache.get(cache_key)
        if not isinstance(cached, kind):
            return None
        path = cache_key[1]
        key = current_key(path)
        if key is None or key != cached.key:  # type: ignore[attr-defined]
            return None
        self.watched[path] = key
        self.files_cached += 1
        return cached

    def _load[P: (ParsedFile, ParsedSecrets)](
        self, path: str, parse: Callable[[str, str, int], P], kind: type[P]
    ) -> P:
        """Parsed content of `path`: from the cache when stat says unchanged."""
        cache_key = (kind.__name__, path)
        cached = self.cached(cache_key, _CacheEntry)
        if cached is not None and isinstance(cached.parsed, kind):
            return cached.parsed
        key, text, size = self.read_file(path)
        parsed = parse(text, self.rel(path), size)
        self.cache[cache_key] = _CacheEntry(key=key, parsed=parsed)
        return parsed

    def load_config(self, path: str, mount: tuple[str, ...]) -> ParsedFile:
        """The parsed file at `path`, included at `mount`."""
        return self._load(path, parse_config, ParsedFile)

    def also_at(self, path: str, mount: tuple[str, ...]) -> None:
        """A file already in the graph is included again, at `mount`."""

    def refused(self, path: str) -> str | None:
        """Why `path` is not to be touched at all, if it is not."""
        return None

    def load_secrets(self, path: str) -> ParsedSecrets:
        """The names of the secrets file at `path`."""
        return self._load(
            path, lambda text, rel, _size: parse_secrets(text, rel), ParsedSecrets
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
            self.also_at(path, mount)
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
            parsed = self.load_config(path, mount)
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
        """Visit what the include `located` in the file at `path` brings in."""
        include = located.marker
        target = include_path(self.config_dir, include)
        keys = (*mount, *(p for p in located.parts if isinstance(p, str)))
        if include.tag == INCLUDE:
            self.visit(target, mount=keys, role=ROLE_INCLUDE, chain=chain, via=include)
            return

        def problem(path: str, reason: str) -> None:
            self.problem(path, reason, mount=keys)

        if (reason := self.refused(target)) is not None:
            problem(target, reason)
            return
        for found in _find_files(target, problem, self.watch, self.refused):
            stem = os.path.splitext(os.path.basename(found))[0]
            self.visit(
                found,
                mount=(*keys, stem) if include.tag == INCLUDE_DIR_NAMED else keys,
                role=ROLE_INCLUDE,
                chain=chain,
                via=include,
            )

    # secrets

    def secrets_file(self, directory: str) -> SecretsFile:
        """The `secrets.yaml` of `directory`, read once per read of the graph."""
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
        """Read the whole graph, from `configuration.yaml`."""
        config_path = os.path.join(self.config_dir, CONFIG_YAML)
        root_problem: str | None = None
        try:
            parsed = self.load_config(config_path, ())
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
        self.visit(config_path, mount=(), role=ROLE_CONFIGURATION, chain=(), via=None)
        # Home Assistant reads these when the dashboard is opened; a missing one is its
        # business (it shows an error there), not a reading problem here.
        for dashboard in self.dashboards(parsed.root):
            if self.refused(dashboard) is not None or os.path.exists(dashboard):
                self.visit(dashboard, mount=(), role=ROLE_DASHBOARD, chain=(), via=None)
            else:
                self.watch(dashboard)
        # The main secrets file is read even when nothing references it (unused secrets).
        self.secrets_file(self.config_dir)
        return self.graph(None)

    def dashboards(self, root: Any) -> list[str]:
        """YAML-mode dashboard files that the `lovelace:` section declares."""
        includes = IncludeResolver(self.config_dir, self.files.values())
        if not isinstance(root, YamlMap):
            return []
        lovelace = includes.follow(root.get("lovelace"))
        if not isinstance(lovelace, YamlMap):
            return []
        found: list[str] = []
        if str(lovelace.get("mode", "")).lower() == "yaml":
            found.append(os.path.join(self.config_dir, LOVELACE_YAML))
        dashboards = includes.follow(lovelace.get("dashboards"))
        if isinstance(dashboards, YamlMap):
            found.extend(
                os.path.normpath(os.path.join(self.config_dir, dashboard["filename"]))
                for dashboard in dashboards.values()
                if isinstance(dashboard, YamlMap)
                and str(dashboard.get("mode", "")).lower() == "yaml"
                and isinstance(dashboard.get("filename"), str)
            )
        return [path for path in found if path not in self.files]

    def graph(self, root_problem: str | None) -> ConfigGraph:
        """The graph read so far; the cache forgets the files no longer in it."""
        uses = [
            self.resolve_secret(located.marker, located.key, path)
            for path, config_file in self.files.items()
            for located in config_file.secrets
        ]
        for stale in [p for p in self.cache if p not in self.used]:
            del self.cache[stale]
        return ConfigGraph(
            config_dir=self.config_dir,
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
    return GraphReader(config_dir, cache).read()
