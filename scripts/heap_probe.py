#!/usr/bin/env python3
"""The heap of a real Home Assistant process running a generated configuration.

Usage: .venv/bin/python scripts/heap_probe.py [--sizes 1000,5000] [--python PY]

For each size: a configuration tree made by `scripts/bench.py` (the same generator), with
`default_config` (the frontend pointed at an empty folder, as the end-to-end tests do, since
the frontend package is not installed), onboarding pre-seeded, the recorder on its default
SQLite database (the tree's `db_url` is a made-up secret) and the REST sensors removed (they
would go to the internet). `hass --skip-pip` starts on it; a small custom integration, put
into the temporary copy only, waits until Home Assistant has started and settled, then
measures on the event loop: the objects tracked by the garbage collector, the time of full
collections (`gc.collect()`, best of five), the collector's thresholds and its per-generation
statistics, and the process's RSS. It writes them as JSON and the process is stopped.

`scripts/bench` measures the same numbers inside its in-process Home Assistant before the
scans (`heap` in its results), so that the stalls it reports are measured against a heap
comparable to a running Home Assistant's.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from bench import generate_tree  # noqa: E402
from onboard import preseed_onboarding  # noqa: E402

SETTLE_S = 30

PROBE = '''"""Measure the heap once Home Assistant has started and settled (bench only)."""
import asyncio, gc, json, os, resource, time
from homeassistant.const import EVENT_HOMEASSISTANT_STARTED

DOMAIN = "heap_probe"


def _rss_mb():
    with open("/proc/self/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


async def async_setup(hass, config):
    async def measure(_event):
        await asyncio.sleep(SETTLE)
        gc.collect()
        gc.collect()
        times = []
        cpu = []
        for _ in range(5):
            started, started_cpu = time.perf_counter(), time.thread_time()
            gc.collect()
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.thread_time() - started_cpu) * 1000)
        out = {
            "gc_objects": len(gc.get_objects()),
            "gen2_ms_min": min(times),
            "gen2_ms": times,
            "gen2_cpu_ms_min": min(cpu),
            "threshold": gc.get_threshold(),
            "stats": gc.get_stats(),
            "rss_mb": _rss_mb(),
            "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "states": len(hass.states.async_all()),
            "components": len(hass.config.components),
            "python": __import__("platform").python_version(),
        }
        path = os.path.join(hass.config.config_dir, "heap_probe.json")
        with open(path + ".tmp", "w", encoding="utf-8") as handle:
            json.dump(out, handle)
        os.replace(path + ".tmp", path)

    hass.bus.async_listen_once(EVENT_HOMEASSISTANT_STARTED, measure)
    return True
'''


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def prepare(config: Path, size: int, frontend: Path) -> None:
    """The bench's tree of `size` files, made runnable offline by a real `hass`."""
    generate_tree(config, size)
    configuration = config / "configuration.yaml"
    text = configuration.read_text(encoding="utf-8")
    text = text.replace(
        "http:\n",
        f"http:\n  server_host: 127.0.0.1\n  server_port: {_free_port()}\n",
        1,
    )
    text = re.sub(r"\n  db_url: !secret \w+", "", text)
    text = text.replace("sensor: !include_dir_list sensors\n", "")
    text += f"frontend:\n  development_repo: {frontend}\nheap_probe:\n"
    configuration.write_text(text, encoding="utf-8")
    probe = config / "custom_components" / "heap_probe"
    probe.mkdir(parents=True)
    (probe / "__init__.py").write_text(
        PROBE.replace("SETTLE)", f"{SETTLE_S})"), encoding="utf-8"
    )
    (probe / "manifest.json").write_text(
        json.dumps(
            {
                "domain": "heap_probe",
                "name": "Heap probe",
                "version": "0.0.0",
                "documentation": "https://example.invalid",
                "codeowners": [],
                "requirements": [],
                "iot_class": "local_push",
            }
        ),
        encoding="utf-8",
    )
    preseed_onboarding(config)


def probe(size: int, python: str, timeout: float) -> dict[str, object]:
    """Start `hass` on a tree of `size` files and return what the probe measured."""
    with tempfile.TemporaryDirectory(prefix="sp-heap-") as tmp:
        config = Path(tmp) / "config"
        frontend = Path(tmp) / "frontend"
        (frontend / "hass_frontend").mkdir(parents=True)
        prepare(config, size, frontend)
        env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
        env |= {"UV_OFFLINE": "1", "UV_NO_CACHE": "1", "PIP_NO_INDEX": "1"}
        log = Path(tmp) / "hass.log"
        started = time.monotonic()
        with log.open("wb") as output:
            process = subprocess.Popen(
                [python, "-m", "homeassistant", "--config", str(config), "--skip-pip"],
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                env=env,
                cwd=config,
                start_new_session=True,
            )
        result = config / "heap_probe.json"
        try:
            while not result.exists():
                if process.poll() is not None:
                    tail = log.read_text(errors="replace")[-3000:]
                    msg = f"hass exited with {process.returncode}:\n{tail}"
                    raise SystemExit(msg)
                if time.monotonic() - started > timeout:
                    tail = log.read_text(errors="replace")[-3000:]
                    msg = f"no measurement after {timeout:.0f} s:\n{tail}"
                    raise SystemExit(msg)
                time.sleep(2)
            out: dict[str, object] = json.loads(result.read_text(encoding="utf-8"))
            out["start_s"] = time.monotonic() - started - SETTLE_S
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        out["size"] = size
        out["load"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
        return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", default="1000,5000")
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--timeout", type=float, default=900)
    args = parser.parse_args()
    for size in map(int, args.sizes.split(",")):
        print(json.dumps(probe(size, args.python, args.timeout)), flush=True)


if __name__ == "__main__":
    main()
