"""The scan of the configuration's files, once per engine scan, by the scan worker.

`CONFIG_SCAN` is what `graph_reader.CONFIG_GRAPH` and `credentials.INLINE_CREDENTIALS` are
taken from: one scan of the files per engine scan, made by the scan worker, a process of its
own (`scan_client`, `scan_worker`). Home Assistant's process only receives the compact result
(`config_scan.ConfigScan`). A scan of a configuration in which nothing changed reads nothing
and gives the same facts again. When the files cannot be scanned at all (the worker fell
silent), both facts are unknown with the reason.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from ..engine import CheckUnknown, Fact, Slot
from .config_scan import ConfigScan
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
