"""What HACS knows about the integrations it installed, read from its storage files."""

from __future__ import annotations

from pathlib import Path

from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
import pytest

from custom_components.security_posture.inspect.hacs_store import (
    HACS_MANAGER,
    MARKETPLACE,
    HacsRepository,
    read_hacs,
    with_removals,
)
from custom_components.security_posture.inspect.storage_json import StorageUnreadable

from .supply_helpers import hacs_entry, write_storage


def test_no_hacs(tmp_path: Path) -> None:
    facts = read_hacs(tmp_path)
    assert not facts.present
    assert facts.installed == {}


def test_repositories_file(tmp_path: Path) -> None:
    write_storage(
        tmp_path,
        "hacs.hacs",
        {
            "archived_repositories": ["Someone/Old-Integration", 3],
            "ignored_repositories": ["someone/ignored"],
            "renamed_repositories": {},
        },
        version="6",
    )
    write_storage(
        tmp_path,
        "hacs.repositories",
        {
            "172733314": hacs_entry("hacs", "hacs/integration"),
            "1": hacs_entry("fresh", "someone/fresh"),
            "2": hacs_entry("stale", "someone/stale", archived=True),
            "3": hacs_entry("old", "someone/old-integration"),
            "4": hacs_entry("ignored", "someone/ignored"),
            "5": hacs_entry("notdownloaded", "someone/notdownloaded", installed=False),
            "6": {**hacs_entry("card", "someone/card"), "category": "plugin"},
            "7": {**hacs_entry("x", "someone/x"), "domain": None},
            "8": "not an entry",
        },
        version="6",
    )
    facts = read_hacs(tmp_path)
    assert facts.present
    assert facts.file == ".storage/hacs.repositories"
    assert facts.unmapped == 1
    assert facts.installed == {
        "hacs": HacsRepository(
            id="172733314", full_name="hacs/integration", domain="hacs", archived=False
        ),
        "fresh": HacsRepository(
            id="1", full_name="someone/fresh", domain="fresh", archived=False
        ),
        "stale": HacsRepository(
            id="2", full_name="someone/stale", domain="stale", archived=True
        ),
        "old": HacsRepository(
            id="3", full_name="someone/old-integration", domain="old", archived=True
        ),
        "ignored": HacsRepository(
            id="4", full_name="someone/ignored", domain="ignored", archived=False
        ),
    }


def test_data_file_when_repositories_is_empty(tmp_path: Path) -> None:
    write_storage(tmp_path, "hacs.repositories", {}, version="6")
    write_storage(
        tmp_path,
        "hacs.data",
        {
            "repositories": {
                "integration": [
                    {"id": "9", **hacs_entry("fromdata", "someone/fromdata")},
                    {"id": "10", "full_name": "someone/notdownloaded"},
                    {"full_name": "no/id"},
                ],
                "plugin": [
                    {"id": "11", "full_name": "someone/card", "installed": True}
                ],
                "theme": "not a list",
            }
        },
        version="6",
    )
    facts = read_hacs(tmp_path)
    assert facts.file == ".storage/hacs.data"
    assert list(facts.installed) == ["fromdata"]
    assert facts.installed["fromdata"].id == "9"


def test_only_the_common_file(tmp_path: Path) -> None:
    write_storage(tmp_path, "hacs.hacs", {"archived_repositories": []}, version="6")
    facts = read_hacs(tmp_path)
    assert facts.present
    assert facts.installed == {}
    assert facts.file is None


@pytest.mark.parametrize(
    ("key", "data", "reason"),
    [
        (
            "hacs.repositories",
            ["a list"],
            ".storage/hacs.repositories: no repositories",
        ),
        ("hacs.data", {"repositories": []}, ".storage/hacs.data: no repositories"),
    ],
)
def test_other_shapes_are_unreadable(
    tmp_path: Path, key: str, data: object, reason: str
) -> None:
    write_storage(tmp_path, key, data, version="6")
    with pytest.raises(StorageUnreadable, match=reason):
        read_hacs(tmp_path)


def test_broken_file_is_unreadable(tmp_path: Path) -> None:
    (tmp_path / ".storage").mkdir()
    (tmp_path / ".storage" / "hacs.hacs").write_text("{", encoding="utf-8")
    with pytest.raises(
        StorageUnreadable, match=r"\.storage/hacs\.hacs: not valid JSON"
    ):
        read_hacs(tmp_path)


def test_the_marketplace_files_win(tmp_path: Path) -> None:
    """2026.11: the Marketplace took the HACS files over; in safe mode both are there."""
    write_storage(
        tmp_path,
        "hacs.repositories",
        {"1": hacs_entry("old", "someone/old")},
        version="6",
    )
    write_storage(
        tmp_path,
        "marketplace.repositories",
        {
            "1": hacs_entry("old", "someone/old"),
            "2": hacs_entry("new", "someone/new"),
            "3": hacs_entry("gone", "someone/gone", installed=False),
        },
    )
    write_storage(
        tmp_path,
        "marketplace.common",
        {"archived_repositories": ["someone/new"], "custom_repositories": []},
    )
    facts = read_hacs(tmp_path)
    assert facts.manager is MARKETPLACE
    assert facts.file == ".storage/marketplace.repositories"
    assert sorted(facts.installed) == ["new", "old"]
    assert facts.installed["new"].archived


def test_the_marketplace_without_repositories(tmp_path: Path) -> None:
    write_storage(tmp_path, "marketplace.common", {"archived_repositories": []})
    write_storage(
        tmp_path, "hacs.repositories", {"1": hacs_entry("x", "someone/x")}, version="6"
    )
    facts = read_hacs(tmp_path)
    assert facts.manager is MARKETPLACE
    assert facts.present
    assert facts.installed == {}


def test_hacs_is_the_manager_before_the_marketplace(tmp_path: Path) -> None:
    write_storage(
        tmp_path, "hacs.repositories", {"1": hacs_entry("x", "someone/x")}, version="6"
    )
    assert read_hacs(tmp_path).manager is HACS_MANAGER


@pytest.mark.parametrize(
    ("key", "version", "domain"),
    [
        ("hacs.repositories", "6", "hacs"),
        ("marketplace.repositories", 1, "marketplace"),
    ],
)
async def test_removals_come_from_the_managers_own_repair(
    hass: HomeAssistant, tmp_path: Path, key: str, version: object, domain: str
) -> None:
    write_storage(
        tmp_path,
        key,
        {
            "7": hacs_entry("pulled", "someone/pulled"),
            "8": hacs_entry("kept", "a/kept"),
        },
        version=version,
    )
    other = "marketplace" if domain == "hacs" else "hacs"
    for issue_domain, issue_id in ((domain, "removed_7"), (other, "removed_8")):
        ir.async_create_issue(
            hass,
            issue_domain,
            issue_id,
            is_fixable=False,
            severity=ir.IssueSeverity.WARNING,
            translation_key="removed",
        )
    facts = with_removals(read_hacs(tmp_path), hass)
    assert facts.installed["pulled"].removed
    assert not facts.installed["kept"].removed  # another manager's repair
