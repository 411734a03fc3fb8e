"""`certificate_key_mismatch` (high): the private key does not belong to the certificate."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from ...engine import Check, CheckUnknown, Facts
from ...inspect.http_settings import HTTP_SETTINGS
from ...model import Family, Hit, Severity
from . import URL_HTTP
from .common import CERTIFICATE_NEEDS, cert_hit, certificate, file_shown, key_field

if TYPE_CHECKING:
    from collections.abc import Iterator


def _inspect(facts: Facts) -> Iterator[Hit]:
    reading = certificate(facts)
    if reading.key_matches is None:
        raise CheckUnknown("the certificate or its private key cannot be read")
    if not reading.key_matches:
        key_shown, _, _ = file_shown(
            facts[HTTP_SETTINGS], key_field(reading), reading.key_file
        )
        yield cert_hit(
            facts,
            f"The private key {key_shown} does not belong to the certificate {{file}}",
            key_file=key_shown,
        )


CHECK: Final = Check(
    id="certificate_key_mismatch",
    family=Family.REMOTE_ACCESS,
    severity=Severity.HIGH,
    learn_more_url=f"{URL_HTTP}#ssl_key",
    needs=CERTIFICATE_NEEDS,
    inspect=_inspect,
)
