"""What the remote access checks share: the certificate, how paths and settings are shown.

Nothing that came from `secrets.yaml` is shown: a certificate or key path named there is
described, and values of a setting set there are counted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from homeassistant.const import MAJOR_VERSION, MINOR_VERSION

from ...engine import CheckUnknown, NotApplicable
from ...inspect.certificates import CERTIFICATE
from ...inspect.http_settings import HTTP_SETTINGS
from ...inspect.http_values import SOURCE_PENDING, SOURCE_STABLE, YAML_FILE
from ...markdown import Markdown, code
from ...model import Hit

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime

    from ...engine import Facts
    from ...inspect.certificates import CertificateReading, FileFacts, LeafCertificate
    from ...inspect.http_values import HttpSettings
    from ...model import Severity

CERTIFICATE_NEEDS: Final = (HTTP_SETTINGS, CERTIFICATE)
"""What a check about the certificate file needs (the settings tell where it comes from)."""

FILE_FROM_SECRETS: Final = "(named in secrets.yaml)"
# The first release whose HTTP settings are changed in Settings -> System -> Network.
HTTP_SETTINGS_UI: Final = (2026, 8)
# Each setting's section on that page, as the frontend names it.
_UI_SECTIONS: Final = {
    "ssl_profile": "SSL/TLS",
    "trusted_proxies": "Reverse proxy",
    "ip_ban_enabled": "IP banning",
    "login_attempts_threshold": "IP banning",
    "cors_allowed_origins": "More options",
    "use_x_frame_options": "More options",
}


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


def listing(http: HttpSettings, field: str, values: Sequence[object]) -> str:
    """Values of a setting for people; those from `secrets.yaml` are only counted."""
    shown = [str(v) for v in values if not http.secret(field, v)]
    if hidden := len(values) - len(shown):
        shown.append(f"{hidden} set in secrets.yaml (not shown)")
    return ", ".join(shown)


def where_to_change(
    http: HttpSettings,
    name: str,
    release: tuple[int, int] = (MAJOR_VERSION, MINOR_VERSION),
) -> str:
    """Where people change one HTTP setting: the network settings, or the YAML file."""
    if http.base in (SOURCE_STABLE, SOURCE_PENDING) or release >= HTTP_SETTINGS_UI:
        section = _UI_SECTIONS.get(name)
        return Markdown(
            "[Settings → System → Network](/config/network), **HTTP server**"
            + (f" → **{section}**" if section else "")
        )
    file = http.location(name).file or YAML_FILE
    if file != YAML_FILE and not file.endswith((".yaml", ".yml")):
        file = (
            YAML_FILE  # .storage/http: a copy Home Assistant keeps, not edited by hand
        )
    return Markdown(
        f"the `http:` section of {code(file)} (then restart Home Assistant)"
    )


def setting_hit(
    http: HttpSettings,
    name: str,
    title: str,
    severity: Severity | None = None,
    **placeholders: str,
) -> Hit:
    """A hit about one HTTP setting, located where it is changed, with `{where}` set.

    `{where}` says where people change it (not which file or storage slot it was read from).
    """
    where = http.location(name)
    return Hit(
        subject=f"http.{name}",
        title=title,
        severity=severity,
        file=where.file,
        line=where.line,
        key=where.key,
        placeholders={"where": where_to_change(http, name), **placeholders},
    )


def date(moment: datetime) -> str:
    """A moment as the texts show it."""
    return moment.strftime("%Y-%m-%d %H:%M UTC")
