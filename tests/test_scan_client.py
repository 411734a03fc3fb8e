"""The scan worker, from Home Assistant's side: a process of its own, on a time budget.

Real files and real processes: a FIFO, a file over the size limit, a file that takes longer
to read than the (tiny) budget given here, a worker that is killed, stopped or idle, and
no interpreter to start at all.
"""

from __future__ import annotations

from datetime import UTC, datetime
import os
from pathlib import Path
import pickle
import signal
import sys
from typing import TYPE_CHECKING

import pytest

from custom_components.security_posture.engine import CheckUnknown, ScanContext
from custom_components.security_posture.inspect import scan_client
from custom_components.security_posture.inspect.config_facts import (
    CONFIG_GRAPH,
    INLINE_CREDENTIALS,
    SCAN_CLIENT,
)
from custom_components.security_posture.inspect.scan_client import (
    ScanClient,
    ScanError,
)
from custom_components.security_posture.inspect.yaml_files import FILE_SIZE_LIMIT
from custom_components.security_posture.model import Family

from .helpers import async_setup_integration, write

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

BUDGET = 0.5
"""The budget of these tests, in seconds of wall time (as the worker counts it): a small part
of the seconds the slow file takes, and hundreds of times what a small file takes even on a
loaded machine, whose processes may wait tens of milliseconds for a CPU."""
SILENCE = 0.5
"""How long these tests wait for a stopped worker, which can never answer."""


def ctx_for(hass: HomeAssistant, config: Path, cache: object = None) -> ScanContext:
    ctx = ScanContext(hass=hass, config_dir=config, now=datetime.now(UTC))
    if cache is not None:
        ctx.cache = cache  # type: ignore[assignment]
    return ctx


async def test_the_worker_imports_nothing_of_home_assistant(
    hass: HomeAssistant, tmp_path: Path
) -> None:
    config = write(tmp_path, {"configuration.yaml": "a: 1\n"})
    client = ScanClient()
    await client.async_scan(hass, config)
    assert client.pid is not None
    assert client.pid != os.getpid()
    modules = await client.async_modules(hass)
    assert "custom_components.security_posture.inspect.config_scan" in modules
    assert not [m for m in modules if m.split(".")[0] == "homeassistant"]
    # Only the readers: not the engine, the model or the checks.
    ours = {
        m.split(".", 2)[2]
        for m in modules
        if m.count(".") >= 2 and m.startswith("custom_components.security_posture.")
    }
    assert ours, modules
    assert {m.split(".")[0] for m in ours} == {"inspect"}, ours
    await client.async_close()
    assert client.pid is None


async def test_facts_come_from_the_worker(hass: HomeAssistant, tmp_path: Path) -> None:
    config = write(
        tmp_path,
        {
            "configuration.yaml": "a: !include a.yaml\nb: !secret gone\n",
            "a.yaml": "password: a-literal-password\n",
            "secrets.yaml": "unused: x\n",
        },
    )
    ctx = ctx_for(hass, config)
    (credential,) = await ctx.fact(INLINE_CREDENTIALS)
    assert (credential.file, credential.line, credential.key) == (
        "a.yaml",
        1,
        "password",
    )
    graph = await ctx.fact(CONFIG_GRAPH)
    assert [u.name for u in graph.secret_uses] == ["gone"]
    client = ctx.cache.get(SCAN_CLIENT)
    assert client.started == 1
    assert client.in_process_cache is None


async def test_a_fifo_is_not_read_and_blocks_nothing(
    hass: HomeAssistant, tmp_path: Path
) -> None:
    config = write(
        tmp_path,
        {
            "configuration.yaml": "a: !include pipe.yaml\nb: !include b.yaml\n",
            "b.yaml": "token: another-literal-token\n",
            "secrets.yaml": "unused: x\n",
        },
    )
    os.mkfifo(config / "pipe.yaml")
    ctx = ctx_for(hass, config)
    credentials = await ctx.fact(INLINE_CREDENTIALS)
    assert [c.file for c in credentials] == ["b.yaml"]
    assert [(n.family, n.file, n.reason) for n in ctx.notes] == [
        (
            Family.SECRETS,
            "pipe.yaml",
            "not a regular file (included from configuration.yaml line 1)",
        )
    ]
    graph = await ctx.fact(CONFIG_GRAPH)
    assert not graph.complete  # secret_unused: unknown, a secret may be used there


async def test_a_file_over_the_size_limit_is_not_read(
    hass: HomeAssistant, tmp_path: Path
) -> None:
    config = write(tmp_path, {"configuration.yaml": "a: !include huge.yaml\n"})
    with (config / "huge.yaml").open("wb") as huge:
        huge.truncate(FILE_SIZE_LIMIT + 1)  # sparse: nothing written to the disk
    ctx = ctx_for(hass, config)
    graph = await ctx.fact(CONFIG_GRAPH)
    assert [(p.file, p.reason) for p in graph.problems] == [
        (
            "huge.yaml",
            f"larger than 10 MiB ({FILE_SIZE_LIMIT + 1} bytes), not read "
            "(included from configuration.yaml line 1)",
        )
    ]


def _slow_file(path: Path) -> None:
    """A file that takes far longer to read than `BUDGET` (seconds)."""
    path.write_text(
        "".join(
            f"key_{i}:\n  - value {i}\n  - {{a: [{i}, {i}]}}\n" for i in range(60000)
        ),
        encoding="utf-8",
    )


async def test_a_file_that_takes_too_long_is_cut_off(
    hass: HomeAssistant, tmp_path: Path
) -> None:
    config = write(
        tmp_path,
        {
            "configuration.yaml": "a: !include slow.yaml\nb: !include b.yaml\n",
            "b.yaml": "password: read-despite-the-slow-one\n",
        },
    )
    _slow_file(config / "slow.yaml")
    client = ScanClient(budget=BUDGET)
    scan = await client.async_scan(hass, config)
    assert scan.cut_off == (str(config / "slow.yaml"),)
    assert [(p.file, p.reason) for p in scan.graph.problems] == [
        (
            "slow.yaml",
            f"took longer than {BUDGET:g} s to read; not read (included from "
            "configuration.yaml line 1)",
        )
    ]
    assert [c.file for c in scan.credentials] == ["b.yaml"]
    assert client.started == 2  # the stuck worker exited; a new one read the rest
    # Nothing is taken as unchanged after a cut off: the next scan tries again.
    again = await client.async_scan(hass, config)
    assert again.cut_off == scan.cut_off
    await client.async_close()


async def test_the_configuration_itself_cut_off_makes_the_facts_unknown(
    hass: HomeAssistant, tmp_path: Path
) -> None:
    _slow_file(tmp_path / "configuration.yaml")
    ctx = ctx_for(hass, tmp_path)
    ctx.cache.get(SCAN_CLIENT).budget = BUDGET
    with pytest.raises(CheckUnknown, match=rf"took longer than {BUDGET:g} s to read"):
        await ctx.fact(INLINE_CREDENTIALS)


async def test_a_silent_worker_is_given_up(hass: HomeAssistant, tmp_path: Path) -> None:
    config = write(tmp_path, {"configuration.yaml": "a: 1\n"})
    client = ScanClient()
    await client.async_scan(hass, config)
    pid = client.pid
    assert pid is not None
    os.kill(pid, signal.SIGSTOP)  # it can neither answer nor send signs of life
    (config / "configuration.yaml").write_text("a: 2\n")
    # Only the stopped worker is given a short silence: a starting one, on a loaded
    # machine, may take that long to answer.
    client.silence = SILENCE
    with pytest.raises(ScanError, match=rf"did not answer for {SILENCE:g} s"):
        await client.async_scan(hass, config)
    client.silence = scan_client.SILENCE
    assert client.pid is None  # killed
    assert (await client.async_scan(hass, config)).graph.files
    assert client.started == 2
    await client.async_close()


async def test_a_worker_that_went_away_is_replaced(
    hass: HomeAssistant, tmp_path: Path
) -> None:
    config = write(tmp_path, {"configuration.yaml": "password: a-literal-pass\n"})
    client = ScanClient()
    first = await client.async_scan(hass, config)
    assert client.process is not None
    os.kill(client.process.pid, signal.SIGKILL)
    await client.process.wait()
    second = await client.async_scan(hass, config)
    assert second.credentials == first.credentials
    assert client.started == 2
    await client.async_close()


async def test_an_idle_worker_exits(
    hass: HomeAssistant, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scan_client, "IDLE_EXIT", 0.1)
    config = write(tmp_path, {"configuration.yaml": "a: 1\n"})
    client = ScanClient()
    await client.async_scan(hass, config)
    process = client.process
    assert process is not None
    assert await process.wait() == 0  # exits by itself, its memory goes back
    assert (await client.async_scan(hass, config)).graph.stats.files_parsed == 1
    assert client.started == 2
    await client.async_close()


async def test_an_unchanged_configuration_is_not_read_again(
    hass: HomeAssistant, tmp_path: Path
) -> None:
    config = write(tmp_path, {"configuration.yaml": "a: !include a.yaml\n"})
    write(config, {"a.yaml": "b: 1\n"})
    client = ScanClient()
    first = await client.async_scan(hass, config)
    second = await client.async_scan(hass, config)
    assert second.graph.files is first.graph.files  # the same facts, nothing sent
    assert second.graph.stats.bytes_read == 0
    (config / "a.yaml").write_text("b: 2\n")
    third = await client.async_scan(hass, config)
    assert third.graph.stats.files_parsed == 1
    await client.async_close()


async def test_without_an_interpreter_the_scan_runs_in_the_executor(
    hass: HomeAssistant, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = write(tmp_path, {"configuration.yaml": "token: a-literal-token\n"})
    monkeypatch.setattr(sys, "executable", str(tmp_path / "no-python-here"))
    client = ScanClient()
    scan = await client.async_scan(hass, config)
    assert [c.key for c in scan.credentials] == ["token"]
    assert client.started == 0
    assert client.in_process_cache is not None
    # Unchanged: the same facts; changed: read again (from the cache kept here).
    assert (await client.async_scan(hass, config)).graph.files is scan.graph.files
    (config / "configuration.yaml").write_text("token: another-token-literal\n")
    assert (await client.async_scan(hass, config)).graph.stats.files_parsed == 1
    monkeypatch.setattr(sys, "executable", "")
    other = ScanClient()
    assert (await other.async_scan(hass, config)).credentials == scan.credentials


def test_only_the_readers_classes_are_unpickled() -> None:
    assert scan_client._decode(pickle.dumps(("alive",))) == ("alive",)
    with pytest.raises(pickle.UnpicklingError, match=r"posix\.system is not expected"):
        scan_client._decode(pickle.dumps(("done", 1, os.system)))
    with pytest.raises(pickle.UnpicklingError, match="not a message"):
        scan_client._decode(pickle.dumps([1]))


async def test_unloading_the_entry_stops_its_worker(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, config_dir: Path
) -> None:
    write(config_dir, {"configuration.yaml": "a: 1\n"})
    await async_setup_integration(hass, mock_config_entry)
    client = mock_config_entry.runtime_data._cache.get(SCAN_CLIENT)
    process = client.process
    assert process is not None
    assert await hass.config_entries.async_unload(mock_config_entry.entry_id)
    assert process.returncode == -signal.SIGKILL
    assert client.pid is None


_SAYS = """import pickle, struct, sys
for message in {messages!r}:
    body = pickle.dumps(message)
    sys.stdout.buffer.write(struct.pack(">I", len(body)) + body)
    sys.stdout.buffer.flush()
{then}
"""


def _process_saying(*messages: tuple[object, ...], then: str = "") -> str:
    """A process that says `messages` whatever it is asked, then does `then`."""
    return _SAYS.format(messages=list(messages), then=then)


async def test_a_worker_that_dies_at_once_is_replaced_once(
    hass: HomeAssistant, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scan_client, "_BOOT", "import sys; sys.exit(1)")
    client = ScanClient()
    with pytest.raises(ScanError, match="the configuration reader stopped"):
        await client.async_scan(hass, write(tmp_path, {"configuration.yaml": "a: 1\n"}))
    assert client.started == 2
    await client.async_close()


async def test_a_worker_that_dies_while_answering_is_not_asked_again(
    hass: HomeAssistant, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scan_client, "_BOOT", _process_saying(("alive",)))
    client = ScanClient()
    with pytest.raises(ScanError, match="the configuration reader stopped"):
        await client.async_scan(hass, write(tmp_path, {"configuration.yaml": "a: 1\n"}))
    assert client.started == 1
    await client.async_close()


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        (("failed", "OSError"), "the configuration could not be read: OSError"),
        (("what",), "the configuration reader answered something unexpected"),
        (("done", 1, "not a scan"), "answered something unexpected"),
    ],
)
async def test_answers_that_are_no_scan(
    hass: HomeAssistant,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    message: tuple[object, ...],
    reason: str,
) -> None:
    monkeypatch.setattr(
        scan_client, "_BOOT", _process_saying(message, then="sys.stdin.read()")
    )
    client = ScanClient()
    with pytest.raises(ScanError, match=reason):
        await client.async_scan(hass, write(tmp_path, {"configuration.yaml": "a: 1\n"}))
    await client.async_close()


async def test_too_many_files_cut_off_fail_the_scan(
    hass: HomeAssistant, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scan_client, "MAX_CUT_OFF", 0)
    config = write(tmp_path, {"configuration.yaml": "a: !include slow.yaml\n"})
    _slow_file(config / "slow.yaml")
    client = ScanClient(budget=BUDGET)
    with pytest.raises(ScanError, match="more than 0 files took too long to read"):
        await client.async_scan(hass, config)
    await client.async_close()


async def test_when_the_files_cannot_be_scanned_both_facts_are_unknown(
    hass: HomeAssistant, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scan_client, "_BOOT", "import sys; sys.exit(1)")
    ctx = ctx_for(hass, write(tmp_path, {"configuration.yaml": "a: 1\n"}))
    for fact in (CONFIG_GRAPH, INLINE_CREDENTIALS):
        with pytest.raises(CheckUnknown, match="the configuration reader stopped"):
            await ctx.fact(fact)
