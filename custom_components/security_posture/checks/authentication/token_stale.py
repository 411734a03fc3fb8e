"""`token_stale` (low): a long-lived access token created more than 180 days ago.

Home Assistant never records the use of a long-lived token: `last_used_at` changes only
when an access token is made from a refresh token (`AuthManager.async_create_access_token`),
and a long-lived token makes its one access token when it is created. So the finding gives
what is true, the token's age and owner, and says that nobody can tell whether it is in use
(Node-RED or Grafana may use it every minute); the revoke flow says so before revoking. The
subject is the token's id: revoking needs it, and the id is not the token.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Final

from ...engine import Check, Facts
from ...inspect.auth import LONG_LIVED_TOKENS
from ...model import Family, Hit, Severity
from . import URL_AUTH, day
from .token_stale_fix import RevokeTokenFlow

if TYPE_CHECKING:
    from collections.abc import Iterator

TOKEN_STALE_AFTER: Final = timedelta(days=180)


def _inspect(facts: Facts) -> Iterator[Hit]:
    for token in facts[LONG_LIVED_TOKENS]:
        age = facts.now - token.created_at
        if age < TOKEN_STALE_AFTER:
            continue
        yield Hit(
            subject=token.id,
            title=f'Long-lived access token "{token.client_name}" of {token.user_name} '
            f"is {age.days} days old",
            placeholders={
                "token": token.client_name,
                "user": token.user_name,
                "created": day(token.created_at),
                "age": str(age.days),
            },
        )


CHECK: Final = Check(
    id="token_stale",
    family=Family.AUTHENTICATION,
    severity=Severity.LOW,
    learn_more_url=f"{URL_AUTH}/#your-account-profile",
    needs=(LONG_LIVED_TOKENS,),
    inspect=_inspect,
    fix=RevokeTokenFlow,
)
