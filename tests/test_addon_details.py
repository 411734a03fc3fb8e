"""Add-on facts from the Supervisor: web UIs on host ports, broker, Z-Wave and Z2M options."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any
from unittest.mock import patch

from aiohasupervisor import SupervisorError
from aiohasupervisor.models import AddonState
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
import pytest

from custom_components.security_posture.engine import CheckUnknown, ScanContext
from custom_components.security_posture.inspect.addon_details import (
    AddonNetwork,
    BrokerOptions,
    WebRoute,
    WebUi,
    ZwaveKeys,
    addon_network,
    broker_options,
    data_path,
    zwave_keys,
)
from custom_components.security_posture.inspect.supervisor import (
    SUPERVISOR,
    SupervisorUnavailable,
    async_optional_supervisor,
    async_read_supervisor,
)
from custom_components.security_posture.model import Family

from .supervisor_fakes import (
    SUPERVISOR as SUPERVISOR_MODULE,
    addon_details,
    mocked_supervisor,
)

NO_REASONS = SimpleNamespace(unsupported_reasons=set(), unhealthy_reasons=set())
NODE_RED_PASSWORD = "canary-node-red-http-password"
ZWAVE_KEY = "0123456789ABCDEF0123456789ABCDEF"
BROKER_PASSWORD = "canary-mosquitto-login-password"


def details(**fields: Any) -> dict[str, Any]:
    """An add-on's details as the reader keeps them (the live answer or the cache)."""
    return {"host_network": False, "ingress": False, "network": None} | fields


def web(slug: str, **fields: Any) -> WebUi | None:
    network = addon_network(slug, details(**fields))
    assert network is not None
    return network.web_ui


def test_webui_resolved_to_a_host_port() -> None:
    # The Supervisor resolves [PORT:80] to the published host port.
    assert web(
        "a0d7b954_adguard",
        webui="http://[HOST]:3000/",
        network={"80/tcp": 3000, "53/udp": 53},
    ) == WebUi(
        port=3000, route=WebRoute.WEBUI, host_network=False, front_door_open=False
    )
    # The same port left unpublished: the Supervisor writes "None".
    assert web("a0d7b954_adguard", webui="http://[HOST]:None/") is None
    # Host networking: the web UI listens on the host's own network.
    found = web("a0d7b954_glances", webui="https://[HOST]:61208", host_network=True)
    assert found is not None
    assert (found.port, found.host_network) == (61208, True)
    # Anything else is not a resolved web UI address.
    for text in ("http://example.com:8080/", "[PROTO:ssl]://[HOST]:[PORT:80]", ""):
        assert web("x", webui=text) is None
    assert web("x", webui="http://[HOST]:99999/") is None  # not a port
    assert web("x", webui="http://[HOST]:0/") is None


def test_ingress_port_published_on_the_host() -> None:
    # Z-Wave JS: ingress on 8091, and 8091 published (it is null by default).
    fields = {"ingress": True, "ingress_port": 8091}
    assert web("core_zwave_js", network={"8091/tcp": 8091, "3000/tcp": None}, **fields)
    assert web("core_zwave_js", network={"8091/tcp": None}, **fields) is None
    assert web("core_zwave_js", network={"3000/tcp": 3000}, **fields) is None
    # Host networking publishes nothing: where ingress listens is the add-on's choice.
    assert (
        web(
            "core_matter_server",
            host_network=True,
            network={"5580/tcp": 5580},
            **fields,
        )
        is None
    )
    # No ingress: its port means nothing.
    assert web("x", ingress=False, ingress_port=8091, network={"8091/tcp": 1}) is None


def test_direct_ports_and_the_front_door() -> None:
    # Node-RED: host networking, ingress, and its direct-access port 80/tcp -> 1880.
    node_red = {
        "host_network": True,
        "ingress": True,
        "ingress_port": 0,
        "network": {"80/tcp": 1880},
        "options": {"http_node": {"password": NODE_RED_PASSWORD}},
    }
    assert web("a0d7b954_nodered", **node_red) == WebUi(
        port=1880, route=WebRoute.DIRECT, host_network=True, front_door_open=False
    )
    node_red["options"] = {"leave_front_door_open": True}
    found = web("a0d7b954_nodered", **node_red)
    assert found is not None
    assert found.front_door_open is True
    # The front door only matters where the port is published.
    node_red["network"] = {"80/tcp": None}
    assert web("a0d7b954_nodered", **node_red) is None
    # ESPHome's dashboard port, null by default.
    assert web("5c53de3b_esphome", network={"6052/tcp": None}) is None
    assert web("5c53de3b_esphome-beta", network={"6052/tcp": 6052})
    # Another repository's add-on named nodered is not known to serve a UI on 80.
    assert web("1234abcd_nodered", network={"80/tcp": 1880}) is None
    # The option does nothing on a web UI the add-on declares.
    declared = web(
        "x",
        webui="http://[HOST]:8080/",
        options={"leave_front_door_open": True},
    )
    assert declared is not None
    assert declared.front_door_open is False


def test_network_facts_need_the_details() -> None:
    assert addon_network("x", {}) is None
    assert addon_network("x", {"host_network": True, "ingress": "yes"}) is None
    network = addon_network(
        "x", details(network={"80/tcp": 8080, "53/udp": None, 5: 5, "1/tcp": True})
    )
    assert network == AddonNetwork(
        host_network=False,
        ingress=False,
        ports=(("1/tcp", None), ("53/udp", None), ("80/tcp", 8080)),
        web_ui=None,
    )


def test_option_facts_hold_no_value() -> None:
    assert broker_options(
        {
            "logins": [{"username": "u", "password": BROKER_PASSWORD}],
            "anonymous": True,
            "customize": {"active": True, "folder": "mosquitto"},
        }
    ) == BrokerOptions(anonymous=True, customize_folder="mosquitto")
    assert broker_options(
        {"anonymous": "true", "customize": {"active": False, "folder": "x"}}
    ) == BrokerOptions(anonymous=False, customize_folder=None)
    assert (
        broker_options({"customize": {"active": True, "folder": " "}}).customize_folder
        is None
    )
    assert broker_options(None) == BrokerOptions(anonymous=False, customize_folder=None)
    assert zwave_keys(
        {
            "s2_access_control_key": ZWAVE_KEY,
            "s2_authenticated_key": " ",
            "network_key": ZWAVE_KEY,
        }
    ) == ZwaveKeys(s2=1, s0=True)
    assert zwave_keys({"s2_unauthenticated_key": 5}) == ZwaveKeys(s2=0, s0=False)
    assert zwave_keys([]) == ZwaveKeys(s2=0, s0=False)
    assert data_path({"data_path": "/config/zigbee2mqtt"}) == "/config/zigbee2mqtt"
    assert data_path({"data_path": "zigbee2mqtt"}) is None
    assert data_path(None) is None


ADDONS = [
    {"slug": "a0d7b954_nodered", "name": "Node-RED", "state": "started"},
    {"slug": "core_mosquitto", "name": "Mosquitto broker", "state": "started"},
    {"slug": "core_zwave_js", "name": "Z-Wave JS", "state": "started"},
    {"slug": "45df7312_zigbee2mqtt", "name": "Zigbee2MQTT", "state": "stopped"},
    {"slug": "a0d7b954_vscode", "name": "Studio Code Server", "version": "5.1.0"},
]


async def test_read_supervisor_keeps_network_and_option_facts(
    hass: HomeAssistant,
) -> None:
    live = {
        "a0d7b954_nodered": addon_details(
            options={
                "leave_front_door_open": True,
                "credential_secret": NODE_RED_PASSWORD,
            },
            network={"80/tcp": 1880},
            host_network=True,
            ingress=True,
            ingress_port=0,
            version="19.0.0",
        ),
        "core_mosquitto": addon_details(
            options={
                "logins": [{"username": "mqtt", "password": BROKER_PASSWORD}],
                "customize": {"active": True, "folder": "mosquitto"},
            },
            network={"1883/tcp": 1883},
            version="6.4.1",
        ),
        "core_zwave_js": addon_details(
            options={"s0_legacy_key": ZWAVE_KEY, "s2_access_control_key": ZWAVE_KEY},
            network={"8091/tcp": None},
            ingress=True,
            ingress_port=8091,
        ),
        "45df7312_zigbee2mqtt": addon_details(
            options={"data_path": "/share/zigbee2mqtt"}, state=AddonState.STOPPED
        ),
        "a0d7b954_vscode": SupervisorError("timeout"),
    }
    # The cache (taken at startup) answers for an add-on the Supervisor does not.
    cached = {
        "a0d7b954_vscode": {
            "state": "started",
            "protected": True,
            "options": {},
            "network": {"8443/tcp": 8443},
            "host_network": False,
            "ingress": True,
            "ingress_port": 8443,
            "webui": None,
        }
    }
    with mocked_supervisor(
        addons=ADDONS, details=live, cached=cached, issues=NO_REASONS
    ):
        facts = await async_read_supervisor(hass)
    got = {a.slug: a for a in facts.addons}
    node_red = got["a0d7b954_nodered"]
    assert node_red.version == "19.0.0"
    assert node_red.network is not None
    assert node_red.network.web_ui == WebUi(
        port=1880, route=WebRoute.DIRECT, host_network=True, front_door_open=True
    )
    assert got["core_mosquitto"].broker == BrokerOptions(
        anonymous=False, customize_folder="mosquitto"
    )
    assert got["core_zwave_js"].zwave == ZwaveKeys(s2=1, s0=True)
    assert got["core_zwave_js"].network is not None
    assert got["core_zwave_js"].network.web_ui is None
    assert got["45df7312_zigbee2mqtt"].data_path == "/share/zigbee2mqtt"
    assert got["45df7312_zigbee2mqtt"].started is False
    vscode = got["a0d7b954_vscode"]
    assert vscode.version == "5.1.0"  # from the add-on list
    assert vscode.network is not None
    assert vscode.network.web_ui == WebUi(
        port=8443, route=WebRoute.INGRESS, host_network=False, front_door_open=False
    )
    # Only yes/no left the options.
    for secret in (NODE_RED_PASSWORD, BROKER_PASSWORD, ZWAVE_KEY):
        assert secret not in repr(facts)


async def test_newer_releases_raise_before_the_data_is_loaded(
    hass: HomeAssistant,
) -> None:
    """2026.x raises HassioNotReadyError (a HomeAssistantError) where 2025.x returns None."""
    with (
        mocked_supervisor(addons=ADDONS),
        patch(
            f"{SUPERVISOR_MODULE}.get_supervisor_info",
            side_effect=HomeAssistantError("not ready"),
        ),
        pytest.raises(SupervisorUnavailable, match="has not loaded its data yet"),
    ):
        await async_read_supervisor(hass)


async def test_the_supervisor_fact(hass: HomeAssistant, config_dir: Path) -> None:
    # Core and Container installations: no Supervisor, nothing to read.
    ctx = ScanContext(
        hass=hass, config_dir=config_dir, now=__import__("datetime").datetime.now()
    )
    assert await ctx.fact(SUPERVISOR) is None
    # Under the Supervisor: its facts, and a note for each add-on that cannot be read.
    with mocked_supervisor(
        addons=ADDONS[:1],
        details={"a0d7b954_nodered": SupervisorError("down")},
        issues=NO_REASONS,
    ):
        ctx = ScanContext(hass=hass, config_dir=config_dir, now=ctx.now)
        facts = await ctx.fact(SUPERVISOR)
    assert facts is not None
    assert facts.unreadable == ("a0d7b954_nodered",)
    assert [(n.family, n.reason) for n in ctx.notes] == [
        (Family.EXPOSURE, "add-on a0d7b954_nodered: its details could not be read")
    ]
    # Not loaded yet: the fact is unknown; a fact that can do without it notes it once.
    with mocked_supervisor(info=None):
        ctx = ScanContext(hass=hass, config_dir=config_dir, now=ctx.now)
        with pytest.raises(
            CheckUnknown, match="Supervisor: the Supervisor integration"
        ):
            await ctx.fact(SUPERVISOR)
        assert await async_optional_supervisor(ctx, Family.EXPOSURE) is None
        assert await async_optional_supervisor(ctx, Family.EXPOSURE) is None
    assert [n.reason for n in ctx.notes] == [
        "Supervisor: the Supervisor integration has not loaded its data yet"
    ]
