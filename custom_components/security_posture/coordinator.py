"""The coordinator: runs scans, applies ignores and tracks what changed between scans."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
import time
from typing import TYPE_CHECKING, override

from homeassistant.config_entries import ConfigEntry
from homeassistant.helpers.debounce import Debouncer
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator
from homeassistant.util import dt as dt_util

from .checks.registry import CHECKS, METRICS
from .const import (
    CONF_SCAN_INTERVAL,
    DEFAULT_SCAN_INTERVAL_HOURS,
    DOMAIN,
    LOGGER,
    REFRESH_COOLDOWN,
)
from .engine import Cache, ScanContext, ScanOptions, ScanOutcome, async_scan
from .events import TransitionFeed
from .login_watch import LoginWatcher
from .model import Family, Finding, Report, Status, Transition, TransitionAction

if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import datetime

    from homeassistant.core import HomeAssistant

    from .store import KnownFinding, PostureStore

type SecurityPostureConfigEntry = ConfigEntry[SecurityPostureCoordinator]


def _summary(finding: Finding) -> KnownFinding:
    return {
        "check": finding.check,
        "family": str(finding.family),
        "severity": str(finding.severity),
        "title": finding.title,
    }


def assemble(
    outcome: ScanOutcome,
    scanned_at: datetime,
    duration_ms: float,
    ignored: frozenset[str],
    known: Mapping[str, KnownFinding],
) -> tuple[Report, tuple[Transition, ...], dict[str, KnownFinding] | None]:
    """The report, what changed since the previous scan, and the findings to remember.

    Pure and blocking (the executor). The last item is None when what is remembered does
    not change.

    Ignored findings change nothing that is announced. A check that could not run this
    time keeps its previous findings: a file briefly unreadable is not a resolved finding.
    """
    report = Report(
        scanned_at=scanned_at,
        duration_ms=duration_ms,
        checks=outcome.checks,
        findings=outcome.findings,
        notes=outcome.notes,
        metrics=outcome.metrics,
    ).with_ignored(ignored)
    report.warm()
    unknown_checks = {r.check for r in report.checks if r.status is Status.UNKNOWN}
    current = report.by_id
    transitions = [
        Transition(action=TransitionAction.NEW, finding_id=fid, **_summary(f))
        for fid, f in current.items()
        if fid not in known and not f.ignored
    ]
    kept = {fid: _summary(f) for fid, f in current.items()}
    for fid, summary in known.items():
        if fid in current:
            continue
        if summary["check"] in unknown_checks:
            kept[fid] = summary
        elif fid not in ignored:
            transitions.append(
                Transition(action=TransitionAction.RESOLVED, finding_id=fid, **summary)
            )
    return report, tuple(transitions), None if kept == known else kept


def _reapply(report: Report, ignored: frozenset[str]) -> Report:
    return report.with_ignored(ignored).warm()


class SecurityPostureCoordinator(DataUpdateCoordinator[Report]):
    """Scan on a schedule and on request; the Report is the data."""

    config_entry: SecurityPostureConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        entry: SecurityPostureConfigEntry,
        store: PostureStore,
    ) -> None:
        """Create the coordinator; no scan happens here."""
        hours = float(
            entry.options.get(CONF_SCAN_INTERVAL, DEFAULT_SCAN_INTERVAL_HOURS)
        )
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=DOMAIN,
            update_interval=timedelta(hours=hours),
            request_refresh_debouncer=Debouncer(
                hass, LOGGER, cooldown=REFRESH_COOLDOWN.total_seconds(), immediate=False
            ),
        )
        self.store = store
        self.transitions: tuple[Transition, ...] = ()
        self.feed = TransitionFeed(hass, entry)
        self._cache = Cache()
        self.logins = LoginWatcher(hass, store, self._cache)
        self._unavailable_families: frozenset[Family] = frozenset()

    async def _async_update_data(self) -> Report:
        """Run every enabled check and assemble the report."""
        self.transitions = ()
        options = self.config_entry.options
        ctx = ScanContext(
            hass=self.hass,
            config_dir=Path(self.hass.config.config_dir),
            now=dt_util.utcnow(),
            options=ScanOptions.from_entry(options),
            cache=self._cache,
        )
        started = time.perf_counter()
        outcome = await async_scan(CHECKS, METRICS, ctx)
        duration_ms = (time.perf_counter() - started) * 1000
        # Thousands of findings make this a few tens of milliseconds: off the event loop.
        report, transitions, kept = await self.hass.async_add_executor_job(
            assemble,
            outcome,
            ctx.now,
            duration_ms,
            self.store.ignored,
            self.store.known_view,
        )
        self.transitions = transitions
        if kept is not None:
            self.store.replace_known(kept)
        self._log_family_availability(report)
        return report

    def _log_family_availability(self, report: Report) -> None:
        """Log once when a family becomes unavailable and once when it is back.

        A family's problem sensor is unavailable when none of its checks could run. Checks
        the user disabled are no failure: a family with nothing but those logs nothing. The
        reasons stay in the report and the diagnostics.
        """
        unavailable = frozenset(
            family
            for family in Family
            if not report.family_ran(family)
            and any(
                r.family is family and r.status is Status.UNKNOWN for r in report.checks
            )
        )
        for family in sorted(unavailable - self._unavailable_families):
            LOGGER.info(
                "The %s checks are unavailable: none of them could run (%s). "
                "The report and the diagnostics say why",
                family.replace("_", " "),
                ", ".join(
                    r.check
                    for r in report.checks
                    if r.family is family and r.status is Status.UNKNOWN
                ),
            )
        for family in sorted(self._unavailable_families - unavailable):
            LOGGER.info("The %s checks are available again", family.replace("_", " "))
        self._unavailable_families = unavailable

    @override
    async def async_shutdown(self) -> None:
        """Stop scanning: the entry is unloaded or Home Assistant stops (the worker too)."""
        await super().async_shutdown()
        await self._cache.async_close()

    @property
    def report(self) -> Report | None:
        """The current report; None until the first scan has run."""
        data: Report | None = self.data
        return data

    async def async_apply_ignores(self) -> None:
        """Re-apply the stored ignores to the current report without rescanning.

        In the executor: with thousands of findings, marking them and recomputing the
        report's views takes tens of milliseconds.
        """
        while (report := self.report) is not None:
            updated = await self.hass.async_add_executor_job(
                _reapply, report, self.store.ignored
            )
            if self.report is report:  # no scan replaced it meanwhile
                self.transitions = ()
                self.async_set_updated_data(updated)
                return

    def finding(self, finding_id: str) -> Finding | None:
        """The finding with this id in the current report."""
        if (report := self.report) is None:
            return None
        return report.by_id.get(finding_id)
