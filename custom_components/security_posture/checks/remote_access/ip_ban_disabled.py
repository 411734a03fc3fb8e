"""`ip_ban_disabled` (medium): IP banning is turned off."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from ...engine import Check, Facts
from ...inspect.http_settings import HTTP_SETTINGS
from ...model import Family, Hit, Severity
from . import URL_HTTP
from .settings import setting_hit

if TYPE_CHECKING:
    from collections.abc import Iterator


def _inspect(facts: Facts) -> Iterator[Hit]:
    http = facts[HTTP_SETTINGS]
    if not http.ip_ban_enabled:
        yield setting_hit(http, "ip_ban_enabled", "IP banning is disabled")


CHECK: Final = Check(
    id="ip_ban_disabled",
    family=Family.REMOTE_ACCESS,
    severity=Severity.MEDIUM,
    learn_more_url=f"{URL_HTTP}#ip_ban_enabled",
    needs=(HTTP_SETTINGS,),
    inspect=_inspect,
)
