"""Turn one add-on's details from the Supervisor into facts that hold no option value.

The Supervisor's add-on info carries the network (container port -> host port, `None` when
the user left it unpublished), `host_network`, `ingress`, `ingress_port` and `webui`, which
the Supervisor has already resolved to the host port (`http://[HOST]:8123/`, or
`http://[HOST]:None/` when the web UI's port is not published). Options hold passwords and
keys: only yes/no answers and non-secret settings (a folder, a data path) leave this module.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
import re
from typing import Any, Final

# Add-ons whose web UI listens on a declared port beside ingress, and that port. Their
# `webui` is not declared, so the Supervisor cannot say it: these come from each add-on's
# own configuration (Node-RED's nginx `direct` server, ESPHome's dashboard port).
DIRECT_WEB_PORTS: Final = {
    "a0d7b954_nodered": "80/tcp",
    "5c53de3b_esphome": "6052/tcp",
    "5c53de3b_esphome-beta": "6052/tcp",
    "5c53de3b_esphome-dev": "6052/tcp",
}
# Both honour `leave_front_door_open: true` on that port: no login at all.
FRONT_DOOR_OPTION: Final = "leave_front_door_open"

MOSQUITTO: Final = "core_mosquitto"
ZWAVE_JS: Final = "core_zwave_js"
ZIGBEE2MQTT: Final = ("45df7312_zigbee2mqtt", "45df7312_zigbee2mqtt_edge")
S2_KEYS: Final = (
    "s2_access_control_key",
    "s2_authenticated_key",
    "s2_unauthenticated_key",
)
S0_KEYS: Final = ("s0_legacy_key", "network_key")

# The resolved web UI: a scheme, the [HOST] placeholder and a port (or "None").
_WEBUI: Final = re.compile(r"[a-z]{1,10}://\[HOST\]:(\d{1,5}|None)(?![\d])")


class WebRoute(StrEnum):
    """How we know a host port serves the web UI."""

    WEBUI = "webui"  # the add-on declares its web UI; the Supervisor resolved the port
    INGRESS = "ingress"  # the port ingress uses is also published on the host
    DIRECT = "direct"  # the add-on's own direct-access port (Node-RED, ESPHome)


@dataclass(frozen=True, kw_only=True)
class WebUi:
    """A web UI reachable on a port of the host, beside ingress."""

    port: int
    route: WebRoute
    host_network: bool  # on the host's own network (every interface of the host)
    front_door_open: bool  # the add-on's own login is switched off on that port


@dataclass(frozen=True, kw_only=True)
class AddonNetwork:
    """An add-on's network as the Supervisor reports it."""

    host_network: bool
    ingress: bool
    ports: tuple[tuple[str, int | None], ...]  # container port, host port (None: off)
    web_ui: WebUi | None


@dataclass(frozen=True, kw_only=True)
class BrokerOptions:
    """The Mosquitto add-on's options that decide who may connect."""

    anonymous: bool  # the `anonymous` option (add-on versions before 6.0) is on
    customize_folder: str | None  # `customize.folder` under /share, when active


@dataclass(frozen=True, kw_only=True)
class ZwaveKeys:
    """Which security keys the Z-Wave JS add-on has; never a key."""

    s2: int  # how many of the three S2 keys are set
    s0: bool


def _port(value: Any) -> int | None:
    return value if type(value) is int and 0 < value < 65536 else None  # noqa: PLR2004


def addon_network(slug: str, details: Mapping[str, Any]) -> AddonNetwork | None:
    """The network facts of an add-on, or None when its details have none."""
    host_network = details.get("host_network")
    ingress = details.get("ingress")
    if not isinstance(host_network, bool) or not isinstance(ingress, bool):
        return None
    network = details.get("network")
    ports: dict[str, int | None] = {}
    if isinstance(network, Mapping):
        ports = {str(k): _port(v) for k, v in network.items() if isinstance(k, str)}
    options = details.get("options")
    front_door = isinstance(options, Mapping) and options.get(FRONT_DOOR_OPTION) is True
    return AddonNetwork(
        host_network=host_network,
        ingress=ingress,
        ports=tuple(sorted(ports.items())),
        web_ui=_web_ui(
            slug, details, ports, host_network=host_network, front_door=front_door
        ),
    )


def _web_ui(
    slug: str,
    details: Mapping[str, Any],
    ports: Mapping[str, int | None],
    *,
    host_network: bool,
    front_door: bool,
) -> WebUi | None:
    """The host port that serves the add-on's web UI beside ingress, if one does."""
    candidates: list[tuple[int | None, WebRoute]] = []
    if (direct := DIRECT_WEB_PORTS.get(slug)) is not None:
        candidates.append((ports.get(direct), WebRoute.DIRECT))
    webui = details.get("webui")
    if isinstance(webui, str) and (match := _WEBUI.match(webui)):
        candidates.append((_number(match.group(1)), WebRoute.WEBUI))
    ingress_port = _port(details.get("ingress_port"))
    if details.get("ingress") is True and not host_network and ingress_port:
        # A published container port is the ingress server on every host interface. With
        # host networking nothing is published: where it listens is the add-on's choice.
        candidates.append((ports.get(f"{ingress_port}/tcp"), WebRoute.INGRESS))
    return next(
        (
            WebUi(
                port=port,
                route=route,
                host_network=host_network,
                # The option only acts on the add-on's own direct-access server.
                front_door_open=front_door and route is WebRoute.DIRECT,
            )
            for port, route in candidates
            if port is not None
        ),
        None,
    )


def _number(text: str) -> int | None:
    return _port(int(text)) if text.isdigit() else None


def broker_options(options: Any) -> BrokerOptions:
    """Who the Mosquitto add-on lets in, from its options; no login leaves here."""
    options = options if isinstance(options, Mapping) else {}
    customize = options.get("customize")
    folder = None
    if isinstance(customize, Mapping) and customize.get("active") is True:
        name = customize.get("folder")
        folder = name if isinstance(name, str) and name.strip() else None
    return BrokerOptions(
        anonymous=options.get("anonymous") is True, customize_folder=folder
    )


def zwave_keys(options: Any) -> ZwaveKeys:
    """Which Z-Wave security keys are set in the add-on's options (never the keys)."""
    options = options if isinstance(options, Mapping) else {}

    def is_set(name: str) -> bool:
        value = options.get(name)
        return isinstance(value, str) and value.strip() != ""

    return ZwaveKeys(
        s2=sum(1 for name in S2_KEYS if is_set(name)),
        s0=any(is_set(name) for name in S0_KEYS),
    )


def data_path(options: Any) -> str | None:
    """Zigbee2MQTT's `data_path` option: where its configuration.yaml lives."""
    value = options.get("data_path") if isinstance(options, Mapping) else None
    return value if isinstance(value, str) and value.startswith("/") else None
