"""`certificate_unreadable` (high): the server cannot use the certificate or its key.

Missing, unreadable, not PEM, encrypted with a passphrase, or refused by the TLS context of
the configured profile (a key that is too small): why, for each file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from ...engine import Check, Facts
from ...inspect.http_settings import HTTP_SETTINGS
from ...markdown import Markdown, code
from ...model import Family, Hit, Severity
from . import URL_HTTP
from .common import CERTIFICATE_NEEDS, certificate, file_shown, key_field

if TYPE_CHECKING:
    from collections.abc import Iterator


def _inspect(facts: Facts) -> Iterator[Hit]:
    reading = certificate(facts)
    http = facts[HTTP_SETTINGS]
    problems = (
        (
            "certificate",
            "ssl_certificate",
            "ssl_certificate",
            reading.certificate_file,
            reading.certificate_error,
        ),
        (
            "private key",
            "ssl_key",
            key_field(reading),
            reading.key_file,
            reading.key_error,
        ),
    )
    for kind, name, field, file, reason in problems:
        if reason is None:
            continue
        shown, relative, named = file_shown(http, field, file)
        yield Hit(
            subject=f"{kind} {named}",
            title=f"The {kind} {shown} cannot be used: {reason}",
            file=relative,
            key=http.location(name).key,
            placeholders={
                "detail": Markdown(f"{kind} {code(shown)}"),
                "reason": reason,
            },
        )


CHECK: Final = Check(
    id="certificate_unreadable",
    family=Family.REMOTE_ACCESS,
    severity=Severity.HIGH,
    learn_more_url=f"{URL_HTTP}#ssl_certificate",
    needs=CERTIFICATE_NEEDS,
    inspect=_inspect,
)
