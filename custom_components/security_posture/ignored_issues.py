"""The issue registry's ignored flag follows the accepted risks, never the other way round.

The accepted risks live in the integration's store (the report reads them); the issue registry
mirrors them as ignored issues (`repairs.async_sync_issues`). Anything else that changes an
issue's ignored flag is put back: core's `repairs/ignore_issue` websocket command is open to
every user, read-only ones included, and its event does not say who sent it, so it cannot be
how a risk is accepted. Only administrators accept risks or take them back, in the issue's
flow or through the actions. The check runs once the change is complete: while the
integration itself creates and then marks an issue, the flag is briefly stale.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import CALLBACK_TYPE, Event, HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir

from .const import DOMAIN

if TYPE_CHECKING:
    from .coordinator import SecurityPostureCoordinator


@callback
def async_follow_ignored_issues(
    hass: HomeAssistant, coordinator: SecurityPostureCoordinator
) -> CALLBACK_TYPE:
    """Keep our issues' ignored flag on the accepted risks; return the unsubscribe."""

    @callback
    def _reconcile(issue_id: str) -> None:
        if coordinator.config_entry.state is not ConfigEntryState.LOADED:
            return
        issue = ir.async_get(hass).async_get_issue(DOMAIN, issue_id)
        finding = coordinator.finding(issue_id)
        if issue is None or not issue.active or finding is None:
            return
        ignored = issue.dismissed_version is not None
        if ignored != finding.ignored:
            ir.async_ignore_issue(hass, DOMAIN, issue_id, finding.ignored)

    @callback
    def _updated(event: Event[ir.EventIssueRegistryUpdatedData]) -> None:
        if event.data["domain"] == DOMAIN and event.data["action"] == "update":
            hass.loop.call_soon(_reconcile, event.data["issue_id"])

    return hass.bus.async_listen(ir.EVENT_REPAIRS_ISSUE_REGISTRY_UPDATED, _updated)
