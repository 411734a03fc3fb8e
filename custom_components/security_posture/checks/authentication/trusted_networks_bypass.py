"""`trusted_networks_bypass` (high): trusted networks log in without choosing a user.

A `trusted_networks` provider with `allow_bypass_login`. Networks written through
`!secret` are not shown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from ...engine import Check, Facts
from ...inspect.auth import AUTH_PROVIDERS, ProviderInfo
from ...inspect.auth_exposure import AUTH_PROVIDERS_USE_SECRETS
from ...model import Family, Hit, Severity
from . import TRUSTED_NETWORKS, URL_AUTH, provider_subject

if TYPE_CHECKING:
    from collections.abc import Iterator

NETWORKS_FROM_SECRETS: Final = "networks set in secrets.yaml (not shown)"


def _networks(provider: ProviderInfo, *, hidden: bool) -> str:
    if hidden and provider.trusted_networks:
        return NETWORKS_FROM_SECRETS
    return ", ".join(str(n) for n in provider.trusted_networks) or "no network"


def _inspect(facts: Facts) -> Iterator[Hit]:
    hidden = facts[AUTH_PROVIDERS_USE_SECRETS]
    for provider in facts[AUTH_PROVIDERS]:
        if provider.type == TRUSTED_NETWORKS and provider.allow_bypass_login:
            yield Hit(
                subject=provider_subject(provider),
                title="Trusted networks log in without a password",
                placeholders={"networks": _networks(provider, hidden=hidden)},
            )


CHECK: Final = Check(
    id="trusted_networks_bypass",
    family=Family.AUTHENTICATION,
    severity=Severity.HIGH,
    learn_more_url=f"{URL_AUTH}/providers/#trusted-networks",
    needs=(AUTH_PROVIDERS, AUTH_PROVIDERS_USE_SECRETS),
    inspect=_inspect,
)
