"""`trusted_proxies_broad` (high): `X-Forwarded-For` is trusted from public networks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from ...engine import Check, Facts, NotApplicable
from ...inspect.http_settings import HTTP_SETTINGS
from ...inspect.networks import is_broad_network
from ...model import Family, Hit, Severity
from . import URL_HTTP
from .settings import listing, setting_hit

if TYPE_CHECKING:
    from collections.abc import Iterator


def _inspect(facts: Facts) -> Iterator[Hit]:
    http = facts[HTTP_SETTINGS]
    if not http.use_x_forwarded_for:
        raise NotApplicable("X-Forwarded-For is not used")
    broad = [n for n in http.trusted_proxies if is_broad_network(n)]
    if broad:
        networks = listing(http, "trusted_proxies", broad)
        yield setting_hit(
            http,
            "trusted_proxies",
            f"Trusted proxies include public networks: {networks}",
            networks=networks,
        )


CHECK: Final = Check(
    id="trusted_proxies_broad",
    family=Family.REMOTE_ACCESS,
    severity=Severity.HIGH,
    learn_more_url=f"{URL_HTTP}#trusted_proxies",
    needs=(HTTP_SETTINGS,),
    inspect=_inspect,
)
