"""The authentication family: who can log in, how, and who keeps trying.

Decisions:
- `mfa_missing`: administrators (owner or admin group) high, other users low; one level
  higher when the instance is reachable from outside (the remote access family's exposure
  decision), except for users restricted to the local network (`local_only`).
- `trusted_networks_broad`: a trusted network is broad when it is not inside the local
  ranges (RFC 1918, loopback, link-local, 100.64.0.0/10 as used by CGNAT and Tailscale,
  IPv6 ULA and link-local); all of the internet (a /0) is critical. A trusted proxy inside a
  trusted network is a finding too.
- `legacy_auth_provider`: `legacy_api_password` (removed from Home Assistant) and
  `insecure_example` (test only, passwords in plain text) are critical; any other provider
  than `homeassistant`, `trusted_networks` and `command_line` (all three documented and
  maintained) is a non-standard one, reported medium.
- `token_stale`: a long-lived access token created more than 180 days ago, low. Home
  Assistant never records the use of a long-lived token: `last_used_at` changes only when an
  access token is made from a refresh token (`AuthManager.async_create_access_token`), and a
  long-lived token makes its one access token when it is created. So the finding gives what
  is true, the token's age and owner, and says that nobody can tell whether it is in use
  (Node-RED or Grafana may use it every minute); the revoke flow says so before revoking.
  The subject is the token's id: revoking needs it, and the id is not the token.
- `failed_logins`: one finding while `ip_bans.yaml` has bans from the last 7 days or Home
  Assistant shows a "Login attempt failed" notification from that time.

Event: every failed login and every ban Home Assistant reports (through its persistent
notifications) is fired once as `security_posture_failed_login` with data
`{"kind": "failed_login" | "ban", "ip_address": str | None, "host": str | None,
"at": ISO-8601 | None}`, and asks for a rescan.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from homeassistant.components import persistent_notification
from homeassistant.core import HomeAssistant, callback

from ...const import EVENT_FAILED_LOGIN, LOGGER
from ...engine import CheckUnknown, ScanContext
from ...inspect.auth import (
    IP_BANS_FILE,
    FailedLogin,
    IpBansUnreadable,
    ProviderInfo,
    TokenInfo,
    UserInfo,
    async_read_tokens,
    async_read_users,
    failed_login_from_notification,
    read_failed_login_notice,
    read_ip_bans,
    read_providers,
)
from ...inspect.exposure import async_get_exposure, core_uses_secret
from ...inspect.graph_reader import async_get_config_graph
from ...inspect.http_settings import async_get_http_settings
from ...inspect.networks import IPNetwork, is_private_network
from ...model import Family, Hit, Severity
from ..legacy import FamilyChecks, LegacyCheck

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from homeassistant.core import CALLBACK_TYPE

TOKEN_STALE_AFTER = timedelta(days=180)
FAILED_LOGIN_WINDOW = timedelta(days=7)

STANDARD_PROVIDERS = frozenset({"homeassistant", "trusted_networks", "command_line"})
CRITICAL_PROVIDERS = frozenset({"legacy_api_password", "insecure_example"})
_DOCS = "https://www.home-assistant.io/docs/authentication"
_RAISE = {Severity.LOW: Severity.MEDIUM, Severity.HIGH: Severity.CRITICAL}


@dataclass(frozen=True, kw_only=True)
class AuthFacts:
    """Users, providers, tokens and recent failed logins."""

    users: tuple[UserInfo, ...]
    providers: tuple[ProviderInfo, ...]
    trusted_proxies: tuple[IPNetwork, ...]
    tokens: tuple[TokenInfo, ...]
    failed_logins: tuple[FailedLogin, ...]
    failed_logins_error: str | None = None
    exposed: bool | None = None  # None: exposure could not be decided
    secret_proxies: frozenset[IPNetwork] = frozenset()
    """Trusted proxies that came from `secrets.yaml`: never shown."""
    networks_from_secrets: bool = False
    """The auth providers' configuration uses `!secret`: their networks are not shown."""


async def _async_exposure(
    ctx: ScanContext,
) -> tuple[bool | None, tuple[IPNetwork, ...], frozenset[IPNetwork]]:
    """Exposure, the trusted proxies, and which of them came from `secrets.yaml`.

    All come from the remote access family's readers (memoized for the scan). Trusted
    proxies count only while `use_x_forwarded_for` is on: otherwise no header is honoured.
    """
    try:
        exposure = await async_get_exposure(ctx)
        settings = await async_get_http_settings(ctx)
    except Exception:  # noqa: BLE001 - without them the other checks still run
        LOGGER.debug("Cannot decide exposure", exc_info=True)
        return None, (), frozenset()
    proxies = settings.trusted_proxies if settings.use_x_forwarded_for else ()
    secret = frozenset(p for p in proxies if settings.secret("trusted_proxies", p))
    return exposure.exposed, proxies, secret


async def _async_networks_from_secrets(ctx: ScanContext) -> bool:
    try:
        graph = await async_get_config_graph(ctx)
    except Exception:  # noqa: BLE001 - then nothing says they came from secrets.yaml
        LOGGER.debug("Cannot read the configuration graph", exc_info=True)
        return False
    return core_uses_secret(graph, "auth_providers")


async def _async_gather(ctx: ScanContext) -> AuthFacts:
    hass = ctx.hass
    error = None
    try:
        bans = await hass.async_add_executor_job(
            read_ip_bans, ctx.config_dir / IP_BANS_FILE
        )
    except IpBansUnreadable as err:
        error = str(err)
        bans = ()
    notice = read_failed_login_notice(hass)
    exposed, proxies, secret_proxies = await _async_exposure(ctx)
    return AuthFacts(
        users=await async_read_users(hass),
        providers=read_providers(hass),
        trusted_proxies=proxies,
        tokens=await async_read_tokens(hass),
        failed_logins=(*bans, *((notice,) if notice else ())),
        failed_logins_error=error,
        exposed=exposed,
        secret_proxies=secret_proxies,
        networks_from_secrets=await _async_networks_from_secrets(ctx),
    )


def _role(user: UserInfo) -> str:
    if user.is_owner:
        return "owner"
    return "administrator" if user.is_admin else "user"


def _mfa_missing(facts: AuthFacts, _ctx: ScanContext) -> Iterator[Hit]:
    for user in facts.users:
        if user.mfa_modules:
            continue
        severity = Severity.HIGH if user.is_admin else Severity.LOW
        if facts.exposed and not user.local_only:
            severity = _RAISE[severity]
        yield Hit(
            subject=user.id,
            title=f"{user.name} has no multi-factor authentication",
            severity=severity,
            placeholders={"user": user.name, "role": _role(user)},
        )


def _provider_subject(provider: ProviderInfo) -> str:
    return f"auth_provider:{provider.type}" + (f":{provider.id}" if provider.id else "")


NETWORKS_FROM_SECRETS = "networks set in secrets.yaml (not shown)"


def _networks(provider: ProviderInfo, facts: AuthFacts) -> str:
    if facts.networks_from_secrets and provider.trusted_networks:
        return NETWORKS_FROM_SECRETS
    return ", ".join(str(n) for n in provider.trusted_networks) or "no network"


def _trusted_networks_bypass(facts: AuthFacts, _ctx: ScanContext) -> Iterator[Hit]:
    for provider in facts.providers:
        if provider.type == "trusted_networks" and provider.allow_bypass_login:
            yield Hit(
                subject=_provider_subject(provider),
                title="Trusted networks log in without a password",
                placeholders={"networks": _networks(provider, facts)},
            )


def _trusted_networks_broad(facts: AuthFacts, _ctx: ScanContext) -> Iterator[Hit]:
    for provider in facts.providers:
        if provider.type != "trusted_networks":
            continue
        subject = _provider_subject(provider)
        hidden = facts.networks_from_secrets
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
        for index, proxy in enumerate(facts.trusted_proxies):
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
            proxy_hidden = proxy in facts.secret_proxies
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


def _legacy_auth_provider(facts: AuthFacts, _ctx: ScanContext) -> Iterator[Hit]:
    for provider in facts.providers:
        if provider.type in STANDARD_PROVIDERS:
            continue
        critical = provider.type in CRITICAL_PROVIDERS
        yield Hit(
            subject=_provider_subject(provider),
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


def _day(moment: datetime) -> str:
    return moment.date().isoformat()


def _token_stale(facts: AuthFacts, ctx: ScanContext) -> Iterator[Hit]:
    for token in facts.tokens:
        age = ctx.now - token.created_at
        if age < TOKEN_STALE_AFTER:
            continue
        yield Hit(
            subject=token.id,
            title=f'Long-lived access token "{token.client_name}" of {token.user_name} '
            f"is {age.days} days old",
            placeholders={
                "token": token.client_name,
                "user": token.user_name,
                "created": _day(token.created_at),
                "age": str(age.days),
            },
        )


def _failed_logins(facts: AuthFacts, ctx: ScanContext) -> Iterator[Hit]:
    if facts.failed_logins_error:
        raise CheckUnknown(facts.failed_logins_error)
    since = ctx.now - FAILED_LOGIN_WINDOW
    recent = [f for f in facts.failed_logins if f.at is not None and f.at >= since]
    if not recent:
        return
    bans = sorted((f for f in recent if f.kind == "ban"), key=lambda f: f.at or since)
    parts = []
    if bans:
        last = bans[-1]
        parts.append(
            f"{len(bans)} address{'es were' if len(bans) > 1 else ' was'} banned for too "
            f"many failed logins in the last 7 days (latest: {last.ip_address}, "
            f"{_day(last.at or since)})."
        )
    parts.extend(
        f"Home Assistant reports a failed login from {f.host or f.ip_address or 'an unknown address'}"
        + (
            f" ({f.ip_address})"
            if f.host and f.ip_address and f.host != f.ip_address
            else ""
        )
        + f" on {_day(f.at or since)}."
        for f in recent
        if f.kind == "failed_login"
    )
    yield Hit(
        subject="recent",
        title="Recent failed logins",
        placeholders={"detail": " ".join(parts)},
    )


def _listen(hass: HomeAssistant, request_rescan: Callable[[], None]) -> CALLBACK_TYPE:
    """Re-emit Home Assistant's failed-login and ban notifications as our event."""
    seen: deque[tuple[str, Any]] = deque(maxlen=64)

    @callback
    def _updated(
        update_type: persistent_notification.UpdateType,
        notifications: dict[str, persistent_notification.Notification],
    ) -> None:
        if update_type not in (
            persistent_notification.UpdateType.ADDED,
            persistent_notification.UpdateType.UPDATED,
        ):
            return
        fired = False
        for notification_id, notification in notifications.items():
            key = (notification_id, notification.get("created_at"))
            if key in seen:
                continue
            failed = failed_login_from_notification(notification_id, notification)
            if failed is None:
                continue
            seen.append(key)
            hass.bus.async_fire(
                EVENT_FAILED_LOGIN,
                {
                    "kind": failed.kind,
                    "ip_address": failed.ip_address,
                    "host": failed.host,
                    "at": failed.at.isoformat() if failed.at else None,
                },
            )
            fired = True
        if fired:
            request_rescan()

    return persistent_notification.async_register_callback(hass, _updated)


FAMILY: FamilyChecks[AuthFacts] = FamilyChecks(
    family=Family.AUTHENTICATION,
    gather=_async_gather,
    checks=(
        LegacyCheck(
            id="mfa_missing",
            severity=Severity.HIGH,
            learn_more_url=f"{_DOCS}/multi-factor-auth/",
            inspect=_mfa_missing,
        ),
        LegacyCheck(
            id="trusted_networks_bypass",
            severity=Severity.HIGH,
            learn_more_url=f"{_DOCS}/providers/#trusted-networks",
            inspect=_trusted_networks_bypass,
        ),
        LegacyCheck(
            id="trusted_networks_broad",
            severity=Severity.HIGH,
            learn_more_url=f"{_DOCS}/providers/#trusted-networks",
            inspect=_trusted_networks_broad,
        ),
        LegacyCheck(
            id="legacy_auth_provider",
            severity=Severity.CRITICAL,
            learn_more_url=f"{_DOCS}/providers/",
            inspect=_legacy_auth_provider,
        ),
        LegacyCheck(
            id="token_stale",
            severity=Severity.LOW,
            learn_more_url=f"{_DOCS}/#your-account-profile",
            inspect=_token_stale,
        ),
        LegacyCheck(
            id="failed_logins",
            severity=Severity.MEDIUM,
            learn_more_url="https://www.home-assistant.io/integrations/http/#ip-filtering-and-banning",
            inspect=_failed_logins,
        ),
    ),
    listen=_listen,
)
