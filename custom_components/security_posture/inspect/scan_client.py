"""Home Assistant's side of the scan worker (`scan_worker`): start it, ask, time it, stop it.

One worker per config entry (kept in the entry's cache, closed with it). It is started on
the first scan: a new interpreter (`sys.executable -I`), never a fork of Home Assistant's
threaded process, and it imports nothing of Home Assistant. Scans are asked one at a time.

The time budget: a path (a file, a folder, a `stat`) the worker spends more than
`FILE_BUDGET` seconds on is cut off: the worker says which and exits, and the scan is made
again without touching that path, which is then a file that could not be read (a note in
the report, and the checks that need every file `unknown`). A worker that says nothing
for `SILENCE` seconds is killed, and the scan fails with a reason. So a FIFO, a slow network
mount or a file that takes unreasonably long to parse never blocks the scan.

Where no worker can be started at all (no interpreter to start), the scan runs in the
executor instead, with the same reader and its cache in this process.

What the worker sends back is unpickled (in the executor) only into the readers' own
classes and plain data.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, replace
import io
import os
from pathlib import Path
import pickle
import sys
from typing import TYPE_CHECKING, Any, Final

from ..const import LOGGER
from .config_scan import CUT_OFF_REASON, ConfigScan, scan_configuration
from .scan_worker import HEADER, encode

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

FILE_BUDGET: Final = 30.0
"""Seconds one path may take (reading and parsing a file) before it is cut off."""
SILENCE: Final = 20.0
"""Seconds without a word from a working worker before it is given up (it sends signs of
life every `scan_worker.HEARTBEAT` seconds, and exits by itself past `FILE_BUDGET`)."""
IDLE_EXIT: Final = 600.0
"""Seconds a worker waits for the next scan before it exits (its memory goes back to the
system); the next scan starts a new one and reads the files again."""
MAX_CUT_OFF: Final = 10
"""Files cut off in one scan before the scan gives up (each one costs `FILE_BUDGET`)."""

_PACKAGE: Final = __name__.rsplit(".inspect.", 1)[0]
_PACKAGE_DIR: Final = Path(__file__).resolve().parent.parent
_BOOT: Final = """import os, sys, types
from importlib import import_module
package, directory = sys.argv[1], sys.argv[2]
parts = package.split(".")
for depth in range(len(parts), 0, -1):  # the packages, without running their __init__
    module = types.ModuleType(".".join(parts[:depth]))
    module.__path__ = [directory]
    sys.modules[module.__name__] = module
    directory = os.path.dirname(directory)
import_module(package + ".inspect.scan_worker").main(float(sys.argv[3]), float(sys.argv[4]))
"""
_SMALL: Final = 4096
"""Frames smaller than this are decoded on the event loop (signs of life, short answers)."""


class ScanError(Exception):
    """The worker could not scan; the message is the reason (no content in it)."""


class _UnavailableError(Exception):
    """No worker can be started here."""


class _Unpickler(pickle.Unpickler):
    """Only the readers' own classes and plain data: nothing else is constructed."""

    def find_class(self, module: str, name: str) -> Any:
        if module.startswith(f"{_PACKAGE}.inspect.") or (
            module == "datetime"
            and name in ("date", "datetime", "timedelta", "timezone")
        ):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not expected")


def _decode(body: bytes) -> tuple[Any, ...]:
    message = _Unpickler(io.BytesIO(body)).load()
    if not isinstance(message, tuple) or not message:
        raise pickle.UnpicklingError("not a message")
    return message


@dataclass(slots=True)
class _Stuck:
    """The worker gave up a path that took longer than the budget."""

    path: str


class _GoneError(Exception):
    """The worker's output ended (`answered`: after it had said something)."""

    def __init__(self, *, answered: bool) -> None:
        super().__init__()
        self.answered = answered


class ScanClient:
    """The scan worker of one config entry."""

    def __init__(
        self, *, budget: float = FILE_BUDGET, silence: float = SILENCE
    ) -> None:
        """No worker yet: it is started by the first scan."""
        self.budget = budget
        self.silence = silence
        self.process: asyncio.subprocess.Process | None = None
        self.lock = asyncio.Lock()
        self.last: tuple[int, ConfigScan] | None = None
        self.in_process_cache: dict[str, Any] | None = None
        self.started = 0
        """How many workers were started (for tests and the benchmark)."""

    async def async_scan(self, hass: HomeAssistant, config_dir: Path) -> ConfigScan:
        """Scan `config_dir`: in the worker, or in the executor where there can be none."""
        async with self.lock:
            if self.in_process_cache is None:
                try:
                    return await self._async_scan_in_worker(hass, config_dir)
                except _UnavailableError as err:
                    LOGGER.debug("No scan worker (%s): scanning in the executor", err)
                    self.in_process_cache = {}
            return await hass.async_add_executor_job(self._scan_here, config_dir)

    def _scan_here(self, config_dir: Path) -> ConfigScan:
        """The scan in this process (the executor): what the worker would do."""
        if self.last is not None and self.last[0] == -1:
            last = self.last[1]
            same_dir = last.graph.config_dir == os.path.normpath(config_dir)
            if same_dir and last.watched.unchanged():
                return last.unchanged_since()
        cache = self.in_process_cache if self.in_process_cache is not None else {}
        scan = scan_configuration(config_dir, cache)
        retired = self._retired()
        self.last = (-1, scan)
        _release(retired)
        return scan

    async def _async_scan_in_worker(
        self, hass: HomeAssistant, config_dir: Path
    ) -> ConfigScan:
        cut_off: dict[str, str] = {}
        while True:
            last = self.last[0] if self.last is not None and not cut_off else None
            reply = await self._async_ask(
                hass, ("scan", str(config_dir), cut_off, last)
            )
            if isinstance(reply, _Stuck):
                if len(cut_off) >= MAX_CUT_OFF:
                    raise ScanError(
                        f"more than {MAX_CUT_OFF} files took too long to read"
                    )
                cut_off[reply.path] = CUT_OFF_REASON.format(seconds=self.budget)
                continue
            if (
                reply[0] == "unchanged"
                and self.last is not None
                and reply[1] == self.last[0]
            ):
                return self.last[1].unchanged_since()
            if reply[0] == "done" and isinstance(scan := reply[2], ConfigScan):
                retired = self._retired()
                self.last = (reply[1], scan)
                await hass.async_add_executor_job(_release, retired)
                return scan
            if reply[0] == "failed":
                raise ScanError(f"the configuration could not be read: {reply[1]}")
            raise ScanError("the configuration reader answered something unexpected")

    async def _async_ask(
        self, hass: HomeAssistant, request: tuple[Any, ...]
    ) -> tuple[Any, ...] | _Stuck:
        """Send one request and wait for its answer, or for the worker to give up a path.

        A worker that went away before answering anything (it exits when idle) is
        replaced once.
        """
        for attempt in range(2):
            process = await self._async_process()
            stdin, stdout = process.stdin, process.stdout
            if stdin is None or stdout is None:  # pragma: no cover - made with pipes
                raise ScanError("the configuration reader has no pipes")
            try:
                stdin.write(encode(request))
                await stdin.drain()
                return await self._async_answer(hass, stdout)
            except (BrokenPipeError, ConnectionResetError, _GoneError) as err:
                await self._async_stop()
                if attempt or (isinstance(err, _GoneError) and err.answered):
                    raise ScanError("the configuration reader stopped") from None
        raise AssertionError  # pragma: no cover - the loop returns or raises

    async def _async_answer(
        self, hass: HomeAssistant, stdout: asyncio.StreamReader
    ) -> tuple[Any, ...] | _Stuck:
        answered = False
        parts: dict[str, list[Any]] = {"files": [], "uses": []}
        while True:
            try:
                async with asyncio.timeout(self.silence):
                    header = await stdout.readexactly(HEADER.size)
                    body = await stdout.readexactly(HEADER.unpack(header)[0])
            except TimeoutError:
                await self._async_stop()
                raise ScanError(
                    f"the configuration reader did not answer for {self.silence:g} s"
                ) from None
            except asyncio.IncompleteReadError:
                raise _GoneError(answered=answered) from None
            answered = True
            message = (
                _decode(body)
                if len(body) < _SMALL
                else await hass.async_add_executor_job(_decode, body)
            )
            if message[0] == "alive":
                continue
            if message[0] in parts:
                parts[message[0]].extend(message[1])
                continue
            if message[0] == "stuck" and isinstance(message[1], str):
                await self._async_stop()
                return _Stuck(message[1])
            if message[0] == "done" and isinstance(scan := message[2], ConfigScan):
                graph = replace(
                    scan.graph,
                    files=tuple(parts["files"]),
                    secret_uses=tuple(parts["uses"]),
                )
                return ("done", message[1], replace(scan, graph=graph))
            return message

    async def _async_process(self) -> asyncio.subprocess.Process:
        if self.process is not None and self.process.returncode is None:
            return self.process
        await self._async_stop()
        if not sys.executable:
            raise _UnavailableError("no interpreter")
        try:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-I",
                "-c",
                _BOOT,
                _PACKAGE,
                str(_PACKAGE_DIR),
                str(self.budget),
                str(IDLE_EXIT),
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.DEVNULL,
                close_fds=True,
            )
        except OSError as err:
            raise _UnavailableError(type(err).__name__) from None
        self.started += 1
        await _async_release(self._retired())  # a new worker knows nothing of it
        return self.process

    async def _async_stop(self) -> None:
        """Kill the worker (if any) and reap it, without waiting on one that cannot die."""
        process, self.process = self.process, None
        if process is None:
            return
        if process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(2):
                await process.wait()

    async def async_modules(self, hass: HomeAssistant) -> tuple[str, ...]:
        """The modules the worker has imported (it is started if need be)."""
        async with self.lock:
            reply = await self._async_ask(hass, ("modules",))
        if isinstance(reply, _Stuck) or reply[0] != "modules":  # pragma: no cover
            raise ScanError("the configuration reader answered something unexpected")
        return tuple(reply[1])

    @property
    def pid(self) -> int | None:
        """The worker's process id while one runs (for the benchmark)."""
        process = self.process
        return (
            process.pid if process is not None and process.returncode is None else None
        )

    def _retired(self) -> list[Any]:
        """The last scan's facts, no longer held here (for `_release`)."""
        retired = [self.last[1]] if self.last is not None else []
        self.last = None
        return retired

    async def async_close(self) -> None:
        """Stop the worker: the entry goes, or Home Assistant stops (a scan then fails)."""
        await self._async_stop()
        await _async_release(self._retired())
        self.in_process_cache = None


def _release(retired: list[Any]) -> None:
    """Let go of old facts piece by piece (in the executor).

    Freeing the facts of thousands of files at once is one long deallocation during which
    no other thread gets the GIL; freed file by file, the event loop gets it in between.
    """
    while retired:
        item = retired.pop()
        if isinstance(item, ConfigScan):
            retired.extend(item.graph.files)
            retired.extend(item.graph.secret_uses)
        del item


async def _async_release(retired: list[Any]) -> None:
    if retired:
        await asyncio.get_running_loop().run_in_executor(None, _release, retired)
