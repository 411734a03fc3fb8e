"""`trusted_networks_broad` (high): a trusted network that includes the internet.

A trusted network is broad when it is not inside the private ranges (`inspect/networks.py`:
RFC 1918, loopback, link-local, 100.64.0.0/10 as used by CGNAT and Tailscale, IPv6 ULA and
link-local); all of the internet (a /0) is critical. A trusted proxy inside a trusted network is a finding too:
the addresses that requests through the proxy claim decide who is trusted. What came from
`secrets.yaml` is named by its position, never shown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from ...engine import Check, Facts
from ...inspect.auth import AUTH_PROVIDERS, ProviderInfo
from ...inspect.auth_exposure import (
    AUTH_PROVIDERS_USE_SECRETS,
    TRUSTED_PROXIES,
    TrustedProxies,
)
from ...inspect.networks import is_private_network
from ...model import Family, Hit, Severity
from . import TRUSTED_NETWORKS, URL_AUTH, provider_subject

if TYPE_CHECKING:
    from collections.abc import Iterator


def _broad_networks(provider: ProviderInfo, *, hidden: bool) -> Iterator[Hit]:
    subject = provider_subject(provider)
    for index, network in enumerate(provider.trusted_networks):
        if is_private_network(network):
            continue
        everything = network.prefixlen == 0
        shown = "set in secrets.yaml" if hidden else str(network)
        yield Hit(
            # The position names a network from secrets.yaml: its value is not shown.
            subject=f"{subject}:network:{f'#{index}' if hidden else network}",
            title=f"Trusted network {shown} includes the internet",
            severity=Severity.CRITICAL if everything else None,
            placeholders={
                "detail": f"{shown}, which includes "
                + (
                    "every address on the internet"
                    if everything
                    else "public addresses"
                )
            },
        )


def _proxies_inside(
    provider: ProviderInfo, trusted: TrustedProxies, *, hidden: bool
) -> Iterator[Hit]:
    subject = provider_subject(provider)
    for index, proxy in enumerate(trusted.proxies):
        inside = next(
            (
                n
                for n in provider.trusted_networks
                if n.version == proxy.version and n.overlaps(proxy)
            ),
            None,
        )
        if inside is None:
            continue
        proxy_hidden = proxy in trusted.from_secrets
        proxy_shown = "(set in secrets.yaml)" if proxy_hidden else str(proxy)
        network_shown = "a network set in secrets.yaml" if hidden else str(inside)
        yield Hit(
            subject=f"{subject}:proxy:{f'#{index}' if proxy_hidden else proxy}",
            title=f"Trusted proxy {proxy_shown} is inside a trusted network",
            placeholders={
                "detail": f"{network_shown}, which contains the trusted proxy "
                f"{proxy_shown}: the addresses that requests through the proxy claim "
                "(X-Forwarded-For) decide who is trusted"
            },
        )


def _inspect(facts: Facts) -> Iterator[Hit]:
    hidden = facts[AUTH_PROVIDERS_USE_SECRETS]
    trusted = facts[TRUSTED_PROXIES]
    for provider in facts[AUTH_PROVIDERS]:
        if provider.type != TRUSTED_NETWORKS:
            continue
        yield from _broad_networks(provider, hidden=hidden)
        yield from _proxies_inside(provider, trusted, hidden=hidden)


CHECK: Final = Check(
    id="trusted_networks_broad",
    family=Family.AUTHENTICATION,
    severity=Severity.HIGH,
    learn_more_url=f"{URL_AUTH}/providers/#trusted-networks",
    needs=(AUTH_PROVIDERS, TRUSTED_PROXIES, AUTH_PROVIDERS_USE_SECRETS),
    inspect=_inspect,
)
