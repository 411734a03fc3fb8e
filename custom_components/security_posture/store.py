"""What survives restarts: accepted risks, the findings already announced, the login sources.

Only finding ids, check ids, timestamps and the user's own reason are stored, and for logins
the addresses and clients each person used (see `logins`); never a value, never a token or
its id.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NotRequired, TypedDict, cast, override

from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from .const import STORAGE_KEY, STORAGE_VERSION

if TYPE_CHECKING:
    from collections.abc import Mapping

    from homeassistant.core import HomeAssistant

    from .logins import LoginsData


class IgnoreData(TypedDict):
    """An accepted risk."""

    reason: str | None
    at: str


class KnownFinding(TypedDict):
    """A finding seen by the last scan, as much as a "resolved" event needs."""

    check: str
    family: str
    severity: str
    title: str


class StoreData(TypedDict):
    """The storage file's content."""

    ignored: dict[str, IgnoreData]
    known: dict[str, KnownFinding]  # finding id -> summary, as of the last scan
    logins: NotRequired[LoginsData]  # missing until the sessions were first looked at


SAVE_DELAY = 5


class _Store(Store[StoreData]):
    """Home Assistant's Store, refusing what a newer Security Posture wrote."""

    @override
    async def _async_migrate_func(
        self, old_major_version: int, old_minor_version: int, old_data: dict[str, Any]
    ) -> StoreData:
        """Read older minor versions as they are; a newer major version is an error.

        Newer Home Assistant releases raise for a newer major version themselves; on older
        ones the base class raises NotImplementedError.
        """
        if old_major_version > STORAGE_VERSION:
            raise HomeAssistantError(
                f"{STORAGE_KEY} has storage version {old_major_version}, newer than "
                f"the {STORAGE_VERSION} this release of Security Posture reads"
            )
        return cast("StoreData", old_data)


class PostureStore:
    """Ignores and known findings, saved with Home Assistant's Store."""

    def __init__(self, hass: HomeAssistant) -> None:
        """Create the store; call async_load before use."""
        self._store = _Store(hass, STORAGE_VERSION, STORAGE_KEY)
        self._data: StoreData = {"ignored": {}, "known": {}}

    async def async_load(self) -> None:
        """Load what was saved, if anything.

        Raises HomeAssistantError when the file cannot be read (or a newer release wrote
        it): going on would overwrite the accepted risks with an empty list.
        """
        if (data := await self._store.async_load()) is not None:
            self._data = {
                "ignored": dict(data.get("ignored", {})),
                "known": dict(data.get("known", {})),
            }
            if isinstance(logins := data.get("logins"), dict):
                self._data["logins"] = logins

    @property
    def ignored(self) -> frozenset[str]:
        """Ids of the findings whose risk is accepted."""
        return frozenset(self._data["ignored"])

    def accepted(self, finding_id: str) -> IgnoreData | None:
        """When and why the risk of a finding was accepted; None when it was not."""
        return self._data["ignored"].get(finding_id)

    @property
    def known(self) -> dict[str, KnownFinding]:
        """Finding id -> summary of every finding seen by the last scan."""
        return dict(self._data["known"])

    def ignore(self, finding_id: str, reason: str | None) -> None:
        """Accept the risk of a finding."""
        self._data["ignored"][finding_id] = {
            "reason": reason,
            "at": dt_util.utcnow().isoformat(),
        }
        self._save()

    def ignore_all(self, finding_ids: list[str], reason: str | None) -> None:
        """Accept the risk of many findings at once (one save)."""
        at = dt_util.utcnow().isoformat()
        for finding_id in finding_ids:
            self._data["ignored"][finding_id] = {"reason": reason, "at": at}
        self._save()

    def unignore(self, finding_id: str) -> bool:
        """Count a finding again; False when it was not ignored."""
        if self._data["ignored"].pop(finding_id, None) is None:
            return False
        self._save()
        return True

    @property
    def known_view(self) -> Mapping[str, KnownFinding]:
        """The findings seen by the last scan, not copied: read it, never change it."""
        return self._data["known"]

    def replace_known(self, known: dict[str, KnownFinding]) -> None:
        """Remember the findings of the last scan (they differ from the stored ones)."""
        self._data["known"] = known
        self._save()

    @property
    def logins(self) -> LoginsData | None:
        """What is known of the login sources; None before the first look at the sessions."""
        return self._data.get("logins")

    def replace_logins(self, logins: LoginsData) -> None:
        """Remember the login sources."""
        self._data["logins"] = logins
        self._save()

    def _save(self) -> None:
        self._store.async_delay_save(lambda: self._data, SAVE_DELAY)

    async def async_flush(self) -> None:
        """Write pending changes now (on unload)."""
        await self._store.async_save(self._data)

    async def async_remove(self) -> None:
        """Delete the storage file (when the entry is removed)."""
        await self._store.async_remove()
