"""The scan engine: gather the facts the enabled checks need, run the checks, collect.

- A **fact** (`Fact[T]`) is a typed key with the coroutine that gathers it (I/O goes to the
  executor). It is gathered at most once per scan, and only when an enabled check or a
  metric needs it. When gathering fails, every check that needs it is `unknown` with the
  reason; the checks that do not need it still run.
- A **check** (`Check`) declares its id, family, severity, the facts it needs and a pure
  function from those facts to hits. One check is one module under `checks/<family>/`.
- A **metric** (`Metric[T]`) is a value for a sensor, derived from facts the same way.

Checks and metrics are pure, but thousands of findings are thousands of objects and hashes:
they run in the executor, not on the event loop.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar, cast, runtime_checkable

from .const import (
    CONF_CERT_WARNING_DAYS,
    CONF_DISABLED_CHECKS,
    CONF_SSHD_CONFIG,
    DEFAULT_CERT_WARNING_DAYS,
    DEFAULT_SSHD_CONFIG,
    LOGGER,
)
from .model import CheckResult, Family, Finding, Note, Status

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
    from datetime import datetime
    from pathlib import Path

    from homeassistant.components.repairs import RepairsFlow
    from homeassistant.core import CALLBACK_TYPE, HomeAssistant

    from .entry import PostureEntry
    from .model import Hit, Severity


class CheckUnknown(Exception):  # noqa: N818 - reads as the outcome it is
    """Raised by a reader or check that cannot decide; the message is the reason."""


class NotApplicable(Exception):  # noqa: N818
    """Raised by a check with nothing to inspect here: it passes, with the message as reason."""


# Covariant: a `Fact[ConfigGraph]` is a `Fact[object]` in a check's `needs`.
T_co = TypeVar("T_co", covariant=True)


class UndeclaredFactError(LookupError):
    """A check asked for a fact it did not declare in `needs`."""


@dataclass(frozen=True, kw_only=True)
class ScanOptions:
    """The entry's options a scan uses, typed once."""

    disabled_checks: frozenset[str] = frozenset()
    certificate_warning_days: int = DEFAULT_CERT_WARNING_DAYS
    sshd_config: str = DEFAULT_SSHD_CONFIG

    @classmethod
    def from_entry(cls, options: Mapping[str, object]) -> ScanOptions:
        """Read the options as the options flow stores them; bad values fall back."""
        disabled = options.get(CONF_DISABLED_CHECKS)
        days = options.get(CONF_CERT_WARNING_DAYS)
        sshd = options.get(CONF_SSHD_CONFIG)
        return cls(
            disabled_checks=frozenset(str(c) for c in disabled if isinstance(c, str))
            if isinstance(disabled, (list, tuple, set, frozenset))
            else frozenset(),
            certificate_warning_days=int(days)
            if isinstance(days, (int, float)) and not isinstance(days, bool)
            else DEFAULT_CERT_WARNING_DAYS,
            sshd_config=sshd if isinstance(sshd, str) and sshd else DEFAULT_SSHD_CONFIG,
        )


@dataclass(frozen=True, kw_only=True, eq=False)
class Slot(Generic[T_co]):  # noqa: UP046 - covariance must be declared
    """A typed place in the cache that lives as long as the config entry."""

    name: str
    factory: Callable[[], T_co]


@runtime_checkable
class Closable(Protocol):
    """A slot's value that holds something to release with the entry (a process)."""

    async def async_close(self) -> None:
        """Release it."""


class Cache:
    """What readers keep between scans (parsed files by mtime, first-seen times)."""

    def __init__(self) -> None:
        """Empty."""
        self._slots: dict[Slot[object], object] = {}

    def get[T](self, slot: Slot[T]) -> T:
        """The slot's value, made by its factory the first time."""
        if slot not in self._slots:
            self._slots[slot] = slot.factory()
        return cast("T", self._slots[slot])

    async def async_close(self) -> None:
        """Release what the slots hold (`Closable`) and forget everything."""
        slots, self._slots = self._slots, {}
        for value in slots.values():
            if isinstance(value, Closable):
                await value.async_close()


@dataclass(frozen=True, kw_only=True, eq=False)
class Fact(Generic[T_co]):  # noqa: UP046 - covariance must be declared
    """A declared fact provider: a typed key and how to gather the fact.

    `gather` may ask for other facts with `await ctx.fact(OTHER)`. It raises `CheckUnknown`
    with a reason (quoting nothing read) when the fact cannot be known. `listen`, when set,
    subscribes to changes that call for a rescan and returns the unsubscribe callback.
    """

    name: str
    gather: Callable[[ScanContext], Awaitable[T_co]]
    listen: Callable[[HomeAssistant, Callable[[], None]], CALLBACK_TYPE] | None = None


@dataclass(kw_only=True)
class ScanContext:
    """What fact providers may use during one scan."""

    hass: HomeAssistant
    config_dir: Path
    now: datetime
    options: ScanOptions = field(default_factory=ScanOptions)
    cache: Cache = field(default_factory=Cache)
    notes: list[Note] = field(default_factory=list)
    _gathered: dict[Fact[object], object] = field(default_factory=dict, repr=False)
    _failed: dict[Fact[object], str] = field(default_factory=dict, repr=False)

    def note(self, family: Family, reason: str, file: str | None = None) -> None:
        """Record something that could not be read; it shows in the report."""
        self.notes.append(Note(family=family, reason=reason, file=file))

    async def fact[T](self, key: Fact[T]) -> T:
        """The fact, gathered on first use in this scan; `CheckUnknown` when it failed."""
        if key in self._failed:
            raise CheckUnknown(self._failed[key])
        if key in self._gathered:
            return cast("T", self._gathered[key])
        try:
            value = await key.gather(self)
        except CheckUnknown as err:
            reason = _reason(err)
        except Exception as err:  # noqa: BLE001 - a broken reader must not stop the scan
            LOGGER.debug("Reading %s failed", key.name, exc_info=True)
            reason = f"could not read {key.name}: {_unexpected(err)}"
        else:
            self._gathered[key] = value
            return value
        self._failed[key] = reason
        raise CheckUnknown(reason)

    async def facts_for(self, needs: Iterable[Fact[object]]) -> Facts:
        """The facts a check or a metric declared, gathered (or `CheckUnknown`)."""
        values = {key: await self.fact(key) for key in needs}
        return Facts(values, now=self.now, options=self.options)


class Facts:
    """What one check sees: the facts it declared, the scan's time and options."""

    __slots__ = ("_values", "now", "options")

    def __init__(
        self,
        values: Mapping[Fact[object], object],
        *,
        now: datetime,
        options: ScanOptions | None = None,
    ) -> None:
        """The gathered values of the declared facts."""
        self._values = values
        self.now = now
        self.options = options or ScanOptions()

    def __getitem__[T](self, key: Fact[T]) -> T:
        """A declared fact's value."""
        try:
            return cast("T", self._values[key])
        except KeyError:
            raise UndeclaredFactError(
                f"{key.name} is not among the check's needs"
            ) from None


type FixFlowFactory = Callable[[PostureEntry, Finding], RepairsFlow]


@dataclass(frozen=True, kw_only=True)
class Check:
    """One check: its id (also the repair's translation key), family, severity and logic.

    `inspect` is pure: from the declared facts to hits. `summary` says what the report
    shows beside a failed check's findings (counts, never values). `fix` is the repair
    flow that fixes a finding; without one the repair offers to accept the risk.
    """

    id: str
    family: Family
    severity: Severity
    learn_more_url: str
    needs: tuple[Fact[object], ...]
    inspect: Callable[[Facts], Iterable[Hit]]
    summary: Callable[[Facts], str | None] | None = None
    fix: FixFlowFactory | None = None


@dataclass(frozen=True, kw_only=True, eq=False)
class Metric[T]:
    """A value for a sensor (for example the certificate's expiry), derived from facts."""

    name: str
    needs: tuple[Fact[object], ...]
    compute: Callable[[Facts], T]

    def value_in(self, metrics: Mapping[str, object]) -> T | None:
        """The value in a report's metrics (None when it could not be computed)."""
        return cast("T | None", metrics.get(self.name))


@dataclass(frozen=True, kw_only=True)
class ScanOutcome:
    """What the engine found, before ignores are applied."""

    checks: tuple[CheckResult, ...]
    findings: tuple[Finding, ...]
    notes: tuple[Note, ...]
    metrics: Mapping[str, object]


def _reason(err: BaseException) -> str:
    """The message of our own `CheckUnknown`/`NotApplicable`, which quote nothing."""
    return str(err) or type(err).__name__


def _unexpected(err: BaseException) -> str:
    """An unexpected error by its type only: its message may quote what was read."""
    return type(err).__name__


async def async_scan(
    checks: Sequence[Check],
    metrics: Sequence[Metric[object]],
    ctx: ScanContext,
) -> ScanOutcome:
    """Gather what the enabled checks and the metrics need, then run them in the executor."""
    disabled = ctx.options.disabled_checks
    results: dict[str, CheckResult] = {}
    ready: list[tuple[Check, Facts]] = []
    for check in checks:
        if check.id in disabled:
            results[check.id] = CheckResult(
                check=check.id, family=check.family, status=Status.DISABLED
            )
            continue
        try:
            ready.append((check, await ctx.facts_for(check.needs)))
        except CheckUnknown as err:
            results[check.id] = CheckResult(
                check=check.id,
                family=check.family,
                status=Status.UNKNOWN,
                reason=_reason(err),
            )
    measurable: list[tuple[Metric[object], Facts]] = []
    for metric in metrics:
        try:
            measurable.append((metric, await ctx.facts_for(metric.needs)))
        except CheckUnknown:
            continue
    ran, found, measured = await ctx.hass.async_add_executor_job(
        _run, ready, measurable
    )
    results.update(ran)
    return ScanOutcome(
        checks=tuple(results[check.id] for check in checks),
        findings=tuple(found),
        notes=tuple(ctx.notes),
        metrics=measured,
    )


def _run(
    ready: list[tuple[Check, Facts]], measurable: list[tuple[Metric[object], Facts]]
) -> tuple[dict[str, CheckResult], list[Finding], dict[str, object]]:
    """Run the checks whose facts are known, and compute the metrics (the executor)."""
    findings: list[Finding] = []
    results = {check.id: run_check(check, facts, findings) for check, facts in ready}
    measured: dict[str, object] = {}
    for metric, facts in measurable:
        try:
            measured[metric.name] = metric.compute(facts)
        except Exception:  # noqa: BLE001 - a metric must not stop the scan
            LOGGER.debug("Metric %s failed", metric.name, exc_info=True)
    return results, findings, measured


def run_check(check: Check, facts: Facts, findings: list[Finding]) -> CheckResult:
    """Run one check on its facts, adding its findings; never raises."""
    family = check.family
    try:
        hits = list(check.inspect(facts))
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
