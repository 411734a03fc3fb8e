"""The config entry as the engine, the checks' fix flows and the announcements know it.

Also the unique ids of the entry's entities (`entity_unique_id`), which the announcements
name too.

The entry's runtime data is the coordinator, and `coordinator.SecurityPostureConfigEntry`
its whole type, for what sits above the coordinator (the platforms, the repairs, the
services). The engine, the checks with their fix flows and the announcements (`events`) sit
below it: the coordinator imports them. They know the entry by the protocols here, which
the coordinator's entry fulfils, so that no import runs back up to the coordinator.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from .store import PostureStore


class Posture(Protocol):
    """What a repair flow does with the coordinator: rescan, accept risks."""

    @property
    def store(self) -> PostureStore:
        """The accepted risks, kept across restarts."""

    async def async_refresh(self) -> None:
        """Scan now."""

    async def async_apply_ignores(self) -> None:
        """Apply the accepted risks to the current report, without rescanning."""


class PostureEntry(Protocol):
    """The integration's config entry, as far as a repair flow uses it."""

    @property
    def runtime_data(self) -> Posture:
        """The coordinator."""


def entity_unique_id(entry_id: str, key: str) -> str:
    """The unique id of the entry's entity described by `key`."""
    return f"{entry_id}_{key}"
