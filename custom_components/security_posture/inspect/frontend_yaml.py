"""The frontend's code URLs and the dashboards' resource mode, as written in YAML.

Home Assistant reads them from the configuration (`configuration.yaml`, its includes and
packages), validated by each integration's schema:

- `frontend: extra_module_url` and `extra_js_url_es5`: a URL or a list of URLs
  (`EnsureList`, then `[cv.string]`), served to every browser in the page's `<head>`;
- `lovelace: resources:`: a list of `{url, type}` (type `js`, `css`, `module` or `html`),
  loaded by every dashboard when the resources are in YAML mode;
- `lovelace: resource_mode` (2026.2 and later) and `lovelace: mode` (`yaml` or `storage`,
  default storage; the resource mode falls back to it): where the resources live;
- without `lovelace: resources`, YAML mode takes the `resources:` of `ui-lovelace.yaml`.

The configuration graph keeps every file with its place (`mount`) and its markers
unresolved. Each file that can hold one of these keys is searched where they can be, and
only there: a value is found by its key path from the configuration's root (the file's mount,
then its mapping keys; list positions do not count), with `homeassistant: packages: <name>:`
in front of it read as the root too. A value that is a marker (`!secret`, `!env_var`) is not
taken (what comes from `secrets.yaml` is never shown) but remembered as hidden, so that a URL
Home Assistant loaded from it is not mistaken for one an integration added.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Final

from .config_graph import LOVELACE_YAML, ROLE_DASHBOARD, ConfigGraph
from .key_paths import format_key_path
from .yaml_nodes import EnvVarRef, SecretRef, YamlList, YamlMap

if TYPE_CHECKING:
    from collections.abc import Iterator

    from .config_graph import ConfigFile
    from .key_paths import KeyPart

_PACKAGES: Final = ("homeassistant", "packages")
FRONTEND: Final = "frontend"
LOVELACE: Final = "lovelace"
MODE_YAML: Final = "yaml"
MODE_STORAGE: Final = "storage"


class Source(StrEnum):
    """Where a URL the frontend loads is set."""

    EXTRA_MODULE_URL = "extra_module_url"
    EXTRA_JS_URL_ES5 = "extra_js_url_es5"
    RESOURCE = "resource"


_TARGETS: Final[dict[tuple[str, ...], Source | str]] = {
    (FRONTEND, "extra_module_url"): Source.EXTRA_MODULE_URL,
    (FRONTEND, "extra_js_url_es5"): Source.EXTRA_JS_URL_ES5,
    (LOVELACE, "resources", "url"): Source.RESOURCE,
    (LOVELACE, "resource_mode"): "resource_mode",
    (LOVELACE, "mode"): "mode",
}
_LISTS: Final = frozenset({Source.EXTRA_MODULE_URL, Source.EXTRA_JS_URL_ES5})
"""Targets that may be a list of values (`EnsureList`)."""
_DASHBOARD_TARGETS: Final[dict[tuple[str, ...], Source | str]] = {
    ("resources", "url"): Source.RESOURCE,
}


@dataclass(frozen=True, kw_only=True, slots=True)
class YamlUrl:
    """A URL written in YAML, where it is written, and (for a resource) its type."""

    source: Source
    url: str
    file: str
    line: int
    key: str
    resource_type: str | None = None


@dataclass(kw_only=True)
class FrontendYaml:
    """What the YAML configuration says about the frontend's code."""

    extras: list[YamlUrl] = field(default_factory=list)
    """`frontend: extra_module_url` / `extra_js_url_es5`, in file order."""
    resources: list[YamlUrl] = field(default_factory=list)
    """`lovelace: resources:` of the configuration."""
    dashboard_resources: list[YamlUrl] = field(default_factory=list)
    """`resources:` of `ui-lovelace.yaml` (used only without `lovelace: resources:`)."""
    hidden: set[Source] = field(default_factory=set)
    """Sources with a value from `!secret` or `!env_var`: never shown."""
    modes: dict[str, str] = field(default_factory=dict)
    """`mode` and `resource_mode` of `lovelace:`, lower case, as written."""

    @property
    def resource_mode(self) -> str:
        """Where the resources live by the YAML alone: `yaml` or `storage`."""
        return self.modes.get("resource_mode") or self.modes.get("mode") or MODE_STORAGE

    @property
    def yaml_resources(self) -> list[YamlUrl]:
        """The resources Home Assistant loads in YAML mode (configuration first)."""
        return self.resources or self.dashboard_resources


def _logical(path: tuple[str, ...]) -> tuple[str, ...]:
    """`homeassistant.packages.<name>.frontend...` is read as `frontend...`."""
    if len(path) > len(_PACKAGES) + 1 and path[: len(_PACKAGES)] == _PACKAGES:
        return path[len(_PACKAGES) + 1 :]
    return path


def _may_lead(path: tuple[str, ...], targets: dict[tuple[str, ...], Any]) -> bool:
    """Whether a value at `path` can hold (or be) one of the targets."""
    if (
        path[: len(_PACKAGES)] == _PACKAGES[: len(path)]
        and len(path) <= len(_PACKAGES) + 1
    ):
        return True  # homeassistant, homeassistant.packages, a package
    logical = _logical(path)
    return any(target[: len(logical)] == logical for target in targets)


def _children(
    node: YamlMap | YamlList, parts: tuple[KeyPart, ...], path: tuple[str, ...]
) -> Iterator[tuple[Any, tuple[KeyPart, ...], tuple[str, ...], int, Any]]:
    """(value, key parts, string path, line, holder) of each child of a container."""
    if isinstance(node, YamlMap):
        for key, value in node.items():
            line = node.value_lines.get(key, node.line)
            yield value, (*parts, str(key)), (*path, str(key)), line, node
    else:
        for index, value in enumerate(node):
            yield value, (*parts, index), path, node.item_lines[index], node


def _found(
    config_file: ConfigFile, targets: dict[tuple[str, ...], Source | str]
) -> Iterator[tuple[Source | str, Any, tuple[KeyPart, ...], int, Any]]:
    """Each value of `config_file` at a target path: (target, value, parts, line, holder)."""
    if not _may_lead(config_file.mount, targets):
        return
    seen: set[int] = set()
    stack: list[tuple[Any, tuple[KeyPart, ...], tuple[str, ...], int, Any]] = [
        (config_file.root, (), config_file.mount, 1, None)
    ]
    while stack:
        value, parts, path, line, holder = stack.pop()
        if (target := targets.get(_logical(path))) is not None:
            if isinstance(value, YamlList) and target in _LISTS:
                for index, item in enumerate(value):
                    if not isinstance(item, (YamlMap, YamlList)):
                        yield (
                            target,
                            item,
                            (*parts, index),
                            value.item_lines[index],
                            value,
                        )
            elif not isinstance(value, (YamlMap, YamlList)):
                yield target, value, parts, line, holder
            continue
        if not isinstance(value, (YamlMap, YamlList)) or id(value) in seen:
            continue
        seen.add(id(value))
        stack.extend(
            child
            for child in reversed(list(_children(value, parts, path)))
            if _may_lead(child[2], targets)
        )


def read_frontend_yaml(graph: ConfigGraph) -> FrontendYaml:
    """Find the frontend's code URLs and the resource mode in the configuration graph."""
    result = FrontendYaml()
    for config_file in graph.files:
        if config_file.role == ROLE_DASHBOARD:
            if config_file.path == LOVELACE_YAML:
                _collect(result, config_file, _DASHBOARD_TARGETS, dashboard=True)
            continue
        _collect(result, config_file, _TARGETS, dashboard=False)
    return result


def _collect(
    result: FrontendYaml,
    config_file: ConfigFile,
    targets: dict[tuple[str, ...], Source | str],
    *,
    dashboard: bool,
) -> None:
    for target, value, parts, line, holder in _found(config_file, targets):
        if isinstance(value, (SecretRef, EnvVarRef)):
            if isinstance(target, Source):
                result.hidden.add(target)
            continue
        if not isinstance(target, Source):
            if isinstance(value, str):
                result.modes.setdefault(target, value.strip().lower())
            continue
        if not isinstance(value, str):
            continue
        resource_type = None
        if target is Source.RESOURCE:
            kind = holder.get("type") if isinstance(holder, YamlMap) else None
            resource_type = kind if isinstance(kind, str) else None
        found = YamlUrl(
            source=target,
            url=value,
            file=config_file.path,
            line=line,
            key=format_key_path(parts),
            resource_type=resource_type,
        )
        if target is not Source.RESOURCE:
            result.extras.append(found)
        elif dashboard:
            result.dashboard_resources.append(found)
        else:
            result.resources.append(found)
