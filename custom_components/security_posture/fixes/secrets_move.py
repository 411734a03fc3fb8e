"""Move a credential into `secrets.yaml` (blocking: executor).

The literal's exact characters become the value of a new entry appended to the
`secrets.yaml` Home Assistant would look up for the file (the nearest existing one from the
file's folder up to the configuration folder, else a new one there, mode 0600), and are
replaced in place by `!secret <name>`. The value is copied as written (quotes included), so
it means the same thing on its new line; nothing else of either file changes. The checks and
the verification around the edit are `secrets_yaml`'s.

Values are never logged, returned or put into an exception: only reasons and names.
"""

# Paths are handled as Home Assistant's loader handles them: os.path strings.
# ruff: noqa: PTH116, PTH118, PTH120

from __future__ import annotations

from dataclasses import dataclass
import os
import re
import stat
from typing import TYPE_CHECKING, Final

import yaml  # type: ignore[import-untyped]

from ..inspect.config_graph import CONFIG_YAML, SECRET_YAML, ConfigGraph
from ..inspect.credentials import scan_file
from .file_ops import FixRefused, digest, inside, read_bytes
from .safe_write import Edit, apply_edits
from .secrets_yaml import (
    LOCK,
    NAME_MAX,
    RESERVED,
    SecretsText,
    config_path,
    decode_utf8,
    loadable_graph,
    newline_of,
    parse_secrets,
    resolve_all,
    root_files,
    same_roots,
    secret_entries,
    valid_name,
)
from .yaml_text import compose, find, literal_at

if TYPE_CHECKING:
    from collections.abc import Iterable

_SLUG: Final = re.compile(r"[^a-z0-9]+")


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


def _taken(graph: ConfigGraph, secrets: SecretsText) -> frozenset[str]:
    """Names that must not be used: any defined or referenced anywhere."""
    return frozenset(
        {d.name for d in graph.secret_defs}
        | {u.name for u in graph.secret_uses}
        | set(secrets.names)
        | RESERVED
    )


def prepare_move(
    config_dir: str, file: str | None, key: str | None, line: int | None
) -> MovePlan:
    """Check the credential can be moved; propose a name. Changes nothing."""
    if file is None or key is None or line is None:
        raise FixRefused("changed")
    path = config_path(config_dir, file)
    if (data := read_bytes(path)) is None:
        raise FixRefused("changed")
    graph = loadable_graph(config_dir)
    _check_credential(graph, file, key, line)
    literal = literal_at(decode_utf8(data), key, line)
    secrets_path = _nearest_secrets(config_dir, path)
    inside(config_dir, path)
    if secrets_exist := os.path.lexists(secrets_path):
        inside(config_dir, secrets_path)
    _check_not_more_readable(path, secrets_path)
    secrets_data = read_bytes(secrets_path) if secrets_exist else None
    secrets = parse_secrets(None if secrets_data is None else decode_utf8(secrets_data))
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
    with LOCK:
        return _apply_move(config_dir, plan, name)


def _apply_move(config_dir: str, plan: MovePlan, name: str) -> str:
    path = config_path(config_dir, plan.file)
    secrets_path = config_path(config_dir, plan.secrets_file)
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
    graph = loadable_graph(config_dir)
    _check_credential(graph, plan.file, plan.key, plan.line)
    text = decode_utf8(data)
    literal = literal_at(text, plan.key, plan.line)
    secrets_text = None if secrets_data is None else decode_utf8(secrets_data)
    secrets = parse_secrets(secrets_text)
    if not valid_name(name) or name in _taken(graph, secrets):
        raise FixRefused("name_taken")

    value = text[literal.start : literal.end]
    new_text = f"{text[: literal.start]}!secret {name}{text[literal.end :]}"
    new_secrets = _appended(
        secrets_text,
        secrets.column,
        f"{name}: {value}",
        newline_of(secrets_text, newline_of(text)),
    )
    _check_new_texts(new_text, plan, name, new_secrets, secrets, value)

    roots = root_files(config_dir, graph, path)
    before = resolve_all(roots, config_dir)
    entries = secret_entries(secrets_path)
    st = os.stat(path)

    def verify() -> bool:
        after = secret_entries(secrets_path)
        added = {k: v for k, v in after.items() if k != name}
        return (
            name in after
            and list(added) == list(entries)
            and added == entries
            and same_roots(before, config_dir)
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
    secrets: SecretsText,
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
    written = parse_secrets(new_secrets)
    pair = written.names.get(name)
    if (
        pair is None
        or set(written.names) != {*secrets.names, name}
        or new_secrets[pair[1].start_mark.index : pair[1].end_mark.index] != value
    ):
        raise FixRefused("secrets_unsupported")
