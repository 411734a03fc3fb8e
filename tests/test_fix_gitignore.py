"""The `secrets_not_ignored` fix flow: add the exposed path to `.gitignore`."""

from __future__ import annotations

from pathlib import Path
import subprocess
from typing import Any
from unittest.mock import patch

from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.security_posture.fixes import safe_write
from custom_components.security_posture.fixes.gitignore import ignore_line
from custom_components.security_posture.inspect.git_state import GitState

from .fix_helpers import FlowClient, async_finding, backup_files, backups, issues
from .helpers import async_scan, async_setup_integration, findings_of

NO_GIT = "custom_components.security_posture.inspect.git_state.shutil.which"


def git(config_dir: Path, *args: str) -> str:
    """Run git in the configuration folder; return its output."""
    return subprocess.run(  # noqa: S603
        ["git", "-C", str(config_dir), *args],  # noqa: S607
        check=True,
        capture_output=True,
        text=True,
    ).stdout


@pytest.fixture
async def flows(
    hass: HomeAssistant,
    config_dir: Path,
    mock_config_entry: MockConfigEntry,
    hass_client: ClientSessionGenerator,
) -> FlowClient:
    (config_dir / "configuration.yaml").write_text("api: !secret api_password\n")
    (config_dir / "secrets.yaml").write_text("api_password: CANARY-git\n")
    (config_dir / "secrets.yaml").chmod(0o600)
    git(config_dir, "init", "-q")
    await async_setup_integration(hass, mock_config_entry)
    return FlowClient(await hass_client())


async def open_add(
    hass: HomeAssistant, flows: FlowClient, path: str = "secrets.yaml"
) -> tuple[dict[str, Any], dict[str, Any]]:
    finding = await async_finding(hass, "secrets_not_ignored", subject=path)
    menu = await flows.start(finding["id"])
    assert menu["menu_options"] == ["add_to_gitignore", "ignore"]
    form = await flows.choose(menu, "add_to_gitignore")
    assert form["step_id"] == "add_to_gitignore"
    return finding, form


async def test_gitignore_is_created(
    hass: HomeAssistant, config_dir: Path, flows: FlowClient
) -> None:
    finding, form = await open_add(hass, flows)
    done = await flows.step(form, {})
    assert (done["type"], done["description"]) == ("create_entry", "added")
    [folder] = backups(config_dir)
    assert config_dir / done["description_placeholders"]["backup"] == folder
    gitignore = config_dir / ".gitignore"
    assert gitignore.read_text() == "/secrets.yaml\n"
    assert gitignore.stat().st_mode & 0o777 == 0o644
    assert finding["id"] not in issues(hass)
    assert findings_of(await async_scan(hass), "secrets_not_ignored") == []
    # The backup folder ignores itself.
    status = git(config_dir, "status", "--porcelain", "--ignored")
    assert "?? .security_posture" not in status


async def test_existing_gitignore_keeps_every_byte(
    hass: HomeAssistant, config_dir: Path, flows: FlowClient
) -> None:
    original = b"# mine\r\n*.log\r\n.storage/"  # CRLF, no final line break
    (config_dir / ".gitignore").write_bytes(original)
    _, form = await open_add(hass, flows)
    assert (await flows.step(form, {}))["type"] == "create_entry"
    assert (
        config_dir / ".gitignore"
    ).read_bytes() == original + b"\r\n/secrets.yaml\r\n"
    [folder] = backups(config_dir)
    assert backup_files(folder) == {".gitignore": original}


async def test_tracked_file_is_refused(
    hass: HomeAssistant, config_dir: Path, flows: FlowClient
) -> None:
    git(config_dir, "add", "secrets.yaml")
    _, form = await open_add(hass, flows)
    result = await flows.step(form, {})
    assert result["type"] == "abort"
    assert result["reason"] == "tracked"
    assert not (config_dir / ".gitignore").exists()


async def test_already_ignored_meanwhile(
    hass: HomeAssistant, config_dir: Path, flows: FlowClient
) -> None:
    finding, form = await open_add(hass, flows)
    (config_dir / ".gitignore").write_text("secrets.yaml\n")
    done = await flows.step(form, {})
    assert (done["type"], done["description"]) == ("create_entry", "already_ignored")
    assert (config_dir / ".gitignore").read_text() == "secrets.yaml\n"
    assert backups(config_dir) == []
    assert finding["id"] not in issues(hass)


async def test_without_git_the_ignore_rules_decide(
    hass: HomeAssistant, config_dir: Path, flows: FlowClient
) -> None:
    (config_dir / ".storage").mkdir(exist_ok=True)
    (config_dir / ".storage" / "core.config").write_text("{}")
    with patch(NO_GIT, return_value=None):
        _, form = await open_add(hass, flows, ".storage")
        assert (await flows.step(form, {}))["type"] == "create_entry"
        assert (config_dir / ".gitignore").read_text() == "/.storage/\n"
        report = await async_scan(hass)
    assert [f["subject"] for f in findings_of(report, "secrets_not_ignored")] == [
        "secrets.yaml"
    ]


@pytest.mark.parametrize(
    ("point", "reason"),
    [
        ("backup", "backup_failed"),
        ("write:.gitignore", "write_failed"),
        ("verify", "verify_failed"),
    ],
)
async def test_failures_leave_no_gitignore(
    hass: HomeAssistant, config_dir: Path, flows: FlowClient, point: str, reason: str
) -> None:
    finding, form = await open_add(hass, flows)

    def checkpoint(name: str) -> None:
        if name == point:
            raise RuntimeError(name)

    with patch.object(safe_write, "checkpoint", checkpoint):
        result = await flows.step(form, {})
    assert result["reason"] == reason
    assert not (config_dir / ".gitignore").exists()
    assert finding["id"] in issues(hass)


async def test_git_that_cannot_answer(
    hass: HomeAssistant, config_dir: Path, flows: FlowClient
) -> None:
    _, form = await open_add(hass, flows)
    with patch(
        "custom_components.security_posture.fixes.gitignore.read_git_state",
        return_value=GitState(work_tree=config_dir, error="git failed"),
    ):
        result = await flows.step(form, {})
    assert result["reason"] == "git_unreadable"
    assert not (config_dir / ".gitignore").exists()


@pytest.mark.parametrize(
    ("path", "line"),
    [
        ("secrets.yaml", "/secrets.yaml"),
        ("sub/secrets.yaml", "/sub/secrets.yaml"),
        (".storage", "/.storage/"),
        ("we!rd [1]/#secrets.yaml ", "/we\\!rd \\[1\\]/\\#secrets.yaml\\ "),
    ],
)
def test_ignore_lines(path: str, line: str) -> None:
    assert ignore_line(path) == line
