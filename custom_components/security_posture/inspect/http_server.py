"""What the running HTTP server (`hass.http`) says it serves: it wins over the files.

Certificate, key, trusted proxies, TLS profile, port, whether bans are on and the threshold,
whether it honours `X-Forwarded-For` and sends `X-Frame-Options`. A file value that differs
from it is not in effect until a restart.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from ipaddress import IPv4Network, IPv6Network
from typing import Any

from ..const import LOGGER
from .http_releases import FIELDS
from .http_values import SOURCE_SERVER, HttpSettings


def _closure_value(func: Any, name: str) -> Any:
    """A variable a middleware closed over, or None."""
    code = getattr(func, "__code__", None)
    closure = getattr(func, "__closure__", None)
    if code is None or not closure or name not in code.co_freevars:
        return None
    try:
        return closure[code.co_freevars.index(name)].cell_contents
    except (IndexError, ValueError):
        return None


def _file_values(server: Any) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in ("ssl_certificate", "ssl_key", "ssl_peer_certificate"):
        if hasattr(server, name):
            value = getattr(server, name)
            values[name] = str(value) if value else None
    if isinstance(profile := getattr(server, "ssl_profile", None), str):
        values["ssl_profile"] = str(profile)  # 2026.11: an SSLProfile (a StrEnum)
    if isinstance(port := getattr(server, "server_port", None), int):
        values["server_port"] = port
    if isinstance(proxies := getattr(server, "trusted_proxies", None), list):
        values["trusted_proxies"] = tuple(
            p for p in proxies if isinstance(p, (IPv4Network, IPv6Network))
        )
    return values


def _ban_values(app: Any) -> dict[str, Any]:
    try:
        from homeassistant.components.http.ban import (  # noqa: PLC0415
            KEY_BAN_MANAGER,
            KEY_LOGIN_THRESHOLD,
        )

        values: dict[str, Any] = {"ip_ban_enabled": KEY_BAN_MANAGER in app}
        if values["ip_ban_enabled"] and isinstance(
            threshold := app.get(KEY_LOGIN_THRESHOLD), int
        ):
            values["login_attempts_threshold"] = threshold
    except Exception:  # noqa: BLE001 - another release: fall back to the files
        LOGGER.debug(
            "Cannot read the ban settings of the running server", exc_info=True
        )
        return {}
    return values


def _middleware_values(app: Any) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for middleware in list(getattr(app, "middlewares", ())):
        name = getattr(middleware, "__name__", "")
        if name == "forwarded_middleware":
            flag = _closure_value(middleware, "use_x_forwarded_for")
            if isinstance(flag, bool):
                values["use_x_forwarded_for"] = flag
        elif name == "headers_middleware":
            headers = _closure_value(middleware, "added_headers")
            if isinstance(headers, Mapping):
                values["use_x_frame_options"] = "X-Frame-Options" in headers
    return values


def server_values(server: Any) -> dict[str, Any]:
    """What the running `HomeAssistantHTTP` object reports; what it lacks is left out.

    Certificate, key, TLS profile, port and trusted proxies are attributes of the server;
    bans and the threshold are keys of its aiohttp application; whether it honours
    `X-Forwarded-For` and sends `X-Frame-Options` is what its middlewares closed over.
    """
    values = _file_values(server)
    if (app := getattr(server, "app", None)) is not None:
        values |= _ban_values(app)
        values |= _middleware_values(app)
    return values


def apply_server(
    settings: HttpSettings,
    values: Mapping[str, Any],
    *,
    files_known: bool = True,
) -> HttpSettings:
    """Let what the running server reports win over the files.

    `files_known` is False when the files could not be read: then a difference says
    nothing about what a restart would change, and is not remarked.
    """
    changes = {name: value for name, value in values.items() if name in FIELDS}
    overrides = dict(settings.overrides)
    overrides.update(dict.fromkeys(changes, SOURCE_SERVER))
    remarks = list(settings.remarks)
    differ = sorted(
        name for name, value in changes.items() if getattr(settings, name) != value
    )
    if differ and files_known:
        remarks.append(
            f"{settings.base} differs from the running server for {', '.join(differ)}: "
            "not in effect until Home Assistant restarts"
        )
    return replace(settings, **changes, overrides=overrides, remarks=tuple(remarks))
