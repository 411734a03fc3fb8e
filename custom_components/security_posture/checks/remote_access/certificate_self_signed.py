"""`certificate_self_signed` (low): the served certificate is signed by its own key."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from ...engine import Check, Facts
from ...model import Family, Hit, Severity
from . import URL_HTTP
from .common import CERTIFICATE_NEEDS, cert_hit, leaf

if TYPE_CHECKING:
    from collections.abc import Iterator


def _inspect(facts: Facts) -> Iterator[Hit]:
    if leaf(facts).self_signed:
        yield cert_hit(facts, "Certificate {file} is self-signed")


CHECK: Final = Check(
    id="certificate_self_signed",
    family=Family.REMOTE_ACCESS,
    severity=Severity.LOW,
    learn_more_url=f"{URL_HTTP}#ssl_certificate",
    needs=CERTIFICATE_NEEDS,
    inspect=_inspect,
)
