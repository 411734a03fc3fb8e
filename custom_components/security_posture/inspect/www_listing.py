"""Sensitive names under `www/`, which `/local/` serves without login: the `WWW_LISTING` fact.

A bounded walk of names only (see `secret_files.scan_www`). What the walk could not cover
becomes a note of the report; a failed walk is part of the state (`error`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from ..const import LOGGER
from ..engine import Fact
from ..model import Family
from .secret_files import MAX_WWW_ENTRIES, MAX_WWW_HITS, WWW_DIR, WwwState, scan_www

if TYPE_CHECKING:
    from ..engine import ScanContext

MAX_UNREADABLE_NOTES: Final = 10


async def _async_scan_www(ctx: ScanContext) -> WwwState:
    try:
        www = await ctx.hass.async_add_executor_job(scan_www, ctx.config_dir)
    except Exception as err:  # noqa: BLE001 - the error is the state the check reports
        LOGGER.debug("Walking %s failed", WWW_DIR, exc_info=True)
        return WwwState(exists=True, error=f"could not read: {type(err).__name__}")
    if www.truncated:
        ctx.note(
            Family.SECRETS,
            f"more than {MAX_WWW_ENTRIES} entries: only the first {MAX_WWW_ENTRIES} names "
            "were checked",
            WWW_DIR,
        )
    if www.more_hits:
        ctx.note(
            Family.SECRETS,
            f"more than {MAX_WWW_HITS} sensitive names: only the first {MAX_WWW_HITS} "
            "are reported",
            WWW_DIR,
        )
    for rel in www.unreadable[:MAX_UNREADABLE_NOTES]:
        ctx.note(Family.SECRETS, "cannot list this folder", rel)
    return www


WWW_LISTING: Final = Fact[WwwState](
    name="the www folder's listing", gather=_async_scan_www
)
