"""`tls_missing` (high): reachable at a public host name, and nothing provides TLS.

A certificate of Home Assistant's own, a reverse proxy or Home Assistant Cloud's remote UI
each provide it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from ...engine import Check, Facts, NotApplicable
from ...inspect.exposure import EXPOSURE
from ...inspect.http_settings import HTTP_SETTINGS
from ...model import Family, Hit, Severity
from . import URL_REMOTE

if TYPE_CHECKING:
    from collections.abc import Iterator


def _inspect(facts: Facts) -> Iterator[Hit]:
    exposure = facts[EXPOSURE]
    http = facts[HTTP_SETTINGS]
    if not exposure.external_host_public:
        raise NotApplicable("no external URL names a host outside the local network")
    if http.ssl_certificate or exposure.reverse_proxy or exposure.cloud_remote:
        return
    where = http.location("ssl_certificate")
    yield Hit(
        subject="http.ssl_certificate",
        title=f"Reachable at {exposure.shown_url} without TLS",
        key=where.key,
        file=where.file,
        placeholders={"detail": f"external URL {exposure.shown_url}"},
    )


CHECK: Final = Check(
    id="tls_missing",
    family=Family.REMOTE_ACCESS,
    severity=Severity.HIGH,
    learn_more_url=URL_REMOTE,
    needs=(EXPOSURE, HTTP_SETTINGS),
    inspect=_inspect,
)
