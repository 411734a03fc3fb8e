"""`certificate_hostname_mismatch` (medium): the certificate does not name the external host.

Not for Home Assistant Cloud's own URL, which has its own certificate.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from ...engine import Check, Facts, NotApplicable
from ...inspect.exposure import EXPOSURE
from ...inspect.tls_server import hostname_matches
from ...model import Family, Hit, Severity
from . import URL_HTTP
from .common import CERTIFICATE_NEEDS, cert_hit, leaf

if TYPE_CHECKING:
    from collections.abc import Iterator

CLOUD_SUFFIX: Final = ".ui.nabu.casa"


def _inspect(facts: Facts) -> Iterator[Hit]:
    served = leaf(facts)
    exposure = facts[EXPOSURE]
    host = exposure.external_host
    if host is None:
        raise NotApplicable("no external URL to compare the certificate with")
    if host == exposure.cloud_domain or host.endswith(CLOUD_SUFFIX):
        raise NotApplicable(
            "the external URL is Home Assistant Cloud's, which has its own"
        )
    if not hostname_matches(host, served.dns_names, served.ip_addresses):
        shown = exposure.shown_host or host
        yield cert_hit(facts, f"Certificate {{file}} does not name {shown}", host=shown)


CHECK: Final = Check(
    id="certificate_hostname_mismatch",
    family=Family.REMOTE_ACCESS,
    severity=Severity.MEDIUM,
    learn_more_url=f"{URL_HTTP}#ssl_certificate",
    needs=(*CERTIFICATE_NEEDS, EXPOSURE),
    inspect=_inspect,
)
