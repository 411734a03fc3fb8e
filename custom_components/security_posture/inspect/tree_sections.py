"""What of a file's tree the scan's configuration graph keeps: only what readers read.

The checks need from the files what is found while each file is parsed (its markers, its
inline credentials), not the trees. A few readers do read trees, through the graph and its
include resolver, and only these sections, keyed from the configuration's root:

- `homeassistant:`: the core settings (where the exposure decision looks for `!secret`),
  with the packages;
- `http:`: the HTTP settings (`http_yaml`);
- `lovelace:`: the YAML-mode dashboards the graph reader follows, and the resources;
- `frontend:`: the URLs of the frontend's extra code;
- `resources:` at a file's root: a YAML-mode dashboard's resources.

So the graph a scan keeps (`keep_sections`) has these sections whole, with their lines, at
the configuration's root and in each package (`homeassistant: packages: <name>:`). Of each
package it keeps every domain key (Home Assistant's package validation looks at each), with
the value of any other domain replaced by its shape: an empty mapping or list of the same
kind (a scalar or a marker stays as it is). Of any other file or section, only the shape.

A reader that needs another section's tree adds it to `SECTIONS`. A reader that looks for
something in every file (as the credential scan does) runs in the scan itself
(`config_scan`), on each file's tree while it is parsed, and keeps only what it finds.
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Any, Final

from .yaml_nodes import YamlList, YamlMap

if TYPE_CHECKING:
    from collections.abc import Iterable

_CORE: Final = "homeassistant"
_PACKAGES: Final = (_CORE, "packages")
SECTIONS: Final = frozenset({_CORE, "http", "lovelace", "frontend", "resources"})
"""Sections kept whole, at the root and in each package (`homeassistant:` but for its
packages)."""


class Keep(Enum):
    """How much of the value at a key path is kept."""

    WHOLE = "whole"
    DESCEND = "descend"
    """A container whose keys are kept, each value by its own rule."""
    SHAPE = "shape"


def keep_at(path: tuple[str, ...]) -> Keep:
    """The rule for the value at `path` (mapping keys from the configuration's root)."""
    if (
        path[: len(_PACKAGES)] == _PACKAGES[: len(path)]
        and len(path) <= len(_PACKAGES) + 1
    ):
        return Keep.DESCEND  # the root, `homeassistant:`, the packages, a package
    if path[: len(_PACKAGES)] == _PACKAGES:
        path = path[len(_PACKAGES) + 1 :]  # a package's domain, read as from the root
    return Keep.WHOLE if path[0] in SECTIONS else Keep.SHAPE


def keeps_lines(mounts: Iterable[tuple[str, ...]]) -> bool:
    """Whether a file included at one of `mounts` keeps a tree (and so needs its lines).

    A file whose every mount keeps only its shape needs no line: what is reported from it
    (a credential) is located by reading it again.
    """
    return any(keep_at(mount) is not Keep.SHAPE for mount in mounts)


def keep_sections(root: Any, mounts: Iterable[tuple[str, ...]]) -> Any:
    """`root`, a file's tree included at each of `mounts`, with only what readers read.

    Kept containers are new objects where anything inside them was dropped, the original
    ones (with their lines) where everything is kept; dropped values become shapes.
    """
    rules = tuple(dict.fromkeys(mounts))
    return _keep(root, rules)


def _keep(value: Any, paths: tuple[tuple[str, ...], ...]) -> Any:
    rules = {keep_at(path) for path in paths}
    if Keep.WHOLE in rules:
        return value
    if Keep.DESCEND not in rules:
        return shape_of(value)
    if isinstance(value, YamlMap):
        kept = YamlMap(
            (key, _keep(child, tuple((*path, str(key)) for path in paths)))
            for key, child in value.items()
        )
        kept.file = value.file
        kept.line = value.line
        kept.key_lines = value.key_lines
        kept.value_lines = value.value_lines
        return kept
    if isinstance(value, YamlList):
        # A list's items sit at the list's own path (lists add no key).
        items = YamlList(_keep(item, paths) for item in value)
        items.file = value.file
        items.line = value.line
        items.item_lines = value.item_lines
        return items
    return value


_NO_LINES: Final[dict[Any, int]] = {}
"""The lines of every shape (it has no keys): one dict, never written to."""


def shape_of(value: Any) -> Any:
    """An empty mapping or list in place of one (file and line kept), else the value."""
    if isinstance(value, YamlMap):
        shape = YamlMap()
        shape.file = value.file
        shape.line = getattr(value, "line", 0)
        shape.key_lines = shape.value_lines = _NO_LINES
        return shape
    if isinstance(value, YamlList):
        empty = YamlList()
        empty.file = value.file
        empty.line = getattr(value, "line", 0)
        empty.item_lines = []
        return empty
    return value
