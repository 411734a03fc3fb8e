"""Repair issues: one per finding of severity low or above, and their flows.

An accepted risk (an ignored finding) keeps its issue, marked ignored in the issue registry:
Settings -> Repairs lists it under "Show ignored repairs", where its flow can take the
acceptance back. Every issue opens a flow: the fix flow of its check where one exists, and
otherwise the confirmation that accepts the risk (see `fixes`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from homeassistant import data_entry_flow
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir

from .const import DOMAIN
from .model import Finding, Severity, Status

if TYPE_CHECKING:
    from homeassistant.components.repairs import RepairsFlow

    from .coordinator import SecurityPostureConfigEntry, SecurityPostureCoordinator

# Every repair's texts link here when its check names no page of its own.
SECURING_URL = "https://www.home-assistant.io/docs/configuration/securing/"

_ISSUE_SEVERITY = {
    Severity.CRITICAL: ir.IssueSeverity.ERROR,
    Severity.HIGH: ir.IssueSeverity.ERROR,
    Severity.MEDIUM: ir.IssueSeverity.WARNING,
    Severity.LOW: ir.IssueSeverity.WARNING,
}


def location_of(finding: Finding) -> str:
    """Where a finding is, for people: file, line and key path when known."""
    if finding.file is None:
        return finding.subject
    parts = [f"`{finding.file}`"]
    if finding.line is not None:
        parts.append(f"line {finding.line}")
    if finding.key:
        parts.append(f"key `{finding.key}`")
    return ", ".join(parts)


def placeholders_of(finding: Finding) -> dict[str, str]:
    """The texts a repair issue and its flow may use. Never a value: only what and where."""
    return {
        "title": finding.title,
        "subject": finding.subject,
        "location": location_of(finding),
        "file": finding.file or "",
        "key": finding.key or "",
        "learn_more": finding.learn_more_url or SECURING_URL,
        **finding.placeholders,
    }


@callback
def async_sync_issues(
    hass: HomeAssistant, coordinator: SecurityPostureCoordinator
) -> None:
    """Make the issue registry match the report: create, update and delete issues.

    Accepted risks keep their issue, marked ignored.
    """
    if (report := coordinator.report) is None:
        return
    wanted = {f.id: f for f in report.findings if f.severity is not Severity.INFO}
    unknown_checks = {r.check for r in report.checks if r.status is Status.UNKNOWN}
    registry = ir.async_get(hass)
    for domain, issue_id in list(registry.issues):
        if domain != DOMAIN or issue_id in wanted:
            continue
        issue = registry.issues[(domain, issue_id)]
        if issue.translation_key in unknown_checks:
            continue  # could not look this time: keep what we knew
        ir.async_delete_issue(hass, DOMAIN, issue_id)
    for finding in wanted.values():
        ir.async_create_issue(
            hass,
            DOMAIN,
            finding.id,
            is_fixable=True,
            is_persistent=False,
            severity=_ISSUE_SEVERITY[finding.severity],
            translation_key=finding.check,
            translation_placeholders=placeholders_of(finding),
            learn_more_url=finding.learn_more_url,
        )
        ir.async_ignore_issue(hass, DOMAIN, finding.id, finding.ignored)


@callback
def async_delete_all_issues(hass: HomeAssistant) -> None:
    """Delete every issue of this integration."""
    registry = ir.async_get(hass)
    for domain, issue_id in list(registry.issues):
        if domain == DOMAIN:
            ir.async_delete_issue(hass, DOMAIN, issue_id)


async def async_create_fix_flow(
    hass: HomeAssistant, issue_id: str, data: dict[str, Any] | None
) -> RepairsFlow:
    """Create the flow for an issue: the check's own fix, or accepting the risk."""
    entries: list[SecurityPostureConfigEntry] = (
        hass.config_entries.async_loaded_entries(DOMAIN)
    )
    if not entries or (finding := entries[0].runtime_data.finding(issue_id)) is None:
        raise data_entry_flow.UnknownHandler
    # The flows use this module's placeholders: imported here, not at the top.
    from .fixes import FIX_FLOWS  # noqa: PLC0415
    from .fixes.accept import AcceptRiskFlow  # noqa: PLC0415

    flow_class = FIX_FLOWS.get(finding.check, AcceptRiskFlow)
    return flow_class(entries[0], finding)
