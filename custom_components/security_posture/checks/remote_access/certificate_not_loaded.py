"""`certificate_not_loaded` (medium): the certificate changed after Home Assistant started.

The server loads it at start: a renewed certificate is served after a restart, which the fix
does (after checking the configuration).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from ...engine import Check, CheckUnknown, Facts
from ...fixes.restart import RestartFlow
from ...inspect.process import PROCESS_STARTED
from ...model import Family, Hit, Severity
from . import URL_HTTP
from .common import CERTIFICATE_NEEDS, cert_hit, certificate, date

if TYPE_CHECKING:
    from collections.abc import Iterator


def _inspect(facts: Facts) -> Iterator[Hit]:
    changed = certificate(facts).newest_mtime
    if changed is None:
        raise CheckUnknown("the certificate files cannot be read")
    if changed > facts[PROCESS_STARTED]:
        yield cert_hit(
            facts,
            "Certificate {file} changed after Home Assistant started",
            changed=date(changed),
        )


CHECK: Final = Check(
    id="certificate_not_loaded",
    family=Family.REMOTE_ACCESS,
    severity=Severity.MEDIUM,
    learn_more_url=f"{URL_HTTP}#ssl_certificate",
    needs=(*CERTIFICATE_NEEDS, PROCESS_STARTED),
    inspect=_inspect,
    fix=RestartFlow,
)
