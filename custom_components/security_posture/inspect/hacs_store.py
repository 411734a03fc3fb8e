"""What HACS (the Marketplace from 2026.11) knows about the integrations it installed.

Read offline, from the storage files it writes through Home Assistant's `Store` on every
change (read in the executor; its objects in memory are not an API).

**HACS**, the custom integration (hacs/integration, `utils/data.py`, storage version "6"):

- `.storage/hacs.repositories`: `{"<repository id>": {...}}`; each entry holds only the
  values that differ from their defaults: `full_name`, `category` (`integration`, `plugin`,
  ...), `domain` (an integration's folder under `custom_components`), and for a downloaded
  repository `installed: true`, `archived: true` when GitHub says the repository is
  archived, `version_installed`, ...;
- `.storage/hacs.data`: the same entries as `{"repositories": {"<category>": [{"id": ...,
  ...}]}}`; HACS reads it only when `hacs.repositories` is missing or empty;
- `.storage/hacs.hacs`: `archived_repositories` (full names HACS saw archived; HACS stops
  updating them), `ignored_repositories`, `renamed_repositories`.

**The Marketplace** (`homeassistant.components.marketplace`, Home Assistant 2026.11): HACS
built into core. It sets itself up at the first start, takes the HACS files over as
`.storage/marketplace.repositories` (the same entries) and `.storage/marketplace.common`
(the same lists), then removes the HACS files and `custom_components/hacs` (kept in safe and
recovery mode, the way back). Its files, when there are any, are the current ones.

Repositories removed from the catalog are not stored: both fetch that list when they run and
raise their own repair (`removed_<repository id>`, domain `hacs` or `marketplace`) for each
one still installed, unless the owner told them to ignore it. That repair, in Home
Assistant's issue registry, is how a removal is known here; it is never raised again.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
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
MARKETPLACE_DOMAIN: Final = "marketplace"
INTEGRATION: Final = "integration"
REMOVED_ISSUE: Final = "removed_{}"
"""The repair for an installed repository removed from the catalog (both)."""


@dataclass(frozen=True, kw_only=True, slots=True)
class Manager:
    """Where one package manager keeps what it installed."""

    name: str
    """How the texts name it."""
    domain: str
    """The domain of its repairs."""
    repositories_key: str
    common_key: str
    data_key: str | None = None
    """The older file read when the repositories file is missing or empty."""


HACS_MANAGER: Final = Manager(
    name="HACS",
    domain=HACS_DOMAIN,
    repositories_key="hacs.repositories",
    common_key="hacs.hacs",
    data_key="hacs.data",
)
MARKETPLACE: Final = Manager(
    name="the Marketplace",
    domain=MARKETPLACE_DOMAIN,
    repositories_key="marketplace.repositories",
    common_key="marketplace.common",
)


@dataclass(frozen=True, kw_only=True, slots=True)
class HacsRepository:
    """An integration HACS installed."""

    id: str
    full_name: str
    domain: str
    archived: bool
    removed: bool = False
    """HACS raised its repair: the repository was removed from its catalog."""


@dataclass(frozen=True, kw_only=True)
class HacsFacts:
    """The integrations HACS installed, by folder name (`domain`)."""

    present: bool
    """HACS has storage here: it is (or was) installed."""
    installed: Mapping[str, HacsRepository] = field(default_factory=dict)
    unmapped: int = 0
    """Installed integrations stored without a domain (their folders are unknown)."""
    file: str | None = None
    """The file the repositories were read from."""
    manager: Manager = HACS_MANAGER


def _names(value: Any) -> frozenset[str]:
    """Repository full names from a list (as stored), lower case."""
    if not isinstance(value, list):
        return frozenset()
    return frozenset(name.lower() for name in value if isinstance(name, str))


def _entries(grouped: bool, data: Any) -> Iterator[tuple[str, Mapping[str, Any]]]:  # noqa: FBT001
    """(repository id, entry) of either layout; raises `StorageUnreadable` for others."""
    if not grouped:
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


def _read(config_dir: Path, key: str | None) -> Any | None:
    if key is None:
        return None
    try:
        found = read_storage_data(config_dir, key)
    except StorageUnreadable as err:
        raise StorageUnreadable(f"{storage_path(key)}: {err}") from None
    return None if found is None else found[1]


def _read_manager(config_dir: Path, manager: Manager) -> HacsFacts | None:
    """What one manager stored; None when it has no files here."""
    common = _read(config_dir, manager.common_key)
    key = manager.repositories_key
    repositories = _read(config_dir, key)
    if not repositories and (data := _read(config_dir, manager.data_key)) is not None:
        key, repositories = manager.data_key or key, data
    if common is None and repositories is None:
        return None
    if repositories is None:
        return HacsFacts(present=True, manager=manager)
    archived = (
        _names(common.get("archived_repositories")) if isinstance(common, dict) else ()
    )
    installed: dict[str, HacsRepository] = {}
    unmapped = 0
    try:
        entries = list(_entries(key == manager.data_key, repositories))
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
        present=True,
        installed=installed,
        unmapped=unmapped,
        file=storage_path(key),
        manager=manager,
    )


def read_hacs(config_dir: Path) -> HacsFacts:
    """Read the Marketplace's storage, else HACS' (blocking).

    Raises `StorageUnreadable` naming the file.
    """
    return (
        _read_manager(config_dir, MARKETPLACE)
        or _read_manager(config_dir, HACS_MANAGER)
        or HacsFacts(present=False)
    )


def with_removals(facts: HacsFacts, hass: HomeAssistant) -> HacsFacts:
    """`facts` with the repositories the manager raised its removal repair for."""
    registry = ir.async_get(hass)
    domain = facts.manager.domain
    installed = {
        folder: replace(repo, removed=True)
        if registry.async_get_issue(domain, REMOVED_ISSUE.format(repo.id))
        else repo
        for folder, repo in facts.installed.items()
    }
    return replace(facts, installed=installed)


async def _async_gather(ctx: ScanContext) -> HacsFacts:
    try:
        facts = await ctx.hass.async_add_executor_job(read_hacs, ctx.config_dir)
    except StorageUnreadable as err:
        raise CheckUnknown(str(err)) from None
    return with_removals(facts, ctx.hass)


def _listen(hass: HomeAssistant, request_rescan: Callable[[], None]) -> CALLBACK_TYPE:
    """Rescan when HACS or the Marketplace raises or deletes a removal repair."""
    domains = {HACS_DOMAIN, MARKETPLACE_DOMAIN}

    @callback
    def _updated(event: Event[ir.EventIssueRegistryUpdatedData]) -> None:
        if event.data["domain"] in domains and event.data["issue_id"].startswith(
            REMOVED_ISSUE.format("")
        ):
            request_rescan()

    return hass.bus.async_listen(ir.EVENT_REPAIRS_ISSUE_REGISTRY_UPDATED, _updated)


HACS: Final = Fact[HacsFacts](
    name="the HACS storage", gather=_async_gather, listen=_listen
)
