"""What HACS knows about the integrations it installed, read offline from its storage.

HACS (hacs/integration, `utils/data.py`, storage version "6") writes, through Home
Assistant's `Store`, on every change:

- `.storage/hacs.repositories`: `{"<repository id>": {...}}`; each entry holds only the
  values that differ from their defaults: `full_name`, `category` (`integration`, `plugin`,
  ...), `domain` (an integration's folder under `custom_components`), and for a downloaded
  repository `installed: true`, `archived: true` when GitHub says the repository is
  archived, `version_installed`, ...;
- `.storage/hacs.data`: the same entries as `{"repositories": {"<category>": [{"id": ...,
  ...}]}}`; HACS reads it only when `hacs.repositories` is missing or empty;
- `.storage/hacs.hacs`: `archived_repositories` (full names HACS saw archived; HACS stops
  updating them), `ignored_repositories` (full names whose removal notice the owner
  dismissed in HACS), `renamed_repositories`.

Repositories removed from HACS' default list are not stored: HACS fetches that list when it
runs and raises its own repair (`removed_<repository id>`, domain `hacs`) for each one still
installed, unless the owner told HACS to ignore it. That repair, in Home Assistant's issue
registry, is how a removal is known here; it is never raised again.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Final

from homeassistant.core import callback
from homeassistant.helpers import issue_registry as ir

from ..engine import CheckUnknown, Fact
from .storage_json import StorageUnreadable, read_storage_data, storage_path

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping
    from pathlib import Path

    from homeassistant.core import CALLBACK_TYPE, Event, HomeAssistant

    from ..engine import ScanContext

HACS_DOMAIN: Final = "hacs"
REPOSITORIES_KEY: Final = "hacs.repositories"
DATA_KEY: Final = "hacs.data"
HACS_KEY: Final = "hacs.hacs"
INTEGRATION: Final = "integration"
REMOVED_ISSUE: Final = "removed_{}"
"""HACS' repair for an installed repository removed from HACS (`base.py`)."""


@dataclass(frozen=True, kw_only=True, slots=True)
class HacsRepository:
    """An integration HACS installed."""

    id: str
    full_name: str
    domain: str
    archived: bool
    removed: bool = False
    """HACS raised its repair: the repository was removed from HACS."""


@dataclass(frozen=True, kw_only=True)
class HacsFacts:
    """The integrations HACS installed, by folder name (`domain`)."""

    present: bool
    """HACS has storage here: it is (or was) installed."""
    installed: Mapping[str, HacsRepository]
    unmapped: int = 0
    """Installed integrations HACS stored without a domain (their folders are unknown)."""
    file: str | None = None
    """The file the repositories were read from."""


def _names(value: Any) -> frozenset[str]:
    """Repository full names from a list (as stored), lower case."""
    if not isinstance(value, list):
        return frozenset()
    return frozenset(name.lower() for name in value if isinstance(name, str))


def _entries(key: str, data: Any) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """(repository id, entry) of either layout; raises `StorageUnreadable` for others."""
    if key == REPOSITORIES_KEY:
        if not isinstance(data, dict):
            raise StorageUnreadable("no repositories in the file")
        for repo_id, entry in data.items():
            if isinstance(entry, dict):
                yield str(repo_id), entry
        return
    categories = data.get("repositories") if isinstance(data, dict) else None
    if not isinstance(categories, dict):
        raise StorageUnreadable("no repositories in the file")
    for category, entries in categories.items():
        for entry in entries if isinstance(entries, list) else ():
            if isinstance(entry, dict) and "id" in entry:
                yield str(entry["id"]), {"category": category, **entry}


def _read(config_dir: Path, key: str) -> Any | None:
    found = read_storage_data(config_dir, key)
    return None if found is None else found[1]


def read_hacs(config_dir: Path) -> HacsFacts:
    """Read HACS' storage (blocking). Raises `StorageUnreadable` naming the file."""
    stored: dict[str, Any | None] = {}
    for key in (HACS_KEY, REPOSITORIES_KEY, DATA_KEY):
        try:
            stored[key] = _read(config_dir, key)
        except StorageUnreadable as err:
            raise StorageUnreadable(f"{storage_path(key)}: {err}") from None
    common = stored[HACS_KEY] if isinstance(stored[HACS_KEY], dict) else {}
    archived = _names(common.get("archived_repositories"))
    key = REPOSITORIES_KEY if stored[REPOSITORIES_KEY] else DATA_KEY
    present = any(value is not None for value in stored.values())
    if stored[key] is None:
        return HacsFacts(present=present, installed={})
    installed: dict[str, HacsRepository] = {}
    unmapped = 0
    try:
        entries = list(_entries(key, stored[key]))
    except StorageUnreadable as err:
        raise StorageUnreadable(f"{storage_path(key)}: {err}") from None
    for repo_id, entry in entries:
        if entry.get("category") != INTEGRATION or entry.get("installed") is not True:
            continue
        domain, name = entry.get("domain"), entry.get("full_name")
        if not isinstance(domain, str) or not domain or not isinstance(name, str):
            unmapped += 1
            continue
        installed[domain] = HacsRepository(
            id=repo_id,
            full_name=name,
            domain=domain,
            archived=entry.get("archived") is True or name.lower() in archived,
        )
    return HacsFacts(
        present=present,
        installed=installed,
        unmapped=unmapped,
        file=storage_path(key),
    )


def with_removals(facts: HacsFacts, hass: HomeAssistant) -> HacsFacts:
    """`facts` with the repositories HACS raised its removal repair for."""
    registry = ir.async_get(hass)
    installed = {
        domain: replace(repo, removed=True)
        if registry.async_get_issue(HACS_DOMAIN, REMOVED_ISSUE.format(repo.id))
        else repo
        for domain, repo in facts.installed.items()
    }
    return replace(facts, installed=installed)


async def _async_gather(ctx: ScanContext) -> HacsFacts:
    try:
        facts = await ctx.hass.async_add_executor_job(read_hacs, ctx.config_dir)
    except StorageUnreadable as err:
        raise CheckUnknown(str(err)) from None
    return with_removals(facts, ctx.hass)


def _listen(hass: HomeAssistant, request_rescan: Callable[[], None]) -> CALLBACK_TYPE:
    """Rescan when HACS raises or deletes its removal repair."""

    @callback
    def _updated(event: Event[ir.EventIssueRegistryUpdatedData]) -> None:
        if event.data["domain"] == HACS_DOMAIN and event.data["issue_id"].startswith(
            REMOVED_ISSUE.format("")
        ):
            request_rescan()

    return hass.bus.async_listen(ir.EVENT_REPAIRS_ISSUE_REGISTRY_UPDATED, _updated)


HACS: Final = Fact[HacsFacts](
    name="HACS' storage", gather=_async_gather, listen=_listen
)
