"""Key paths: where a value sits inside its file, written for people.

Key paths are dotted inside each file, from that file's root: mapping keys are joined with
`.`, list items are written `[n]` (`sensor[2].password`, or `[0].url` in a file whose root is
a list). A key containing `.`, `[`, `]` or `"`, or an empty key, is written `["key"]`. A key
holding a credential is masked: key paths are shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .masking import mask_credentials
from .yaml_nodes import YamlList, YamlMap

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

type KeyPart = str | int


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


# --- markers in place ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Located[T]:
    """A marker with the key path at which it sits in its file."""

    marker: T
    parts: tuple[KeyPart, ...]

    @property
    def key(self) -> str:
        """The dotted key path inside the file."""
        return format_key_path(self.parts)
