"""The custom integrations in `custom_components/`, and the code they bring from elsewhere.

A custom integration is what Home Assistant's loader takes for one
(`loader.Integration.resolve_from_root`, both releases): a folder of `custom_components/`
(a symbolic link to a folder counts) holding a `manifest.json` that is a JSON object. A
manifest that is not valid JSON is skipped by the loader, and here too (noted); so is a
custom integration a built-in one took over (2026.11: `hacs`, now the Marketplace).

For each one this reader finds, for certain, the code it loads from outside its folder:

- **requirements from a URL**: a manifest `requirements` entry that Home Assistant hands to
  the package installer as a URL instead of a package name from the index: a direct
  reference (`name @ git+https://...`, `name @ https://.../x.zip`, `name @ file:///...`),
  the old form `git+https://...#name` that core still accepts, or any entry naming a URL
  (`--extra-index-url=https://...` would even change where every package comes from);
- **folders put on the import path**: `sys.path` or `site.addsitedir` additions that the
  source says beyond doubt point outside the folder (`python_paths`);
- **a folder that lives elsewhere**: the folder is a symbolic link to a place outside the
  configuration directory.

Python files are read like every other file (regular, bounded) and parsed, never run, in the
executor; a file that changed since the last scan is parsed again, the others come from the
cache (keyed by path and (mtime, size, inode)). URLs are shown without credentials.
"""

# Paths are compared lexically with os.path, as Python's import system uses them.
# ruff: noqa: PTH100, PTH114, PTH116, PTH118

from __future__ import annotations

from dataclasses import dataclass
import json
import os
import posixpath
from typing import TYPE_CHECKING, Any, Final

from homeassistant.loader import BLOCKED_CUSTOM_INTEGRATIONS
from packaging.requirements import InvalidRequirement, Requirement

from ..engine import Fact, Slot
from ..model import Family
from .masking import mask_credentials, mask_path
from .python_paths import imported_paths
from .remote_urls import show_url
from .safe_read import ReadRefused, os_reason, read_regular

if TYPE_CHECKING:
    from collections.abc import MutableMapping
    from pathlib import Path

    from ..engine import ScanContext

CUSTOM_COMPONENTS: Final = "custom_components"
MANIFEST: Final = "manifest.json"
MAX_MANIFEST_BYTES: Final = 1024 * 1024
MAX_SOURCE_BYTES: Final = 2 * 1024 * 1024
MAX_SOURCE_FILES: Final = 2000
"""Python files read per integration; more are left out (and noted)."""
_SKIPPED_DIRS: Final = frozenset({"__pycache__"})

type StatKey = tuple[int, int, int]


@dataclass(frozen=True, kw_only=True, slots=True)
class CustomIntegration:
    """One custom integration and what it loads from outside its folder."""

    domain: str
    """The folder's name under `custom_components/`."""
    name: str | None
    version: str | None
    url_requirements: tuple[str, ...] = ()
    """Requirements installed from a URL, as shown (no credentials)."""
    import_paths: tuple[str, ...] = ()
    """Folders outside its own that it puts on the import path, as shown."""
    linked_to: str | None = None
    """Where the folder links to, when that is outside the configuration directory."""

    @property
    def folder(self) -> str:
        """The folder, relative to the configuration directory."""
        return f"{CUSTOM_COMPONENTS}/{self.domain}"


@dataclass(frozen=True, kw_only=True)
class CustomIntegrations:
    """Every custom integration, and what could not be read (file, reason)."""

    integrations: tuple[CustomIntegration, ...]
    problems: tuple[tuple[str, str], ...] = ()


def url_requirement(requirement: str) -> str | None:
    """How a requirement installed from a URL is shown; None for one from the index."""
    text = requirement.strip()
    try:
        parsed = Requirement(text)
    except InvalidRequirement:
        parsed = None
    if parsed is not None:
        return None if parsed.url is None else f"{parsed.name} @ {show_url(parsed.url)}"
    if (separator := text.find("://")) < 0:
        return None  # a name core rejects, or a path: not a URL we are sure of
    start = separator
    while start > 0 and (
        (text[start - 1].isascii() and text[start - 1].isalnum())
        or text[start - 1] in "+.-"
    ):
        start -= 1
    end = next((i for i in range(separator, len(text)) if text[i].isspace()), len(text))
    prefix, shown = text[:start], show_url(text[start:end])
    return f"{prefix}{shown}" if mask_credentials(prefix) == prefix else shown


def _stat_key(st: os.stat_result) -> StatKey:
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def _inside(path: str, folders: tuple[str, ...]) -> bool:
    return any(path == folder or path.startswith(f"{folder}/") for folder in folders)


def _shown_path(path: str, config_dir: str) -> str:
    if _inside(path, (config_dir,)):
        return mask_path(posixpath.relpath(path, config_dir))
    return mask_path(path)


class _Reader:
    """One scan of `custom_components/` (blocking)."""

    def __init__(
        self,
        config_dir: Path,
        cache: MutableMapping[str, Any],
        replaced: frozenset[str],
    ) -> None:
        self.replaced = replaced
        self.config_dir = os.path.abspath(config_dir)
        self.real_config_dir = os.path.realpath(self.config_dir)
        self.cache = cache
        self.problems: list[tuple[str, str]] = []
        self.seen: set[str] = set()

    def read(self) -> CustomIntegrations:
        root = os.path.join(self.config_dir, CUSTOM_COMPONENTS)
        try:
            names = sorted(
                entry.name
                for entry in os.scandir(root)
                if entry.is_dir() and entry.name not in self.replaced
            )
        except FileNotFoundError:
            names = []
        except NotADirectoryError:
            self.problems.append((CUSTOM_COMPONENTS, "not a folder"))
            names = []
        except OSError as err:
            self.problems.append((CUSTOM_COMPONENTS, os_reason(err)))
            names = []
        found = [c for name in names if (c := self.integration(root, name)) is not None]
        for stale in set(self.cache) - self.seen:
            del self.cache[stale]
        return CustomIntegrations(
            integrations=tuple(found), problems=tuple(self.problems)
        )

    def integration(self, root: str, domain: str) -> CustomIntegration | None:
        folder = os.path.join(root, domain)
        rel = f"{CUSTOM_COMPONENTS}/{domain}/{MANIFEST}"
        try:
            _, raw = read_regular(os.path.join(folder, MANIFEST), MAX_MANIFEST_BYTES)
        except ReadRefused as err:
            if not err.missing:
                self.problems.append((mask_path(rel), err.reason))
            return None
        try:
            manifest = json.loads(raw)
        except (ValueError, RecursionError):
            manifest = None
        if not isinstance(manifest, dict):
            self.problems.append((mask_path(rel), "not a JSON object: not loaded"))
            return None
        requirements = manifest.get("requirements")
        urls = tuple(
            shown
            for requirement in (requirements if isinstance(requirements, list) else ())
            if isinstance(requirement, str)
            and (shown := url_requirement(requirement)) is not None
        )
        real = os.path.realpath(folder)
        linked = os.path.islink(folder) and not _inside(real, (self.real_config_dir,))
        name, version = manifest.get("name"), manifest.get("version")
        return CustomIntegration(
            domain=domain,
            name=mask_credentials(name) if isinstance(name, str) else None,
            version=mask_credentials(version) if isinstance(version, str) else None,
            url_requirements=urls,
            import_paths=self.import_paths(folder, real),
            linked_to=mask_path(real) if linked else None,
        )

    def import_paths(self, folder: str, real: str) -> tuple[str, ...]:
        outside: dict[str, None] = {}
        files = 0
        for directory, subdirs, filenames in os.walk(folder):
            subdirs[:] = sorted(d for d in subdirs if d not in _SKIPPED_DIRS)
            for filename in sorted(filenames):
                if not filename.endswith(".py"):
                    continue
                files += 1
                if files > MAX_SOURCE_FILES:
                    rel = posixpath.relpath(folder, self.config_dir)
                    self.problems.append(
                        (mask_path(rel), f"more than {MAX_SOURCE_FILES} Python files")
                    )
                    return tuple(outside)
                path = os.path.join(directory, filename)
                for added in self.added_paths(path):
                    if not _inside(added, (folder, real)):
                        outside[_shown_path(added, self.config_dir)] = None
        return tuple(outside)

    def added_paths(self, path: str) -> list[str]:
        """Absolute folders the module at `path` adds to the import path (cached)."""
        self.seen.add(path)
        rel = mask_path(posixpath.relpath(path, self.config_dir))
        try:
            known = self.cache.get(path)
            if known is not None and known[0] == _stat_key(os.stat(path)):
                return list(known[1])
            st, raw = read_regular(path, MAX_SOURCE_BYTES)
        except OSError as err:
            self.problems.append((rel, os_reason(err)))
            return []
        except ReadRefused as err:
            self.problems.append((rel, err.reason))
            return []
        key = _stat_key(st)
        try:
            added, _unknown = imported_paths(raw.decode("utf-8"), path)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            self.problems.append((rel, "not valid Python"))
            added = []
        self.cache[path] = (key, tuple(added))
        return added


def read_custom_integrations(
    config_dir: Path,
    cache: MutableMapping[str, Any],
    replaced: frozenset[str] = frozenset(),
) -> CustomIntegrations:
    """Every custom integration under `config_dir` (blocking: run it in the executor).

    `cache` maps Python files to what they add to the import path; pass the same mapping on
    every scan. `replaced` are domains the loader never loads (taken over by a built-in
    integration).
    """
    return _Reader(config_dir, cache, replaced).read()


def replaced_domains() -> frozenset[str]:
    """Custom integrations a built-in one took over: the loader skips them (2026.11+).

    `homeassistant.loader.BLOCKED_CUSTOM_INTEGRATIONS` entries with a `replaced_by` (`hacs`
    by the Marketplace); earlier releases have no `replaced_by`, and none.
    """
    return frozenset(
        domain
        for domain, blocked in BLOCKED_CUSTOM_INTEGRATIONS.items()
        if getattr(blocked, "replaced_by", None) is not None
    )


SOURCES_CACHE: Final = Slot[dict[str, Any]](
    name="custom integration sources", factory=dict
)


async def _async_gather(ctx: ScanContext) -> CustomIntegrations:
    found: CustomIntegrations = await ctx.hass.async_add_executor_job(
        read_custom_integrations,
        ctx.config_dir,
        ctx.cache.get(SOURCES_CACHE),
        replaced_domains(),
    )
    for file, reason in found.problems:
        ctx.note(Family.SUPPLY_CHAIN, reason, file)
    return found


CUSTOM_INTEGRATIONS: Final = Fact[CustomIntegrations](
    name="the custom integrations", gather=_async_gather
)
