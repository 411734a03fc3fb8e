"""`certificate_weak` (medium): an RSA or DSA key under 2048 bits, or a SHA-1/MD5 signature."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from ...engine import Check, Facts
from ...model import Family, Hit, Severity
from . import URL_HTTP
from .common import CERTIFICATE_NEEDS, cert_hit, leaf

if TYPE_CHECKING:
    from collections.abc import Iterator

MIN_KEY_BITS: Final = 2048
WEAK_HASHES: Final = frozenset({"sha1", "md5"})


def _inspect(facts: Facts) -> Iterator[Hit]:
    served = leaf(facts)
    weaknesses: list[str] = []
    if served.key_type in ("RSA", "DSA") and (served.key_size or 0) < MIN_KEY_BITS:
        weaknesses.append(f"{served.key_size}-bit {served.key_type} key")
    if served.signature_hash in WEAK_HASHES:
        weaknesses.append(f"{served.signature_hash.upper()} signature")
    if weaknesses:
        detail = ", ".join(weaknesses)
        yield cert_hit(facts, f"Certificate {{file}} is weak: {detail}", detail=detail)


CHECK: Final = Check(
    id="certificate_weak",
    family=Family.REMOTE_ACCESS,
    severity=Severity.MEDIUM,
    learn_more_url=f"{URL_HTTP}#ssl_certificate",
    needs=CERTIFICATE_NEEDS,
    inspect=_inspect,
)
