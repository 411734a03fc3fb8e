"""`cors_origins_extra` (low): CORS allows origins besides the Cast origin."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from ...engine import Check, Facts
from ...inspect.http_settings import HTTP_SETTINGS
from ...inspect.http_values import DEFAULT_CORS
from ...model import Family, Hit, Severity
from . import URL_HTTP
from .settings import listing, setting_hit

if TYPE_CHECKING:
    from collections.abc import Iterator


def _inspect(facts: Facts) -> Iterator[Hit]:
    http = facts[HTTP_SETTINGS]
    extra = [o for o in http.cors_allowed_origins if o not in DEFAULT_CORS]
    if extra:
        origins = listing(http, "cors_allowed_origins", extra)
        yield setting_hit(
            http,
            "cors_allowed_origins",
            f"CORS allows extra origins: {origins}",
            origins=origins,
        )


CHECK: Final = Check(
    id="cors_origins_extra",
    family=Family.REMOTE_ACCESS,
    severity=Severity.LOW,
    learn_more_url=f"{URL_HTTP}#cors_allowed_origins",
    needs=(HTTP_SETTINGS,),
    inspect=_inspect,
)
