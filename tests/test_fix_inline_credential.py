"""The `inline_credential` fix flow: move a written-out credential into secrets.yaml.

Driven through the HTTP API against real files in a real `hass`: the value ends in the right
secrets.yaml, the literal becomes `!secret <name>` at exactly its place with every other byte
unchanged, Home Assistant's loader resolves the configuration identically, a backup exists
and the repair is gone. Then every refusal, and a failure injected at every step.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
import errno
import json
import logging
from pathlib import Path
from typing import Any
from unittest.mock import patch

from homeassistant.config import load_yaml_config_file
from homeassistant.core import HomeAssistant
from homeassistant.util.yaml import Secrets
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.security_posture.fixes import (
    backup_folder,
    file_ops,
    safe_write,
    secrets_yaml,
)
from custom_components.security_posture.fixes.secrets_move import propose_name
from custom_components.security_posture.fixes.secrets_yaml import valid_name

from .fix_helpers import (
    FlowClient,
    async_finding,
    backup_files,
    backups,
    issues,
    snapshot,
)
from .helpers import async_scan, async_setup_integration, findings_of

PASSWORD = "s3cr3t-CANARY-value"
URL_PASSWORD = "pw-CANARY-url"

CONFIG = (
    "# My home\r\n"
    "homeassistant:\r\n"
    "  name: Home   # the name\r\n"
    "\r\n"
    "mqtt:\r\n"
    "  broker: 192.168.1.5\r\n"
    f"  password: '{PASSWORD}'   # keep me\r\n"
    "  username: !secret mqtt_user\r\n"
    "recorder:\r\n"
    f'  db_url: "mysql://ha:{URL_PASSWORD}@db.local/ha?charset=utf8mb4"\r\n'
    "  purge_keep_days: 10\r\n"
)
SECRETS = "# secrets\nmqtt_user: homeassistant\n"


@pytest.fixture
async def setup(
    hass: HomeAssistant,
    config_dir: Path,
    mock_config_entry: MockConfigEntry,
    hass_client: ClientSessionGenerator,
) -> FlowClient:
    (config_dir / "configuration.yaml").write_bytes(CONFIG.encode())
    (config_dir / "secrets.yaml").write_bytes(SECRETS.encode())
    (config_dir / "secrets.yaml").chmod(0o600)
    await async_setup_integration(hass, mock_config_entry)
    return FlowClient(await hass_client())


def resolved(config_dir: Path) -> Any:
    """configuration.yaml as Home Assistant loads it, secrets resolved."""
    return load_yaml_config_file(
        str(config_dir / "configuration.yaml"), Secrets(config_dir)
    )


async def open_move(
    hass: HomeAssistant, flows: FlowClient, key: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    finding = await async_finding(hass, "inline_credential", key=key)
    assert finding["id"] in issues(hass)
    menu = await flows.start(finding["id"])
    assert menu["type"] == "menu"
    assert menu["step_id"] == "init"
    assert menu["menu_options"] == ["move_to_secrets", "ignore"]
    form = await flows.choose(menu, "move_to_secrets")
    return finding, form


def no_value_in(flows: FlowClient, *values: str) -> None:
    blob = json.dumps(flows.responses)
    for value in values:
        assert value not in blob


async def test_move_password_to_secrets(
    hass: HomeAssistant,
    config_dir: Path,
    setup: FlowClient,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    before = resolved(config_dir)
    finding, form = await open_move(hass, setup, "mqtt.password")
    assert form["type"] == "form"
    assert form["step_id"] == "move_to_secrets"
    assert form["data_schema"][0]["name"] == "name"
    assert form["data_schema"][0]["default"] == "mqtt_password"

    done = await setup.step(form, {"name": "mqtt_password"})
    assert done["type"] == "create_entry"
    # The end says what moved where, and where the plain-text copy to delete is.
    assert done["description"] == "moved"
    placeholders = done["description_placeholders"]
    assert placeholders["secret"] == "mqtt_password"
    assert placeholders["secrets_file"] == "secrets.yaml"
    assert placeholders["kind"] == "password"

    config = (config_dir / "configuration.yaml").read_bytes()
    assert config == CONFIG.replace(f"'{PASSWORD}'", "!secret mqtt_password").encode()
    assert b"\r\n" in config
    assert config.count(b"\n") == config.count(b"\r\n")
    secrets = (config_dir / "secrets.yaml").read_bytes()
    assert secrets == f"{SECRETS}mqtt_password: '{PASSWORD}'\n".encode()
    assert (config_dir / "secrets.yaml").stat().st_mode & 0o777 == 0o600
    assert resolved(config_dir) == before

    [folder] = backups(config_dir)
    assert config_dir / placeholders["backup"] == folder
    assert backup_files(folder) == {
        "configuration.yaml": CONFIG.encode(),
        "secrets.yaml": SECRETS.encode(),
    }
    assert folder.stat().st_mode & 0o777 == 0o700
    assert all(
        p.stat().st_mode & 0o777 == 0o600 for p in folder.rglob("*") if p.is_file()
    )
    assert (config_dir / ".security_posture" / ".gitignore").read_text().endswith("*\n")
    # No temporary or kept file is left next to the edited files.
    assert sorted(p.name for p in config_dir.iterdir()) == [
        ".security_posture",
        "configuration.yaml",
        "secrets.yaml",
    ]

    await hass.async_block_till_done()
    assert finding["id"] not in issues(hass)
    report = await async_scan(hass)
    assert [f["key"] for f in findings_of(report, "inline_credential")] == [
        "recorder.db_url"
    ]
    assert finding["id"] not in issues(hass)
    no_value_in(setup, PASSWORD, URL_PASSWORD)
    assert PASSWORD not in caplog.text


async def test_url_with_password_moves_whole(
    hass: HomeAssistant, config_dir: Path, setup: FlowClient
) -> None:
    before = resolved(config_dir)
    _, form = await open_move(hass, setup, "recorder.db_url")
    assert form["data_schema"][0]["default"] == "recorder_db_url"
    done = await setup.step(form, {"name": "database_url"})
    assert done["type"] == "create_entry"
    url = f'"mysql://ha:{URL_PASSWORD}@db.local/ha?charset=utf8mb4"'
    assert (config_dir / "configuration.yaml").read_bytes() == CONFIG.replace(
        url, "!secret database_url"
    ).encode()
    assert (
        config_dir / "secrets.yaml"
    ).read_text() == f"{SECRETS}database_url: {url}\n"
    assert resolved(config_dir) == before
    no_value_in(setup, URL_PASSWORD)


async def test_new_secrets_file_next_to_config(
    hass: HomeAssistant,
    config_dir: Path,
    mock_config_entry: MockConfigEntry,
    hass_client: ClientSessionGenerator,
) -> None:
    """No secrets.yaml: one is created, mode 600; the nearest one wins for a package."""
    packages = config_dir / "packages"
    packages.mkdir()
    (config_dir / "configuration.yaml").write_text(
        "homeassistant:\n  packages: !include_dir_named packages\n"
        "notify:\n  - platform: smtp\n    password: hunter2-CANARY\n"
        "camera:\n  - {platform: generic, password: 12345678}\n"
    )
    (packages / "garage.yaml").write_text(
        "cover:\n  - platform: garage\n    api_key: abcdef0123456789\n"
    )
    (packages / "secrets.yaml").write_text("other: 1\n")
    await async_setup_integration(hass, mock_config_entry)
    flows = FlowClient(await hass_client())
    before = resolved(config_dir)

    _, form = await open_move(hass, flows, "notify[0].password")
    assert form["data_schema"][0]["default"] == "notify_0_password"
    assert (await flows.step(form, {"name": "smtp"}))["type"] == "create_entry"
    secrets = config_dir / "secrets.yaml"
    assert secrets.read_text() == "smtp: hunter2-CANARY\n"
    assert secrets.stat().st_mode & 0o777 == 0o600

    # A flow mapping keeps its braces and its other entries; the number stays a number.
    _, form = await open_move(hass, flows, "camera[0].password")
    assert (await flows.step(form, {"name": "camera_pin"}))["type"] == "create_entry"
    assert (
        "camera:\n  - {platform: generic, password: !secret camera_pin}\n"
        in (config_dir / "configuration.yaml").read_text()
    )
    assert secrets.read_text() == "smtp: hunter2-CANARY\ncamera_pin: 12345678\n"
    assert resolved(config_dir) == before
    assert resolved(config_dir)["camera"][0]["password"] == 12345678

    _, form = await open_move(hass, flows, "cover[0].api_key")
    assert form["data_schema"][0]["default"] == "garage_cover_0_api_key"
    assert (await flows.step(form, {"name": "garage_api_key"}))[
        "type"
    ] == "create_entry"
    assert (packages / "secrets.yaml").read_text() == (
        "other: 1\ngarage_api_key: abcdef0123456789\n"
    )
    assert secrets.read_text() == "smtp: hunter2-CANARY\ncamera_pin: 12345678\n"
    assert resolved(config_dir) == before
    assert len(backups(config_dir)) == 3
    # The first backup had no secrets.yaml to copy.
    assert set(backup_files(backups(config_dir)[0])) == {"configuration.yaml"}


async def test_name_must_be_valid_and_unused(
    hass: HomeAssistant, config_dir: Path, setup: FlowClient
) -> None:
    _, form = await open_move(hass, setup, "mqtt.password")
    for name, error in (
        ("mqtt user", "name_invalid"),
        ("yes", "name_invalid"),
        ("logger", "name_invalid"),
        ("9lives", "name_invalid"),
        ("mqtt_user", "name_taken"),
    ):
        form = await setup.step(form, {"name": name})
        assert form["type"] == "form"
        assert form["errors"] == {"name": error}
    assert (config_dir / "configuration.yaml").read_bytes() == CONFIG.encode()
    done = await setup.step(form, {"name": "  broker_password "})
    assert done["type"] == "create_entry"
    assert (
        "!secret broker_password   # keep me"
        in (config_dir / "configuration.yaml").read_text()
    )


async def test_ignore_accepts_the_risk(
    hass: HomeAssistant, config_dir: Path, setup: FlowClient
) -> None:
    finding = await async_finding(hass, "inline_credential", key="mqtt.password")
    menu = await setup.start(finding["id"])
    confirm = await setup.choose(menu, "ignore")
    assert confirm["step_id"] == "confirm"
    done = await setup.step(confirm, {"reason": "test bench"})
    assert (done["type"], done["reason"]) == ("abort", "risk_accepted")
    report = await async_scan(hass)
    [ignored] = [f for f in report["findings"] if f["id"] == finding["id"]]
    assert ignored["ignored"] is True
    assert (config_dir / "configuration.yaml").read_bytes() == CONFIG.encode()
    assert backups(config_dir) == []


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("|\n    line one\n    line two\n", "multiline"),
        (">-\n    folded\n", "multiline"),
        ('"two\n    lines"\n', "multiline"),
        ("!env_var MQTT_PASSWORD fallback-pass\n", "tagged"),
        ("&pw anchored-pass\nother:\n  password: *pw\n", "anchor"),
    ],
)
async def test_values_that_cannot_be_rewritten_exactly(
    hass: HomeAssistant,
    config_dir: Path,
    mock_config_entry: MockConfigEntry,
    hass_client: ClientSessionGenerator,
    value: str,
    reason: str,
) -> None:
    (config_dir / "configuration.yaml").write_text(f"mqtt:\n  password: {value}")
    await async_setup_integration(hass, mock_config_entry)
    flows = FlowClient(await hass_client())
    before = snapshot(config_dir)
    _, result = await open_move(hass, flows, "mqtt.password")
    assert result["type"] == "abort"
    assert result["reason"] == reason
    assert snapshot(config_dir) == before
    assert backups(config_dir) == []


async def test_file_changed_after_the_flow_opened(
    hass: HomeAssistant, config_dir: Path, setup: FlowClient
) -> None:
    _, form = await open_move(hass, setup, "mqtt.password")
    edited = CONFIG.replace("purge_keep_days: 10", "purge_keep_days: 11").encode()
    (config_dir / "configuration.yaml").write_bytes(edited)
    result = await setup.step(form, {"name": "mqtt_password"})
    assert result["type"] == "abort"
    assert result["reason"] == "file_changed"
    assert (config_dir / "configuration.yaml").read_bytes() == edited
    assert (config_dir / "secrets.yaml").read_bytes() == SECRETS.encode()
    assert backups(config_dir) == []


async def test_secrets_changed_after_the_flow_opened(
    hass: HomeAssistant, config_dir: Path, setup: FlowClient
) -> None:
    _, form = await open_move(hass, setup, "mqtt.password")
    (config_dir / "secrets.yaml").write_text(SECRETS + "mqtt_password: other\n")
    result = await setup.step(form, {"name": "mqtt_password"})
    assert result["reason"] == "file_changed"
    assert (config_dir / "configuration.yaml").read_bytes() == CONFIG.encode()


async def test_value_changed_since_the_scan(
    hass: HomeAssistant, config_dir: Path, setup: FlowClient
) -> None:
    finding = await async_finding(hass, "inline_credential", key="mqtt.password")
    # The credential moved one line down: the finding no longer matches the file.
    moved = CONFIG.replace("# My home\r\n", "# My home\r\n# more\r\n").encode()
    (config_dir / "configuration.yaml").write_bytes(moved)
    menu = await setup.start(finding["id"])
    result = await setup.choose(menu, "move_to_secrets")
    assert result["type"] == "abort"
    assert result["reason"] == "changed"
    assert result["description_placeholders"]["location"].startswith(
        "`configuration.yaml`"
    )
    assert (config_dir / "configuration.yaml").read_bytes() == moved


async def test_configuration_that_does_not_load_now(
    hass: HomeAssistant, config_dir: Path, setup: FlowClient
) -> None:
    """An undefined secret elsewhere: the result could not be compared, so no change."""
    _, form = await open_move(hass, setup, "mqtt.password")
    (config_dir / "secrets.yaml").write_text("# nothing\n")
    # The flow's digest of secrets.yaml no longer matches: reopen on the new content.
    finding = await async_finding(hass, "inline_credential", key="mqtt.password")
    menu = await setup.start(finding["id"])
    form = await setup.choose(menu, "move_to_secrets")
    result = await setup.step(form, {"name": "mqtt_password"})
    assert result["reason"] == "config_invalid"
    assert (config_dir / "configuration.yaml").read_bytes() == CONFIG.encode()
    assert (config_dir / "secrets.yaml").read_text() == "# nothing\n"


# --- failures at every step -------------------------------------------------------------


def fail_at(point: str, exc: BaseException | None = None) -> Any:
    """Make `checkpoint(point)` raise (in `safe_write` and `backup_folder`)."""

    def checkpoint(name: str) -> None:
        if name == point:
            raise exc or RuntimeError(f"injected at {name}")

    return checkpoints(checkpoint)


@contextmanager
def checkpoints(checkpoint: Callable[[str], None]) -> Iterator[None]:
    """Replace `checkpoint` wherever a transaction calls it."""
    with (
        patch.object(safe_write, "checkpoint", checkpoint),
        patch.object(backup_folder, "checkpoint", checkpoint),
    ):
        yield


async def run_failing(
    hass: HomeAssistant, config_dir: Path, flows: FlowClient, failure: Any
) -> dict[str, Any]:
    _, form = await open_move(hass, flows, "mqtt.password")
    with failure:
        return await flows.step(form, {"name": "mqtt_password"})


def assert_untouched(config_dir: Path) -> None:
    assert (config_dir / "configuration.yaml").read_bytes() == CONFIG.encode()
    assert (config_dir / "secrets.yaml").read_bytes() == SECRETS.encode()
    assert (config_dir / "secrets.yaml").stat().st_mode & 0o777 == 0o600
    leftovers = [
        p.name for p in config_dir.iterdir() if p.name.endswith((".tmp", ".keep"))
    ]
    assert leftovers == []


@pytest.mark.parametrize(
    ("point", "reason"),
    [
        ("backup", "backup_failed"),
        ("backup:secrets.yaml", "backup_failed"),
        ("backup:configuration.yaml", "backup_failed"),
        ("write:secrets.yaml", "write_failed"),
        ("replace:secrets.yaml", "write_failed"),
        ("write:configuration.yaml", "write_failed"),
        ("replace:configuration.yaml", "write_failed"),
        ("verify", "verify_failed"),
    ],
)
async def test_failure_at_each_step_loses_nothing(
    hass: HomeAssistant,
    config_dir: Path,
    setup: FlowClient,
    point: str,
    reason: str,
) -> None:
    finding = await async_finding(hass, "inline_credential", key="mqtt.password")
    result = await run_failing(hass, config_dir, setup, fail_at(point))
    assert result["type"] == "abort"
    assert result["reason"] == reason
    assert_untouched(config_dir)
    assert finding["id"] in issues(hass)
    for folder in backups(config_dir):  # a backup, when made, is the originals
        assert set(backup_files(folder).items()) <= {
            ("configuration.yaml", CONFIG.encode()),
            ("secrets.yaml", SECRETS.encode()),
        }
    # And the fix still works afterwards.
    _, form = await open_move(hass, setup, "mqtt.password")
    assert (await setup.step(form, {"name": "mqtt_password"}))["type"] == (
        "create_entry"
    )


@pytest.mark.parametrize("first_failing_write", [1, 2, 3, 4, 5])
async def test_full_disk_loses_nothing(
    hass: HomeAssistant,
    config_dir: Path,
    setup: FlowClient,
    first_failing_write: int,
) -> None:
    """From the n-th write on, every write fails with ENOSPC (backups count)."""
    calls = 0
    real_write_all = file_ops._write_all

    def write_all(fd: int, data: bytes) -> None:
        nonlocal calls
        calls += 1
        if calls >= first_failing_write:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_write_all(fd, data)

    result = await run_failing(
        hass, config_dir, setup, patch.object(file_ops, "_write_all", write_all)
    )
    assert result["type"] == "abort"
    # The marker, two backup copies, then secrets.yaml and configuration.yaml.
    assert result["reason"] == (
        "backup_failed" if first_failing_write <= 3 else "disk_full"
    )
    assert calls >= first_failing_write
    assert_untouched(config_dir)


async def test_read_only_file(
    hass: HomeAssistant, config_dir: Path, setup: FlowClient
) -> None:
    _, form = await open_move(hass, setup, "mqtt.password")
    (config_dir / "configuration.yaml").chmod(0o444)
    result = await setup.step(form, {"name": "mqtt_password"})
    assert result["reason"] == "read_only"
    (config_dir / "configuration.yaml").chmod(0o644)
    assert_untouched(config_dir)
    assert backups(config_dir) == []


async def test_read_only_file_system(
    hass: HomeAssistant, config_dir: Path, setup: FlowClient
) -> None:
    """The folder refuses new files (EROFS): the backup or the write fails, no change."""
    real_create = file_ops.create

    def create(
        path: str,
        data: bytes,
        mode: int,
        owner: tuple[int, int] | None = None,
        *,
        dir_fd: int | None = None,
    ) -> None:
        if dir_fd is None:  # not a backup copy (those are made inside their folder)
            raise OSError(errno.EROFS, "Read-only file system")
        real_create(path, data, mode, owner, dir_fd=dir_fd)

    result = await run_failing(
        hass, config_dir, setup, patch.object(safe_write, "create", create)
    )
    assert result["reason"] == "read_only"
    assert_untouched(config_dir)


async def test_verification_mismatch_rolls_back(
    hass: HomeAssistant, config_dir: Path, setup: FlowClient
) -> None:
    """Home Assistant's loader reads something else after the write: both files go back."""
    real_load = secrets_yaml.load_resolved

    def load_resolved(path: str, config_dir: str) -> Any:
        loaded = real_load(path, config_dir)
        if "!secret mqtt_password" in Path(path).read_text():  # after the write
            loaded["recorder"]["purge_keep_days"] = 11
        return loaded

    result = await run_failing(
        hass,
        config_dir,
        setup,
        patch.object(secrets_yaml, "load_resolved", load_resolved),
    )
    assert result["reason"] == "verify_failed"
    assert_untouched(config_dir)
    [folder] = backups(config_dir)
    assert backup_files(folder) == {
        "configuration.yaml": CONFIG.encode(),
        "secrets.yaml": SECRETS.encode(),
    }


async def test_rollback_by_rename_keeps_the_very_same_files(
    hass: HomeAssistant, config_dir: Path, setup: FlowClient
) -> None:
    config_stat = (config_dir / "configuration.yaml").stat()
    secrets_stat = (config_dir / "secrets.yaml").stat()
    result = await run_failing(hass, config_dir, setup, fail_at("verify"))
    assert result["reason"] == "verify_failed"
    for name, before in (
        ("configuration.yaml", config_stat),
        ("secrets.yaml", secrets_stat),
    ):
        after = (config_dir / name).stat()
        assert (after.st_ino, after.st_mtime_ns, after.st_mode) == (
            before.st_ino,
            before.st_mtime_ns,
            before.st_mode,
        )


async def test_rollback_without_hard_links(
    hass: HomeAssistant, config_dir: Path, setup: FlowClient
) -> None:
    """No hard links on this file system: the originals are written back."""

    def link(source: str, target: str) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    with patch.object(safe_write, "_link", link):
        result = await run_failing(hass, config_dir, setup, fail_at("verify"))
    assert result["reason"] == "verify_failed"
    assert_untouched(config_dir)


@pytest.mark.parametrize("failing", ["configuration.yaml", "secrets.yaml"])
async def test_rollback_failure_keeps_the_backup(
    hass: HomeAssistant, config_dir: Path, setup: FlowClient, failing: str
) -> None:
    """Verification fails and a file cannot be put back: the backup has the originals."""

    def checkpoint(name: str) -> None:
        if name in ("verify", f"rollback:{failing}"):
            raise RuntimeError(name)

    result = await run_failing(
        hass, config_dir, setup, patch.object(safe_write, "checkpoint", checkpoint)
    )
    assert result["reason"] == "rollback_failed"
    [folder] = backups(config_dir)
    assert backup_files(folder) == {
        "configuration.yaml": CONFIG.encode(),
        "secrets.yaml": SECRETS.encode(),
    }
    # The other file was put back; the failing one holds the complete new content.
    other = "secrets.yaml" if failing == "configuration.yaml" else "configuration.yaml"
    assert (config_dir / other).read_bytes() == backup_files(folder)[other]
    assert (config_dir / failing).read_bytes() != backup_files(folder)[failing]


async def test_disk_full_without_hard_links_reports_rollback_failure(
    hass: HomeAssistant, config_dir: Path, setup: FlowClient
) -> None:
    """The worst case: no hard links and a full disk when writing the second file.

    secrets.yaml cannot be written back; it keeps its entries plus the new one, and the
    backup holds both originals.
    """
    calls = 0
    real_write_all = file_ops._write_all

    def write_all(fd: int, data: bytes) -> None:
        nonlocal calls
        calls += 1
        if calls >= 5:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_write_all(fd, data)

    def link(source: str, target: str) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    with patch.object(safe_write, "_link", link):
        result = await run_failing(
            hass, config_dir, setup, patch.object(file_ops, "_write_all", write_all)
        )
    assert result["reason"] == "rollback_failed"
    assert (config_dir / "configuration.yaml").read_bytes() == CONFIG.encode()
    assert (config_dir / "secrets.yaml").read_text().startswith(SECRETS)
    [folder] = backups(config_dir)
    assert backup_files(folder)["secrets.yaml"] == SECRETS.encode()


# --- names --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("file", "parts", "taken", "expected"),
    [
        ("configuration.yaml", ("mqtt", "password"), set(), "mqtt_password"),
        (
            "configuration.yaml",
            ("mqtt", "password"),
            {"mqtt_password"},
            "mqtt_password_2",
        ),
        (
            "configuration.yaml",
            ("mqtt", "password"),
            {"mqtt_password", "mqtt_password_2"},
            "mqtt_password_3",
        ),
        (
            "packages/garage.yaml",
            ("cover", 0, "api_key"),
            set(),
            "garage_cover_0_api_key",
        ),
        ("configuration.yaml", (0, "token"), set(), "secret_0_token"),
        ("configuration.yaml", ("Ünïcode-Key!",), set(), "n_code_key"),
        ("configuration.yaml", ("x" * 100,), set(), "x" * 60),
        ("configuration.yaml", ("...",), set(), "secret"),
    ],
)
def test_proposed_names(
    file: str, parts: tuple[Any, ...], taken: set[str], expected: str
) -> None:
    name = propose_name(file, parts, frozenset(taken))
    assert name == expected
    assert valid_name(name)


async def test_name_taken_while_submitting(
    hass: HomeAssistant, config_dir: Path, setup: FlowClient
) -> None:
    """Another secret got the name between the check and the write: ask again."""
    _, form = await open_move(hass, setup, "mqtt.password")
    with patch(
        "custom_components.security_posture.fixes.inline_credential.apply_move",
        side_effect=file_ops.FixRefused("name_taken"),
    ):
        form = await setup.step(form, {"name": "mqtt_password"})
    assert form["type"] == "form"
    assert form["errors"] == {"name": "name_taken"}
    assert_untouched(config_dir)
