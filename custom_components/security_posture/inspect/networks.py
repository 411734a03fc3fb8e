"""Address ranges that stay inside a home, a container network or a VPN overlay.

One list for every decision about networks: trusted proxies and trusted networks that reach
beyond it are broad, and a host whose address is in it (or is not global at all) can only
be reached from the local network.
"""

from __future__ import annotations

from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_network
from typing import Final

type IPNetwork = IPv4Network | IPv6Network
type IPAddress = IPv4Address | IPv6Address

PRIVATE_NETWORKS: Final[tuple[IPNetwork, ...]] = tuple(
    ip_network(n)
    for n in (
        "10.0.0.0/8",  # RFC 1918
        "172.16.0.0/12",
        "192.168.0.0/16",
        "127.0.0.0/8",  # loopback
        "169.254.0.0/16",  # link-local
        "100.64.0.0/10",  # shared address space: carrier-grade NAT, Tailscale
        "::1/128",
        "fc00::/7",  # unique local
        "fe80::/10",  # link-local
    )
)
"""Private, loopback, link-local and shared ranges, IPv4 and IPv6."""


def is_private_network(network: IPNetwork) -> bool:
    """Whether every address of `network` is in one of `PRIVATE_NETWORKS`.

    10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 127.0.0.0/8, 100.64.0.0/10, fc00::/7 and
    their subnets are; 0.0.0.0/0, ::/0 and any network with a public address are not.
    """
    return any(
        network.version == private.version and network.subnet_of(private)  # type: ignore[arg-type]
        for private in PRIVATE_NETWORKS
    )


def is_broad_network(network: IPNetwork) -> bool:
    """Whether a network reaches beyond the private, loopback, link-local and shared ranges."""
    return not is_private_network(network)


def is_local_address(address: IPAddress) -> bool:
    """Whether an address is only reachable from a local network.

    In one of `PRIVATE_NETWORKS`, or not global at all (documentation and reserved ranges).
    """
    return any(address in private for private in PRIVATE_NETWORKS) or (
        not address.is_global
    )
