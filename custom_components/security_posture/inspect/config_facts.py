"""The facts read from the configuration's files: the graph and the inline credentials.

Both come from one scan of the files per engine scan (`CONFIG_SCAN`), made by the scan
worker, a process of its own (`scan_client`, `scan_worker`): Home Assistant's process only
receives the compact result (`config_scan.ConfigScan`). A scan of a configuration in which
nothing changed reads nothing and gives the same facts again.

- `CONFIG_GRAPH`: the configuration graph (`config_graph.ConfigGraph`). Every file that
  could not be read (or was cut off: it took too long) adds a note to the report.
- `INLINE_CREDENTIALS`: the credentials written into its files, `unknown` when
  `configuration.yaml` itself cannot be read.
"""

from __future__ import annotations

from typing import Final

from ..engine import CheckUnknown, Fact, ScanContext, Slot
from ..model import Family
from .config_graph import ConfigGraph
from .config_scan import ConfigScan
from .credentials import Credential
from .scan_client import ScanClient, ScanError

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
    graph = (await ctx.fact(CONFIG_SCAN)).graph
    for problem in graph.problems:
        ctx.note(Family.SECRETS, problem.reason, problem.file)
    return graph


CONFIG_GRAPH: Final = Fact[ConfigGraph](
    name="the configuration files", gather=_async_config_graph
)


async def _async_inline_credentials(ctx: ScanContext) -> tuple[Credential, ...]:
    graph = await ctx.fact(CONFIG_GRAPH)
    if graph.root_problem is not None:
        raise CheckUnknown(graph.root_problem)
    return (await ctx.fact(CONFIG_SCAN)).credentials


INLINE_CREDENTIALS: Final = Fact[tuple[Credential, ...]](
    name="the credentials written into the configuration",
    gather=_async_inline_credentials,
)


async def async_get_config_graph(ctx: ScanContext) -> ConfigGraph:
    """The configuration graph, read once per scan (the `CONFIG_GRAPH` fact)."""
    return await ctx.fact(CONFIG_GRAPH)
