"""The data model: findings, check results and the report. No Home Assistant here."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import cached_property
import hashlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import datetime


class Severity(StrEnum):
    """How bad a finding is."""

    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def penalty(self) -> int:
        """Points this severity costs the score."""
        return _PENALTY[self]

    @property
    def rank(self) -> int:
        """Ordering: critical is 4, info is 0."""
        return _RANK[self]


_PENALTY = {
    Severity.CRITICAL: 40,
    Severity.HIGH: 20,
    Severity.MEDIUM: 8,
    Severity.LOW: 3,
    Severity.INFO: 0,
}
_RANK = {
    Severity.CRITICAL: 4,
    Severity.HIGH: 3,
    Severity.MEDIUM: 2,
    Severity.LOW: 1,
    Severity.INFO: 0,
}


class Family(StrEnum):
    """A group of checks with one binary sensor."""

    SECRETS = "secrets"
    UPDATES = "updates"
    REMOTE_ACCESS = "remote_access"
    AUTHENTICATION = "authentication"
    HOST = "host"
    EXPOSURE = "exposure"
    SUPPLY_CHAIN = "supply_chain"


class TransitionAction(StrEnum):
    """What happened to a finding between two scans (the `action` of its events)."""

    NEW = "new"
    RESOLVED = "resolved"


@dataclass(frozen=True, slots=True, kw_only=True)
class Transition:
    """A finding that appeared or went away since the previous scan."""

    action: TransitionAction
    finding_id: str
    check: str
    family: str
    severity: str
    title: str

    def as_event_data(self) -> dict[str, str]:
        """The data of the bus event and of the event entity."""
        return {
            "action": self.action.value,
            "finding_id": self.finding_id,
            "check": self.check,
            "family": self.family,
            "severity": self.severity,
            "title": self.title,
        }


class Status(StrEnum):
    """Outcome of one check."""

    PASS = "pass"  # noqa: S105 - a status, not a password
    FAIL = "fail"
    UNKNOWN = "unknown"
    DISABLED = "disabled"


@dataclass(frozen=True, kw_only=True)
class Hit:
    """What a check reports about one subject; the engine turns it into a Finding.

    `subject` identifies the thing (file and key path, entity id, user id, add-on slug)
    and must be stable across scans: it is what the finding id is derived from.
    `placeholders` fill the repair issue's text. Never put a credential's value anywhere here.
    """

    subject: str
    title: str
    severity: Severity | None = None
    file: str | None = None
    line: int | None = None
    key: str | None = None
    placeholders: Mapping[str, str] = field(default_factory=dict)


MAX_REPAIRS_PER_CHECK = 30
"""A check raises at most this many repair issues; one more says how many the report holds."""


def finding_id(check: str, subject: str) -> str:
    """Return the stable id of the finding of `check` about `subject`."""
    digest = hashlib.sha256(f"{check}\0{subject}".encode()).hexdigest()[:12]
    return f"{check}_{digest}"


@dataclass(frozen=True, kw_only=True, slots=True)
class Finding:
    """One active problem.

    Slots, and the id computed once when the finding is made (in the executor): a report
    can hold thousands, and each object less is less for the garbage collector to walk.
    """

    check: str
    family: Family
    severity: Severity
    title: str
    subject: str
    file: str | None = None
    line: int | None = None
    key: str | None = None
    learn_more_url: str | None = None
    placeholders: Mapping[str, str] = field(default_factory=dict)
    ignored: bool = False
    id: str = field(init=False, repr=False, compare=False)
    """Stable id: derived from the check and the subject, never from a line."""

    def __post_init__(self) -> None:
        """Compute the id."""
        object.__setattr__(self, "id", finding_id(self.check, self.subject))

    @property
    def active(self) -> bool:
        """Whether the finding is not ignored (its risk is not accepted)."""
        return not self.ignored

    @property
    def counts(self) -> bool:
        """Whether the finding counts: active and of severity low or above.

        The one rule for every number: such a finding has an active repair issue, turns its
        family's problem sensor on and is counted by the sensors. An info finding is advice
        (no repair, no cost); an accepted risk is listed, never counted.
        """
        return self.active and self.severity is not Severity.INFO

    def as_dict(self) -> dict[str, Any]:
        """Return the report form of the finding."""
        return {
            "id": self.id,
            "check": self.check,
            "family": str(self.family),
            "severity": str(self.severity),
            "title": self.title,
            "subject": self.subject,
            "file": self.file,
            "line": self.line,
            "key": self.key,
            "ignored": self.ignored,
            "learn_more_url": self.learn_more_url,
        }


@dataclass(frozen=True, kw_only=True)
class CheckResult:
    """Outcome of one check in one scan."""

    check: str
    family: Family
    status: Status
    reason: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """Return the report form of the result."""
        return {
            "check": self.check,
            "family": str(self.family),
            "status": str(self.status),
            "reason": self.reason,
        }


@dataclass(frozen=True, kw_only=True)
class Note:
    """Something the scan could not read, named by file (relative) where there is one."""

    family: Family
    reason: str
    file: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """Return the report form of the note."""
        return {"family": str(self.family), "file": self.file, "reason": self.reason}


def score_of(findings: tuple[Finding, ...]) -> int:
    """Score from 100 down, as the specification defines it."""
    return max(0, 100 - sum(f.severity.penalty for f in findings if f.active))


def grade_of(findings: tuple[Finding, ...]) -> str:
    """Letter grade from the score, capped by critical and high findings."""
    score = score_of(findings)
    grade = next(
        (
            g
            for g, floor in (("A", 90), ("B", 75), ("C", 60), ("D", 40))
            if score >= floor
        ),
        "F",
    )
    severities = {f.severity for f in findings if f.active}
    if Severity.CRITICAL in severities and grade < "D":
        return "D"
    if Severity.HIGH in severities and grade < "B":
        return "B"
    return grade


@dataclass(frozen=True, kw_only=True)
class Report:
    """The result of one scan, with ignores applied."""

    scanned_at: datetime
    duration_ms: float
    checks: tuple[CheckResult, ...]
    findings: tuple[Finding, ...]
    notes: tuple[Note, ...] = ()
    metrics: Mapping[str, object] = field(default_factory=dict)

    # Entities, repairs and services read these often; a report with thousands of findings
    # computes each once (`warm` computes them all, in the executor).

    @cached_property
    def score(self) -> int:
        """0 to 100, higher is better."""
        return score_of(self.findings)

    @cached_property
    def grade(self) -> str:
        """A to F."""
        return grade_of(self.findings)

    @cached_property
    def active_findings(self) -> tuple[Finding, ...]:
        """Findings that are not ignored."""
        return tuple(f for f in self.findings if f.active)

    @cached_property
    def counted_findings(self) -> tuple[Finding, ...]:
        """Findings that count (see `Finding.counts`)."""
        return tuple(f for f in self.findings if f.counts)

    @cached_property
    def accepted_findings(self) -> tuple[Finding, ...]:
        """Accepted risks that have a repair issue (marked ignored): severity low or above."""
        return tuple(
            f for f in self.findings if f.ignored and f.severity is not Severity.INFO
        )

    @cached_property
    def _by_family(self) -> Mapping[Family, tuple[Finding, ...]]:
        grouped: dict[Family, list[Finding]] = {family: [] for family in Family}
        for finding in self.counted_findings:
            grouped[finding.family].append(finding)
        return {family: tuple(found) for family, found in grouped.items()}

    def family_findings(self, family: Family) -> tuple[Finding, ...]:
        """Findings of one family that count."""
        return self._by_family[family]

    @cached_property
    def severity_counts(self) -> Mapping[Severity, int]:
        """Findings that count per severity (low or above: they add up to the count)."""
        counts: dict[Severity, int] = {
            severity: 0 for severity in Severity if severity is not Severity.INFO
        }
        for finding in self.counted_findings:
            counts[finding.severity] += 1
        return counts

    @cached_property
    def check_counts(self) -> Mapping[str, int]:
        """Findings that count per check."""
        counts: dict[str, int] = {}
        for finding in self.counted_findings:
            counts[finding.check] = counts.get(finding.check, 0) + 1
        return counts

    def count_of_check(self, check: str) -> int | None:
        """Findings of one check that count; None when the check did not run."""
        result = next((r for r in self.checks if r.check == check), None)
        if result is None or result.status not in (Status.PASS, Status.FAIL):
            return None
        return self.check_counts.get(check, 0)

    @cached_property
    def by_id(self) -> Mapping[str, Finding]:
        """Every finding by its id."""
        return {f.id: f for f in self.findings}

    @cached_property
    def for_repairs(
        self,
    ) -> tuple[tuple[Finding, ...], Mapping[str, tuple[Finding, ...]]]:
        """The findings that get a repair issue, and per check those beyond the limit.

        Those of severity low or above: the ones that count, and accepted risks (their issue
        is marked ignored). A check with more than `MAX_REPAIRS_PER_CHECK` lists the ones
        that count first, most severe first (then by file, line, subject), and leaves the
        rest of those that count to one issue that counts them.
        """
        by_check: dict[str, list[Finding]] = {}
        for finding in self.findings:
            if finding.severity is not Severity.INFO:
                by_check.setdefault(finding.check, []).append(finding)
        listed: list[Finding] = []
        unlisted: dict[str, tuple[Finding, ...]] = {}
        for check, found in by_check.items():
            if len(found) > MAX_REPAIRS_PER_CHECK:
                found.sort(
                    key=lambda f: (
                        f.ignored,
                        -f.severity.rank,
                        f.file or "",
                        f.line or 0,
                        f.subject,
                    )
                )
                if rest := tuple(f for f in found[MAX_REPAIRS_PER_CHECK:] if f.counts):
                    unlisted[check] = rest
            listed.extend(found[:MAX_REPAIRS_PER_CHECK])
        return tuple(listed), unlisted

    def warm(self) -> Report:
        """Compute every cached view now (call it off the event loop); return the report."""
        _ = (self.score, self.grade, self.counted_findings, self.accepted_findings)
        _ = (self._by_family, self.severity_counts, self.check_counts)
        _ = (self.by_id, self.for_repairs)
        return self

    def family_ran(self, family: Family) -> bool:
        """Whether at least one check of the family could run (passed or failed)."""
        return any(
            r.family is family and r.status in (Status.PASS, Status.FAIL)
            for r in self.checks
        )

    def with_ignored(self, ignored: frozenset[str]) -> Report:
        """Return the report with the ignored flag set from `ignored` finding ids."""
        return replace(
            self,
            findings=tuple(
                f
                if f.ignored == (f.id in ignored)
                else replace(f, ignored=f.id in ignored)
                for f in self.findings
            ),
        )

    def as_dict(self) -> dict[str, Any]:
        """Return the public report: no secret values are ever part of it."""
        return {
            "score": self.score,
            "grade": self.grade,
            "scanned_at": self.scanned_at.isoformat(),
            "duration_ms": round(self.duration_ms, 3),
            "checks": [c.as_dict() for c in self.checks],
            "findings": [f.as_dict() for f in self.findings],
            "notes": [n.as_dict() for n in self.notes],
        }
