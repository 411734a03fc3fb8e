"""The facts of the configuration's files, from one scan of them by the scan worker.

`CONFIG_SCAN` is what `CONFIG_GRAPH` (the graph `graph_reader` reads) and
`INLINE_CREDENTIALS` (what `credentials` finds in it) are taken from: one scan of the files
per engine scan, made by the scan worker, a process of its own (`scan_client`,
`scan_worker`). Home Assistant's process only receives the compact result
(`config_scan.ConfigScan`). A scan of a configuration in which nothing changed reads nothing
and gives the same facts again. When the files cannot be scanned at all (the worker fell
silent), both facts are unknown with the reason.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from ..engine import CheckUnknown, Fact, Slot
from ..model import Family
from .config_graph import ConfigGraph
from .config_scan import ConfigScan
from .credentials import Credential
from .scan_client import ScanClient, ScanError

if TYPE_CHECKING:
    from ..engine import ScanContext

SCAN_CLIENT: Final = Slot[ScanClient](name="the scan worker", factory=ScanClient)


async def _async_scan(ctx: ScanContext) -> ConfigScan:
    client = ctx.cache.get(SCAN_CLIENT)
    try:
        return await client.async_scan(ctx.hass, ctx.config_dir)
    except ScanError as err:
        raise CheckUnknown(str(err)) from None


CONFIG_SCAN: Final = Fact[ConfigScan](
    name="the configuration's files", gather=_async_scan
)


async def _async_config_graph(ctx: ScanContext) -> ConfigGraph:
    """The graph of the scan's files; every file that could not be read adds a note."""
    graph = (await ctx.fact(CONFIG_SCAN)).graph
    for problem in graph.problems:
        ctx.note(Family.SECRETS, problem.reason, problem.file)
    return graph


CONFIG_GRAPH: Final = Fact[ConfigGraph](
    name="the configuration files", gather=_async_config_graph
)


async def async_get_config_graph(ctx: ScanContext) -> ConfigGraph:
    """The configuration graph, read once per scan (the `CONFIG_GRAPH` fact)."""
    return await ctx.fact(CONFIG_GRAPH)


async def _async_inline_credentials(ctx: ScanContext) -> tuple[Credential, ...]:
    """The credentials the scan of the files found.

    Unknown when configuration.yaml itself cannot be read.
    """
    graph = await ctx.fact(CONFIG_GRAPH)
    if graph.root_problem is not None:
        raise CheckUnknown(graph.root_problem)
    return (await ctx.fact(CONFIG_SCAN)).credentials


INLINE_CREDENTIALS: Final = Fact[tuple[Credential, ...]](
    name="the credentials written into the configuration",
    gather=_async_inline_credentials,
)
