"""The sshd_config reader: includes, first value wins, Match scopes, bad input."""

from __future__ import annotations

import os
from pathlib import Path
import shutil

import pytest

from custom_components.security_posture.inspect import sshd
from custom_components.security_posture.inspect.sshd import (
    SshdConfigError,
    read_sshd_config,
)

FIXTURES = Path(__file__).parent / "fixtures" / "sshd"


def tree(name: str, tmp_path: Path) -> Path:
    """A copy of a fixture tree; returns the path of its main file."""
    target = tmp_path / name
    shutil.copytree(FIXTURES / name, target)
    return target / "sshd_config"


def test_first_value_wins_across_includes(tmp_path: Path) -> None:
    main = tree("root_login", tmp_path)
    config = read_sshd_config(main)
    setting = config.get("permitrootlogin")
    assert setting is not None
    assert setting.value == "yes"
    assert setting.name == "PermitRootLogin"
    assert setting.file == str(main.parent / "sshd_config.d" / "50-root.conf")
    assert setting.line == 1
    assert setting.scope is None
    # Globs are read in sorted order and every file is recorded.
    assert config.files == (
        str(main),
        str(main.parent / "sshd_config.d" / "50-root.conf"),
        str(main.parent / "sshd_config.d" / "90-later.conf"),
    )
    assert config.get("PasswordAuthentication").value == "no"  # type: ignore[union-attr]
    assert config.scopes == ()


def test_match_blocks_are_scopes(tmp_path: Path) -> None:
    config = read_sshd_config(tree("match", tmp_path))
    assert config.scopes == ("Address 192.168.1.0/24 User admin", "all")
    assert config.get("PermitRootLogin").value == "prohibit-password"  # type: ignore[union-attr]
    scoped = config.get("PermitRootLogin", "Address 192.168.1.0/24 User admin")
    assert scoped is not None
    assert scoped.value == "yes"
    assert scoped.line == 6
    assert config.get("X11Forwarding") is None
    assert config.get("X11Forwarding", "all").value == "no"  # type: ignore[union-attr]


def test_included_file_inherits_and_cannot_leave_the_match(tmp_path: Path) -> None:
    main = tree("match_include", tmp_path)
    config = read_sshd_config(main)
    inner = str(main.parent / "conf.d" / "inner.conf")
    chroot = config.get("ChrootDirectory", "Group sftp")
    assert chroot is not None
    assert chroot.file == inner
    # A Match inside the included file only narrows the includer's block ...
    root = config.get("PermitRootLogin", "Group sftp; all")
    assert root is not None
    assert root.value == "yes"
    assert root.file == inner
    # ... and ends with that file: the includer's block goes on.
    assert config.get("ForceCommand", "Group sftp").args == ("internal-sftp",)  # type: ignore[union-attr]
    assert config.get("PermitRootLogin", "User backup").value == "no"  # type: ignore[union-attr]
    assert config.get("PermitRootLogin") is None


def test_include_loop_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(SshdConfigError, match="Include loop") as err:
        read_sshd_config(tree("loop", tmp_path))
    assert "a.conf -> " in str(err.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SshdConfigError, match="does not exist"):
        read_sshd_config(tmp_path / "nope" / "sshd_config")


def test_directory_instead_of_file(tmp_path: Path) -> None:
    with pytest.raises(SshdConfigError, match="is a directory"):
        read_sshd_config(tmp_path)


def test_fifo_is_not_read(tmp_path: Path) -> None:
    fifo = tmp_path / "sshd_config"
    os.mkfifo(fifo)
    with pytest.raises(SshdConfigError, match="is not a regular file"):
        read_sshd_config(fifo)


def test_unreadable_file(tmp_path: Path) -> None:
    main = tmp_path / "sshd_config"
    main.write_text("PermitRootLogin yes\n")
    main.chmod(0)
    try:
        if _readable(main):
            pytest.skip("running as a user who can read anything")
        with pytest.raises(SshdConfigError, match="cannot be read"):
            read_sshd_config(main)
    finally:
        main.chmod(0o600)


def _readable(path: Path) -> bool:
    try:
        path.read_bytes()
    except PermissionError:
        return False
    return True


def test_unreadable_file_through_os_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    main = tmp_path / "sshd_config"
    main.write_text("PermitRootLogin yes\n")

    real_open = os.open

    def refuse(path: object, *args: object, **kwargs: object) -> object:
        if path == main:
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", refuse)
    with pytest.raises(SshdConfigError, match="cannot be read: permission denied"):
        read_sshd_config(main)


def test_too_large(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sshd, "MAX_FILE_BYTES", 64)
    main = tmp_path / "sshd_config"
    main.write_text("# padding\n" * 20)
    with pytest.raises(SshdConfigError, match="larger than 64 bytes"):
        read_sshd_config(main)


def test_depth_is_bounded(tmp_path: Path) -> None:
    for level in range(20):
        (tmp_path / f"{level}.conf").write_text(f"Include {level + 1}.conf\n")
    (tmp_path / "20.conf").write_text("PermitRootLogin yes\n")
    with pytest.raises(SshdConfigError, match="deeper than 16"):
        read_sshd_config(tmp_path / "0.conf")


def test_number_of_files_is_bounded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sshd, "MAX_FILES", 3)
    (tmp_path / "d").mkdir()
    for n in range(5):
        (tmp_path / "d" / f"{n}.conf").write_text("X11Forwarding no\n")
    (tmp_path / "sshd_config").write_text("Include d/*.conf\n")
    with pytest.raises(SshdConfigError, match="More than 3 files"):
        read_sshd_config(tmp_path / "sshd_config")


def test_syntax(tmp_path: Path) -> None:
    (tmp_path / "my dir").mkdir()
    (tmp_path / "my dir" / "x.conf").write_text("Banner /etc/issue.net\n")
    (tmp_path / "sub").mkdir()  # a directory that a glob matches is read as empty
    main = tmp_path / "sshd_config"
    main.write_text(
        "\n"
        "   # indented comment\n"
        "permitrootlogin   =   YES # trailing comment\n"
        "PermitRootLogin no\n"
        "Include\n"  # no argument: ignored, as sshd reports and skips it
        'Include "my dir/*.conf" /does/not/exist/*.conf sub*\n'
        "ChallengeResponseAuthentication yes\n"
        "KbdInteractiveAuthentication no\n"
        'AuthenticationMethods "publickey,password" publickey\n'
        'ForceCommand echo "a b" c\\ d #x\n'
        'Quoted ""\n'
        'Escaped "a\\"b"\n'
    )
    config = read_sshd_config(main)
    root = config.get("PermitRootLogin")
    assert root is not None
    assert (root.value, root.args, root.line) == ("yes", ("YES",), 3)
    assert config.get("Banner").args == ("/etc/issue.net",)  # type: ignore[union-attr]
    kbd = config.get("KbdInteractiveAuthentication")
    assert kbd is not None
    assert kbd.name == "ChallengeResponseAuthentication"  # an alias: the first one wins
    assert kbd.value == "yes"
    assert config.get("AuthenticationMethods").args == (
        "publickey,password",
        "publickey",
    )  # type: ignore[union-attr]
    assert config.get("ForceCommand").args == ("echo", "a b", "c d")  # type: ignore[union-attr]
    assert config.get("Quoted").args == ("",)  # type: ignore[union-attr]
    assert config.get("Escaped").args == ('a"b',)  # type: ignore[union-attr]
    assert len(config.files) == 2


def test_absolute_include(tmp_path: Path) -> None:
    other = tmp_path / "elsewhere.conf"
    other.write_text("PasswordAuthentication yes\n")
    (tmp_path / "main").mkdir()
    main = tmp_path / "main" / "sshd_config"
    main.write_text(f"Include {other}\n")
    setting = read_sshd_config(main).get("PasswordAuthentication")
    assert setting is not None
    assert setting.file == str(other)


def test_mounted_copy_of_etc_ssh(tmp_path: Path) -> None:
    (tmp_path / "sshd_config.d").mkdir()
    (tmp_path / "sshd_config.d" / "50-cloud-init.conf").write_text(
        "PasswordAuthentication yes\n"
    )
    main = tmp_path / "sshd_config"
    main.write_text(
        "Include /etc/ssh/sshd_config.d/*.conf\nPasswordAuthentication no\n"
    )
    setting = read_sshd_config(main).get("PasswordAuthentication")
    assert setting is not None
    assert setting.value == "yes"
    assert setting.file == str(tmp_path / "sshd_config.d" / "50-cloud-init.conf")


def test_home_relative_include_is_not_expanded(tmp_path: Path) -> None:
    main = tmp_path / "sshd_config"
    main.write_text("Include ~/nothing-here-*.conf\nPermitRootLogin no\n")
    assert read_sshd_config(main).files == (str(main),)
