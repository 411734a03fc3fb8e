"""The `http:` block of the YAML configuration, taken from the configuration graph.

The graph (`config_facts.async_get_config_graph`, read once per scan, quietly, with bounds)
keeps every file with its markers unresolved. This module puts together what Home
Assistant's loader would make of the `http:` block, without loading anything again:

- `!include` and the four `!include_dir_*` forms are replaced by the parsed files of the
  graph (`config_graph.IncludeResolver`, as `annotatedyaml.loader` does);
- packages (`homeassistant: packages:`) are merged into it like
  `homeassistant.config.merge_packages_config` merges a plain dict domain (http has no
  platform schema and no list schema): keys are added, lists are concatenated, a key that
  is set twice stops the merge of that package's block (Home Assistant logs an error);
- `!secret` and `!env_var` values are resolved afterwards (`http_yaml_secrets`).

Every key keeps the file and line it was written at. What cannot be resolved (a file that
could not be read on the way, an undefined secret, an unset variable) is left out and
described in `problems`, without any value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

from .config_graph import CONFIG_YAML, MAX_INCLUDE_DEPTH, ROLE_DASHBOARD, origin_of
from .ha_values import ensure_list, is_slug, remove_falsy
from .yaml_nodes import INCLUDE, Include

if TYPE_CHECKING:
    from collections.abc import Iterator

    from .config_graph import ConfigGraph, Origin

HTTP: Final = "http"
_CORE: Final = "homeassistant"
_PACKAGES: Final = "packages"

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


# --- the block, with includes and packages ---------------------------------------------


class _BlockReader:
    """Puts the `http:` block together from the parsed files of one graph (no I/O)."""

    def __init__(self, graph: ConfigGraph) -> None:
        self.includes = graph.includes()
        # Files that could not be read where they could hold part of the block (a file
        # with a problem but parsed, such as the one closing an include loop, is not among
        # them; nor is one that failed as, say, a `panel_custom:` include).
        self.failed = tuple(
            p.file
            for p in graph.problems
            if p.file is not None
            and p.file not in self.includes.files
            and may_hold_http(p.mount)
        )
        self.problems: list[Problem] = []
        self.unread: set[str] = set()

    def incomplete(self, rel: str) -> None:
        """A file on the way to the block could not be read: say so once."""
        if rel not in self.unread:
            self.unread.add(rel)
            self.problems.append(
                (f"the http: block may be incomplete: {rel} could not be read", rel)
            )

    # includes

    def include(self, marker: Include, *, record: bool) -> Any:
        """What Home Assistant's loader puts where `marker` is; None if it is not known."""
        if record:
            target = self.includes.target(marker)
            if marker.tag != INCLUDE:
                prefix = self.includes.folder_prefix(target)
                for failed in self.failed:
                    if failed.startswith(prefix):
                        self.incomplete(failed)
            elif target not in self.includes.files:
                self.incomplete(target)
        return self.includes.value(marker)

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
        if not is_slug(name):
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
                block[key] = remove_falsy(
                    ensure_list(block.get(key)) + ensure_list(value)
                )
                origins.setdefault(key, origin_of(package, raw_key))
            else:
                if block.get(key) is not None:
                    return key
                block[key] = value
                origins[key] = origin_of(package, raw_key)
        return None


def http_block(graph: ConfigGraph, fields: tuple[str, ...]) -> YamlHttp:
    """The `http:` block (only `fields`) with includes and packages, markers still in it."""
    configuration = next(
        (f for f in graph.files if f.path == CONFIG_YAML and f.role != ROLE_DASHBOARD),
        None,
    )
    if configuration is None or not isinstance(configuration.root, Mapping):
        return YamlHttp()
    reader = _BlockReader(graph)
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
