"""`certificate_expired` (critical): the served certificate is past its end of validity."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from ...engine import Check, Facts
from ...model import Family, Hit, Severity
from . import URL_HTTP
from .common import CERTIFICATE_NEEDS, cert_hit, date, leaf

if TYPE_CHECKING:
    from collections.abc import Iterator


def _inspect(facts: Facts) -> Iterator[Hit]:
    not_after = leaf(facts).not_after
    if not_after <= facts.now:
        expires = date(not_after)
        yield cert_hit(
            facts, f"Certificate {{file}} expired on {expires}", expires=expires
        )


CHECK: Final = Check(
    id="certificate_expired",
    family=Family.REMOTE_ACCESS,
    severity=Severity.CRITICAL,
    learn_more_url=f"{URL_HTTP}#ssl_certificate",
    needs=CERTIFICATE_NEEDS,
    inspect=_inspect,
)
