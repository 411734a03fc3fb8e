"""The engine: facts gathered once and only when needed; failures stay with their checks."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from homeassistant.core import HomeAssistant
import pytest

from custom_components.security_posture.engine import (
    Cache,
    Check,
    CheckUnknown,
    Fact,
    Facts,
    Metric,
    NotApplicable,
    ScanContext,
    ScanOptions,
    Slot,
    UndeclaredFactError,
    async_scan,
)
from custom_components.security_posture.model import Family, Hit, Severity, Status


def _ctx(hass: HomeAssistant, *disabled: str) -> ScanContext:
    return ScanContext(
        hass=hass,
        config_dir=Path("/nonexistent"),
        now=datetime.now(UTC),
        options=ScanOptions(disabled_checks=frozenset(disabled)),
    )


class Counted:
    """A fact whose gathering is counted (or fails as told)."""

    def __init__(self, name: str, value: int = 7, error: Exception | None = None):
        self.calls = 0
        self.value = value
        self.error = error
        self.fact = Fact[int](name=name, gather=self._gather)

    async def _gather(self, ctx: ScanContext) -> int:
        self.calls += 1
        if self.error is not None:
            raise self.error
        return self.value


SEVEN = Counted("seven")


def _check(
    check_id: str,
    behaviour: object,
    needs: tuple[Fact[object], ...] = (SEVEN.fact,),
    family: Family = Family.HOST,
) -> Check:
    def inspect(facts: Facts) -> Iterable[Hit]:
        if isinstance(behaviour, BaseException):
            raise behaviour
        for fact in needs:
            assert facts[fact] == 7
        return behaviour  # type: ignore[return-value]

    return Check(
        id=check_id,
        family=family,
        severity=Severity.MEDIUM,
        learn_more_url="u",
        needs=needs,
        inspect=inspect,
    )


async def test_outcomes_of_checks(hass: HomeAssistant) -> None:
    checks = (
        _check("ok", []),
        _check(
            "hits",
            [
                Hit(subject="a", title="A"),
                Hit(subject="b", title="B", severity=Severity.CRITICAL),
                Hit(subject="a", title="A again"),
            ],
        ),
        _check("broken", ValueError("boom")),
        _check("cannot", CheckUnknown("no sshd_config")),
        _check("na", NotApplicable("no certificate configured")),
        _check("off", []),
    )
    metric = Metric[int](
        name="facts", needs=(SEVEN.fact,), compute=lambda facts: facts[SEVEN.fact]
    )
    outcome = await async_scan(checks, (metric,), _ctx(hass, "off"))
    statuses = {r.check: (r.status, r.reason) for r in outcome.checks}
    assert statuses == {
        "off": (Status.DISABLED, None),
        "ok": (Status.PASS, None),
        "hits": (Status.FAIL, None),
        "broken": (Status.UNKNOWN, "check failed: ValueError"),
        "cannot": (Status.UNKNOWN, "no sshd_config"),
        "na": (Status.PASS, "no certificate configured"),
    }
    assert [r.check for r in outcome.checks] == [c.id for c in checks]
    assert [(f.subject, f.severity, f.title) for f in outcome.findings] == [
        ("a", Severity.MEDIUM, "A"),
        ("b", Severity.CRITICAL, "B"),
    ]
    assert outcome.findings[0].learn_more_url == "u"
    assert outcome.metrics == {"facts": 7}
    assert metric.value_in(outcome.metrics) == 7


async def test_a_fact_is_gathered_once_and_only_when_needed(
    hass: HomeAssistant,
) -> None:
    shared, unused, only_disabled = Counted("shared"), Counted("unused"), Counted("off")
    checks = (
        _check("a", [], needs=(shared.fact,)),
        _check("b", [], needs=(shared.fact,)),
        _check("c", [], needs=(only_disabled.fact,)),
    )
    outcome = await async_scan(checks, (), _ctx(hass, "c"))
    assert [r.status for r in outcome.checks] == [
        Status.PASS,
        Status.PASS,
        Status.DISABLED,
    ]
    assert (shared.calls, unused.calls, only_disabled.calls) == (1, 0, 0)


async def test_a_failed_fact_makes_only_its_checks_unknown(hass: HomeAssistant) -> None:
    unreadable = Counted("sshd", error=CheckUnknown("sshd_config is not readable"))
    crashing = Counted("the disk", error=OSError("disk on fire /secret/path"))
    good = Counted("good")
    checks = (
        _check("a", [], needs=(unreadable.fact,)),
        _check("a2", [], needs=(good.fact, unreadable.fact)),
        _check("b", [], needs=(crashing.fact,), family=Family.UPDATES),
        _check("c", [Hit(subject="s", title="t")], needs=(good.fact,)),
    )
    metric = Metric[int](
        name="m", needs=(crashing.fact,), compute=lambda facts: facts[crashing.fact]
    )
    broken_metric = Metric[int](name="n", needs=(good.fact,), compute=lambda _: 1 // 0)
    outcome = await async_scan(checks, (metric, broken_metric), _ctx(hass))
    assert [(r.check, r.status, r.reason) for r in outcome.checks] == [
        ("a", Status.UNKNOWN, "sshd_config is not readable"),
        ("a2", Status.UNKNOWN, "sshd_config is not readable"),
        # An unexpected error is named by its type: its message may quote what was read.
        ("b", Status.UNKNOWN, "could not read the disk: OSError"),
        ("c", Status.FAIL, None),
    ]
    # A failure is remembered for the scan: the reader is not asked again.
    assert (unreadable.calls, crashing.calls, good.calls) == (1, 1, 1)
    assert outcome.metrics == {}


async def test_facts_may_need_facts(hass: HomeAssistant) -> None:
    base = Counted("base")

    async def doubled(ctx: ScanContext) -> int:
        return 2 * await ctx.fact(base.fact)

    double = Fact[int](name="double", gather=doubled)

    def inspect(facts: Facts) -> list[Hit]:
        return [Hit(subject=str(facts[double]), title="t")]

    check = Check(
        id="x",
        family=Family.HOST,
        severity=Severity.LOW,
        learn_more_url="u",
        needs=(double, base.fact),
        inspect=inspect,
    )
    outcome = await async_scan((check,), (), _ctx(hass))
    assert [f.subject for f in outcome.findings] == ["14"]
    assert base.calls == 1


async def test_an_undeclared_fact_is_refused(hass: HomeAssistant) -> None:
    other = Counted("other")

    def inspect(facts: Facts) -> list[Hit]:
        facts[other.fact]
        return []

    check = Check(
        id="sneaky",
        family=Family.HOST,
        severity=Severity.LOW,
        learn_more_url="u",
        needs=(),
        inspect=inspect,
    )
    outcome = await async_scan((check,), (), _ctx(hass))
    assert outcome.checks[0].status is Status.UNKNOWN
    assert outcome.checks[0].reason == "check failed: UndeclaredFactError"
    assert other.calls == 0
    facts = Facts({}, now=datetime.now(UTC))
    with pytest.raises(UndeclaredFactError, match="other is not among"):
        facts[other.fact]


async def test_notes_are_collected(hass: HomeAssistant) -> None:
    async def noting(ctx: ScanContext) -> int:
        ctx.note(Family.SECRETS, "not UTF-8", "bad.yaml")
        return 7

    fact = Fact[int](name="noting", gather=noting)
    outcome = await async_scan((_check("a", [], needs=(fact,)),), (), _ctx(hass))
    assert [(n.file, n.reason) for n in outcome.notes] == [("bad.yaml", "not UTF-8")]


async def test_summary_of_a_failed_check(hass: HomeAssistant) -> None:
    """A failed check's result carries its summary; a broken summary hides nothing."""

    def hits(facts: Facts) -> Iterable[Hit]:
        return [Hit(subject="a", title="A")] if facts[SEVEN.fact] else []

    def summary(facts: Facts) -> str:
        return f"{facts[SEVEN.fact]} things"

    def broken(facts: Facts) -> str:
        raise ValueError(facts)

    checks = tuple(
        Check(
            id=check_id,
            family=Family.HOST,
            severity=Severity.LOW,
            learn_more_url="u",
            needs=(SEVEN.fact,),
            inspect=hits,
            summary=summarize,
        )
        for check_id, summarize in (("summed", summary), ("broken", broken))
    )
    outcome = await async_scan(checks, (), _ctx(hass))
    assert [(r.check, r.status, r.reason) for r in outcome.checks] == [
        ("summed", Status.FAIL, "7 things"),
        ("broken", Status.FAIL, None),
    ]
    assert len(outcome.findings) == 2


def test_cache_slots_live_between_scans() -> None:
    cache = Cache()
    slot = Slot[list[int]](name="numbers", factory=list)
    cache.get(slot).append(1)
    assert cache.get(slot) == [1]
    assert Cache().get(slot) == []


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({}, ScanOptions()),
        (
            {
                "disabled_checks": ["a", 3],
                "certificate_warning_days": 12.0,
                "sshd_config": "/x",
            },
            ScanOptions(
                disabled_checks=frozenset({"a"}),
                certificate_warning_days=12,
                sshd_config="/x",
            ),
        ),
        (
            {
                "disabled_checks": "a",
                "certificate_warning_days": True,
                "sshd_config": "",
            },
            ScanOptions(),
        ),
    ],
)
def test_options_are_typed_once(
    options: dict[str, object], expected: ScanOptions
) -> None:
    assert ScanOptions.from_entry(options) == expected
