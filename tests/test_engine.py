"""The engine: failures become `unknown`, the other checks still run."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from homeassistant.core import HomeAssistant

from custom_components.security_posture.engine import (
    Check,
    CheckUnknown,
    FamilyChecks,
    NotApplicable,
    ScanContext,
    async_scan,
)
from custom_components.security_posture.model import Family, Hit, Severity, Status


def _ctx(hass: HomeAssistant) -> ScanContext:
    return ScanContext(
        hass=hass, config_dir=Path("/nonexistent"), now=datetime.now(UTC), options={}
    )


def _check(check_id: str, behaviour: object) -> Check[int]:
    def inspect(facts: int, ctx: ScanContext) -> Iterable[Hit]:
        if isinstance(behaviour, BaseException):
            raise behaviour
        assert facts == 7
        return behaviour  # type: ignore[return-value]

    return Check(
        id=check_id, severity=Severity.MEDIUM, learn_more_url="u", inspect=inspect
    )


async def _facts(ctx: ScanContext) -> int:
    return 7


async def test_outcomes_of_checks(hass: HomeAssistant) -> None:
    family = FamilyChecks(
        family=Family.HOST,
        gather=_facts,
        checks=(
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
        ),
        metrics=lambda facts, ctx: {"facts": facts},
    )
    outcome = await async_scan([family], _ctx(hass), frozenset({"off"}))
    statuses = {r.check: (r.status, r.reason) for r in outcome.checks}
    assert statuses == {
        "off": (Status.DISABLED, None),
        "ok": (Status.PASS, None),
        "hits": (Status.FAIL, None),
        "broken": (Status.UNKNOWN, "check failed: ValueError"),
        "cannot": (Status.UNKNOWN, "no sshd_config"),
        "na": (Status.PASS, "no certificate configured"),
    }
    assert [(f.subject, f.severity, f.title) for f in outcome.findings] == [
        ("a", Severity.MEDIUM, "A"),
        ("b", Severity.CRITICAL, "B"),
    ]
    assert outcome.findings[0].learn_more_url == "u"
    assert outcome.metrics == {"facts": 7}


async def test_gather_failure_makes_the_family_unknown(hass: HomeAssistant) -> None:
    async def unreadable(ctx: ScanContext) -> int:
        raise CheckUnknown("sshd_config is not readable")

    async def crashing(ctx: ScanContext) -> int:
        raise OSError("disk on fire")

    def bad_metrics(facts: int, ctx: ScanContext) -> dict[str, int]:
        raise KeyError("x")

    families = [
        FamilyChecks(family=Family.HOST, gather=unreadable, checks=(_check("a", []),)),
        FamilyChecks(family=Family.UPDATES, gather=crashing, checks=(_check("b", []),)),
        FamilyChecks(
            family=Family.SECRETS,
            gather=_facts,
            checks=(_check("c", [Hit(subject="s", title="t")]),),
            metrics=bad_metrics,
        ),
        FamilyChecks(
            family=Family.REMOTE_ACCESS, gather=crashing, checks=(_check("d", []),)
        ),
    ]
    outcome = await async_scan(families, _ctx(hass), frozenset({"d"}))
    assert [(r.check, r.status, r.reason) for r in outcome.checks] == [
        ("a", Status.UNKNOWN, "sshd_config is not readable"),
        ("b", Status.UNKNOWN, "could not read: OSError"),
        ("c", Status.FAIL, None),
        ("d", Status.DISABLED, None),
    ]
    assert outcome.metrics == {}


async def test_notes_are_collected(hass: HomeAssistant) -> None:
    async def noting(ctx: ScanContext) -> int:
        ctx.note(Family.SECRETS, "not UTF-8", "bad.yaml")
        return 7

    family = FamilyChecks(
        family=Family.SECRETS, gather=noting, checks=(_check("a", []),)
    )
    outcome = await async_scan([family], _ctx(hass), frozenset())
    assert [(n.file, n.reason) for n in outcome.notes] == [("bad.yaml", "not UTF-8")]


async def test_summary_of_a_failed_check(hass: HomeAssistant) -> None:
    """A failed check's result carries its summary; a broken summary hides nothing."""

    def hits(facts: int, ctx: ScanContext) -> Iterable[Hit]:
        return [Hit(subject="a", title="A")] if facts else []

    def summary(facts: int) -> str:
        return f"{facts} things"

    def broken(facts: int) -> str:
        raise ValueError(facts)

    family = FamilyChecks(
        family=Family.HOST,
        gather=_facts,
        checks=(
            Check(
                id="summed",
                severity=Severity.LOW,
                learn_more_url="u",
                inspect=hits,
                summary=summary,
            ),
            Check(
                id="broken",
                severity=Severity.LOW,
                learn_more_url="u",
                inspect=hits,
                summary=broken,
            ),
        ),
    )
    outcome = await async_scan([family], _ctx(hass), frozenset())
    assert [(r.check, r.status, r.reason) for r in outcome.checks] == [
        ("summed", Status.FAIL, "7 things"),
        ("broken", Status.FAIL, None),
    ]
    assert len(outcome.findings) == 2
