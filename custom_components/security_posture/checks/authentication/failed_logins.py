"""`failed_logins` (medium): failed logins or bans in the last 7 days.

One finding while `ip_bans.yaml` has bans from the last 7 days or Home Assistant shows a
"Login attempt failed" notification from that time. Unknown when `ip_bans.yaml` cannot be
read. Each new failed login or ban is also announced as an event (see `events.py`).
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Final

from ...engine import Check, Facts
from ...inspect.auth import FAILED_LOGINS, FailedLoginKind
from ...model import Family, Hit, Severity
from . import day

if TYPE_CHECKING:
    from collections.abc import Iterator

FAILED_LOGIN_WINDOW: Final = timedelta(days=7)


def _inspect(facts: Facts) -> Iterator[Hit]:
    since = facts.now - FAILED_LOGIN_WINDOW
    recent = [f for f in facts[FAILED_LOGINS] if f.at is not None and f.at >= since]
    if not recent:
        return
    bans = sorted(
        (f for f in recent if f.kind is FailedLoginKind.BAN),
        key=lambda f: f.at or since,
    )
    parts = []
    if bans:
        last = bans[-1]
        parts.append(
            f"{len(bans)} address{'es were' if len(bans) > 1 else ' was'} banned for too "
            f"many failed logins in the last 7 days (latest: {last.ip_address}, "
            f"{day(last.at or since)})."
        )
    parts.extend(
        "Home Assistant reports a failed login from "
        f"{f.host or f.ip_address or 'an unknown address'}"
        + (
            f" ({f.ip_address})"
            if f.host and f.ip_address and f.host != f.ip_address
            else ""
        )
        + f" on {day(f.at or since)}."
        for f in recent
        if f.kind is FailedLoginKind.FAILED_LOGIN
    )
    yield Hit(
        subject="recent",
        title="Recent failed logins",
        placeholders={"detail": " ".join(parts)},
    )


CHECK: Final = Check(
    id="failed_logins",
    family=Family.AUTHENTICATION,
    severity=Severity.MEDIUM,
    learn_more_url="https://www.home-assistant.io/integrations/http/#ip-filtering-and-banning",
    needs=(FAILED_LOGINS,),
    inspect=_inspect,
)
