"""The one list of private ranges, and the decisions made with it."""

from __future__ import annotations

from ipaddress import ip_address, ip_network

import pytest

from custom_components.security_posture.inspect.networks import (
    is_broad_network,
    is_local_address,
    is_private_network,
)


@pytest.mark.parametrize(
    ("network", "private"),
    [
        ("192.168.0.0/16", True),
        ("192.168.1.5/32", True),
        ("10.1.2.0/24", True),
        ("10.0.0.0/8", True),
        ("172.30.32.0/23", True),
        ("100.64.0.0/10", True),
        ("127.0.0.1/32", True),
        ("169.254.1.0/24", True),
        ("fd00::/8", True),
        ("fe80::/64", True),
        ("::1/128", True),
        ("0.0.0.0/0", False),
        ("::/0", False),
        ("8.8.8.0/24", False),
        ("172.0.0.0/8", False),
        ("203.0.113.0/24", False),
        ("192.168.0.0/15", False),
        ("2001:db8::/32", False),
    ],
)
def test_private_and_broad_networks(network: str, private: bool) -> None:
    assert is_private_network(ip_network(network)) is private
    assert is_broad_network(ip_network(network)) is not private


@pytest.mark.parametrize(
    ("address", "local"),
    [
        ("192.168.1.10", True),
        ("100.100.1.1", True),  # shared address space (Tailscale)
        ("127.0.0.1", True),
        ("fd12::1", True),
        ("192.0.2.1", True),  # documentation: not global
        ("8.8.8.8", False),
        ("2606:4700::1111", False),
    ],
)
def test_local_addresses(address: str, local: bool) -> None:
    assert is_local_address(ip_address(address)) is local
