"""`app_port_exposed`: add-on web UIs on host ports, on facts and end to end."""

from __future__ import annotations

from datetime import UTC, datetime
import json
from pathlib import Path
from types import SimpleNamespace

from aiohasupervisor.models import AddonState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.security_posture.checks.exposure.app_port_exposed import CHECK
from custom_components.security_posture.const import DOMAIN
from custom_components.security_posture.diagnostics import (
    async_get_config_entry_diagnostics,
)
from custom_components.security_posture.engine import Facts, NotApplicable
from custom_components.security_posture.inspect.addon_details import (
    AddonNetwork,
    WebRoute,
    WebUi,
)
from custom_components.security_posture.inspect.supervisor import (
    SUPERVISOR,
    Addon,
    SupervisorFacts,
)
from custom_components.security_posture.model import finding_id

from .fix_helpers import FlowClient, issues
from .helpers import (
    COMMON_PLACEHOLDERS,
    async_scan,
    async_setup_integration,
    findings_of,
    issue_placeholders_used,
    status_of,
)
from .supervisor_fakes import addon_details, mocked_supervisor

NOW = datetime(2026, 11, 15, 12, 0, tzinfo=UTC)
CANARY = "canary-addon-option-password-7f3a"
NO_REASONS = SimpleNamespace(unsupported_reasons=set(), unhealthy_reasons=set())


def addon(
    slug: str,
    web_ui: WebUi | None,
    *,
    started: bool = True,
    name: str = "Some add-on",
    ingress: bool = True,
) -> Addon:
    return Addon(
        slug=slug,
        name=name,
        started=started,
        protected=True,
        network=AddonNetwork(
            host_network=False, ingress=ingress, ports=(), web_ui=web_ui
        ),
    )


def run(supervisor: SupervisorFacts | None) -> list:
    return list(CHECK.inspect(Facts({SUPERVISOR: supervisor}, now=NOW)))


def test_on_facts() -> None:
    with pytest.raises(NotApplicable, match="no Supervisor"):
        run(None)
    assert run(SupervisorFacts(addons=(), unsupported=(), unhealthy=())) == []
    port = WebUi(
        port=3000, route=WebRoute.WEBUI, host_network=False, front_door_open=False
    )
    front = WebUi(
        port=1880, route=WebRoute.DIRECT, host_network=True, front_door_open=True
    )
    ingress = WebUi(
        port=8091, route=WebRoute.INGRESS, host_network=False, front_door_open=False
    )
    host = WebUi(
        port=61208, route=WebRoute.WEBUI, host_network=True, front_door_open=False
    )
    hits = run(
        SupervisorFacts(
            addons=(
                addon("a0d7b954_adguard", port, name="AdGuard Home"),
                addon("a0d7b954_nodered", front, name="Node-RED"),
                addon("core_zwave_js", ingress, name="Z-Wave JS"),
                addon("stopped", port, started=False),
                # No ingress, its own network: the port is its only way in.
                addon("port_only", port, ingress=False),
                # No ingress, but on the host's network: a finding.
                addon("a0d7b954_glances", host, ingress=False, name="Glances"),
                addon("no_ui", None),
                Addon(slug="unread", name="Unread", started=True, protected=None),
            ),
            unsupported=(),
            unhealthy=(),
        )
    )
    assert [(h.subject, h.title, h.key) for h in hits] == [
        (
            "addon:a0d7b954_adguard",
            "AdGuard Home serves its web UI on port 3000 of the host",
            None,
        ),
        (
            "addon:a0d7b954_nodered",
            "Node-RED lets anyone on the network in on port 1880",
            "leave_front_door_open",
        ),
        (
            "addon:core_zwave_js",
            "Z-Wave JS serves its web UI on port 8091 of the host",
            None,
        ),
        (
            "addon:a0d7b954_glances",
            "Glances serves its web UI on port 61208 of the host",
            None,
        ),
    ]
    assert "declares it as its web UI" in hits[0].placeholders["detail"]
    assert "on the host's own network" in hits[1].placeholders["detail"]
    assert "asks for no login at all" in hits[1].placeholders["detail"]
    assert "the port ingress uses" in hits[2].placeholders["detail"]
    # Someone else's text is inert Markdown.
    [hit] = run(
        SupervisorFacts(
            addons=(addon("x", port, name="Evil [link](https://e.example)"),),
            unsupported=(),
            unhealthy=(),
        )
    )
    assert "\\[link\\]" in hit.placeholders["detail"]


ADDONS = [
    {"slug": "a0d7b954_nodered", "name": "Node-RED", "state": "started"},
    {"slug": "a0d7b954_adguard", "name": "AdGuard Home", "state": "started"},
    {"slug": "core_zwave_js", "name": "Z-Wave JS", "state": "started"},
    {"slug": "a0d7b954_glances", "name": "Glances", "state": "stopped"},
    {"slug": "core_mosquitto", "name": "Mosquitto broker", "state": "started"},
]
DETAILS = {
    # The community Node-RED as installed: host networking, ingress, port 1880, and the
    # front door opened.
    "a0d7b954_nodered": addon_details(
        options={
            "leave_front_door_open": True,
            "credential_secret": CANARY,
            "http_node": {"username": "", "password": CANARY},
        },
        network={"80/tcp": 1880},
        host_network=True,
        ingress=True,
        ingress_port=0,
    ),
    # A declared web UI, published.
    "a0d7b954_adguard": addon_details(
        network={"80/tcp": 3000, "53/udp": 53},
        host_network=False,
        ingress=True,
        ingress_port=80,
        webui="http://[HOST]:3000/",
    ),
    # Ingress only: the UI port left unpublished (its default).
    "core_zwave_js": addon_details(
        options={"s2_access_control_key": CANARY},
        network={"8091/tcp": None, "3000/tcp": None},
        ingress=True,
        ingress_port=8091,
    ),
    # A web UI, but stopped: nothing listens.
    "a0d7b954_glances": addon_details(
        network={"61208/tcp": 61208},
        webui="http://[HOST]:61208",
        state=AddonState.STOPPED,
    ),
    "core_mosquitto": addon_details(
        options={"logins": [{"username": "u", "password": CANARY}]},
        network={"1883/tcp": 1883},
    ),
}


async def test_end_to_end(
    hass: HomeAssistant,
    config_dir: Path,
    hass_client: ClientSessionGenerator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level("DEBUG", logger="custom_components.security_posture")
    entry = MockConfigEntry(domain=DOMAIN, title="Security Posture", data={})
    with mocked_supervisor(addons=ADDONS, details=DETAILS, issues=NO_REASONS):
        await async_setup_integration(hass, entry)
        report = await async_scan(hass)
        diagnostics = await async_get_config_entry_diagnostics(hass, entry)
    assert status_of(report, "app_port_exposed") == "fail"
    found = {f["subject"]: f for f in findings_of(report, "app_port_exposed")}
    assert set(found) == {"addon:a0d7b954_nodered", "addon:a0d7b954_adguard"}
    node_red = found["addon:a0d7b954_nodered"]
    assert node_red["title"] == "Node-RED lets anyone on the network in on port 1880"
    assert (node_red["family"], node_red["severity"]) == ("exposure", "high")
    assert node_red["id"] == finding_id("app_port_exposed", "addon:a0d7b954_nodered")
    assert node_red["learn_more_url"] == CHECK.learn_more_url

    sensor = hass.states.get("binary_sensor.security_posture_exposure")
    assert sensor is not None
    assert sensor.state == "on"
    issue = issues(hass)[node_red["id"]]
    assert issue.translation_key == "app_port_exposed"
    assert issue.severity is ir.IssueSeverity.ERROR
    assert issue.translation_placeholders is not None
    assert issue_placeholders_used("app_port_exposed") <= (
        set(issue.translation_placeholders) | COMMON_PLACEHOLDERS
    )
    assert "`leave_front_door_open`" in issue.translation_placeholders["detail"]

    # Nothing read from the add-ons' options anywhere.
    texts = [
        json.dumps(report),
        json.dumps(diagnostics, default=str),
        caplog.text,
        repr([i.translation_placeholders for i in issues(hass).values()]),
    ]
    assert not [t for t in texts if CANARY in t]

    # No fix through the Supervisor (closing a port can break what uses it): accept the risk.
    flows = FlowClient(await hass_client())
    for finding in found.values():
        confirm = await flows.start(finding["id"])
        assert (confirm["type"], confirm["step_id"]) == ("form", "confirm")
        done = await flows.step(confirm, {"reason": "reached over the VPN only"})
        assert (done["type"], done["reason"]) == ("abort", "risk_accepted")
    await hass.async_block_till_done()
    assert hass.states.get("binary_sensor.security_posture_exposure").state == "off"

    # The ports closed: the findings are gone, and so are their issues.
    closed = DETAILS | {
        "a0d7b954_nodered": addon_details(
            options={"leave_front_door_open": True},
            network={"80/tcp": None},
            host_network=True,
            ingress=True,
            ingress_port=0,
        ),
        "a0d7b954_adguard": addon_details(
            network={"80/tcp": None}, ingress=True, webui="http://[HOST]:None/"
        ),
    }
    with mocked_supervisor(addons=ADDONS, details=closed, issues=NO_REASONS):
        report = await async_scan(hass)
    assert status_of(report, "app_port_exposed") == "pass"
    assert node_red["id"] not in issues(hass)


async def test_not_applicable_without_a_supervisor(
    hass: HomeAssistant, config_dir: Path
) -> None:
    entry = MockConfigEntry(domain=DOMAIN, title="Security Posture", data={})
    await async_setup_integration(hass, entry)
    report = await async_scan(hass)
    [result] = [c for c in report["checks"] if c["check"] == "app_port_exposed"]
    assert result == {
        "check": "app_port_exposed",
        "family": "exposure",
        "status": "pass",
        "reason": "no Supervisor: this is a Core or Container installation",
    }


async def test_unknown_while_the_supervisor_is_not_loaded(
    hass: HomeAssistant, config_dir: Path
) -> None:
    entry = MockConfigEntry(domain=DOMAIN, title="Security Posture", data={})
    with mocked_supervisor(info=None):
        await async_setup_integration(hass, entry)
        report = await async_scan(hass)
    [result] = [c for c in report["checks"] if c["check"] == "app_port_exposed"]
    assert result["status"] == "unknown"
    assert result["reason"] == (
        "Supervisor: the Supervisor integration has not loaded its data yet"
    )
