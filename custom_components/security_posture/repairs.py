"""Repair issues: one per finding of severity low or above, and their flows.

An accepted risk (an ignored finding) keeps its issue, marked ignored in the issue registry:
Settings -> Repairs lists it under "Show ignored repairs", where its flow can take the
acceptance back. Every issue opens a flow: the fix flow of its check where one exists, and
otherwise the confirmation that accepts the risk (see `fixes`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from homeassistant import data_entry_flow
from homeassistant.components.repairs import RepairsFlow
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir

from .checks.registry import FIXES
from .const import DOMAIN
from .fixes.accept import AcceptRiskFlow
from .issue_text import placeholders_of
from .markdown import safe_placeholders
from .model import MAX_REPAIRS_PER_CHECK, Finding, Severity, Status

if TYPE_CHECKING:
    from .coordinator import SecurityPostureConfigEntry, SecurityPostureCoordinator

_ISSUE_SEVERITY = {
    Severity.CRITICAL: ir.IssueSeverity.ERROR,
    Severity.HIGH: ir.IssueSeverity.ERROR,
    Severity.MEDIUM: ir.IssueSeverity.WARNING,
    Severity.LOW: ir.IssueSeverity.WARNING,
}


MORE_FINDINGS: Final = "more_findings"
"""Translation key of the issue that counts a check's findings beyond the limit."""


def more_issue_id(check: str) -> str:
    """The id of the issue that counts `check`'s findings beyond the limit."""
    return f"{check}_more"


@callback
def async_sync_issues(
    hass: HomeAssistant, coordinator: SecurityPostureCoordinator
) -> None:
    """Make the issue registry match the report: create, update and delete issues.

    At most `MAX_REPAIRS_PER_CHECK` issues per check, then one that says how many more
    findings of the check the report holds: Settings -> Repairs stays usable with thousands.
    Accepted risks keep their issue, marked ignored (within the same limit).
    """
    if (report := coordinator.report) is None:
        return
    listed, unlisted = report.for_repairs
    wanted = {f.id: f for f in listed}
    more = {more_issue_id(check): (check, found) for check, found in unlisted.items()}
    unknown_checks = {r.check for r in report.checks if r.status is Status.UNKNOWN}
    registry = ir.async_get(hass)
    for domain, issue_id in list(registry.issues):
        if domain != DOMAIN or issue_id in wanted or issue_id in more:
            continue
        issue = registry.issues[(domain, issue_id)]
        check = (issue.data or {}).get("check", issue.translation_key)
        if check in unknown_checks:
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
    for issue_id, (check, found) in more.items():
        ir.async_create_issue(
            hass,
            DOMAIN,
            issue_id,
            data={"check": check},
            is_fixable=True,
            is_persistent=False,
            severity=_ISSUE_SEVERITY[max((f.severity for f in found), key=_rank)],
            translation_key=MORE_FINDINGS,
            translation_placeholders=_more_placeholders(check, len(found)),
            learn_more_url=found[0].learn_more_url,
        )


def _rank(severity: Severity) -> int:
    return severity.rank


def _more_placeholders(check: str, count: int) -> dict[str, str]:
    return safe_placeholders(
        {"check": check, "count": str(count), "shown": str(MAX_REPAIRS_PER_CHECK)}
    )


@callback
def async_delete_all_issues(hass: HomeAssistant) -> None:
    """Delete every issue of this integration."""
    registry = ir.async_get(hass)
    for domain, issue_id in list(registry.issues):
        if domain == DOMAIN:
            ir.async_delete_issue(hass, DOMAIN, issue_id)


class MoreFindingsFlow(RepairsFlow):
    """The findings of a check beyond the limit: confirm to accept the risk of them all."""

    def __init__(self, entry: SecurityPostureConfigEntry, check: str) -> None:
        """Remember the check."""
        self.entry = entry
        self.check = check

    def _unlisted(self) -> tuple[Finding, ...]:
        report = self.entry.runtime_data.report
        return () if report is None else report.for_repairs[1].get(self.check, ())

    async def async_step_init(
        self, user_input: dict[str, str] | None = None
    ) -> data_entry_flow.FlowResult:
        """Go straight to the confirmation."""
        return await self.async_step_confirm()

    async def async_step_confirm(
        self, user_input: dict[str, str] | None = None
    ) -> data_entry_flow.FlowResult:
        """Ask, then ignore every finding of the check that has no issue of its own."""
        unlisted = self._unlisted()
        if user_input is not None:
            coordinator = self.entry.runtime_data
            coordinator.store.ignore_all(
                [f.id for f in unlisted], "accepted in Repairs"
            )
            await coordinator.async_apply_ignores()
            return self.async_create_entry(data={})
        return self.async_show_form(
            step_id="confirm",
            description_placeholders=_more_placeholders(self.check, len(unlisted)),
        )


async def async_create_fix_flow(
    hass: HomeAssistant, issue_id: str, data: dict[str, Any] | None
) -> RepairsFlow:
    """Create the flow for an issue: the check's own fix, or accepting the risk."""
    entries: list[SecurityPostureConfigEntry] = (
        hass.config_entries.async_loaded_entries(DOMAIN)
    )
    if not entries:
        raise data_entry_flow.UnknownHandler
    check = (data or {}).get("check")
    if isinstance(check, str) and issue_id == more_issue_id(check):
        return MoreFindingsFlow(entries[0], check)
    if (finding := entries[0].runtime_data.finding(issue_id)) is None:
        raise data_entry_flow.UnknownHandler
    return FIXES.get(finding.check, AcceptRiskFlow)(entries[0], finding)
