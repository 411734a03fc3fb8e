"""Read the HTTP server settings Home Assistant really runs with, on every release.

Where the settings live depends on the release (`http_store` says how each release from
2025.4 to 2026.11 keeps and applies them): up to 2026.7 the `http:` block of
`configuration.yaml`; from 2026.8 the `stable` or `pending` slot of `.storage/http` that the
server started with (the YAML is moved there once, then ignored); 2026.11 adds versioned TLS
profiles. This module reads them the same way.

Whatever the files say, the running server (`hass.http`) knows best what it serves; its
values win (`http_server`). The settings and their defaults are `http_values.HttpSettings`.

The YAML is not loaded again here: the `http:` block comes from the scan's configuration
graph (`graph_reader`, read once, quietly and with bounds), see `http_yaml`. When
`configuration.yaml` cannot be read, the running server and `.storage/http` tell, with a note.
A `.storage/http` of a version newer than this reader knows is read for the settings it knows,
with a note.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Final

from ..engine import Fact, ScanContext
from ..model import Family
from .config_facts import async_get_config_graph
from .graph_reader import read_config_graph
from .http_layouts import decide_settings, with_secret_values
from .http_releases import FIELDS, STORAGE_FILE, HttpRelease, release_of
from .http_server import apply_server, server_values
from .http_store import (
    LiveSlot,
    StorageUnreadable,
    StoredHttp,
    live_store_slot,
    read_storage,
)
from .http_values import (
    SOURCE_DEFAULT,
    STORAGE_SOURCES,
    YAML_FILE,
    HttpSettings,
    Location,
)
from .http_yaml_secrets import read_yaml_http

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from pathlib import Path
    from typing import Any

    from homeassistant.core import HomeAssistant

    from .config_graph import ConfigGraph


def running_release() -> HttpRelease:
    """How the running release keeps and applies its HTTP settings.

    Home Assistant's version is asked for here, not when this module is imported: the
    command-line scanner imports the readers without Home Assistant.
    """
    from homeassistant.const import MAJOR_VERSION, MINOR_VERSION  # noqa: PLC0415

    return release_of(MAJOR_VERSION, MINOR_VERSION)


# --- the files ---------------------------------------------------------------------------


async def async_read_yaml_http(
    hass: HomeAssistant,
    config_dir: Path,
    graph: ConfigGraph,
    note: Callable[[str, str | None], None],
) -> tuple[Mapping[str, Any] | None, dict[str, Location]]:
    """The `http:` block of the YAML configuration and where each key is.

    Taken from the configuration graph (includes, packages); its `!secret` and `!env_var`
    values are resolved. None when there is no block, or when `configuration.yaml` cannot be
    read (then the running server and `.storage/http` tell, and a note says so).
    """
    block, where, _ = await _async_read_yaml(hass, config_dir, graph, note)
    return block, where


async def _async_read_yaml(
    hass: HomeAssistant,
    config_dir: Path,
    graph: ConfigGraph,
    note: Callable[[str, str | None], None],
) -> tuple[
    Mapping[str, Any] | None, dict[str, Location], Mapping[str, tuple[Any, ...]]
]:
    """`async_read_yaml_http`, and the values that came from `secrets.yaml`."""
    if graph.root_problem is not None:
        path = os.path.join(str(config_dir), YAML_FILE)  # noqa: PTH118
        if await hass.async_add_executor_job(os.path.lexists, path):
            note(
                f"cannot read {graph.root_problem}; the HTTP settings come from the "
                f"running server and {STORAGE_FILE} only",
                YAML_FILE,
            )
        return None, {}, {}
    # Walking the graph and reading secrets.yaml: off the event loop.
    reading = await hass.async_add_executor_job(
        read_yaml_http, config_dir, graph, FIELDS
    )
    for reason, file in reading.notes:
        note(reason, file)
    where = {
        name: Location(file=file or YAML_FILE, line=line, key=f"http.{name}")
        for name, (file, line) in reading.origins.items()
    }
    return reading.block, where, reading.from_secrets


def resolve(
    *,
    stored: StoredHttp | None,
    yaml_block: Mapping[str, Any] | None,
    yaml_where: Mapping[str, Location],
    recovery_mode: bool,
    release: HttpRelease | None = None,
    live: LiveSlot | None = None,
) -> HttpSettings:
    """`http_layouts.decide_settings`, as the running release unless `release` is given."""
    return decide_settings(
        stored=stored,
        yaml_block=yaml_block,
        yaml_where=yaml_where,
        recovery_mode=recovery_mode,
        release=release or running_release(),
        live=live,
    )


async def async_read_http_settings(
    hass: HomeAssistant,
    config_dir: Path,
    note: Callable[[str, str | None], None],
    graph: ConfigGraph | None = None,
    release: HttpRelease | None = None,
) -> HttpSettings:
    """Read the effective settings; what cannot be read is passed to `note(reason, file)`.

    `graph` is the scan's configuration graph; without one it is read here (uncached).
    `release` is the running one unless given.
    """
    stored: StoredHttp | None = None
    try:
        stored = await hass.async_add_executor_job(read_storage, config_dir)
    except StorageUnreadable as err:
        note(f"cannot read the HTTP settings store: {err}", STORAGE_FILE)
    if stored is not None and stored.remark is not None:
        note(f"HTTP settings store: {stored.remark}", STORAGE_FILE)
    if graph is None:
        graph = await hass.async_add_executor_job(read_config_graph, config_dir, {})
    yaml_block, yaml_where, from_secrets = await _async_read_yaml(
        hass, config_dir, graph, note
    )
    settings = resolve(
        stored=stored,
        yaml_block=yaml_block,
        yaml_where=yaml_where,
        recovery_mode=bool(hass.config.recovery_mode),
        release=release,
        live=live_store_slot(hass),
    )
    settings = with_secret_values(settings, from_secrets)
    if (server := getattr(hass, "http", None)) is not None:
        # Defaults stand in for a configuration.yaml that could not be read.
        files_known = graph.root_problem is None or settings.base != SOURCE_DEFAULT
        settings = apply_server(
            settings, server_values(server), files_known=files_known
        )
    return settings


async def _async_gather_http_settings(ctx: ScanContext) -> HttpSettings:
    """The effective HTTP settings, with notes on how they were read."""

    def _note(reason: str, file: str | None) -> None:
        ctx.note(Family.REMOTE_ACCESS, reason, file)

    graph = await async_get_config_graph(ctx)
    settings = await async_read_http_settings(
        ctx.hass, ctx.config_dir, _note, graph=graph
    )
    # What the report should say about the reading: which layout, what is not in effect.
    file = STORAGE_FILE if settings.base in STORAGE_SOURCES else None
    for remark in settings.remarks:
        ctx.note(
            Family.REMOTE_ACCESS,
            f"HTTP settings from {settings.source}: {remark}",
            file,
        )
    return settings


HTTP_SETTINGS: Final = Fact[HttpSettings](
    name="the HTTP settings", gather=_async_gather_http_settings
)


async def async_get_http_settings(ctx: ScanContext) -> HttpSettings:
    """The effective HTTP settings, read once per scan (the `HTTP_SETTINGS` fact)."""
    return await ctx.fact(HTTP_SETTINGS)
