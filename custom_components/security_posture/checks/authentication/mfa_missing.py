"""`mfa_missing` (high): a user without multi-factor authentication.

Administrators (owner or admin group) high, other users low; one level higher when the
instance is reachable from outside (the remote access family's exposure decision), except
for users restricted to the local network (`local_only`). When exposure cannot be decided,
the levels stay.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from ...engine import Check, Facts
from ...inspect.auth import USERS, UserInfo
from ...inspect.auth_exposure import EXPOSED_IF_KNOWN
from ...model import Family, Hit, Severity
from . import URL_AUTH

if TYPE_CHECKING:
    from collections.abc import Iterator

_RAISE: Final = {Severity.LOW: Severity.MEDIUM, Severity.HIGH: Severity.CRITICAL}


def _role(user: UserInfo) -> str:
    if user.is_owner:
        return "owner"
    return "administrator" if user.is_admin else "user"


def _inspect(facts: Facts) -> Iterator[Hit]:
    exposed = facts[EXPOSED_IF_KNOWN]
    for user in facts[USERS]:
        if user.mfa_modules:
            continue
        severity = Severity.HIGH if user.is_admin else Severity.LOW
        if exposed and not user.local_only:
            severity = _RAISE[severity]
        yield Hit(
            subject=user.id,
            title=f"{user.name} has no multi-factor authentication",
            severity=severity,
            placeholders={"user": user.name, "role": _role(user)},
        )


CHECK: Final = Check(
    id="mfa_missing",
    family=Family.AUTHENTICATION,
    severity=Severity.HIGH,
    learn_more_url=f"{URL_AUTH}/multi-factor-auth/",
    needs=(USERS, EXPOSED_IF_KNOWN),
    inspect=_inspect,
)
