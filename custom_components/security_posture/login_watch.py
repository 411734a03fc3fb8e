"""Watch the sessions: fire `security_posture_login` for each login, count the sessions.

Home Assistant fires nothing when someone logs in, and its auth manager offers no callback
when a refresh token is created (only when one is revoked). So the sessions are compared with
what the login book knows:

- at once when a websocket connection authenticates (Home Assistant's own
  `websocket_connected` signal: a browser or app that just logged in connects right after),
- and every `POLL_INTERVAL`, for clients that log in and never open a websocket.

Each look reads the users from `hass.auth` (in memory, no I/O) and costs a few microseconds per
session. Looks are debounced: a burst of connections makes at most one look per second, and a
look that finds a login from a new source, or one that became more than a day old, asks for a
rescan so that the report lists what is current.

Event data: see `Login.as_event_data` (who, which client, which address, whether the source
is new). The token, its id and its key are in no event, log, state or file.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Final

from homeassistant.components.websocket_api.const import SIGNAL_WEBSOCKET_CONNECTED
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.debounce import Debouncer
from homeassistant.helpers.dispatcher import async_dispatcher_connect
from homeassistant.helpers.event import async_track_time_interval
from homeassistant.util import dt as dt_util

from .const import EVENT_LOGIN, LOGGER
from .inspect.sessions import LOGIN_WATCH, SessionCounts, count_sessions, sessions_of
from .logins import Login, LoginBook

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime

    from .engine import Cache
    from .store import PostureStore

POLL_INTERVAL: Final = timedelta(seconds=30)
LOOK_COOLDOWN: Final = 1.0


class LoginWatcher:
    """Finds the logins since the last look; keeps the session counts for the sensor."""

    def __init__(self, hass: HomeAssistant, store: PostureStore, cache: Cache) -> None:
        """Nothing is looked at until `async_start`; scans with `cache` see the logins."""
        cache.get(LOGIN_WATCH).recent = self.recent
        self._hass = hass
        self._store = store
        self._book = LoginBook(store.logins)
        self._listeners: list[Callable[[], None]] = []
        self._request_rescan: Callable[[], None] | None = None
        self.counts: SessionCounts | None = None
        self._listed: tuple[Login, ...] | None = None
        self._debouncer = Debouncer(
            hass,
            LOGGER,
            cooldown=LOOK_COOLDOWN,
            immediate=True,
            function=self.async_look,
        )

    def recent(self, now: datetime) -> tuple[Login, ...]:
        """Logins from new sources in the last day, oldest first."""
        return self._book.recent(now)

    @callback
    def async_add_listener(self, listener: Callable[[], None]) -> CALLBACK_TYPE:
        """Call `listener` when the session counts change."""
        self._listeners.append(listener)

        @callback
        def remove() -> None:
            self._listeners.remove(listener)

        return remove

    async def async_start(self, request_rescan: Callable[[], None]) -> CALLBACK_TYPE:
        """Look now, then on every websocket login and every `POLL_INTERVAL`.

        `request_rescan` is called when the logins the report lists change. Returns the
        callback that stops watching.
        """
        self._request_rescan = request_rescan
        await self.async_look()

        @callback
        def _look(*_: object) -> None:
            self._debouncer.async_schedule_call()

        unsubscribes = [
            async_dispatcher_connect(self._hass, SIGNAL_WEBSOCKET_CONNECTED, _look),
            async_track_time_interval(
                self._hass, _look, POLL_INTERVAL, name="security_posture logins"
            ),
        ]

        @callback
        def _stop() -> None:
            for unsubscribe in unsubscribes:
                unsubscribe()
            self._debouncer.async_shutdown()
            self._request_rescan = None

        return _stop

    async def async_look(self) -> None:
        """Compare the sessions with the book: fire the logins, save, update the counts."""
        users = await self._hass.auth.async_get_users()
        sessions = sessions_of(users)
        now = dt_util.utcnow()
        logins, changed = self._book.observe(sessions, (u.id for u in users), now)
        if changed:
            self._store.replace_logins(self._book.as_data())
        for login in logins:
            self._hass.bus.async_fire(EVENT_LOGIN, login.as_event_data())
        # A login from a new source came, or one is more than a day old: the report's
        # list changes (the first look only sets what the first scan lists).
        listed = self._book.recent(now)
        if self._listed is not None and listed != self._listed and self._request_rescan:
            self._request_rescan()
        self._listed = listed
        counts = count_sessions(sessions)
        if counts != self.counts:
            self.counts = counts
            for listener in list(self._listeners):
                listener()
