"""What the configuration's YAML is read into: containers that know lines, and tag markers.

Mappings (`YamlMap`) know the line of each key and each value, sequences (`YamlList`) the
line of each item, so every value, including numbers, booleans and null, has a file
(relative to the configuration directory) and a 1-based line.

Tags are not resolved while reading: `!include` and the four `!include_dir_*` forms become
`Include`, `!secret` a `SecretRef`, `!env_var` an `EnvVarRef`, a blueprint's `!input` an
`InputRef`, and a tag Home Assistant would refuse a `BadTag`. A missing secret or include
therefore never stops the reading; the graph (`graph_reader`) resolves them afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final

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


# --- markers ----------------------------------------------------------------------------


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


# --- containers -------------------------------------------------------------------------


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
