"""What the command prints: text, JSON (the report's shapes) or SARIF 2.1.0.

Nothing here sees a value: a finding carries its file, line, key path, kind and title, as in
the integration's report, and the titles never quote a credential or a secret.
"""

from __future__ import annotations

import json
from pathlib import Path
import sys
from typing import TYPE_CHECKING, Any, Final

from custom_components.security_posture.model import Severity, Status

from . import INTEGRATION

if TYPE_CHECKING:
    from collections.abc import Sequence

    from custom_components.security_posture.engine import Check
    from custom_components.security_posture.model import Finding

    from .scan import ScanResult

SARIF_SCHEMA: Final = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION: Final = "2.1.0"
FINGERPRINT: Final = "securityPostureFinding/v1"
"""The finding's stable id (from its check and subject, never its line) for code scanning."""
_LEVELS: Final = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "warning",
    Severity.INFO: "note",
}
# GitHub code scanning ranks security results by this score (CVSS-like, 0.1 to 10).
_SECURITY_SEVERITY: Final = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "3.0",
}


def _integration_file(name: str) -> dict[str, Any]:
    """One of the integration's JSON files (its manifest, its texts)."""
    package = sys.modules[INTEGRATION]
    folder = Path(next(iter(package.__path__)))
    loaded: dict[str, Any] = json.loads((folder / name).read_text(encoding="utf-8"))
    return loaded


def _where(finding: Finding) -> str:
    if finding.file is None:
        return "-"
    return finding.file if finding.line is None else f"{finding.file}:{finding.line}"


def text(result: ScanResult) -> str:
    """One line per finding (`file:line: severity check key: title`), then what is unknown."""
    lines = [
        f"{_where(f)}: {f.severity} {f.check}"
        + (f" {f.key}" if f.key else "")
        + f": {f.title}"
        for f in result.findings
    ]
    unknown: dict[str, list[str]] = {}
    for c in result.checks:
        if c.status is Status.UNKNOWN:
            unknown.setdefault(c.reason or "unknown", []).append(c.check)
    lines.extend(
        f"not checked: {', '.join(checks)}: {reason}"
        for reason, checks in unknown.items()
    )
    lines.extend(f"{note.file or '-'}: note: {note.reason}" for note in result.notes)
    counts = {s: sum(1 for f in result.findings if f.severity is s) for s in Severity}
    summary = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
    total = len(result.findings)
    lines.append(
        f"{total} finding{'s' if total != 1 else ''}"
        + (f" ({summary})" if summary else "")
        + f" from {len(result.checks)} checks"
    )
    return "\n".join(lines) + "\n"


def report(result: ScanResult) -> dict[str, Any]:
    """The integration's report shapes: `checks`, `findings` and `notes`."""
    return {
        "checks": [c.as_dict() for c in result.checks],
        "findings": [f.as_dict() for f in result.findings],
        "notes": [n.as_dict() for n in result.notes],
    }


def _artifact(file: str, base: Path | None) -> dict[str, Any]:
    """A file as SARIF names it: relative to `base` (the repository root) when inside."""
    path = Path(file)
    if base is not None and not path.is_absolute():
        return {"uri": base.joinpath(path).as_posix()}
    if path.is_absolute():
        return {"uri": path.as_uri()}
    return {"uri": path.as_posix()}


def _location(file: str | None, line: int | None, base: Path | None) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": _artifact(file or "", base)}
    if line is not None:
        physical["region"] = {"startLine": line}
    return {"physicalLocation": physical}


def _rule(check: Check, names: dict[str, str]) -> dict[str, Any]:
    rule: dict[str, Any] = {
        "id": check.id,
        "name": "".join(word.title() for word in check.id.split("_")),
        "shortDescription": {"text": names.get(check.id, check.id)},
        "helpUri": check.learn_more_url,
        "defaultConfiguration": {"level": _LEVELS[check.severity]},
        "properties": {"tags": ["security", str(check.family)]},
    }
    if (score := _SECURITY_SEVERITY.get(check.severity)) is not None:
        rule["properties"]["security-severity"] = score
    return rule


def sarif(
    result: ScanResult, checks: Sequence[Check], base: Path | None = None
) -> dict[str, Any]:
    """A SARIF 2.1.0 log of one run: a rule per check, a result per finding.

    `base` is the configuration directory relative to the repository root, which code
    scanning resolves paths from. What could not be read or checked is a notification.
    """
    manifest = _integration_file("manifest.json")
    names: dict[str, str] = _integration_file("strings.json")["selector"]["check"][
        "options"
    ]
    index = {check.id: position for position, check in enumerate(checks)}
    results = []
    for finding in result.findings:
        entry: dict[str, Any] = {
            "ruleId": finding.check,
            "ruleIndex": index[finding.check],
            "level": _LEVELS[finding.severity],
            "message": {"text": finding.title},
            "partialFingerprints": {FINGERPRINT: finding.id},
            "properties": {"severity": str(finding.severity)},
        }
        if finding.file is not None:
            entry["locations"] = [_location(finding.file, finding.line, base)]
        if finding.key is not None:
            entry["properties"]["key"] = finding.key
        results.append(entry)
    notifications: list[dict[str, Any]] = [
        {
            "level": "warning",
            "message": {"text": f"{c.check} was not checked: {c.reason}"},
            "descriptor": {"id": c.check},
        }
        for c in result.checks
        if c.status is Status.UNKNOWN
    ]
    for note in result.notes:
        notification: dict[str, Any] = {
            "level": "note",
            "message": {"text": note.reason},
        }
        if note.file is not None:
            notification["locations"] = [_location(note.file, None, base)]
        notifications.append(notification)
    return {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": manifest["name"],
                        "version": manifest["version"],
                        "informationUri": manifest["documentation"],
                        "rules": [_rule(check, names) for check in checks],
                    }
                },
                "invocations": [
                    {
                        "executionSuccessful": True,
                        "toolExecutionNotifications": notifications,
                    }
                ],
                "results": results,
            }
        ],
    }
