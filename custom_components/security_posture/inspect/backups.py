"""Read the state of Home Assistant's backup integration (which also fronts Supervisor).

What is read, and from where:

- the automatic backup settings (schedule, target locations, whether a password is set and
  which locations keep encryption on) and the time of the last completed automatic backup:
  from the manager's configuration, in memory, no I/O;
- the backups themselves: listed from the local agents (`backup.local` on Core/Container,
  `hassio.*` on Supervisor installs, whose Supervisor is on the same machine). Remote agents
  (Home Assistant Cloud, Google Drive, ...) are asked only when the local information does not
  already show a recent enough backup, and their answer is cached for an hour, so a scan does
  not call out to the network every time. Every agent gets a timeout.

The encryption password itself is never read into the facts: only whether one is set.
The `BACKUPS` fact is this state, read once per scan; a completed backup asks for a rescan.
Works with the backup integration of Home Assistant 2025.4 and 2026.2 (same manager API for
everything used here); anything unexpected becomes an `unavailable` reason, not an error.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import timedelta
import time
from typing import TYPE_CHECKING, Final

from homeassistant.helpers import instance_id
from homeassistant.util import dt as dt_util
from homeassistant.util.hass_dict import HassKey

from ..const import LOGGER
from ..engine import Fact, Slot
from .secret_files import SECRETS_FILE_STATE

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from datetime import datetime

    from homeassistant.components.backup import AgentBackup, BackupAgent
    from homeassistant.components.backup.manager import BackupManager
    from homeassistant.core import CALLBACK_TYPE, HomeAssistant

    from ..engine import ScanContext

BACKUP_DOMAIN: Final = "backup"
DATA_MANAGER: HassKey[BackupManager] = HassKey(BACKUP_DOMAIN)
LOCAL_DOMAINS: Final = frozenset({BACKUP_DOMAIN, "hassio"})

AGENT_TIMEOUT: Final = 30.0
REMOTE_CACHE_SECONDS: Final = 3600.0
NEVER: Final = "never"
# A backup at least this recent is recent enough (see `backup_stale`).
STALE_AFTER: Final = timedelta(days=7)


@dataclass(frozen=True, kw_only=True)
class BackupEntry:
    """One backup, merged over the agents that hold it."""

    backup_id: str
    date: datetime | None
    agent_ids: tuple[str, ...]
    homeassistant: bool  # holds Home Assistant's configuration (and so secrets.yaml)
    automatic: bool  # made by this instance's automatic backups
    protected: bool  # encrypted on every agent that holds it


@dataclass(frozen=True, kw_only=True)
class BackupState:
    """What the backup integration says."""

    unavailable: str | None = None  # why nothing could be read
    backups: tuple[BackupEntry, ...] = ()
    failed_agents: tuple[str, ...] = ()  # agents that could not be listed
    unasked_agents: tuple[str, ...] = ()  # remote agents not asked this scan
    last_automatic: datetime | None = None  # last completed automatic backup
    schedule: str = NEVER  # "never", "daily" or "custom_days"
    automatic_agents: tuple[str, ...] = ()  # where automatic backups go
    password_set: bool = False
    unencrypted_agents: tuple[
        str, ...
    ] = ()  # where automatic backups are not encrypted

    @property
    def automatic_configured(self) -> bool:
        """Whether automatic backups are scheduled or have been made."""
        return (
            self.schedule != NEVER
            or self.last_automatic is not None
            or any(b.automatic for b in self.backups)
        )

    @property
    def newest(self) -> datetime | None:
        """When the newest backup holding the configuration was made."""
        dates = [b.date for b in self.backups if b.homeassistant and b.date is not None]
        if self.last_automatic is not None:
            dates.append(self.last_automatic)
        return max(dates, default=None)


type _Listed = list[tuple[str, AgentBackup]]


@dataclass(frozen=True, kw_only=True)
class RemoteListing:
    """What the remote agents listed, when, and for which agents and known backups."""

    key: tuple[tuple[str, ...], tuple[str, ...]]
    at: float  # time.monotonic()
    listed: _Listed
    failed: list[str]


class RemoteBackupCache:
    """The last listing of the remote agents, kept between scans."""

    def __init__(self) -> None:
        """Nothing listed yet."""
        self.listing: RemoteListing | None = None


REMOTE_BACKUPS: Final = Slot[RemoteBackupCache](
    name="remote backups", factory=RemoteBackupCache
)


def backup_manager(hass: HomeAssistant) -> BackupManager | None:
    """The backup manager, or None when the backup integration is not loaded."""
    return hass.data.get(DATA_MANAGER)


async def async_read_backups(
    hass: HomeAssistant,
    *,
    cache: RemoteBackupCache,
    wanted_since: datetime,
) -> BackupState:
    """Read the backup settings and list backups; remote agents only if needed.

    `wanted_since`: a backup of the configuration at least this recent settles the question,
    so remote agents are not asked.
    """
    manager = backup_manager(hass)
    if manager is None:
        return BackupState(unavailable="the backup integration is not loaded")
    try:
        settings = _read_settings(manager)
        agents: dict[str, BackupAgent] = dict(manager.backup_agents)
        local_ids = set(manager.local_backup_agents)
        known = tuple(sorted(b["backup_id"] for b in manager.known_backups.to_list()))
    except (AttributeError, KeyError, TypeError) as err:
        return BackupState(
            unavailable=f"the backup integration's data is not as expected ({type(err).__name__})"
        )
    local = {
        a: agent
        for a, agent in agents.items()
        if a in local_ids or a.partition(".")[0] in LOCAL_DOMAINS
    }
    remote = {a: agent for a, agent in agents.items() if a not in local}
    ours = await instance_id.async_get(hass)

    listed, failed = await _async_list(local)
    state = _state(settings, listed, failed, ours, unasked=tuple(sorted(remote)))
    newest = state.newest
    if not remote or (newest is not None and newest >= wanted_since):
        return state
    key = (tuple(sorted(remote)), known)
    cached = cache.listing
    if (
        cached is not None
        and cached.key == key
        and time.monotonic() - cached.at < REMOTE_CACHE_SECONDS
    ):
        remote_listed, remote_failed = cached.listed, cached.failed
    else:
        remote_listed, remote_failed = await _async_list(remote)
        cache.listing = RemoteListing(
            key=key, at=time.monotonic(), listed=remote_listed, failed=remote_failed
        )
    return _state(
        settings, listed + remote_listed, failed + remote_failed, ours, unasked=()
    )


@dataclass(frozen=True, kw_only=True)
class _Settings:
    last_automatic: datetime | None
    schedule: str
    automatic_agents: tuple[str, ...]
    password_set: bool
    unencrypted_agents: tuple[str, ...]


def _read_settings(manager: BackupManager) -> _Settings:
    """The automatic backup settings; the password is reduced to whether there is one."""
    data = manager.config.data
    create = data.create_backup
    password_set = bool(create.password)
    schedule = str(data.schedule.recurrence)
    if schedule == "custom_days" and not data.schedule.days:
        schedule = NEVER  # Home Assistant schedules nothing then
    targets = tuple(create.agent_ids)
    # A location encrypts when a password is set and its own setting does not turn it off.
    unencrypted = tuple(
        agent_id
        for agent_id in targets
        if not password_set
        or ((config := data.agents.get(agent_id)) is not None and not config.protected)
    )
    return _Settings(
        last_automatic=data.last_completed_automatic_backup,
        schedule=schedule,
        automatic_agents=targets,
        password_set=password_set,
        unencrypted_agents=unencrypted,
    )


async def _async_list(agents: dict[str, BackupAgent]) -> tuple[_Listed, list[str]]:
    """List the backups of each agent, with a timeout; failures are named, not raised."""

    async def _one(agent: BackupAgent) -> list[AgentBackup]:
        async with asyncio.timeout(AGENT_TIMEOUT):
            return await agent.async_list_backups()

    results = await asyncio.gather(
        *(_one(agent) for agent in agents.values()), return_exceptions=True
    )
    listed: _Listed = []
    failed: list[str] = []
    for agent_id, result in zip(agents, results, strict=True):
        if isinstance(
            result, BaseException
        ):  # asyncio itself re-raises KeyboardInterrupt
            failed.append(agent_id)
            continue
        listed.extend((agent_id, backup) for backup in result)
    return listed, failed


def _state(
    settings: _Settings,
    listed: Iterable[tuple[str, AgentBackup]],
    failed: list[str],
    ours: str,
    *,
    unasked: tuple[str, ...],
) -> BackupState:
    merged: dict[str, BackupEntry] = {}
    for agent_id, backup in listed:
        entry = _entry(agent_id, backup, ours)
        if (seen := merged.get(entry.backup_id)) is not None:
            entry = BackupEntry(
                backup_id=seen.backup_id,
                date=seen.date or entry.date,
                agent_ids=(*seen.agent_ids, agent_id),
                homeassistant=seen.homeassistant or entry.homeassistant,
                automatic=seen.automatic or entry.automatic,
                protected=seen.protected and entry.protected,
            )
        merged[entry.backup_id] = entry
    return BackupState(
        backups=tuple(merged.values()),
        failed_agents=tuple(sorted(failed)),
        unasked_agents=unasked,
        last_automatic=settings.last_automatic,
        schedule=settings.schedule,
        automatic_agents=settings.automatic_agents,
        password_set=settings.password_set,
        unencrypted_agents=settings.unencrypted_agents,
    )


def _entry(agent_id: str, backup: AgentBackup, ours: str) -> BackupEntry:
    extra = backup.extra_metadata or {}
    return BackupEntry(
        backup_id=backup.backup_id,
        date=_parse_date(backup.date),
        agent_ids=(agent_id,),
        homeassistant=bool(backup.homeassistant_included),
        automatic=extra.get("instance_id") == ours
        and extra.get("with_automatic_settings") is True,
        protected=bool(backup.protected),
    )


def _parse_date(value: str) -> datetime | None:
    parsed = dt_util.parse_datetime(value)
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt_util.UTC)
    return parsed


def async_subscribe_backup_events(
    hass: HomeAssistant, on_done: Callable[[], None]
) -> CALLBACK_TYPE:
    """Call `on_done` when a backup has been created or received; no-op without backups."""

    def _on_event(event: object) -> None:
        if str(getattr(event, "state", "")) == "completed" and str(
            getattr(event, "manager_state", "")
        ) in ("create_backup", "receive_backup"):
            on_done()

    manager = backup_manager(hass)
    subscribe = getattr(manager, "async_subscribe_events", None)
    if subscribe is not None:  # 2025.5 and later: on the manager
        unsubscribe: CALLBACK_TYPE = subscribe(_on_event)
        return unsubscribe
    try:  # 2025.4: a helper that works before the manager exists
        from homeassistant.helpers import backup as backup_helper  # noqa: PLC0415
    except ImportError:  # pragma: no cover - newer releases have the manager method
        return lambda: None
    if backup_helper.DATA_BACKUP not in hass.data:
        return lambda: None
    return backup_helper.async_subscribe_events(hass, _on_event)


async def _async_read(ctx: ScanContext) -> BackupState:
    """The backups; remote agents are asked only when no local backup is recent enough.

    Recent enough: newer than `STALE_AFTER` and than the last change of `secrets.yaml`.
    """
    wanted_since = ctx.now - STALE_AFTER
    secrets_changed = (await ctx.fact(SECRETS_FILE_STATE)).modified
    if secrets_changed is not None:
        wanted_since = max(wanted_since, secrets_changed)
    try:
        return await async_read_backups(
            ctx.hass, cache=ctx.cache.get(REMOTE_BACKUPS), wanted_since=wanted_since
        )
    except Exception as err:  # noqa: BLE001 - the reason is the state the checks report
        LOGGER.debug("Reading the backups failed", exc_info=True)
        return BackupState(
            unavailable=f"could not read the backups: {type(err).__name__}"
        )


BACKUPS: Final = Fact[BackupState](
    name="the backups", gather=_async_read, listen=async_subscribe_backup_events
)
