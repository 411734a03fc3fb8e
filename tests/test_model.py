"""Score, grade, ids and the report's public form."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from custom_components.security_posture.model import (
    CheckResult,
    Family,
    Finding,
    Note,
    Report,
    Severity,
    Status,
    finding_id,
)


def _finding(
    severity: Severity, subject: str = "s", *, ignored: bool = False
) -> Finding:
    return Finding(
        check="inline_credential",
        family=Family.SECRETS,
        severity=severity,
        title="t",
        subject=subject,
        ignored=ignored,
    )


def _report(*findings: Finding) -> Report:
    return Report(
        scanned_at=datetime(2026, 1, 1, tzinfo=UTC),
        duration_ms=1.5,
        checks=(
            CheckResult(
                check="inline_credential", family=Family.SECRETS, status=Status.FAIL
            ),
        ),
        findings=findings,
        notes=(Note(family=Family.SECRETS, reason="broken", file="a.yaml"),),
    )


@pytest.mark.parametrize(
    ("severities", "score", "grade"),
    [
        ((), 100, "A"),
        ((Severity.INFO,) * 5, 100, "A"),
        ((Severity.LOW,) * 3, 91, "A"),
        ((Severity.LOW,) * 4, 88, "B"),
        ((Severity.MEDIUM,) * 3, 76, "B"),
        ((Severity.MEDIUM,) * 4, 68, "C"),
        ((Severity.MEDIUM,) * 5, 60, "C"),
        ((Severity.HIGH,), 80, "B"),
        ((Severity.HIGH, Severity.MEDIUM, Severity.MEDIUM), 64, "C"),
        ((Severity.HIGH,) * 3, 40, "D"),
        ((Severity.CRITICAL,), 60, "D"),
        ((Severity.CRITICAL, Severity.HIGH), 40, "D"),
        ((Severity.CRITICAL, Severity.CRITICAL, Severity.HIGH), 0, "F"),
        ((Severity.CRITICAL,) * 4, 0, "F"),
    ],
)
def test_score_and_grade(
    severities: tuple[Severity, ...], score: int, grade: str
) -> None:
    report = _report(*(_finding(s, str(i)) for i, s in enumerate(severities)))
    assert report.score == score
    assert report.grade == grade


def test_ignored_findings_cost_nothing() -> None:
    report = _report(_finding(Severity.CRITICAL, ignored=True))
    assert report.score == 100
    assert report.grade == "A"
    assert report.active_findings == ()


def test_finding_id_is_stable_and_ignores_line() -> None:
    a = Finding(
        check="c",
        family=Family.HOST,
        severity=Severity.LOW,
        title="x",
        subject="f.yaml:a.b",
        line=3,
    )
    b = Finding(
        check="c",
        family=Family.HOST,
        severity=Severity.HIGH,
        title="y",
        subject="f.yaml:a.b",
        line=9,
    )
    assert a.id == b.id == finding_id("c", "f.yaml:a.b")
    assert a.id.startswith("c_")
    assert finding_id("c", "other") != a.id
    assert finding_id("d", "f.yaml:a.b") != a.id


def test_with_ignored_and_public_form() -> None:
    finding = _finding(Severity.HIGH)
    report = _report(finding).with_ignored(frozenset({finding.id}))
    data = report.as_dict()
    assert data["score"] == 100
    assert data["grade"] == "A"
    assert data["scanned_at"] == "2026-01-01T00:00:00+00:00"
    assert data["findings"] == [
        {
            "id": finding.id,
            "check": "inline_credential",
            "family": "secrets",
            "severity": "high",
            "title": "t",
            "subject": "s",
            "file": None,
            "line": None,
            "key": None,
            "ignored": True,
            "learn_more_url": None,
        }
    ]
    assert data["checks"] == [
        {
            "check": "inline_credential",
            "family": "secrets",
            "status": "fail",
            "reason": None,
        }
    ]
    assert data["notes"] == [
        {"family": "secrets", "file": "a.yaml", "reason": "broken"}
    ]
    # Un-ignoring returns the same finding object when nothing changes.
    again = report.with_ignored(frozenset({finding.id}))
    assert again.findings[0] is report.findings[0]


def test_family_ran() -> None:
    report = _report()
    assert report.family_ran(Family.SECRETS)
    assert not report.family_ran(Family.HOST)
