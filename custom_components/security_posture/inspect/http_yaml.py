"""The `http:` block of the YAML configuration, taken from the configuration graph.

The graph (`config_files.async_get_config_graph`, read once per scan, quietly, with bounds)
keeps every file with its markers unresolved. This module puts together what Home
Assistant's loader would make of the `http:` block, without loading anything again:

- `!include` and the four `!include_dir_*` forms are replaced by the parsed files of the
  graph (as `annotatedyaml.loader` does: an empty file is an empty mapping, `*.yaml` only,
  dot files and `secrets.yaml` skipped, sorted);
- packages (`homeassistant: packages:`) are merged into it like
  `homeassistant.config.merge_packages_config` merges a plain dict domain (http has no
  platform schema and no list schema): keys are added, lists are concatenated, a key that
  is set twice stops the merge of that package's block (Home Assistant logs an error);
- `!secret` values of the block are resolved from the `secrets.yaml` the graph says defines
  them (that one file is read, only those names are kept, in memory, never logged or put in a
  problem), `!env_var` from the environment with its default.

Every key keeps the file and line it was written at. What cannot be resolved (a file that
could not be read on the way, an undefined secret, an unset variable) is left out and
described in `problems`, without any value.
"""

# Paths are joined and compared lexically with os.path, as the graph and annotatedyaml do.
# ruff: noqa: PTH117, PTH118, PTH119, PTH120, PTH122

from __future__ import annotations

import bisect
from collections.abc import Mapping
from dataclasses import dataclass, field
import itertools
import os
import re
from typing import TYPE_CHECKING, Any, Final

from homeassistant.helpers import config_validation as cv
import voluptuous as vol
import yaml  # type: ignore[import-untyped]

from .config_files import (
    CONFIG_YAML,
    INCLUDE,
    INCLUDE_DIR_LIST,
    INCLUDE_DIR_MERGE_LIST,
    INCLUDE_DIR_NAMED,
    MAX_INCLUDE_DEPTH,
    NESTED_TOO_DEEPLY,
    REFERENCE_TYPES,
    SECRET_YAML,
    ConfigFile,
    ConfigGraph,
    EnvVarRef,
    Include,
    ReadError,
    SecretRef,
    SecretUse,
    YamlMap,
    _read_text,  # the graph's bounded, non-blocking file read
    parse_yaml,
    yaml_error_reason,
)
from .masking import mask_credentials

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from homeassistant.core import HomeAssistant

HTTP: Final = "http"
_CORE: Final = "homeassistant"
_PACKAGES: Final = "packages"
_DASHBOARD: Final = "dashboard"
_SLUG: Final = re.compile(r"[a-z0-9]+(?:_[a-z0-9]+)*")
"""Names `cv.slug` accepts without a doubt (it is asked about the others)."""

type Origin = tuple[str | None, int | None]
"""Where a key is written: file (relative to the configuration directory) and line."""
type Problem = tuple[str, str | None]
"""A reason (never a value) and the file it is about."""


@dataclass(frozen=True, kw_only=True)
class YamlHttp:
    """The `http:` block as Home Assistant would load it, and where each key is."""

    block: Mapping[str, Any] | None = None
    """None when the configuration has no `http:` block (or only one that is not a mapping)."""
    origins: Mapping[str, Origin] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()
    from_secrets: Mapping[str, tuple[Any, ...]] = field(default_factory=dict)
    """Per key, the resolved values that came from `secrets.yaml`: never to be printed."""


class _Merged(dict[Any, Any]):
    """A mapping merged from several files (`!include_dir_merge_named`): origin per key."""

    origins: dict[Any, Origin]


def may_hold_http(mount: tuple[str, ...] | None) -> bool:
    """Whether a file that an include would have put at `mount` can hold the http: block.

    That is: the http: block itself, a package or the packages (or what holds them).
    """
    if mount is None or mount[:1] == (HTTP,):
        return True
    packages = (_CORE, _PACKAGES)
    if len(mount) <= len(packages):
        return mount == packages[: len(mount)]
    return mount[: len(packages)] == packages and (
        len(mount) == len(packages) + 1 or mount[len(packages) + 1] == HTTP
    )


def origin_of(mapping: Mapping[Any, Any], key: Any) -> Origin:
    """The file and line of `key` in a mapping of the graph, as far as known."""
    if isinstance(mapping, _Merged):
        return mapping.origins.get(key, (None, None))
    if isinstance(mapping, YamlMap):
        return mapping.file, mapping.key_lines.get(key)
    return None, None


# --- the block, with includes and packages ---------------------------------------------


class _BlockReader:
    """Puts the `http:` block together from the parsed files of one graph (no I/O)."""

    def __init__(self, graph: ConfigGraph, config_dir: Path) -> None:
        self.config_dir = os.path.normpath(str(config_dir))
        self.prefix = os.path.join(self.config_dir, "")
        self.files: dict[str, ConfigFile] = {
            f.path: f for f in graph.files if f.role != _DASHBOARD
        }
        # Files that could not be read where they could hold part of the block (a file
        # with a problem but parsed, such as the one closing an include loop, is not among
        # them; nor is one that failed as, say, a `panel_custom:` include).
        self.failed = tuple(
            p.file
            for p in graph.problems
            if p.file is not None
            and p.file not in self.files
            and may_hold_http(p.mount)
        )
        self.problems: list[Problem] = []
        self.unread: set[str] = set()
        # The graph's paths, sorted (made on first use): a directory is one slice of them.
        self.paths: list[str] | None = None
        self.listed: dict[str, list[ConfigFile]] = {}

    # paths, as the graph writes them

    def absolute(self, rel: str) -> str:
        return rel if os.path.isabs(rel) else os.path.join(self.config_dir, rel)

    def rel(self, path: str) -> str:
        if path.startswith(self.prefix):
            return path[len(self.prefix) :].replace(os.sep, "/")
        return path

    def incomplete(self, rel: str) -> None:
        """A file on the way to the block could not be read: say so once."""
        if rel not in self.unread:
            self.unread.add(rel)
            self.problems.append(
                (f"the http: block may be incomplete: {rel} could not be read", rel)
            )

    # includes

    def members(self, directory: str, *, record: bool) -> list[ConfigFile]:
        """The files an `!include_dir_*` of `directory` loads, in loading order."""
        prefix = self.rel(os.path.join(directory, ""))
        if record:
            for failed in self.failed:
                if failed.startswith(prefix):
                    self.incomplete(failed)
        if (known := self.listed.get(prefix)) is not None:
            return known
        if self.paths is None:
            self.paths = sorted(self.files)
        found: list[tuple[list[str], str]] = []
        start = bisect.bisect_left(self.paths, prefix)
        for path in itertools.islice(self.paths, start, None):
            if not path.startswith(prefix):
                break
            parts = path[len(prefix) :].split("/")
            name = parts.pop()
            # annotatedyaml: `*.yaml`, no dot files or directories, no secrets.yaml.
            if (
                name.endswith(".yaml")
                and name != SECRET_YAML
                and not name.startswith(".")
                and not any(part.startswith(".") for part in parts)
            ):
                found.append((parts, path))
        listed = [self.files[path] for _, path in sorted(found)]
        self.listed[prefix] = listed
        return listed

    def include(self, marker: Include, *, record: bool) -> Any:
        """What Home Assistant's loader puts where `marker` is; None if it is not known."""
        source = self.absolute(marker.file)
        target = os.path.normpath(os.path.join(os.path.dirname(source), marker.target))
        if marker.tag == INCLUDE:
            config_file = self.files.get(self.rel(target))
            if config_file is None:
                if record:
                    self.incomplete(self.rel(target))
                return None
            return YamlMap() if config_file.root is None else config_file.root
        members = self.members(target, record=record)
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
        merged = _Merged()
        merged.origins = {}
        for config_file in members:
            if isinstance(config_file.root, Mapping):
                merged.update(config_file.root)
                merged.origins.update(
                    {key: origin_of(config_file.root, key) for key in config_file.root}
                )
        return merged

    def value(self, value: Any, *, record: bool = True) -> Any:
        """`value` with includes followed (a file holding only an include is followed too)."""
        for _ in range(MAX_INCLUDE_DEPTH):
            if not isinstance(value, Include):
                return value
            value = self.include(value, record=record)
        return None  # an include chain that loops: the graph notes the loop

    # packages

    def packages(
        self, root: Mapping[Any, Any]
    ) -> Iterator[tuple[str, Mapping[Any, Any]]]:
        """The packages Home Assistant merges, in order; invalid ones are left out."""
        core = self.value(root.get(_CORE))
        if not isinstance(core, Mapping):
            return
        packages = self.value(core.get(_PACKAGES))
        if not isinstance(packages, Mapping):
            return
        resolved = {name: self.value(pack) for name, pack in packages.items()}
        # Like _PACKAGES_CONFIG_SCHEMA: one package that is not a mapping or a list, and
        # Home Assistant merges none of them.
        if not all(isinstance(pack, (Mapping, list)) for pack in resolved.values()):
            self.problems.append(
                (
                    "packages are not merged: a package is not a mapping",
                    origin_of(core, _PACKAGES)[0],
                )
            )
            return
        for name, pack in resolved.items():
            # Only a package with an http: block matters here: the others are not checked.
            if (
                isinstance(pack, Mapping)
                and HTTP in pack
                and self.valid_package(name, pack)
            ):
                yield str(name), pack

    def valid_package(self, name: Any, pack: Mapping[Any, Any]) -> bool:
        """Like _validate_package_definition: a slug name, domains holding mappings or lists."""
        if not (isinstance(name, str) and _SLUG.fullmatch(name)):
            try:
                cv.slug(name)
            except vol.Invalid:
                return False
        return all(
            key is not None
            and isinstance(self.value(value, record=False), (Mapping, list, type(None)))
            for key, value in pack.items()
        )

    # the block

    def read(self, root: Mapping[Any, Any]) -> YamlHttp:
        main = self.value(root.get(HTTP))
        block: dict[str, Any] | None = None
        origins: dict[str, Origin] = {}
        if isinstance(main, Mapping):
            block = {str(key): self.value(value) for key, value in main.items()}
            origins = {str(key): origin_of(main, key) for key in main}
        elif main is not None:
            self.problems.append(
                ("the http: block is not a mapping", origin_of(root, HTTP)[0])
            )
        for name, pack in self.packages(root):
            pack_http = self.value(pack[HTTP])
            if not isinstance(pack_http, Mapping | None) or not isinstance(
                main, Mapping | None
            ):
                self.problems.append(
                    (
                        f"package {name}: its http: block cannot be merged",
                        origin_of(pack, HTTP)[0],
                    )
                )
                continue
            if block is None:
                block = {}
            duplicate = self.merge(block, origins, pack_http or {})
            if duplicate is not None:
                self.problems.append(
                    (
                        f"package {name}: http.{duplicate} is set more than once; Home "
                        "Assistant keeps the first and merges no more of this package",
                        origin_of(pack_http or {}, duplicate)[0],
                    )
                )
        return YamlHttp(block=block, origins=origins, problems=tuple(self.problems))

    def merge(
        self,
        block: dict[str, Any],
        origins: dict[str, Origin],
        package: Mapping[Any, Any],
    ) -> str | None:
        """Merge one package's block, as homeassistant.config._recursive_merge does.

        Returns the key that was set twice, if one was. No http option is a mapping: one
        found here is kept, but not merged any deeper.
        """
        for raw_key, raw in package.items():
            key = str(raw_key)
            value = self.value(raw)
            if isinstance(value, Mapping):
                if value and not isinstance(block.get(key), Mapping):
                    block[key] = value
                    origins.setdefault(key, origin_of(package, raw_key))
            elif isinstance(value, list):
                block[key] = cv.remove_falsy(
                    cv.ensure_list(block.get(key)) + cv.ensure_list(value)
                )
                origins.setdefault(key, origin_of(package, raw_key))
            else:
                if block.get(key) is not None:
                    return key
                block[key] = value
                origins[key] = origin_of(package, raw_key)
        return None


def http_block(
    graph: ConfigGraph, config_dir: Path, fields: tuple[str, ...]
) -> YamlHttp:
    """The `http:` block (only `fields`) with includes and packages, markers still in it."""
    configuration = next(
        (f for f in graph.files if f.path == CONFIG_YAML and f.role != _DASHBOARD), None
    )
    if configuration is None or not isinstance(configuration.root, Mapping):
        return YamlHttp()
    reader = _BlockReader(graph, config_dir)
    found = reader.read(configuration.root)
    if found.block is None:
        return found
    return YamlHttp(
        block={
            name: _include_items(reader, value)
            for name, value in found.block.items()
            if name in fields
        },
        origins={name: o for name, o in found.origins.items() if name in fields},
        problems=found.problems,
    )


def _include_items(reader: _BlockReader, value: Any) -> Any:
    """A list value with the includes of its items followed."""
    if isinstance(value, list):
        return [reader.value(item) for item in value]
    return value


# --- secrets and environment variables ---------------------------------------------------


class SecretsUnreadable(Exception):  # noqa: N818 - reads as the state it is
    """The secrets file that defines a name cannot be read now; the message says why."""


def read_secret_values(path: str, rel: str, names: frozenset[str]) -> dict[str, Any]:
    """The values of `names` in one secrets file (blocking I/O: run it in the executor).

    The file is read with the graph's bounded reader and parsed with its quiet loader. Only
    the names asked for are returned; errors carry reasons without content.
    """
    try:
        _, text, _ = _read_text(path)
    except ReadError as err:
        raise SecretsUnreadable(str(err)) from None
    try:
        root, _ = parse_yaml(text, rel)
    except yaml.YAMLError as err:
        raise SecretsUnreadable(yaml_error_reason(err)) from None
    except RecursionError:
        raise SecretsUnreadable(NESTED_TOO_DEEPLY) from None
    except Exception as err:  # noqa: BLE001 - e.g. a date that does not exist
        reason = f"invalid YAML: a value cannot be read ({type(err).__name__})"
        raise SecretsUnreadable(reason) from None
    if not isinstance(root, Mapping):
        raise SecretsUnreadable("secrets file is not a mapping")
    return {str(key): value for key, value in root.items() if str(key) in names}


class _Unresolved(Exception):  # noqa: N818 - reads as the state it is
    """A marker without a value; the message says why (never a value)."""

    file: str | None = None


def _resolve_value(value: Any, secrets: _Secrets) -> tuple[Any, tuple[Any, ...]]:
    """One key's value with its markers resolved, and the parts that came from secrets."""
    resolved: list[Any] = []
    secret: list[Any] = []
    for item in value if isinstance(value, list) else [value]:
        try:
            resolved.append(_scalar(item, secrets))
        except _Unresolved as err:  # only a marker (which knows its place) raises
            unknown = _Unresolved(
                f"(line {item.line}) is not known: {mask_credentials(str(err))}"
            )
            unknown.file = item.file
            raise unknown from None
        if isinstance(item, SecretRef):
            got = resolved[-1]
            secret.extend(got if isinstance(got, list) else [got])
    return (resolved if isinstance(value, list) else resolved[0]), tuple(secret)


@dataclass(frozen=True, kw_only=True)
class _Secrets:
    """The secret values the block needs, and why some could not be had."""

    uses: Mapping[tuple[str, str, int], SecretUse]
    values: Mapping[tuple[str, str], Any]
    failures: Mapping[str, str]

    def value(self, ref: SecretRef) -> Any:
        use = self.uses.get((ref.name, ref.file, ref.line))
        if use is None or use.defined_in is None:
            if use is not None and not use.decidable:
                raise _Unresolved(
                    f"!secret {ref.name}: a secrets.yaml on its lookup path cannot be read"
                )
            raise _Unresolved(f"!secret {ref.name} is not defined")
        if (failure := self.failures.get(use.defined_in)) is not None:
            raise _Unresolved(f"!secret {ref.name}: {use.defined_in}: {failure}")
        if (use.defined_in, ref.name) not in self.values:
            raise _Unresolved(f"!secret {ref.name} is no longer in {use.defined_in}")
        return self.values[use.defined_in, ref.name]


def _env_value(ref: EnvVarRef) -> str:
    if (value := os.environ.get(ref.name)) is not None:
        return value
    if ref.default is not None:
        return ref.default
    raise _Unresolved(f"!env_var {ref.name} is not set and has no default")


def _scalar(value: Any, secrets: _Secrets) -> Any:
    if isinstance(value, SecretRef):
        value = secrets.value(value)
        if isinstance(value, EnvVarRef):  # Home Assistant resolves tags in secrets.yaml
            return _env_value(value)
        if isinstance(value, list):
            return [_plain(item) for item in value]
        return _plain(value)
    return _plain(value)


def _plain(value: Any) -> Any:
    if isinstance(value, EnvVarRef):
        return _env_value(value)
    if isinstance(value, REFERENCE_TYPES):
        raise _Unresolved(f"{_tag(value)} cannot be resolved here")
    return value


def _tag(marker: Any) -> str:
    """`!include`, `!secret`, `!input`, ...: the tag a marker stands for."""
    return str(
        getattr(marker, "tag", "!" + type(marker).__name__.removesuffix("Ref").lower())
    )


def _markers(value: Any) -> list[Any]:
    items = value if isinstance(value, list) else [value]
    return [item for item in items if isinstance(item, REFERENCE_TYPES)]


async def async_resolve_markers(
    hass: HomeAssistant, config_dir: Path, graph: ConfigGraph, found: YamlHttp
) -> YamlHttp:
    """Replace the `!secret` and `!env_var` markers of the block by their values.

    A field whose value cannot be had is left out (its default applies) with a problem.
    """
    if found.block is None:
        return found
    wanted: dict[str, set[str]] = {}
    names = {
        item.name
        for value in found.block.values()
        for item in (value if isinstance(value, list) else [value])
        if isinstance(item, SecretRef)
    }
    # Index only the uses of the block's own names: the graph may hold thousands.
    uses = {(u.name, u.file, u.line): u for u in graph.secret_uses if u.name in names}
    for value in found.block.values():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, SecretRef) and (
                (use := uses.get((item.name, item.file, item.line))) is not None
                and use.defined_in is not None
            ):
                wanted.setdefault(use.defined_in, set()).add(item.name)
    values: dict[tuple[str, str], Any] = {}
    failures: dict[str, str] = {}
    for rel, names in wanted.items():
        path = rel if os.path.isabs(rel) else os.path.join(str(config_dir), rel)
        try:
            found_values = await hass.async_add_executor_job(
                read_secret_values, path, rel, frozenset(names)
            )
        except SecretsUnreadable as err:
            failures[rel] = str(err)
            continue
        values.update({(rel, name): v for name, v in found_values.items()})
    secrets = _Secrets(uses=uses, values=values, failures=failures)
    block: dict[str, Any] = {}
    from_secrets: dict[str, tuple[Any, ...]] = {}
    problems = list(found.problems)
    for name, value in found.block.items():
        try:
            block[name], secret = _resolve_value(value, secrets)
        except _Unresolved as err:
            problems.append((f"the value of http.{name} {err}", err.file))
            continue
        if secret:
            from_secrets[name] = secret
    return YamlHttp(
        block=block,
        origins=found.origins,
        problems=tuple(problems),
        from_secrets=from_secrets,
    )


def unset_env_vars(graph: ConfigGraph, block: YamlHttp) -> Iterator[EnvVarRef]:
    """`!env_var` tags without a value or default, outside `block` (which says so itself).

    Home Assistant refuses to load a configuration with one of them.
    """
    own = {
        marker for value in (block.block or {}).values() for marker in _markers(value)
    }
    for config_file in graph.files:
        if config_file.role == _DASHBOARD:
            continue
        for located in config_file.env_vars:
            ref = located.marker
            if ref.default is None and ref.name not in os.environ and ref not in own:
                yield ref
