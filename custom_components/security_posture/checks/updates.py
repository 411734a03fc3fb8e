"""The updates family. Not implemented yet: it has no checks."""

from __future__ import annotations

from ..engine import FamilyChecks, ScanContext
from ..model import Family


async def _async_gather(ctx: ScanContext) -> None:
    """Nothing to gather yet."""


FAMILY: FamilyChecks[None] = FamilyChecks(
    family=Family.UPDATES, gather=_async_gather, checks=()
)
