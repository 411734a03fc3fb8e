"""The hostile inputs of `tests/test_attacks.py`, timed: `scripts/bench --hostile`.

A few seconds, next to the half hour of the whole benchmark. The tests bound how the cost
grows (CPU time, whatever the machine's load); the numbers the issues name are measured
here:

- each long-string attack, at the size of its issue, in this process: the least wall time
  of `--repeat` runs (the run least disturbed by others) and the least CPU time of the
  thread doing the work (`time.thread_time`), the garbage collector paused;
- 5,000 and 20,000 inline credentials, two runs each, with a running Home Assistant made
  the way the test harness makes it (`async_test_home_assistant`) and the real scan
  worker: the integration is set up (the first scan), the scan action runs and one risk
  is accepted (which re-marks the whole report). Measured as
  `test_twenty_thousand_findings_neither_flood_repairs_nor_stall` measures: asyncio's debug
  mode off and Home Assistant's own objects frozen out of the garbage collector. The stall
  is how late a 2 ms timer ran (wall time); beside it the CPU time of the longest
  event-loop step, and the repair issues raised.

Writes the table of docs/BENCHMARKS.md's "Hostile input" section between its markers
(`--no-write`: print it only). The "Before" column is what the same inputs cost before
the fixes (measured then; that code is gone).
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
import gc
import os
from pathlib import Path
import socket
import sys
import tempfile
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "BENCHMARKS.md"
BEGIN = "<!-- hostile:begin (written by scripts/bench --hostile; edit outside these markers) -->"
END = "<!-- hostile:end -->"
MANY = (5_000, 20_000)
BEFORE_MANY = {5_000: "0.20 s, 5,002 issues", 20_000: "0.76 to 0.80 s, 20,002 issues"}


# --- the long strings ----------------------------------------------------------------------


@dataclass(frozen=True)
class Attack:
    """One row: the input, what it cost before the fixes, and how to run it."""

    name: str
    before: str
    prepare: Callable[[Path], Callable[[], Any]]
    """Writes what the run needs (outside the timing); returns the run."""
    outcome: Callable[[Any], str] = lambda _: ""
    """Words added after the time, from what the run returned."""


def _url(size: int) -> Callable[[Path], Callable[[], Any]]:
    def prepare(_: Path) -> Callable[[], Any]:
        from custom_components.security_posture.inspect import (  # noqa: PLC0415
            credentials,
        )

        text = "a." * size + "://@"
        return lambda: credentials.has_url_credentials(text)

    return prepare


def _nesting(_: Path) -> Callable[[], Any]:
    from custom_components.security_posture.inspect import yaml_loader  # noqa: PLC0415

    text = "- " * (768 * 1024)

    def run() -> Any:
        try:
            return yaml_loader.parse_yaml(text, "configuration.yaml")
        except yaml_loader.NestedTooDeeply as err:
            return err

    return run


def _key_file(tmp: Path) -> Callable[[], Any]:
    from custom_components.security_posture.inspect import certificates  # noqa: PLC0415

    key = tmp / "server.key"
    key.write_bytes(b"-----BEGIN PRIVATE KEY-----\n" * (1024 * 1024 // 28))
    cert = tmp / "server.crt"
    cert.write_bytes(key.read_bytes())
    return lambda: certificates.read_certificate(str(cert), str(key))


def _gitignore(_: Path) -> Callable[[], Any]:
    from custom_components.security_posture.inspect import ignore_rules  # noqa: PLC0415

    (pattern,) = ignore_rules.parse_ignore_lines("*a*a*a*a*a*a*a*a*a*a*b\n", "")
    return lambda: pattern.matches("a" * 200, is_dir=True)


def _sshd(tmp: Path) -> Callable[[], Any]:
    from custom_components.security_posture.inspect import sshd  # noqa: PLC0415

    main = tmp / "sshd_config"
    main.write_text("PermitRootLogin " + '"a' * 500_000 + "\n", encoding="utf-8")
    return lambda: sshd.read_sshd_config(main)


ATTACKS = (
    Attack(
        'One 48 KB value `"a." * 24000 + "://@"` (URL credentials)',
        "7.6 s, all of it a stall",
        _url(24000),
    ),
    Attack("The same shape, 1 MB", "hours (quadratic)", _url(500_000)),
    Attack(
        'A 1.5 MiB line of `"- "` (nesting guard)',
        "27 s",
        _nesting,
        lambda result: " (refused as nested too deeply)"
        if type(result).__name__ == "NestedTooDeeply"
        else f" (**not refused**: {type(result).__name__})",
    ),
    Attack(
        "A 1 MiB key file of `BEGIN PRIVATE KEY` lines without `END`",
        "36 s for 448 KB, minutes for 1 MiB",
        _key_file,
    ),
    Attack(
        "A `.gitignore` line `*a*a*a*a*a*a*a*a*a*a*b` against a 200-character name",
        "62 s for 42 characters (exponential)",
        _gitignore,
    ),
    Attack("A 1 MB quoted `sshd_config` argument", "1.6 s", _sshd),
)


def _least(run: Callable[[], Any], repeat: int) -> tuple[Any, float, float]:
    """What `run` returned, its least wall time and its least thread CPU time."""
    result: Any = None
    wall = cpu = float("inf")
    for _ in range(repeat):
        gc.disable()
        started, started_cpu = time.perf_counter(), time.thread_time()
        try:
            result = run()
        finally:
            took, took_cpu = (
                time.perf_counter() - started,
                time.thread_time() - started_cpu,
            )
            gc.enable()
        wall, cpu = min(wall, took), min(cpu, took_cpu)
    return result, wall, cpu


def _seconds(value: float) -> str:
    if value >= 1:
        return f"{value:.2f} s"
    if value >= 0.01:
        return f"{value * 1000:.0f} ms"
    return f"{value * 1000:.1f} ms" if value >= 0.0001 else f"{value * 1e6:.0f} µs"


def measure_attacks(repeat: int) -> list[tuple[str, str, str, str]]:
    """The rows of the long strings: input, before, after (wall), after (CPU)."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="sp-hostile-") as tmp:
        for attack in ATTACKS:
            run = attack.prepare(Path(tmp))
            result, wall, cpu = _least(run, repeat)
            rows.append(
                (
                    attack.name,
                    attack.before,
                    _seconds(wall) + attack.outcome(result),
                    _seconds(cpu),
                )
            )
    return rows


# --- many findings (in a child process each) ----------------------------------------------


@dataclass
class LoopMeter:
    """How late a 2 ms timer ran (wall time) and the CPU time of the longest loop step."""

    stall: float = 0.0
    longest_step: float = 0.0

    @contextlib.contextmanager
    def measuring(self) -> Iterator[None]:
        loop = asyncio.get_running_loop()
        original = asyncio.events.Handle._run  # noqa: SLF001
        meter = self

        def _run(handle: asyncio.Handle) -> None:
            started = time.thread_time()
            try:
                original(handle)
            finally:
                meter.longest_step = max(
                    meter.longest_step, time.thread_time() - started
                )

        interval = 0.002
        timer: list[asyncio.TimerHandle] = []

        def tick(due: float) -> None:
            now = loop.time()
            meter.stall = max(meter.stall, now - due)
            timer[:] = [loop.call_at(now + interval, tick, now + interval)]

        asyncio.events.Handle._run = _run  # type: ignore[method-assign]  # noqa: SLF001
        timer.append(loop.call_at(loop.time() + interval, tick, loop.time() + interval))
        try:
            yield
        finally:
            timer[0].cancel()
            asyncio.events.Handle._run = original  # type: ignore[method-assign]  # noqa: SLF001


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def _many(count: int) -> dict[str, Any]:
    from homeassistant import loader  # noqa: PLC0415
    from homeassistant.helpers import issue_registry as ir  # noqa: PLC0415
    from homeassistant.setup import async_setup_component  # noqa: PLC0415
    from pytest_homeassistant_custom_component.common import (  # noqa: PLC0415
        MockConfigEntry,
        async_test_home_assistant,
    )

    from custom_components.security_posture.const import (  # noqa: PLC0415
        DOMAIN,
        SERVICE_IGNORE_FINDING,
        SERVICE_SCAN,
    )

    with tempfile.TemporaryDirectory(prefix="sp-hostile-") as tmp:
        config_dir = Path(tmp) / "config"
        config_dir.mkdir()
        lines = "".join(f"  k{i}_password: value-{i}\n" for i in range(count))
        (config_dir / "configuration.yaml").write_text(
            f"creds:\n{lines}", encoding="utf-8"
        )
        async with async_test_home_assistant(config_dir=str(config_dir)) as hass:
            hass.data.pop(loader.DATA_CUSTOM_COMPONENTS, None)  # this repository's
            assert await async_setup_component(
                hass,
                "http",
                {"http": {"server_host": "127.0.0.1", "server_port": _free_port()}},
            )
            await hass.async_block_till_done()
            entry = MockConfigEntry(domain=DOMAIN, title="Security Posture", data={})
            entry.add_to_hass(hass)
            loop = asyncio.get_running_loop()
            loop.set_debug(False)
            gc.collect()
            gc.freeze()
            meter = LoopMeter()
            try:
                with meter.measuring():
                    assert await hass.config_entries.async_setup(entry.entry_id)
                    await hass.async_block_till_done(wait_background_tasks=True)
                    report = await hass.services.async_call(
                        DOMAIN, SERVICE_SCAN, {}, blocking=True, return_response=True
                    )
                    await hass.async_block_till_done(wait_background_tasks=True)
                    assert report is not None
                    first = next(
                        f["id"]
                        for f in report["findings"]  # type: ignore[union-attr]
                        if f["check"] == "inline_credential"
                    )
                    await hass.services.async_call(
                        DOMAIN,
                        SERVICE_IGNORE_FINDING,
                        {"finding_id": first},
                        blocking=True,
                    )
                    await hass.async_block_till_done(wait_background_tasks=True)
            finally:
                gc.unfreeze()
            issues = [
                i for i in ir.async_get(hass).issues.values() if i.domain == DOMAIN
            ]
            result = {
                "stall": meter.stall,
                "longest_step": meter.longest_step,
                "issues": len(issues),
                "findings": sum(
                    1
                    for f in report["findings"]  # type: ignore[union-attr]
                    if f["check"] == "inline_credential"
                ),
            }
            await hass.config_entries.async_unload(entry.entry_id)
            await hass.async_stop(force=True)
    return result


def measure_many(count: int, repeat: int) -> tuple[str, str, str, str]:
    """One row: the least stall and longest step of `repeat` runs."""
    runs = [asyncio.run(_many(count)) for _ in range(repeat)]
    if any(r["findings"] != count for r in runs):
        msg = f"{count} inline credentials: {runs[0]['findings']} findings"
        raise SystemExit(msg)
    stall = min(r["stall"] for r in runs)
    step = min(r["longest_step"] for r in runs)
    issues = max(r["issues"] for r in runs)
    return (
        f"{count:,} inline credentials: longest stall, repair issues",
        BEFORE_MANY[count],
        f"{_seconds(stall)}, {issues} issues",
        f"longest loop step {_seconds(step)}",
    )


# --- the document --------------------------------------------------------------------------


def table(rows: list[tuple[str, str, str, str]], repeat: int, many_repeat: int) -> str:
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    lines = [
        BEGIN,
        "",
        f"Measured by `scripts/bench --hostile` on {time.strftime('%Y-%m-%d')}, Python "
        f"{sys.version.split()[0]}, load average {load} at the end. *After*: the least "
        f"wall time of {repeat} runs (of {many_repeat} for the inline credentials); "
        "*CPU*: the least CPU time of the thread doing the work (for the inline "
        "credentials, of the longest event-loop step).",
        "",
        "| Input | Before | After | CPU |",
        "|---|---|---|---|",
        *(f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows),
        "",
        END,
    ]
    return "\n".join(lines)


def write(generated: str) -> None:
    text = DOC.read_text(encoding="utf-8")
    if BEGIN not in text or END not in text:
        msg = f"{DOC.relative_to(ROOT)} has no hostile markers"
        raise SystemExit(msg)
    text = text[: text.index(BEGIN)] + generated + text[text.index(END) + len(END) :]
    DOC.write_text(text, encoding="utf-8")
    print(f"wrote the hostile input table of {DOC.relative_to(ROOT)}", file=sys.stderr)


def main(*, repeat: int = 5, many_repeat: int = 2, no_write: bool = False) -> None:
    """Measure every row and write (or print) the table."""
    sys.path.insert(0, str(ROOT))
    import custom_components.security_posture  # noqa: F401, PLC0415 - before HA looks

    rows = measure_attacks(repeat)
    rows += [measure_many(count, many_repeat) for count in MANY]
    generated = table(rows, repeat, many_repeat)
    print(generated)
    if not no_write:
        write(generated)


if __name__ == "__main__":
    main(no_write="--no-write" in sys.argv)
