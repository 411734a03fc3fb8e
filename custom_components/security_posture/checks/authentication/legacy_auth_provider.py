"""`legacy_auth_provider` (critical): a deprecated or non-standard auth provider.

`legacy_api_password` (removed from Home Assistant) and `insecure_example` (test only,
passwords in plain text) are critical; any other provider than `homeassistant`,
`trusted_networks` and `command_line` (all three documented and maintained) is a
non-standard one, reported medium.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from ...engine import Check, Facts
from ...inspect.auth import AUTH_PROVIDERS
from ...model import Family, Hit, Severity
from . import URL_AUTH, provider_subject

if TYPE_CHECKING:
    from collections.abc import Iterator

STANDARD_PROVIDERS: Final = frozenset(
    {"homeassistant", "trusted_networks", "command_line"}
)
CRITICAL_PROVIDERS: Final = frozenset({"legacy_api_password", "insecure_example"})


def _inspect(facts: Facts) -> Iterator[Hit]:
    for provider in facts[AUTH_PROVIDERS]:
        if provider.type in STANDARD_PROVIDERS:
            continue
        critical = provider.type in CRITICAL_PROVIDERS
        yield Hit(
            subject=provider_subject(provider),
            title=f"{'Deprecated' if critical else 'Non-standard'} auth provider "
            f"{provider.type}",
            severity=Severity.CRITICAL if critical else Severity.MEDIUM,
            placeholders={
                "provider": provider.type,
                "kind": "deprecated and weaker than Home Assistant's own"
                if critical
                else "not one of the providers Home Assistant documents and maintains",
            },
        )


CHECK: Final = Check(
    id="legacy_auth_provider",
    family=Family.AUTHENTICATION,
    severity=Severity.CRITICAL,
    learn_more_url=f"{URL_AUTH}/providers/",
    needs=(AUTH_PROVIDERS,),
    inspect=_inspect,
)
