"""The chmod 600 fix flows: `secrets_file_permissions` and `private_key_permissions`."""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any
from unittest.mock import patch

from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.security_posture.fixes import file_ops, permissions
from custom_components.security_posture.fixes.permissions import restrict_mode

from .fix_helpers import FlowClient, async_finding, async_setup_http, issues
from .helpers import async_scan, async_setup_integration, findings_of
from .remote_access_certs import key_bytes, make_cert, rsa_key, write_pair

SECRETS = "api_password: CANARY-perm-value\n"


@pytest.fixture
async def flows(
    hass: HomeAssistant,
    config_dir: Path,
    mock_config_entry: MockConfigEntry,
    hass_client: ClientSessionGenerator,
) -> FlowClient:
    (config_dir / "configuration.yaml").write_text("api: !secret api_password\n")
    (config_dir / "secrets.yaml").write_text(SECRETS)
    (config_dir / "secrets.yaml").chmod(0o644)
    await async_setup_integration(hass, mock_config_entry)
    return FlowClient(await hass_client())


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o7777


async def open_restrict(
    hass: HomeAssistant, flows: FlowClient, check: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    finding = await async_finding(hass, check)
    menu = await flows.start(finding["id"])
    assert menu["menu_options"] == ["restrict", "ignore"]
    form = await flows.choose(menu, "restrict")
    assert form["type"] == "form"
    assert form["step_id"] == "restrict"
    return finding, form


async def test_secrets_file_becomes_owner_only(
    hass: HomeAssistant, config_dir: Path, flows: FlowClient
) -> None:
    finding, form = await open_restrict(hass, flows, "secrets_file_permissions")
    assert form["description_placeholders"]["mode"] == "644"
    done = await flows.step(form, {})
    assert (done["type"], done["description"]) == ("create_entry", "restricted")
    assert done["description_placeholders"]["mode"] == "644"  # how to undo
    assert mode(config_dir / "secrets.yaml") == 0o600
    assert (config_dir / "secrets.yaml").read_text() == SECRETS
    assert finding["id"] not in issues(hass)
    report = await async_scan(hass)
    assert findings_of(report, "secrets_file_permissions") == []
    assert "CANARY" not in str(flows.responses)


async def test_accept_the_risk_instead(
    hass: HomeAssistant, config_dir: Path, flows: FlowClient
) -> None:
    finding = await async_finding(hass, "secrets_file_permissions")
    menu = await flows.start(finding["id"])
    confirm = await flows.choose(menu, "ignore")
    assert confirm["step_id"] == "confirm"
    assert (await flows.step(confirm, {}))["reason"] == "risk_accepted"
    assert mode(config_dir / "secrets.yaml") == 0o644


async def test_not_the_owner(
    hass: HomeAssistant, config_dir: Path, flows: FlowClient
) -> None:
    """Home Assistant reads the file through group/other bits: 600 would lock it out."""
    _, form = await open_restrict(hass, flows, "secrets_file_permissions")
    owner = (config_dir / "secrets.yaml").stat().st_uid
    with patch.object(permissions.os, "geteuid", return_value=owner + 1000):
        result = await flows.step(form, {})
    assert result["type"] == "abort"
    assert result["reason"] == "not_owner"
    assert mode(config_dir / "secrets.yaml") == 0o644


def raising(*points: str) -> Any:
    """A checkpoint that fails (as the system would, with an OSError) at `points`."""

    def checkpoint(name: str) -> None:
        if name in points:
            raise OSError(errno.EPERM, f"injected at {name}")

    return checkpoint


@pytest.mark.parametrize(
    ("points", "reason", "expected_mode"),
    [
        (("chmod",), "read_only", 0o644),
        (("verify",), "verify_failed", 0o644),
        (("verify", "rollback"), "rollback_failed", 0o600),
    ],
)
async def test_failures(
    hass: HomeAssistant,
    config_dir: Path,
    flows: FlowClient,
    points: tuple[str, ...],
    reason: str,
    expected_mode: int,
) -> None:
    _, form = await open_restrict(hass, flows, "secrets_file_permissions")
    with patch.object(permissions, "checkpoint", raising(*points)):
        result = await flows.step(form, {})
    assert result["type"] == "abort"
    assert result["reason"] == reason
    assert mode(config_dir / "secrets.yaml") == expected_mode
    assert (config_dir / "secrets.yaml").read_text() == SECRETS


async def test_file_gone_or_replaced(
    hass: HomeAssistant, config_dir: Path, flows: FlowClient
) -> None:
    _, form = await open_restrict(hass, flows, "secrets_file_permissions")
    (config_dir / "secrets.yaml").unlink()
    assert (await flows.step(form, {}))["reason"] == "changed"


def test_restrict_mode_edge_cases(tmp_path: Path) -> None:
    config = str(tmp_path)
    (tmp_path / "folder").mkdir()
    with pytest.raises(file_ops.FixRefused) as err:
        restrict_mode(str(tmp_path / "folder"), config)
    assert err.value.reason == "unsupported_file"
    with pytest.raises(file_ops.FixRefused) as err:
        restrict_mode(str(tmp_path / "missing" / "\0"), config)
    assert err.value.reason == "unsupported_file"
    with pytest.raises(file_ops.FixRefused) as err:
        restrict_mode(config, config)
    assert err.value.reason == "not_inside"
    done = tmp_path / "done"
    done.write_text("x")
    done.chmod(0o600)
    restrict_mode(str(done), config)  # already 600: nothing to do
    assert mode(done) == 0o600
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(file_ops.FixRefused) as err:
        restrict_mode(str(fifo), config)  # opened without blocking, then refused
    assert err.value.reason == "unsupported_file"
    other = tmp_path / "other"
    other.write_text("x")
    with (
        patch.object(permissions.os, "open", side_effect=OSError(errno.EIO, "EIO")),
        pytest.raises(file_ops.FixRefused) as err,
    ):
        restrict_mode(str(other), config)
    assert err.value.reason == "write_failed"


async def test_private_key_becomes_owner_only(
    hass: HomeAssistant,
    config_dir: Path,
    mock_config_entry: MockConfigEntry,
    hass_client: ClientSessionGenerator,
) -> None:
    key = rsa_key()
    pair = write_pair(config_dir / "ssl", make_cert(key=key), key, mode=0o640)
    (config_dir / "configuration.yaml").write_text(
        f"http:\n  ssl_certificate: {pair.cert}\n  ssl_key: {pair.key}\n"
    )
    await async_setup_http(hass)
    await async_setup_integration(hass, mock_config_entry)
    flows = FlowClient(await hass_client())
    finding, form = await open_restrict(hass, flows, "private_key_permissions")
    assert form["description_placeholders"]["file"] == "ssl/server.key"
    assert form["description_placeholders"]["mode"] == "0640"
    assert (await flows.step(form, {}))["type"] == "create_entry"
    assert mode(pair.key) == 0o600
    assert pair.key.read_bytes() == key_bytes(key)
    assert finding["id"] not in issues(hass)
    report = await async_scan(hass)
    assert findings_of(report, "private_key_permissions") == []
    body = key_bytes(key).decode().splitlines()[1]
    assert body not in str(flows.responses)
