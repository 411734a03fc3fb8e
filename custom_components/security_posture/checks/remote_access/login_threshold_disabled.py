"""`login_threshold_disabled` (medium; high when reachable from outside): no ban after failed logins."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from ...engine import Check, Facts
from ...inspect.exposure import EXPOSURE
from ...inspect.http_settings import HTTP_SETTINGS
from ...model import Family, Hit, Severity
from . import URL_HTTP
from .settings import setting_hit

if TYPE_CHECKING:
    from collections.abc import Iterator


def _inspect(facts: Facts) -> Iterator[Hit]:
    http = facts[HTTP_SETTINGS]
    if not http.login_threshold_enabled:
        yield setting_hit(
            http,
            "login_attempts_threshold",
            "Failed logins are never banned",
            severity=Severity.HIGH if facts[EXPOSURE].exposed else None,
        )


CHECK: Final = Check(
    id="login_threshold_disabled",
    family=Family.REMOTE_ACCESS,
    severity=Severity.MEDIUM,
    learn_more_url=f"{URL_HTTP}#login_attempts_threshold",
    needs=(HTTP_SETTINGS, EXPOSURE),
    inspect=_inspect,
)
