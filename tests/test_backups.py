"""Reader of the backup integration, against the real integration on this Home Assistant."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from unittest.mock import patch

from homeassistant.components.backup.config import ScheduleRecurrence
from homeassistant.components.backup.manager import (
    CreateBackupEvent,
    CreateBackupState,
    IdleEvent,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers import instance_id
from homeassistant.util import dt as dt_util
import pytest

from custom_components.security_posture.inspect import backups as backups_module
from custom_components.security_posture.inspect.backups import (
    BackupState,
    RemoteBackupCache,
    async_read_backups,
    async_subscribe_backup_events,
    backup_manager,
)

from .hygiene_helpers import (
    FakeAgent,
    add_agent,
    agent_backup,
    async_setup_backup,
    async_teardown_backup,
    write_backup_tar,
)

LONG_AGO = datetime(2000, 1, 1, tzinfo=UTC)


@pytest.fixture
async def manager(hass: HomeAssistant, config_dir: Path) -> AsyncIterator[Any]:
    """The real backup manager of `hass`, with the local agent on `config_dir/backups`."""
    backup_manager_ = await async_setup_backup(hass)
    yield backup_manager_
    await async_teardown_backup(hass, backup_manager_)


async def read(
    hass: HomeAssistant, cache: RemoteBackupCache | None = None, **kw: Any
) -> BackupState:
    return await async_read_backups(
        hass,
        cache=RemoteBackupCache() if cache is None else cache,
        wanted_since=kw.get("since", LONG_AGO),
    )


async def test_not_loaded(hass: HomeAssistant) -> None:
    assert backup_manager(hass) is None
    state = await read(hass)
    assert state.unavailable == "the backup integration is not loaded"


async def test_no_backup_at_all(hass: HomeAssistant, manager: Any) -> None:
    state = await read(hass)
    assert state.unavailable is None
    assert state.backups == ()
    assert state.newest is None
    assert state.failed_agents == ()
    assert state.schedule == "never"
    assert not state.automatic_configured
    assert not state.password_set


async def test_local_backup_files_are_listed(
    hass: HomeAssistant, config_dir: Path
) -> None:
    made = dt_util.utcnow() - timedelta(days=2)
    write_backup_tar(config_dir / "backups", "aaaa1111", made)
    write_backup_tar(
        config_dir / "backups",
        "bbbb2222",
        made + timedelta(hours=1),
        homeassistant=False,
    )
    write_backup_tar(config_dir / "backups", "cccc3333", "not a date")
    write_backup_tar(config_dir / "backups", "dddd4444", "2020-01-01T00:00:00")
    manager = await async_setup_backup(hass)
    try:
        state = await read(hass)
    finally:
        await async_teardown_backup(hass, manager)
    by_id = {b.backup_id: b for b in state.backups}
    assert set(by_id) == {"aaaa1111", "bbbb2222", "cccc3333", "dddd4444"}
    assert by_id["aaaa1111"].agent_ids == ("backup.local",)
    assert by_id["aaaa1111"].homeassistant
    assert not by_id["bbbb2222"].homeassistant
    assert by_id["cccc3333"].date is None
    assert by_id["dddd4444"].date == datetime(2020, 1, 1, tzinfo=UTC)  # naive means UTC
    # An add-on-only backup does not hold secrets.yaml: the newest is the other one.
    assert state.newest == made.replace(microsecond=made.microsecond)


async def test_automatic_settings_without_password(
    hass: HomeAssistant, manager: Any
) -> None:
    manager.config.update(
        create_backup={"agent_ids": ["backup.local"], "password": None},
        schedule={"recurrence": ScheduleRecurrence.DAILY},
    )
    state = await read(hass)
    assert state.schedule == "daily"
    assert state.automatic_configured
    assert not state.password_set
    assert state.automatic_agents == ("backup.local",)
    assert state.unencrypted_agents == ("backup.local",)


async def test_automatic_settings_with_password(
    hass: HomeAssistant, manager: Any
) -> None:
    canary = "CANARY-backup-password-7f3a"
    manager.config.update(
        create_backup={
            "agent_ids": ["backup.local", "cloud.cloud"],
            "password": canary,
        },
        schedule={"recurrence": ScheduleRecurrence.DAILY},
    )
    state = await read(hass)
    assert state.password_set
    assert state.unencrypted_agents == ()
    assert canary not in repr(state)
    # A location can turn encryption off for itself.
    manager.config.update(agents={"backup.local": {"protected": False}})
    state = await read(hass)
    assert state.unencrypted_agents == ("backup.local",)
    manager.config.update(agents={"backup.local": {"protected": True}})
    assert (await read(hass)).unencrypted_agents == ()


async def test_custom_days_without_days_is_never(
    hass: HomeAssistant, manager: Any
) -> None:
    manager.config.update(
        create_backup={"agent_ids": ["backup.local"]},
        schedule={"recurrence": ScheduleRecurrence.CUSTOM_DAYS, "days": []},
    )
    state = await read(hass)
    assert state.schedule == "never"
    assert not state.automatic_configured


async def test_a_real_automatic_backup(
    hass: HomeAssistant, config_dir: Path, manager: Any
) -> None:
    """Home Assistant makes an automatic backup of the configuration; it is seen as such."""
    (config_dir / "secrets.yaml").write_text("a: b\n")
    manager.config.update(
        create_backup={"agent_ids": ["backup.local"], "password": None}
    )
    done: list[None] = []
    unsubscribe = async_subscribe_backup_events(hass, lambda: done.append(None))
    await manager.async_create_automatic_backup()
    await hass.async_block_till_done(wait_background_tasks=True)
    unsubscribe()
    assert done == [None]  # once: when it completed, not at every stage
    state = await read(hass)
    [backup] = state.backups
    assert backup.automatic
    assert backup.homeassistant
    assert not backup.protected
    assert backup.agent_ids == ("backup.local",)
    assert state.last_automatic is not None
    assert state.newest is not None
    assert abs(state.newest - dt_util.utcnow()) < timedelta(minutes=1)
    assert state.automatic_configured  # it has run, even without a schedule


async def test_automatic_flag_needs_this_instance(
    hass: HomeAssistant, manager: Any
) -> None:
    ours = await instance_id.async_get(hass)
    now = dt_util.utcnow()
    add_agent(
        manager,
        FakeAgent(
            "hassio",
            [
                agent_backup(
                    "ours",
                    now,
                    extra={"instance_id": ours, "with_automatic_settings": True},
                ),
                agent_backup(
                    "other",
                    now,
                    extra={"instance_id": "x", "with_automatic_settings": True},
                ),
                agent_backup(
                    "manual",
                    now,
                    extra={"instance_id": ours, "with_automatic_settings": False},
                ),
            ],
        ),
    )
    state = await read(hass)
    assert {b.backup_id for b in state.backups if b.automatic} == {"ours"}
    assert state.automatic_configured


async def test_remote_agents_asked_only_when_needed(
    hass: HomeAssistant, config_dir: Path
) -> None:
    recent = dt_util.utcnow() - timedelta(days=1)
    write_backup_tar(config_dir / "backups", "local1", recent)
    manager = await async_setup_backup(hass)
    try:
        cloud = FakeAgent(
            "cloud", [agent_backup("remote1", recent + timedelta(hours=1))]
        )
        add_agent(manager, cloud)
        cache = RemoteBackupCache()
        # The local backup is recent enough: the cloud is not asked.
        state = await async_read_backups(
            hass, cache=cache, wanted_since=recent - timedelta(hours=1)
        )
        assert cloud.listed == 0
        assert state.unasked_agents == ("cloud.cloud",)
        assert [b.backup_id for b in state.backups] == ["local1"]
        # Something newer is wanted: the cloud is asked once, then cached.
        state = await async_read_backups(
            hass, cache=cache, wanted_since=recent + timedelta(minutes=5)
        )
        assert cloud.listed == 1
        assert state.unasked_agents == ()
        assert {b.backup_id for b in state.backups} == {"local1", "remote1"}
        await async_read_backups(
            hass, cache=cache, wanted_since=recent + timedelta(minutes=5)
        )
        assert cloud.listed == 1
        # A new backup known to the manager, or an hour later: asked again.
        with patch.object(
            backups_module.time,
            "monotonic",
            return_value=backups_module.time.monotonic() + 3601,
        ):
            await async_read_backups(
                hass, cache=cache, wanted_since=recent + timedelta(minutes=5)
            )
        assert cloud.listed == 2
    finally:
        await async_teardown_backup(hass, manager)


async def test_a_backup_on_several_agents_is_one_backup(
    hass: HomeAssistant, manager: Any
) -> None:
    made = dt_util.utcnow() - timedelta(days=30)
    add_agent(
        manager, FakeAgent("hassio", [agent_backup("same", made, protected=True)])
    )
    add_agent(
        manager, FakeAgent("cloud", [agent_backup("same", "garbage", protected=False)])
    )
    add_agent(
        manager,
        FakeAgent(
            "drive", [agent_backup("same", made, protected=True, homeassistant=False)]
        ),
    )
    state = await read(hass, since=dt_util.utcnow())
    [backup] = state.backups
    assert backup.agent_ids == ("hassio.hassio", "cloud.cloud", "drive.drive")
    assert backup.date == made
    assert backup.homeassistant
    assert not backup.protected  # not encrypted everywhere


async def test_failing_and_slow_agents_are_named(
    hass: HomeAssistant, manager: Any
) -> None:
    add_agent(
        manager, FakeAgent("cloud", error=RuntimeError("token=CANARY-agent-error"))
    )
    add_agent(manager, FakeAgent("drive", delay=5))
    add_agent(manager, FakeAgent("hassio", error=OSError("supervisor down")))
    with patch.object(backups_module, "AGENT_TIMEOUT", 0.05):
        state = await read(hass, since=dt_util.utcnow())
    assert state.failed_agents == ("cloud.cloud", "drive.drive", "hassio.hassio")
    assert "CANARY" not in repr(state)


async def test_an_agent_cancelled_inside_is_a_failed_agent(
    hass: HomeAssistant, manager: Any
) -> None:
    add_agent(manager, FakeAgent("hassio", error=asyncio.CancelledError()))
    assert (await read(hass)).failed_agents == ("hassio.hassio",)


async def test_unexpected_manager_is_unavailable(hass: HomeAssistant) -> None:
    hass.data["backup"] = object()
    state = await read(hass)
    assert (
        state.unavailable
        == "the backup integration's data is not as expected (AttributeError)"
    )


async def test_subscription_without_backups_is_a_no_op(hass: HomeAssistant) -> None:
    unsubscribe = async_subscribe_backup_events(hass, lambda: None)
    unsubscribe()


async def test_subscription_reacts_only_to_completed_work(
    hass: HomeAssistant, manager: Any
) -> None:
    calls: list[None] = []
    unsubscribe = async_subscribe_backup_events(hass, lambda: calls.append(None))
    manager.async_on_backup_event(
        CreateBackupEvent(reason=None, stage=None, state=CreateBackupState.IN_PROGRESS)
    )
    manager.async_on_backup_event(IdleEvent())
    assert calls == []
    manager.async_on_backup_event(
        CreateBackupEvent(reason=None, stage=None, state=CreateBackupState.COMPLETED)
    )
    assert calls == [None]
    unsubscribe()
    manager.async_on_backup_event(
        CreateBackupEvent(reason=None, stage=None, state=CreateBackupState.COMPLETED)
    )
    assert calls == [None]


async def test_subscription_on_the_manager(hass: HomeAssistant) -> None:
    """Releases after 2025.4 subscribe on the manager itself."""
    subscribers: list[Any] = []

    class Manager:
        def async_subscribe_events(self, on_event: Any) -> Any:
            subscribers.append(on_event)
            return lambda: subscribers.remove(on_event)

    hass.data["backup"] = Manager()
    calls: list[None] = []
    unsubscribe = async_subscribe_backup_events(hass, lambda: calls.append(None))
    [on_event] = subscribers
    on_event(
        CreateBackupEvent(reason=None, stage=None, state=CreateBackupState.COMPLETED)
    )
    assert calls == [None]
    unsubscribe()
    assert subscribers == []
