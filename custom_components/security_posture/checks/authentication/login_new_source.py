"""`login_new_source` (info): a login of the last day from an address or client never used.

One finding per such login, from the logins the entry's login watcher saw (see `logins` for
what counts as new). It is advice: the report lists it for a day, with who, when, from where
and with which client, so that an administrator can tell a login they know from one they do
not. It raises no repair and costs no score: people log in from new places all the time.
Each login is also the `security_posture_login` event and the "new login" device trigger.
"""

from __future__ import annotations

from datetime import UTC
from typing import TYPE_CHECKING, Final

from ...engine import Check, Facts
from ...inspect.sessions import RECENT_LOGINS
from ...model import Family, Hit, Severity

if TYPE_CHECKING:
    from collections.abc import Iterator

    from ...logins import Login

LONGEST_CLIENT: Final = 120
"""A client id is a URL the client chose: longer ones are shortened in texts."""


def _client(login: Login) -> str:
    client = login.client_id or "an unknown client"
    if len(client) > LONGEST_CLIENT:
        return client[: LONGEST_CLIENT - 1] + "…"
    return client


def _what(login: Login) -> str:
    if login.new_ip_address and login.new_client:
        return "a new address and a new client"
    return "a new address" if login.new_ip_address else "a new client"


def _inspect(facts: Facts) -> Iterator[Hit]:
    for login in facts[RECENT_LOGINS]:
        address = login.ip_address or "an unknown address"
        client = _client(login)
        yield Hit(
            subject=f"{login.user_id}@{login.at.isoformat()}",
            title=f"{login.user_name} logged in from {_what(login)}: {address}, "
            f"{client}",
            placeholders={
                "user": login.user_name,
                "address": address,
                "client": client,
                "what": _what(login),
                "at": login.at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            },
        )


def _summary(facts: Facts) -> str:
    count = len(facts[RECENT_LOGINS])
    return (
        f"{count} login{'s' if count > 1 else ''} from new sources in the last 24 hours"
    )


CHECK: Final = Check(
    id="login_new_source",
    family=Family.AUTHENTICATION,
    severity=Severity.INFO,
    learn_more_url="https://www.home-assistant.io/docs/authentication/#your-account-profile",
    needs=(RECENT_LOGINS,),
    inspect=_inspect,
    summary=_summary,
)
