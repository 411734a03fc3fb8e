"""Custom integrations and the code they load from outside their folder."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from homeassistant import components, loader
import pytest

from custom_components.security_posture.inspect.custom_integrations import (
    MAX_SOURCE_FILES,
    CustomIntegration,
    read_custom_integrations,
    replaced_domains,
    url_requirement,
)

from .supply_helpers import write_integration

CANARY = "CANARY-requirement-token-77af"


@pytest.mark.parametrize(
    ("requirement", "shown"),
    [
        ("aiohttp>=3.9", None),
        ('foo[bar]==1.0; python_version>"3.11"', None),
        ("./vendor/pkg", None),
        ("not a requirement at all", None),
        (
            "foo @ git+https://github.com/a/b@v1.2",
            "foo @ git+https://github.com/a/b@v1.2",
        ),
        (
            f"foo @ git+https://{CANARY}@github.com/a/b.git",
            "foo @ git+https://***@github.com/a/b.git",
        ),
        ("foo @ file:///opt/wheels/foo.whl", "foo @ file:///opt/wheels/foo.whl"),
        (
            "git+https://github.com/pypa/pip#pip>=1",
            "git+https://github.com/pypa/pip#pip>=1",
        ),
        ("https://example.com/pkg-1.0.zip", "https://example.com/pkg-1.0.zip"),
        (
            f"--extra-index-url=https://user:{CANARY}@pypi.example.com/simple",
            "--extra-index-url=https://***@pypi.example.com/simple",
        ),
        (
            f"pkg @ https://example.com/x.zip?token={CANARY}",
            "pkg @ https://example.com/x.zip?***",
        ),
        (
            "  git+ssh://git@github.com/a/b.git trailing",
            "git+ssh://***@github.com/a/b.git",
        ),
    ],
)
def test_url_requirements(requirement: str, shown: str | None) -> None:
    assert url_requirement(requirement) == shown


def read(config_dir: Path, cache: dict[str, Any] | None = None) -> Any:
    return read_custom_integrations(config_dir, {} if cache is None else cache)


def test_no_custom_components(tmp_path: Path) -> None:
    found = read(tmp_path)
    assert found.integrations == ()
    assert found.problems == ()


def test_integrations_and_what_they_load(tmp_path: Path) -> None:
    write_integration(tmp_path, "plain")
    write_integration(
        tmp_path,
        "fromgit",
        {
            "domain": "fromgit",
            "name": "From git",
            "version": "0.1",
            "requirements": [
                "requests>=2",
                f"lib @ git+https://{CANARY}@github.com/x/lib.git",
                42,
            ],
        },
    )
    write_integration(
        tmp_path,
        "vendored",
        files={
            "__init__.py": (
                "import os, sys\n"
                "sys.path.insert(0, os.path.join(os.path.dirname(__file__), 'lib'))\n"
            ),
            "lib/helper.py": "VALUE = 1\n",
        },
    )
    write_integration(
        tmp_path,
        "reacher",
        files={
            "__init__.py": "import sys\nsys.path.append('/opt/shared')\n",
            "sub/mod.py": (
                "import os, sys\n"
                "sys.path.append(os.path.dirname(os.path.dirname(os.path.dirname(__file__))))\n"
                "sys.path.append(os.path.join(os.path.dirname(__file__), '..', '..', '..', 'python'))\n"
            ),
            "__pycache__/x.py": "import sys\nsys.path.append('/ignored')\n",
            "notes.txt": "import sys\nsys.path.append('/ignored')\n",
        },
    )
    (tmp_path / "custom_components" / "no_manifest").mkdir()
    (tmp_path / "custom_components" / "README.md").write_text("x", encoding="utf-8")
    found = read(tmp_path)
    assert found.problems == ()
    assert found.integrations == (
        CustomIntegration(
            domain="fromgit",
            name="From git",
            version="0.1",
            url_requirements=("lib @ git+https://***@github.com/x/lib.git",),
        ),
        CustomIntegration(domain="plain", name="Plain", version="1.0.0"),
        CustomIntegration(
            domain="reacher",
            name="Reacher",
            version="1.0.0",
            import_paths=("/opt/shared", "custom_components", "python"),
        ),
        CustomIntegration(domain="vendored", name="Vendored", version="1.0.0"),
    )
    assert CANARY not in repr(found)
    assert found.integrations[0].folder == "custom_components/fromgit"


def test_broken_manifests_and_sources(tmp_path: Path) -> None:
    write_integration(tmp_path, "badjson", "{not json")
    write_integration(tmp_path, "notobject", "[1, 2]")
    write_integration(
        tmp_path, "badsource", files={"__init__.py": "import sys\nsys.path.append(\n"}
    )
    binary = write_integration(tmp_path, "binary")
    (binary / "__init__.py").write_bytes(b"\xff\xfe not UTF-8")
    (tmp_path / "custom_components" / "linked_manifest").mkdir()
    os.mkfifo(tmp_path / "custom_components" / "linked_manifest" / "manifest.json")
    found = read(tmp_path)
    assert [i.domain for i in found.integrations] == ["badsource", "binary"]
    assert sorted(found.problems) == [
        ("custom_components/badjson/manifest.json", "not a JSON object: not loaded"),
        ("custom_components/badsource/__init__.py", "not valid Python"),
        ("custom_components/binary/__init__.py", "not valid Python"),
        ("custom_components/linked_manifest/manifest.json", "not a regular file"),
        ("custom_components/notobject/manifest.json", "not a JSON object: not loaded"),
    ]


def test_folder_linked_from_outside(tmp_path: Path) -> None:
    config = tmp_path / "config"
    outside = tmp_path / "checkout" / "mine"
    write_integration(tmp_path / "checkout_root", "unused")
    outside.mkdir(parents=True)
    (outside / "manifest.json").write_text('{"domain": "mine"}', encoding="utf-8")
    (outside / "__init__.py").write_text(
        "import os, sys\nsys.path.insert(0, os.path.realpath(os.path.dirname(__file__)))\n",
        encoding="utf-8",
    )
    inside = config / "dev" / "inner"
    inside.mkdir(parents=True)
    (inside / "manifest.json").write_text('{"domain": "inner"}', encoding="utf-8")
    (config / "custom_components").mkdir()
    (config / "custom_components" / "mine").symlink_to(
        outside, target_is_directory=True
    )
    (config / "custom_components" / "inner").symlink_to(
        inside, target_is_directory=True
    )
    found = read(config)
    assert [(i.domain, i.linked_to, i.import_paths) for i in found.integrations] == [
        ("inner", None, ()),
        ("mine", str(outside), ()),
    ]


def test_too_many_files_are_noted(tmp_path: Path) -> None:
    files = {f"m{index}.py": "" for index in range(MAX_SOURCE_FILES + 1)}
    write_integration(tmp_path, "huge", files=files)
    found = read(tmp_path)
    assert found.problems == (
        ("custom_components/huge", f"more than {MAX_SOURCE_FILES} Python files"),
    )


def test_unchanged_files_come_from_the_cache(tmp_path: Path) -> None:
    folder = write_integration(
        tmp_path, "cached", files={"__init__.py": "import sys\nsys.path.append('/a')\n"}
    )
    cache: dict[str, Any] = {}
    assert read(tmp_path, cache).integrations[0].import_paths == ("/a",)
    module = str(folder / "__init__.py")
    key, _ = cache[module]
    cache[module] = (key, ("/from-cache",))
    assert read(tmp_path, cache).integrations[0].import_paths == ("/from-cache",)
    (folder / "__init__.py").write_text("import sys\nsys.path.append('/bb')\n")
    assert read(tmp_path, cache).integrations[0].import_paths == ("/bb",)
    (folder / "__init__.py").unlink()
    read(tmp_path, cache)
    assert module not in cache


def test_unreadable_source(tmp_path: Path) -> None:
    folder = write_integration(tmp_path, "locked")
    (folder / "gone.py").symlink_to(tmp_path / "nowhere.py")
    cache: dict[str, Any] = {}
    found = read(tmp_path, cache)
    assert found.problems == (("custom_components/locked/gone.py", "file not found"),)
    (folder / "__init__.py").unlink()  # known to the cache: stat fails first
    (folder / "__init__.py").symlink_to(tmp_path / "nowhere.py")
    found = read(tmp_path, cache)
    assert sorted(found.problems) == [
        ("custom_components/locked/__init__.py", "file not found"),
        ("custom_components/locked/gone.py", "file not found"),
    ]


def test_unlistable_custom_components(tmp_path: Path) -> None:
    (tmp_path / "custom_components").write_text("not a folder", encoding="utf-8")
    found = read(tmp_path)
    assert found.problems == (("custom_components", "not a folder"),)


def test_integrations_a_built_in_one_took_over_are_skipped(tmp_path: Path) -> None:
    write_integration(tmp_path, "hacs")
    write_integration(tmp_path, "mine")
    found = read_custom_integrations(tmp_path, {}, frozenset({"hacs"}))
    assert [i.domain for i in found.integrations] == ["mine"]


def test_replaced_domains_follow_the_loader() -> None:
    replaced = replaced_domains()
    blocked = loader.BLOCKED_CUSTOM_INTEGRATIONS
    assert replaced == {
        domain for domain, b in blocked.items() if getattr(b, "replaced_by", None)
    }
    # 2026.11 took HACS in as the Marketplace; earlier releases took nothing over.
    assert replaced == ({"hacs"} if "marketplace" in loader_builtins() else set())


def loader_builtins() -> set[str]:
    return {path.name for path in Path(components.__file__).parent.iterdir()}
