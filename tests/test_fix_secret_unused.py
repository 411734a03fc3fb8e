"""The `secret_unused` fix flow: remove the unused entry's lines from its secrets file.

The check's severity is info, which raises no repair issue by itself; the tests create the
issue the way `repairs.async_sync_issues` would for a higher severity, then drive the flow.
"""

from __future__ import annotations

import errno
from pathlib import Path
from typing import Any
from unittest.mock import patch

from homeassistant.config import load_yaml_config_file
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
from homeassistant.util.yaml import Secrets
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.security_posture.const import DOMAIN
from custom_components.security_posture.fixes import (
    backup_folder,
    file_ops,
    safe_write,
)
from custom_components.security_posture.issue_text import placeholders_of

from .fix_helpers import FlowClient, async_finding, backup_files, backups, issues
from .helpers import async_scan, async_setup_integration, findings_of

CONFIG = "mqtt:\n  password: !secret mqtt_password\n  username: !secret mqtt_user\n"
SECRETS = (
    "# Secrets\r\n"
    "mqtt_password: CANARY-used   # used\r\n"
    "old_api_key: 'CANARY-unused'   # from the old alarm\r\n"
    "# below: the user\r\n"
    "mqtt_user: homeassistant\r\n"
    "old_cert: |\r\n"
    "  line one\r\n"
    "  line two\r\n"
    "empty:\r\n"
    "last: 1"
)


@pytest.fixture
async def flows(
    hass: HomeAssistant,
    config_dir: Path,
    mock_config_entry: MockConfigEntry,
    hass_client: ClientSessionGenerator,
) -> FlowClient:
    (config_dir / "configuration.yaml").write_text(CONFIG)
    (config_dir / "secrets.yaml").write_bytes(SECRETS.encode())
    (config_dir / "secrets.yaml").chmod(0o600)
    await async_setup_integration(hass, mock_config_entry)
    return FlowClient(await hass_client())


def resolved(config_dir: Path) -> Any:
    return load_yaml_config_file(
        str(config_dir / "configuration.yaml"), Secrets(config_dir)
    )


async def open_remove(
    hass: HomeAssistant, flows: FlowClient, name: str, file: str = "secrets.yaml"
) -> tuple[dict[str, Any], dict[str, Any]]:
    found = await async_finding(hass, "secret_unused", key=name, file=file)
    finding = hass.config_entries.async_loaded_entries(DOMAIN)[0].runtime_data.finding(
        found["id"]
    )
    assert finding is not None
    ir.async_create_issue(
        hass,
        DOMAIN,
        finding.id,
        is_fixable=True,
        severity=ir.IssueSeverity.WARNING,
        translation_key=finding.check,
        translation_placeholders=placeholders_of(finding),
    )
    menu = await flows.start(finding.id)
    assert menu["menu_options"] == ["remove_secret", "ignore"]
    form = await flows.choose(menu, "remove_secret")
    return found, form


@pytest.mark.parametrize(
    ("name", "removed"),
    [
        ("old_api_key", "old_api_key: 'CANARY-unused'   # from the old alarm\r\n"),
        ("old_cert", "old_cert: |\r\n  line one\r\n  line two\r\n"),
        ("empty", "empty:\r\n"),
        ("last", "last: 1"),
    ],
)
async def test_remove_unused_secret(
    hass: HomeAssistant,
    config_dir: Path,
    flows: FlowClient,
    name: str,
    removed: str,
) -> None:
    before = resolved(config_dir)
    finding, form = await open_remove(hass, flows, name)
    assert form["step_id"] == "remove_secret"
    assert form["description_placeholders"]["secret"] == name
    done = await flows.step(form, {})
    assert (done["type"], done["description"]) == ("create_entry", "removed")
    [folder] = backups(config_dir)
    assert config_dir / done["description_placeholders"]["backup"] == folder
    assert (config_dir / "secrets.yaml").read_bytes() == SECRETS.replace(
        removed, ""
    ).encode()
    assert (config_dir / "secrets.yaml").stat().st_mode & 0o777 == 0o600
    assert resolved(config_dir) == before
    [folder] = backups(config_dir)
    assert backup_files(folder) == {"secrets.yaml": SECRETS.encode()}
    assert finding["id"] not in issues(hass)
    report = await async_scan(hass)
    assert name not in {f["key"] for f in findings_of(report, "secret_unused")}
    assert "CANARY" not in str(flows.responses)


async def test_used_since_the_scan(
    hass: HomeAssistant, config_dir: Path, flows: FlowClient
) -> None:
    _, form = await open_remove(hass, flows, "old_api_key")
    (config_dir / "configuration.yaml").write_text(
        CONFIG + "alarm: !secret old_api_key\n"
    )
    result = await flows.step(form, {})
    assert result["reason"] == "changed"
    assert (config_dir / "secrets.yaml").read_bytes() == SECRETS.encode()


async def test_secrets_file_changed_meanwhile(
    hass: HomeAssistant, config_dir: Path, flows: FlowClient
) -> None:
    _, form = await open_remove(hass, flows, "old_api_key")
    (config_dir / "secrets.yaml").write_bytes(SECRETS.encode() + b"\r\nnew: 2\r\n")
    assert (await flows.step(form, {}))["reason"] == "file_changed"


async def test_unreadable_configuration_part(
    hass: HomeAssistant, config_dir: Path, flows: FlowClient
) -> None:
    """A file that cannot be read may use the secret: nothing is removed."""
    found = await async_finding(hass, "secret_unused", key="old_api_key")
    (config_dir / "configuration.yaml").write_text(
        CONFIG + "script: !include scripts.yaml\n"
    )
    (config_dir / "scripts.yaml").write_text("broken: [\n")
    finding = hass.config_entries.async_loaded_entries(DOMAIN)[0].runtime_data.finding(
        found["id"]
    )
    assert finding is not None
    ir.async_create_issue(
        hass,
        DOMAIN,
        finding.id,
        is_fixable=True,
        severity=ir.IssueSeverity.WARNING,
        translation_key=finding.check,
        translation_placeholders=placeholders_of(finding),
    )
    menu = await flows.start(finding.id)
    result = await flows.choose(menu, "remove_secret")
    assert result["reason"] == "incomplete"


async def test_anchored_value_is_refused(
    hass: HomeAssistant,
    config_dir: Path,
    mock_config_entry: MockConfigEntry,
    hass_client: ClientSessionGenerator,
) -> None:
    (config_dir / "configuration.yaml").write_text("api: !secret copy\n")
    (config_dir / "secrets.yaml").write_text("original: &pw CANARY\ncopy: *pw\n")
    await async_setup_integration(hass, mock_config_entry)
    flows = FlowClient(await hass_client())
    _, result = await open_remove(hass, flows, "original")
    assert result["reason"] == "anchor"


async def test_last_entry_of_a_folder_secrets_file(
    hass: HomeAssistant,
    config_dir: Path,
    mock_config_entry: MockConfigEntry,
    hass_client: ClientSessionGenerator,
) -> None:
    """Emptying packages/secrets.yaml would break every lookup through it."""
    (config_dir / "packages").mkdir()
    (config_dir / "configuration.yaml").write_text(
        "homeassistant:\n  packages: !include_dir_named packages\n"
    )
    (config_dir / "packages" / "x.yaml").write_text("api: !secret top\n")
    (config_dir / "packages" / "secrets.yaml").write_text("only: 1\n")
    (config_dir / "secrets.yaml").write_text("top: 2\n")
    await async_setup_integration(hass, mock_config_entry)
    flows = FlowClient(await hass_client())
    _, result = await open_remove(hass, flows, "only", "packages/secrets.yaml")
    assert result["reason"] == "last_secret"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("{old_api_key: 1, mqtt_password: x, mqtt_user: y}\n", "secrets_unsupported"),
        (
            "mqtt_password: x\nmqtt_user: y\nold_api_key:\n  nested: 1\n",
            "cannot_rewrite",
        ),
    ],
)
async def test_layouts_that_cannot_be_cut_exactly(
    hass: HomeAssistant,
    config_dir: Path,
    mock_config_entry: MockConfigEntry,
    hass_client: ClientSessionGenerator,
    content: str,
    reason: str,
) -> None:
    (config_dir / "configuration.yaml").write_text(CONFIG)
    (config_dir / "secrets.yaml").write_text(content)
    await async_setup_integration(hass, mock_config_entry)
    flows = FlowClient(await hass_client())
    _, result = await open_remove(hass, flows, "old_api_key")
    assert result["reason"] == reason
    assert (config_dir / "secrets.yaml").read_text() == content


@pytest.mark.parametrize(
    ("point", "reason"),
    [
        ("backup:secrets.yaml", "backup_failed"),
        ("write:secrets.yaml", "write_failed"),
        ("replace:secrets.yaml", "write_failed"),
        ("verify", "verify_failed"),
        ("enospc", "disk_full"),
    ],
)
async def test_failures_lose_nothing(
    hass: HomeAssistant, config_dir: Path, flows: FlowClient, point: str, reason: str
) -> None:
    _, form = await open_remove(hass, flows, "old_api_key")
    writes = 0
    real_write_all = file_ops._write_all

    def write_all(fd: int, data: bytes) -> None:
        nonlocal writes
        writes += 1
        if point == "enospc" and writes == 3:  # marker, backup, then secrets.yaml
            raise OSError(errno.ENOSPC, "No space left on device")
        real_write_all(fd, data)

    def checkpoint(name: str) -> None:
        if name == point:
            raise RuntimeError(name)

    with (
        patch.object(safe_write, "checkpoint", checkpoint),
        patch.object(backup_folder, "checkpoint", checkpoint),
        patch.object(file_ops, "_write_all", write_all),
    ):
        result = await flows.step(form, {})
    assert result["reason"] == reason
    assert (config_dir / "secrets.yaml").read_bytes() == SECRETS.encode()
    assert sorted(p.name for p in config_dir.iterdir()) == [
        ".security_posture",
        "configuration.yaml",
        "secrets.yaml",
    ]
