"""The scan worker: a process of its own that reads the configuration's files.

Home Assistant starts it (`scan_client`) with its own Python, isolated (`-I`), and it imports
only the readers (`config_scan` and what that imports), nothing of Home Assistant. Parsing
thousands of files there allocates nothing in Home Assistant's process: its garbage
collector never walks or collects any of it, and the event loop never waits for the GIL.
What comes back is compact (`config_scan.ConfigScan`). It keeps its parse cache between
scans, so that a scan of an unchanged configuration is a `stat` per file, and exits when
idle for a while, giving its memory back.

Frames on stdin and stdout: four bytes of length (big-endian), then a pickle.

- Home Assistant sends `("scan", config_dir, cut_off, last)`: `cut_off` maps paths not to
  touch to the reason given for them; `last` is the id of the scan Home Assistant holds.
- The worker answers `("unchanged", id)` when nothing that scan `last` looked at changed,
  else with the scan in parts: `("files", files)` and `("uses", secret_uses)` of at most
  `PART` each, then `("done", id, scan)` with the rest; or `("failed", reason)`. While it works it sends
  `("alive",)` every `HEARTBEAT` seconds. When one path takes longer than the budget, it
  sends `("stuck", path)` and exits: Home Assistant scans again without that path.
- `("modules",)` asks which modules the worker has imported (to check that nothing of Home
  Assistant is among them).
"""

from __future__ import annotations

from dataclasses import replace
import gc
import os
import pickle
import select
import struct
import sys
import threading
import time
from typing import TYPE_CHECKING, Any, BinaryIO, Final

from .config_scan import Watched, scan_configuration

if TYPE_CHECKING:
    from collections.abc import Callable

PART: Final = 250
"""Files (or `!secret` uses) per part of a scan's answer."""
HEARTBEAT: Final = 2.0
"""Seconds between the worker's signs of life while it works."""
HEADER: Final = struct.Struct(">I")
EXIT_STUCK: Final = 3


def encode(message: tuple[Any, ...]) -> bytes:
    """One frame."""
    body = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return HEADER.pack(len(body)) + body


class _Worker:
    """The worker's state: its cache, its last scan, what it is reading now."""

    def __init__(self, output: BinaryIO, budget: float) -> None:
        self.output = output
        self.budget = budget
        self.lock = threading.Lock()
        self.cache: dict[str, Any] = {}
        self.last: tuple[int, str, Watched] | None = None
        """The last scan's id, configuration directory and what it looked at (when
        nothing was cut off: then the next scan reads again)."""
        self.scans = 0
        self.busy = False
        self.current: tuple[str, float] | None = None
        self.stopped = threading.Event()
        self.exit: Callable[[int], Any] = os._exit
        """How the watchdog ends the process when a path takes too long."""

    def send(self, message: tuple[Any, ...]) -> None:
        frame = encode(message)
        with self.lock:
            self.output.write(frame)
            self.output.flush()

    def progress(self, path: str) -> None:
        """About to look at `path` (the watchdog times it)."""
        self.current = (path, time.monotonic())

    def watch(self) -> None:
        """The watchdog: signs of life, and the exit when one path takes too long."""
        while not self.stopped.wait(min(HEARTBEAT, self.budget / 4)):
            if not self.busy:
                continue
            current = self.current
            if current is not None and time.monotonic() - current[1] > self.budget:
                self.send(("stuck", current[0]))
                self.exit(EXIT_STUCK)
                return
            self.send(("alive",))

    def handle(self, request: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        """The answers to one request (a scan's facts come in parts)."""
        reply = self.answer(request)
        if reply[0] != "done":
            return [reply]
        _, scan_id, scan = reply
        graph = scan.graph
        # Parts small enough to unpickle in a few milliseconds: unpickling holds the GIL.
        parts: list[tuple[Any, ...]] = [
            ("files", graph.files[start : start + PART])
            for start in range(0, len(graph.files), PART)
        ]
        parts += [
            ("uses", graph.secret_uses[start : start + PART])
            for start in range(0, len(graph.secret_uses), PART)
        ]
        # Home Assistant needs none of the paths looked at: this worker checks them.
        rest = replace(
            scan,
            graph=replace(graph, files=(), secret_uses=()),
            watched=Watched(paths=()),
        )
        return [*parts, ("done", scan_id, rest)]

    def answer(self, request: tuple[Any, ...]) -> tuple[Any, ...]:
        """The answer to one request, whole."""
        if request[0] == "modules":
            return ("modules", tuple(sorted(sys.modules)))
        _, config_dir, cut_off, last = request
        known = self.last
        if (
            known is not None
            and known[0] == last
            and known[1] == config_dir
            and not cut_off
            and known[2].unchanged(self.progress)
        ):
            return ("unchanged", known[0])
        from pathlib import Path  # noqa: PLC0415

        scan = scan_configuration(
            Path(config_dir), self.cache, cut_off=cut_off, progress=self.progress
        )
        self.scans += 1
        scan_id = os.getpid() * 1_000_000 + self.scans
        self.last = None if scan.cut_off else (scan_id, config_dir, scan.watched)
        return ("done", scan_id, scan)

    def serve(self, source: BinaryIO, idle: float) -> None:
        """Answer requests until stdin closes or nothing is asked for `idle` seconds."""
        watchdog = threading.Thread(target=self.watch, name="watchdog", daemon=True)
        watchdog.start()
        try:
            self._serve(source, idle)
        finally:
            self.stopped.set()
            watchdog.join()

    def _serve(self, source: BinaryIO, idle: float) -> None:
        fd = source.fileno()
        while True:
            ready, _, _ = select.select([fd], [], [], idle)
            if not ready:
                return  # idle: exit, the memory goes back to the system
            header = _read_exactly(source, HEADER.size)
            if header is None:
                return
            body = _read_exactly(source, HEADER.unpack(header)[0])
            if body is None:
                return
            request = pickle.loads(body)  # noqa: S301 - from Home Assistant, our parent
            self.current = None
            self.busy = True
            try:
                replies = self.handle(request)
            except Exception as err:  # noqa: BLE001 - said by type, never by message
                replies = [("failed", type(err).__name__)]
            finally:
                self.busy = False
                self.current = None
            for reply in replies:
                self.send(reply)
            del replies
            gc.collect()


def _read_exactly(source: BinaryIO, size: int) -> bytes | None:
    data = source.read(size)
    return data if data is not None and len(data) == size else None


def main(budget: float, idle: float) -> None:  # pragma: no cover - in the worker only
    """The worker's entry point (see `scan_client` for how it is started)."""
    source, output = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing printed may get into the frames
    _Worker(output, budget).serve(source, idle)
