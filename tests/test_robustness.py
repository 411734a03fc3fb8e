"""Broken inputs of every family, each through a real `hass` with the integration set up.

Every case in `tests/fixtures/bad/` (plus what cannot live in git, made at test time:
symbolic link loops, FIFOs, huge and sparse files, deep nesting, certificates broken after the
server loaded them, files the process may not read) must give:

- a report, with reasons: an `unknown` check, a note or a finding that names the file;
- nothing raised into the log: no ERROR record and no traceback, from any logger, while the
  integration is set up and scans;
- Home Assistant still serving: still running, the scan action answers again, the states of
  the integration are valid; no hang (each scan is bounded in time) and no memory explosion.

Tests run as root, so "unreadable" is simulated at the boundary where files are opened. A
case with `known_bug` is a defect of another module, described there: the test fails
(xfail) while it shows and fails outright once it no longer shows, so the mark gets removed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
import contextlib
from dataclasses import dataclass
import errno
import logging
import os
from pathlib import Path
import re
import resource
import shutil
from typing import Any
from unittest.mock import patch

from homeassistant.core import CoreState, HomeAssistant
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.security_posture.checks.registry import CHECK_IDS
from custom_components.security_posture.const import CONF_SSHD_CONFIG, DOMAIN
from custom_components.security_posture.inspect import yaml_files, yaml_loader
from custom_components.security_posture.inspect.scan_client import ScanClient

from .conftest import FIXTURES
from .helpers import async_scan, async_setup_integration
from .remote_access_certs import ec_key, make_cert, write_cert, write_key

BAD = FIXTURES / "bad"
SCAN_TIMEOUT = 10.0  # seconds; a scan of these small trees takes well under one
HANG_TIMEOUT = 1.5  # for cases with a known bug, so that a hang costs little time
WARNINGS_LIMIT = 10  # more WARNING records than this in one case is a flood
STARTUP_WARNINGS = (
    "We found a custom integration",
    "zlib_ng and isal are not available",
)
MEMORY_GROWTH_LIMIT = 256 * 1024  # KiB of peak RSS growth a case may cause
PLACEHOLDER = "{config_dir}"


@dataclass(frozen=True, kw_only=True)
class Case:
    """One broken input and what the report must say about it."""

    name: str
    expect: tuple[str, ...]
    """Regular expressions; each must match one line of `reasons(report)`."""
    prepare: Callable[[Path], Callable[[], None] | None] | None = None
    """Makes what git cannot hold; may return a clean-up (for example unblocking a FIFO)."""
    http_from_yaml: bool = False
    """Set up Home Assistant's HTTP server from the files first (certificate cases)."""
    after_http: Callable[[Path], None] | None = None
    """Breaks files after the server loaded them (a renewal gone wrong)."""
    sshd: str | None = None
    """sshd_config path (relative to the configuration directory) for the options."""
    unreadable: tuple[str, ...] = ()
    """Files (relative) that opening refuses with EACCES."""
    known_bug: str | None = None
    """A defect of another module that makes the log or the scan fail here."""

    @property
    def timeout(self) -> float:
        """How long one scan may take before it counts as hung."""
        return HANG_TIMEOUT if self.known_bug is not None else SCAN_TIMEOUT


def reasons(report: dict[str, Any]) -> list[str]:
    """Every reason a report gives, one line each."""
    lines = [
        f"{c['status']} {c['check']}: {c['reason']}"
        for c in report["checks"]
        if c["status"] in ("unknown", "pass")
    ]
    lines += [f"note {n['family']} {n['file']}: {n['reason']}" for n in report["notes"]]
    lines += [
        f"finding {f['check']} {f['file']}: {f['title']}" for f in report["findings"]
    ]
    return lines


# --- making what git cannot hold --------------------------------------------------------


def _symlink(name: str, target: str) -> Callable[[Path], None]:
    def prepare(config_dir: Path) -> None:
        (config_dir / name).symlink_to(target)

    return prepare


def _fifo(name: str) -> Callable[[Path], Callable[[], None]]:
    """A FIFO where a file is expected; the clean-up lets a blocked reader go."""

    def prepare(config_dir: Path) -> Callable[[], None]:
        path = config_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(path)

        def release() -> None:
            # A reader stuck in open() gets end of file once a writer came and went.
            for _ in range(50):
                try:
                    fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
                except OSError:
                    return  # no reader waits (ENXIO)
                os.close(fd)

        return release

    return prepare


def _sparse(name: str, size: int) -> Callable[[Path], None]:
    """A file of `size` bytes (zeros) that takes no disk space."""

    def prepare(config_dir: Path) -> None:
        path = config_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            handle.truncate(size)

    return prepare


def _huge_yaml(config_dir: Path) -> None:
    """11 MiB of valid YAML (comments and one key): over the reader's 10 MiB limit."""
    line = "# " + "x" * 77 + "\n"
    with (config_dir / "big.yaml").open("w", encoding="ascii") as handle:
        handle.write(line * (11 * 1024 * 1024 // len(line)))
        handle.write("- platform: template\n")


def _deep_flow(config_dir: Path) -> None:
    # libyaml recurses on the C stack for each level: this depth crashes a process whose
    # scan hands the file to it (as the remote access family once did), so it must never be.
    depth = 100_000
    (config_dir / "deep.yaml").write_text("[" * depth + "]" * depth + "\n")


def _deep_block(config_dir: Path) -> None:
    depth = 1200
    text = "".join(" " * i + f"k{i}:\n" for i in range(depth)) + " " * depth + "v\n"
    (config_dir / "deep.yaml").write_text(text)


def _certificate(config_dir: Path) -> None:
    """A valid certificate and key, for the server to load before they break."""
    key = ec_key()
    write_cert(config_dir / "ssl" / "server.crt", make_cert(key=key))
    write_key(config_dir / "ssl" / "server.key", key)


def _write(name: str, data: bytes) -> Callable[[Path], None]:
    def after_http(config_dir: Path) -> None:
        (config_dir / name).write_bytes(data)

    return after_http


def _encrypted_key(config_dir: Path) -> None:
    write_key(config_dir / "ssl" / "server.key", ec_key(), "encrypted")


def _directory(name: str) -> Callable[[Path], None]:
    def after_http(config_dir: Path) -> None:
        path = config_dir / name
        path.unlink()
        path.mkdir()

    return after_http


def _remove(name: str) -> Callable[[Path], None]:
    def after_http(config_dir: Path) -> None:
        (config_dir / name).unlink()

    return after_http


def _replace_with_fifo(name: str) -> Callable[[Path], None]:
    def after_http(config_dir: Path) -> None:
        path = config_dir / name
        path.unlink()
        os.mkfifo(path)

    return after_http


def _replace_with_sparse(name: str, size: int) -> Callable[[Path], None]:
    def after_http(config_dir: Path) -> None:
        (config_dir / name).unlink()
        _sparse(name, size)(config_dir)

    return after_http


# --- the corpus ---------------------------------------------------------------------------

SECRETS_UNKNOWN = r"unknown inline_credential: configuration\.yaml: "
CERT = r"(finding certificate_unreadable ssl/server\.(crt|key)|unknown certificate_\w+: .*)"

CASES: tuple[Case, ...] = (
    # YAML syntax and encodings
    Case(
        name="malformed_yaml",
        expect=(SECRETS_UNKNOWN + r"invalid YAML at line 5",),
    ),
    Case(
        name="malformed_include",
        expect=(r"note secrets automations\.yaml: invalid YAML at line 3",),
    ),
    Case(
        name="non_utf8_configuration",
        expect=(SECRETS_UNKNOWN + r"not valid UTF-8 \(line 2\)",),
    ),
    Case(
        name="non_utf8_include",
        expect=(r"note secrets packages/heizung\.yaml: not valid UTF-8 \(line 3\)",),
    ),
    Case(
        name="utf16_configuration",
        expect=(SECRETS_UNKNOWN + r"not valid UTF-8",),
    ),
    Case(
        name="binary_configuration",
        expect=(SECRETS_UNKNOWN + r"not valid UTF-8",),
    ),
    Case(
        name="binary_include",
        expect=(r"note secrets sensor\.yaml: (not valid UTF-8|invalid YAML)",),
    ),
    # Empty files are valid (nothing configured): the checks run and pass.
    Case(name="empty_configuration", expect=(r"pass inline_credential",)),
    Case(
        name="empty_include", expect=(r"pass inline_credential", r"pass secret_unused")
    ),
    Case(
        name="scalar_configuration",
        expect=(SECRETS_UNKNOWN + r"does not contain a mapping",),
    ),
    Case(
        name="list_configuration",
        expect=(SECRETS_UNKNOWN + r"does not contain a mapping",),
    ),
    Case(
        name="bad_tags",
        expect=(SECRETS_UNKNOWN + r"invalid YAML at line 6",),
    ),
    Case(
        name="invalid_date",
        expect=(SECRETS_UNKNOWN + r"invalid YAML: a value cannot be read",),
    ),
    Case(
        name="env_var_missing",
        expect=(r"note remote_access configuration\.yaml: cannot load",),
    ),
    Case(
        name="deep_flow_nesting",
        prepare=_deep_flow,
        expect=(r"note secrets deep\.yaml: invalid YAML: nested too deeply",),
    ),
    Case(
        name="deep_block_nesting",
        prepare=_deep_block,
        expect=(r"note secrets deep\.yaml: invalid YAML: nested too deeply",),
    ),
    # includes
    Case(
        name="include_loop",
        expect=(r"note secrets groups/a\.yaml: include loop",),
    ),
    Case(
        name="self_include",
        expect=(r"note secrets configuration\.yaml: include loop",),
    ),
    Case(
        name="include_dir_loop",
        expect=(r"note secrets scripts/morning\.yaml: include loop",),
    ),
    Case(
        name="missing_include",
        expect=(r"note secrets sensors\.yaml: file not found",),
    ),
    Case(
        name="directory_include",
        expect=(r"note secrets sensors\.yaml: is a directory",),
    ),
    Case(
        name="include_outside",
        expect=(
            r"note secrets /nonexistent/security-posture-test/sensors\.yaml: file not found",
        ),
    ),
    Case(
        name="symlink_loop_include",
        prepare=_symlink("loop.yaml", "loop.yaml"),
        expect=(r"note secrets loop\.yaml: cannot be read: symbolic link loop",),
    ),
    Case(
        name="dangling_symlink",
        prepare=_symlink("gone.yaml", "nowhere/gone.yaml"),
        expect=(r"note secrets gone\.yaml: file not found",),
    ),
    Case(
        name="unreadable_include",
        unreadable=("automations.yaml",),
        expect=(r"note secrets automations\.yaml: cannot be read: permission denied",),
    ),
    Case(
        name="unreadable_configuration",
        unreadable=("configuration.yaml",),
        expect=(SECRETS_UNKNOWN + r"cannot be read: permission denied",),
    ),
    Case(
        name="fifo_include",
        prepare=_fifo("packages/heating.yaml"),
        expect=(r"note secrets packages/heating\.yaml: not a regular file",),
    ),
    Case(
        name="huge_include",
        prepare=_huge_yaml,
        expect=(r"note secrets big\.yaml: larger than 10 MiB",),
    ),
    # secrets files
    Case(
        name="secrets_list",
        expect=(r"note secrets secrets\.yaml: secrets file is not a mapping",),
    ),
    Case(
        name="secrets_malformed",
        expect=(r"note secrets secrets\.yaml: invalid YAML",),
    ),
    Case(
        name="secrets_directory",
        expect=(
            r"note secrets secrets\.yaml: is a directory",
            r"unknown secrets_file_permissions: secrets\.yaml is not a regular file",
        ),
    ),
    Case(
        name="secrets_binary",
        expect=(r"note secrets secrets\.yaml: not valid UTF-8",),
    ),
    Case(
        name="symlink_loop_secrets",
        prepare=_symlink("secrets.yaml", "secrets.yaml"),
        expect=(
            r"note secrets secrets\.yaml: cannot be read: symbolic link loop",
            r"unknown secrets_file_permissions: .*secrets\.yaml",
        ),
    ),
    Case(
        name="fifo_secrets",
        prepare=_fifo("secrets.yaml"),
        expect=(r"note secrets secrets\.yaml: not a regular file",),
    ),
    Case(
        name="huge_secrets",
        prepare=_sparse("secrets.yaml", 64 * 1024 * 1024),
        expect=(r"note secrets secrets\.yaml: larger than 10 MiB",),
    ),
    # bombs: each container is walked once; one credential, not a billion
    Case(
        name="yaml_bomb",
        expect=(
            r"finding inline_credential configuration\.yaml: \S+password: password in plain text",
        ),
    ),
    Case(
        name="merge_bomb",
        expect=(
            r"finding inline_credential configuration\.yaml: \S+password: password in plain text",
        ),
    ),
    # remote access: the HTTP settings store and certificates broken after start
    Case(
        name="storage_http_unknown_version",
        expect=(r"note remote_access \.storage/http: .*version",),
    ),
    Case(
        name="storage_http_garbage",
        expect=(
            r"note remote_access \.storage/http: cannot read the HTTP settings store: not valid JSON",
        ),
    ),
    Case(
        name="storage_http_list",
        expect=(
            r"note remote_access \.storage/http: cannot read the HTTP settings store: no data",
        ),
    ),
    Case(
        name="storage_http_huge",
        prepare=_sparse(".storage/http", 3 * 1024 * 1024),
        expect=(
            r"note remote_access \.storage/http: cannot read the HTTP settings store: file too large",
        ),
    ),
    Case(
        name="cert_garbage",
        prepare=lambda d: _certificate(d),
        http_from_yaml=True,
        after_http=_write("ssl/server.crt", os.urandom(2048)),
        expect=(CERT,),
    ),
    Case(
        name="cert_key_garbage",
        prepare=lambda d: _certificate(d),
        http_from_yaml=True,
        after_http=_write(
            "ssl/server.key",
            b"-----BEGIN PRIVATE KEY-----\nnot base64\n-----END PRIVATE KEY-----\n",
        ),
        expect=(r"finding certificate_unreadable ssl/server\.key",),
    ),
    Case(
        name="cert_key_encrypted",
        prepare=lambda d: _certificate(d),
        http_from_yaml=True,
        after_http=_encrypted_key,
        expect=(r"finding certificate_unreadable ssl/server\.key",),
    ),
    Case(
        name="cert_directory",
        prepare=lambda d: _certificate(d),
        http_from_yaml=True,
        after_http=_directory("ssl/server.crt"),
        expect=(r"finding certificate_unreadable ssl/server\.crt",),
    ),
    Case(
        name="cert_missing",
        prepare=lambda d: _certificate(d),
        http_from_yaml=True,
        after_http=_remove("ssl/server.crt"),
        expect=(r"finding certificate_unreadable ssl/server\.crt",),
    ),
    Case(
        name="cert_fifo",
        prepare=lambda d: _certificate(d),
        http_from_yaml=True,
        after_http=_replace_with_fifo("ssl/server.key"),
        expect=(r"finding certificate_unreadable ssl/server\.key",),
    ),
    Case(
        name="cert_empty",
        prepare=lambda d: _certificate(d),
        http_from_yaml=True,
        after_http=_write("ssl/server.crt", b""),
        expect=(r"finding certificate_unreadable ssl/server\.crt",),
    ),
    Case(
        name="cert_huge",
        prepare=lambda d: _certificate(d),
        http_from_yaml=True,
        after_http=_replace_with_sparse("ssl/server.crt", 8 * 1024 * 1024),
        expect=(r"finding certificate_unreadable ssl/server\.crt",),
    ),
    # Authentication reads ip_bans.yaml.
    Case(
        name="ip_bans_malformed",
        expect=(r"unknown failed_logins: ip_bans\.yaml is not valid YAML",),
    ),
    Case(
        name="ip_bans_list",
        expect=(r"unknown failed_logins: ip_bans\.yaml is not a mapping",),
    ),
    Case(
        name="ip_bans_fifo",
        prepare=_fifo("ip_bans.yaml"),
        expect=(r"unknown failed_logins: ip_bans\.yaml is not a regular file",),
    ),
    # The host family reads sshd_config.
    Case(
        name="sshd_include_loop",
        sshd="ssh/sshd_config",
        expect=(r"unknown ssh_root_login: sshd_config: Include loop",),
    ),
    Case(
        name="sshd_binary",
        sshd="ssh/sshd_config",
        # Not text: no directive is recognised, so sshd's defaults apply (as the reader
        # reads it); the finding names the file.
        expect=(r"finding ssh_password_auth .*ssh/sshd_config",),
    ),
    Case(
        name="sshd_directory",
        sshd="ssh/sshd_config",
        expect=(r"unknown ssh_root_login: sshd_config: .*is a directory",),
    ),
    Case(
        name="sshd_missing",
        sshd="ssh/sshd_config",
        expect=(r"(unknown|pass) ssh_root_login",),
    ),
)


def test_the_corpus_is_complete() -> None:
    """Every fixture directory is a case, and the other way round."""
    assert {c.name for c in CASES} == {p.name for p in BAD.iterdir() if p.is_dir()}
    assert len(CASES) >= 30


@pytest.mark.parametrize(
    "text",
    [
        "",
        "a: 1\n",
        "- - - - x\n",
        "-\t- x\n  - - y\n",
        "a:\n  b:\n    - - c: [1, {d: 2}]\n      # comment\n  e: x\n",
        "a: ']]][['\n",
        "".join(" " * i + f"k{i}:\n" for i in range(150)),
        "x: " + "[" * 120 + "]" * 120 + "\n",
    ],
)
def test_nesting_bound_is_an_upper_bound(text: str) -> None:
    """The cheap bound the reader checks first never says less than the estimate."""
    assert yaml_loader._nesting_bound(text) >= yaml_loader.nesting_estimate(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "a: 1\n",
        "".join(" " * i + f"k{i}:\n" for i in range(150)),
        "x: " + "[" * 120 + "]" * 120 + "\n",
        "[" * 99 + "\n",  # the bound is exactly the limit: not beyond it
        "[" * 100 + "\n",
        "[" * 49 + "\n" + " " * 50 + "x\n",
        "[" * 49 + "\n" + "- " * 25 + "x\n",
        "[" * 49 + "\n" + " " * 49 + "x\n",
        "a:\n" + " " * 99 + "b\n",
        "a:\n" + " -" * 50 + "b\n",
    ],
)
def test_the_quick_nesting_check_agrees_with_the_bound(text: str) -> None:
    """Whether the bound exceeds the C limit, without listing the prefix of every line."""
    limit = yaml_loader._C_DEPTH_LIMIT
    assert yaml_loader._nests_beyond_c_limit(text) is (
        yaml_loader._nesting_bound(text) > limit
    )


def test_nesting_bound_holds_for_every_fixture() -> None:
    texts = [
        p.read_text(encoding="utf-8", errors="replace")
        for p in FIXTURES.rglob("*.yaml")
        if p.is_file()
    ]
    assert len(texts) > 50
    for text in texts:
        assert yaml_loader._nesting_bound(text) >= yaml_loader.nesting_estimate(text)


# --- running a case -----------------------------------------------------------------------


@contextlib.contextmanager
def _unreadable(config_dir: Path, names: tuple[str, ...]) -> Iterator[None]:
    """Opening these files fails with EACCES, in this integration's readers and in HA's.

    The opening is patched in this process, so the configuration is scanned in it too (the
    scan worker's fallback, the same reader), not in a worker process.
    """
    if not names:
        yield
        return
    init = ScanClient.__init__

    def in_process(client: ScanClient, *args: Any, **kwargs: Any) -> None:
        init(client, *args, **kwargs)
        client.in_process_cache = {}

    refused = {str(config_dir / n) for n in names}
    open_fd = yaml_files._open_fd
    real_open = open

    def guarded_open_fd(path: str) -> int:
        if path in refused:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), path)
        return open_fd(path)

    def guarded_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        if str(file) in refused:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(file))
        return real_open(file, *args, **kwargs)

    with (
        patch.object(yaml_files, "_open_fd", guarded_open_fd),
        patch("annotatedyaml.loader.open", guarded_open, create=True),
        patch.object(ScanClient, "__init__", in_process),
    ):
        yield


async def _bounded[T](awaitable: Any, limit: float) -> tuple[T | None, bool]:
    """The result, or (None, True) if it did not finish within `limit` seconds."""
    try:
        async with asyncio.timeout(limit):
            return await awaitable, False
    except TimeoutError:
        return None, True


def _peak_rss() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


async def _prepare(
    hass: HomeAssistant, config_dir: Path, case: Case
) -> Callable[[], None] | None:
    """Lay the case out in the configuration directory; return its clean-up."""
    shutil.copytree(BAD / case.name, config_dir, dirs_exist_ok=True, symlinks=True)
    conf = config_dir / "configuration.yaml"
    if conf.is_file() and PLACEHOLDER.encode() in (raw := conf.read_bytes()):
        conf.write_bytes(raw.replace(PLACEHOLDER.encode(), str(config_dir).encode()))
    release = case.prepare(config_dir) if case.prepare else None
    if case.http_from_yaml:
        ssl = config_dir / "ssl"
        assert await async_setup_component(
            hass,
            "http",
            {
                "http": {
                    "ssl_certificate": str(ssl / "server.crt"),
                    "ssl_key": str(ssl / "server.key"),
                }
            },
        )
    if case.after_http:
        case.after_http(config_dir)
    return release


@dataclass
class Outcome:
    """What setting up and scanning twice gave."""

    report: dict[str, Any] | None = None
    again: dict[str, Any] | None = None
    hung: bool = False


async def _run(hass: HomeAssistant, config_dir: Path, case: Case) -> Outcome:
    """Set the integration up (first scan), then scan twice through the action."""
    release = await _prepare(hass, config_dir, case)
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Security Posture",
        data={},
        options={CONF_SSHD_CONFIG: str(config_dir / (case.sshd or "no/sshd_config"))},
    )
    outcome = Outcome()
    with _unreadable(config_dir, case.unreadable):
        try:
            _, outcome.hung = await _bounded(
                async_setup_integration(hass, entry), case.timeout
            )
            if not outcome.hung:
                outcome.report, outcome.hung = await _bounded(
                    async_scan(hass), case.timeout
                )
            if not outcome.hung:  # still serving: the action answers again
                outcome.again, outcome.hung = await _bounded(
                    async_scan(hass), case.timeout
                )
        finally:
            if release is not None:
                release()
    if outcome.hung:  # let the released scan end before Home Assistant stops
        await _bounded(
            hass.async_block_till_done(wait_background_tasks=True), SCAN_TIMEOUT
        )
    return outcome


def _check_report(hass: HomeAssistant, case: Case, outcome: Outcome) -> list[str]:
    """Assert what must hold; return what a known bug of another module explains."""
    report, again = outcome.report, outcome.again
    assert report is not None
    assert again is not None
    lines = reasons(report)
    missing = [p for p in case.expect if not any(re.search(p, ln) for ln in lines)]
    soft = []
    if missing and case.known_bug is not None:
        soft.append(f"no reason matching {missing}")
    else:
        assert not missing, f"no reason matches {missing}; reasons: {lines}"
    # Every check is in the report, with a status; the score is a score.
    assert sorted(c["check"] for c in report["checks"]) == sorted(CHECK_IDS)
    assert 0 <= report["score"] <= 100
    # Still serving: running, the action answered again, the entities are valid.
    assert hass.state is CoreState.running
    assert again["checks"] == report["checks"]
    score = hass.states.get("sensor.security_posture_score")
    assert score is not None
    assert 0 <= int(score.state) <= 100
    for family in ("secrets", "updates", "remote_access", "authentication", "host"):
        state = hass.states.get(f"binary_sensor.security_posture_{family}")
        assert state is not None
        assert state.state in ("on", "off", "unavailable")
    return soft


def _log_problems(records: list[logging.LogRecord]) -> list[str]:
    """Errors and tracebacks from any logger, or a flood of warnings."""
    problems = []
    logged = [
        f"{r.name} {r.levelname}: {r.getMessage()[:160]}"
        for r in records
        if r.levelno >= logging.ERROR or r.exc_info
    ]
    if logged:
        problems.append(f"logged: {logged[:3]}")
    warned = [
        r.getMessage()
        for r in records
        if r.levelno == logging.WARNING
        and not r.getMessage().startswith(STARTUP_WARNINGS)
    ]
    if len(warned) > WARNINGS_LIMIT:
        problems.append(f"{len(warned)} warnings, first: {warned[0][:120]}")
    return problems


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
async def test_broken_input(
    hass: HomeAssistant,
    config_dir: Path,
    caplog: pytest.LogCaptureFixture,
    case: Case,
) -> None:
    """A report with reasons, a clean log, and Home Assistant still serving."""
    caplog.set_level(logging.WARNING)
    rss_before = _peak_rss()
    outcome = await _run(hass, config_dir, case)
    grew = _peak_rss() - rss_before
    assert grew < MEMORY_GROWTH_LIMIT, f"peak memory grew by {grew // 1024} MiB"
    soft = (
        [f"the scan did not finish within {case.timeout} s"]
        if outcome.hung
        else _check_report(hass, case, outcome)
    )
    soft += _log_problems(caplog.records)
    if case.known_bug is not None:
        if soft:
            pytest.xfail(f"{case.known_bug} ({'; '.join(soft)[:300]})")
        pytest.fail(f"the known bug no longer shows, remove its mark: {case.known_bug}")
    assert not soft, soft
