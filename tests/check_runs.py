"""Running the registry's checks in tests: on hand-built facts, or on facts read from `hass`."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from custom_components.security_posture import engine
from custom_components.security_posture.checks.registry import BY_ID, CHECKS
from custom_components.security_posture.engine import Cache, Facts, ScanOptions

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

    from custom_components.security_posture.model import Family, Finding, Status


def family_checks(family: Family) -> tuple[engine.Check, ...]:
    """The registry's checks of one family, in report order."""
    return tuple(check for check in CHECKS if check.family is family)


def run_on(check_id: str, facts: Facts) -> tuple[Status, str | None, list[Finding]]:
    """Run one check on hand-built facts: its status, reason and findings."""
    findings: list[Finding] = []
    result = engine.run_check(BY_ID[check_id], facts, findings)
    return result.status, result.reason, findings


def scan_context(
    hass: HomeAssistant,
    now: datetime,
    *,
    options: ScanOptions | None = None,
    cache: Cache | None = None,
) -> engine.ScanContext:
    """A scan's context on `hass`; pass the same `cache` to scans that follow each other."""
    return engine.ScanContext(
        hass=hass,
        config_dir=Path(hass.config.config_dir),
        now=now,
        options=options or ScanOptions(),
        cache=cache if cache is not None else Cache(),
    )


async def async_scan_family(
    family: Family, ctx: engine.ScanContext
) -> engine.ScanOutcome:
    """Scan the checks of one family (and only the facts they need) as the engine does."""
    return await engine.async_scan(family_checks(family), (), ctx)


async def async_run(
    check_id: str, ctx: engine.ScanContext
) -> tuple[Status, str | None, list[Finding]]:
    """Gather what one check needs in `ctx` and run it: its status, reason and findings."""
    outcome = await engine.async_scan((BY_ID[check_id],), (), ctx)
    (result,) = outcome.checks
    return result.status, result.reason, list(outcome.findings)
