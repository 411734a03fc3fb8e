"""The scan engine: run every enabled check of every family and collect the outcome.

A family gathers its facts once (I/O goes to the executor), then each of its checks turns the
facts into hits. A family whose facts cannot be gathered makes all its checks `unknown`; a check
that raises is `unknown` with the reason, and the others still run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .const import LOGGER
from .model import CheckResult, Family, Finding, Hit, Note, Severity, Status

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Iterable, Mapping
    from datetime import datetime
    from pathlib import Path

    from homeassistant.core import CALLBACK_TYPE, HomeAssistant


class CheckUnknown(Exception):  # noqa: N818 - reads as the outcome it is
    """Raised by a reader or check that cannot decide; the message is the reason."""


class NotApplicable(Exception):  # noqa: N818
    """Raised by a check with nothing to inspect here: it passes, with the message as reason."""


@dataclass(kw_only=True)
class ScanContext:
    """What every reader and check may use during one scan."""

    hass: HomeAssistant
    config_dir: Path
    now: datetime
    options: Mapping[str, Any]
    # Lives as long as the config entry: readers keep caches here between scans.
    cache: dict[str, Any] = field(default_factory=dict)
    # Lives for one scan: facts shared between families (exposure, for example).
    memo: dict[str, Any] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)

    def note(self, family: Family, reason: str, file: str | None = None) -> None:
        """Record something that could not be read; it shows in the report."""
        self.notes.append(Note(family=family, reason=reason, file=file))


@dataclass(frozen=True, kw_only=True)
class Check[FactsT]:
    """One check: an id (also the repair's translation key), a severity and its logic."""

    id: str
    severity: Severity
    learn_more_url: str
    inspect: Callable[[FactsT, ScanContext], Iterable[Hit]]
    # What the report says about a failed check beside its findings (counts, never values).
    summary: Callable[[FactsT], str | None] | None = None


@dataclass(frozen=True, kw_only=True)
class FamilyChecks[FactsT]:
    """A family: how to gather its facts, its checks, and what its sensors show."""

    family: Family
    gather: Callable[[ScanContext], Awaitable[FactsT]]
    checks: tuple[Check[FactsT], ...]
    # Values for sensors (for example "pending_updates"), derived from the facts.
    metrics: Callable[[FactsT, ScanContext], Mapping[str, Any]] | None = None
    # Subscribe to changes that call for a rescan; returns the unsubscribe callback.
    listen: Callable[[HomeAssistant, Callable[[], None]], CALLBACK_TYPE] | None = None


@dataclass(frozen=True, kw_only=True)
class ScanOutcome:
    """What the engine found, before ignores are applied."""

    checks: tuple[CheckResult, ...]
    findings: tuple[Finding, ...]
    notes: tuple[Note, ...]
    metrics: Mapping[str, Any]


def _reason(err: BaseException) -> str:
    """The message of our own `CheckUnknown`/`NotApplicable`, which quote nothing."""
    return str(err) or type(err).__name__


def _unexpected(err: BaseException) -> str:
    """An unexpected error by its type only: its message may quote what was read."""
    return type(err).__name__


async def async_run_family[FactsT](
    provider: FamilyChecks[FactsT],
    ctx: ScanContext,
    disabled: frozenset[str],
    results: list[CheckResult],
    findings: list[Finding],
    metrics: dict[str, Any],
) -> None:
    """Gather one family's facts and run its enabled checks."""
    family = provider.family
    enabled = [c for c in provider.checks if c.id not in disabled]
    results.extend(
        CheckResult(check=c.id, family=family, status=Status.DISABLED)
        for c in provider.checks
        if c.id in disabled
    )
    if not enabled and provider.metrics is None:
        return
    reason: str | None = None
    try:
        facts = await provider.gather(ctx)
    except CheckUnknown as err:
        reason = _reason(err)
    except Exception as err:  # noqa: BLE001 - a broken reader must not stop the scan
        LOGGER.debug("Reading facts for %s failed", family, exc_info=True)
        reason = f"could not read: {_unexpected(err)}"
    if reason is not None:
        results.extend(
            CheckResult(check=c.id, family=family, status=Status.UNKNOWN, reason=reason)
            for c in enabled
        )
        return
    # Checks are pure functions of the facts, but thousands of findings are thousands of
    # objects and hashes: they are made in the executor, not on the event loop.
    ran, found, measured = await ctx.hass.async_add_executor_job(
        _run_checks, provider, facts, ctx, enabled
    )
    results.extend(ran)
    findings.extend(found)
    metrics.update(measured)


def _run_checks[FactsT](
    provider: FamilyChecks[FactsT],
    facts: FactsT,
    ctx: ScanContext,
    enabled: list[Check[FactsT]],
) -> tuple[list[CheckResult], list[Finding], dict[str, Any]]:
    """A family's metrics and enabled checks on its facts (blocking: the executor)."""
    family = provider.family
    metrics: dict[str, Any] = {}
    if provider.metrics is not None:
        try:
            metrics.update(provider.metrics(facts, ctx))
        except Exception:  # noqa: BLE001
            LOGGER.debug("Metrics of %s failed", family, exc_info=True)
    findings: list[Finding] = []
    results = [run_check(check, family, facts, ctx, findings) for check in enabled]
    return results, findings, metrics


def run_check[FactsT](
    check: Check[FactsT],
    family: Family,
    facts: FactsT,
    ctx: ScanContext,
    findings: list[Finding],
) -> CheckResult:
    """Run one check on its family's facts; never raises."""
    try:
        hits = list(check.inspect(facts, ctx))
    except NotApplicable as err:
        return CheckResult(
            check=check.id, family=family, status=Status.PASS, reason=_reason(err)
        )
    except CheckUnknown as err:
        return CheckResult(
            check=check.id, family=family, status=Status.UNKNOWN, reason=_reason(err)
        )
    except Exception as err:  # noqa: BLE001 - one broken check must not stop the others
        LOGGER.debug("Check %s failed", check.id, exc_info=True)
        return CheckResult(
            check=check.id,
            family=family,
            status=Status.UNKNOWN,
            reason=f"check failed: {_unexpected(err)}",
        )
    seen: set[str] = set()
    for hit in hits:
        if hit.subject in seen:
            continue
        seen.add(hit.subject)
        findings.append(
            Finding(
                check=check.id,
                family=family,
                severity=hit.severity or check.severity,
                title=hit.title,
                subject=hit.subject,
                file=hit.file,
                line=hit.line,
                key=hit.key,
                learn_more_url=check.learn_more_url,
                placeholders=hit.placeholders,
            )
        )
    if not hits:
        return CheckResult(check=check.id, family=family, status=Status.PASS)
    summary = None
    if check.summary is not None:
        try:
            summary = check.summary(facts)
        except Exception:  # noqa: BLE001 - a summary must not hide the findings
            LOGGER.debug("Summary of %s failed", check.id, exc_info=True)
    return CheckResult(
        check=check.id, family=family, status=Status.FAIL, reason=summary
    )


async def async_scan(
    providers: Iterable[FamilyChecks[Any]], ctx: ScanContext, disabled: frozenset[str]
) -> ScanOutcome:
    """Run every family in turn."""
    results: list[CheckResult] = []
    findings: list[Finding] = []
    metrics: dict[str, Any] = {}
    for provider in providers:
        await async_run_family(provider, ctx, disabled, results, findings, metrics)
    return ScanOutcome(
        checks=tuple(results),
        findings=tuple(findings),
        notes=tuple(ctx.notes),
        metrics=metrics,
    )
