"""A repair ignored or un-ignored through Home Assistant itself is a risk accepted or taken back.

The accepted risks live in the integration's store (the report reads them); the issue registry
mirrors them as ignored issues (`repairs.async_sync_issues`). When something else changes an
issue's ignored flag (the `repairs/ignore_issue` websocket command: the frontend sends it from
the dialog of an issue without a flow, scripts and other frontends may send it for any), the
store follows, as if the risk had been accepted (without a reason) or taken back in the flow. The check runs once the change is complete:
while the integration itself creates and then marks an issue, the flag is briefly stale.
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
    """Follow the ignored flag of this integration's issues; return the unsubscribe."""

    @callback
    def _reconcile(issue_id: str) -> None:
        if coordinator.config_entry.state is not ConfigEntryState.LOADED:
            return
        issue = ir.async_get(hass).async_get_issue(DOMAIN, issue_id)
        finding = coordinator.finding(issue_id)
        if issue is None or not issue.active or finding is None:
            return
        ignored = issue.dismissed_version is not None
        if ignored == finding.ignored:
            return
        if ignored:
            coordinator.store.ignore(issue_id, None)
        else:
            coordinator.store.unignore(issue_id)
        coordinator.config_entry.async_create_task(
            hass, coordinator.async_apply_ignores(), "security_posture_apply_ignores"
        )

    @callback
    def _updated(event: Event[ir.EventIssueRegistryUpdatedData]) -> None:
        if event.data["domain"] == DOMAIN and event.data["action"] == "update":
            hass.loop.call_soon(_reconcile, event.data["issue_id"])

    return hass.bus.async_listen(ir.EVENT_REPAIRS_ISSUE_REGISTRY_UPDATED, _updated)
