"""Readers of the secrets hygiene checks: secrets.yaml mode, git exposure, names under www/."""

from __future__ import annotations

from datetime import UTC, datetime
import os
from pathlib import Path
import random
import shutil
import subprocess
from typing import Any
from unittest.mock import patch

import pytest

from custom_components.security_posture.inspect import (
    git_state,
    ignore_rules,
    www_files,
)
from custom_components.security_posture.inspect.git_state import (
    CarriedPath,
    find_work_tree,
    read_git_state,
)
from custom_components.security_posture.inspect.ignore_rules import (
    GitIgnore,
    parse_ignore_lines,
)
from custom_components.security_posture.inspect.secret_files import read_secrets_file
from custom_components.security_posture.inspect.www_files import (
    ServedKind,
    classify_name,
    scan_www,
)

from .conftest import FIXTURES, copy_fixture
from .hygiene_helpers import GIT, git

needs_git = pytest.mark.skipif(GIT is None, reason="git is not installed")


def touch(root: Path, *paths: str) -> None:
    for rel in paths:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")


# --- secrets.yaml --------------------------------------------------------------------------


def test_secrets_file_missing(tmp_path: Path) -> None:
    state = read_secrets_file(tmp_path)
    assert not state.exists
    assert state.mode is None
    assert state.error is None


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o644, 0o604, 0o400])
def test_secrets_file_mode_and_time(tmp_path: Path, mode: int) -> None:
    path = tmp_path / "secrets.yaml"
    path.write_text("a: b\n")
    path.chmod(mode)
    os.utime(path, (1_700_000_000, 1_700_000_000))
    state = read_secrets_file(tmp_path)
    assert state.exists
    assert state.mode == mode
    assert state.modified == datetime.fromtimestamp(1_700_000_000, UTC)
    assert state.error is None


def test_secrets_file_link_is_followed(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.yaml"
    target.write_text("a: b\n")
    target.chmod(0o600)
    (tmp_path / "secrets.yaml").symlink_to(target)
    assert read_secrets_file(tmp_path).mode == 0o600


def test_secrets_file_dangling_link_is_missing(tmp_path: Path) -> None:
    (tmp_path / "secrets.yaml").symlink_to(tmp_path / "gone.yaml")
    assert not read_secrets_file(tmp_path).exists


def test_secrets_file_not_a_file(tmp_path: Path) -> None:
    (tmp_path / "secrets.yaml").mkdir()
    state = read_secrets_file(tmp_path)
    assert state.error == "secrets.yaml is not a regular file"


def test_secrets_file_unreadable(tmp_path: Path) -> None:
    (tmp_path / "secrets.yaml").write_text("a: b\n")
    with patch.object(
        Path, "stat", side_effect=PermissionError(13, "Permission denied")
    ):
        state = read_secrets_file(tmp_path)
    assert state.error == "cannot read secrets.yaml: Permission denied"


# --- gitignore matching against git itself ---------------------------------------------------

TOKENS = (
    "secrets.yaml",
    ".storage",
    "www",
    "tmp",
    "community",
    "esphome",
    ".foo",
    "configuration.yaml",
    "custom_components",
    "blueprints",
    "tts",
    "a.log",
    "a.log.1",
    "x.db",
    "x.db-wal",
    ".gitkeep",
    "deps",
    "core",
    "log",
    "x.png",
    "a b",
    "[x]",
    "#x",
    "!x",
    "m.pyc",
    "auth",
    "x",
    "]",
    "a\\",
)
PATTERNS = (
    "*",
    "!*.yaml",
    "!/*/",
    "/*",
    "!.gitignore",
    "secrets.yaml",
    "**/tmp",
    "tmp/**",
    "www/**/x.png",
    "**/community/**",
    "!www/community/auth",
    "/.storage/",
    ".storage/*",
    "!.storage/auth",
    "*.log*",
    "[a-c].log",
    "[!x].db",
    "a\\ b",
    "a b   ",
    "a\\ ",
    "\\#x",
    "\\!x",
    "# a comment",
    "",
    "log/",
    "/log",
    "esphome/.*/",
    "x.db*",
    "**",
    "*/deps",
    "deps/",
    "!deps/core",
    "?.png",
    "*.p?c",
    "[[]x]",
    "[]x]",
    "[x",
    "tmp\\",
    "!",
    "/",
    "***/tmp",
    "www/***",
    "core\r",
    ".storage/**/",
    "[\\]x]",
    "a\\\\ ",
    "[x-]",
)


def _compare_with_git(root: Path, files: list[str]) -> None:
    """The non-ignored files must be exactly those git would add."""
    out = git(root, "ls-files", "-z", "--others", "--exclude-standard")
    by_git = {p for p in out.split("\0") if p}
    ignore = GitIgnore(root=root)
    ignore.exclude = parse_ignore_lines(
        (root / ".git" / "info" / "exclude").read_text(), ""
    )
    mine = {f for f in files if not ignore.is_ignored(f, is_dir=False)}
    assert mine == by_git


def _random_tree(root: Path, rnd: random.Random, count: int) -> list[str]:
    made: list[str] = []
    for _ in range(count):
        rel = "/".join(rnd.choice(TOKENS) for _ in range(rnd.randint(1, 4)))
        path = root / rel
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.exists():
                path.write_text("x")
        except (FileExistsError, NotADirectoryError):
            continue
    for dirpath, _dirs, names in os.walk(root):
        if ".git" in Path(dirpath).relative_to(root).parts:
            continue
        made.extend((Path(dirpath) / n).relative_to(root).as_posix() for n in names)
    return [m for m in made if not m.startswith(".git/")]


@needs_git
@pytest.mark.parametrize("seed", range(40))
def test_gitignore_matching_agrees_with_git(tmp_path: Path, seed: int) -> None:
    """Random pattern sets over a random tree: same answer as git, file by file."""
    rnd = random.Random(seed)  # noqa: S311 - reproducible test data
    git(tmp_path, "init", "-q")
    (tmp_path / ".gitignore").write_text(
        "\n".join(rnd.sample(PATTERNS, rnd.randint(2, 12))) + "\n"
    )
    if seed % 3 == 0:  # nested ignore files override their parents
        (tmp_path / "www").mkdir(exist_ok=True)
        (tmp_path / "www" / ".gitignore").write_text(
            "\n".join(rnd.sample(PATTERNS, 4)) + "\n"
        )
    if seed % 4 == 0:
        (tmp_path / ".git" / "info" / "exclude").write_text(
            "\n".join(rnd.sample(PATTERNS, 3)) + "\n"
        )
    files = _random_tree(tmp_path, rnd, 120)
    _compare_with_git(tmp_path, files)


@needs_git
def test_gitignore_typical_home_assistant_file(tmp_path: Path) -> None:
    copy_fixture("hygiene/git_config", tmp_path)
    git(tmp_path, "init", "-q")
    touch(
        tmp_path,
        "home-assistant.log",
        "home-assistant.log.1",
        "home-assistant_v2.db",
        "tts/a.mp3",
        "www/community/card.js",
        "www/floorplan.png",
        "deps/x/y.py",
        "sub/.storage/auth",
        "sub/secrets.yaml",
        "custom/__pycache__/a.pyc",
        "deps/.gitkeep",
    )
    files = _random_tree(tmp_path, random.Random(0), 0)  # noqa: S311
    _compare_with_git(tmp_path, files)


def test_pattern_shapes() -> None:
    [plain] = parse_ignore_lines("secrets.yaml", "")
    assert not plain.anchored
    assert plain.matches("a/b/secrets.yaml", is_dir=False)
    [anchored] = parse_ignore_lines("/secrets.yaml", "")
    assert anchored.anchored
    assert not anchored.matches("a/secrets.yaml", is_dir=False)
    [directory] = parse_ignore_lines(".storage/", "")
    assert directory.dir_only
    assert not directory.matches(".storage", is_dir=False)
    assert directory.matches("x/.storage", is_dir=True)
    [negated] = parse_ignore_lines("!keep", "sub")
    assert negated.negate
    assert negated.matches("sub/keep", is_dir=False)
    assert not negated.matches("other/keep", is_dir=False)
    assert not negated.matches("subkeep", is_dir=False)
    [deep] = parse_ignore_lines("a/**/**/b", "")
    assert deep.matches("a/b", is_dir=False)
    assert deep.matches("a/x/y/z/b", is_dir=False)


def test_ignore_rules_read_lazily_and_once(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("*.log\n")
    ignore = GitIgnore(root=tmp_path)
    assert ignore.is_ignored("a/b/c.log", is_dir=False)
    (tmp_path / ".gitignore").write_text("")
    assert ignore.is_ignored("a/b/c.log", is_dir=False)  # read once per scan


def test_ignore_file_that_is_a_directory_counts_as_empty(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").mkdir()
    assert not GitIgnore(root=tmp_path).is_ignored("secrets.yaml", is_dir=False)


# --- git state -----------------------------------------------------------------------------


def test_not_a_work_tree(tmp_path: Path) -> None:
    state = read_git_state(tmp_path)
    assert state.work_tree is None
    assert state.exposures == ()


def test_work_tree_found_above_and_only_so_far(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    config = tmp_path / "a" / "config"
    config.mkdir(parents=True)
    assert find_work_tree(config) == tmp_path
    with patch.object(git_state, "MAX_PARENT_LEVELS", 0):
        assert find_work_tree(config) is None


def test_work_tree_probe_errors_are_skipped(tmp_path: Path) -> None:
    with patch.object(Path, "exists", side_effect=PermissionError(13, "denied")):
        assert find_work_tree(tmp_path) is None


@needs_git
def test_git_sees_nested_secrets_and_storage(tmp_path: Path) -> None:
    copy_fixture("hygiene/git_config", tmp_path)
    git(tmp_path, "init", "-q")
    state = read_git_state(tmp_path)
    assert state.via_git
    assert state.limitation is None
    assert state.work_tree == tmp_path
    # /secrets.yaml and /.storage/ are ignored; packages/secrets.yaml is not.
    assert state.exposures == (
        CarriedPath(path="packages/secrets.yaml", tracked=False),
    )


@needs_git
def test_git_sees_tracked_files_even_when_ignored_later(tmp_path: Path) -> None:
    touch(tmp_path, "secrets.yaml", ".storage/auth", ".storage/core.config_entries")
    git(tmp_path, "init", "-q")
    state = read_git_state(tmp_path)
    assert state.exposures == (
        CarriedPath(path=".storage", tracked=False),
        CarriedPath(path="secrets.yaml", tracked=False),
    )
    git(tmp_path, "add", "secrets.yaml", ".storage/auth")
    git(tmp_path, "commit", "-qm", "oops")
    (tmp_path / ".gitignore").write_text("secrets.yaml\n.storage/\n")
    state = read_git_state(tmp_path)
    assert state.exposures == (
        CarriedPath(path=".storage", tracked=True),
        CarriedPath(path="secrets.yaml", tracked=True),
    )


@needs_git
def test_git_when_the_config_is_inside_a_larger_repository(tmp_path: Path) -> None:
    config = tmp_path / "config"
    touch(config, "secrets.yaml", ".storage/auth")
    git(tmp_path, "init", "-q")
    (tmp_path / ".gitignore").write_text("/config/*\n!/config/secrets.yaml\n")
    state = read_git_state(config)
    assert state.work_tree == tmp_path
    assert state.exposures == (CarriedPath(path="secrets.yaml", tracked=False),)


@needs_git
def test_without_git_the_ignore_files_decide(tmp_path: Path) -> None:
    copy_fixture("hygiene/git_config", tmp_path)
    git(tmp_path, "init", "-q")
    with patch.object(shutil, "which", return_value=None):
        state = read_git_state(tmp_path)
    assert not state.via_git
    assert state.limitation == "git is not installed"
    assert state.exposures == ()  # packages/secrets.yaml is out of its reach
    (tmp_path / ".gitignore").write_text("*.log\n")
    (tmp_path / ".storage" / ".gitignore").write_text("*\n!core.config_entries\n")
    state = read_git_state(tmp_path, git="")  # "" is no git either
    assert state.limitation == "git is not installed"
    assert state.exposures == (
        CarriedPath(path="secrets.yaml", tracked=False),
        CarriedPath(path=".storage", tracked=False),
    )


def test_fallback_reads_info_exclude_through_a_gitdir_file(tmp_path: Path) -> None:
    """A worktree's `.git` is a file; its excludes live in the common directory."""
    common = tmp_path / "repo.git"
    (common / "info").mkdir(parents=True)
    (common / "info" / "exclude").write_text("secrets.yaml\n.storage/\n")
    worktree_dir = common / "worktrees" / "config"
    worktree_dir.mkdir(parents=True)
    (worktree_dir / "commondir").write_text("../..\n")
    config = tmp_path / "config"
    touch(config, "secrets.yaml", ".storage/auth")
    (config / ".git").write_text(f"gitdir: {worktree_dir}\n")
    state = read_git_state(config, git="")
    assert state.work_tree == config
    assert state.exposures == ()
    # A relative gitdir without a common directory.
    plain = tmp_path / "plain.git"
    (plain / "info").mkdir(parents=True)
    (plain / "info" / "exclude").write_text("/secrets.yaml\n")
    (config / ".git").write_text("gitdir: ../plain.git\n")
    state = read_git_state(config, git="")
    assert state.exposures == (CarriedPath(path=".storage", tracked=False),)
    (config / ".git").write_text("nonsense\n")
    state = read_git_state(config, git="")
    assert len(state.exposures) == 2


def test_fallback_gitdir_unreadable(tmp_path: Path) -> None:
    touch(tmp_path, "secrets.yaml")
    (tmp_path / ".git").write_text("gitdir: x\n")
    real = Path.read_text

    def read_text(self: Path, *args: Any, **kwargs: Any) -> str:
        if self.name == ".git":
            raise PermissionError(13, "denied")
        return real(self, *args, **kwargs)

    with patch.object(Path, "read_text", read_text):
        state = read_git_state(tmp_path, git="")
    assert state.exposures == (CarriedPath(path="secrets.yaml", tracked=False),)


def test_fallback_empty_or_linked_storage(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".storage").mkdir()
    assert read_git_state(tmp_path, git="").exposures == ()
    (tmp_path / ".storage").rmdir()
    elsewhere = tmp_path / "elsewhere"
    touch(elsewhere, "auth")
    (tmp_path / ".storage").symlink_to(elsewhere)  # git does not follow it either
    assert read_git_state(tmp_path, git="").exposures == ()


def test_fallback_storage_walk_is_bounded(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text(".storage/*\n!.storage/z*\n")
    touch(tmp_path, ".storage/a1", ".storage/a2", ".storage/sub/a3", ".storage/zz")
    assert read_git_state(tmp_path, git="").exposures == (
        CarriedPath(path=".storage", tracked=False),
    )
    with patch.object(git_state, "MAX_STORAGE_ENTRIES", 2):
        assert read_git_state(tmp_path, git="").exposures == ()


def test_fallback_storage_unlistable_subfolder(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    touch(tmp_path, ".storage/sub/auth")
    real = os.scandir

    def scandir(path: Any) -> Any:
        if str(path).endswith("sub"):
            raise PermissionError(13, "denied")
        return real(path)

    with patch.object(os, "scandir", scandir):
        assert read_git_state(tmp_path, git="").exposures == ()


def test_unreadable_ignore_file_is_an_error(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text("secrets.yaml\n")
    touch(tmp_path, "secrets.yaml")
    real = os.open

    def fake_open(path: Any, *args: Any, **kwargs: Any) -> Any:
        if Path(path).name == ".gitignore":
            raise PermissionError(13, "Permission denied")
        return real(path, *args, **kwargs)

    with patch.object(os, "open", fake_open):
        state = read_git_state(tmp_path, git="")
    assert state.error == "cannot read .gitignore: permission denied"
    assert state.exposures == ()


def test_huge_ignore_file_is_an_error(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    touch(tmp_path, "secrets.yaml")
    with (tmp_path / ".gitignore").open("w") as handle:
        handle.write("secrets.yaml\n")
        handle.write("#" * (ignore_rules.MAX_IGNORE_FILE_BYTES + 1))
    state = read_git_state(tmp_path, git="")
    assert state.error == ".gitignore is larger than 1000000 bytes"


def _fake_git(tmp_path: Path, script: str) -> str:
    path = tmp_path / "fake-git"
    path.write_text(f"#!/bin/sh\n{script}\n")
    path.chmod(0o755)
    return str(path)


@pytest.mark.parametrize(
    ("script", "limitation"),
    [
        (
            "echo 'fatal: detected dubious ownership in repository' >&2; exit 128",
            "git refused the repository (it belongs to another user)",
        ),
        ("exit 2", "git failed (exit status 2)"),
        (
            'case "$*" in *--others*) exit 129;; esac; exit 0',
            "git failed (exit status 129)",
        ),
    ],
)
def test_git_failures_fall_back(tmp_path: Path, script: str, limitation: str) -> None:
    config = tmp_path / "config"
    touch(config, "secrets.yaml")
    (config / ".git").mkdir()
    state = read_git_state(config, git=_fake_git(tmp_path, script))
    assert state.limitation == limitation
    assert state.exposures == (CarriedPath(path="secrets.yaml", tracked=False),)


def test_git_timeout_and_missing_binary(tmp_path: Path) -> None:
    touch(tmp_path, "secrets.yaml")
    (tmp_path / ".git").mkdir()
    with patch.object(
        subprocess, "run", side_effect=subprocess.TimeoutExpired(["git"], 20)
    ):
        state = read_git_state(tmp_path, git="git")
    assert state.limitation == "git did not answer within 20 s"
    state = read_git_state(tmp_path, git=str(tmp_path / "no-such-git"))
    assert state.limitation == "git could not run (No such file or directory)"


def test_git_runs_without_inherited_git_environment(tmp_path: Path) -> None:
    touch(tmp_path, "secrets.yaml")
    (tmp_path / ".git").mkdir()
    seen: list[dict[str, Any]] = []

    def run(command: list[str], **kwargs: Any) -> subprocess.CompletedProcess[bytes]:
        seen.append({"command": command, **kwargs})
        return subprocess.CompletedProcess(command, 0, b"secrets.yaml\0", b"")

    with (
        patch.dict(os.environ, {"GIT_DIR": "/elsewhere"}),
        patch.object(subprocess, "run", run),
    ):
        state = read_git_state(tmp_path, git="git")
    assert state.exposures == (CarriedPath(path="secrets.yaml", tracked=True),)
    assert len(seen) == 2
    for call in seen:
        assert "GIT_DIR" not in call["env"]
        assert call["env"]["GIT_OPTIONAL_LOCKS"] == "0"
        assert call["timeout"] == git_state.GIT_TIMEOUT
        assert "core.fsmonitor=false" in call["command"]


# --- www/ ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("secrets.yaml", ServedKind.SECRETS),
        ("Secrets.YML", ServedKind.SECRETS),
        ("secrets.yaml.bak", ServedKind.SECRETS),
        ("secrets.yaml~", ServedKind.SECRETS),
        ("auth", ServedKind.STORAGE),
        ("auth_provider.homeassistant", ServedKind.STORAGE),
        ("auth_module.totp", ServedKind.STORAGE),
        ("core.config_entries", ServedKind.STORAGE),
        ("a1b2c3d4.tar", ServedKind.BACKUP),
        ("config.tar.gz", ServedKind.BACKUP),
        ("config.TGZ", ServedKind.BACKUP),
        ("ha_backup_2024.zip", ServedKind.BACKUP),
        ("Snapshot-old.7z", ServedKind.BACKUP),
        ("server.key", ServedKind.PRIVATE_KEY),
        ("privkey.pem", ServedKind.PRIVATE_KEY),
        ("private.pem", ServedKind.PRIVATE_KEY),
        ("key.pem", ServedKind.PRIVATE_KEY),
        ("id_rsa", ServedKind.PRIVATE_KEY),
        ("id_ed25519", ServedKind.PRIVATE_KEY),
        ("client.p12", ServedKind.PRIVATE_KEY),
        ("cert.pfx", ServedKind.PRIVATE_KEY),
        ("home-assistant_v2.db", ServedKind.DATABASE),
        ("home-assistant_v2.db-wal", ServedKind.DATABASE),
        ("secrets-card.js", None),
        ("secrets.js", None),
        ("fullchain.pem", None),
        ("cert.pem", None),
        ("id_rsa.pub", None),
        ("backup.yaml", None),
        ("keyboard.png", None),
        ("authentication.png", None),
        ("floorplan.zip", None),
        ("tarot.png", None),
    ],
)
def test_classify_name(name: str, kind: ServedKind | None) -> None:
    assert classify_name(name, is_dir=False) is kind


def test_classify_directories() -> None:
    assert classify_name(".storage", is_dir=True) is ServedKind.STORAGE_DIR
    assert classify_name("secrets.yaml", is_dir=True) is None
    assert classify_name("backups", is_dir=True) is None


def test_no_www(tmp_path: Path) -> None:
    assert not scan_www(tmp_path).exists


def test_www_that_is_a_file_is_not_a_folder(tmp_path: Path) -> None:
    (tmp_path / "www").write_text("x")
    assert not scan_www(tmp_path).exists


def test_www_unreadable(tmp_path: Path) -> None:
    (tmp_path / "www").mkdir()
    with patch.object(
        Path, "is_dir", side_effect=PermissionError(13, "Permission denied")
    ):
        state = scan_www(tmp_path)
    assert state.error == "cannot read www/: Permission denied"


def test_www_mixed_fixture(tmp_path: Path) -> None:
    copy_fixture("hygiene/www_mixed", tmp_path)
    state = scan_www(tmp_path)
    assert state.exists
    assert not state.truncated
    assert {(s.path, s.kind) for s in state.served} == {
        ("www/.ssh/id_ed25519", ServedKind.PRIVATE_KEY),
        ("www/.storage", ServedKind.STORAGE_DIR),
        ("www/backups/9f3e1c2a.tar", ServedKind.BACKUP),
        ("www/certs/privkey.pem", ServedKind.PRIVATE_KEY),
        ("www/home-assistant_v2.db", ServedKind.DATABASE),
        ("www/secrets.yaml", ServedKind.SECRETS),
        ("www/tmp/secrets.yaml.bak", ServedKind.SECRETS),
    }
    # Stable order, scan after scan.
    assert scan_www(tmp_path).served == state.served


def test_www_links(tmp_path: Path) -> None:
    www = tmp_path / "www"
    touch(tmp_path, "secrets.yaml", "www/real/id_rsa", "outside/privkey.pem")
    (www / "secrets.yaml").symlink_to(
        tmp_path / "secrets.yaml"
    )  # out of www: not served
    (www / "copy.key").symlink_to(www / "real" / "id_rsa")  # inside www: served
    (www / "dangling.key").symlink_to(www / "gone")
    (www / "linked").symlink_to(tmp_path / "outside")  # a linked directory: not walked
    (www / "inside").symlink_to(
        www / "real"
    )  # a linked directory inside: not walked twice
    (www / "loop").symlink_to(www)
    state = scan_www(tmp_path)
    assert [s.path for s in state.served] == ["www/copy.key", "www/real/id_rsa"]


def test_www_linked_root_is_followed(tmp_path: Path) -> None:
    touch(tmp_path, "shared/secrets.yaml")
    (tmp_path / "www").symlink_to(tmp_path / "shared")
    assert [s.path for s in scan_www(tmp_path).served] == ["www/secrets.yaml"]


def test_www_walk_is_bounded(tmp_path: Path) -> None:
    touch(tmp_path, *(f"www/a{i:03}/img.png" for i in range(30)), "www/zz/secrets.yaml")
    state = scan_www(tmp_path, max_entries=40)
    assert state.truncated
    assert state.served == ()
    state = scan_www(tmp_path, max_entries=1000)
    assert not state.truncated
    assert [s.path for s in state.served] == ["www/zz/secrets.yaml"]


def test_www_hits_are_bounded(tmp_path: Path) -> None:
    touch(tmp_path, *(f"www/b{i:02}.tar" for i in range(5)))
    state = scan_www(tmp_path, max_hits=3)
    assert state.more_hits
    assert [s.path for s in state.served] == [
        "www/b00.tar",
        "www/b01.tar",
        "www/b02.tar",
    ]


def test_www_depth_is_bounded(tmp_path: Path) -> None:
    deep = "/".join(f"d{i}" for i in range(5))
    touch(tmp_path, f"www/{deep}/secrets.yaml", "www/d0/id_rsa")
    with patch.object(www_files, "MAX_WWW_DEPTH", 3):
        state = scan_www(tmp_path)
    assert [s.path for s in state.served] == ["www/d0/id_rsa"]


def test_www_unlistable_folder_is_named(tmp_path: Path) -> None:
    touch(tmp_path, "www/private/secrets.yaml", "www/public/id_rsa")
    real = os.scandir

    def scandir(path: Any) -> Any:
        if str(path).endswith("private"):
            raise PermissionError(13, "denied")
        return real(path)

    with patch.object(os, "scandir", scandir):
        state = scan_www(tmp_path)
    assert state.unreadable == ("www/private",)
    assert [s.path for s in state.served] == ["www/public/id_rsa"]


def test_www_undecodable_names(tmp_path: Path) -> None:
    (tmp_path / "www").mkdir()
    raw = os.fsencode(tmp_path / "www") + b"/caf\xe9.tar"
    with open(raw, "w") as handle:  # noqa: PTH123 - a bytes path on purpose
        handle.write("x")
    [served] = scan_www(tmp_path).served
    assert served.path == "www/caf\ufffd.tar"
    served.path.encode()  # valid text


def test_www_entry_errors(tmp_path: Path) -> None:
    touch(tmp_path, "www/x.tar")
    with patch.object(os.DirEntry, "is_dir", side_effect=OSError("gone")):
        state = scan_www(tmp_path)
    assert [s.path for s in state.served] == ["www/x.tar"]


def test_fixtures_exist() -> None:
    assert (FIXTURES / "hygiene" / "www_mixed" / "www").is_dir()


@pytest.mark.parametrize(
    ("text", "stub"),
    [
        (
            "---\n# Resolves an include for ESPHome\n<<: !include ../secrets.yaml\n",
            True,
        ),
        ("wifi: !include wifi.yaml\nmore: !include_dir_named more\n...\n", True),
        ("<<: !include ../secrets.yaml\nwifi_password: CANARY-hunter2\n", False),
        ("", False),
        ("\n\n", False),
        ("api_key: !include\n", False),
        ("key: !include_dir_named\n", False),
    ],
)
def test_include_stubs(tmp_path: Path, text: str, *, stub: bool) -> None:
    path = tmp_path / "secrets.yaml"
    path.write_text(text)
    assert git_state.is_include_stub(path) is stub


def test_include_stub_bounds(tmp_path: Path) -> None:
    path = tmp_path / "secrets.yaml"
    assert not git_state.is_include_stub(path)  # missing: not a stub
    path.write_text("# x\n" * (git_state.MAX_STUB_BYTES // 4 + 1))
    assert not git_state.is_include_stub(path)


@needs_git
def test_include_stubs_are_not_exposures(tmp_path: Path) -> None:
    stub = "<<: !include ../secrets.yaml\n"
    touch(tmp_path, "esphome/common/secrets.yaml", "esphome/secrets.yaml")
    (tmp_path / "esphome" / "common" / "secrets.yaml").write_text(stub)
    (tmp_path / "secrets.yaml").write_text(stub)
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "esphome/common/secrets.yaml")
    state = read_git_state(tmp_path)
    assert state.exposures == (CarriedPath(path="esphome/secrets.yaml", tracked=False),)
    assert read_git_state(tmp_path, git="").exposures == ()
