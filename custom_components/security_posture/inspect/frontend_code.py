"""Every URL of code the frontend loads into each browser, and where it is set.

Two kinds, read from the running instance where it holds them, else from the files:

- **Dashboard resources.** The `lovelace` integration keeps them in `hass.data["lovelace"]`
  (`LovelaceData`, both releases): `.resources` is a storage collection (storage mode) or
  a list from YAML (YAML mode). The mode is `resource_mode` (2026.2 and later) or `mode`
  (2025.4: one mode for dashboards and resources). The storage collection loads lazily,
  when a browser first asks for the resources: while it is not loaded (`loaded` false),
  `.storage/lovelace_resources` (`{"data": {"items": [{"id", "type", "url"}]}}`) is read
  instead, so that a scan never makes core load or migrate anything. In YAML mode the
  resources are taken from the configuration graph (`frontend_yaml`), where each has a file
  and a line, and a value from `secrets.yaml` is never shown. Without the `lovelace`
  integration, the YAML alone says which mode applies.
- **`frontend: extra_module_url` / `extra_js_url_es5`.** The frontend integration keeps the
  set it serves in `hass.data["frontend_extra_module_url"]` / `["frontend_extra_js_url_es5"]`
  (`UrlManager.urls`, both releases); integrations add to it too. The YAML gives each URL its
  place; a URL served that is not in the YAML is reported too, as added by an integration
  (or removed from the YAML since the start), unless the YAML of that option holds a value
  from `!secret`/`!env_var` or could not be read completely: it could then be that value.

Nothing is imported from `lovelace` or `frontend`: the keys and attributes above are read
defensively, so that another shape makes the reader fall back to the files.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from homeassistant.core import callback

from ..engine import CheckUnknown, Fact
from .config_facts import CONFIG_GRAPH
from .frontend_yaml import (
    MODE_STORAGE,
    MODE_YAML,
    FrontendYaml,
    Source,
    YamlUrl,
    read_frontend_yaml,
)
from .remote_urls import RemoteUrl, foreign_url, own_hosts
from .storage_json import StorageUnreadable, read_storage_data, storage_path

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator
    from pathlib import Path

    from homeassistant.core import CALLBACK_TYPE, HomeAssistant

    from ..engine import ScanContext
    from .config_graph import ConfigGraph

RESOURCES_KEY: Final = "lovelace_resources"
RESOURCES_FILE: Final = storage_path(RESOURCES_KEY)
LOVELACE_DATA: Final = "lovelace"
EXTRA_URL_DATA: Final = {
    Source.EXTRA_MODULE_URL: "frontend_extra_module_url",
    Source.EXTRA_JS_URL_ES5: "frontend_extra_js_url_es5",
}


@dataclass(frozen=True, kw_only=True, slots=True)
class ForeignUrl:
    """A URL of code loaded from a host that is not this instance (never a credential)."""

    source: Source
    remote: RemoteUrl
    file: str | None = None
    line: int | None = None
    key: str | None = None
    resource_type: str | None = None
    runtime_only: bool = False
    """Served now but not in the configuration: added by an integration (or removed since)."""


@dataclass(frozen=True, kw_only=True)
class FrontendCode:
    """The code URLs from other hosts, and how many URLs of each source were looked at."""

    foreign: tuple[ForeignUrl, ...]
    resource_mode: str
    resources: int
    extras: int
    own_hosts: frozenset[str]


@dataclass(frozen=True, slots=True)
class _Resource:
    url: str
    resource_type: str | None


def _storage_resources(data: Any) -> list[_Resource]:
    """The resources of `.storage/lovelace_resources`' data; raises for another shape."""
    items = data.get("items") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise StorageUnreadable("no list of resources in the file")
    return list(_resources(items))


def _resources(items: Iterable[Any]) -> Iterator[_Resource]:
    for item in items:
        if isinstance(item, dict) and isinstance(url := item.get("url"), str):
            kind = item.get("type")
            yield _Resource(url, kind if isinstance(kind, str) else None)


def read_stored_resources(config_dir: Path) -> list[_Resource]:
    """The resources in `.storage/lovelace_resources` (blocking); none without the file."""
    try:
        found = read_storage_data(config_dir, RESOURCES_KEY)
        return [] if found is None else _storage_resources(found[1])
    except StorageUnreadable as err:
        raise CheckUnknown(f"{RESOURCES_FILE}: {err}") from None


def _runtime_mode(lovelace: Any) -> str | None:
    mode = getattr(lovelace, "resource_mode", None) or getattr(lovelace, "mode", None)
    return mode.lower() if isinstance(mode, str) else None


def _loaded_resources(lovelace: Any) -> list[_Resource] | None:
    """The storage collection's items when it is loaded, else None."""
    collection = getattr(lovelace, "resources", None)
    if getattr(collection, "loaded", False) is not True:
        return None
    items = getattr(collection, "async_items", None)
    return list(_resources(items())) if callable(items) else None


def _runtime_extras(hass: HomeAssistant, source: Source) -> list[str]:
    manager = hass.data.get(EXTRA_URL_DATA[source])
    urls = getattr(manager, "urls", None)
    if not isinstance(urls, (set, frozenset)):
        return []
    return sorted(url for url in urls if isinstance(url, str))


def _from_yaml(found: YamlUrl, hosts: frozenset[str]) -> ForeignUrl | None:
    if (remote := foreign_url(found.url, hosts)) is None:
        return None
    return ForeignUrl(
        source=found.source,
        remote=remote,
        file=found.file,
        line=found.line,
        key=found.key,
        resource_type=found.resource_type,
    )


def _extras(
    hass: HomeAssistant, yaml: FrontendYaml, hosts: frozenset[str], *, complete: bool
) -> tuple[list[ForeignUrl], int]:
    """Foreign extra URLs (YAML first, then served-only ones) and how many URLs there are."""
    foreign = [
        f for found in yaml.extras if (f := _from_yaml(found, hosts)) is not None
    ]
    count = len(yaml.extras)
    for source in EXTRA_URL_DATA:
        written = {found.url for found in yaml.extras if found.source is source}
        served = [url for url in _runtime_extras(hass, source) if url not in written]
        if not complete or source in yaml.hidden:
            continue
        count += len(served)
        foreign.extend(
            ForeignUrl(source=source, remote=remote, runtime_only=True)
            for url in served
            if (remote := foreign_url(url, hosts)) is not None
        )
    return foreign, count


async def async_read_frontend_code(
    hass: HomeAssistant, config_dir: Path, graph: ConfigGraph
) -> FrontendCode:
    """Every foreign code URL the frontend loads (raises `CheckUnknown` when unreadable)."""
    yaml = await hass.async_add_executor_job(read_frontend_yaml, graph)
    hosts = own_hosts(hass)
    lovelace = hass.data.get(LOVELACE_DATA)
    mode = (_runtime_mode(lovelace) if lovelace is not None else None) or (
        yaml.resource_mode
    )
    foreign: list[ForeignUrl] = []
    if mode == MODE_YAML:
        written = yaml.yaml_resources
        resources = len(written)
        foreign.extend(f for found in written if (f := _from_yaml(found, hosts)))
    else:
        mode = MODE_STORAGE
        stored = _loaded_resources(lovelace)
        if stored is None:
            stored = await hass.async_add_executor_job(
                read_stored_resources, config_dir
            )
        resources = len(stored)
        foreign.extend(
            ForeignUrl(
                source=Source.RESOURCE,
                remote=remote,
                file=RESOURCES_FILE,
                resource_type=item.resource_type,
            )
            for item in stored
            if (remote := foreign_url(item.url, hosts)) is not None
        )
    extras, extra_count = _extras(hass, yaml, hosts, complete=graph.complete)
    return FrontendCode(
        foreign=(*extras, *foreign),
        resource_mode=mode,
        resources=resources,
        extras=extra_count,
        own_hosts=hosts,
    )


async def _async_gather(ctx: ScanContext) -> FrontendCode:
    graph = await ctx.fact(CONFIG_GRAPH)
    return await async_read_frontend_code(ctx.hass, ctx.config_dir, graph)


def _listen(hass: HomeAssistant, request_rescan: Callable[[], None]) -> CALLBACK_TYPE:
    """Rescan when a dashboard resource is added, changed or removed (storage mode)."""
    collection = getattr(hass.data.get(LOVELACE_DATA), "resources", None)
    add_listener = getattr(collection, "async_add_listener", None)
    if not callable(add_listener):
        return lambda: None

    async def _changed(*_args: Any) -> None:
        request_rescan()

    remove: CALLBACK_TYPE = add_listener(_changed)
    return callback(remove)


FRONTEND_CODE: Final = Fact[FrontendCode](
    name="the frontend's code URLs", gather=_async_gather, listen=_listen
)
