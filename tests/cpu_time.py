"""Time bounds that hold on a loaded machine: CPU time and growth, never wall time.

Wall time counts the time a thread waits for a CPU, which on a machine shared with other
work can be most of it. The CPU time a thread spends (`time.thread_time`) does not grow
with the machine's load. How the CPU time grows with the input does not depend on the
machine's speed or on coverage's tracing either: a linear scan of four times the input
costs about four times as much, a quadratic one sixteen times. So the tests bound growth,
and, where the work runs in Home Assistant's event loop, the CPU time of each loop step.

The figures the issues name (milliseconds for a given input) are measured by
`scripts/bench --hostile`, not asserted here.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
import contextlib
from dataclasses import dataclass
from functools import partial
import gc
import os
import time
from typing import Any
from unittest.mock import patch

EXPONENT = 1.5
"""The cost may grow as the input's size to this power: linear work grows as its power 1,
quadratic work as its power 2. With four times the input, 8x is allowed: linear is 4x,
quadratic 16x."""
NOISE = 0.005
"""Seconds of CPU allowed on top: below this, a difference is the clock's and the caches'."""
ATTEMPTS = 3
"""A step over its allowance (but less than twice over) is measured again, up to this many
times; the least is taken. A regression is over every time."""


def thread_cpu(func: Callable[[], Any]) -> tuple[Any, float]:
    """Run `func` with the garbage collector paused.

    Returns what it returned (or the exception it raised) and the CPU seconds this thread
    spent in it. The collector is paused because the time a collection takes depends on
    everything the test process holds, not on the input.
    """
    enabled = gc.isenabled()
    gc.disable()
    started = time.thread_time()
    try:
        result = func()
    except Exception as err:  # noqa: BLE001 - the caller looks at it
        result = err
    finally:
        took = time.thread_time() - started
        if enabled:
            gc.enable()
    return result, took


def ladder(top: int, *, step: int = 4, rungs: int = 4) -> list[int]:
    """Sizes from `top / step ** (rungs - 1)` up to `top`, each `step` times the last."""
    return [top // step**k for k in range(rungs - 1, -1, -1)]


def assert_linear[T](
    work: Callable[[T], Any],
    build: Callable[[int], T],
    sizes: list[int],
    *,
    size: Callable[[T], int] = len,  # type: ignore[assignment]
) -> Any:
    """Run `work` on `build(n)` for each of `sizes`, smallest first, and fail as soon as
    its CPU time grows faster than the input's `size` (its length) to the power
    `EXPONENT`.

    Returns what `work` returned (or raised) on the largest input. Growing slowly, the
    ladder reaches the rung where super-linear work shows before a rung it would take
    hours on.
    """
    result: Any = None
    previous: tuple[int, float] | None = None
    for n in sizes:
        data = build(n)
        length = size(data)
        best = float("inf")
        allowed = float("inf")
        for _ in range(ATTEMPTS):
            result, took = thread_cpu(partial(work, data))
            best = min(best, took)
            if previous is None:
                break
            allowed = previous[1] * (length / previous[0]) ** EXPONENT + NOISE
            if best <= allowed or best > 2 * allowed:
                break
        if previous is not None:
            assert best <= allowed, (
                f"{length} long took {best * 1000:.1f} ms of CPU, {previous[0]} long "
                f"{previous[1] * 1000:.1f} ms: {best / max(previous[1], 1e-9):.0f}x the "
                f"cost for {length / previous[0]:.1f}x the input (allowed: "
                f"{allowed * 1000:.1f} ms)"
            )
        previous = (length, best)
    return result


@dataclass(frozen=True)
class Hostile:
    """An attack built at growing sizes: `build(n)` for each `n` of `sizes`."""

    build: Callable[[int], str]
    sizes: list[int]


def repeated(unit: str, count: int, prefix: str = "", suffix: str = "") -> Hostile:
    """`prefix + unit * n + suffix` for `n` up to `count`."""
    return Hostile(lambda n: prefix + unit * n + suffix, ladder(count))


def process_cpu(pid: int) -> float:
    """CPU seconds (user and system) process `pid` has used so far."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:  # noqa: PTH123
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class LoopSteps:
    """The CPU time of the longest step the event loop ran (a callback or a task's step).

    Each step is timed on the loop thread's own CPU clock: while other processes have the
    CPU the step waits, and that does not count; what the step itself runs does (the
    garbage collections it sets off included).
    """

    longest: float = 0.0
    longest_step: str = "none"
    steps: int = 0

    @contextlib.contextmanager
    def measure(self) -> Iterator[LoopSteps]:
        """Time every step run while the context is open."""
        original = asyncio.events.Handle._run
        meter = self

        def _run(handle: asyncio.Handle) -> None:
            started = time.thread_time()
            try:
                original(handle)
            finally:
                took = time.thread_time() - started
                meter.steps += 1
                if took > meter.longest:
                    meter.longest = took
                    meter.longest_step = _describe(handle)

        with patch.object(asyncio.events.Handle, "_run", _run):
            yield self

    def __str__(self) -> str:
        """The longest step, for a failing assertion."""
        return (
            f"longest of {self.steps} loop steps: {self.longest * 1000:.0f} ms of CPU "
            f"({self.longest_step})"
        )


def _describe(handle: asyncio.Handle) -> str:
    callback = getattr(handle, "_callback", None)
    owner = getattr(callback, "__self__", None)
    if isinstance(owner, asyncio.Task):
        coro = owner.get_coro()
        return f"task {owner.get_name()} ({getattr(coro, '__qualname__', coro)})"
    return str(getattr(callback, "__qualname__", repr(callback)))[:160]
