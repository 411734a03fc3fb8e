"""Decide once per scan whether Home Assistant is reachable from outside.

Three ways in count:

- an external URL (`hass.config.external_url`) naming a host that is not local (not a
  private, loopback, link-local or shared address, not `localhost`, not a single-label name,
  not a `.local`/`.lan`/`.home.arpa`/... name);
- Home Assistant Cloud's remote UI, when the cloud integration is loaded, logged in and has
  remote access enabled with a domain (its preferences are read defensively: nothing is
  imported from the cloud integration);
- a reverse proxy: `use_x_forwarded_for` with trusted proxies.

A check that raises its severity when the instance is reachable declares the fact::

    CHECK = Check(..., needs=(EXPOSURE, ...), inspect=_inspect)
    # and in `_inspect(facts)`: `if facts[EXPOSURE].exposed: ...`

The decision is the `EXPOSURE` fact; the HTTP settings it is based on are
the `HTTP_SETTINGS` fact (see `http_settings.async_get_http_settings`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from ipaddress import ip_address
from typing import TYPE_CHECKING, Any, Final

from yarl import URL

from ..engine import Fact, ScanContext
from .config_facts import async_get_config_graph
from .config_graph import CONFIG_YAML, ConfigGraph
from .http_settings import async_get_http_settings
from .key_paths import walk
from .networks import is_local_address
from .yaml_nodes import SecretRef, YamlMap

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

    from .http_values import HttpSettings

URL_FROM_SECRETS: Final = "(set in secrets.yaml)"
HOST_FROM_SECRETS: Final = "the external URL's host (set in secrets.yaml)"

# Names that only resolve inside a home network (RFC 6762, RFC 8375 and common router ones).
LOCAL_SUFFIXES: Final = (
    ".local",
    ".lan",
    ".home",
    ".home.arpa",
    ".internal",
    ".intranet",
    ".localdomain",
    ".localhost",
    ".private",
)


def is_local_host(host: str) -> bool:
    """Whether `host` (a name or an address) can only be reached from the local network."""
    name = host.strip().strip("[]").rstrip(".").lower()
    if not name:
        return True
    try:
        address = ip_address(name)
    except ValueError:
        return name == "localhost" or "." not in name or name.endswith(LOCAL_SUFFIXES)
    return is_local_address(address)


@dataclass(frozen=True, kw_only=True)
class Exposure:
    """How Home Assistant can be reached from outside.

    `external_url` is rebuilt from scheme, host and port only: it never carries a user name,
    a password, a path or a query, so it is safe to show.
    """

    external_url: str | None = None
    external_scheme: str | None = None
    external_host: str | None = None  # lower case, IDNA-encoded, no brackets
    external_host_public: bool = (
        False  # the external URL names a host that is not local
    )
    cloud_remote: bool = False  # Home Assistant Cloud remote UI is enabled
    cloud_domain: str | None = None
    reverse_proxy: bool = False  # use_x_forwarded_for with trusted proxies
    url_from_secrets: bool = False  # `external_url: !secret ...`: never shown

    @property
    def shown_url(self) -> str | None:
        """The external URL as it may be shown: not when it came from `secrets.yaml`."""
        if self.url_from_secrets and self.external_url is not None:
            return URL_FROM_SECRETS
        return self.external_url

    @property
    def shown_host(self) -> str | None:
        """The external URL's host as it may be shown."""
        if self.url_from_secrets and self.external_host is not None:
            return HOST_FROM_SECRETS
        return self.external_host

    @property
    def exposed(self) -> bool:
        """Whether Home Assistant is reachable from outside in any of the three ways."""
        return self.external_host_public or self.cloud_remote or self.reverse_proxy

    @property
    def ways(self) -> tuple[str, ...]:
        """The ways in, in words (for repair texts)."""
        ways: list[str] = []
        if self.external_host_public:
            ways.append(f"external URL {self.shown_url}")
        if self.cloud_remote:
            ways.append("Home Assistant Cloud remote UI")
        if self.reverse_proxy:
            ways.append("a reverse proxy")
        return tuple(ways)


def _safe_url(url: URL) -> str:
    host = url.raw_host or ""
    if ":" in host:
        host = f"[{host}]"
    port = "" if url.explicit_port is None else f":{url.explicit_port}"
    return f"{url.scheme}://{host}{port}"


def decide_exposure(
    *, external_url: str | None, cloud_domain: str | None, settings: HttpSettings
) -> Exposure:
    """Decide exposure from the external URL, the cloud's remote domain and the settings."""
    scheme = host = safe = None
    if external_url:
        try:
            url = URL(external_url)
        except (TypeError, ValueError):
            url = None
        if url is not None and url.raw_host:
            scheme = url.scheme.lower()
            host = url.raw_host.lower().rstrip(".")
            safe = _safe_url(url)
    return Exposure(
        external_url=safe,
        external_scheme=scheme,
        external_host=host,
        external_host_public=host is not None and not is_local_host(host),
        cloud_remote=cloud_domain is not None,
        cloud_domain=cloud_domain,
        reverse_proxy=settings.reverse_proxy,
    )


def core_uses_secret(graph: ConfigGraph, key: str) -> bool:
    """Whether `homeassistant: <key>` in configuration.yaml holds a `!secret` anywhere.

    Core settings written in YAML are loaded with secrets; what came from `secrets.yaml`
    is never shown. Includes are followed through the graph.
    """
    config = graph.file(CONFIG_YAML)
    if config is None or not isinstance(config.root, YamlMap):
        return False
    includes = graph.includes()
    core = includes.follow(config.root.get("homeassistant"))
    if not isinstance(core, YamlMap) or key not in core:
        return False
    return any(isinstance(entry.value, SecretRef) for entry in walk(core[key]))


def cloud_remote_domain(hass: HomeAssistant) -> str | None:
    """The remote UI domain when Home Assistant Cloud's remote UI is on, else None.

    Mirrors `homeassistant.components.cloud.async_remote_ui_url` without importing the cloud
    integration: logged in, remote enabled, a remote domain.
    """
    if "cloud" not in hass.config.components:
        return None
    cloud: Any = hass.data.get("cloud")
    try:
        if cloud is None or getattr(cloud, "is_logged_in", False) is not True:
            return None
        prefs = cloud.client.prefs
        if getattr(prefs, "remote_enabled", False) is not True:
            return None
        domain = getattr(prefs, "remote_domain", None)
    except Exception:  # noqa: BLE001 - any other shape: the cloud is not usable
        return None
    return domain if isinstance(domain, str) and domain else None


async def _async_decide_exposure(ctx: ScanContext) -> Exposure:
    """Decide whether the instance is reachable from outside, from the settings."""
    settings = await async_get_http_settings(ctx)
    exposure = decide_exposure(
        external_url=ctx.hass.config.external_url,
        cloud_domain=cloud_remote_domain(ctx.hass),
        settings=settings,
    )
    graph = await async_get_config_graph(ctx)
    if core_uses_secret(graph, "external_url"):
        exposure = replace(exposure, url_from_secrets=True)
    return exposure


EXPOSURE: Final = Fact[Exposure](
    name="whether the instance is reachable from outside", gather=_async_decide_exposure
)


async def async_get_exposure(ctx: ScanContext) -> Exposure:
    """Decide exposure once per scan (the `EXPOSURE` fact)."""
    return await ctx.fact(EXPOSURE)
