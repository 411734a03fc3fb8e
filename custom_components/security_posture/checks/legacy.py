"""Families written before one-module-per-check, run as declared checks until moved.

Each legacy family's facts become one `Fact`, and each of its checks a `Check` that needs
it. Nothing new is written this way: see docs/ADDING_A_CHECK.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from ..engine import Check, Fact, Facts, Metric, ScanContext, Slot

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Iterable, Mapping

    from homeassistant.core import CALLBACK_TYPE, HomeAssistant

    from ..model import Family, Hit, Severity

LEGACY_CACHE: Final = Slot[dict[str, Any]](name="legacy families", factory=dict)


def legacy_cache(ctx: ScanContext) -> dict[str, Any]:
    """The string-keyed cache the legacy families share."""
    return ctx.cache.get(LEGACY_CACHE)


@dataclass(frozen=True, kw_only=True)
class LegacyCheck[FactsT]:
    """A check of a legacy family."""

    id: str
    severity: Severity
    learn_more_url: str
    inspect: Callable[[FactsT, ScanContext], Iterable[Hit]]
    summary: Callable[[FactsT], str | None] | None = None


@dataclass(frozen=True, kw_only=True)
class FamilyChecks[FactsT]:
    """A legacy family: how to gather its facts, its checks and its metrics."""

    family: Family
    gather: Callable[[ScanContext], Awaitable[FactsT]]
    checks: tuple[LegacyCheck[FactsT], ...]
    metrics: Callable[[FactsT, ScanContext], Mapping[str, Any]] | None = None
    metric_names: tuple[str, ...] = ()
    listen: Callable[[HomeAssistant, Callable[[], None]], CALLBACK_TYPE] | None = None


def adapt[FactsT](
    family: FamilyChecks[FactsT],
) -> tuple[tuple[Check, ...], tuple[Metric[object], ...]]:
    """The family's checks and metrics as declared ones."""

    async def gather(ctx: ScanContext) -> tuple[FactsT, ScanContext]:
        return await family.gather(ctx), ctx

    fact = Fact[tuple[FactsT, ScanContext]](
        name=f"the {family.family.replace('_', ' ')} facts",
        gather=gather,
        listen=family.listen,
    )

    def inspect(check: LegacyCheck[FactsT]) -> Callable[[Facts], Iterable[Hit]]:
        return lambda facts: check.inspect(*facts[fact])

    def summary(
        check: LegacyCheck[FactsT],
    ) -> Callable[[Facts], str | None] | None:
        if (summarize := check.summary) is None:
            return None
        return lambda facts: summarize(facts[fact][0])

    checks = tuple(
        Check(
            id=check.id,
            family=family.family,
            severity=check.severity,
            learn_more_url=check.learn_more_url,
            needs=(fact,),
            inspect=inspect(check),
            summary=summary(check),
        )
        for check in family.checks
    )

    def metric(name: str) -> Metric[object]:
        def compute(facts: Facts) -> object:
            measured = family.metrics(*facts[fact]) if family.metrics else {}
            return measured.get(name)

        return Metric(name=name, needs=(fact,), compute=compute)

    return checks, tuple(metric(name) for name in family.metric_names)
