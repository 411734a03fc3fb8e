"""The engine as the tests of families not yet moved to one module per check use it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from homeassistant.core import HomeAssistant

from custom_components.security_posture import engine
from custom_components.security_posture.checks.legacy import (
    LEGACY_CACHE,
    FamilyChecks,
    LegacyCheck,
    adapt,
)
from custom_components.security_posture.engine import Cache, Facts, ScanOptions
from custom_components.security_posture.model import CheckResult, Family, Finding


def ScanContext(  # noqa: N802 - stands in for the class
    *,
    hass: HomeAssistant | None,
    config_dir: Path,
    now: datetime,
    options: Mapping[str, Any] | None = None,
    cache: dict[str, Any] | None = None,
) -> engine.ScanContext:
    """A scan context from the entry's options and a legacy cache mapping."""
    shared = Cache()
    if cache is not None:
        shared._slots[LEGACY_CACHE] = cache
    return engine.ScanContext(
        hass=hass,  # type: ignore[arg-type]
        config_dir=config_dir,
        now=now,
        options=ScanOptions.from_entry(options or {}),
        cache=shared,
    )


def run_check(
    check: LegacyCheck[Any],
    family: Family,
    facts: Any,
    ctx: engine.ScanContext,
    findings: list[Finding],
) -> CheckResult:
    """Run a legacy check on its family's facts."""
    adapted = engine.Check(
        id=check.id,
        family=family,
        severity=check.severity,
        learn_more_url=check.learn_more_url,
        needs=(),
        inspect=lambda _: check.inspect(facts, ctx),
        summary=(lambda _: check.summary(facts)) if check.summary else None,  # type: ignore[misc]
    )
    return engine.run_check(adapted, Facts({}, now=ctx.now), findings)


async def async_scan(
    families: Iterable[FamilyChecks[Any]],
    ctx: engine.ScanContext,
    disabled: frozenset[str],
) -> engine.ScanOutcome:
    """Scan legacy families with checks disabled."""
    checks: list[engine.Check] = []
    metrics: list[engine.Metric[object]] = []
    for family in families:
        adapted, measured = adapt(family)
        checks.extend(adapted)
        metrics.extend(measured)
    ctx.options = ScanOptions(
        disabled_checks=disabled,
        certificate_warning_days=ctx.options.certificate_warning_days,
        sshd_config=ctx.options.sshd_config,
    )
    return await engine.async_scan(checks, metrics, ctx)
