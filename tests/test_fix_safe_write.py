"""The blocking machinery of the fix flows, directly: safe writes, YAML locations, edits."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
import errno
import os
from pathlib import Path
from typing import Any
from unittest.mock import patch

import pytest

from custom_components.security_posture.fixes import (
    file_ops,
    safe_write,
    secrets_move,
    secrets_remove,
    secrets_yaml,
)
from custom_components.security_posture.fixes.file_ops import FixRefused
from custom_components.security_posture.fixes.safe_write import Edit, apply_edits
from custom_components.security_posture.fixes.secrets_move import (
    apply_move,
    prepare_move,
)
from custom_components.security_posture.fixes.secrets_remove import (
    apply_remove,
    prepare_remove,
)
from custom_components.security_posture.fixes.yaml_text import (
    canonical,
    compose,
    find,
    key_text,
    literal_at,
    walk,
)


@contextmanager
def refused(reason: str) -> Iterator[None]:
    """Expect a FixRefused with this reason."""
    with pytest.raises(FixRefused) as info:
        yield
    assert info.value.reason == reason, info.value.reason


def edit_of(path: Path, new: bytes, **kw: Any) -> Edit:
    original = path.read_bytes() if path.exists() else None
    return Edit(path=str(path), rel=path.name, original=original, new=new, **kw)


def ok() -> bool:
    return True


# --- safe_write -----------------------------------------------------------------------------


def test_new_file_gets_the_requested_owner_when_root(tmp_path: Path) -> None:
    target = tmp_path / "secrets.yaml"
    apply_edits(
        str(tmp_path),
        "t",
        [edit_of(target, b"a: 1\n", create_owner=(4321, 4321))],
        ok,
    )
    assert target.read_bytes() == b"a: 1\n"
    st = target.stat()
    assert (st.st_uid, st.st_gid, st.st_mode & 0o777) == (4321, 4321, 0o600)


def test_changed_between_look_and_rename(tmp_path: Path) -> None:
    target = tmp_path / "configuration.yaml"
    target.write_bytes(b"a: 1\n")
    edit = edit_of(target, b"a: 2\n")

    def checkpoint(name: str) -> None:
        if name.startswith("replace:"):
            target.write_bytes(b"a: 3 -- someone else\n")

    with patch.object(safe_write, "checkpoint", checkpoint), refused("file_changed"):
        apply_edits(str(tmp_path), "t", [edit], ok)
    assert target.read_bytes() == b"a: 3 -- someone else\n"


def test_created_between_look_and_rename(tmp_path: Path) -> None:
    target = tmp_path / "secrets.yaml"
    edit = edit_of(target, b"a: 1\n")

    def checkpoint(name: str) -> None:
        if name.startswith("replace:"):
            target.write_bytes(b"mine: 1\n")

    with patch.object(safe_write, "checkpoint", checkpoint), refused("file_changed"):
        apply_edits(str(tmp_path), "t", [edit], ok)
    assert target.read_bytes() == b"mine: 1\n"


@pytest.mark.parametrize(
    ("prepare", "reason"),
    [
        ("gone", "file_changed"),
        ("appeared", "file_changed"),
        ("different", "file_changed"),
        ("hard_link", "unsupported_file"),
        ("directory", "unsupported_file"),
        ("no_write_bits", "read_only"),
    ],
)
def test_look_refuses(tmp_path: Path, prepare: str, reason: str) -> None:
    target = tmp_path / "file.yaml"
    target.write_bytes(b"a: 1\n")
    edit = edit_of(target, b"a: 2\n")
    if prepare == "gone":
        target.unlink()
    elif prepare == "appeared":
        edit = Edit(path=str(target), rel="file.yaml", original=None, new=b"x")
    elif prepare == "different":
        target.write_bytes(b"a: 9\n")
    elif prepare == "hard_link":
        os.link(target, tmp_path / "other-name")
    elif prepare == "directory":
        target.unlink()
        target.mkdir()
    else:
        target.chmod(0o444)
    with refused(reason):
        apply_edits(str(tmp_path), "t", [edit], ok)
    assert not (tmp_path / ".security_posture").exists()


@pytest.mark.parametrize("exists", [True, False])
def test_folder_not_writable(tmp_path: Path, exists: bool) -> None:
    target = tmp_path / "file.yaml"
    if exists:
        target.write_bytes(b"a: 1\n")
    edit = edit_of(target, b"a: 2\n")
    real_access = os.access

    def access(path: Any, mode: int) -> bool:
        return mode != os.W_OK or (Path(path) != tmp_path and real_access(path, mode))

    with patch.object(safe_write.os, "access", access), refused("read_only"):
        apply_edits(str(tmp_path), "t", [edit], ok)


def test_backup_copy_must_read_back(tmp_path: Path) -> None:
    target = tmp_path / "file.yaml"
    target.write_bytes(b"a: 1\n")

    def read_back(fd: int, size: int) -> bytes:
        return b"garbage"

    with patch.object(file_ops, "_read_back", read_back), refused("backup_failed"):
        apply_edits(str(tmp_path), "t", [edit_of(target, b"a: 2\n")], ok)
    assert target.read_bytes() == b"a: 1\n"


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (errno.EIO, "write_failed"),
        (errno.EDQUOT, "disk_full"),
        (errno.EACCES, "read_only"),
    ],
)
def test_write_errors(tmp_path: Path, error: int, reason: str) -> None:
    target = tmp_path / "file.yaml"
    target.write_bytes(b"a: 1\n")

    def checkpoint(name: str) -> None:
        if name.startswith("replace:"):
            raise OSError(error, os.strerror(error))

    with patch.object(safe_write, "checkpoint", checkpoint), refused(reason):
        apply_edits(str(tmp_path), "t", [edit_of(target, b"a: 2\n")], ok)
    assert target.read_bytes() == b"a: 1\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".security_posture",
        "file.yaml",
    ]


def test_verification_that_says_no(tmp_path: Path) -> None:
    target = tmp_path / "new.yaml"
    with refused("verify_failed"):
        apply_edits(str(tmp_path), "t", [edit_of(target, b"a: 2\n")], lambda: False)
    assert not target.exists()


def test_symbolic_link_is_followed_and_kept(tmp_path: Path) -> None:
    real = tmp_path / "real" / "configuration.yaml"
    real.parent.mkdir()
    real.write_bytes(b"a: 1\n")
    link = tmp_path / "configuration.yaml"
    link.symlink_to(real)
    apply_edits(str(tmp_path), "t", [edit_of(link, b"a: 2\n")], ok)
    assert link.is_symlink()
    assert real.read_bytes() == b"a: 2\n"


def test_second_backup_folder_reuses_the_marker(tmp_path: Path) -> None:
    target = tmp_path / "file.yaml"
    target.write_bytes(b"a: 1\n")
    first = apply_edits(str(tmp_path), "t", [edit_of(target, b"a: 2\n")], ok)
    second = apply_edits(str(tmp_path), "t", [edit_of(target, b"a: 3\n")], ok)
    assert first != second
    assert first.startswith(".security_posture/backups/")
    assert (tmp_path / second / "file.yaml.bak").read_bytes() == b"a: 2\n"


# --- yaml_text ------------------------------------------------------------------------------


def test_compose_refuses_what_it_cannot_read() -> None:
    with refused("cannot_rewrite"):
        compose("a: [\n")
    assert list(walk(compose("# only a comment\n"))) == []


def test_key_text_like_the_reader() -> None:
    composed = compose("1: a\ntrue: b\n2024-13-45: c\n!custom k: d\n? [x]\n: e\n")
    keys = [key_text(composed, k) for k, _ in composed.root.value]
    assert keys == ["1", "True", "2024-13-45", "k", ""]


def test_find_and_literal() -> None:
    text = "a:\n  b: [1, {c: x}]\n  d:\n"
    composed = compose(text)
    assert find(composed, "a.b[1].c", 2) is not None
    assert find(composed, "a.b[1].c", 3) is None
    with refused("changed"):
        literal_at(text, "a.b", 2)  # a sequence, not a scalar
    with refused("changed"):
        literal_at(text, "a.d", 3)  # empty: nothing written there


def test_canonical_tells_types_apart() -> None:
    values = [1, True, 1.0, "1", None, [1], {"1": 1}, float("nan"), b"1"]
    forms = [canonical(v) for v in values]
    assert len(set(map(repr, forms))) == len(values)
    assert canonical(float("nan")) == canonical(float("nan"))


# --- secrets_move, secrets_remove -----------------------------------------------------------


def config(tmp_path: Path, text: str, secrets: bytes | str | None = None) -> str:
    (tmp_path / "configuration.yaml").write_text(text)
    if secrets is not None:
        data = secrets.encode() if isinstance(secrets, str) else secrets
        (tmp_path / "secrets.yaml").write_bytes(data)
    return str(tmp_path)


def test_move_refusals(tmp_path: Path) -> None:
    directory = config(tmp_path, "mqtt:\n  password: hunter2hunter2\n")
    with refused("changed"):
        prepare_move(directory, None, None, None)
    with refused("outside_config"):
        prepare_move(directory, "/etc/configuration.yaml", "mqtt.password", 2)
    with refused("outside_config"):
        prepare_move(directory, "../configuration.yaml", "mqtt.password", 2)
    with refused("changed"):
        prepare_move(directory, "missing.yaml", "mqtt.password", 2)
    (tmp_path / "other.yaml").write_text("password: hunter2hunter2\n")
    with refused("changed"):  # exists, but Home Assistant does not load it
        prepare_move(directory, "other.yaml", "password", 1)
    (tmp_path / "secrets.yaml").write_bytes(b"a: \xff\n")
    with refused("unsupported_file"):
        prepare_move(directory, "configuration.yaml", "mqtt.password", 2)
    (tmp_path / "secrets.yaml").write_text("- a list\n")
    with refused("secrets_unsupported"):
        prepare_move(directory, "configuration.yaml", "mqtt.password", 2)
    (tmp_path / "configuration.yaml").write_text("[not, a, mapping]\n")
    with refused("config_invalid"):
        prepare_move(directory, "configuration.yaml", "mqtt.password", 2)


def test_move_into_secrets_without_final_line_break(tmp_path: Path) -> None:
    directory = config(tmp_path, "mqtt:\n  password: hunter2hunter2\n", "a: 1")
    plan = prepare_move(directory, "configuration.yaml", "mqtt.password", 2)
    apply_move(directory, plan, plan.proposed)
    assert (tmp_path / "secrets.yaml").read_text() == (
        "a: 1\nmqtt_password: hunter2hunter2\n"
    )


def test_move_into_indented_comment_only_secrets(tmp_path: Path) -> None:
    directory = config(tmp_path, "mqtt:\n  password: hunter2hunter2\n", "# none yet\n")
    plan = prepare_move(directory, "configuration.yaml", "mqtt.password", 2)
    apply_move(directory, plan, "pw")
    assert (tmp_path / "secrets.yaml").read_text() == "# none yet\npw: hunter2hunter2\n"
    directory = config(tmp_path, "x:\n  password: other-pass-1\n", "  a: 1\n  b: 2\n")
    plan = prepare_move(directory, "configuration.yaml", "x.password", 2)
    apply_move(directory, plan, "x_pw")
    assert (
        tmp_path / "secrets.yaml"
    ).read_text() == "  a: 1\n  b: 2\n  x_pw: other-pass-1\n"


def test_package_without_its_own_secrets_uses_the_main_one(tmp_path: Path) -> None:
    directory = config(
        tmp_path, "homeassistant:\n  packages: !include_dir_named packages\n", "a: 1\n"
    )
    (tmp_path / "packages" / "deep").mkdir(parents=True)
    (tmp_path / "packages" / "deep" / "p.yaml").write_text(
        "x:\n  token: abcdefgh1234\n"
    )
    plan = prepare_move(directory, "packages/deep/p.yaml", "x.token", 2)
    assert plan.secrets_file == "secrets.yaml"


def test_move_name_taken_meanwhile_and_bad_new_texts(tmp_path: Path) -> None:
    directory = config(tmp_path, "mqtt:\n  password: hunter2hunter2\n", "a: 1\n")
    plan = prepare_move(directory, "configuration.yaml", "mqtt.password", 2)
    with refused("name_taken"):
        apply_move(directory, plan, "a")
    with refused("name_taken"):
        apply_move(directory, plan, "not valid")
    with refused("cannot_rewrite"):
        secrets_move._check_new_texts(
            "mqtt:\n  password: still-here\n",
            plan,
            "n",
            "n: v\n",
            secrets_yaml.parse_secrets(None),
            "v",
        )
    with refused("secrets_unsupported"):
        secrets_move._check_new_texts(
            "mqtt:\n  password: !secret n\n",
            plan,
            "n",
            "other: v\n",
            secrets_yaml.parse_secrets(None),
            "v",
        )
    # The secrets file ends its document: the new entry would not be part of it.
    (tmp_path / "secrets.yaml").write_text("a: 1\n...\n")
    plan = prepare_move(directory, "configuration.yaml", "mqtt.password", 2)
    with refused("cannot_rewrite"):
        apply_move(directory, plan, "nm")
    assert (tmp_path / "secrets.yaml").read_text() == "a: 1\n...\n"


def test_secrets_that_home_assistant_cannot_load(tmp_path: Path) -> None:
    directory = config(
        tmp_path, "mqtt:\n  password: hunter2hunter2\n", "a: !include nowhere.yaml\n"
    )
    plan = prepare_move(directory, "configuration.yaml", "mqtt.password", 2)
    with refused("config_invalid"):
        apply_move(directory, plan, "nm")
    with (
        patch.object(secrets_yaml, "load_plain", return_value=["not", "a", "dict"]),
        refused("secrets_unsupported"),
    ):
        secrets_yaml.secret_entries(str(tmp_path / "secrets.yaml"))


def test_newline_styles() -> None:
    assert secrets_yaml.newline_of(None) == "\n"
    assert secrets_yaml.newline_of("", "\r\n") == "\r\n"
    assert secrets_yaml.newline_of("a\r\nb") == "\r\n"
    assert secrets_yaml.newline_of("a\rb") == "\r"
    assert secrets_yaml.newline_of("a\nb") == "\n"


def test_remove_refusals(tmp_path: Path) -> None:
    directory = config(tmp_path, "a: 1\n", "old: 1\nother: 2\n")
    with refused("changed"):
        prepare_remove(directory, None, None, None)
    with refused("changed"):
        prepare_remove(directory, "missing/secrets.yaml", "old", 1)
    with refused("changed"):
        prepare_remove(directory, "secrets.yaml", "old", 2)  # not on that line
    with refused("changed"):
        prepare_remove(directory, "secrets.yaml", "nothing", 1)
    plan = prepare_remove(directory, "secrets.yaml", "old", 1)
    (tmp_path / "secrets.yaml").unlink()
    with refused("file_changed"):
        apply_remove(directory, plan)


@pytest.mark.parametrize(
    ("secrets", "reason"),
    [
        ("old: 1\rother: 2\r", "cannot_rewrite"),
        ("? old\n: 1\nother: 2\n", "cannot_rewrite"),
    ],
)
def test_remove_layouts(tmp_path: Path, secrets: str, reason: str) -> None:
    directory = config(tmp_path, "a: 1\n", secrets)
    with refused(reason):
        prepare_remove(directory, "secrets.yaml", "old", 1)


def test_entry_guards() -> None:
    text = "old: 1 x\n"
    secrets = secrets_yaml.parse_secrets("old: 1\n")
    with refused("cannot_rewrite"):
        secrets_remove._entry_span(text, secrets, "old", 1)
    with refused("changed"):
        secrets_remove._entry_span(text, secrets, "new", 1)


def test_removal_that_does_not_read_back(tmp_path: Path) -> None:
    directory = config(tmp_path, "a: 1\n", "old: 1\nother: 2\n")
    plan = prepare_remove(directory, "secrets.yaml", "old", 1)
    with (
        patch.object(secrets_remove, "_entry_span", return_value=(0, 0)),
        refused("cannot_rewrite"),
    ):
        apply_remove(directory, plan)
    assert (tmp_path / "secrets.yaml").read_text() == "old: 1\nother: 2\n"
