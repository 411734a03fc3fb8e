"""The secrets family, second part: file permissions, git, www/ and backups. Not implemented yet."""

from __future__ import annotations

from ..engine import FamilyChecks, ScanContext
from ..model import Family


async def _async_gather(ctx: ScanContext) -> None:
    """Nothing to gather yet."""


FAMILY: FamilyChecks[None] = FamilyChecks(
    family=Family.SECRETS, gather=_async_gather, checks=()
)
