"""The `token_stale` fix flow: revoke an old long-lived access token, saying it may be in use."""

from __future__ import annotations

from datetime import timedelta
import json
from pathlib import Path
from typing import Any

from homeassistant.auth.models import TOKEN_TYPE_NORMAL, RefreshToken
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from .conftest import STRINGS
from .fix_helpers import FlowClient, async_finding, issues
from .helpers import async_scan, async_setup_integration, findings_of

ACCESS: dict[str, str] = {}


@pytest.fixture
async def stale(
    hass: HomeAssistant, config_dir: Path, mock_config_entry: MockConfigEntry
) -> RefreshToken:
    user = await hass.auth.async_create_user("Grace", group_ids=["system-users"])
    tokens = []
    for name, days in (("Old tablet", 400), ("Phone", 1)):
        token = await hass.auth.async_create_refresh_token(
            user,
            client_name=name,
            token_type="long_lived_access_token",
            access_token_expiration=timedelta(days=3650),
        )
        ACCESS[name] = hass.auth.async_create_access_token(token)
        token.created_at = dt_util.utcnow() - timedelta(days=days)
        tokens.append(token)
    await async_setup_integration(hass, mock_config_entry)
    return tokens[0]


async def open_revoke(
    hass: HomeAssistant, flows: FlowClient
) -> tuple[dict[str, Any], dict[str, Any]]:
    finding = await async_finding(hass, "token_stale")
    menu = await flows.start(finding["id"])
    assert menu["menu_options"] == ["revoke", "ignore"]
    form = await flows.choose(menu, "revoke")
    assert form["step_id"] == "revoke"
    return finding, form


async def test_revoke_after_confirmation(
    hass: HomeAssistant, stale: RefreshToken, hass_client: ClientSessionGenerator
) -> None:
    flows = FlowClient(await hass_client())
    access = ACCESS["Old tablet"]
    finding, form = await open_revoke(hass, flows)
    assert form["description_placeholders"]["token"] == "Old tablet"
    assert form["description_placeholders"]["user"] == "Grace"
    assert form["description_placeholders"]["age"] == "400"
    # Before revoking, the flow says the token may be in use.
    revoke_text = STRINGS["issues"]["token_stale"]["fix_flow"]["step"]["revoke"][
        "description"
    ]
    assert "may still be in use" in revoke_text
    assert "does not record" in revoke_text
    assert hass.auth.async_get_refresh_token(stale.id) is not None
    done = await flows.step(form, {})
    assert (done["type"], done["description"]) == ("create_entry", "revoked")
    assert done["description_placeholders"]["token"] == "Old tablet"
    assert hass.auth.async_get_refresh_token(stale.id) is None
    phone = [t for t in stale.user.refresh_tokens.values() if t.client_name == "Phone"]
    assert len(phone) == 1  # the young token stays
    assert finding["id"] not in issues(hass)
    assert findings_of(await async_scan(hass), "token_stale") == []
    blob = json.dumps(flows.responses)
    for value in (stale.token, stale.jwt_key, access):
        assert value not in blob


async def test_already_revoked(
    hass: HomeAssistant, stale: RefreshToken, hass_client: ClientSessionGenerator
) -> None:
    flows = FlowClient(await hass_client())
    finding, form = await open_revoke(hass, flows)
    hass.auth.async_remove_refresh_token(stale)
    assert (await flows.step(form, {}))["type"] == "create_entry"
    assert finding["id"] not in issues(hass)


async def test_never_revokes_another_kind_of_token(
    hass: HomeAssistant, stale: RefreshToken, hass_client: ClientSessionGenerator
) -> None:
    flows = FlowClient(await hass_client())
    _, form = await open_revoke(hass, flows)
    stale.token_type = TOKEN_TYPE_NORMAL
    result = await flows.step(form, {})
    assert result["type"] == "abort"
    assert result["reason"] == "changed"
    assert hass.auth.async_get_refresh_token(stale.id) is stale
