"""End to end: in a real Home Assistant process, the owner clicks through the repair of an
inline password and ends with the password in secrets.yaml, the same configuration check
result, the repair gone and a backup of the old files.

Uses the real-process harness of `test_e2e.py` (the deliberately insecure `tests/fixtures/e2e`
configuration, onboarding through `scripts/onboard.py`) and drives the fix flow over REST, as
the frontend does.
"""

from __future__ import annotations

from collections.abc import Generator
import json
from pathlib import Path
from typing import Any

import pytest

from .test_e2e import (
    CANARIES,
    DOMAIN,
    OWNER_PASSWORD,
    Instance,
    api_call,
    onboard,
    scan_report,
)

KEY = "rest_command.inline.password"
LITERAL = f'"{CANARIES["inline"]}"'


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations() -> None:
    """No in-process `hass` here: Home Assistant runs in its own process."""


@pytest.fixture
def instance(tmp_path: Path, socket_enabled: None) -> Generator[Instance]:
    """A prepared Home Assistant process, stopped after the test whatever happened."""
    hass = Instance(tmp_path)
    try:
        yield hass
    finally:
        hass.stop()
        print(f"--- end of the log of Home Assistant ---\n{hass.log()[-6000:]}")  # noqa: T201


def _fix(instance: Instance, token: str, path: str, body: dict[str, Any]) -> Any:
    return api_call(instance, token, "POST", path, json_body=body)


@pytest.mark.e2e
def test_owner_moves_an_inline_password_to_secrets(instance: Instance) -> None:
    configuration = instance.config / "configuration.yaml"
    secrets = instance.config / "secrets.yaml"
    instance.start()
    url = instance.url
    onboard.wait_until_up(url, 180, instance.alive)
    token = onboard.fetch_token(url, onboard.create_owner(url, password=OWNER_PASSWORD))
    onboard.finish_onboarding(url, token)
    onboard.wait_until_running(url, token, 180)
    onboard.add_integration(url, token)
    onboard.wait_for_state(url, token, "sensor.security_posture_score", 120)

    config_before = configuration.read_bytes()
    secrets_before = secrets.read_bytes()
    check = _fix(instance, token, "/api/config/core/check_config", {})
    assert check["result"] == "valid", check

    report = scan_report(instance, token)
    (finding,) = [
        f
        for f in report["findings"]
        if f["check"] == "inline_credential" and f["key"] == KEY
    ]
    issue_ids = {i["issue_id"] for i in onboard.repair_issues(url, token)}
    assert finding["id"] in issue_ids

    responses = []
    menu = _fix(
        instance,
        token,
        "/api/repairs/issues/fix",
        {"handler": DOMAIN, "issue_id": finding["id"]},
    )
    responses.append(menu)
    assert menu["type"] == "menu"
    form = _fix(
        instance,
        token,
        f"/api/repairs/issues/fix/{menu['flow_id']}",
        {"next_step_id": "move_to_secrets"},
    )
    responses.append(form)
    assert form["type"] == "form", form
    name = form["data_schema"][0]["default"]
    assert name == "rest_command_inline_password"
    done = _fix(
        instance, token, f"/api/repairs/issues/fix/{form['flow_id']}", {"name": name}
    )
    responses.append(done)
    assert done["type"] == "create_entry", done

    # The password is in secrets.yaml; the literal became `!secret name` in place.
    assert configuration.read_bytes() == config_before.replace(
        LITERAL.encode(), f"!secret {name}".encode(), 1
    )
    assert secrets.read_bytes() == secrets_before + f"{name}: {LITERAL}\n".encode()
    # The same configuration check result; Home Assistant reloads the section from it.
    check = _fix(instance, token, "/api/config/core/check_config", {})
    assert check["result"] == "valid", check
    _fix(instance, token, "/api/services/rest_command/reload", {})
    # A backup of the old files.
    (folder,) = (instance.config / ".security_posture" / "backups").iterdir()
    assert (folder / "configuration.yaml.bak").read_bytes() == config_before
    assert (folder / "secrets.yaml.bak").read_bytes() == secrets_before
    # The repair is gone, and stays gone after another scan.
    assert finding["id"] not in {
        i["issue_id"] for i in onboard.repair_issues(url, token)
    }
    report = scan_report(instance, token)
    assert KEY not in {
        f["key"] for f in report["findings"] if f["check"] == "inline_credential"
    }
    assert finding["id"] not in {
        i["issue_id"] for i in onboard.repair_issues(url, token)
    }
    # Never the value in what the flow showed.
    assert CANARIES["inline"] not in json.dumps(responses)
    assert instance.alive()
    assert CANARIES["inline"] not in instance.log()
