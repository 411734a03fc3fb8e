"""pre-commit, installed in a throwaway environment, runs the hook on a sample repository.

The hook repository is this checkout's working tree, committed into a repository of its own
(pre-commit clones a hook repository at a revision). pre-commit installs it as a Python
package, from PyPI's setuptools and the command's dependencies, into an environment of its
own: nothing of Home Assistant is there. A commit that writes a credential into the
configuration is blocked, without the value being printed; a clean commit goes through.
"""

from __future__ import annotations

import os
from pathlib import Path
import shutil
import subprocess
import sys

import pytest

ROOT = Path(__file__).parents[1]
CANARY = "Pc9-canary-never-printed"
# What pre-commit installs as the hook's package (and what HACS installs from it).
HOOK_FILES = (
    "pyproject.toml",
    "README.md",
    "LICENSE",
    ".pre-commit-hooks.yaml",
    "security_posture_scan",
    "custom_components/security_posture",
)


def _run(
    args: list[str], cwd: Path, env: dict[str, str], timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - fixed arguments, our own files
        args,
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
    )


def _checked(args: list[str], cwd: Path, env: dict[str, str]) -> str:
    done = _run(args, cwd, env)
    assert done.returncode == 0, f"{args}: {done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """An environment of the test's own: pre-commit's cache, git's identity.

    Not the suite's coverage either: these processes are not the code under test.
    """
    home = tmp_path / "home"
    home.mkdir()
    return {
        **{
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("GIT_", "PRE_COMMIT", "COV_CORE_"))
        },
        "HOME": str(home),
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-cache"),
        "GIT_AUTHOR_NAME": "Owner",
        "GIT_AUTHOR_EMAIL": "owner@example.org",
        "GIT_COMMITTER_NAME": "Owner",
        "GIT_COMMITTER_EMAIL": "owner@example.org",
        "GIT_CONFIG_NOSYSTEM": "1",
    }


def _hook_repository(target: Path, env: dict[str, str]) -> str:
    """This checkout's files as a repository of their own; its revision."""
    for name in HOOK_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(
                source, target / name, ignore=shutil.ignore_patterns("__pycache__")
            )
        else:
            shutil.copy2(source, target / name)
    _checked(["git", "init", "-q", "-b", "main"], target, env)
    _checked(["git", "add", "-A"], target, env)
    _checked(["git", "commit", "-q", "-m", "hook"], target, env)
    return _checked(["git", "rev-parse", "HEAD"], target, env).strip()


def test_pre_commit_blocks_a_commit_with_a_credential(
    tmp_path: Path, env: dict[str, str]
) -> None:
    venv = tmp_path / "venv"
    _checked([sys.executable, "-m", "venv", str(venv)], tmp_path, env)
    python = str(venv / "bin" / "python")
    _checked([python, "-m", "pip", "install", "--quiet", "pre-commit"], tmp_path, env)
    pre_commit = str(venv / "bin" / "pre-commit")

    hooks = tmp_path / "hooks"
    hooks.mkdir()
    revision = _hook_repository(hooks, env)

    owner = tmp_path / "owner"
    owner.mkdir()
    _checked(["git", "init", "-q", "-b", "main"], owner, env)
    (owner / ".pre-commit-config.yaml").write_text(
        "repos:\n"
        f"  - repo: {hooks.as_uri()}\n"
        f"    rev: {revision}\n"
        "    hooks:\n"
        "      - id: security-posture\n",
        encoding="utf-8",
    )
    (owner / "configuration.yaml").write_text(
        "default_config:\nmqtt:\n  password: !secret mqtt_password\n", encoding="utf-8"
    )
    (owner / ".gitignore").write_text("secrets.yaml\n", encoding="utf-8")
    _checked([pre_commit, "install"], owner, env)
    _checked(["git", "add", "-A"], owner, env)
    # A clean configuration (its secret kept out of the repository) is committed.
    first = _run(["git", "commit", "-m", "configuration"], owner, env)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "Security Posture" in first.stdout + first.stderr

    (owner / "configuration.yaml").write_text(
        "default_config:\nmqtt:\n  password: !secret mqtt_password\n"
        f"influxdb:\n  password: {CANARY}\n",
        encoding="utf-8",
    )
    _checked(["git", "add", "-A"], owner, env)
    blocked = _run(["git", "commit", "-m", "influxdb"], owner, env)
    said = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0, said
    assert (
        "configuration.yaml:5: high inline_credential influxdb.password: "
        "influxdb.password: password in plain text"
    ) in said
    assert CANARY not in said
    log = _checked(["git", "log", "--format=%s"], owner, env)
    assert log.split() == ["configuration"]

    # Forcing secrets.yaml past .gitignore is blocked too.
    _checked(["git", "reset", "-q", "--hard"], owner, env)
    (owner / "secrets.yaml").write_text(f"mqtt_password: {CANARY}\n", encoding="utf-8")
    _checked(["git", "add", "-f", "secrets.yaml"], owner, env)
    blocked = _run(["git", "commit", "-m", "secrets"], owner, env)
    said = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0, said
    assert (
        "secrets.yaml: medium secrets_not_ignored: secrets.yaml is tracked by git"
        in said
    )
    assert CANARY not in said
