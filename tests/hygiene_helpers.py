"""Helpers for the secrets hygiene tests: the real backup integration, backup files, agents."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Coroutine
from datetime import datetime, timedelta
import io
import json
from pathlib import Path
import shutil
import subprocess
import tarfile
from typing import Any

from homeassistant.components.backup import AgentBackup, BackupAgent
from homeassistant.components.backup.config import ScheduleRecurrence
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import async_fire_time_changed

GIT = shutil.which("git")


def git(cwd: Path, *args: str) -> str:
    """Run git in `cwd` with a throwaway identity."""
    done = subprocess.run(  # noqa: S603 - fixed arguments
        [str(GIT), "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        cwd=cwd,
        capture_output=True,
        check=True,
        text=True,
    )
    return done.stdout


async def async_setup_backup(hass: HomeAssistant) -> Any:
    """Set up Home Assistant's backup integration for real; return its manager."""
    try:  # 2025.4 needs the bootstrap's backup data; later releases dropped the helper
        from homeassistant.helpers.backup import (  # noqa: PLC0415
            async_initialize_backup,
        )
    except ImportError:  # pragma: no cover - depends on the Home Assistant release
        pass
    else:  # pragma: no cover - depends on the Home Assistant release
        async_initialize_backup(hass)
    assert await async_setup_component(hass, "backup", {})
    await hass.async_block_till_done(wait_background_tasks=True)
    return hass.data["backup"]


async def async_teardown_backup(hass: HomeAssistant, manager: Any) -> None:
    """Cancel the schedule timer and flush the delayed store write."""
    manager.config.update(schedule={"recurrence": ScheduleRecurrence.NEVER})
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(minutes=5))
    await hass.async_block_till_done(wait_background_tasks=True)


def write_backup_tar(
    directory: Path,
    slug: str,
    date: datetime | str,
    *,
    homeassistant: bool = True,
    protected: bool = False,
    extra: dict[str, Any] | None = None,
) -> Path:
    """Write a backup file as Home Assistant writes them (the metadata is what is read)."""
    directory.mkdir(parents=True, exist_ok=True)
    data: dict[str, Any] = {
        "slug": slug,
        "name": f"Backup {slug}",
        "date": date if isinstance(date, str) else date.isoformat(),
        "protected": protected,
        "extra": extra or {},
        "folders": [],
        "addons": [] if homeassistant else [{"name": "A", "slug": "a", "version": "1"}],
    }
    if homeassistant:
        data["homeassistant"] = {"version": "2025.4.4", "exclude_database": False}
    raw = json.dumps(data).encode()
    path = directory / f"{slug}.tar"
    with tarfile.open(path, "w") as tar:
        info = tarfile.TarInfo("./backup.json")
        info.size = len(raw)
        tar.addfile(info, io.BytesIO(raw))
    return path


def agent_backup(
    slug: str,
    date: datetime | str,
    *,
    homeassistant: bool = True,
    protected: bool = False,
    extra: dict[str, Any] | None = None,
) -> AgentBackup:
    """A backup as an agent lists it."""
    return AgentBackup(
        addons=[],
        backup_id=slug,
        database_included=homeassistant,
        date=date if isinstance(date, str) else date.isoformat(),
        extra_metadata=extra or {},
        folders=[],
        homeassistant_included=homeassistant,
        homeassistant_version="2025.4.4" if homeassistant else None,
        name=f"Backup {slug}",
        protected=protected,
        size=1,
    )


class FakeAgent(BackupAgent):
    """A backup location that is not on this machine (a cloud, a drive)."""

    def __init__(
        self,
        domain: str,
        backups: list[AgentBackup] | None = None,
        *,
        error: BaseException | None = None,
        delay: float = 0,
    ) -> None:
        """Hold `backups`, or fail with `error` when listed."""
        self.domain = domain
        self.name = self.unique_id = domain
        self.backups = backups or []
        self.error = error
        self.delay = delay
        self.listed = 0

    async def async_list_backups(self, **kwargs: Any) -> list[AgentBackup]:
        """List the backups; count the calls."""
        self.listed += 1
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.error is not None:
            raise self.error
        return list(self.backups)

    async def async_download_backup(
        self, backup_id: str, **kwargs: Any
    ) -> AsyncIterator[bytes]:  # pragma: no cover - never called
        raise NotImplementedError

    async def async_upload_backup(
        self,
        *,
        open_stream: Callable[[], Coroutine[Any, Any, AsyncIterator[bytes]]],
        backup: AgentBackup,
        **kwargs: Any,
    ) -> None:  # pragma: no cover - never called
        raise NotImplementedError

    async def async_delete_backup(
        self, backup_id: str, **kwargs: Any
    ) -> None:  # pragma: no cover - never called
        raise NotImplementedError

    async def async_get_backup(
        self, backup_id: str, **kwargs: Any
    ) -> AgentBackup:  # pragma: no cover - never called
        raise NotImplementedError


def add_agent(manager: Any, agent: FakeAgent) -> str:
    """Add an agent at the manager's boundary, as a platform would."""
    manager.backup_agents[agent.agent_id] = agent
    return agent.agent_id
