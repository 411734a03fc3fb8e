"""Logbook: each row names the finding that appeared or was resolved, or the failed login.

Home Assistant's logbook describes an integration's bus events through this platform. A
finding's event names the findings event entity, so its row belongs to that entity and shows
on the entity's own log too: "Findings found (high): <title>", just above the entity's own
"New finding" row. Titles never hold a value.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

# From const: the package exports them only on newer releases.
from homeassistant.components.logbook.const import (
    LOGBOOK_ENTRY_ENTITY_ID,
    LOGBOOK_ENTRY_MESSAGE,
    LOGBOOK_ENTRY_NAME,
)
from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import Event, HomeAssistant, callback

from .const import DOMAIN, EVENT_FAILED_LOGIN, EVENT_FINDING
from .inspect.auth import FailedLoginKind
from .model import TransitionAction

if TYPE_CHECKING:
    from collections.abc import Callable

NAME = "Security Posture"


@callback
def describe_finding(event: Event) -> dict[str, str]:
    """A finding that appeared or was resolved: its title and how severe it is."""
    data = event.data
    title = data.get("title") or data.get("finding_id") or "a finding"
    if data.get("action") == TransitionAction.RESOLVED:
        message = f"resolved: {title}"
    else:
        message = f"found ({data.get('severity', 'unknown')}): {title}"
    described = {LOGBOOK_ENTRY_NAME: NAME, LOGBOOK_ENTRY_MESSAGE: message}
    if entity_id := data.get(ATTR_ENTITY_ID):
        described[LOGBOOK_ENTRY_ENTITY_ID] = entity_id
    return described


@callback
def describe_failed_login(event: Event) -> dict[str, str]:
    """A failed login or a ban that Home Assistant reported, and from where."""
    data = event.data
    source = data.get("ip_address") or data.get("host") or "an unknown address"
    what = (
        "banned"
        if data.get("kind") == FailedLoginKind.BAN
        else "saw a failed login from"
    )
    return {LOGBOOK_ENTRY_NAME: NAME, LOGBOOK_ENTRY_MESSAGE: f"{what} {source}"}


@callback
def async_describe_events(
    hass: HomeAssistant,
    async_describe_event: Callable[[str, str, Callable[[Event], dict[str, str]]], None],
) -> None:
    """Describe the integration's bus events."""
    async_describe_event(DOMAIN, EVENT_FINDING, describe_finding)
    async_describe_event(DOMAIN, EVENT_FAILED_LOGIN, describe_failed_login)
