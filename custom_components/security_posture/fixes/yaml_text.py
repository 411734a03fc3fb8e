"""Where a value sits in a YAML file's text, and what Home Assistant makes of the file.

The configuration reader (`inspect/graph_reader.py`) gives a finding's file, key path and
line. Here the file's own text (line endings kept, CRLF too) is composed again with PyYAML's
pure-Python composer, whose marks are character indexes into that very text, and the node at
the key path is found: its `start_mark.index`/`end_mark.index` are exactly the characters to
replace. Key paths are rendered with the reader's `format_key_path`, and nodes are walked in
the same order, each container once, so both sides name a value the same way.

`load_resolved` loads a file with Home Assistant's own loader and secrets (includes followed),
and `canonical` turns the result into a value where `1`, `1.0`, `True` and `"1"` all differ,
so that "the resolved configuration is identical" means exactly that.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from homeassistant.util.yaml import Secrets, load_yaml
import yaml  # type: ignore[import-untyped]

from ..inspect.key_paths import KeyPart, format_key_path
from .file_ops import FixRefused

if TYPE_CHECKING:
    from collections.abc import Iterator

_MERGE_TAG: Final = "tag:yaml.org,2002:merge"
_BLOCK_STYLES: Final = frozenset({"|", ">"})


class _MarkedComposer(yaml.SafeLoader):  # type: ignore[misc]
    """Pure-Python composer (character indexes) that remembers anchored nodes."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.anchored: set[int] = set()

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        node = super().compose_node(parent, index)
        if getattr(event, "anchor", None) is not None:
            self.anchored.add(id(node))
        return node


@dataclass(frozen=True, kw_only=True)
class Composed:
    """A composed document: its root node (None when empty) and the anchored nodes."""

    root: Any
    anchored: frozenset[int]
    loader: Any


def compose(text: str) -> Composed:
    """Compose one document; raises `FixRefused("cannot_rewrite")` if it cannot be read."""
    loader = _MarkedComposer(text)
    try:
        root = loader.get_single_node()
    except (yaml.YAMLError, RecursionError, ValueError) as err:
        raise FixRefused("cannot_rewrite") from err
    finally:
        loader.dispose()
    return Composed(root=root, anchored=frozenset(loader.anchored), loader=loader)


def key_text(composed: Composed, node: Any) -> str:
    """A mapping key as the reader renders it (`str()` of the constructed key)."""
    if isinstance(node, yaml.ScalarNode) and node.tag.startswith("tag:yaml.org,2002:"):
        try:
            return str(composed.loader.construct_object(node, deep=True))
        except (yaml.YAMLError, ValueError):
            return str(node.value)
    # A collection as a key: the reader refuses the file ("unhashable key").
    return str(node.value) if isinstance(node, yaml.ScalarNode) else ""


@dataclass(frozen=True, kw_only=True)
class NodeAt:
    """A node and its key path; `key_node` is its key when it is a mapping value."""

    parts: tuple[KeyPart, ...]
    node: Any
    key_node: Any = None

    @property
    def key(self) -> str:
        """The dotted key path."""
        return format_key_path(self.parts)

    @property
    def line(self) -> int:
        """1-based line where the node starts."""
        return int(self.node.start_mark.line) + 1


def walk(composed: Composed) -> Iterator[NodeAt]:
    """Every node in document order, each container once (an alias is not walked again)."""
    if composed.root is None:
        return
    seen: set[int] = set()
    stack = [NodeAt(parts=(), node=composed.root)]
    while stack:
        entry = stack.pop()
        yield entry
        node = entry.node
        if isinstance(node, yaml.ScalarNode) or id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            children = [
                NodeAt(
                    parts=(*entry.parts, key_text(composed, key)),
                    node=value,
                    key_node=key,
                )
                for key, value in node.value
                if key.tag != _MERGE_TAG
            ]
        else:
            children = [
                NodeAt(parts=(*entry.parts, index), node=child)
                for index, child in enumerate(node.value)
            ]
        stack.extend(reversed(children))


def find(composed: Composed, key: str, line: int) -> NodeAt | None:
    """The node at `key` that starts on `line`."""
    return next((e for e in walk(composed) if e.key == key and e.line == line), None)


@dataclass(frozen=True, kw_only=True)
class Literal:
    """A single-line scalar written in the text: its exact span."""

    at: NodeAt
    start: int
    end: int


def literal_at(text: str, key: str, line: int) -> Literal:
    """The literal scalar at `key` on `line`, or why it cannot be rewritten exactly."""
    composed = compose(text)
    found = find(composed, key, line)
    if found is None or not isinstance(found.node, yaml.ScalarNode):
        raise FixRefused("changed")
    node = found.node
    start, end = int(node.start_mark.index), int(node.end_mark.index)
    if id(node) in composed.anchored or text.startswith(("&", "*"), start):
        raise FixRefused("anchor")
    if text.startswith("!", start):
        raise FixRefused("tagged")  # `!env_var NAME default`, `!!str`...
    span = text[start:end]
    if node.style in _BLOCK_STYLES or "\n" in span or "\r" in span:
        raise FixRefused("multiline")
    if not span:
        raise FixRefused("changed")
    return Literal(at=found, start=start, end=end)


# --- what Home Assistant makes of a file -------------------------------------------------


def load_resolved(path: str, config_dir: str) -> Any:
    """Load `path` with Home Assistant's loader, secrets and includes (blocking)."""
    return load_yaml(path, Secrets(Path(config_dir)))


def load_plain(path: str) -> Any:
    """Load a secrets file with Home Assistant's loader (no secrets inside secrets)."""
    return load_yaml(path)


def canonical(value: Any) -> Any:  # noqa: PLR0911 - one return per kind of value
    """A comparable form of a loaded value: types count (`1`, `True`, `"1"` differ)."""
    if isinstance(value, dict):
        return ("map", tuple((canonical(k), canonical(v)) for k, v in value.items()))
    if isinstance(value, list):
        return ("seq", tuple(canonical(v) for v in value))
    if isinstance(value, str):
        return ("str", str(value))
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, int):
        return ("int", int(value))
    if isinstance(value, float):
        return ("float", repr(value))
    if value is None:
        return ("null",)
    return (type(value).__qualname__, repr(value))
