r"""Which host a browser loads a URL from, and how to show such a URL without a credential.

A dashboard resource or a `frontend: extra_module_url` is fetched by the browser of everyone
who opens the frontend, so the host is read the way a browser reads it (the WHATWG URL
standard, for the `http`/`https` schemes and for URLs relative to the frontend's page):
leading and trailing spaces and control characters are dropped, tabs and line breaks are
removed anywhere, and a backslash counts as a slash (`/\cdn.example.com/x.js` is loaded
from `cdn.example.com`, exactly like `//cdn.example.com/x.js`).

A URL is *remote* when it names a host: `https://host/...`, `http://host/...` or the
scheme-relative `//host/...`. `/local/...`, `/hacsfiles/...`, relative paths, `data:` and
other schemes name no host. A remote URL is *foreign* unless its host is one of this
instance's own (its internal and external URL, its Home Assistant Cloud remote domain, the
address its server announces) or a loopback name, which the browser resolves to its own
machine, not to a third party.

What is shown is rebuilt from the parts: a user name or password becomes `***@`, and a
query or fragment that holds a credential becomes `***`.
"""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import ip_address
from typing import TYPE_CHECKING, Final
from urllib.parse import SplitResult, urlsplit

from .exposure import cloud_remote_domain
from .masking import MASK, mask_credentials, mask_path

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

REMOTE_SCHEMES: Final = frozenset({"http", "https"})
_STRIP: Final = "".join(chr(code) for code in range(0x21))  # C0 controls and space
_REMOVED: Final = str.maketrans("", "", "\t\n\r")


@dataclass(frozen=True, slots=True)
class RemoteUrl:
    """A URL that names a host: the host (lower case, no brackets) and how to show it."""

    host: str
    shown: str
    scheme: str
    """`http`, `https`, or the empty string for a scheme-relative URL (`//host/...`)."""


def browser_parts(url: str) -> SplitResult | None:
    """The parts of `url` as a browser reads it for a page of this instance, or None."""
    text = url.strip(_STRIP).translate(_REMOVED)
    scheme, colon, rest = text.partition(":")
    if colon and scheme.lower() in REMOTE_SCHEMES:
        text = f"{scheme}:{rest.replace(chr(92), '/')}"
    elif not colon or "/" in scheme or "\\" in scheme:
        text = text.replace("\\", "/")  # relative to the page: a special URL
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError for a port that is not one
    except ValueError:
        return None
    return parts


def _host(parts: SplitResult) -> str | None:
    host = parts.hostname
    if not host:
        return None
    return host.rstrip(".").lower() or None


def _host_port(parts: SplitResult, host: str) -> str:
    shown = f"[{host}]" if ":" in host else host
    return shown if parts.port is None else f"{shown}:{parts.port}"


def remote_url(url: str) -> RemoteUrl | None:
    """The host `url` is loaded from and how to show it, or None when it names no host."""
    parts = browser_parts(url)
    if parts is None:
        return None
    scheme = parts.scheme.lower()
    if scheme and scheme not in REMOTE_SCHEMES:
        return None
    if not parts.netloc or (host := _host(parts)) is None:
        return None
    return RemoteUrl(host=host, shown=shown_url(parts, host), scheme=scheme)


def shown_url(parts: SplitResult, host: str) -> str:
    """The URL rebuilt from its parts, without any credential."""
    user = f"{MASK}@" if "@" in parts.netloc else ""
    start = f"{parts.scheme.lower()}:" if parts.scheme else ""
    authority = f"{user}{_host_port(parts, host)}" if host else user
    base = f"{start}//{authority}{mask_path(parts.path)}"
    for separator, extra in (("?", parts.query), ("#", parts.fragment)):
        if extra:  # a fragment is checked as a query: `#access_token=...` is one too
            safe = mask_credentials(f"{base}?{extra}") == f"{base}?{extra}"
            base = f"{base}{separator}{extra if safe else MASK}"
    if mask_credentials(base) != base:  # a credential in a form found inside strings
        return f"{start}//{authority}/{MASK}"
    return base


def show_url(url: str) -> str:
    """Any URL (`git+https://...`, `file:///...`) as it may be shown: no credentials."""
    try:
        parts = urlsplit(url)
        host = _host(parts) or ""
        return shown_url(parts, host) if parts.netloc or parts.scheme else MASK
    except ValueError:
        return MASK


def is_loopback(host: str) -> bool:
    """Whether the browser resolves `host` to its own machine."""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False


def own_hosts(hass: HomeAssistant) -> frozenset[str]:
    """The hosts that are this instance: internal and external URL, cloud, announced IP."""
    hosts: set[str] = set()
    for url in (hass.config.internal_url, hass.config.external_url):
        if url and (parts := browser_parts(url)) is not None:
            hosts.add(_host(parts) or "")
    if (domain := cloud_remote_domain(hass)) is not None:
        hosts.add(domain.rstrip(".").lower())
    api = hass.config.api
    local_ip = getattr(api, "local_ip", None) if api is not None else None
    if isinstance(local_ip, str) and local_ip not in {"0.0.0.0", "::"}:  # noqa: S104
        hosts.add(local_ip.lower())
    hosts.discard("")
    return frozenset(hosts)


def foreign_url(url: str, hosts: frozenset[str]) -> RemoteUrl | None:
    """`url` when a browser loads it from a host that is not this instance, else None."""
    remote = remote_url(url)
    if remote is None or remote.host in hosts or is_loopback(remote.host):
        return None
    return remote
