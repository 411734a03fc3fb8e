"""The authentication family: who can log in, how, and who keeps trying."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from datetime import datetime

    from ...inspect.auth import ProviderInfo

URL_AUTH: Final = "https://www.home-assistant.io/docs/authentication"
TRUSTED_NETWORKS: Final = "trusted_networks"


def provider_subject(provider: ProviderInfo) -> str:
    """The subject of a finding about an auth provider: its type and id."""
    return f"auth_provider:{provider.type}" + (f":{provider.id}" if provider.id else "")


def day(moment: datetime) -> str:
    """A date as the texts show it."""
    return moment.date().isoformat()
