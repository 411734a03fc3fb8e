"""The secrets family, second part: where secrets can leak other than the configuration.

- `secrets_file_permissions`: `secrets.yaml` readable by group or others.
- `secrets_not_ignored`: the configuration is in a git work tree and `secrets.yaml` (at any
  depth) or `.storage/` is tracked, or not ignored (`git add -A` would commit it).
- `secrets_served`: sensitive names under `www/`, which `/local/` serves without login.
- `backup_missing` / `backup_stale` / `backup_unencrypted`: the backup integration (which
  also fronts Supervisor's backups): no backup of the configuration; the newest one older
  than 7 days or older than the last change of `secrets.yaml`; automatic backups stored
  without encryption.

Each reader's trouble only makes its own checks `unknown`: a missing backup integration does
not hide a world-readable `secrets.yaml`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Final

from ..const import LOGGER
from ..engine import CheckUnknown, NotApplicable, ScanContext
from ..inspect.backups import (
    BackupState,
    async_read_backups,
    async_subscribe_backup_events,
)
from ..inspect.git_state import GitState, read_git_state
from ..inspect.graph_reader import async_get_config_graph
from ..inspect.secret_files import (
    SECRETS_FILE,
    WWW_DIR,
    SecretsFileState,
    read_lookup_secrets_files,
    read_secrets_file,
)
from ..inspect.www_files import (
    MAX_WWW_ENTRIES,
    MAX_WWW_HITS,
    ServedKind,
    WwwState,
    scan_www,
)
from ..markdown import Markdown, code, escape
from ..model import Family, Hit, Severity
from .legacy import FamilyChecks, LegacyCheck, legacy_cache

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from homeassistant.core import CALLBACK_TYPE, HomeAssistant

URL_SECRETS: Final = "https://www.home-assistant.io/docs/configuration/secrets/"
URL_SECURING: Final = "https://www.home-assistant.io/docs/configuration/securing/"
URL_HOSTING_FILES: Final = (
    "https://www.home-assistant.io/integrations/http/#hosting-files"
)
URL_BACKUP: Final = "https://www.home-assistant.io/integrations/backup/"

GROUP_OR_OTHERS_READ: Final = 0o044
STALE_AFTER: Final = timedelta(days=7)
MAX_UNREADABLE_NOTES: Final = 10

CHECK_PERMISSIONS: Final = "secrets_file_permissions"
CHECK_NOT_IGNORED: Final = "secrets_not_ignored"
CHECK_SERVED: Final = "secrets_served"
CHECK_MISSING: Final = "backup_missing"
CHECK_STALE: Final = "backup_stale"
CHECK_UNENCRYPTED: Final = "backup_unencrypted"
BACKUP_CHECKS: Final = frozenset({CHECK_MISSING, CHECK_STALE, CHECK_UNENCRYPTED})

BACKUPS_SUBJECT: Final = "backups"
AUTOMATIC_SUBJECT: Final = "automatic_backups"


@dataclass(frozen=True, kw_only=True)
class HygieneFacts:
    """What the readers found; a reader skipped because its checks are disabled is None."""

    secrets_file: SecretsFileState
    git: GitState | None
    www: WwwState | None
    backups: BackupState | None
    nested_secrets: tuple[SecretsFileState, ...] = ()
    """Every other `secrets.yaml` on a lookup path of the configuration's files."""


# --- gathering -----------------------------------------------------------------------------


async def _async_gather(ctx: ScanContext) -> HygieneFacts:
    """Read everything the enabled checks need; blocking reads go to the executor."""
    disabled = ctx.options.disabled_checks
    secrets_file = await _async_secrets_file(ctx)
    git = None if CHECK_NOT_IGNORED in disabled else await _async_git(ctx)
    www = None if CHECK_SERVED in disabled else await _async_www(ctx)
    backups = None
    if not disabled >= BACKUP_CHECKS:
        backups = await _async_backups(ctx, secrets_file.modified)
    nested = await _async_nested_secrets(ctx)
    return HygieneFacts(
        secrets_file=secrets_file,
        git=git,
        www=www,
        backups=backups,
        nested_secrets=nested,
    )


async def _async_nested_secrets(ctx: ScanContext) -> tuple[SecretsFileState, ...]:
    """The `secrets.yaml` files below the configuration directory that lookups reach."""
    try:
        graph = await async_get_config_graph(ctx)
        return await ctx.hass.async_add_executor_job(
            read_lookup_secrets_files, ctx.config_dir, [f.path for f in graph.files]
        )
    except Exception:  # noqa: BLE001 - the main secrets.yaml is still checked
        LOGGER.debug("Reading the nested secrets files failed", exc_info=True)
        return ()


async def _async_secrets_file(ctx: ScanContext) -> SecretsFileState:
    try:
        return await ctx.hass.async_add_executor_job(read_secrets_file, ctx.config_dir)
    except Exception as err:  # noqa: BLE001 - one reader must not hide the others
        LOGGER.debug("Reading %s failed", SECRETS_FILE, exc_info=True)
        return SecretsFileState(
            exists=True, error=f"could not read: {type(err).__name__}"
        )


async def _async_git(ctx: ScanContext) -> GitState:
    try:
        return await ctx.hass.async_add_executor_job(read_git_state, ctx.config_dir)
    except Exception as err:  # noqa: BLE001
        LOGGER.debug("Reading the git state failed", exc_info=True)
        return GitState(work_tree=None, error=f"could not read: {type(err).__name__}")


async def _async_www(ctx: ScanContext) -> WwwState:
    try:
        www = await ctx.hass.async_add_executor_job(scan_www, ctx.config_dir)
    except Exception as err:  # noqa: BLE001
        LOGGER.debug("Walking %s failed", WWW_DIR, exc_info=True)
        return WwwState(exists=True, error=f"could not read: {type(err).__name__}")
    if www.truncated:
        ctx.note(
            Family.SECRETS,
            f"more than {MAX_WWW_ENTRIES} entries: only the first {MAX_WWW_ENTRIES} names "
            "were checked",
            WWW_DIR,
        )
    if www.more_hits:
        ctx.note(
            Family.SECRETS,
            f"more than {MAX_WWW_HITS} sensitive names: only the first {MAX_WWW_HITS} "
            "are reported",
            WWW_DIR,
        )
    for rel in www.unreadable[:MAX_UNREADABLE_NOTES]:
        ctx.note(Family.SECRETS, "cannot list this folder", rel)
    return www


async def _async_backups(
    ctx: ScanContext, secrets_changed: datetime | None
) -> BackupState:
    wanted_since = ctx.now - STALE_AFTER
    if secrets_changed is not None:
        wanted_since = max(wanted_since, secrets_changed)
    try:
        return await async_read_backups(
            ctx.hass, cache=legacy_cache(ctx), wanted_since=wanted_since
        )
    except Exception as err:  # noqa: BLE001
        LOGGER.debug("Reading the backups failed", exc_info=True)
        return BackupState(
            unavailable=f"could not read the backups: {type(err).__name__}"
        )


# --- checks --------------------------------------------------------------------------------


def _file_permissions(facts: HygieneFacts, ctx: ScanContext) -> Iterator[Hit]:
    """Every `secrets.yaml` Home Assistant reads: the main one and those on lookup paths."""
    existing = [s for s in (facts.secrets_file, *facts.nested_secrets) if s.exists]
    if not existing:
        raise NotApplicable(f"there is no {SECRETS_FILE}")
    hits = [hit for state in existing if (hit := _readable_hit(state)) is not None]
    errors = [s.error for s in existing if s.error is not None]
    if errors and not hits:
        raise CheckUnknown(errors[0])
    if not hits and all(s.mode is None for s in existing):
        raise NotApplicable(f"there is no {SECRETS_FILE}")
    yield from hits


def _readable_hit(state: SecretsFileState) -> Hit | None:
    if state.mode is None or not (readable := state.mode & GROUP_OR_OTHERS_READ):
        return None
    who = {0o040: "its group", 0o004: "every user"}.get(
        readable, "its group and every user"
    )
    return Hit(
        subject=state.path,
        title=f"{state.path} can be read by {who} (mode {state.mode:03o})",
        file=state.path,
        placeholders={"file": state.path, "mode": f"{state.mode:03o}"},
    )


def _not_ignored(facts: HygieneFacts, ctx: ScanContext) -> Iterator[Hit]:
    git = _needed(facts.git)
    if git.error is not None:
        raise CheckUnknown(git.error)
    if git.work_tree is None:
        raise NotApplicable("the configuration directory is not in a git work tree")
    how = (
        ""
        if git.limitation is None
        else escape(f" (judged from .gitignore alone: {git.limitation})")
    )
    for exposure in git.exposures:
        path = code(exposure.path)
        if exposure.tracked:
            state = "is tracked by git"
            detail = Markdown(f"{path} is tracked by git (committed or staged)")
        else:
            state = "is not ignored by git"
            detail = Markdown(
                f"nothing ignores {path}, so `git add` would commit it{how}"
            )
        yield Hit(
            subject=exposure.path,
            title=f"{exposure.path} {state}",
            file=exposure.path,
            placeholders={"file": exposure.path, "detail": detail},
        )
    if not git.exposures and git.limitation is not None:
        raise NotApplicable(
            f"ignored according to .gitignore; {git.limitation}, so a file committed "
            "before it was ignored cannot be seen"
        )


_KIND_TITLES: Final = {
    ServedKind.SECRETS: "Secrets file",
    ServedKind.STORAGE: "File from .storage",
    ServedKind.STORAGE_DIR: "Copy of .storage",
    ServedKind.BACKUP: "Backup",
    ServedKind.PRIVATE_KEY: "Private key",
    ServedKind.DATABASE: "Database",
}


def _served(facts: HygieneFacts, ctx: ScanContext) -> Iterator[Hit]:
    www = _needed(facts.www)
    if www.error is not None:
        raise CheckUnknown(www.error)
    if not www.exists:
        raise NotApplicable(f"there is no {WWW_DIR} folder")
    for served in www.served:
        yield Hit(
            subject=served.path,
            title=f"{_KIND_TITLES[served.kind]} served without login: {served.path}",
            file=served.path,
            placeholders={"file": served.path, "kind": str(served.kind)},
        )
    if not www.served and www.truncated:
        raise NotApplicable(
            f"none found, but only the first {MAX_WWW_ENTRIES} names under {WWW_DIR}/ "
            "were checked"
        )


def _backups(facts: HygieneFacts) -> BackupState:
    backups = _needed(facts.backups)
    if backups.unavailable is not None:
        raise CheckUnknown(backups.unavailable)
    return backups


def _unlisted(backups: BackupState, what: str) -> CheckUnknown:
    return CheckUnknown(
        f"{what}, but {', '.join(backups.failed_agents)} could not be listed"
    )


def _missing(facts: HygieneFacts, ctx: ScanContext) -> Iterator[Hit]:
    backups = _backups(facts)
    if backups.newest is not None:
        return
    if backups.failed_agents:
        raise _unlisted(backups, "no backup found")
    partial = any(not b.homeassistant for b in backups.backups)
    yield Hit(
        subject=BACKUPS_SUBJECT,
        title="No backup holds Home Assistant's configuration"
        if partial
        else "No backup exists",
    )


def _stale(facts: HygieneFacts, ctx: ScanContext) -> Iterator[Hit]:
    backups = _backups(facts)
    newest = backups.newest
    if newest is None:
        if backups.failed_agents:
            raise _unlisted(backups, "no backup found")
        raise NotApplicable(f"there is no backup (see {CHECK_MISSING})")
    made = newest.date().isoformat()
    changed = facts.secrets_file.modified
    if ctx.now - newest > STALE_AFTER:
        days = (ctx.now - newest).days
        detail = f"The newest backup is {days} days old (made on {made})."
        title = f"The newest backup is {days} days old"
    elif changed is not None and changed > newest:
        detail = Markdown(
            f"{code(SECRETS_FILE)} changed after the newest backup (made on {made}), "
            "so no backup holds the change."
        )
        title = f"{SECRETS_FILE} changed after the newest backup"
    else:
        return
    if backups.failed_agents:
        raise _unlisted(backups, f"the newest backup found was made on {made}")
    yield Hit(
        subject=BACKUPS_SUBJECT,
        title=title,
        placeholders={"detail": detail, "newest": made},
    )


def _unencrypted(facts: HygieneFacts, ctx: ScanContext) -> Iterator[Hit]:
    backups = _backups(facts)
    if not backups.automatic_configured:
        raise NotApplicable("automatic backups are not set up")
    if backups.password_set and not backups.unencrypted_agents:
        return
    locations = ", ".join(backups.unencrypted_agents) or "every location"
    yield Hit(
        subject=AUTOMATIC_SUBJECT,
        title="Automatic backups are not encrypted"
        if not backups.password_set
        else f"Automatic backups to {locations} are not encrypted",
        placeholders={"locations": locations},
    )


def _needed[T](fact: T | None) -> T:
    """A fact the engine read because the check is enabled."""
    if fact is None:  # pragma: no cover - the engine never runs a disabled check
        raise CheckUnknown("not read: the check is disabled")
    return fact


def _listen(hass: HomeAssistant, request_rescan: Callable[[], None]) -> CALLBACK_TYPE:
    """Rescan when a backup has been created or uploaded."""
    return async_subscribe_backup_events(hass, request_rescan)


FAMILY: FamilyChecks[HygieneFacts] = FamilyChecks(
    family=Family.SECRETS,
    gather=_async_gather,
    checks=(
        LegacyCheck(
            id=CHECK_PERMISSIONS,
            severity=Severity.MEDIUM,
            learn_more_url=URL_SECRETS,
            inspect=_file_permissions,
        ),
        LegacyCheck(
            id=CHECK_NOT_IGNORED,
            severity=Severity.MEDIUM,
            learn_more_url=URL_SECURING,
            inspect=_not_ignored,
        ),
        LegacyCheck(
            id=CHECK_SERVED,
            severity=Severity.CRITICAL,
            learn_more_url=URL_HOSTING_FILES,
            inspect=_served,
        ),
        LegacyCheck(
            id=CHECK_MISSING,
            severity=Severity.HIGH,
            learn_more_url=URL_BACKUP,
            inspect=_missing,
        ),
        LegacyCheck(
            id=CHECK_STALE,
            severity=Severity.MEDIUM,
            learn_more_url=URL_BACKUP,
            inspect=_stale,
        ),
        LegacyCheck(
            id=CHECK_UNENCRYPTED,
            severity=Severity.MEDIUM,
            learn_more_url=URL_BACKUP,
            inspect=_unencrypted,
        ),
    ),
    listen=_listen,
)
