"""What the authentication checks take from the remote access readers, never failing.

The auth checks only refine what they find with these: a failure to decide exposure, or to
read the HTTP settings or the configuration, leaves them as if nothing were exposed, no
proxy trusted and nothing from `secrets.yaml`; the checks still run. The checks that need
the exposure decision itself declare `EXPOSURE` (and are unknown without it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from ..const import LOGGER
from ..engine import CheckUnknown, Fact, ScanContext
from .config_facts import CONFIG_GRAPH
from .exposure import EXPOSURE, core_uses_secret
from .http_settings import HTTP_SETTINGS

if TYPE_CHECKING:
    from .networks import IPNetwork


async def _async_exposed(ctx: ScanContext) -> bool | None:
    try:
        return (await ctx.fact(EXPOSURE)).exposed
    except CheckUnknown:
        LOGGER.debug("Cannot decide exposure", exc_info=True)
        return None


EXPOSED_IF_KNOWN: Final = Fact[bool | None](
    name="whether the instance is reachable from outside, if it can be told",
    gather=_async_exposed,
)
"""Whether the instance is reachable from outside; None when that cannot be decided."""


@dataclass(frozen=True, kw_only=True)
class TrustedProxies:
    """The proxies whose `X-Forwarded-For` the server honours."""

    proxies: tuple[IPNetwork, ...] = ()
    from_secrets: frozenset[IPNetwork] = frozenset()
    """The proxies that came from `secrets.yaml`: never shown."""


async def _async_trusted_proxies(ctx: ScanContext) -> TrustedProxies:
    """Trusted proxies count only while `use_x_forwarded_for` is on."""
    try:
        settings = await ctx.fact(HTTP_SETTINGS)
    except CheckUnknown:
        LOGGER.debug("Cannot read the HTTP settings", exc_info=True)
        return TrustedProxies()
    proxies = settings.trusted_proxies if settings.use_x_forwarded_for else ()
    return TrustedProxies(
        proxies=proxies,
        from_secrets=frozenset(
            p for p in proxies if settings.secret("trusted_proxies", p)
        ),
    )


TRUSTED_PROXIES: Final = Fact[TrustedProxies](
    name="the trusted proxies in effect", gather=_async_trusted_proxies
)


async def _async_auth_providers_use_secrets(ctx: ScanContext) -> bool:
    try:
        graph = await ctx.fact(CONFIG_GRAPH)
        return core_uses_secret(graph, "auth_providers")
    except Exception:  # noqa: BLE001 - then nothing says they came from secrets.yaml
        LOGGER.debug("Cannot read the configuration graph", exc_info=True)
        return False


AUTH_PROVIDERS_USE_SECRETS: Final = Fact[bool](
    name="whether the auth providers' configuration uses secrets.yaml",
    gather=_async_auth_providers_use_secrets,
)
"""`homeassistant: auth_providers:` uses `!secret`: the networks there are not shown."""
