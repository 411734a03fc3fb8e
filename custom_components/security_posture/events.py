"""Announcing transitions, and the failed logins Home Assistant reports.

Transitions go to the `security_posture_finding` bus event and the event entity; failed
logins to the `security_posture_failed_login` bus event.

Every transition is announced once, to every sink (the event entity, then the bus event), in
scan order. A few are delivered at once; thousands (a first scan of a configuration full of
credentials) are delivered in batches by a background task that lets the event loop run
between batches, so that announcing them never stalls Home Assistant.

The bus event's data also names the findings event entity (`entity_id`), as Home Assistant's
events about an entity do: the logbook then lists the event on that entity's own log, naming
the finding (see `logbook`). Its sink is added after the event entity's, so that the logbook,
newest first, shows each named row above the entity's own "New finding" row.

Core fires no event for a failed login: every failed login and every ban Home Assistant
reports (through its persistent notifications) is fired once as
`security_posture_failed_login` with data `{"kind": "failed_login" | "ban",
"ip_address": str | None, "host": str | None, "at": ISO-8601 | None}`.
"""

from __future__ import annotations

import asyncio
from collections import deque
from typing import TYPE_CHECKING, Final

from homeassistant.const import ATTR_ENTITY_ID, Platform
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers import entity_registry as er

from .const import DOMAIN, EVENT_FAILED_LOGIN, EVENT_FINDING
from .entry import entity_unique_id
from .inspect.auth import async_track_failed_logins

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from homeassistant.config_entries import ConfigEntry

    from .inspect.auth import FailedLogin
    from .model import Transition

FINDINGS_EVENT_KEY: Final = "findings"
"""The key of the findings event entity (`event.FindingsEvent`): its unique id ends with it."""
BATCH: Final = 100
"""Transitions announced in one go; more wait for the next turn of the event loop."""

type Sink = Callable[[Sequence[Transition]], None]


class TransitionFeed:
    """Delivers transitions to the sinks, in order, in batches."""

    def __init__(self, hass: HomeAssistant, entry: ConfigEntry) -> None:
        """Nothing is delivered until transitions are published."""
        self._hass = hass
        self._entry = entry
        self._sinks: list[Sink] = []
        self._pending: deque[Transition] = deque()
        self._task: asyncio.Task[None] | None = None

    @callback
    def async_add_sink(self, sink: Sink) -> CALLBACK_TYPE:
        """Deliver transitions to `sink` from now on; returns the removal callback."""
        self._sinks.append(sink)

        @callback
        def remove() -> None:
            self._sinks.remove(sink)

        return remove

    @callback
    def async_publish(self, transitions: Sequence[Transition]) -> None:
        """Announce `transitions` after any still waiting."""
        self._pending.extend(transitions)
        if self._task is not None and not self._task.done():
            return  # the running delivery takes them too
        if len(self._pending) <= BATCH:
            self._deliver_batch()
            return
        self._task = self._entry.async_create_background_task(
            self._hass, self._async_deliver(), f"{DOMAIN} transitions"
        )

    def _deliver_batch(self) -> None:
        batch = [self._pending.popleft() for _ in range(min(BATCH, len(self._pending)))]
        for sink in list(self._sinks):
            sink(batch)

    async def _async_deliver(self) -> None:
        while self._pending:
            self._deliver_batch()
            await asyncio.sleep(0)


def bus_sink(hass: HomeAssistant, entry: ConfigEntry) -> Sink:
    """The `security_posture_finding` bus event, once per transition."""

    @callback
    def fire(transitions: Sequence[Transition]) -> None:
        entity_id = er.async_get(hass).async_get_entity_id(
            Platform.EVENT, DOMAIN, entity_unique_id(entry.entry_id, FINDINGS_EVENT_KEY)
        )
        for transition in transitions:
            data: dict[str, str] = transition.as_event_data()
            if entity_id is not None:
                data[ATTR_ENTITY_ID] = entity_id
            hass.bus.async_fire(EVENT_FINDING, data)

    return fire


def failed_login_event_data(failed: FailedLogin) -> dict[str, str | None]:
    """The data of the `security_posture_failed_login` bus event."""
    return {
        "kind": failed.kind.value,
        "ip_address": failed.ip_address,
        "host": failed.host,
        "at": failed.at.isoformat() if failed.at else None,
    }


@callback
def async_announce_failed_logins(hass: HomeAssistant) -> CALLBACK_TYPE:
    """Fire `security_posture_failed_login` once per failed login or ban; returns the stop."""

    @callback
    def fire(found: Sequence[FailedLogin]) -> None:
        for failed in found:
            hass.bus.async_fire(EVENT_FAILED_LOGIN, failed_login_event_data(failed))

    return async_track_failed_logins(hass, fire)
