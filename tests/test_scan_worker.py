"""The scan worker's own loop, run here over real pipes (`test_scan_client` runs it for real).

What the worker does in its process (answering, its parts, its watchdog, going idle) is
exercised in this one, so that it is measured; the process itself (started isolated,
killed, stuck, idle) is `test_scan_client`'s.
"""

from __future__ import annotations

from collections.abc import Iterator
import contextlib
import io
import os
from pathlib import Path
import pickle
import threading
import time
from typing import Any

import pytest

from custom_components.security_posture.inspect import scan_worker
from custom_components.security_posture.inspect.config_scan import ConfigScan

from .helpers import write


class Pipes:
    """A worker serving on real pipes in a thread, and this side of them."""

    def __init__(self, budget: float = 30.0, idle: float = 10.0) -> None:
        request_read, self.request_write = os.pipe()
        self.answer_read, answer_write = os.pipe()
        self.source = os.fdopen(request_read, "rb")
        self.answers = os.fdopen(self.answer_read, "rb")
        self.output = os.fdopen(answer_write, "wb")
        self.worker = scan_worker._Worker(self.output, budget)
        self.exits: list[int] = []
        self.worker.exit = self.exits.append
        self.thread = threading.Thread(
            target=self.worker.serve, args=(self.source, idle), daemon=True
        )
        self.thread.start()

    def ask(self, request: tuple[Any, ...]) -> None:
        os.write(self.request_write, scan_worker.encode(request))

    def answer(self) -> tuple[Any, ...]:
        header = self.answers.read(scan_worker.HEADER.size)
        body = self.answers.read(scan_worker.HEADER.unpack(header)[0])
        message: tuple[Any, ...] = pickle.loads(body)  # noqa: S301 - our own worker
        return message

    def answers_until(self, last: str) -> list[tuple[Any, ...]]:
        found = [self.answer()]
        while found[-1][0] != last:
            found.append(self.answer())
        return found

    def close(self) -> None:
        with contextlib.suppress(OSError):
            os.close(self.request_write)
        self.thread.join(10)
        for stream in (self.source, self.answers, self.output):
            with contextlib.suppress(OSError):
                stream.close()


@pytest.fixture
def pipes() -> Iterator[Pipes]:
    served = Pipes()
    yield served
    served.close()
    assert not served.thread.is_alive()


def test_a_scan_comes_in_parts_then_unchanged(
    pipes: Pipes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scan_worker, "PART", 2)
    config = write(
        tmp_path,
        {
            "configuration.yaml": "a: !include_dir_list parts\nb: !secret s\n",
            **{f"parts/p{i}.yaml": f"x: !secret p{i}\n" for i in range(3)},
            "secrets.yaml": "s: v\n",
        },
    )
    pipes.ask(("scan", str(config), {}, None))
    answers = pipes.answers_until("done")
    kinds = [a[0] for a in answers]
    assert kinds == ["files", "files", "uses", "uses", "done"]
    _, scan_id, rest = answers[-1]
    assert isinstance(rest, ConfigScan)
    assert rest.graph.files == ()  # sent in parts
    assert rest.watched.paths == ()  # the worker checks them itself
    assert [f.path for a in answers[:2] for f in a[1]] == [
        "configuration.yaml",
        "parts/p0.yaml",
        "parts/p1.yaml",
        "parts/p2.yaml",
    ]
    # Nothing changed: a small answer; the id must be the last one sent.
    pipes.ask(("scan", str(config), {}, scan_id))
    assert pipes.answer() == ("unchanged", scan_id)
    pipes.ask(("scan", str(config), {}, scan_id - 1))
    assert pipes.answers_until("done")[-1][0] == "done"


def test_modules_and_failures_are_answered(pipes: Pipes) -> None:
    pipes.ask(("modules",))
    kind, modules = pipes.answer()
    assert kind == "modules"
    assert "custom_components.security_posture.inspect.scan_worker" in modules
    pipes.ask(("scan", None, {}, None))  # not a path
    assert pipes.answer() == ("failed", "TypeError")


def test_a_path_taking_too_long_ends_the_worker(tmp_path: Path) -> None:
    served = Pipes(budget=0.05)
    config = write(tmp_path, {"configuration.yaml": "a: 1\n"})
    served.worker.busy = True  # as while a request is answered
    served.worker.progress(str(config / "configuration.yaml"))
    assert served.answers_until("stuck")[-1] == (
        "stuck",
        str(config / "configuration.yaml"),
    )
    # The watchdog says which path, then ends the process: wait for the second step.
    deadline = time.monotonic() + 10
    while not served.exits and time.monotonic() < deadline:
        time.sleep(0.001)
    assert served.exits == [scan_worker.EXIT_STUCK]
    served.worker.busy = False
    served.close()


def test_signs_of_life_while_busy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scan_worker, "HEARTBEAT", 0.01)
    served = Pipes()
    served.worker.busy = True
    assert served.answer() == ("alive",)
    served.worker.busy = False
    served.close()


def test_an_idle_worker_returns() -> None:
    served = Pipes(idle=0.05)
    served.thread.join(10)
    assert not served.thread.is_alive()
    served.close()


def test_a_request_cut_short_ends_the_loop() -> None:
    served = Pipes()
    os.write(served.request_write, scan_worker.HEADER.pack(100) + b"short")
    served.close()
    assert not served.thread.is_alive()


def test_reading_exactly() -> None:
    assert scan_worker._read_exactly(io.BytesIO(b"abc"), 3) == b"abc"
    assert scan_worker._read_exactly(io.BytesIO(b"ab"), 3) is None
