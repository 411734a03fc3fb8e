"""Remove an unused secret from a secrets file (blocking: executor).

The entry's own lines (key, value and a comment on the same line) are cut out. The checks
and the verification around the edit are `secrets_yaml`'s.

Values are never logged, returned or put into an exception: only reasons and names.
"""

# Paths are handled as Home Assistant's loader handles them: os.path strings.
# ruff: noqa: PTH118

from __future__ import annotations

from dataclasses import dataclass
import os
from typing import Any

import yaml  # type: ignore[import-untyped]

from ..inspect.config_graph import SECRET_YAML, ConfigGraph
from .file_ops import FixRefused, digest, inside, read_bytes
from .safe_write import Edit, apply_edits
from .secrets_yaml import (
    LOCK,
    SecretsText,
    config_path,
    decode_utf8,
    loadable_graph,
    parse_secrets,
    resolve_all,
    root_files,
    same_roots,
    secret_entries,
)


@dataclass(frozen=True, kw_only=True)
class RemovePlan:
    """The secrets file and entry the flow showed, and the file's digest."""

    file: str
    name: str
    line: int
    file_digest: str | None


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def _entry_span(
    text: str, secrets: SecretsText, name: str, line: int
) -> tuple[int, int]:
    """The characters of the entry's own lines: from its key's line to its value's end."""
    if "\r" in text.replace("\r\n", ""):
        raise FixRefused("cannot_rewrite")  # old Mac line endings: not handled
    pair = secrets.names.get(name)
    if pair is None or int(pair[0].start_mark.line) + 1 != line:
        raise FixRefused("changed")
    key_node, value_node = pair
    if {id(key_node), id(value_node)} & secrets.composed.anchored:
        raise FixRefused("anchor")
    key_start = int(key_node.start_mark.index)
    start = _line_start(text, key_start)
    if text[start:key_start].strip(" "):
        raise FixRefused("cannot_rewrite")  # something else before the key on its line
    # In a block mapping each key starts its own line: with nothing but indentation before
    # the key and nothing but a comment after the value, these lines are the entry's alone.
    return start, _entry_end(text, key_node, value_node)


def _entry_end(text: str, key_node: Any, value_node: Any) -> int:
    """Where the entry's last line ends (after its line break)."""
    if isinstance(value_node, yaml.ScalarNode) and value_node.style in ("|", ">"):
        return int(value_node.end_mark.index)  # it ends where the next line starts
    if not isinstance(value_node, yaml.ScalarNode) and not value_node.flow_style:
        raise FixRefused("cannot_rewrite")  # a nested block: not a secret's shape
    empty = (
        isinstance(value_node, yaml.ScalarNode)
        and value_node.start_mark.index == value_node.end_mark.index
    )
    # An empty value sits right after the `:`: start from the key instead.
    value_end = int((key_node if empty else value_node).end_mark.index)
    newline = text.find("\n", value_end)
    end = len(text) if newline < 0 else newline + 1
    rest = text[value_end:end].strip()
    if empty:
        rest = rest.removeprefix(":").strip()
    if rest and not rest.startswith("#"):
        raise FixRefused("cannot_rewrite")  # another entry on the same line
    return end


def _check_unused(graph: ConfigGraph, file: str, name: str, line: int) -> None:
    if not graph.complete:
        raise FixRefused("incomplete")
    defined = any(
        d.file == file and d.name == name and d.line == line for d in graph.secret_defs
    )
    used = any(u.defined_in == file and u.name == name for u in graph.secret_uses)
    if not defined or used:
        raise FixRefused("changed")


def prepare_remove(
    config_dir: str, file: str | None, name: str | None, line: int | None
) -> RemovePlan:
    """Check the entry can be removed exactly. Changes nothing."""
    if file is None or name is None or line is None:
        raise FixRefused("changed")
    path = config_path(config_dir, file)
    inside(config_dir, path)
    if (data := read_bytes(path)) is None:
        raise FixRefused("changed")
    graph = loadable_graph(config_dir)
    _check_unused(graph, file, name, line)
    text = decode_utf8(data)
    secrets = parse_secrets(text)
    _entry_span(text, secrets, name, line)
    _check_not_last(config_dir, path, secrets)
    return RemovePlan(file=file, name=name, line=line, file_digest=digest(data))


def _check_not_last(config_dir: str, path: str, secrets: SecretsText) -> None:
    """An emptied secrets file breaks lookups through it, unless it is the last on the path."""
    main = os.path.join(config_dir, SECRET_YAML)
    if len(secrets.names) == 1 and os.path.normpath(path) != os.path.normpath(main):
        raise FixRefused("last_secret")


def apply_remove(config_dir: str, plan: RemovePlan) -> str:
    """Remove the entry; return the backup folder (relative). Raises `FixRefused`."""
    with LOCK:
        return _apply_remove(config_dir, plan)


def _apply_remove(config_dir: str, plan: RemovePlan) -> str:
    path = config_path(config_dir, plan.file)
    data = read_bytes(path)
    if data is None or digest(data) != plan.file_digest:
        raise FixRefused("file_changed")
    graph = loadable_graph(config_dir)
    _check_unused(graph, plan.file, plan.name, plan.line)
    text = decode_utf8(data)
    secrets = parse_secrets(text)
    start, end = _entry_span(text, secrets, plan.name, plan.line)
    _check_not_last(config_dir, path, secrets)
    new_text = text[:start] + text[end:]
    if set(parse_secrets(new_text).names) != set(secrets.names) - {plan.name}:
        raise FixRefused("cannot_rewrite")

    before = resolve_all(root_files(config_dir, graph), config_dir)
    entries = secret_entries(path)

    def verify() -> bool:
        after = secret_entries(path)
        kept = {k: v for k, v in entries.items() if k != plan.name}
        return (
            list(after) == list(kept)
            and after == kept
            and same_roots(before, config_dir)
        )

    edit = Edit(path=path, rel=plan.file, original=data, new=new_text.encode("utf-8"))
    return apply_edits(config_dir, "secret_unused", [edit], verify)
