"""End to end in a real Home Assistant process: the supply-chain checks.

Uses the real-process harness of `test_e2e.py` (on the newest end the newest Home Assistant
release, on the floor 2025.4.4) with its configuration, plus: a frontend module and a
dashboard resource (created over the websocket, as the Resources page does) on other hosts,
a custom integration copied by hand that puts a folder outside its own on the import path,
one installed through HACS, and HACS' storage files. The integration's own folder is a link
to the repository, outside the configuration directory, as `scripts/develop` makes it.
"""

from __future__ import annotations

from collections.abc import Generator
import json
from pathlib import Path
from typing import Any

import pytest

from .supply_helpers import hacs_entry, write_integration, write_storage
from .test_e2e import (
    DOMAIN,
    OWNER_PASSWORD,
    Instance,
    _errors_about_us,
    _states,
    api_call,
    onboard,
    scan_report,
)

CANARY = "CANARY-e2e-supply-token-61c9"
MODULE = f"https://cdn.example.net/mod.js?token={CANARY}"
RESOURCE = "https://unpkg.com/some-card@1/some-card.js"


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations() -> None:
    """No in-process `hass` here: Home Assistant runs in its own process."""


@pytest.fixture
def instance(tmp_path: Path, socket_enabled: None) -> Generator[Instance]:
    """The e2e configuration with frontend code and custom integrations from elsewhere."""
    hass = Instance(tmp_path)
    configuration = hass.config / "configuration.yaml"
    text = configuration.read_text()
    assert text.count("\nfrontend:\n") == 1
    configuration.write_text(
        text.replace(
            "\nfrontend:\n",
            f"\nfrontend:\n  extra_module_url:\n    - /local/x.js\n    - {MODULE}\n",
        )
    )
    write_integration(
        hass.config,
        "copied",
        files={"__init__.py": "import sys\nsys.path.insert(0, '/opt/shared-libs')\n"},
    )
    write_integration(hass.config, "fromhacs")
    write_storage(
        hass.config,
        "hacs.repositories",
        {"20": hacs_entry("fromhacs", "someone/fromhacs")},
        version="6",
    )
    try:
        yield hass
    finally:
        hass.stop()
        print(f"--- end of the log of Home Assistant ---\n{hass.log()[-6000:]}")  # noqa: T201


def _subjects(report: dict[str, Any], check: str) -> dict[str, dict[str, Any]]:
    return {f["subject"]: f for f in report["findings"] if f["check"] == check}


@pytest.mark.e2e
def test_supply_chain_in_a_real_home_assistant(instance: Instance) -> None:
    instance.start()
    url = instance.url
    onboard.wait_until_up(url, 180, instance.alive)
    token = onboard.fetch_token(url, onboard.create_owner(url, password=OWNER_PASSWORD))
    onboard.finish_onboarding(url, token)
    onboard.wait_until_running(url, token, 180)
    try:
        with onboard.WebSocket(url, token) as websocket:
            websocket.result({"type": "lovelace/resources"})  # as the page does: loads
            websocket.result(
                {
                    "type": "lovelace/resources/create",
                    "res_type": "module",
                    "url": RESOURCE,
                }
            )
        onboard.add_integration(url, token)
        onboard.wait_for_state(url, token, "sensor.security_posture_score", 120)
        report = scan_report(instance, token)

        frontend = _subjects(report, "frontend_resource_external")
        assert set(frontend) == {"https://cdn.example.net/mod.js?***", RESOURCE}
        module = frontend["https://cdn.example.net/mod.js?***"]
        assert (module["file"], module["key"], module["severity"]) == (
            "configuration.yaml",
            "frontend.extra_module_url[1]",
            "medium",
        )
        assert frontend[RESOURCE]["file"] == ".storage/lovelace_resources"

        risks = _subjects(report, "custom_integration_risk")
        assert set(risks) == {
            "custom_components/copied: untracked",
            "custom_components/copied: import path",
            f"custom_components/{DOMAIN}: untracked",
            f"custom_components/{DOMAIN}: linked folder",
        }
        states = _states(instance, token)
        assert states["binary_sensor.security_posture_supply_chain"]["state"] == "on"
        count = states["sensor.security_posture_custom_integrations"]
        assert count["state"] == "3"
        assert count["attributes"]["through_hacs"] == 1

        issues = {i["issue_id"]: i for i in onboard.repair_issues(url, token)}
        assert {f["id"] for f in [*frontend.values(), *risks.values()]} <= set(issues)
        assert issues[module["id"]]["translation_key"] == "frontend_resource_external"

        # Accept the risk of the resource through its repair, as the frontend does.
        flow = api_call(
            instance,
            token,
            "POST",
            "/api/repairs/issues/fix",
            json_body={"handler": DOMAIN, "issue_id": frontend[RESOURCE]["id"]},
        )
        assert (flow["type"], flow["step_id"]) == ("form", "confirm")
        assert "unpkg.com" in flow["description_placeholders"]["host"]
        done = api_call(
            instance,
            token,
            "POST",
            f"/api/repairs/issues/fix/{flow['flow_id']}",
            json_body={"reason": "pinned version"},
        )
        assert (done["type"], done["reason"]) == ("abort", "risk_accepted")
        after = scan_report(instance, token)
        assert _subjects(after, "frontend_resource_external")[RESOURCE]["ignored"]
    finally:
        returncode = instance.stop()
    log = instance.log()
    assert returncode == 0, log[-5000:]
    assert not _errors_about_us(log)
    exposed = json.dumps([report, after, states, issues, flow, done])
    assert CANARY not in exposed
    assert CANARY not in log
