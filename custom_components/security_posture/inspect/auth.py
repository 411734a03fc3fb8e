"""Read who can log in and how: users, MFA, auth providers, tokens, bans, failed logins.

Users, providers and tokens come from Home Assistant's auth API (`hass.auth`), never from
`.storage/auth`. Nothing here keeps a token, a password or a JWT key: a token is known by
its id, its client name and its user.

The facts: `USERS`, `AUTH_PROVIDERS`, `LONG_LIVED_TOKENS` and `FAILED_LOGINS` (the bans in
`ip_bans.yaml` and Home Assistant's "Login attempt failed" notification; unknown when
`ip_bans.yaml` cannot be read). `async_track_failed_logins` follows the failed logins and
bans Home Assistant reports through its persistent notifications, each once.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from ipaddress import (
    IPv4Network,
    IPv6Network,
    ip_address,
)
import re
from typing import TYPE_CHECKING, Any, Final

from homeassistant.auth.models import TOKEN_TYPE_LONG_LIVED_ACCESS_TOKEN
from homeassistant.components import persistent_notification
from homeassistant.core import callback
from homeassistant.util import dt as dt_util
import yaml  # type: ignore[import-untyped]

from ..engine import CheckUnknown, Fact, ScanContext
from .safe_read import ReadRefused, read_regular
from .yaml_loader import parse_yaml, yaml_error_reason

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from pathlib import Path

    from homeassistant.core import CALLBACK_TYPE, HomeAssistant

    from .networks import IPNetwork


IP_BANS_FILE = "ip_bans.yaml"
MAX_IP_BANS_BYTES = 5 * 1024 * 1024

# Home Assistant's own notifications (homeassistant.components.http.ban).
NOTIFICATION_LOGIN = "http-login"
NOTIFICATION_BAN = "ip-ban"
_NOTIFICATIONS_DATA = "persistent_notification"
_LOGIN_FROM = re.compile(r"from (?P<host>\S+) \((?P<ip>[^()\s]+)\)")
_BAN_FROM = re.compile(r"from (?P<ip>\S+?)\.?$")


class IpBansUnreadable(Exception):  # noqa: N818 - reads as the state it is
    """ip_bans.yaml exists but cannot be read; the message says why."""


@dataclass(frozen=True, kw_only=True)
class UserInfo:
    """An active person's account (system users are left out)."""

    id: str
    name: str
    is_owner: bool
    is_admin: bool
    local_only: bool
    mfa_modules: tuple[str, ...]  # ids of the MFA modules the user has set up


@dataclass(frozen=True, kw_only=True)
class ProviderInfo:
    """A configured auth provider."""

    type: str
    id: str | None
    name: str
    trusted_networks: tuple[IPNetwork, ...] = ()
    allow_bypass_login: bool = False


@dataclass(frozen=True, kw_only=True)
class TokenInfo:
    """A long-lived access token, known by its id and names, never by its value."""

    id: str
    client_name: str
    user_id: str
    user_name: str
    created_at: datetime


class FailedLoginKind(StrEnum):
    """What Home Assistant reported: the `kind` of the `security_posture_failed_login` event."""

    FAILED_LOGIN = "failed_login"
    BAN = "ban"


@dataclass(frozen=True, kw_only=True)
class FailedLogin:
    """A ban or a failed login: where from and when."""

    kind: FailedLoginKind
    ip_address: str | None
    at: datetime | None
    host: str | None = None


def _user_name(user: Any) -> str:
    return str(user.name) if user.name else str(user.id)


async def async_read_users(hass: HomeAssistant) -> tuple[UserInfo, ...]:
    """Active, non-system users with the MFA modules each has set up."""
    users = []
    for user in await hass.auth.async_get_users():
        if user.system_generated or not user.is_active:
            continue
        enabled = await hass.auth.async_get_enabled_mfa(user)
        users.append(
            UserInfo(
                id=user.id,
                name=_user_name(user),
                is_owner=user.is_owner,
                is_admin=user.is_admin,
                local_only=user.local_only,
                mfa_modules=tuple(sorted(enabled)),
            )
        )
    return tuple(users)


async def async_read_tokens(hass: HomeAssistant) -> tuple[TokenInfo, ...]:
    """Long-lived access tokens of active users."""
    tokens: list[TokenInfo] = []
    for user in await hass.auth.async_get_users():
        if not user.is_active:
            continue
        tokens.extend(
            TokenInfo(
                id=token.id,
                client_name=token.client_name or token.id,
                user_id=user.id,
                user_name=_user_name(user),
                created_at=token.created_at,
            )
            for token in user.refresh_tokens.values()
            if token.token_type == TOKEN_TYPE_LONG_LIVED_ACCESS_TOKEN
        )
    return tuple(tokens)


def read_providers(hass: HomeAssistant) -> tuple[ProviderInfo, ...]:
    """The auth providers Home Assistant runs with, in configuration order."""
    providers = []
    for provider in hass.auth.auth_providers:
        config: Mapping[str, Any] = provider.config
        networks = tuple(
            n
            for n in config.get("trusted_networks", ())
            if isinstance(n, IPv4Network | IPv6Network)
        )
        providers.append(
            ProviderInfo(
                type=provider.type,
                id=provider.id,
                name=provider.name,
                trusted_networks=networks,
                allow_bypass_login=bool(config.get("allow_bypass_login", False)),
            )
        )
    return tuple(providers)


def read_ip_bans(path: Path) -> tuple[FailedLogin, ...]:
    """Entries of ip_bans.yaml (blocking I/O); none when the file does not exist.

    The file is parsed quietly (the configuration reader's loader, which logs nothing and
    refuses absurd nesting): a broken file gives `IpBansUnreadable` with a reason that
    quotes nothing from it, once per scan, and no log record.
    """
    if (text := _read_ip_bans_text(path)) is None:
        return ()
    content = _parse_ip_bans(text)
    if content is None:
        return ()
    if not isinstance(content, Mapping):
        raise IpBansUnreadable(f"{IP_BANS_FILE} is not a mapping of addresses")
    bans = []
    for address, info in content.items():
        try:
            ip = str(ip_address(str(address)))
        except ValueError:
            continue
        banned_at = info.get("banned_at") if isinstance(info, Mapping) else None
        bans.append(
            FailedLogin(
                kind=FailedLoginKind.BAN, ip_address=ip, at=_as_datetime(banned_at)
            )
        )
    return tuple(bans)


def _read_ip_bans_text(path: Path) -> str | None:
    """The text of the file (None when there is none), read without blocking (`safe_read`)."""
    try:
        _, data = read_regular(path, MAX_IP_BANS_BYTES)
    except ReadRefused as err:
        if err.missing:
            return None
        if err.reason.startswith("larger than"):
            raise IpBansUnreadable(
                f"{IP_BANS_FILE} is larger than {MAX_IP_BANS_BYTES} bytes"
            ) from None
        if err.reason.startswith(("not a", "is ")):
            reason = (
                "not a regular file" if err.reason.startswith("not a") else err.reason
            )
            raise IpBansUnreadable(
                f"{IP_BANS_FILE} is {reason.removeprefix('is ')}"
            ) from None
        reason = err.reason.removeprefix("cannot be read: ")
        raise IpBansUnreadable(f"{IP_BANS_FILE} cannot be read: {reason}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise IpBansUnreadable(
            f"{IP_BANS_FILE} is not valid YAML: not UTF-8 text"
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _parse_ip_bans(text: str) -> Any:
    """Parse quietly; the reason of a failure quotes nothing from the file."""
    try:
        content, _ = parse_yaml(text, IP_BANS_FILE)
    except yaml.YAMLError as err:
        reason = yaml_error_reason(err).removeprefix("invalid YAML")
        raise IpBansUnreadable(f"{IP_BANS_FILE} is not valid YAML{reason}") from None
    except RecursionError:
        raise IpBansUnreadable(
            f"{IP_BANS_FILE} is not valid YAML: nested too deeply"
        ) from None
    except Exception as err:  # noqa: BLE001 - e.g. a date that does not exist
        raise IpBansUnreadable(
            f"{IP_BANS_FILE} is not valid YAML: a value cannot be read "
            f"({type(err).__name__})"
        ) from None
    return content


def _as_datetime(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str):
        parsed = dt_util.parse_datetime(value)
        if parsed is None:
            return None
        moment = parsed
    else:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt_util.UTC)


def failed_login_from_notification(
    notification_id: str, notification: Mapping[str, Any]
) -> FailedLogin | None:
    """A failed login or ban from one of Home Assistant's notifications, else None."""
    message = str(notification.get("message") or "")
    created = notification.get("created_at")
    at = created if isinstance(created, datetime) else None
    if notification_id == NOTIFICATION_LOGIN:
        match = _LOGIN_FROM.search(message)
        return FailedLogin(
            kind=FailedLoginKind.FAILED_LOGIN,
            ip_address=_valid_ip(match.group("ip")) if match else None,
            host=match.group("host") if match else None,
            at=at,
        )
    if notification_id == NOTIFICATION_BAN:
        match = _BAN_FROM.search(message.strip())
        return FailedLogin(
            kind=FailedLoginKind.BAN,
            ip_address=_valid_ip(match.group("ip")) if match else None,
            at=at,
        )
    return None


def _valid_ip(text: str) -> str | None:
    try:
        return str(ip_address(text))
    except ValueError:
        return None


def read_failed_login_notice(hass: HomeAssistant) -> FailedLogin | None:
    """Home Assistant's current "Login attempt failed" notification, if there is one."""
    notifications = hass.data.get(_NOTIFICATIONS_DATA)
    if not isinstance(notifications, Mapping):
        return None
    notification = notifications.get(NOTIFICATION_LOGIN)
    if not isinstance(notification, Mapping):
        return None
    return failed_login_from_notification(NOTIFICATION_LOGIN, notification)


def async_track_failed_logins(
    hass: HomeAssistant, on_new: Callable[[Sequence[FailedLogin]], None]
) -> CALLBACK_TYPE:
    """Call `on_new` with each failed login or ban Home Assistant reports, once.

    Home Assistant keeps one notification per kind and updates it; a notification seen
    again with the same creation time is the same failed login.
    """
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
        found: list[FailedLogin] = []
        for notification_id, notification in notifications.items():
            key = (notification_id, notification.get("created_at"))
            if key in seen:
                continue
            failed = failed_login_from_notification(notification_id, notification)
            if failed is None:
                continue
            seen.append(key)
            found.append(failed)
        if found:
            on_new(found)

    return persistent_notification.async_register_callback(hass, _updated)


# --- the facts ------------------------------------------------------------------------------


async def _async_users(ctx: ScanContext) -> tuple[UserInfo, ...]:
    return await async_read_users(ctx.hass)


USERS: Final = Fact[tuple[UserInfo, ...]](name="the users", gather=_async_users)


async def _async_providers(ctx: ScanContext) -> tuple[ProviderInfo, ...]:
    return read_providers(ctx.hass)


AUTH_PROVIDERS: Final = Fact[tuple[ProviderInfo, ...]](
    name="the auth providers", gather=_async_providers
)


async def _async_tokens(ctx: ScanContext) -> tuple[TokenInfo, ...]:
    return await async_read_tokens(ctx.hass)


LONG_LIVED_TOKENS: Final = Fact[tuple[TokenInfo, ...]](
    name="the long-lived access tokens", gather=_async_tokens
)


async def _async_failed_logins(ctx: ScanContext) -> tuple[FailedLogin, ...]:
    try:
        bans = await ctx.hass.async_add_executor_job(
            read_ip_bans, ctx.config_dir / IP_BANS_FILE
        )
    except IpBansUnreadable as err:
        raise CheckUnknown(str(err)) from None
    notice = read_failed_login_notice(ctx.hass)
    return (*bans, *((notice,) if notice else ()))


def _listen_failed_logins(
    hass: HomeAssistant, request_rescan: Callable[[], None]
) -> CALLBACK_TYPE:
    return async_track_failed_logins(hass, lambda _found: request_rescan())


FAILED_LOGINS: Final = Fact[tuple[FailedLogin, ...]](
    name="the failed logins",
    gather=_async_failed_logins,
    listen=_listen_failed_logins,
)
"""Bans and failed logins; a new one Home Assistant reports calls for a rescan."""
