"""The `!secret` and `!env_var` values of the `http:` block, and the variables never set.

The block (`http_yaml`) keeps its markers. Here `!secret` values are read from the
`secrets.yaml` the graph says defines them (that one file is read, only those names are
kept, in memory, never logged or put in a problem), `!env_var` from the environment with
its default. A field whose value cannot be had is left out, with a reason and no value.
"""

# Paths are joined lexically with os.path, as the graph does.
# ruff: noqa: PTH117, PTH118

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
import os
from typing import TYPE_CHECKING, Any

import yaml  # type: ignore[import-untyped]

from .config_graph import ROLE_DASHBOARD
from .http_yaml import YamlHttp, http_block
from .masking import mask_credentials
from .yaml_files import ReadError, read_text
from .yaml_loader import (
    NESTED_TOO_DEEPLY,
    parse_yaml,
    value_error_reason,
    yaml_error_reason,
)
from .yaml_nodes import REFERENCE_TYPES, EnvVarRef, SecretRef

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from .config_graph import ConfigGraph, Origin, SecretUse
    from .http_yaml import Problem


class SecretsUnreadable(Exception):  # noqa: N818 - reads as the state it is
    """The secrets file that defines a name cannot be read now; the message says why."""


def read_secret_values(path: str, rel: str, names: frozenset[str]) -> dict[str, Any]:
    """The values of `names` in one secrets file (blocking I/O: run it in the executor).

    The file is read with the graph's bounded reader and parsed with its quiet loader. Only
    the names asked for are returned; errors carry reasons without content.
    """
    try:
        _, text, _ = read_text(path)
    except ReadError as err:
        raise SecretsUnreadable(str(err)) from None
    try:
        root, _ = parse_yaml(text, rel)
    except yaml.YAMLError as err:
        raise SecretsUnreadable(yaml_error_reason(err)) from None
    except RecursionError:
        raise SecretsUnreadable(NESTED_TOO_DEEPLY) from None
    except Exception as err:  # noqa: BLE001 - e.g. a date that does not exist
        raise SecretsUnreadable(value_error_reason(err)) from None
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


def resolve_markers(config_dir: Path, graph: ConfigGraph, found: YamlHttp) -> YamlHttp:
    """Replace the `!secret` and `!env_var` markers of the block by their values (blocking).

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
            found_values = read_secret_values(path, rel, frozenset(names))
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
        if config_file.role == ROLE_DASHBOARD:
            continue
        for located in config_file.env_vars:
            ref = located.marker
            if ref.default is None and ref.name not in os.environ and ref not in own:
                yield ref


@dataclass(frozen=True, kw_only=True)
class YamlReading:
    """The `http:` block as the files give it: values, where each is, and what to note."""

    block: Mapping[str, Any] | None
    """None when the configuration has no `http:` block."""
    origins: Mapping[str, Origin]
    from_secrets: Mapping[str, tuple[Any, ...]]
    """Per key, the values that came from `secrets.yaml`: never to be printed."""
    notes: tuple[Problem, ...]
    """What could not be read or resolved, and the file it is about (never a value)."""


def read_yaml_http(
    config_dir: Path, graph: ConfigGraph, fields: tuple[str, ...]
) -> YamlReading:
    """The `http:` block (only `fields`) with includes, packages and markers resolved.

    Blocking (it reads the `secrets.yaml` that define the block's secrets, and walks the
    graph): run it in the executor. `!env_var` tags elsewhere without a value are noted
    first: Home Assistant refuses to start with one.
    """
    found = http_block(graph, fields)
    notes: list[Problem] = [
        (
            f"cannot load this configuration: !env_var {ref.name} (line {ref.line}) is "
            "not set and has no default; Home Assistant refuses to start with it",
            ref.file,
        )
        for ref in unset_env_vars(graph, found)
    ]
    found = resolve_markers(config_dir, graph, found)
    notes.extend(found.problems)
    return YamlReading(
        block=found.block,
        origins=found.origins,
        from_secrets=found.from_secrets,
        notes=tuple(notes),
    )
