"""The secrets hygiene checks: permissions, git, www/, backups; on facts, on files, end to end."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
import json
import os
from pathlib import Path
import shutil
from types import ModuleType
from typing import Any
from unittest.mock import patch

from homeassistant.components.backup.config import ScheduleRecurrence
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.security_posture.checks.registry import BY_ID
from custom_components.security_posture.const import DOMAIN
from custom_components.security_posture.engine import (
    Fact,
    Facts,
    ScanContext,
    ScanOptions,
    ScanOutcome,
    async_scan,
    run_check,
)
from custom_components.security_posture.inspect import (
    backups as backups_module,
    git_state,
    secret_files,
    www_files,
)
from custom_components.security_posture.inspect.backups import (
    BACKUPS,
    BackupEntry,
    BackupState,
)
from custom_components.security_posture.inspect.git_state import (
    GIT_STATE,
    CarriedPath,
    GitState,
)
from custom_components.security_posture.inspect.secret_files import (
    NESTED_SECRETS_FILES,
    SECRETS_FILE_STATE,
    SecretsFileState,
)
from custom_components.security_posture.inspect.www_files import (
    WWW_LISTING,
    ServedFile,
    ServedKind,
    WwwState,
)
from custom_components.security_posture.model import Family, Finding, Severity, Status

from .conftest import copy_fixture
from .helpers import (
    COMMON_PLACEHOLDERS,
    async_scan as async_scan_service,
    async_setup_integration,
    findings_of,
    issue_placeholders_used,
)
from .hygiene_helpers import GIT, async_setup_backup, async_teardown_backup, git

NOW = datetime(2025, 6, 15, 12, 0, tzinfo=UTC)
STRINGS = json.loads(
    (
        Path(__file__).parents[1]
        / "custom_components"
        / "security_posture"
        / "strings.json"
    ).read_text()
)
HYGIENE_CHECKS = tuple(
    BY_ID[check_id]
    for check_id in (
        "secrets_file_permissions",
        "secrets_not_ignored",
        "secrets_served",
        "backup_missing",
        "backup_stale",
        "backup_unencrypted",
    )
)
CHECKS = {c.id: c for c in HYGIENE_CHECKS}

type HygieneFacts = dict[Fact[object], object]


def facts(
    *,
    secrets_file: SecretsFileState | None = None,
    nested: tuple[SecretsFileState, ...] = (),
    git: GitState | None = None,
    www: WwwState | None = None,
    backups: BackupState | None = None,
) -> HygieneFacts:
    return {
        SECRETS_FILE_STATE: secrets_file
        or SecretsFileState(exists=True, mode=0o600, modified=NOW - timedelta(days=30)),
        NESTED_SECRETS_FILES: nested,
        GIT_STATE: git or GitState(work_tree=None),
        WWW_LISTING: www or WwwState(exists=False),
        BACKUPS: backups or BackupState(),
    }


def run(
    check_id: str, the_facts: HygieneFacts, now: datetime = NOW
) -> tuple[Status, str | None, list[Finding]]:
    """Run one check on the facts it declares (and only those)."""
    check = CHECKS[check_id]
    declared = Facts({key: the_facts[key] for key in check.needs}, now=now)
    findings: list[Finding] = []
    result = run_check(check, declared, findings)
    return result.status, result.reason, findings


def ctx_at(
    hass: HomeAssistant, now: datetime = NOW, disabled: frozenset[str] = frozenset()
) -> ScanContext:
    return ScanContext(
        hass=hass,
        config_dir=Path(hass.config.config_dir),
        now=now,
        options=ScanOptions(disabled_checks=disabled),
    )


def assert_placeholders(check_id: str, findings: list[Finding]) -> None:
    """The repair texts of the check use only placeholders the findings give."""
    used = issue_placeholders_used(check_id)
    for finding in findings:
        assert used <= {*COMMON_PLACEHOLDERS, *finding.placeholders}, used


def backup(
    made: datetime | None,
    *,
    homeassistant: bool = True,
    automatic: bool = False,
    backup_id: str = "b1",
) -> BackupEntry:
    return BackupEntry(
        backup_id=backup_id,
        date=made,
        agent_ids=("backup.local",),
        homeassistant=homeassistant,
        automatic=automatic,
        protected=False,
    )


def test_every_check_is_registered_with_text_and_link() -> None:
    assert {c.family for c in HYGIENE_CHECKS} == {Family.SECRETS}
    assert set(CHECKS) == {
        "secrets_file_permissions",
        "secrets_not_ignored",
        "secrets_served",
        "backup_missing",
        "backup_stale",
        "backup_unencrypted",
    }
    severities = {c.id: c.severity for c in HYGIENE_CHECKS}
    assert severities["secrets_served"] is Severity.CRITICAL
    assert severities["backup_missing"] is Severity.HIGH
    for check in HYGIENE_CHECKS:
        assert check.learn_more_url.startswith("https://www.home-assistant.io/")
        assert STRINGS["issues"][check.id]["title"]


# --- secrets_file_permissions ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "who"),
    [
        (0o600, None),
        (0o400, None),
        (0o620, None),  # writable by the group, but not readable: not this check
        (0o640, "its group"),
        (0o604, "every user"),
        (0o644, "its group and every user"),
        (0o4644, "its group and every user"),
    ],
)
async def test_permissions(hass: HomeAssistant, mode: int, who: str | None) -> None:
    state = SecretsFileState(exists=True, mode=mode, modified=NOW)
    status, reason, findings = run(
        "secrets_file_permissions", facts(secrets_file=state)
    )
    if who is None:
        assert (status, reason, findings) == (Status.PASS, None, [])
        return
    assert status is Status.FAIL
    [finding] = findings
    assert finding.subject == finding.file == "secrets.yaml"
    assert finding.severity is Severity.MEDIUM
    assert finding.placeholders == {"file": "secrets.yaml", "mode": f"{mode:03o}"}
    assert finding.title == f"secrets.yaml can be read by {who} (mode {mode:03o})"
    assert_placeholders("secrets_file_permissions", findings)


async def test_permissions_without_or_unreadable_file(hass: HomeAssistant) -> None:
    status, reason, _ = run(
        "secrets_file_permissions", facts(secrets_file=SecretsFileState(exists=False))
    )
    assert (status, reason) == (Status.PASS, "there is no secrets.yaml")
    status, reason, _ = run(
        "secrets_file_permissions",
        facts(
            secrets_file=SecretsFileState(
                exists=True, error="cannot read secrets.yaml: x"
            )
        ),
    )
    assert (status, reason) == (Status.UNKNOWN, "cannot read secrets.yaml: x")


def test_permissions_of_nested_secrets_files() -> None:
    """A `secrets.yaml` on a lookup path is checked like the main one."""
    nested = (
        SecretsFileState(exists=True, path="packages/secrets.yaml", mode=0o604),
        SecretsFileState(exists=True, path="lights/secrets.yaml", mode=0o600),
    )
    status, _, [finding] = run("secrets_file_permissions", facts(nested=nested))
    assert status is Status.FAIL
    assert finding.subject == finding.file == "packages/secrets.yaml"
    assert finding.title == "packages/secrets.yaml can be read by every user (mode 604)"
    # The main file missing does not hide a nested one.
    status, _, [finding] = run(
        "secrets_file_permissions",
        facts(secrets_file=SecretsFileState(exists=False), nested=nested),
    )
    assert finding.subject == "packages/secrets.yaml"


async def test_nested_secrets_files_read_through_the_graph(
    hass: HomeAssistant, config_dir: Path
) -> None:
    (config_dir / "configuration.yaml").write_text(
        "homeassistant:\n  packages: !include_dir_named packages\n"
    )
    (config_dir / "packages").mkdir()
    (config_dir / "packages" / "mqtt.yaml").write_text(
        "mqtt:\n  password: !secret mqtt_password\n"
    )
    (config_dir / "packages" / "secrets.yaml").write_text("mqtt_password: x\n")
    (config_dir / "packages" / "secrets.yaml").chmod(0o640)
    (config_dir / "secrets.yaml").write_text("a: b\n")
    (config_dir / "secrets.yaml").chmod(0o600)
    result = by_check(await scan(hass))
    assert result["secrets_file_permissions"] == (
        "fail",
        None,
        ["packages/secrets.yaml"],
    )
    # When the nested files cannot be found, the main one is still checked.
    with patch.object(
        secret_files,
        "read_lookup_secrets_files",
        side_effect=RuntimeError("boom"),
    ):
        result = by_check(await scan(hass))
    assert result["secrets_file_permissions"] == ("pass", None, [])


# --- secrets_not_ignored -------------------------------------------------------------------


async def test_not_ignored_outside_git(hass: HomeAssistant) -> None:
    status, reason, _ = run("secrets_not_ignored", facts())
    assert (status, reason) == (
        Status.PASS,
        "the configuration directory is not in a git work tree",
    )


async def test_not_ignored_error(hass: HomeAssistant) -> None:
    git = GitState(work_tree=None, error="cannot read .gitignore: denied")
    status, reason, _ = run("secrets_not_ignored", facts(git=git))
    assert (status, reason) == (Status.UNKNOWN, "cannot read .gitignore: denied")


async def test_not_ignored_findings_from_git(
    hass: HomeAssistant, tmp_path: Path
) -> None:
    git = GitState(
        work_tree=tmp_path,
        via_git=True,
        exposures=(
            CarriedPath(path=".storage", tracked=False),
            CarriedPath(path="packages/secrets.yaml", tracked=True),
        ),
    )
    status, _, findings = run("secrets_not_ignored", facts(git=git))
    assert status is Status.FAIL
    by_subject = {f.subject: f for f in findings}
    assert set(by_subject) == {".storage", "packages/secrets.yaml"}
    assert by_subject[".storage"].title == ".storage is not ignored by git"
    assert by_subject[".storage"].placeholders["detail"] == (
        "nothing ignores `.storage`, so `git add` would commit it"
    )
    tracked = by_subject["packages/secrets.yaml"]
    assert tracked.title == "packages/secrets.yaml is tracked by git"
    assert tracked.file == "packages/secrets.yaml"
    assert tracked.placeholders["detail"] == (
        "`packages/secrets.yaml` is tracked by git (committed or staged)"
    )
    assert_placeholders("secrets_not_ignored", findings)


async def test_not_ignored_without_git(hass: HomeAssistant, tmp_path: Path) -> None:
    clean = GitState(work_tree=tmp_path, limitation="git is not installed")
    status, reason, findings = run("secrets_not_ignored", facts(git=clean))
    assert (status, findings) == (Status.PASS, [])
    assert reason == (
        "ignored according to .gitignore; git is not installed, so a file committed "
        "before it was ignored cannot be seen"
    )
    exposed = replace(
        clean, exposures=(CarriedPath(path="secrets.yaml", tracked=False),)
    )
    status, _, [finding] = run("secrets_not_ignored", facts(git=exposed))
    assert status is Status.FAIL
    assert finding.placeholders["detail"].endswith(
        "(judged from .gitignore alone: git is not installed)"
    )


# --- secrets_served ------------------------------------------------------------------------


async def test_served(hass: HomeAssistant) -> None:
    www = WwwState(
        exists=True,
        served=(
            ServedFile(path="www/id_rsa", kind=ServedKind.PRIVATE_KEY),
            ServedFile(path="www/.storage", kind=ServedKind.STORAGE_DIR),
            ServedFile(path="www/a/auth", kind=ServedKind.STORAGE),
            ServedFile(path="www/secrets.yaml", kind=ServedKind.SECRETS),
            ServedFile(path="www/x.tar", kind=ServedKind.BACKUP),
            ServedFile(path="www/home-assistant_v2.db", kind=ServedKind.DATABASE),
        ),
    )
    status, _, findings = run("secrets_served", facts(www=www))
    assert status is Status.FAIL
    assert [f.subject for f in findings] == [s.path for s in www.served]
    assert all(f.severity is Severity.CRITICAL for f in findings)
    assert findings[0].title == "Private key served without login: www/id_rsa"
    assert findings[0].file == "www/id_rsa"
    assert findings[0].placeholders == {"file": "www/id_rsa", "kind": "private key"}
    assert findings[1].title == "Copy of .storage served without login: www/.storage"
    assert_placeholders("secrets_served", findings)


async def test_served_nothing_or_no_www_or_error(hass: HomeAssistant) -> None:
    status, reason, _ = run("secrets_served", facts(www=WwwState(exists=False)))
    assert (status, reason) == (Status.PASS, "there is no www folder")
    status, reason, _ = run("secrets_served", facts(www=WwwState(exists=True)))
    assert (status, reason) == (Status.PASS, None)
    status, reason, _ = run(
        "secrets_served", facts(www=WwwState(exists=True, truncated=True))
    )
    assert (status, reason) == (
        Status.PASS,
        "none found, but only the first 20000 names under www/ were checked",
    )
    status, reason, _ = run(
        "secrets_served",
        facts(www=WwwState(exists=True, error="cannot read www/: denied")),
    )
    assert (status, reason) == (Status.UNKNOWN, "cannot read www/: denied")


# --- backups -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "check_id", ["backup_missing", "backup_stale", "backup_unencrypted"]
)
async def test_backup_checks_unknown_without_the_integration(
    hass: HomeAssistant, check_id: str
) -> None:
    unavailable = BackupState(unavailable="the backup integration is not loaded")
    status, reason, _ = run(check_id, facts(backups=unavailable))
    assert (status, reason) == (Status.UNKNOWN, "the backup integration is not loaded")


async def test_missing(hass: HomeAssistant) -> None:
    status, _, [finding] = run("backup_missing", facts())
    assert status is Status.FAIL
    assert (finding.subject, finding.title) == ("backups", "No backup exists")
    assert finding.severity is Severity.HIGH
    assert_placeholders("backup_missing", [finding])
    addons_only = BackupState(backups=(backup(NOW, homeassistant=False),))
    _, _, [finding] = run("backup_missing", facts(backups=addons_only))
    assert finding.title == "No backup holds Home Assistant's configuration"


async def test_missing_but_some_location_failed(hass: HomeAssistant) -> None:
    state = BackupState(failed_agents=("cloud.cloud", "hassio.local"))
    status, reason, findings = run("backup_missing", facts(backups=state))
    assert (status, findings) == (Status.UNKNOWN, [])
    assert (
        reason == "no backup found, but cloud.cloud, hassio.local could not be listed"
    )


@pytest.mark.parametrize(
    "state",
    [
        BackupState(backups=(backup(NOW - timedelta(days=400)),)),
        BackupState(last_automatic=NOW - timedelta(days=400)),
    ],
)
async def test_not_missing(hass: HomeAssistant, state: BackupState) -> None:
    status, _, findings = run("backup_missing", facts(backups=state))
    assert (status, findings) == (Status.PASS, [])


@pytest.mark.parametrize(
    ("newest", "secrets_changed", "title", "detail"),
    [
        (NOW - timedelta(days=6, hours=23), NOW - timedelta(days=10), None, None),
        (NOW - timedelta(days=7), None, None, None),
        (
            NOW - timedelta(days=7, seconds=1),
            None,
            "The newest backup is 7 days old",
            "The newest backup is 7 days old (made on 2025-06-08).",
        ),
        (
            NOW - timedelta(days=40),
            NOW - timedelta(days=1),
            "The newest backup is 40 days old",
            "The newest backup is 40 days old (made on 2025-05-06).",
        ),
        (
            NOW - timedelta(days=2),
            NOW - timedelta(days=1),
            "secrets.yaml changed after the newest backup",
            "`secrets.yaml` changed after the newest backup (made on 2025-06-13), so no "
            "backup holds the change.",
        ),
    ],
)
async def test_stale(
    hass: HomeAssistant,
    newest: datetime,
    secrets_changed: datetime | None,
    title: str | None,
    detail: str | None,
) -> None:
    the_facts = facts(
        secrets_file=SecretsFileState(
            exists=True, mode=0o600, modified=secrets_changed
        ),
        backups=BackupState(
            backups=(
                backup(newest, backup_id="new"),
                backup(newest - timedelta(days=3), backup_id="old"),
                backup(NOW, homeassistant=False, backup_id="addons"),
                backup(None, backup_id="undated"),
            )
        ),
    )
    status, _, findings = run("backup_stale", the_facts)
    if title is None:
        assert (status, findings) == (Status.PASS, [])
        return
    assert status is Status.FAIL
    [finding] = findings
    assert (finding.subject, finding.title) == ("backups", title)
    assert finding.placeholders["detail"] == detail
    assert finding.severity is Severity.MEDIUM
    assert_placeholders("backup_stale", findings)


async def test_stale_counts_the_last_automatic_backup(hass: HomeAssistant) -> None:
    state = BackupState(
        backups=(backup(NOW - timedelta(days=30)),),
        last_automatic=NOW - timedelta(days=1),
    )
    status, _, _ = run("backup_stale", facts(backups=state))
    assert status is Status.PASS


async def test_stale_without_backup_or_with_failed_locations(
    hass: HomeAssistant,
) -> None:
    status, reason, _ = run("backup_stale", facts())
    assert (status, reason) == (Status.PASS, "there is no backup (see backup_missing)")
    failed = BackupState(failed_agents=("cloud.cloud",))
    status, reason, _ = run("backup_stale", facts(backups=failed))
    assert (status, reason) == (
        Status.UNKNOWN,
        "no backup found, but cloud.cloud could not be listed",
    )
    old = replace(failed, backups=(backup(NOW - timedelta(days=20)),))
    status, reason, _ = run("backup_stale", facts(backups=old))
    assert (status, reason) == (
        Status.UNKNOWN,
        "the newest backup found was made on 2025-05-26, but cloud.cloud could not be listed",
    )
    fresh = replace(failed, backups=(backup(NOW - timedelta(days=1)),))
    status, _, _ = run("backup_stale", facts(backups=fresh))
    assert (
        status is Status.PASS
    )  # whatever the failed location holds, it is fresh enough


@pytest.mark.parametrize(
    ("state", "title", "locations"),
    [
        (BackupState(), None, None),  # no automatic backups: nothing to encrypt
        (
            BackupState(
                schedule="daily",
                automatic_agents=("backup.local",),
                password_set=True,
            ),
            None,
            None,
        ),
        (
            BackupState(
                schedule="daily",
                automatic_agents=("backup.local", "cloud.cloud"),
                unencrypted_agents=("backup.local", "cloud.cloud"),
            ),
            "Automatic backups are not encrypted",
            "backup.local, cloud.cloud",
        ),
        (
            BackupState(last_automatic=NOW),
            "Automatic backups are not encrypted",
            "every location",
        ),
        (
            BackupState(backups=(backup(NOW, automatic=True),)),
            "Automatic backups are not encrypted",
            "every location",
        ),
        (
            BackupState(
                schedule="custom_days",
                automatic_agents=("backup.local", "cloud.cloud"),
                password_set=True,
                unencrypted_agents=("backup.local",),
            ),
            "Automatic backups to backup.local are not encrypted",
            "backup.local",
        ),
    ],
)
async def test_unencrypted(
    hass: HomeAssistant, state: BackupState, title: str | None, locations: str | None
) -> None:
    status, reason, findings = run("backup_unencrypted", facts(backups=state))
    if title is None:
        assert (status, findings) == (Status.PASS, [])
        if not state.automatic_configured:
            assert reason == "automatic backups are not set up"
        return
    assert status is Status.FAIL
    [finding] = findings
    assert (finding.subject, finding.title) == ("automatic_backups", title)
    assert finding.placeholders == {"locations": locations}
    assert_placeholders("backup_unencrypted", findings)


# --- gather, on real files and the real backup integration ----------------------------------


def by_check(outcome: ScanOutcome) -> dict[str, tuple[str, str | None, list[str]]]:
    return {
        r.check: (
            str(r.status),
            r.reason,
            sorted(f.subject for f in outcome.findings if f.check == r.check),
        )
        for r in outcome.checks
    }


async def scan(hass: HomeAssistant, ctx: ScanContext | None = None) -> ScanOutcome:
    return await async_scan(HYGIENE_CHECKS, (), ctx or ctx_at(hass, dt_util.utcnow()))


@pytest.fixture
async def backup_manager(hass: HomeAssistant, config_dir: Path) -> AsyncIterator[Any]:
    manager = await async_setup_backup(hass)
    yield manager
    await async_teardown_backup(hass, manager)


def leaky_config(config_dir: Path) -> None:
    """A configuration with every problem of this family."""
    copy_fixture("hygiene/www_mixed", config_dir)
    secrets = config_dir / "secrets.yaml"
    secrets.write_text("mqtt_password: CANARY-secret-value-91c2\n")
    secrets.chmod(0o644)
    (config_dir / ".storage").mkdir()
    (config_dir / ".storage" / "auth").write_text("{}")
    (config_dir / ".git").mkdir()


async def test_gather_on_a_leaky_configuration_without_backups(
    hass: HomeAssistant, config_dir: Path
) -> None:
    leaky_config(config_dir)
    (config_dir / "configuration.yaml").write_text("{}\n")  # the graph reads cleanly
    with patch.object(shutil, "which", return_value=None):
        outcome = await scan(hass)
    result = by_check(outcome)
    assert result["secrets_file_permissions"] == ("fail", None, ["secrets.yaml"])
    assert result["secrets_not_ignored"] == ("fail", None, [".storage", "secrets.yaml"])
    assert result["secrets_served"] == (
        "fail",
        None,
        [
            "www/.ssh/id_ed25519",
            "www/.storage",
            "www/backups/9f3e1c2a.tar",
            "www/certs/privkey.pem",
            "www/home-assistant_v2.db",
            "www/secrets.yaml",
            "www/tmp/secrets.yaml.bak",
        ],
    )
    for check_id in ("backup_missing", "backup_stale", "backup_unencrypted"):
        assert result[check_id] == (
            "unknown",
            "the backup integration is not loaded",
            [],
        )
    assert outcome.notes == ()


@pytest.mark.skipif(GIT is None, reason="git is not installed")
async def test_gather_with_a_real_repository(
    hass: HomeAssistant, config_dir: Path
) -> None:
    copy_fixture("hygiene/git_config", config_dir)
    await hass.async_add_executor_job(git, config_dir, "init", "-q")
    (config_dir / "secrets.yaml").chmod(0o600)
    result = by_check(await scan(hass))
    assert result["secrets_not_ignored"] == ("fail", None, ["packages/secrets.yaml"])
    assert result["secrets_file_permissions"] == ("pass", None, [])
    assert result["secrets_served"] == ("pass", "there is no www folder", [])


async def test_gather_with_backups(
    hass: HomeAssistant, config_dir: Path, backup_manager: Any
) -> None:
    (config_dir / "secrets.yaml").write_text("a: b\n")
    (config_dir / "secrets.yaml").chmod(0o600)
    result = by_check(await scan(hass))
    assert result["backup_missing"] == ("fail", None, ["backups"])
    assert result["backup_stale"] == (
        "pass",
        "there is no backup (see backup_missing)",
        [],
    )
    assert result["backup_unencrypted"] == (
        "pass",
        "automatic backups are not set up",
        [],
    )
    assert result["secrets_not_ignored"][0] == "pass"

    backup_manager.config.update(
        create_backup={"agent_ids": ["backup.local"], "password": None},
        schedule={"recurrence": ScheduleRecurrence.DAILY},
    )
    await backup_manager.async_create_automatic_backup()
    await hass.async_block_till_done(wait_background_tasks=True)
    result = by_check(await scan(hass))
    assert result["backup_missing"] == ("pass", None, [])
    assert result["backup_stale"] == ("pass", None, [])
    assert result["backup_unencrypted"] == ("fail", None, ["automatic_backups"])

    # secrets.yaml changes after the backup: the backup no longer holds it.
    later = dt_util.utcnow() + timedelta(minutes=5)
    os.utime(config_dir / "secrets.yaml", (later.timestamp(), later.timestamp()))
    result = by_check(await scan(hass, ctx_at(hass, later)))
    assert result["backup_stale"] == ("fail", None, ["backups"])
    # A week and a day later, the backup is simply old.
    result = by_check(await scan(hass, ctx_at(hass, later + timedelta(days=8))))
    assert result["backup_stale"] == ("fail", None, ["backups"])

    backup_manager.config.update(create_backup={"password": "CANARY-backup-pw-55ad"})
    result = by_check(await scan(hass))
    assert result["backup_unencrypted"] == ("pass", None, [])


async def test_gather_skips_readers_of_disabled_checks(
    hass: HomeAssistant, config_dir: Path
) -> None:
    leaky_config(config_dir)
    disabled = [
        "secrets_not_ignored",
        "secrets_served",
        "backup_missing",
        "backup_stale",
        "backup_unencrypted",
    ]
    ctx = ctx_at(hass, dt_util.utcnow(), frozenset(disabled))
    with (
        patch.object(git_state, "read_git_state", side_effect=AssertionError) as git,
        patch.object(www_files, "scan_www", side_effect=AssertionError) as www,
        patch.object(
            backups_module, "async_read_backups", side_effect=AssertionError
        ) as bk,
    ):
        result = by_check(await scan(hass, ctx))
    assert not git.called
    assert not www.called
    assert not bk.called
    assert result["secrets_file_permissions"][0] == "fail"
    assert {result[c][0] for c in disabled} == {"disabled"}


@pytest.mark.parametrize(
    ("module", "reader", "checks", "reason"),
    [
        (
            secret_files,
            "read_secrets_file",
            ["secrets_file_permissions"],
            "could not read: RuntimeError",
        ),
        (
            git_state,
            "read_git_state",
            ["secrets_not_ignored"],
            "could not read: RuntimeError",
        ),
        (www_files, "scan_www", ["secrets_served"], "could not read: RuntimeError"),
        (
            backups_module,
            "async_read_backups",
            ["backup_missing", "backup_stale", "backup_unencrypted"],
            "could not read the backups: RuntimeError",
        ),
    ],
)
async def test_a_broken_reader_only_stops_its_own_checks(
    hass: HomeAssistant,
    config_dir: Path,
    module: ModuleType,
    reader: str,
    checks: list[str],
    reason: str,
) -> None:
    leaky_config(config_dir)
    with patch.object(module, reader, side_effect=RuntimeError("boom CANARY")):
        result = by_check(await scan(hass))
    for check_id, (status, why, _) in result.items():
        if check_id in checks:
            assert (status, why) == ("unknown", reason)
        else:
            assert why != reason
    assert "CANARY" not in json.dumps(result)


async def test_www_troubles_become_notes(hass: HomeAssistant, config_dir: Path) -> None:
    (config_dir / "configuration.yaml").write_text("{}\n")  # the graph reads cleanly
    state = WwwState(
        exists=True,
        truncated=True,
        more_hits=True,
        unreadable=tuple(f"www/d{i:02}" for i in range(12)),
        served=(ServedFile(path="www/x.tar", kind=ServedKind.BACKUP),),
    )
    with patch.object(www_files, "scan_www", return_value=state):
        outcome = await scan(hass)
    notes = [(n.file, n.reason) for n in outcome.notes]
    assert notes[:2] == [
        ("www", "more than 20000 entries: only the first 20000 names were checked"),
        ("www", "more than 50 sensitive names: only the first 50 are reported"),
    ]
    assert notes[2:] == [(f"www/d{i:02}", "cannot list this folder") for i in range(10)]
    assert by_check(outcome)["secrets_served"] == ("fail", None, ["www/x.tar"])


# --- end to end ----------------------------------------------------------------------------


async def test_end_to_end(
    hass: HomeAssistant,
    config_dir: Path,
    mock_config_entry: MockConfigEntry,
    backup_manager: Any,
) -> None:
    """Findings, repairs with their texts' placeholders, a rescan after a backup; no canary."""
    leaky_config(config_dir)
    backup_manager.config.update(
        create_backup={"agent_ids": ["backup.local"], "password": None},
        schedule={"recurrence": ScheduleRecurrence.DAILY},
    )
    await async_setup_integration(hass, mock_config_entry)
    report = await async_scan_service(hass)

    assert [f["subject"] for f in findings_of(report, "secrets_file_permissions")] == [
        "secrets.yaml"
    ]
    served = findings_of(report, "secrets_served")
    assert len(served) == 7
    assert {f["severity"] for f in served} == {"critical"}
    [missing] = findings_of(report, "backup_missing")
    assert missing["severity"] == "high"
    assert (
        missing["learn_more_url"]
        == "https://www.home-assistant.io/integrations/backup/"
    )
    assert len(findings_of(report, "backup_unencrypted")) == 1

    issues = {
        i.translation_key: i
        for (domain, _), i in ir.async_get(hass).issues.items()
        if domain == DOMAIN
    }
    issue = issues["secrets_served"]
    assert issue.severity is ir.IssueSeverity.ERROR
    assert issue.translation_placeholders is not None
    assert issue.translation_placeholders["kind"] in {str(k) for k in ServedKind}
    assert issues["secrets_file_permissions"].translation_placeholders["mode"] == "644"
    assert (
        issues["backup_unencrypted"].translation_placeholders["locations"]
        == "backup.local"
    )

    # Making a backup asks for a rescan by itself: backup_missing resolves.
    await backup_manager.async_create_automatic_backup()
    await hass.async_block_till_done(wait_background_tasks=True)
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=10))
    await hass.async_block_till_done(wait_background_tasks=True)
    coordinator = mock_config_entry.runtime_data
    resolved = coordinator.data.as_dict()
    assert findings_of(resolved, "backup_missing") == []
    assert ("security_posture", missing["id"]) not in ir.async_get(hass).issues

    backup_manager.config.update(create_backup={"password": "CANARY-backup-pw-55ad"})
    report = await async_scan_service(hass)
    assert findings_of(report, "backup_unencrypted") == []
    exposed = json.dumps(
        [
            report,
            [s.as_dict() for s in hass.states.async_all()],
            [
                {"key": i.translation_key, "placeholders": i.translation_placeholders}
                for i in ir.async_get(hass).issues.values()
            ],
        ],
        default=str,
    )
    assert "CANARY" not in exposed
