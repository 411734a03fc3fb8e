#!/usr/bin/env python3
"""Benchmark Security Posture's scans against Home Assistant's own YAML loading.

Usage: .venv/bin/python scripts/bench.py [--sizes 10,100,1000,5000] [--corpus DIR]
           [--repeat N] [--no-write] [--only NAME] [--render]

Cases: generated configuration trees of each size (YAML files in all: `configuration.yaml`,
two `secrets.yaml`, packages through `!include_dir_named`, automations through
`!include_dir_merge_list`, scripts through `!include_dir_merge_named`, sensors through
`!include_dir_list`, plain `!include`s, `!secret`s resolved from both secrets files), and
every configuration in CORPUS_DIR (default ../shared/corpus). A corpus configuration is
copied into a temporary directory (never into the repository) with `secrets.yaml` made from
its `secrets.fake.yaml`, a made-up value for every other secret it references and empty
files for the UI files it lacks, so that Home Assistant's loader accepts it.

Each case runs in a child process of its own (so that its peak memory is its own) with a
running Home Assistant created the way the test harness creates it
(`pytest_homeassistant_custom_component.common.async_test_home_assistant`: a real core,
event loop, executor, registries and config entries, with `http` listening on a free
loopback port) whose configuration directory is the tree. The child measures:

- setup: `hass.config_entries.async_setup` of the entry while Home Assistant is starting
  (the first scan waits for `homeassistant_started`, as designed) and, inside it,
  `async_setup_entry` alone; then the start and the first scan;
- Home Assistant's own YAML load: `homeassistant.config.load_yaml_config_file` with a fresh
  `Secrets`, in the executor;
- the secrets family (config graph read + credential scan + its checks, through the engine)
  with an empty cache (full) and again with nothing changed (rescan);
- the whole engine (every family, through the coordinator: report, repairs, events) with its
  cache cleared (full) and again (rescan);
- bytes read: the `rchar` counter of `/proc/self/io` (bytes returned by read(2) and
  friends, all threads of the process) around each scan, against the bytes of the files in
  the graph (configuration files plus the secrets files); an audit hook lists the files
  opened;
- event-loop stalls: a ticker task sleeps 1 ms in a loop; a stall is the time a tick came
  late. Every loop step (`asyncio.Handle._run`) is timed, a watchdog thread samples the loop
  thread's stack while a step runs long, and `gc.callbacks` times garbage collections;
- memory: tracemalloc peak of one full secrets-family scan and of one full engine scan (a
  separate pass: tracing slows everything down), and the child's peak RSS;
- CPU only, after Home Assistant stopped (see `intrinsic`): Home Assistant's load, the graph
  read and the credential scan in one thread, GC paused, thread CPU time, best run.

Times are medians over the repeats (HA load and scans interleaved). The parent writes
docs/BENCHMARKS.md (between its bench markers), docs/images/bench_scan_time.png, and the raw
results to a temporary file that `--render` writes the document from again.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
from dataclasses import dataclass, field
import gc
import json
import os
from pathlib import Path
import platform
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import tracemalloc
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
DOC = ROOT / "docs" / "BENCHMARKS.md"
PLOT = ROOT / "docs" / "images" / "bench_scan_time.png"
RESULTS = Path(tempfile.gettempdir()) / "security_posture_bench.json"
DEFAULT_SIZES = (10, 100, 1000, 5000)

TARGET_FULL = 1.5  # full scan / Home Assistant's load
TARGET_RESCAN = 0.1  # unchanged rescan / full scan
TARGET_BYTES = 1.1  # bytes read / bytes of the graph
TARGET_STALL_MS = 20.0
TARGET_SETUP_MS = 50.0

# --- the generated trees -------------------------------------------------------------------

ROOT_SECRETS = 40  # names in the main secrets.yaml
PACKAGE_SECRETS = (
    10  # names in packages/secrets.yaml (found from the packages' directory)
)
PLANT_EVERY = 100  # one file in this many holds an inline credential


def _package(i: int, extra: str | None, *, plant: bool) -> str:
    """A package: helpers, a template sensor, an automation, a REST command with a secret."""
    head = f"""# Package {i}: a room with a motion sensor, a plug and a notifier.
input_boolean:
  pkg_{i}_away:
    name: Room {i} away mode
    icon: mdi:home-export-outline
input_number:
  pkg_{i}_target:
    name: Room {i} target temperature
    min: 15
    max: 25
    step: 0.5
    unit_of_measurement: "°C"
template:
  - sensor:
      - name: Room {i} power
        unique_id: pkg_{i}_power
        unit_of_measurement: W
        device_class: power
        state: "{{{{ states('sensor.plug_{i}_power') | float(0) | round(1) }}}}"
      - name: Room {i} comfort
        unique_id: pkg_{i}_comfort
        state: >-
          {{% if states('sensor.room_{i}_temperature') | float(0) > 21 %}}warm{{% else %}}cold{{% endif %}}
automation:
  - id: pkg_{i}_motion_on
    alias: Room {i} lights on motion
    mode: restart
    triggers:
      - trigger: state
        entity_id: binary_sensor.room_{i}_motion
        to: "on"
    conditions:
      - condition: state
        entity_id: input_boolean.pkg_{i}_away
        state: "off"
    actions:
      - action: light.turn_on
        target:
          entity_id: light.room_{i}
        data:
          brightness_pct: 80
          transition: 2
      - delay: "00:05:00"
      - action: light.turn_off
        target:
          entity_id: light.room_{i}
rest_command:
  pkg_{i}_notify:
    url: http://192.168.1.{i % 250 + 2}/api/notify
    method: post
    headers:
      authorization: !secret {"pkg_secret_" + str(i % PACKAGE_SECRETS) if i % 2 else "secret_" + str(i % ROOT_SECRETS)}
    payload: '{{"room": {i}, "state": "{{{{ states(''input_boolean.pkg_{i}_away'') }}}}"}}'
"""
    if extra is not None:
        head += f"script: !include {extra}\n"
    if plant:
        head += f"""influxdb:
  host: 192.168.1.{i % 250 + 2}
  username: homeassistant
  password: plain-bench-password-{i}
"""
    return head


def _package_scripts(i: int) -> str:
    return f"""pkg_{i}_scene:
  alias: Room {i} evening scene
  sequence:
    - action: scene.turn_on
      target:
        entity_id: scene.room_{i}_evening
    - action: notify.notify
      data:
        message: Room {i} is ready
"""


def _automations(i: int, *, plant: bool) -> str:
    items = [
        f"""- id: auto_{i}_{k}
  alias: Automation {i}.{k}
  description: Turn the fan {k} of zone {i} on when it is hot
  triggers:
    - trigger: numeric_state
      entity_id: sensor.zone_{i}_temperature
      above: {24 + k}
      for:
        minutes: {5 + k}
  conditions:
    - condition: time
      after: "08:00:00"
      before: "22:00:00"
  actions:
    - action: fan.turn_on
      target:
        entity_id: fan.zone_{i}_{k}
    - action: notify.mobile_app_phone
      data:
        title: Zone {i}
        message: "Fan {k} on at {{{{ states('sensor.zone_{i}_temperature') }}}} °C"
"""
        for k in range(3)
    ]
    if plant:
        items.append(f"""- id: auto_{i}_camera
  alias: Automation {i} snapshot
  triggers:
    - trigger: state
      entity_id: binary_sensor.door_{i}
  actions:
    - action: downloader.download_file
      data:
        url: http://admin:plain-bench-{i}@192.168.1.9/snapshot.jpg
""")
    return "".join(items)


def _scripts(i: int) -> str:
    return "".join(
        f"""script_{i}_{k}:
  alias: Script {i}.{k}
  mode: single
  fields:
    level:
      description: Brightness
      example: 50
  sequence:
    - action: light.turn_on
      target:
        area_id: area_{i}_{k}
      data:
        brightness_pct: "{{{{ level | int(50) }}}}"
    - action: persistent_notification.create
      data:
        message: Script {i}.{k} ran
"""
        for k in range(2)
    )


def _sensor(i: int) -> str:
    return f"""platform: rest
name: Remote value {i}
resource: https://api.example.org/v1/values/{i}
method: GET
headers:
  Authorization: !secret secret_{i % ROOT_SECRETS}
value_template: "{{{{ value_json.value | float(0) }}}}"
unit_of_measurement: kWh
scan_interval: 300
"""


def _groups(n: int) -> str:
    return "".join(
        f"group_{k}:\n  name: Group {k}\n  entities:\n    - light.room_{k}\n    - switch.plug_{k}\n"
        for k in range(max(1, min(n, 50)))
    )


def _shares(n: int) -> dict[str, int]:
    """How many files of each form a tree of `n` YAML files has (at least one each)."""
    body = n - 4  # configuration.yaml, two secrets.yaml, includes/groups.yaml
    weights = {"packages": 0.4, "automations": 0.2, "scripts": 0.15, "sensors": 0.1}
    counts = {k: max(1, int(body * w)) for k, w in weights.items()}
    counts["extras"] = body - sum(counts.values())  # package scripts through !include
    if counts["extras"] < 0:
        msg = f"a tree needs at least {n - counts['extras']} files"
        raise ValueError(msg)
    return counts


def generate_tree(root: Path, n: int) -> None:
    """Write a configuration tree of `n` YAML files into `root`."""
    counts = _shares(n)
    files: dict[str, str] = {
        "secrets.yaml": "".join(
            f"secret_{k}: bench-value-{k}-0123456789\n" for k in range(ROOT_SECRETS)
        )
        + "http_ban_threshold: 5\n",
        "packages/secrets.yaml": "".join(
            f"pkg_secret_{k}: bench-package-value-{k}\n" for k in range(PACKAGE_SECRETS)
        ),
        "includes/groups.yaml": _groups(n),
        "configuration.yaml": """homeassistant:
  name: Bench home
  unit_system: metric
  time_zone: Europe/Amsterdam
  packages: !include_dir_named packages
default_config:
http:
  ip_ban_enabled: true
  login_attempts_threshold: !secret http_ban_threshold
  use_x_forwarded_for: true
  trusted_proxies:
    - 172.30.33.0/24
recorder:
  purge_keep_days: 14
  db_url: !secret secret_0
mqtt:
  broker: 192.168.1.2
  username: homeassistant
  password: !secret secret_1
logger:
  default: warning
automation: !include_dir_merge_list automations
script: !include_dir_merge_named scripts
sensor: !include_dir_list sensors
group: !include includes/groups.yaml
""",
    }
    planted = 0
    for i in range(counts["packages"]):
        # Some packages sit in area folders: the !include_dir_* forms are recursive.
        folder = f"packages/area_{i // 50}" if i % 3 == 0 else "packages"
        extra = None
        if i < counts["extras"]:
            extra_rel = f"includes/package_scripts/pkg_{i}_scripts.yaml"
            files[extra_rel] = _package_scripts(i)
            depth = folder.count("/") + 1
            extra = "../" * depth + extra_rel
        plant = i % PLANT_EVERY == PLANT_EVERY - 1
        planted += plant
        files[f"{folder}/pkg_{i}.yaml"] = _package(i, extra, plant=plant)
    for i in range(counts["automations"]):
        plant = i % PLANT_EVERY == PLANT_EVERY // 2
        planted += plant
        files[f"automations/auto_{i}.yaml"] = _automations(i, plant=plant)
    for i in range(counts["scripts"]):
        files[f"scripts/group_{i % 7}/scripts_{i}.yaml"] = _scripts(i)
    for i in range(counts["sensors"]):
        files[f"sensors/sensor_{i}.yaml"] = _sensor(i)
    if len(files) != n:
        msg = f"generated {len(files)} files, wanted {n}"
        raise AssertionError(msg)
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


# --- corpus configurations ------------------------------------------------------------------


def prepare_corpus(source: Path, target: Path) -> dict[str, Any]:
    """Copy a corpus configuration to `target` and give it the secrets it references."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(".git"))
    fake = target / "secrets.fake.yaml"
    secrets = target / "secrets.yaml"
    if fake.exists() and not secrets.exists():
        shutil.copyfile(fake, secrets)
    from custom_components.security_posture.inspect.graph_reader import (  # noqa: PLC0415
        read_config_graph,
    )

    graph = read_config_graph(target, {})
    # Files the UI creates on onboarding (automations.yaml, ...) are not in the repositories.
    created = []
    for problem in graph.problems:
        if problem.missing and problem.file and not Path(problem.file).is_absolute():
            (target / problem.file).parent.mkdir(parents=True, exist_ok=True)
            (target / problem.file).touch()
            created.append(problem.file)
    if created:
        graph = read_config_graph(target, {})
    missing = sorted(
        {u.name for u in graph.secret_uses if u.defined_in is None and u.decidable}
    )
    if missing:
        with secrets.open("a", encoding="utf-8") as handle:
            handle.write("\n# made up by scripts/bench\n")
            handle.writelines(f"{name}: bench-made-up-value\n" for name in missing)
    env = sorted(
        {
            e.marker.name
            for f in graph.files
            for e in f.env_vars
            if e.marker.default is None
        }
    )
    return {"secrets_added": len(missing), "env_vars": env, "created": created}


# --- measuring inside one child -------------------------------------------------------------


def rchar() -> int:
    """Bytes returned by read(2) and friends so far, all threads of this process."""
    with open("/proc/self/io", encoding="ascii") as handle:  # noqa: PTH123
        for line in handle:
            if line.startswith("rchar:"):
                return int(line.split()[1])
    return 0


@dataclass
class LoopMonitor:
    """Late ticks of a 1 ms ticker, the longest loop step and garbage collections, per phase.

    A watchdog thread samples the event loop thread's stack while a loop step has run for
    more than `SAMPLE_AFTER` seconds, so that a long step can be traced to the code in it.
    """

    phase: str | None = None
    stalls: dict[str, list[float]] = field(default_factory=dict)
    steps: dict[str, tuple[float, str]] = field(default_factory=dict)
    gc_pauses: dict[str, list[tuple[int, float]]] = field(default_factory=dict)
    samples: dict[str, dict[str, int]] = field(default_factory=dict)
    step_started: float | None = None
    _gc_started: float = 0.0
    _loop_thread: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)

    SAMPLE_AFTER = 0.015

    opened: dict[str, set[str]] = field(default_factory=dict)

    def _audit(self, event: str, args: tuple[Any, ...]) -> None:
        if (
            event == "open"
            and (phase := self.phase) is not None
            and args[0] is not None
        ):
            self.opened.setdefault(phase, set()).add(str(args[0]))

    def start(self) -> asyncio.Task[None]:
        monitor = self
        sys.addaudithook(self._audit)
        original = asyncio.events.Handle._run  # noqa: SLF001

        def _run(handle: asyncio.Handle) -> None:
            started = monitor.step_started = time.perf_counter()
            try:
                original(handle)
            finally:
                monitor.step_started = None
            took = time.perf_counter() - started
            if (phase := monitor.phase) is not None and took > monitor.steps.get(
                phase, (0.0, "")
            )[0]:
                monitor.steps[phase] = (took, _describe(handle))

        asyncio.events.Handle._run = _run  # type: ignore[method-assign]  # noqa: SLF001
        gc.callbacks.append(self._gc)
        self._loop_thread = threading.get_ident()
        threading.Thread(target=self._watch, name="bench watchdog", daemon=True).start()
        return asyncio.get_running_loop().create_task(self._tick(), name="bench ticker")

    def stop(self) -> None:
        self._stop.set()
        gc.callbacks.remove(self._gc)

    def _gc(self, stage: str, info: dict[str, int]) -> None:
        if stage == "start":
            self._gc_started = time.perf_counter()
        elif (phase := self.phase) is not None:
            pause = time.perf_counter() - self._gc_started
            self.gc_pauses.setdefault(phase, []).append((info["generation"], pause))

    def _watch(self) -> None:
        last_sampled: float | None = None
        while not self._stop.wait(0.005):
            started, phase = self.step_started, self.phase
            if started is None or phase is None:
                continue
            now = time.perf_counter()
            if now - started < self.SAMPLE_AFTER or last_sampled == started:
                continue
            last_sampled = started
            frame = sys._current_frames().get(self._loop_thread)  # noqa: SLF001
            if frame is None:
                continue
            where = _frames(frame)
            counts = self.samples.setdefault(phase, {})
            counts[where] = counts.get(where, 0) + 1

    async def _tick(self) -> None:
        while True:
            phase = self.phase
            started = time.perf_counter()
            await asyncio.sleep(0.001)
            late = time.perf_counter() - started - 0.001
            if phase is not None and phase == self.phase:
                worst = self.stalls.setdefault(phase, [])
                if not worst:
                    worst.append(late)
                else:
                    worst[-1] = max(worst[-1], late)

    def begin(self, phase: str) -> None:
        self.phase = phase
        self.stalls.setdefault(phase, []).append(0.0)

    def end(self) -> None:
        self.phase = None


def _frames(frame: Any) -> str:
    """The innermost frames of our code or Home Assistant's, for a stall's sample."""
    summary = traceback.extract_stack(frame)
    ours = [
        f"{Path(f.filename).name}:{f.name}"
        for f in summary
        if "security_posture" in f.filename or "homeassistant" in f.filename
    ]
    inner = f"{Path(summary[-1].filename).name}:{summary[-1].name}" if summary else "?"
    return " > ".join([*ours[-3:], inner])


def _describe(handle: asyncio.Handle) -> str:
    callback = getattr(handle, "_callback", None)
    owner = getattr(callback, "__self__", None)
    if isinstance(owner, asyncio.Task):
        coro = owner.get_coro()
        return f"task {owner.get_name()} ({getattr(coro, '__qualname__', coro)})"
    return getattr(callback, "__qualname__", repr(callback))[:120]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _graph_size(config_dir: Path) -> dict[str, int]:
    from custom_components.security_posture.inspect.graph_reader import (  # noqa: PLC0415
        read_config_graph,
    )

    graph = read_config_graph(config_dir, {})
    secrets_bytes = 0
    for secrets_file in graph.secrets_files:
        secrets_bytes += (config_dir / secrets_file.path).stat().st_size
    return {
        "files": len(graph.files) + len(graph.secrets_files),
        "bytes": sum(f.size for f in graph.files) + secrets_bytes,
        "lines": sum(f.lines for f in graph.files),
        "problems": len(graph.problems),
    }


def _graph_paths(config_dir: Path) -> list[str]:
    from custom_components.security_posture.inspect.graph_reader import (  # noqa: PLC0415
        read_config_graph,
    )

    graph = read_config_graph(config_dir, {})
    return [f.path for f in graph.files] + [s.path for s in graph.secrets_files]


def _shown(path: str, config_dir: Path) -> str:
    try:
        return Path(path).resolve().relative_to(config_dir.resolve()).as_posix()
    except ValueError:
        return path


async def measure(config_dir: Path, repeat: int) -> dict[str, Any]:
    """Everything for one configuration directory (runs in the child)."""
    from homeassistant import loader  # noqa: PLC0415
    from homeassistant.config import load_yaml_config_file  # noqa: PLC0415
    from homeassistant.const import EVENT_HOMEASSISTANT_STARTED  # noqa: PLC0415
    from homeassistant.core import CoreState  # noqa: PLC0415
    from homeassistant.setup import async_setup_component  # noqa: PLC0415
    from homeassistant.util import dt as dt_util  # noqa: PLC0415
    from homeassistant.util.yaml import Secrets  # noqa: PLC0415
    from pytest_homeassistant_custom_component.common import (  # noqa: PLC0415
        MockConfigEntry,
        async_test_home_assistant,
    )

    import custom_components.security_posture as integration  # noqa: PLC0415
    from custom_components.security_posture.checks import secrets  # noqa: PLC0415
    from custom_components.security_posture.const import DOMAIN  # noqa: PLC0415
    from custom_components.security_posture.engine import (  # noqa: PLC0415
        ScanContext,
        async_scan,
    )

    out: dict[str, Any] = {"graph": _graph_size(config_dir)}
    monitor = LoopMonitor()
    ticker = monitor.start()
    config_path = str(config_dir / "configuration.yaml")

    async with async_test_home_assistant(
        config_dir=str(config_dir), initial_state=CoreState.not_running
    ) as hass:
        hass.data.pop(loader.DATA_CUSTOM_COMPONENTS, None)  # load this repository's
        assert await async_setup_component(
            hass,
            "http",
            {"http": {"server_host": "127.0.0.1", "server_port": _free_port()}},
        )
        # Entity components that nearly every installation has set up anyway.
        for domain in ("sensor", "binary_sensor", "event"):
            assert await async_setup_component(hass, domain, {})
        await hass.async_block_till_done()
        hass.set_state(CoreState.starting)

        # Setup, as during start-up: the first scan is deferred until Home Assistant started.
        entry_setup: list[float] = []
        original_setup_entry = integration.async_setup_entry

        async def timed_setup_entry(*args: Any) -> bool:
            started = time.perf_counter()
            try:
                return await original_setup_entry(*args)
            finally:
                entry_setup.append(time.perf_counter() - started)

        integration.async_setup_entry = timed_setup_entry  # type: ignore[assignment]
        entry = MockConfigEntry(domain=DOMAIN, title="Security Posture", data={})
        entry.add_to_hass(hass)
        monitor.begin("setup")
        started = time.perf_counter()
        assert await hass.config_entries.async_setup(entry.entry_id)
        out["setup_total_ms"] = (time.perf_counter() - started) * 1000
        monitor.end()
        integration.async_setup_entry = original_setup_entry  # type: ignore[assignment]
        out["setup_entry_ms"] = entry_setup[0] * 1000
        coordinator = entry.runtime_data
        out["scanned_during_setup"] = coordinator.data is not None

        # Start: the first scan runs as a background task.
        monitor.begin("first_scan")
        started = time.perf_counter()
        hass.set_state(CoreState.running)
        hass.bus.async_fire(EVENT_HOMEASSISTANT_STARTED)
        await hass.async_block_till_done(wait_background_tasks=True)
        out["first_scan_ms"] = (time.perf_counter() - started) * 1000
        monitor.end()
        report = coordinator.data
        out["report"] = {
            "findings": len(report.findings),
            "by_check": _count(f.check for f in report.findings),
            "unknown": sorted(
                c.check for c in report.checks if c.status.value == "unknown"
            ),
            "notes": len(report.notes),
        }

        async def ha_load() -> Any:
            return await hass.async_add_executor_job(
                load_yaml_config_file, config_path, Secrets(config_dir)
            )

        def family_ctx(cache: dict[str, Any]) -> ScanContext:
            return ScanContext(
                hass=hass,
                config_dir=config_dir,
                now=dt_util.utcnow(),
                options={},
                cache=cache,
            )

        times: dict[str, list[float]] = {}
        reads: dict[str, list[int]] = {}

        async def timed(name: str, run: Any) -> Any:
            monitor.begin(name)
            before = rchar()
            started = time.perf_counter()
            result = await run()
            times.setdefault(name, []).append(time.perf_counter() - started)
            reads.setdefault(name, []).append(rchar() - before)
            monitor.end()
            return result

        ha_error = None
        for _ in range(repeat):
            try:
                await timed("ha_load", ha_load)
            except Exception as err:
                ha_error = f"{type(err).__name__}: {err}"[:200]
            cache: dict[str, Any] = {}
            await timed(
                "secrets_full",
                lambda cache=cache: async_scan(
                    (secrets.FAMILY,), family_ctx(cache), frozenset()
                ),
            )
            outcome = await timed(
                "secrets_rescan",
                lambda cache=cache: async_scan(
                    (secrets.FAMILY,), family_ctx(cache), frozenset()
                ),
            )
            coordinator._cache.clear()  # noqa: SLF001 - a full scan, as after a restart
            await timed("engine_full", coordinator.async_refresh)
            await timed("engine_rescan", coordinator.async_refresh)
        out["ha_load_error"] = ha_error
        out["secrets_findings"] = len(outcome.findings)
        out["times_ms"] = {
            k: statistics.median(v) * 1000 for k, v in sorted(times.items())
        }
        out["times_min_ms"] = {k: min(v) * 1000 for k, v in sorted(times.items())}
        out["rchar"] = {k: statistics.median(v) for k, v in sorted(reads.items())}
        out["stall_ms"] = {
            k: max(v) * 1000 for k, v in sorted(monitor.stalls.items()) if v
        }
        out["stall_median_ms"] = {
            k: statistics.median(v) * 1000
            for k, v in sorted(monitor.stalls.items())
            if v
        }
        out["gc"] = {
            k: {
                "count": len(v),
                "total_ms": sum(p for _, p in v) * 1000,
                "longest_ms": max(p for _, p in v) * 1000,
                "gen2": sum(1 for g, _ in v if g == 2),
            }
            for k, v in sorted(monitor.gc_pauses.items())
        }
        out["stall_samples"] = {
            k: sorted(v.items(), key=lambda kv: -kv[1])[:5]
            for k, v in sorted(monitor.samples.items())
        }
        graph_files = {
            os.path.realpath(config_dir / rel) for rel in _graph_paths(config_dir)
        }
        out["opened_outside_graph"] = {
            k: sorted(
                _shown(path, config_dir)
                for path in v
                if not isinstance(path, int)
                and Path(path).is_file()
                and os.path.realpath(path) not in graph_files
                and not path.endswith((".py", ".pyc", ".so"))
                and "/proc/" not in path
            )[:20]
            for k, v in sorted(monitor.opened.items())
            if k in ("secrets_full", "engine_full", "engine_rescan")
        }
        out["longest_step"] = {
            k: {"ms": v[0] * 1000, "what": v[1]}
            for k, v in sorted(monitor.steps.items())
        }

        # Memory: a separate pass under tracemalloc.
        tracemalloc.start()
        tracemalloc.reset_peak()
        await async_scan((secrets.FAMILY,), family_ctx({}), frozenset())
        out["secrets_full_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        coordinator._cache.clear()  # noqa: SLF001
        await coordinator.async_refresh()
        current, peak = tracemalloc.get_traced_memory()
        out["engine_full_peak_mb"] = (peak - base) / 2**20
        out["engine_cache_mb"] = (current - base) / 2**20
        tracemalloc.stop()
        gc.collect()
        before = len(gc.get_objects())
        coordinator._cache.clear()  # noqa: SLF001
        gc.collect()
        out["cache_gc_objects"] = before - len(gc.get_objects())

        await hass.config_entries.async_unload(entry.entry_id)
        await hass.async_stop(force=True)
    ticker.cancel()
    monitor.stop()
    out["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def _count(items: Any) -> dict[str, int]:
    counts: dict[str, int] = {}
    for item in items:
        counts[item] = counts.get(item, 0) + 1
    return dict(sorted(counts.items()))


def intrinsic(config_dir: Path, repeat: int) -> dict[str, float]:
    """CPU cost without the noise of a shared machine.

    Home Assistant's load against the secrets family's own work (the graph read with an
    empty cache, and the credential scan of its files), each in this thread, with the
    garbage collector paused, timed with the thread's CPU clock (`time.thread_time`: time
    spent waiting for a CPU does not count); the runs are interleaved and the best of
    `repeat` is kept.
    """
    from homeassistant.config import load_yaml_config_file  # noqa: PLC0415
    from homeassistant.util.yaml import Secrets  # noqa: PLC0415

    from custom_components.security_posture.inspect.credentials import (  # noqa: PLC0415
        scan_files,
    )
    from custom_components.security_posture.inspect.graph_reader import (  # noqa: PLC0415
        read_config_graph,
    )

    config_path = str(config_dir / "configuration.yaml")
    graph = read_config_graph(config_dir, {})
    runs: dict[str, Any] = {
        "ha_load": lambda: load_yaml_config_file(config_path, Secrets(config_dir)),
        "graph": lambda: read_config_graph(config_dir, {}),
        "credentials": lambda: scan_files(graph.files, {}),
    }
    best: dict[str, float] = {}
    for _ in range(repeat):
        for name, run in list(runs.items()):
            gc.collect()
            gc.disable()
            try:
                started = time.thread_time()
                run()
                took = (time.thread_time() - started) * 1000
            except Exception:
                runs.pop(name)
                continue
            finally:
                gc.enable()
            best[name] = min(best.get(name, took), took)
    best["secrets"] = best["graph"] + best["credentials"]
    return best


def child(kind: str, arg: str, repeat: int) -> None:
    """Prepare one case in a temporary directory, measure it, print JSON."""
    sys.path.insert(0, str(ROOT))
    import custom_components.security_posture  # noqa: F401, PLC0415 - before HA looks

    with tempfile.TemporaryDirectory(prefix="sp-bench-") as tmp:
        config_dir = Path(tmp) / "config"
        info: dict[str, Any] = {}
        if kind == "size":
            generate_tree(config_dir, int(arg))
        else:
            info = prepare_corpus(Path(arg), config_dir)
            for name in info["env_vars"]:
                os.environ.setdefault(name, "bench")
        result = asyncio.run(measure(config_dir, repeat))
        files = result["graph"]["files"]
        rounds = 25 if files <= 300 else 9 if files <= 1000 else 5
        result["intrinsic_ms"] = intrinsic(config_dir, rounds)
        result["prepared"] = info
    print(json.dumps(result))


# --- the parent: run the cases, write the document -------------------------------------------


@dataclass
class Case:
    name: str
    kind: str  # "size" or "corpus"
    arg: str
    result: dict[str, Any] = field(default_factory=dict)


def run_case(case: Case, repeat: int) -> dict[str, Any]:
    done = subprocess.run(
        [
            sys.executable,
            __file__,
            "--child",
            case.kind,
            case.arg,
            "--repeat",
            str(repeat),
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    if done.returncode != 0:
        sys.stderr.write(done.stderr[-4000:])
        msg = f"case {case.name} failed"
        raise SystemExit(msg)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def machine() -> dict[str, str]:
    cpu = "unknown"
    with contextlib.suppress(OSError), open("/proc/cpuinfo", encoding="utf-8") as f:  # noqa: PTH123
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = "unknown"
    with contextlib.suppress(OSError), open("/proc/meminfo", encoding="ascii") as f:  # noqa: PTH123
        for line in f:
            if line.startswith("MemTotal:"):
                mem = f"{int(line.split()[1]) / 2**20:.1f} GiB"
                break
    from homeassistant.const import __version__ as ha_version  # noqa: PLC0415
    import yaml  # noqa: PLC0415

    return {
        "nproc": str(os.cpu_count()),
        "cpu": cpu,
        "memory": mem,
        "kernel": platform.release(),
        "python": platform.python_version(),
        "home_assistant": ha_version,
        "pyyaml": f"{yaml.__version__} (libyaml {'yes' if yaml.__with_libyaml__ else 'no'})",
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)))
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--repeat", type=int, default=0, help="0: by size")
    parser.add_argument(
        "--only", help="run only the case of this name (prints JSON, writes nothing)"
    )
    parser.add_argument("--no-write", action="store_true", help="print JSON only")
    parser.add_argument(
        "--child", nargs=2, metavar=("KIND", "ARG"), help=argparse.SUPPRESS
    )
    parser.add_argument(
        "--render",
        action="store_true",
        help=f"write the document again from the last run's results ({RESULTS})",
    )
    args = parser.parse_args()
    if args.render:
        saved = json.loads(RESULTS.read_text(encoding="utf-8"))
        write_results([Case(**c) for c in saved["cases"]], saved["machine"])
        return
    if args.child:
        child(args.child[0], args.child[1], args.repeat or 3)
        return

    cases = [
        Case(f"generated {n}", "size", str(n)) for n in map(int, args.sizes.split(","))
    ]
    if args.corpus.is_dir():
        cases += [
            Case(f"corpus {d.name}", "corpus", str(d))
            for d in sorted(args.corpus.iterdir())
            if (d / "configuration.yaml").is_file()
        ]
    if args.only:
        cases = [c for c in cases if args.only in (c.name, c.arg)]
    for case in cases:
        repeat = args.repeat or (
            3 if case.kind == "size" and int(case.arg) >= 1000 else 7
        )
        started = time.perf_counter()
        case.result = run_case(case, repeat)
        case.result["repeat"] = repeat
        print(
            f"{case.name}: done in {time.perf_counter() - started:.0f} s",
            file=sys.stderr,
        )
    if args.no_write or args.only:
        print(json.dumps({c.name: c.result for c in cases}, indent=1))
        return
    sys.path.insert(0, str(ROOT))
    info = machine()
    RESULTS.write_text(
        json.dumps({"machine": info, "cases": [c.__dict__ for c in cases]}, indent=1),
        encoding="utf-8",
    )
    write_results(cases, info)


# --- the document -----------------------------------------------------------------------------

BEGIN = "<!-- bench:begin (written by scripts/bench; edit outside these markers) -->"
END = "<!-- bench:end -->"
SCAN_PHASES = ("first_scan", "engine_full", "engine_rescan")


def _over(value: float, target: float) -> str:
    """How far over the target: a percentage below twice the target, else a factor."""
    if value < 2 * target:
        return f"{(value / target - 1) * 100:.0f} % over"
    return f"{value / target:.1f}x the target"


def _verdict(value: float, target: float, unit: str = "x") -> str:
    if value <= target:
        return f"met ({value:.2f}{unit})"
    return f"**missed**: {value:.2f}{unit}, {_over(value, target)}"


def _worst_stall(r: dict[str, Any]) -> tuple[float, str]:
    """The longest stall over the scan phases, and what caused it."""
    phase = max(SCAN_PHASES, key=lambda k: r["stall_ms"].get(k, 0.0))
    stall = r["stall_ms"].get(phase, 0.0)
    gc_longest = r["gc"].get(phase, {}).get("longest_ms", 0.0)
    step = r["longest_step"].get(phase, {}).get("ms", 0.0)
    if gc_longest >= 0.8 * stall:
        cause = f"garbage collection {gc_longest:.0f} ms"
    elif step >= 0.8 * stall:
        samples = r["stall_samples"].get(phase) or [["?", 0]]
        cause = f"loop step {step:.0f} ms: `{samples[0][0]}`"
    else:
        cause = "waiting for the GIL or the CPU"
    return stall, f"{phase}: {cause}"


DASHBOARDS_SHARE = 0.95  # below: HA's load reads clearly fewer files than the graph


def _share_read_by_ha(r: dict[str, Any]) -> float:
    """Bytes Home Assistant's load reads, against the graph (dashboards are only ours)."""
    return float(r["rchar"].get("ha_load", 0) / r["graph"]["bytes"])


def _cpu_ratio(r: dict[str, Any]) -> float | None:
    """CPU-only secrets family ÷ HA's load, per byte where HA reads clearly less."""
    cpu = r.get("intrinsic_ms", {})
    if "ha_load" not in cpu:
        return None
    ratio = float(cpu["secrets"] / cpu["ha_load"])
    share = _share_read_by_ha(r)
    return ratio * share if share < DASHBOARDS_SHARE else ratio


def _intrinsic_ratio(r: dict[str, Any]) -> str:
    """The CPU-only ratio as shown, per byte as well where HA reads clearly less."""
    cpu = r.get("intrinsic_ms", {})
    if "ha_load" not in cpu:
        return "n/a"
    ratio = cpu["secrets"] / cpu["ha_load"]
    text = f"{cpu['secrets']:.0f} ms ({ratio:.2f}x"
    if (share := _share_read_by_ha(r)) < DASHBOARDS_SHARE:
        text += f"; {ratio * share:.2f}x per byte"
    return text + ")"


def summary(cases: list[Case]) -> str:
    lines = [
        "| Case | Files | HA load | Secrets full (÷ HA) | Secrets, CPU only (÷ HA) | Engine full (÷ HA) "
        "| Rescan ÷ full: secrets / engine | Bytes ÷ graph: secrets / engine "
        "| Worst stall in a scan | `async_setup_entry` | Peak RSS |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for c in cases:
        r = c.result
        t, rc, gb = r["times_ms"], r["rchar"], r["graph"]["bytes"]
        stall, _ = _worst_stall(r)
        ha = t.get("ha_load")
        lines.append(
            f"| {c.name} | {r['graph']['files']} "
            f"| {f'{ha:.0f} ms' if ha else 'n/a'} "
            f"| {t['secrets_full']:.0f} ms ({f'{t["secrets_full"] / ha:.2f}x' if ha else 'n/a'}) "
            f"| {_intrinsic_ratio(r)} "
            f"| {t['engine_full']:.0f} ms ({f'{t["engine_full"] / ha:.2f}x' if ha else 'n/a'}) "
            f"| {t['secrets_rescan'] / t['secrets_full']:.3f} / {t['engine_rescan'] / t['engine_full']:.2f} "
            f"| {rc['secrets_full'] / gb:.2f} / {rc['engine_full'] / gb:.2f} "
            f"(HA: {rc.get('ha_load', 0) / gb:.2f}) "
            f"| {stall:.0f} ms "
            f"| {r['setup_entry_ms']:.0f} ms "
            f"| {r['maxrss_mb']:.0f} MiB |"
        )
    return "\n".join(lines)


def verdicts(cases: list[Case]) -> str:
    def worst(values: list[tuple[float, str]], target: float, unit: str = "x") -> str:
        value, name = max(values)
        if value <= target:
            return f"met in every case (worst {value:.2f}{unit}, {name})"
        missed = [n for v, n in sorted(values, reverse=True) if v > target]
        return (
            f"**missed** in {len(missed)} of {len(values)}: worst {value:.2f}{unit} in "
            f"{name} ({_over(value, target)}); missed in: {', '.join(missed)}"
        )

    with_ha = [c for c in cases if "ha_load" in c.result["times_ms"]]
    t = {c.name: c.result["times_ms"] for c in cases}
    rows = [
        (
            f"Full scan ≤ {TARGET_FULL}x Home Assistant's load: secrets family",
            worst(
                [
                    (t[c.name]["secrets_full"] / t[c.name]["ha_load"], c.name)
                    for c in with_ha
                ],
                TARGET_FULL,
            ),
        ),
        (
            f"Full scan ≤ {TARGET_FULL}x Home Assistant's load: secrets family, CPU only "
            "(thread CPU time, garbage collector paused, best run; per byte read where Home "
            "Assistant's load reads fewer files)",
            worst(
                [
                    (ratio, c.name)
                    for c in cases
                    if (ratio := _cpu_ratio(c.result)) is not None
                ],
                TARGET_FULL,
            ),
        ),
        (
            f"Full scan ≤ {TARGET_FULL}x Home Assistant's load: whole engine",
            worst(
                [
                    (t[c.name]["engine_full"] / t[c.name]["ha_load"], c.name)
                    for c in with_ha
                ],
                TARGET_FULL,
            ),
        ),
        (
            f"Unchanged rescan ≤ {TARGET_RESCAN}x the full scan: secrets family",
            worst(
                [
                    (t[c.name]["secrets_rescan"] / t[c.name]["secrets_full"], c.name)
                    for c in cases
                ],
                TARGET_RESCAN,
            ),
        ),
        (
            f"Unchanged rescan ≤ {TARGET_RESCAN}x the full scan: whole engine",
            worst(
                [
                    (t[c.name]["engine_rescan"] / t[c.name]["engine_full"], c.name)
                    for c in cases
                ],
                TARGET_RESCAN,
            ),
        ),
        (
            f"Bytes read ≤ {TARGET_BYTES}x the graph: secrets family (full scan)",
            worst(
                [
                    (
                        c.result["rchar"]["secrets_full"] / c.result["graph"]["bytes"],
                        c.name,
                    )
                    for c in cases
                ],
                TARGET_BYTES,
            ),
        ),
        (
            f"Bytes read ≤ {TARGET_BYTES}x the graph: whole engine (full scan)",
            worst(
                [
                    (
                        c.result["rchar"]["engine_full"] / c.result["graph"]["bytes"],
                        c.name,
                    )
                    for c in cases
                ],
                TARGET_BYTES,
            ),
        ),
        (
            f"No event-loop stall over {TARGET_STALL_MS:g} ms during a scan",
            worst(
                [(_worst_stall(c.result)[0], c.name) for c in cases],
                TARGET_STALL_MS,
                " ms",
            ),
        ),
        (
            f"Setup under {TARGET_SETUP_MS:g} ms (`async_setup_entry`)",
            worst(
                [(c.result["setup_entry_ms"], c.name) for c in cases],
                TARGET_SETUP_MS,
                " ms",
            ),
        ),
    ]
    lines = ["| Target | Outcome |", "|---|---|"]
    lines += [f"| {a} | {b} |" for a, b in rows]
    return "\n".join(lines)


def case_table(case: Case) -> str:
    r = case.result
    t, tmin, rc, graph = r["times_ms"], r["times_min_ms"], r["rchar"], r["graph"]
    gb = graph["bytes"]
    ha = t.get("ha_load")
    cpu = r.get("intrinsic_ms", {})

    def ms(key: str) -> str:
        return f"{t[key]:.1f} ms (min {tmin[key]:.1f})"

    def ratio(value: float, base: float | None, target: float) -> str:
        return _verdict(value / base, target) if base else "n/a"

    rows = [
        (
            "Files / bytes / lines in the graph",
            f"{graph['files']} / {gb:,} / {graph['lines']:,}",
            "",
        ),
        ("Home Assistant's YAML load", ms("ha_load") if ha else "failed", ""),
        (
            "Secrets family, full scan",
            ms("secrets_full"),
            ratio(t["secrets_full"], ha, TARGET_FULL),
        ),
        (
            "Secrets family, unchanged rescan",
            ms("secrets_rescan"),
            ratio(t["secrets_rescan"], t["secrets_full"], TARGET_RESCAN),
        ),
        (
            "CPU only (thread CPU time, GC paused, best run): HA's load / graph read / credential scan",
            " / ".join(
                f"{cpu.get(k, float('nan')):.1f} ms"
                for k in ("ha_load", "graph", "credentials")
            ),
            _verdict(cpu_ratio, TARGET_FULL)
            + f" for the secrets family: {_intrinsic_ratio(r)}"
            if (cpu_ratio := _cpu_ratio(r)) is not None
            else "",
        ),
        (
            "Whole engine, full scan",
            ms("engine_full"),
            ratio(t["engine_full"], ha, TARGET_FULL),
        ),
        (
            "Whole engine, unchanged rescan",
            ms("engine_rescan"),
            ratio(t["engine_rescan"], t["engine_full"], TARGET_RESCAN),
        ),
    ]
    for key, label in (
        ("ha_load", "Home Assistant's load (reference)"),
        ("secrets_full", "secrets family, full"),
        ("secrets_rescan", "secrets family, rescan"),
        ("engine_full", "whole engine, full"),
        ("engine_rescan", "whole engine, rescan"),
    ):
        if key in rc:
            verdict = (
                _verdict(rc[key] / gb, TARGET_BYTES)
                if key in ("secrets_full", "engine_full")
                else f"{rc[key] / gb:.2f}x"
            )
            rows.append((f"Bytes read: {label}", f"{rc[key]:,.0f}", verdict))
    for phase, label in (
        ("setup", "setup"),
        ("first_scan", "first scan after start"),
        ("engine_full", "whole engine, full"),
        ("engine_rescan", "whole engine, rescan"),
        ("secrets_full", "secrets family, full"),
        ("ha_load", "Home Assistant's load (reference)"),
    ):
        if phase not in r["stall_ms"]:
            continue
        step = r["longest_step"].get(phase, {})
        gcp = r["gc"].get(phase, {})
        where = (r["stall_samples"].get(phase) or [["", 0]])[0][0]
        detail = (
            f"longest loop step {step.get('ms', 0):.1f} ms"
            + (
                f" (in `{where}`)"
                if where and step.get("ms", 0) > TARGET_STALL_MS
                else ""
            )
            + f"; longest GC pause {gcp.get('longest_ms', 0):.1f} ms"
        )
        rows.append(
            (
                f"Longest loop stall: {label}",
                f"{r['stall_ms'][phase]:.1f} ms",
                (
                    ""
                    if phase in ("ha_load", "secrets_full")
                    else _verdict(r["stall_ms"][phase], TARGET_STALL_MS, " ms") + "; "
                )
                + detail,
            )
        )
    rows += [
        (
            "Setup: `async_setup_entry` / whole entry setup",
            f"{r['setup_entry_ms']:.1f} ms / {r['setup_total_ms']:.1f} ms",
            _verdict(r["setup_entry_ms"], TARGET_SETUP_MS, " ms")
            + (
                "" if not r["scanned_during_setup"] else "; **a scan ran during setup**"
            ),
        ),
        ("First scan after start (background)", f"{r['first_scan_ms']:.0f} ms", ""),
        (
            "Peak traced memory: secrets full scan / engine full scan",
            f"{r['secrets_full_peak_mb']:.1f} MiB / {r['engine_full_peak_mb']:.1f} MiB",
            f"kept in the cache: {r['engine_cache_mb']:.1f} MiB, {r['cache_gc_objects']:,} objects tracked by the GC",
        ),
        ("Peak RSS of the process", f"{r['maxrss_mb']:.0f} MiB", ""),
    ]
    lines = ["| Measure | Value | Target / detail |", "|---|---|---|"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    rep = r["report"]
    lines += [
        "",
        f"Report: {rep['findings']} findings "
        f"({', '.join(f'{k} {v}' for k, v in rep['by_check'].items())}), {rep['notes']} notes; "
        f"unknown: {', '.join(rep['unknown']) or 'none'}.",
    ]
    prepared = r.get("prepared") or {}
    if (
        prepared.get("secrets_added")
        or prepared.get("created")
        or prepared.get("env_vars")
    ):
        lines.append(
            f"Prepared copy: {prepared.get('secrets_added', 0)} made-up secrets added, "
            f"empty files created: {', '.join(prepared.get('created') or []) or 'none'}, "
            f"environment variables set: {', '.join(prepared.get('env_vars') or []) or 'none'}."
        )
    outside = r.get("opened_outside_graph", {}).get("engine_full")
    if outside:
        lines.append(
            "Files the whole engine opened besides the graph: "
            + ", ".join(f"`{p}`" for p in outside)
            + "."
        )
    if r.get("ha_load_error"):
        lines.append(f"Home Assistant's load failed: `{r['ha_load_error']}`.")
    return "\n".join(lines)


def plot(cases: list[Case], path: Path) -> None:
    import matplotlib as mpl  # noqa: PLC0415

    mpl.use("Agg")
    import matplotlib.pyplot as plt  # noqa: PLC0415

    sized = [c for c in cases if c.kind == "size"]
    xs = [c.result["graph"]["files"] for c in sized]
    fig, ax = plt.subplots(figsize=(8, 5), dpi=110)
    series = (
        ("ha_load", "Home Assistant's YAML load", "black", "o"),
        ("secrets_full", "secrets family, full scan", "tab:blue", "s"),
        ("secrets_rescan", "secrets family, unchanged rescan", "tab:blue", "^"),
        ("engine_full", "whole engine, full scan", "tab:red", "s"),
        ("engine_rescan", "whole engine, unchanged rescan", "tab:red", "^"),
    )
    for key, label, color, marker in series:
        ys = [c.result["times_ms"][key] for c in sized]
        ax.plot(
            xs,
            ys,
            "--" if "rescan" in key else "-",
            color=color,
            marker=marker,
            label=label,
        )
    corpus = [c for c in cases if c.kind == "corpus"]
    for c in corpus:
        x = c.result["graph"]["files"]
        ax.scatter(
            [x],
            [c.result["times_ms"]["secrets_full"]],
            color="tab:blue",
            marker="x",
            zorder=3,
        )
        ax.scatter(
            [x],
            [c.result["times_ms"]["engine_full"]],
            color="tab:red",
            marker="x",
            zorder=3,
        )
        if "ha_load" in c.result["times_ms"]:
            ax.scatter(
                [x],
                [c.result["times_ms"]["ha_load"]],
                color="black",
                marker="x",
                zorder=3,
            )
    if corpus:
        ax.scatter(
            [],
            [],
            color="gray",
            marker="x",
            label="real configurations (corpus), full scans",
        )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("YAML files in the configuration")
    ax.set_ylabel("time per scan (ms, median)")
    ax.set_title("Security Posture scan time against configuration size")
    ax.grid(visible=True, which="both", alpha=0.3)
    ax.legend(fontsize=8, loc="upper left")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)


def write_results(cases: list[Case], info: dict[str, str]) -> None:
    plot(cases, PLOT)
    parts = [
        BEGIN,
        "",
        f"Measured by `scripts/bench` on {time.strftime('%Y-%m-%d')}.",
        "",
        "### Machine",
        "",
        f"- CPU: {info['cpu']}, `nproc` {info['nproc']}; the machine was shared with other "
        f"work (load average {info['load']} at the end of the run), so single times are noisy",
        f"- Memory: {info['memory']}; Linux {info['kernel']}",
        f"- Python {info['python']}, Home Assistant {info['home_assistant']}, PyYAML {info['pyyaml']}",
        "",
        "### Targets",
        "",
        verdicts(cases),
        "",
        "### Summary (medians)",
        "",
        summary(cases),
        "",
        "![Scan time against configuration size](images/bench_scan_time.png)",
        "",
    ]
    for case in cases:
        parts += [
            f"### {case.name} (median of {case.result['repeat']})",
            "",
            case_table(case),
            "",
        ]
    parts.append(END)
    generated = "\n".join(parts)
    text = (
        DOC.read_text(encoding="utf-8")
        if DOC.exists()
        else f"# Benchmarks\n\n{BEGIN}\n{END}\n"
    )
    if BEGIN in text and END in text:
        text = (
            text[: text.index(BEGIN)] + generated + text[text.index(END) + len(END) :]
        )
    else:
        text = f"{text.rstrip()}\n\n{generated}\n"
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(text, encoding="utf-8")
    print(
        f"wrote {DOC.relative_to(ROOT)} and {PLOT.relative_to(ROOT)}", file=sys.stderr
    )


if __name__ == "__main__":
    main()
