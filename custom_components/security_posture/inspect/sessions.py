"""Read the sessions: the normal refresh tokens of active users, from Home Assistant's auth API.

A normal refresh token is what a login makes (the token endpoint's `authorization_code`
grant): one per browser, app or device a person signed in with. Long-lived access tokens
and the tokens of system users are no sessions. A session is known by who, which client
and from where; the token's value and its key are never read. The token id is kept only in
memory, to tell one session from another, and never leaves this process.

`RECENT_LOGINS` is the fact the checks see: the logins from new sources of the last day, as
the entry's login watcher (`login_watch`) found them. Logins are events, not files: a scan
cannot find them afterwards, so the watcher lends the scan what it saw through the entry's
cache.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from homeassistant.auth.models import TOKEN_TYPE_NORMAL

from ..engine import CheckUnknown, Fact, ScanContext, Slot
from ..logins import Login, Session

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping
    from datetime import datetime

    from homeassistant.auth.models import User


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionCounts:
    """How many sessions there are, in all and per user name."""

    total: int
    per_user: Mapping[str, int]


def user_name(user: User) -> str:
    """The user's name, or their id when they have none."""
    return str(user.name) if user.name else str(user.id)


def sessions_of(users: Iterable[User]) -> tuple[Session, ...]:
    """The sessions of people, active or not (system users have none)."""
    return tuple(
        Session(
            token_id=token.id,
            user_id=user.id,
            user_name=user_name(user),
            client_id=token.client_id,
            ip_address=token.last_used_ip,
            created_at=token.created_at,
            used=token.last_used_at is not None,
            active=user.is_active,
        )
        for user in users
        if not user.system_generated
        for token in user.refresh_tokens.values()
        if token.token_type == TOKEN_TYPE_NORMAL
    )


def count_sessions(sessions: Iterable[Session]) -> SessionCounts:
    """Count the sessions of active people, per user name.

    Names are not unique in Home Assistant: the second person of a name is "Name (2)", in
    the order of their user ids, so that no count hides another.
    """
    sessions = [session for session in sessions if session.active]
    per_id = Counter(session.user_id for session in sessions)
    names = {session.user_id: session.user_name for session in sessions}
    per_user: dict[str, int] = {}
    taken: Counter[str] = Counter()
    for user_id in sorted(per_id):
        name = names[user_id]
        taken[name] += 1
        label = name if taken[name] == 1 else f"{name} ({taken[name]})"
        per_user[label] = per_id[user_id]
    return SessionCounts(
        total=sum(per_id.values()), per_user=dict(sorted(per_user.items()))
    )


@dataclass(kw_only=True)
class LoginWatch:
    """Where a scan finds the logins: set by the entry's login watcher."""

    recent: Callable[[datetime], tuple[Login, ...]] | None = None


LOGIN_WATCH: Final = Slot[LoginWatch](name="login watch", factory=LoginWatch)


async def _async_recent_logins(ctx: ScanContext) -> tuple[Login, ...]:
    recent = ctx.cache.get(LOGIN_WATCH).recent
    if recent is None:
        raise CheckUnknown("logins are not watched")
    return recent(ctx.now)


RECENT_LOGINS: Final = Fact[tuple[Login, ...]](
    name="recent logins", gather=_async_recent_logins
)
