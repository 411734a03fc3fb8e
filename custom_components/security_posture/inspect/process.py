"""When Home Assistant (this process) started: the `PROCESS_STARTED` fact.

A certificate renewed after the start is not served until Home Assistant restarts.
"""

from __future__ import annotations

from datetime import UTC, datetime
import os
from typing import TYPE_CHECKING, Final

from ..engine import Fact

if TYPE_CHECKING:
    from ..engine import ScanContext

# Read once, when this module is imported: an upper bound of Home Assistant's start.
_IMPORTED_AT: Final = datetime.now(UTC)


def process_started_at() -> datetime:
    """When this process started (blocking; Linux `/proc`), else when this module loaded.

    The module's import time is later than the start, so using it can only miss a renewal
    made during the first minute, never claim one that did not happen.
    """
    try:
        with open("/proc/self/stat", encoding="ascii") as file:  # noqa: PTH123
            fields = file.read().rsplit(")", 1)[1].split()
        with open("/proc/stat", encoding="ascii") as file:  # noqa: PTH123
            boot = next(
                int(line.split()[1]) for line in file if line.startswith("btime ")
            )
        ticks = os.sysconf("SC_CLK_TCK")
        started = boot + int(fields[19]) / ticks
    except (OSError, ValueError, IndexError, StopIteration):
        return _IMPORTED_AT
    # Clock ticks and boot time are coarse: never report a start later than we know it was.
    return min(datetime.fromtimestamp(started, UTC), _IMPORTED_AT)


async def _async_started(ctx: ScanContext) -> datetime:
    return await ctx.hass.async_add_executor_job(process_started_at)


PROCESS_STARTED: Final = Fact[datetime](
    name="when Home Assistant started", gather=_async_started
)
