"""Move a credential into `secrets.yaml`, or remove an unused secret (blocking: executor).

Moving: the literal's exact characters become the value of a new entry appended to the
`secrets.yaml` Home Assistant would look up for the file (the nearest existing one from the
file's folder up to the configuration folder, else a new one there, mode 0600), and are
replaced in place by `!secret <name>`. The value is copied as written (quotes included), so
it means the same thing on its new line; nothing else of either file changes.

Removing: the entry's own lines (key, value and a comment on the same line) are cut out.

Both are refused when the file changed since the flow opened or since the scan, or when the
text cannot be rewritten exactly; then, inside one `safe_write` transaction, Home Assistant's
loader must resolve every root of the configuration (`configuration.yaml`, YAML dashboards,
and the edited file) identically before and after, and the secrets file must differ by exactly
the one entry, or everything is put back.

Values are never logged, returned or put into an exception: only reasons and names.
"""

# Paths are handled as Home Assistant's loader handles them: os.path strings.
# ruff: noqa: PTH110, PTH116, PTH117, PTH118, PTH120

from __future__ import annotations

from dataclasses import dataclass
import os
from pathlib import Path
import re
import stat
import threading
from typing import TYPE_CHECKING, Any, Final

from homeassistant.exceptions import HomeAssistantError
import yaml  # type: ignore[import-untyped]

from ..inspect.config_graph import CONFIG_YAML, SECRET_YAML, ConfigGraph
from ..inspect.credentials import scan_file
from ..inspect.graph_reader import read_config_graph
from .safe_write import Edit, FixRefused, apply_edits, digest, inside, read_bytes
from .yaml_text import (
    Composed,
    canonical,
    compose,
    find,
    key_text,
    literal_at,
    load_plain,
    load_resolved,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

NAME_MAX: Final = 64
_NAME: Final = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# Plain words YAML 1.1 reads as something other than a string.
_NOT_STRINGS: Final = frozenset(
    {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}
)
_RESERVED: Final = frozenset({"logger"})  # secrets.yaml's switch for debug logging
_SLUG: Final = re.compile(r"[^a-z0-9]+")

# One transaction at a time: two flows must not interleave their reads and writes.
_LOCK: Final = threading.Lock()


def valid_name(name: str) -> bool:
    """Whether `name` is safe as a secrets.yaml key and a `!secret` argument."""
    return (
        len(name) <= NAME_MAX
        and bool(_NAME.match(name))
        and name.lower() not in _NOT_STRINGS
        and name not in _RESERVED
    )


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise FixRefused("unsupported_file") from err


def _newline(text: str | None, fallback: str = "\n") -> str:
    if text is None or not text:
        return fallback
    if "\r\n" in text:
        return "\r\n"
    if "\r" in text and "\n" not in text:
        return "\r"
    return "\n"


def _inside(config_dir: str, rel: str) -> str:
    """Absolute path of a file relative to the configuration folder; refuse others."""
    if os.path.isabs(rel) or rel.split("/")[0] == "..":
        raise FixRefused("outside_config")
    return os.path.join(config_dir, *rel.split("/"))


def _roots(config_dir: str, graph: ConfigGraph, *extra: str) -> list[str]:
    """Files Home Assistant loads on their own: configuration.yaml, dashboards, `extra`."""
    found = [os.path.join(config_dir, CONFIG_YAML)]
    found += [
        _inside(config_dir, f.path)
        for f in graph.files
        if f.role == "dashboard" and not os.path.isabs(f.path)
    ]
    found += extra
    return list(dict.fromkeys(found))


def _resolve_all(paths: Iterable[str], config_dir: str) -> dict[str, Any]:
    """Every root as Home Assistant resolves it; refuse if one does not load now."""
    resolved: dict[str, Any] = {}
    for path in paths:
        try:
            resolved[path] = canonical(load_resolved(path, config_dir))
        except (HomeAssistantError, OSError, yaml.YAMLError, RecursionError) as err:
            raise FixRefused("config_invalid") from err
    return resolved


def _secret_entries(path: str) -> dict[Any, Any]:
    """A secrets file's entries as Home Assistant loads them ({} when it does not exist)."""
    if not os.path.exists(path):
        return {}
    try:
        loaded = load_plain(path)
    except (HomeAssistantError, OSError, yaml.YAMLError, RecursionError) as err:
        raise FixRefused("config_invalid") from err
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise FixRefused("secrets_unsupported")
    return {k: canonical(v) for k, v in loaded.items()}


def _same_roots(before: dict[str, Any], config_dir: str) -> bool:
    return all(
        canonical(load_resolved(path, config_dir)) == value
        for path, value in before.items()
    )


def _graph(config_dir: str) -> ConfigGraph:
    """The configuration graph, which Home Assistant's loader must be able to load.

    The fixes load the configuration with Home Assistant's own loader, which opens files
    plainly: a FIFO, a device or a kernel file among them (which the graph refuses to read)
    would block it, so such a configuration is not touched.
    """
    graph = read_config_graph(Path(config_dir), {})
    if graph.root_problem is not None or any(p.special for p in graph.problems):
        raise FixRefused("config_invalid")
    return graph


# --- the secrets file's text -------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class _SecretsText:
    """The names of a secrets file and the column its entries start at."""

    names: dict[str, Any]  # name -> (key node, value node)
    column: int
    composed: Composed


def _secrets_text(text: str | None) -> _SecretsText:
    if text is None:
        return _SecretsText(names={}, column=0, composed=compose(""))
    composed = compose(text)
    root = composed.root
    if root is None:
        return _SecretsText(names={}, column=0, composed=composed)
    if not isinstance(root, yaml.MappingNode) or root.flow_style:
        raise FixRefused("secrets_unsupported")
    names = {key_text(composed, k): (k, v) for k, v in root.value}
    column = int(root.value[0][0].start_mark.column) if root.value else 0
    return _SecretsText(names=names, column=column, composed=composed)


def _nearest_secrets(config_dir: str, path: str) -> str:
    """The secrets.yaml Home Assistant looks up first for `path` (existing), else the main."""
    directory = os.path.dirname(path)
    while True:
        candidate = os.path.join(directory, SECRET_YAML)
        if os.path.lexists(candidate):
            return candidate
        if os.path.normpath(directory) == os.path.normpath(config_dir):
            return os.path.join(config_dir, SECRET_YAML)
        directory = os.path.dirname(directory)


def _readers(st: os.stat_result) -> tuple[bool, int | None, int]:
    """Who may read a file: (everyone, the group that may or None, the owner)."""
    mode = stat.S_IMODE(st.st_mode)
    return (
        bool(mode & stat.S_IROTH),
        st.st_gid if mode & stat.S_IRGRP else None,
        st.st_uid,
    )


def more_readable(target: os.stat_result, source: os.stat_result) -> bool:
    """Whether someone who cannot read `source` could read `target`."""
    everyone, group, owner = _readers(target)
    source_everyone, source_group, source_owner = _readers(source)
    if source_everyone:
        return False
    return (
        everyone
        or (group is not None and group != source_group)
        or owner != source_owner
    )


def _check_not_more_readable(path: str, secrets_path: str) -> None:
    """A credential never moves into a file that more users can read than its own."""
    try:
        secrets_st = os.stat(secrets_path)
    except FileNotFoundError:
        return  # created owner-only (0600), with the source's owner
    if more_readable(secrets_st, os.stat(path)):
        raise FixRefused("more_readable")


def _rel(config_dir: str, path: str) -> str:
    return os.path.relpath(path, config_dir).replace(os.sep, "/")


# --- moving a credential -----------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class MovePlan:
    """What the flow showed: the files' digests, the target and a proposed name."""

    file: str
    key: str
    line: int
    secrets_file: str
    file_digest: str | None
    secrets_digest: str | None
    proposed: str
    taken: frozenset[str]


def propose_name(file: str, parts: Iterable[str | int], taken: frozenset[str]) -> str:
    """A name from the key path (`mqtt.password` -> `mqtt_password`), unique in `taken`."""
    words = [str(p) for p in parts]
    stem = file.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    if file != CONFIG_YAML and stem:
        words.insert(0, stem)
    base = _SLUG.sub("_", "_".join(words).lower()).strip("_") or "secret"
    if not base[0].isalpha():
        base = f"secret_{base}"
    base = base[-(NAME_MAX - 4) :].lstrip("_0123456789") or "secret"
    name, number = base, 1
    while name in taken or not valid_name(name):
        number += 1
        name = f"{base}_{number}"
    return name


def _check_credential(graph: ConfigGraph, file: str, key: str, line: int) -> None:
    """The scan's finding is still there: a credential at `key` on `line` of `file`."""
    config_file = graph.file(file)
    if config_file is None or not any(
        c.key == key and c.line == line for c in scan_file(config_file)
    ):
        raise FixRefused("changed")


def _taken(graph: ConfigGraph, secrets: _SecretsText) -> frozenset[str]:
    """Names that must not be used: any defined or referenced anywhere."""
    return frozenset(
        {d.name for d in graph.secret_defs}
        | {u.name for u in graph.secret_uses}
        | set(secrets.names)
        | _RESERVED
    )


def prepare_move(
    config_dir: str, file: str | None, key: str | None, line: int | None
) -> MovePlan:
    """Check the credential can be moved; propose a name. Changes nothing."""
    if file is None or key is None or line is None:
        raise FixRefused("changed")
    path = _inside(config_dir, file)
    if (data := read_bytes(path)) is None:
        raise FixRefused("changed")
    graph = _graph(config_dir)
    _check_credential(graph, file, key, line)
    literal = literal_at(_decode(data), key, line)
    secrets_path = _nearest_secrets(config_dir, path)
    inside(config_dir, path)
    if secrets_exist := os.path.lexists(secrets_path):
        inside(config_dir, secrets_path)
    _check_not_more_readable(path, secrets_path)
    secrets_data = read_bytes(secrets_path) if secrets_exist else None
    secrets = _secrets_text(None if secrets_data is None else _decode(secrets_data))
    taken = _taken(graph, secrets)
    return MovePlan(
        file=file,
        key=key,
        line=line,
        secrets_file=_rel(config_dir, secrets_path),
        file_digest=digest(data),
        secrets_digest=digest(secrets_data),
        proposed=propose_name(file, literal.at.parts, taken),
        taken=taken,
    )


def _appended(text: str | None, column: int, entry: str, newline: str) -> str:
    if not text:
        return f"{entry}{newline}"
    if not text.endswith(("\n", "\r")):
        text += newline
    return f"{text}{' ' * column}{entry}{newline}"


def apply_move(config_dir: str, plan: MovePlan, name: str) -> str:
    """Move the credential; return the backup folder (relative). Raises `FixRefused`."""
    with _LOCK:
        return _apply_move(config_dir, plan, name)


def _apply_move(config_dir: str, plan: MovePlan, name: str) -> str:
    path = _inside(config_dir, plan.file)
    secrets_path = _inside(config_dir, plan.secrets_file)
    inside(config_dir, path)
    if os.path.lexists(secrets_path):
        inside(config_dir, secrets_path)
    data = read_bytes(path)
    secrets_data = read_bytes(secrets_path)
    _check_not_more_readable(path, secrets_path)
    if (
        digest(data) != plan.file_digest
        or digest(secrets_data) != plan.secrets_digest
        or data is None
    ):
        raise FixRefused("file_changed")
    graph = _graph(config_dir)
    _check_credential(graph, plan.file, plan.key, plan.line)
    text = _decode(data)
    literal = literal_at(text, plan.key, plan.line)
    secrets_text = None if secrets_data is None else _decode(secrets_data)
    secrets = _secrets_text(secrets_text)
    if not valid_name(name) or name in _taken(graph, secrets):
        raise FixRefused("name_taken")

    value = text[literal.start : literal.end]
    new_text = f"{text[: literal.start]}!secret {name}{text[literal.end :]}"
    new_secrets = _appended(
        secrets_text,
        secrets.column,
        f"{name}: {value}",
        _newline(secrets_text, _newline(text)),
    )
    _check_new_texts(new_text, plan, name, new_secrets, secrets, value)

    roots = _roots(config_dir, graph, path)
    before = _resolve_all(roots, config_dir)
    entries = _secret_entries(secrets_path)
    st = os.stat(path)

    def verify() -> bool:
        after = _secret_entries(secrets_path)
        added = {k: v for k, v in after.items() if k != name}
        return (
            name in after
            and list(added) == list(entries)
            and added == entries
            and _same_roots(before, config_dir)
        )

    edits = [
        Edit(
            path=secrets_path,
            rel=plan.secrets_file,
            original=secrets_data,
            new=new_secrets.encode("utf-8"),
            create_owner=(st.st_uid, st.st_gid),
        ),
        Edit(path=path, rel=plan.file, original=data, new=new_text.encode("utf-8")),
    ]
    return apply_edits(config_dir, "inline_credential", edits, verify)


def _check_new_texts(
    new_text: str,
    plan: MovePlan,
    name: str,
    new_secrets: str,
    secrets: _SecretsText,
    value: str,
) -> None:
    """Before writing: both new texts read back as intended (a cheap first look)."""
    found = find(compose(new_text), plan.key, plan.line)
    if (
        found is None
        or not isinstance(found.node, yaml.ScalarNode)
        or found.node.tag != "!secret"
        or found.node.value != name
    ):
        raise FixRefused("cannot_rewrite")
    written = _secrets_text(new_secrets)
    pair = written.names.get(name)
    if (
        pair is None
        or set(written.names) != {*secrets.names, name}
        or new_secrets[pair[1].start_mark.index : pair[1].end_mark.index] != value
    ):
        raise FixRefused("secrets_unsupported")


# --- removing an unused secret -----------------------------------------------------------


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
    text: str, secrets: _SecretsText, name: str, line: int
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
    path = _inside(config_dir, file)
    inside(config_dir, path)
    if (data := read_bytes(path)) is None:
        raise FixRefused("changed")
    graph = _graph(config_dir)
    _check_unused(graph, file, name, line)
    text = _decode(data)
    secrets = _secrets_text(text)
    _entry_span(text, secrets, name, line)
    _check_not_last(config_dir, path, secrets)
    return RemovePlan(file=file, name=name, line=line, file_digest=digest(data))


def _check_not_last(config_dir: str, path: str, secrets: _SecretsText) -> None:
    """An emptied secrets file breaks lookups through it, unless it is the last on the path."""
    main = os.path.join(config_dir, SECRET_YAML)
    if len(secrets.names) == 1 and os.path.normpath(path) != os.path.normpath(main):
        raise FixRefused("last_secret")


def apply_remove(config_dir: str, plan: RemovePlan) -> str:
    """Remove the entry; return the backup folder (relative). Raises `FixRefused`."""
    with _LOCK:
        return _apply_remove(config_dir, plan)


def _apply_remove(config_dir: str, plan: RemovePlan) -> str:
    path = _inside(config_dir, plan.file)
    data = read_bytes(path)
    if data is None or digest(data) != plan.file_digest:
        raise FixRefused("file_changed")
    graph = _graph(config_dir)
    _check_unused(graph, plan.file, plan.name, plan.line)
    text = _decode(data)
    secrets = _secrets_text(text)
    start, end = _entry_span(text, secrets, plan.name, plan.line)
    _check_not_last(config_dir, path, secrets)
    new_text = text[:start] + text[end:]
    if set(_secrets_text(new_text).names) != set(secrets.names) - {plan.name}:
        raise FixRefused("cannot_rewrite")

    before = _resolve_all(_roots(config_dir, graph), config_dir)
    entries = _secret_entries(path)

    def verify() -> bool:
        after = _secret_entries(path)
        kept = {k: v for k, v in entries.items() if k != plan.name}
        return (
            list(after) == list(kept)
            and after == kept
            and _same_roots(before, config_dir)
        )

    edit = Edit(path=path, rel=plan.file, original=data, new=new_text.encode("utf-8"))
    return apply_edits(config_dir, "secret_unused", [edit], verify)
