"""What moving and removing a secret share: names, the secrets file's text, the loader's view.

Both edits are refused when the file changed since the flow opened or since the scan, or when
the text cannot be rewritten exactly; then, inside one `safe_write` transaction, Home
Assistant's loader must resolve every root of the configuration (`configuration.yaml`, YAML
dashboards, and the edited file) identically before and after, and the secrets file must
differ by exactly the one entry, or everything is put back (blocking: executor).

Values are never logged, returned or put into an exception: only reasons and names.
"""

# Paths are handled as Home Assistant's loader handles them: os.path strings.
# ruff: noqa: PTH110, PTH117, PTH118

from __future__ import annotations

from dataclasses import dataclass
import os
from pathlib import Path
import re
import threading
from typing import TYPE_CHECKING, Any, Final

from homeassistant.exceptions import HomeAssistantError
import yaml  # type: ignore[import-untyped]

from ..inspect.config_graph import CONFIG_YAML, ConfigGraph
from ..inspect.graph_reader import read_config_graph
from .file_ops import FixRefused
from .yaml_text import Composed, canonical, compose, key_text, load_plain, load_resolved

if TYPE_CHECKING:
    from collections.abc import Iterable

NAME_MAX: Final = 64
_NAME: Final = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# Plain words YAML 1.1 reads as something other than a string.
_NOT_STRINGS: Final = frozenset(
    {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}
)
RESERVED: Final = frozenset({"logger"})  # secrets.yaml's switch for debug logging

# One transaction at a time: two flows must not interleave their reads and writes.
LOCK: Final = threading.Lock()


def valid_name(name: str) -> bool:
    """Whether `name` is safe as a secrets.yaml key and a `!secret` argument."""
    return (
        len(name) <= NAME_MAX
        and bool(_NAME.match(name))
        and name.lower() not in _NOT_STRINGS
        and name not in RESERVED
    )


def decode_utf8(data: bytes) -> str:
    """A file's text; refuse one that is not UTF-8."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise FixRefused("unsupported_file") from err


def newline_of(text: str | None, fallback: str = "\n") -> str:
    """The line break `text` uses (`fallback` for no text)."""
    if text is None or not text:
        return fallback
    if "\r\n" in text:
        return "\r\n"
    if "\r" in text and "\n" not in text:
        return "\r"
    return "\n"


def config_path(config_dir: str, rel: str) -> str:
    """Absolute path of a file relative to the configuration folder; refuse others."""
    if os.path.isabs(rel) or rel.split("/")[0] == "..":
        raise FixRefused("outside_config")
    return os.path.join(config_dir, *rel.split("/"))


def root_files(config_dir: str, graph: ConfigGraph, *extra: str) -> list[str]:
    """Files Home Assistant loads on their own: configuration.yaml, dashboards, `extra`."""
    found = [os.path.join(config_dir, CONFIG_YAML)]
    found += [
        config_path(config_dir, f.path)
        for f in graph.files
        if f.role == "dashboard" and not os.path.isabs(f.path)
    ]
    found += extra
    return list(dict.fromkeys(found))


def resolve_all(paths: Iterable[str], config_dir: str) -> dict[str, Any]:
    """Every root as Home Assistant resolves it; refuse if one does not load now."""
    resolved: dict[str, Any] = {}
    for path in paths:
        try:
            resolved[path] = canonical(load_resolved(path, config_dir))
        except (HomeAssistantError, OSError, yaml.YAMLError, RecursionError) as err:
            raise FixRefused("config_invalid") from err
    return resolved


def secret_entries(path: str) -> dict[Any, Any]:
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


def same_roots(before: dict[str, Any], config_dir: str) -> bool:
    """Whether every root still resolves as it did (`before`, from `resolve_all`)."""
    return all(
        canonical(load_resolved(path, config_dir)) == value
        for path, value in before.items()
    )


def loadable_graph(config_dir: str) -> ConfigGraph:
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
class SecretsText:
    """The names of a secrets file and the column its entries start at."""

    names: dict[str, Any]  # name -> (key node, value node)
    column: int
    composed: Composed


def parse_secrets(text: str | None) -> SecretsText:
    """The entries of a secrets file's text (none for no file); refuse other shapes."""
    if text is None:
        return SecretsText(names={}, column=0, composed=compose(""))
    composed = compose(text)
    root = composed.root
    if root is None:
        return SecretsText(names={}, column=0, composed=composed)
    if not isinstance(root, yaml.MappingNode) or root.flow_style:
        raise FixRefused("secrets_unsupported")
    names = {key_text(composed, k): (k, v) for k, v in root.value}
    column = int(root.value[0][0].start_mark.column) if root.value else 0
    return SecretsText(names=names, column=column, composed=composed)
