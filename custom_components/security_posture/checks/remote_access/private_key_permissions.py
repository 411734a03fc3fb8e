"""`private_key_permissions` (medium): the private key file is readable by other users.

The fix makes it mode 600 when it is inside the configuration directory; it takes the key's
path from the effective HTTP settings, read again, not from the finding.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from ...engine import Check, CheckUnknown, Facts
from ...fixes.permissions import PrivateKeyModeFlow
from ...inspect.http_settings import HTTP_SETTINGS
from ...model import Family, Hit, Severity
from . import URL_HTTP
from .common import CERTIFICATE_NEEDS, certificate, file_shown, key_field

if TYPE_CHECKING:
    from collections.abc import Iterator

GROUP_OR_OTHERS_READ: Final = 0o044


def _inspect(facts: Facts) -> Iterator[Hit]:
    reading = certificate(facts)
    http = facts[HTTP_SETTINGS]
    key_file = reading.key_file
    if key_file.mode is None:
        raise CheckUnknown(f"the private key file cannot be read: {key_file.error}")
    if key_file.mode & GROUP_OR_OTHERS_READ:
        shown, relative, named = file_shown(http, key_field(reading), key_file)
        mode = f"{key_file.mode:04o}"
        yield Hit(
            subject=f"private key {named}",
            title=f"Private key {shown} is readable by other users (mode {mode})",
            file=relative,
            key=http.location("ssl_key").key,
            placeholders={"file": shown, "mode": mode},
        )


CHECK: Final = Check(
    id="private_key_permissions",
    family=Family.REMOTE_ACCESS,
    severity=Severity.MEDIUM,
    learn_more_url=f"{URL_HTTP}#ssl_key",
    needs=CERTIFICATE_NEEDS,
    inspect=_inspect,
    fix=PrivateKeyModeFlow,
)
