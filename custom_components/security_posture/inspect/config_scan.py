"""One scan of the configuration's files: the graph and its inline credentials, compactly.

What a scan keeps is what the checks and readers use, found while each file is parsed,
never a file's whole tree (`tree_sections`):

- the graph (`ConfigGraph`): every file with its markers, the `!secret` uses and how they
  resolve, the secrets files' names, the problems; each file's tree only in the sections
  readers read (`tree_sections.SECTIONS`), elsewhere its shape;
- the inline credentials of every file (`credentials`), located by file, line and key;
- the webhook triggers written in every file, with a digest of their id, never the id
  (`webhook_triggers`);
- what was looked at (`watched`): every file and folder with its stat key, so that a scan
  of an unchanged configuration is answered without reading anything.

A file is parsed without line numbers unless its tree is kept or it is large (over
`LINES_ABOVE`); a small file in which credentials are found is parsed again with them (few
are). Parsed files are cached between scans by path, stat key and where they are included.

Blocking and free of Home Assistant: it runs in the scan worker (`scan_worker`), or in the
executor. `progress` is called with each path before it is touched, and a path in
`cut_off` is not touched at all: it is a file that took too long to read last time.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Final

import yaml  # type: ignore[import-untyped]

from .config_graph import ConfigGraph, ReadStats
from .credentials import Credential, scan_tree, scanned
from .graph_reader import GraphReader
from .tree_sections import keep_sections, keeps_lines
from .webhook_triggers import HINT, WebhookTrigger, find_webhook_triggers
from .yaml_files import (
    MarkerIndex,
    ParsedFile,
    ReadError,
    StatKey,
    count_lines,
    current_key,
    index_markers,
)
from .yaml_loader import (
    NESTED_TOO_DEEPLY,
    parse_yaml,
    value_error_reason,
    yaml_error_reason,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, MutableMapping
    from pathlib import Path

CUT_OFF_REASON: Final = "took longer than {seconds:g} s to read; not read"
LINES_ABOVE: Final = 64 * 1024
"""Characters above which a file is parsed with its lines at once (see `_parse_compact`)."""


@dataclass(frozen=True, slots=True)
class Watched:
    """Every path a scan looked at, with its stat key then (None: nothing was there)."""

    paths: tuple[tuple[str, StatKey | None], ...]

    def unchanged(self, progress: Callable[[str], None] | None = None) -> bool:
        """Whether every path is as it was (blocking: one `stat` each)."""
        for path, key in self.paths:
            if progress is not None:
                progress(path)
            if current_key(path) != key:
                return False
        return True


@dataclass(frozen=True, kw_only=True)
class ConfigScan:
    """What one scan found in the configuration's files."""

    graph: ConfigGraph
    credentials: tuple[Credential, ...]
    webhook_triggers: tuple[WebhookTrigger, ...] = ()
    watched: Watched = field(repr=False)
    cut_off: tuple[str, ...] = ()
    """Files not read because they took too long (absolute paths)."""

    def unchanged_since(self) -> ConfigScan:
        """The same scan again: nothing it looked at changed (so nothing was read)."""
        files = len(self.graph.files) + len(self.graph.secrets_files)
        return replace(
            self, graph=replace(self.graph, stats=ReadStats(files_cached=files))
        )


@dataclass(slots=True)
class _Compact:
    """A file as a scan caches it: its compact parse and its credentials."""

    key: StatKey
    mounts: tuple[tuple[str, ...], ...]
    """Where it is included: the first decides its credentials, all what tree is kept."""
    parsed: ParsedFile
    credentials: tuple[Credential, ...]
    triggers: tuple[WebhookTrigger, ...]


class CompactGraphReader(GraphReader):
    """The graph reader keeping compact files (`tree_sections`) and their credentials."""

    def __init__(
        self,
        config_dir: Path,
        cache: MutableMapping[str, Any],
        *,
        cut_off: Mapping[str, str],
        progress: Callable[[str], None] | None,
    ) -> None:
        """Read under `config_dir`; `cut_off` maps paths not to touch to the reason."""
        super().__init__(config_dir, cache)
        self.cut_off = cut_off
        self.progress = progress
        self.credentials: dict[str, tuple[Credential, ...]] = {}
        self.triggers: dict[str, tuple[WebhookTrigger, ...]] = {}
        self.hit_cut_off: set[str] = set()

    def refused(self, path: str) -> str | None:
        """Why `path` is not touched: it was cut off (a file, or a folder to list)."""
        if (reason := self.cut_off.get(path)) is not None:
            self.hit_cut_off.add(path)
        return reason

    def touch(self, path: str) -> None:
        """About to look at `path`: refused if it was cut off, announced otherwise."""
        if (reason := self.refused(path)) is not None:
            raise ReadError(reason)
        if self.progress is not None:
            self.progress(path)

    def watch(self, path: str) -> None:
        """Keep what `path` is now, unless it must not be touched."""
        if path in self.cut_off:
            return
        if self.progress is not None:
            self.progress(path)
        super().watch(path)

    def read_file(self, path: str) -> tuple[StatKey, str, int]:
        """Read a file of the graph, unless it was cut off."""
        self.touch(path)
        return super().read_file(path)

    def cached[E](self, cache_key: tuple[str, str], kind: type[E]) -> E | None:
        """The cache entry, unless its file was cut off."""
        self.touch(cache_key[1])
        return super().cached(cache_key, kind)

    def load_config(self, path: str, mount: tuple[str, ...]) -> ParsedFile:
        """The compact parse of `path`, included (first) at `mount`."""
        return self._compact(path, (mount,)).parsed

    def _compact(self, path: str, mounts: tuple[tuple[str, ...], ...]) -> _Compact:
        cache_key = ("compact", path)
        cached = self.cached(cache_key, _Compact)
        if cached is not None and cached.mounts[: len(mounts)] == mounts:
            entry = cached
        else:
            key, text, size = self.read_file(path)
            parsed, credentials, triggers = _parse_compact(
                text, self.rel(path), size, mounts
            )
            entry = _Compact(
                key=key,
                mounts=mounts,
                parsed=parsed,
                credentials=credentials,
                triggers=triggers,
            )
            self.cache[cache_key] = entry
        self.credentials[self.rel(path)] = entry.credentials
        self.triggers[self.rel(path)] = entry.triggers
        return entry

    def also_at(self, path: str, mount: tuple[str, ...]) -> None:
        """Included again: keep what this place needs of the file's tree too."""
        cache_key = ("compact", path)
        entry = self.cache.get(cache_key)
        if not isinstance(entry, _Compact) or mount in entry.mounts:
            return
        mounts = (*entry.mounts, mount)
        if not keeps_lines((mount,)):  # nothing more is kept: only remember the place
            self.cache[cache_key] = replace(entry, mounts=mounts)
            return
        # More of its tree is kept: read it again for every place it is included at.
        del self.cache[cache_key]
        try:
            entry = self._compact(path, mounts)
        except ReadError:
            return  # it changed meanwhile: the first read stands for this scan
        self.files[path] = replace(self.files[path], root=entry.parsed.root)

    def scan(self) -> ConfigScan:
        """Read the graph; its credentials in the order of its files."""
        graph = self.read()
        credentials = tuple(
            credential
            for config_file in graph.files
            for credential in self.credentials.get(config_file.path, ())
        )
        return ConfigScan(
            graph=graph,
            credentials=credentials,
            webhook_triggers=tuple(
                trigger
                for config_file in graph.files
                for trigger in self.triggers.get(config_file.path, ())
            ),
            watched=Watched(paths=tuple(self.watched.items())),
            cut_off=tuple(sorted(self.hit_cut_off)),
        )


def _parse_compact(
    text: str, rel: str, size: int, mounts: tuple[tuple[str, ...], ...]
) -> tuple[ParsedFile, tuple[Credential, ...], tuple[WebhookTrigger, ...]]:
    """Parse a file included at `mounts`: what the graph keeps, credentials, triggers."""
    lines = count_lines(text)
    # Lines are read for a kept tree, for a file with webhook triggers (their place is
    # reported), for a file whose markers only a walk indexes, and for a large file:
    # reading it again to say where a credential is would cost more than the lines.
    triggered = HINT in text
    with_lines = (
        keeps_lines(mounts)
        or triggered
        or len(text) > LINES_ABOVE
        or ("!" in text and not scanned(rel))  # its markers are indexed by a walk
    )
    error: str | None
    try:
        root, tag_problems = parse_yaml(text, rel, lines=with_lines)
    except yaml.YAMLError as err:
        error = yaml_error_reason(err)
    except RecursionError:
        error = NESTED_TOO_DEEPLY
    except Exception as err:  # noqa: BLE001 - e.g. ValueError for a date like 2024-13-45
        error = value_error_reason(err)
    else:
        error = None
    if error is not None:
        return ParsedFile(root=None, lines=lines, size=size, error=error), (), ()
    # Markers only come from tags: a file without "!" has none.
    markers = MarkerIndex()
    credentials: list[Credential] = []
    if scanned(rel):
        tagged = markers if "!" in text else None
        credentials = scan_tree(rel, mounts[0], root, lines=with_lines, markers=tagged)
        if credentials and not with_lines:
            # Found in a tree read without lines: read it again to say where.
            lined, _ = parse_yaml(text, rel, lines=True)
            credentials = scan_tree(rel, mounts[0], lined, lines=True)
    elif "!" in text:
        markers = index_markers(root)
    return (
        ParsedFile(
            root=keep_sections(root, mounts),
            lines=lines,
            size=size,
            includes=tuple(markers.includes),
            secrets=tuple(markers.secrets),
            env_vars=tuple(markers.env_vars),
            tag_problems=tuple(tag_problems),
        ),
        tuple(credentials),
        tuple(find_webhook_triggers(rel, root) if triggered else ()),
    )


def scan_configuration(
    config_dir: Path,
    cache: MutableMapping[str, Any],
    *,
    cut_off: Mapping[str, str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> ConfigScan:
    """Scan the configuration under `config_dir` (blocking; pass the same `cache` each time).

    `cut_off` maps absolute paths that must not be touched to the reason given for them.
    """
    return CompactGraphReader(
        config_dir, cache, cut_off=cut_off or {}, progress=progress
    ).scan()
