"""The websocket command the posture card reads: the report, now and after every change.

`security_posture/subscribe_report` is for administrators only, as the report and the
accepted risks are (the scan action answers the same users). It sends
`{"report": <the report> | None, "accepted": {finding id: {"reason", "at"}}}` at once and
again whenever a scan ends or a risk is accepted or taken back, until it is unsubscribed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from homeassistant.components import websocket_api
from homeassistant.components.websocket_api.decorators import (
    require_admin,
    websocket_command,
)
from homeassistant.components.websocket_api.messages import event_message
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.dispatcher import async_dispatcher_connect
import voluptuous as vol

from .const import DOMAIN, SIGNAL_REPORT_UPDATED

if TYPE_CHECKING:
    from homeassistant.components.websocket_api.connection import ActiveConnection

    from .coordinator import SecurityPostureConfigEntry

COMMAND_SUBSCRIBE: Final = f"{DOMAIN}/subscribe_report"


def _message(hass: HomeAssistant) -> dict[str, Any]:
    entries: list[SecurityPostureConfigEntry] = (
        hass.config_entries.async_loaded_entries(DOMAIN)
    )
    if not entries or (report := entries[0].runtime_data.report) is None:
        return {"report": None, "accepted": {}}
    store = entries[0].runtime_data.store
    return {
        "report": report.as_dict(),
        "accepted": {
            f.id: accepted
            for f in report.findings
            if f.ignored and (accepted := store.accepted(f.id)) is not None
        },
    }


@require_admin
@websocket_command({vol.Required("type"): COMMAND_SUBSCRIBE})
@callback
def ws_subscribe_report(
    hass: HomeAssistant,
    connection: ActiveConnection,
    msg: dict[str, Any],
) -> None:
    """Send the report now and after every change."""

    @callback
    def _send() -> None:
        connection.send_message(event_message(msg["id"], _message(hass)))

    connection.subscriptions[msg["id"]] = async_dispatcher_connect(
        hass, SIGNAL_REPORT_UPDATED, _send
    )
    connection.send_result(msg["id"])
    _send()


@callback
def async_setup_websocket(hass: HomeAssistant) -> None:
    """Register the command."""
    websocket_api.async_register_command(hass, ws_subscribe_report)
