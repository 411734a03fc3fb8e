"""Which logins came from a new source: the addresses and clients each person used before.

A login is a new normal refresh token (see `inspect.sessions`). Its source is the address it
was used from and its client (the app or the address of the frontend it signed in through).
A source is new when the person never used that address, or that client, before:

- Addresses are compared by what identifies a place: an IPv4 address as it is, an IPv6
  address by its /64 network, because devices change the rest of their IPv6 address every
  day (privacy extensions) and each change would be a "new" address otherwise.
- Every address a session of the person is used from is learned too (a phone's app moving
  between networks), so the same phone logging in from the mobile network again is known.
- The very first time (nothing stored yet), every existing session is learned silently: an
  installation with hundreds of sessions announces none of them.
- A session Home Assistant created while this integration was not running is announced when
  it is at most a day old, learned silently otherwise.
- A session never used yet has no address: it waits (a login uses it at once) for at most
  `PENDING_GRACE`, then it is decided on its client alone.

Nothing of Home Assistant's state here (only its date parser): the book is filled from
`Session`s (`inspect.sessions` reads them from Home Assistant's auth API) and saved as plain
data. Token ids are never saved: only a
digest of each, to know which sessions were already seen.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
import hashlib
from ipaddress import IPv6Address, ip_address, ip_network
from typing import Any, Final, TypedDict

from homeassistant.util import dt as dt_util

RECENT_WINDOW: Final = timedelta(hours=24)
"""Logins from new sources listed in the report; older sessions found unseen are not announced."""
PENDING_GRACE: Final = timedelta(minutes=10)
MAX_ADDRESSES: Final = 50
"""Addresses remembered per person; past it, the first learned is forgotten."""
MAX_CLIENTS: Final = 20
MAX_RECENT: Final = 100


class SourcesData(TypedDict):
    """What a person used before, oldest first."""

    addresses: list[str]
    clients: list[str]


class LoginData(TypedDict):
    """A login from a new source, as stored."""

    at: str
    user_id: str
    user_name: str
    client_id: str | None
    ip_address: str | None
    new_ip_address: bool
    new_client: bool


class LoginsData(TypedDict):
    """The storage file's `logins` section."""

    sources: dict[str, SourcesData]  # user id -> sources
    seen: list[str]  # digests of the sessions already seen
    recent: list[LoginData]  # logins from new sources, the last day


@dataclass(frozen=True, slots=True, kw_only=True)
class Session:
    """A normal refresh token, known by its user, client and last address."""

    token_id: str
    """Tells sessions apart; never shown, stored, logged or fired."""
    user_id: str
    user_name: str
    client_id: str | None
    ip_address: str | None
    """The address the token was last used from (Home Assistant keeps only the last)."""
    created_at: datetime
    used: bool
    """Whether an access token was ever made from it (a login makes one at once)."""
    active: bool
    """Whether its user is active. A deactivated user keeps their sessions; they work again
    when the user is activated again, so they are no new logins then."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Login:
    """A successful login: a new session, where from, and whether that is new."""

    at: datetime
    user_id: str
    user_name: str
    client_id: str | None
    ip_address: str | None
    new_ip_address: bool
    new_client: bool

    @property
    def new_source(self) -> bool:
        """Whether the address or the client is new for this person."""
        return self.new_ip_address or self.new_client

    def as_event_data(self) -> dict[str, Any]:
        """The `security_posture_login` event's data: no token, id or value."""
        return {
            "user_id": self.user_id,
            "user_name": self.user_name,
            "client_id": self.client_id,
            "ip_address": self.ip_address,
            "new_source": self.new_source,
            "new_ip_address": self.new_ip_address,
            "new_client": self.new_client,
            "at": self.at.isoformat(),
        }

    def as_data(self) -> LoginData:
        """As stored."""
        return {
            "at": self.at.isoformat(),
            "user_id": self.user_id,
            "user_name": self.user_name,
            "client_id": self.client_id,
            "ip_address": self.ip_address,
            "new_ip_address": self.new_ip_address,
            "new_client": self.new_client,
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Login | None:
        """A stored login; None when the entry is damaged."""
        at = dt_util.parse_datetime(str(data.get("at", "")))
        user_id = data.get("user_id")
        if at is None or at.tzinfo is None or not isinstance(user_id, str):
            return None
        return cls(
            at=at,
            user_id=user_id,
            user_name=str(data.get("user_name") or user_id),
            client_id=_str_or_none(data.get("client_id")),
            ip_address=_str_or_none(data.get("ip_address")),
            new_ip_address=data.get("new_ip_address") is True,
            new_client=data.get("new_client") is True,
        )


def _str_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def address_key(address: str) -> str:
    """What an address is remembered as: IPv4 as is, IPv6 by its /64 network."""
    try:
        ip = ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ip_network(f"{ip}/64", strict=False))
    return str(ip)


def digest(token_id: str) -> str:
    """What is stored for a session seen: not its id, which the storage never holds."""
    return hashlib.sha256(token_id.encode()).hexdigest()[:24]


def _remember(items: list[str], item: str, limit: int) -> bool:
    """Add `item` (the oldest is forgotten past `limit`); False when it is known already.

    Known items keep their place: several sessions used from different places would
    otherwise reorder the list at every look, and each reorder would be a save.
    """
    if item in items:
        return False
    items.append(item)
    del items[:-limit]
    return True


class LoginBook:
    """The sources each person used, the sessions already seen, the recent new sources."""

    def __init__(self, data: LoginsData | None) -> None:
        """From stored data; None the very first time (the first look is silent)."""
        self.seeded = data is not None
        self._sources: dict[str, SourcesData] = {}
        self._seen: set[str] = set()
        self._recent: list[Login] = []
        # In memory only: each session's digest, and where it was last learned from, so that
        # a look at sessions that did not change hashes and parses nothing.
        self._digests: dict[str, str] = {}
        self._learned: dict[str, tuple[str | None, str | None]] = {}
        if data is None:
            return
        for user_id, sources in dict(data.get("sources") or {}).items():
            self._sources[str(user_id)] = {
                "addresses": [str(a) for a in sources.get("addresses", ())],
                "clients": [str(c) for c in sources.get("clients", ())],
            }
        self._seen = {str(d) for d in data.get("seen") or ()}
        self._recent = [
            login
            for item in data.get("recent") or ()
            if isinstance(item, Mapping) and (login := Login.from_data(item))
        ]

    def as_data(self) -> LoginsData:
        """What is stored."""
        return {
            "sources": {
                user_id: {
                    "addresses": list(sources["addresses"]),
                    "clients": list(sources["clients"]),
                }
                for user_id, sources in self._sources.items()
            },
            "seen": sorted(self._seen),
            "recent": [login.as_data() for login in self._recent],
        }

    def recent(self, now: datetime) -> tuple[Login, ...]:
        """Logins from new sources in the last day, oldest first."""
        since = now - RECENT_WINDOW
        return tuple(login for login in self._recent if login.at >= since)

    def _knows(self, user_id: str) -> SourcesData:
        return self._sources.setdefault(user_id, {"addresses": [], "clients": []})

    def _digest(self, token_id: str) -> str:
        if (known := self._digests.get(token_id)) is None:
            known = self._digests[token_id] = digest(token_id)
        return known

    def _learn(self, session: Session) -> bool:
        where = (session.ip_address, session.client_id)
        if self._learned.get(session.token_id) == where:
            return False
        self._learned[session.token_id] = where
        sources = self._knows(session.user_id)
        changed = False
        if session.ip_address is not None:
            changed |= _remember(
                sources["addresses"], address_key(session.ip_address), MAX_ADDRESSES
            )
        if session.client_id is not None:
            changed |= _remember(sources["clients"], session.client_id, MAX_CLIENTS)
        return changed

    def _login(self, session: Session) -> Login:
        sources = self._knows(session.user_id)
        ip = session.ip_address
        return Login(
            at=session.created_at,
            user_id=session.user_id,
            user_name=session.user_name,
            client_id=session.client_id,
            ip_address=ip,
            new_ip_address=ip is not None
            and address_key(ip) not in sources["addresses"],
            new_client=session.client_id is not None
            and session.client_id not in sources["clients"],
        )

    def observe(
        self, sessions: Iterable[Session], user_ids: Iterable[str], now: datetime
    ) -> tuple[tuple[Login, ...], bool]:
        """Look at the current sessions: the logins since the last look, and whether to save.

        `user_ids` are the people who still exist: the sources of the others are forgotten.
        """
        sessions = tuple(sessions)
        logins: list[Login] = []
        changed = False
        current: set[str] = set()
        fresh: list[Session] = []
        for session in sessions:
            key = self._digest(session.token_id)
            current.add(key)
            if key in self._seen:
                continue
            if (
                self.seeded
                and not session.used
                and now - session.created_at < PENDING_GRACE
            ):
                continue  # decided once it is used
            fresh.append(session)
        # Oldest first, each against what the sessions before it taught.
        for session in sorted(fresh, key=lambda s: s.created_at):
            if self.seeded and now - session.created_at <= RECENT_WINDOW:
                login = self._login(session)
                logins.append(login)
                if login.new_source:
                    self._recent.append(login)
            self._seen.add(self._digest(session.token_id))
            self._learn(session)
            changed = True
        # Where the sessions seen before are used from now (a phone between networks).
        for session in sessions:
            if self._digest(session.token_id) in self._seen:
                changed |= self._learn(session)
        self._forget_memos({session.token_id for session in sessions})
        changed |= self._prune(current, set(user_ids), now)
        changed |= not self.seeded
        self.seeded = True
        return tuple(logins), changed

    def _forget_memos(self, token_ids: set[str]) -> None:
        for memo in (self._digests, self._learned):
            for token_id in memo.keys() - token_ids:
                del memo[token_id]

    def _prune(self, current: set[str], user_ids: set[str], now: datetime) -> bool:
        changed = False
        if gone := self._seen - current:
            self._seen -= gone
            changed = True
        for user_id in set(self._sources) - user_ids:
            del self._sources[user_id]
            changed = True
        since = now - RECENT_WINDOW
        recent = [login for login in self._recent if login.at >= since][-MAX_RECENT:]
        if len(recent) != len(self._recent):
            self._recent = recent
            changed = True
        return changed
