"""No credential value leaves the integration: planted canaries are searched everywhere.

Everything the integration exposes is collected after a real scan of a configuration full of
canary values: states and attributes, every bus event, the report, diagnostics, repair issues
and their flows, everything written to storage, and the log at debug level.
"""

from __future__ import annotations

from datetime import timedelta
import json
import logging
from pathlib import Path
from typing import Any

from homeassistant.const import MATCH_ALL
from homeassistant.core import Event, HomeAssistant
from homeassistant.helpers import issue_registry as ir
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.security_posture.const import DOMAIN

from .helpers import async_scan, async_setup_integration

CANARIES = {
    "inline": "CANARY-inline-password-5d1f",
    "package": "CANARY-package-apikey-81aa",
    "url": "CANARY-url-password-c0de",
    "list": "CANARY-list-token-9e2b",
    "secret": "CANARY-secret-value-44f0",
    "unused": "CANARY-unused-secret-1b7c",
    "env": "CANARY-env-value-aa31",
}


def _plant(config_dir: Path) -> None:
    (config_dir / "packages").mkdir()
    (config_dir / "configuration.yaml").write_text(
        "homeassistant:\n"
        "  packages: !include_dir_named packages\n"
        "mqtt:\n"
        f"  password: {CANARIES['inline']}\n"
        "  username: !secret mqtt_user\n"
        "notify:\n"
        "  - platform: rest\n"
        f"    resource: https://admin:{CANARIES['url']}@example.org/notify\n"
        "sensor:\n"
        "  - platform: command_line\n"
        "    command: !env_var SP_CANARY_ENV\n"
        f"    token: {CANARIES['list']}\n"
    )
    (config_dir / "packages" / "weather.yaml").write_text(
        f"weather:\n  - platform: example\n    api_key: '{CANARIES['package']}'\n"
    )
    (config_dir / "secrets.yaml").write_text(
        f"mqtt_user: {CANARIES['secret']}\nold_password: {CANARIES['unused']}\n"
    )
    (config_dir / "secrets.yaml").chmod(0o644)


async def test_no_value_appears_anywhere(
    hass: HomeAssistant,
    config_dir: Path,
    mock_config_entry: MockConfigEntry,
    hass_client: ClientSessionGenerator,
    hass_storage: dict[str, Any],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("SP_CANARY_ENV", CANARIES["env"])
    _plant(config_dir)

    user = await hass.auth.async_create_user("Canary", group_ids=["system-admin"])
    refresh = await hass.auth.async_create_refresh_token(
        user,
        client_name="Old dashboard tablet",
        token_type="long_lived_access_token",
        access_token_expiration=timedelta(days=3650),
    )
    access_token = hass.auth.async_create_access_token(refresh)
    refresh.created_at = dt_util.utcnow() - timedelta(days=400)
    canaries = {
        **CANARIES,
        "refresh": refresh.token,
        "jwt_key": refresh.jwt_key,
        "access": access_token,
    }

    events: list[Event] = []
    hass.bus.async_listen(MATCH_ALL, events.append)

    await async_setup_integration(hass, mock_config_entry)
    report = await async_scan(hass)

    kinds = {f["check"] for f in report["findings"]}
    assert {
        "inline_credential",
        "secret_unused",
        "secrets_file_permissions",
        "token_stale",
    } <= kinds, kinds
    inline = [f for f in report["findings"] if f["check"] == "inline_credential"]
    assert len(inline) == 4, inline

    exposed: list[Any] = [report]
    exposed += [s.as_dict() for s in hass.states.async_all()]
    exposed += [{"type": e.event_type, "data": e.data} for e in events]
    exposed.append(
        await get_diagnostics_for_config_entry(hass, hass_client, mock_config_entry)
    )
    client = await hass_client()
    issues = [i for (d, i) in ir.async_get(hass).issues if d == DOMAIN]
    assert issues
    for (domain, _), issue in ir.async_get(hass).issues.items():
        if domain == DOMAIN:
            exposed.append(issue.to_json())
            exposed.append(issue.translation_placeholders)
    for issue_id in issues:
        resp = await client.post(
            "/api/repairs/issues/fix", json={"handler": DOMAIN, "issue_id": issue_id}
        )
        exposed.append(await resp.json())
    await hass.async_block_till_done()
    await hass.async_stop(force=True)  # flushes every delayed storage write
    # Home Assistant's own auth storage holds the tokens by design; everything else counts.
    assert any(key.startswith(DOMAIN) for key in hass_storage)
    exposed.append({k: v for k, v in hass_storage.items() if not k.startswith("auth")})
    exposed.append(caplog.text)

    blob = json.dumps(exposed, default=str)
    for name, value in canaries.items():
        assert value not in blob, f"the {name} canary leaked"
    # The search itself works: the canaries are in the files we scanned.
    assert CANARIES["inline"] in (config_dir / "configuration.yaml").read_text()
