"""What the certificate checks share: the certificate, how its files are shown.

Nothing that came from `secrets.yaml` is shown: a certificate or key path named there is
described. The checks of one setting share `settings.py`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from ...engine import CheckUnknown, NotApplicable
from ...inspect.certificates import CERTIFICATE
from ...inspect.http_settings import HTTP_SETTINGS
from ...model import Hit

if TYPE_CHECKING:
    from datetime import datetime

    from ...engine import Facts
    from ...inspect.certificates import CertificateReading, FileFacts, LeafCertificate
    from ...inspect.http_values import HttpSettings
    from ...model import Severity

CERTIFICATE_NEEDS: Final = (HTTP_SETTINGS, CERTIFICATE)
"""What a check about the certificate file needs (the settings tell where it comes from)."""

FILE_FROM_SECRETS: Final = "(named in secrets.yaml)"


def certificate(facts: Facts) -> CertificateReading:
    """The configured certificate's reading; passes the check when there is none."""
    if (reading := facts[CERTIFICATE]) is None:
        raise NotApplicable("no certificate is configured")
    return reading


def leaf(facts: Facts) -> LeafCertificate:
    """The leaf certificate; unknown when it cannot be read."""
    if (found := certificate(facts).leaf) is None:
        raise CheckUnknown("the certificate cannot be read")
    return found


def key_field(reading: CertificateReading) -> str:
    """The setting that names the private key's file."""
    return "ssl_certificate" if reading.key_in_certificate_file else "ssl_key"


def file_shown(
    http: HttpSettings, field: str, file: FileFacts
) -> tuple[str, str | None, str]:
    """A certificate or key file as shown, relative, and as a subject names it.

    A path that came from `secrets.yaml` is never shown: not in the title, the file, the
    subject or a placeholder.
    """
    if http.secret(field, file.path):
        return FILE_FROM_SECRETS, None, f"{field} from secrets.yaml"
    return file.shown, file.relative, file.path


def cert_hit(
    facts: Facts,
    title: str,
    severity: Severity | None = None,
    **placeholders: str,
) -> Hit:
    """A hit about the certificate file, with `{file}` set (in the title too)."""
    http = facts[HTTP_SETTINGS]
    shown, relative, named = file_shown(
        http, "ssl_certificate", certificate(facts).certificate_file
    )
    return Hit(
        subject=f"certificate {named}",
        title=title.replace("{file}", shown),
        severity=severity,
        file=relative,
        key=http.location("ssl_certificate").key,
        placeholders={"file": shown, **placeholders},
    )


def date(moment: datetime) -> str:
    """A moment as the texts show it."""
    return moment.strftime("%Y-%m-%d %H:%M UTC")
