#!/usr/bin/env python3
"""Benchmark Security Posture's scans against Home Assistant's own YAML loading.

Usage: .venv/bin/python scripts/bench.py [--sizes 1000,5000] [--corpus DIR] [--repeat N]
           [--design worker,in-process] [--heap bootstrap|minimal] [--no-write]
           [--only NAME] [--render]
       .venv/bin/python scripts/bench.py --hostile [--repeat N] [--no-write]

`--hostile` runs only the hostile inputs of `tests/test_attacks.py` (a few seconds; see
`scripts/bench_hostile.py`) and writes the table of the page's "Hostile input" section.

Cases: generated configuration trees of each size (YAML files in all: `configuration.yaml`,
two `secrets.yaml`, packages through `!include_dir_named`, automations through
`!include_dir_merge_list`, scripts through `!include_dir_merge_named`, sensors through
`!include_dir_list`, plain `!include`s, `!secret`s resolved from both secrets files), and
every configuration in CORPUS_DIR (default ../shared/corpus; `--corpus none` for none). A
corpus configuration is copied into a temporary directory (never into the repository) with
`secrets.yaml` made from its `secrets.fake.yaml`, a made-up value for every other secret it
references and empty files for the UI files it lacks, so that Home Assistant's loader
accepts it.

With `--large N`, a case of one configuration whose `N` automations are in one
`automations.yaml` (as the UI editor writes them, with `N / 8` scripts in one
`scripts.yaml`): few files, one of them large.

Each case runs once per design of the configuration scan (`--design`): `worker` (the scan
worker, a process of its own: what the integration does) and `in-process` (the same compact
reader in Home Assistant's executor: the integration's fallback where no worker can be
started). Each run is a child process of its own with a running Home Assistant created the
way the test harness creates it (`async_test_home_assistant`: a real core, event loop,
executor, registries and config entries) whose configuration directory is the tree.

The heap (`--heap`, default `bootstrap`): for a generated tree, the child first sets up
everything its configuration asks for, the way Home Assistant's start does
(`bootstrap.async_from_config_dict`: `default_config`, automations, scripts, templates,
helpers, groups, ... offline), so that the garbage collector works on a heap like a running
Home Assistant's (`scripts/heap_probe.py` measures a real `hass` process on the same tree to
compare). `minimal` (and every corpus case) sets up `http` and three entity platforms only.

The child measures, `--repeat` times each, interleaved:

- setup and the first scan after start: the entry is set up while Home Assistant is
  starting (the first scan waits for `homeassistant_started`, as designed), then the start;
  the entry is unloaded between rounds (a new worker each round);
- Home Assistant's own YAML load: `homeassistant.config.load_yaml_config_file` with a fresh
  `Secrets`, in the executor;
- the whole engine (every family, through the coordinator: report, repairs, events) with its
  cache released (full scan, as after a restart: a new worker) and again with nothing
  changed (unchanged rescan);
- per phase: wall time; CPU time of Home Assistant's process (all threads) and of the
  worker; bytes read (`rchar` of `/proc/<pid>/io`, Home Assistant's process and the
  worker's) against the bytes of the files in the graph;
- event-loop stalls: a ticker task sleeps 1 ms in a loop; a stall is how late a tick came.
  Every loop step (`asyncio.Handle._run`) is timed, a watchdog thread samples the loop
  thread's stack while a step runs long, and `gc.callbacks` times every collection. Before
  each phase a full collection empties what is pending for the old generation, so a full
  collection during a phase is that phase's doing; the objects each phase promotes to the
  old generation are counted (a full collection runs once they exceed a quarter of it);
- memory: tracemalloc's peak in Home Assistant's process during one full engine scan (a
  separate pass: tracing slows everything) plus the worker's peak RSS (`VmHWM`), what the
  scan keeps, and the peak RSS of the child;
- CPU only, after Home Assistant stopped (`intrinsic`): Home Assistant's load and the
  configuration scan (`config_scan.scan_configuration`, graph and credentials) in one
  thread, garbage collector paused, thread CPU time, best run.

Times are reported as the minimum over the repeats (the machine is shared: the minimum is
the run least disturbed by others), with the median beside it, and the load average. The
parent writes docs/BENCHMARKS.md (between its bench markers), docs/images/bench_scan_time.png
and the raw results to a temporary file that `--render` writes the document from again.
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
NEWEST = sys.version_info >= (3, 14)
"""Run on the newest end (`scripts/bench --newest`: Python 3.14, the newest test package's
Home Assistant): its results have a section of their own in the document."""
_END = "-newest" if NEWEST else ""
PLOT = ROOT / "docs" / "images" / f"bench_scan_time{_END}.png"
RESULTS = Path(tempfile.gettempdir()) / f"security_posture_bench{_END}.json"
DEFAULT_SIZES = (1000, 5000)
DEFAULT_LARGE = (3000,)
DESIGNS = ("worker", "in-process")

TARGET_FULL = 1.2  # full scan (whole engine) / Home Assistant's load
TARGET_RESCAN = 0.05  # unchanged rescan / Home Assistant's load
TARGET_PEAK_MB = 50.0  # peak memory a full scan adds, at 5,000 files
TARGET_STALL_MS = 20.0  # longest event-loop stall a scan causes
TARGET_SETUP_MS = 50.0  # async_setup_entry
SCAN_PHASES = ("first_scan", "engine_full", "engine_rescan")
PHASE_NAMES = {
    "first_scan": "first scan after start",
    "engine_full": "full scan",
    "engine_rescan": "unchanged rescan",
    "ha_load": "Home Assistant's load (reference)",
    "setup": "setup",
}

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


def generate_large(root: Path, n: int) -> None:
    """A configuration whose automations are `n` in one `automations.yaml` (as the UI
    editor writes them), with `n / 4` scripts in one `scripts.yaml`: few files, one large."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "configuration.yaml").write_text(
        """homeassistant:
  name: Bench home
  unit_system: metric
  time_zone: Europe/Amsterdam
default_config:
http:
  ip_ban_enabled: true
  login_attempts_threshold: !secret http_ban_threshold
recorder:
  purge_keep_days: 14
automation: !include automations.yaml
script: !include scripts.yaml
""",
        encoding="utf-8",
    )
    (root / "secrets.yaml").write_text("http_ban_threshold: 5\n", encoding="utf-8")
    (root / "automations.yaml").write_text(
        "".join(
            _automations(i, plant=i % PLANT_EVERY == PLANT_EVERY // 2)
            for i in range(n // 3)
        ),
        encoding="utf-8",
    )
    (root / "scripts.yaml").write_text(
        "".join(_scripts(i) for i in range(n // 8)), encoding="utf-8"
    )


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


def rchar(pid: int | str = "self") -> int:
    """Bytes returned by read(2) and friends so far, all threads of a process."""
    with contextlib.suppress(OSError), open(f"/proc/{pid}/io", encoding="ascii") as f:  # noqa: PTH123
        for line in f:
            if line.startswith("rchar:"):
                return int(line.split()[1])
    return 0


def cpu_of(pid: int) -> float:
    """CPU seconds (user and system) a process used so far."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:  # noqa: PTH123
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def hwm_mb(pid: int) -> float:
    """The peak RSS of a process (MiB)."""
    with (
        contextlib.suppress(OSError),
        open(f"/proc/{pid}/status", encoding="ascii") as f,  # noqa: PTH123
    ):
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


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
    promoted: dict[str, list[int]] = field(default_factory=dict)
    samples: dict[str, dict[str, int]] = field(default_factory=dict)
    step_started: float | None = None
    _gc_started: float = 0.0
    _young: int = 0
    _loop_thread: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)

    SAMPLE_AFTER = 0.015

    def start(self) -> asyncio.Task[None]:
        monitor = self
        original = asyncio.events.Handle._run  # noqa: SLF001

        def _run(handle: asyncio.Handle) -> None:
            phase = monitor.phase
            started = monitor.step_started = time.perf_counter()
            try:
                original(handle)
            finally:
                monitor.step_started = None
            took = time.perf_counter() - started
            # A step is the phase's if the phase was on when it started and still is.
            if (
                phase is not None
                and phase == monitor.phase
                and took > monitor.steps.get(phase, (0.0, ""))[0]
            ):
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
            if info["generation"] == 1 and self.phase is not None:
                # What survives a collection of the young generations moves to the old
                # one: a full collection runs once those exceed a quarter of the old ones.
                self._young = len(gc.get_objects(0)) + len(gc.get_objects(1))
            self._gc_started = time.perf_counter()
        elif (phase := self.phase) is not None:
            pause = time.perf_counter() - self._gc_started
            self.gc_pauses.setdefault(phase, []).append((info["generation"], pause))
            if info["generation"] == 1:
                survived = self._young - info["collected"] - info["uncollectable"]
                self.promoted.setdefault(phase, [0])[-1] += max(survived, 0)

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
                worst = self.stalls.setdefault(phase, [0.0])
                worst[-1] = max(worst[-1], late)

    def begin(self, phase: str) -> None:
        # Nothing pending in the old generation: a full collection during the phase is the
        # phase's own doing (its allocations alone reached the threshold).
        gc.collect()
        self.phase = phase
        self.stalls.setdefault(phase, []).append(0.0)
        self.promoted.setdefault(phase, []).append(0)

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


def _heap(hass: Any) -> dict[str, Any]:
    """The heap the garbage collector works on, and what a full collection of it costs."""
    gc.collect()
    wall, cpu = [], []
    for _ in range(3):
        started, started_cpu = time.perf_counter(), time.thread_time()
        gc.collect()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.thread_time() - started_cpu) * 1000)
    return {
        "gc_objects": len(gc.get_objects()),
        "gen2_ms_min": min(wall),
        "gen2_cpu_ms_min": min(cpu),
        "states": len(hass.states.async_all()),
        "components": len(hass.config.components),
        "threshold": list(gc.get_threshold()),
    }


async def _bootstrap(hass: Any, config_dir: Path) -> None:
    """Set up the configuration's integrations the way Home Assistant's start does.

    Offline: `http` on a free loopback port, the frontend from an empty folder (its package
    is not installed, as in the end-to-end tests), the recorder on its default database
    (the tree's `db_url` is a made-up secret), no REST sensors (they go to the internet).
    `scripts/heap_probe.py` measures a real `hass` process on the same tree to compare.
    """
    from homeassistant import (  # noqa: PLC0415
        bootstrap,
        config as conf_util,
    )

    frontend = config_dir.parent / "frontend"
    (frontend / "hass_frontend").mkdir(parents=True, exist_ok=True)
    config = await conf_util.async_hass_config_yaml(hass)
    config["http"] = {
        **(config.get("http") or {}),
        "server_host": "127.0.0.1",
        "server_port": _free_port(),
    }
    if isinstance(config.get("recorder"), dict):
        config["recorder"].pop("db_url", None)
    config.pop("sensor", None)
    config["frontend"] = {"development_repo": str(frontend)}
    assert await bootstrap.async_from_config_dict(config, hass) is not None
    await hass.async_block_till_done()


async def _quiet(hass: Any) -> None:
    """Wait until Home Assistant's own work is done, the recorder's writes included.

    After a start the recorder writes thousands of states in its thread; what it allocates
    would be counted (and collected) in whichever phase runs meanwhile.
    """
    await hass.async_block_till_done()
    if "recorder" in hass.config.components:
        from homeassistant.helpers.recorder import get_instance  # noqa: PLC0415

        await get_instance(hass).async_block_till_done()
        await hass.async_block_till_done()


def _use_design(design: str) -> None:
    """`in-process`: every scan client scans in the executor (its fallback path)."""
    if design == "worker":
        return
    from custom_components.security_posture.inspect import (  # noqa: PLC0415
        scan_client,
    )

    original = scan_client.ScanClient.__init__

    def in_process(client: Any, *args: Any, **kwargs: Any) -> None:
        original(client, *args, **kwargs)
        client.in_process_cache = {}

    scan_client.ScanClient.__init__ = in_process  # type: ignore[method-assign]


async def measure(
    config_dir: Path, repeat: int, heap: str, design: str
) -> dict[str, Any]:
    """Everything for one configuration directory and one design (runs in the child)."""
    from homeassistant import loader  # noqa: PLC0415
    from homeassistant.config import load_yaml_config_file  # noqa: PLC0415
    from homeassistant.const import EVENT_HOMEASSISTANT_STARTED  # noqa: PLC0415
    from homeassistant.core import CoreState  # noqa: PLC0415
    from homeassistant.setup import async_setup_component  # noqa: PLC0415
    from homeassistant.util.yaml import Secrets  # noqa: PLC0415
    from pytest_homeassistant_custom_component.common import (  # noqa: PLC0415
        MockConfigEntry,
        async_test_home_assistant,
    )

    import custom_components.security_posture as integration  # noqa: PLC0415
    from custom_components.security_posture.const import DOMAIN  # noqa: PLC0415
    from custom_components.security_posture.inspect.config_facts import (  # noqa: PLC0415
        SCAN_CLIENT,
    )

    _use_design(design)
    out: dict[str, Any] = {"graph": _graph_size(config_dir), "design": design}
    out["load_before"] = os.getloadavg()[0]
    monitor = LoopMonitor()
    ticker = monitor.start()
    config_path = str(config_dir / "configuration.yaml")

    async with async_test_home_assistant(
        config_dir=str(config_dir), initial_state=CoreState.not_running
    ) as hass:
        hass.data.pop(loader.DATA_CUSTOM_COMPONENTS, None)  # load this repository's
        if heap == "bootstrap":
            started = time.perf_counter()
            await _bootstrap(hass, config_dir)
            out["bootstrap_s"] = time.perf_counter() - started
            hass.set_state(CoreState.running)
            hass.bus.async_fire(EVENT_HOMEASSISTANT_STARTED)
            await hass.async_block_till_done()
            await asyncio.sleep(2)
            await _quiet(hass)
        else:
            assert await async_setup_component(
                hass,
                "http",
                {"http": {"server_host": "127.0.0.1", "server_port": _free_port()}},
            )
            for domain in ("sensor", "binary_sensor", "event"):
                assert await async_setup_component(hass, domain, {})
            await hass.async_block_till_done()
        out["heap"] = _heap(hass)
        out["rss_before_mb"] = _rss_mb()
        # Our entry is set up while Home Assistant starts (again, with a bootstrapped heap:
        # the other integrations' start-up work is done and not measured with ours).
        hass.set_state(CoreState.starting)

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

        def client() -> Any:
            return entry.runtime_data._cache.get(SCAN_CLIENT)  # noqa: SLF001

        times: dict[str, list[float]] = {}
        cpu: dict[str, list[float]] = {}
        worker_cpu: dict[str, list[float]] = {}
        reads: dict[str, list[int]] = {}

        async def timed(name: str, run: Any) -> Any:
            await _quiet(hass)
            pid = client().pid
            worker_before = cpu_of(pid) if pid else 0.0
            reads_before = rchar() + (rchar(pid) if pid else 0)
            monitor.begin(name)
            cpu_before = time.process_time()
            started = time.perf_counter()
            result = await run()
            took = time.perf_counter() - started
            cpu_self = time.process_time() - cpu_before
            monitor.end()
            now = client().pid
            if now and now != pid:  # a new worker: all of its time is this phase's
                worker = cpu_of(now)
                reads_now = rchar() + rchar(now)
            else:
                worker = cpu_of(now) - worker_before if now else 0.0
                reads_now = rchar() + (rchar(now) if now else 0)
            times.setdefault(name, []).append(took)
            cpu.setdefault(name, []).append(cpu_self + worker)
            worker_cpu.setdefault(name, []).append(worker)
            reads.setdefault(name, []).append(reads_now - reads_before)
            return result

        async def first_scan() -> None:
            hass.set_state(CoreState.running)
            hass.bus.async_fire(EVENT_HOMEASSISTANT_STARTED)
            await hass.async_block_till_done(wait_background_tasks=True)

        for attempt in range(repeat):
            # Each round: the entry set up while Home Assistant starts, then the start (the
            # first scan runs as a background task); unloaded again but for the last round.
            if attempt:
                assert await hass.config_entries.async_unload(entry.entry_id)
                await hass.async_block_till_done(wait_background_tasks=True)
                hass.set_state(CoreState.starting)
            await _quiet(hass)
            monitor.begin("setup")
            assert await hass.config_entries.async_setup(entry.entry_id)
            monitor.end()
            out["scanned_during_setup"] = entry.runtime_data.data is not None
            await timed("first_scan", first_scan)
        integration.async_setup_entry = original_setup_entry  # type: ignore[assignment]
        out["setup_entry_ms"] = min(entry_setup) * 1000
        coordinator = entry.runtime_data
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

        async def full_scan() -> None:
            # As after a restart: nothing kept, no worker yet.
            await coordinator._cache.async_close()  # noqa: SLF001
            await coordinator.async_refresh()

        ha_error = None
        for _ in range(repeat):
            try:
                await timed("ha_load", ha_load)
            except Exception as err:
                ha_error = f"{type(err).__name__}: {err}"[:200]
            await timed("engine_full", full_scan)
            await timed("engine_rescan", coordinator.async_refresh)
        out["ha_load_error"] = ha_error
        out["workers_started"] = client().started
        out["times_ms"] = {k: min(v) * 1000 for k, v in sorted(times.items())}
        out["times_median_ms"] = {
            k: statistics.median(v) * 1000 for k, v in sorted(times.items())
        }
        out["cpu_ms"] = {k: min(v) * 1000 for k, v in sorted(cpu.items())}
        out["worker_cpu_ms"] = {k: min(v) * 1000 for k, v in sorted(worker_cpu.items())}
        out["rchar"] = {k: min(v) for k, v in sorted(reads.items())}
        out["stall_ms"] = {k: min(v) * 1000 for k, v in sorted(monitor.stalls.items())}
        out["stall_max_ms"] = {
            k: max(v) * 1000 for k, v in sorted(monitor.stalls.items())
        }
        out["promoted"] = {k: max(v) for k, v in sorted(monitor.promoted.items())}
        out["gc"] = {
            k: {
                "count": len(v),
                "longest_ms": max(p for _, p in v) * 1000,
                "gen2": sum(1 for g, _ in v if g == 2),
            }
            for k, v in sorted(monitor.gc_pauses.items())
        }
        out["stall_samples"] = {
            k: sorted(v.items(), key=lambda kv: -kv[1])[:5]
            for k, v in sorted(monitor.samples.items())
        }
        out["longest_step"] = {
            k: {"ms": v[0] * 1000, "what": v[1]}
            for k, v in sorted(monitor.steps.items())
        }

        # Memory: a separate pass under tracemalloc, from nothing kept.
        await coordinator._cache.async_close()  # noqa: SLF001
        gc.collect()
        objects_before = len(gc.get_objects())
        tracemalloc.start()
        base = tracemalloc.get_traced_memory()[0]
        await coordinator.async_refresh()
        current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        pid = client().pid
        out["peak_mb"] = (peak - base) / 2**20
        out["kept_mb"] = (current - base) / 2**20
        out["worker_hwm_mb"] = hwm_mb(pid) if pid else 0.0
        gc.collect()
        out["kept_objects"] = len(gc.get_objects()) - objects_before
        out["rss_after_mb"] = _rss_mb()

        await hass.config_entries.async_unload(entry.entry_id)
        await hass.async_stop(force=True)
    ticker.cancel()
    monitor.stop()
    out["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out["load_after"] = os.getloadavg()[0]
    return out


def _rss_mb() -> float:
    with contextlib.suppress(OSError), open("/proc/self/status", encoding="ascii") as f:  # noqa: PTH123
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _count(items: Any) -> dict[str, int]:
    counts: dict[str, int] = {}
    for item in items:
        counts[item] = counts.get(item, 0) + 1
    return dict(sorted(counts.items()))


def intrinsic(config_dir: Path, repeat: int) -> dict[str, float]:
    """CPU cost without the noise of a shared machine.

    Home Assistant's load against the configuration scan (graph and credentials, with an
    empty cache), each in this thread, with the garbage collector paused, timed with the
    thread's CPU clock (`time.thread_time`: time spent waiting for a CPU does not count);
    the runs are interleaved and the best of `repeat` is kept.
    """
    from homeassistant.config import load_yaml_config_file  # noqa: PLC0415
    from homeassistant.util.yaml import Secrets  # noqa: PLC0415

    from custom_components.security_posture.inspect.config_scan import (  # noqa: PLC0415
        scan_configuration,
    )

    config_path = str(config_dir / "configuration.yaml")
    runs: dict[str, Any] = {
        "ha_load": lambda: load_yaml_config_file(config_path, Secrets(config_dir)),
        "scan": lambda: scan_configuration(config_dir, {}),
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
    return best


def child(kind: str, arg: str, repeat: int, design: str, heap: str) -> None:
    """Prepare one case in a temporary directory, measure it, print JSON."""
    sys.path.insert(0, str(ROOT))
    import custom_components.security_posture  # noqa: F401, PLC0415 - before HA looks

    with tempfile.TemporaryDirectory(prefix="sp-bench-") as tmp:
        config_dir = Path(tmp) / "config"
        info: dict[str, Any] = {}
        if kind == "size":
            generate_tree(config_dir, int(arg))
        elif kind == "large":
            generate_large(config_dir, int(arg))
        else:
            info = prepare_corpus(Path(arg), config_dir)
            for name in info["env_vars"]:
                os.environ.setdefault(name, "bench")
        heap = heap if kind in ("size", "large") else "minimal"
        result = asyncio.run(measure(config_dir, repeat, heap, design))
        result["heap_mode"] = heap
        files = result["graph"]["files"]
        rounds = 15 if files <= 300 else 7 if files <= 1000 else 3
        result["intrinsic_ms"] = intrinsic(config_dir, rounds)
        result["prepared"] = info
    print(json.dumps(result))


# --- the parent: run the cases, write the document -------------------------------------------


@dataclass
class Case:
    name: str
    kind: str  # "size", "large" or "corpus"
    arg: str
    results: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Per design."""


def run_case(case: Case, design: str, repeat: int, heap: str) -> dict[str, Any]:
    done = subprocess.run(
        [
            sys.executable,
            __file__,
            "--child",
            case.kind,
            case.arg,
            "--repeat",
            str(repeat),
            "--design",
            design,
            "--heap",
            heap,
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    if done.returncode != 0:
        sys.stderr.write(done.stderr[-4000:])
        msg = f"case {case.name} ({design}) failed"
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
    parser.add_argument("--corpus", default=str(DEFAULT_CORPUS))
    parser.add_argument(
        "--large",
        default=",".join(map(str, DEFAULT_LARGE)),
        help="cases of one large automations.yaml, by number of automations",
    )
    parser.add_argument("--repeat", type=int, default=0, help="0: by size")
    parser.add_argument("--design", default=",".join(DESIGNS))
    parser.add_argument("--heap", choices=("bootstrap", "minimal"), default="bootstrap")
    parser.add_argument(
        "--only", help="run only the case of this name (prints JSON, writes nothing)"
    )
    parser.add_argument("--no-write", action="store_true", help="print JSON only")
    parser.add_argument(
        "--hostile",
        action="store_true",
        help="only the hostile inputs of tests/test_attacks.py, a few seconds: writes "
        "the table of the page's Hostile input section (--repeat: runs of each)",
    )
    parser.add_argument(
        "--child", nargs=2, metavar=("KIND", "ARG"), help=argparse.SUPPRESS
    )
    parser.add_argument(
        "--render",
        action="store_true",
        help=f"write the document again from the last run's results ({RESULTS})",
    )
    args = parser.parse_args()
    if args.hostile:
        import bench_hostile  # noqa: PLC0415 - beside this script

        bench_hostile.main(repeat=args.repeat or 5, no_write=args.no_write)
        return
    if args.render:
        saved = json.loads(RESULTS.read_text(encoding="utf-8"))
        write_results([Case(**c) for c in saved["cases"]], saved["machine"])
        return
    if args.child:
        child(args.child[0], args.child[1], args.repeat or 3, args.design, args.heap)
        return

    cases = [
        Case(f"generated {n}", "size", str(n))
        for n in map(int, filter(None, args.sizes.split(",")))
    ]
    cases += [
        Case(f"one large file, {n} automations", "large", str(n))
        for n in map(int, filter(None, args.large.split(",")))
    ]
    corpus = Path(args.corpus)
    if args.corpus != "none" and corpus.is_dir():
        cases += [
            Case(f"corpus {d.name}", "corpus", str(d))
            for d in sorted(corpus.iterdir())
            if (d / "configuration.yaml").is_file()
        ]
    if args.only:
        cases = [c for c in cases if args.only in (c.name, c.arg)]
    designs = [d for d in args.design.split(",") if d]
    sys.path.insert(0, str(ROOT))
    info = machine()
    loads = [os.getloadavg()[0]]
    for case in cases:
        repeat = args.repeat or (5 if case.kind == "corpus" else 3)
        for design in designs:
            started = time.perf_counter()
            case.results[design] = run_case(case, design, repeat, args.heap)
            case.results[design]["repeat"] = repeat
            loads.append(os.getloadavg()[0])
            print(
                f"{case.name} ({design}): done in {time.perf_counter() - started:.0f} s",
                file=sys.stderr,
            )
    info["load_run"] = f"{min(loads):.1f} to {max(loads):.1f}"
    if args.no_write or args.only:
        print(json.dumps({c.name: c.results for c in cases}, indent=1))
        return
    RESULTS.write_text(
        json.dumps({"machine": info, "cases": [c.__dict__ for c in cases]}, indent=1),
        encoding="utf-8",
    )
    write_results(cases, info)


# --- the document -----------------------------------------------------------------------------

BEGIN = (
    f"<!-- bench{_END}:begin (written by scripts/bench; edit outside these markers) -->"
)
END = f"<!-- bench{_END}:end -->"


def _over(value: float, target: float) -> str:
    """How far over the target: a percentage below twice the target, else a factor."""
    if value < 2 * target:
        return f"{(value / target - 1) * 100:.0f} % over"
    return f"{value / target:.1f}x the target"


def _verdict(value: float, target: float, unit: str = "x") -> str:
    if value <= target:
        return f"met ({value:.2f}{unit})"
    return f"**missed**: {value:.2f}{unit}, {_over(value, target)}"


def _cause(r: dict[str, Any], phase: str) -> str:
    """What made the longest stall of a phase: a collection, a loop step, or neither."""
    stall = r["stall_ms"].get(phase, 0.0)
    gc_longest = r["gc"].get(phase, {}).get("longest_ms", 0.0)
    step = r["longest_step"].get(phase, {}).get("ms", 0.0)
    if stall <= TARGET_STALL_MS:
        return ""
    if gc_longest >= 0.8 * stall:
        return f"garbage collection {gc_longest:.0f} ms"
    if step >= 0.8 * stall:
        samples = r["stall_samples"].get(phase) or [["?", 0]]
        return f"loop step {step:.0f} ms: `{samples[0][0]}`"
    return "no step or collection that long: the loop waited for the GIL or the CPU"


def _ratio(r: dict[str, Any], key: str, table: str = "times_ms") -> float | None:
    ha = r[table].get("ha_load")
    return r[table][key] / ha if ha else None


def _ratios(case: Case, design: str, key: str) -> tuple[float | None, float | None]:
    r = case.results[design]
    return _ratio(r, key), _ratio(r, key, "cpu_ms")


def _target_cell(
    cases: list[Case], design: str, value_of: Any, target: float, unit: str = "x"
) -> str:
    parts = []
    for case in cases:
        if design not in case.results:
            continue
        value = value_of(case.results[design])
        if value is None:
            continue
        mark = "" if value <= target else " **missed**"
        parts.append(f"{_short(case)}: {value:.2f}{unit}{mark}")
    return "; ".join(parts) or "n/a"


def _short(case: Case) -> str:
    if case.kind == "large":
        return f"one file of {case.arg}"
    return case.name.removeprefix("generated ")


def verdicts(cases: list[Case], designs: list[str]) -> str:
    sized = [c for c in cases if c.kind in ("size", "large")]
    at_5000 = [c for c in sized if c.arg == "5000" and c.kind == "size"] or sized[-1:]
    rows: list[tuple[str, Any, float, str, list[Case]]] = [
        (
            f"Full scan (whole engine) ≤ {TARGET_FULL}x Home Assistant's load: wall time",
            lambda r: _ratio(r, "engine_full"),
            TARGET_FULL,
            "x",
            sized,
        ),
        (
            f"Full scan ≤ {TARGET_FULL}x: CPU time (Home Assistant's process and the worker)",
            lambda r: _ratio(r, "engine_full", "cpu_ms"),
            TARGET_FULL,
            "x",
            sized,
        ),
        (
            f"Full scan ≤ {TARGET_FULL}x: the configuration scan alone, CPU only, best run",
            lambda r: r["intrinsic_ms"]["scan"] / r["intrinsic_ms"]["ha_load"]
            if "ha_load" in r.get("intrinsic_ms", {})
            else None,
            TARGET_FULL,
            "x",
            sized,
        ),
        (
            f"Unchanged rescan ≤ {TARGET_RESCAN}x Home Assistant's load: wall time",
            lambda r: _ratio(r, "engine_rescan"),
            TARGET_RESCAN,
            "x",
            sized,
        ),
        (
            f"Unchanged rescan ≤ {TARGET_RESCAN}x: CPU time",
            lambda r: _ratio(r, "engine_rescan", "cpu_ms"),
            TARGET_RESCAN,
            "x",
            sized,
        ),
    ]
    rows.extend(
        (
            f"No event-loop stall over {TARGET_STALL_MS:g} ms: {PHASE_NAMES[phase]}"
            " (least disturbed run)",
            lambda r, phase=phase: r["stall_ms"].get(phase),
            TARGET_STALL_MS,
            " ms",
            sized,
        )
        for phase in SCAN_PHASES
    )
    rows.append(
        (
            f"Peak memory added ≤ {TARGET_PEAK_MB:g} MB at 5,000 files (Home Assistant's "
            "process, traced, plus the worker's peak RSS)",
            lambda r: r["peak_mb"] + r["worker_hwm_mb"],
            TARGET_PEAK_MB,
            " MiB",
            at_5000,
        )
    )
    lines = [
        "| Target | " + " | ".join(designs) + " |",
        "|---|" + "---|" * len(designs),
    ]
    for label, value_of, target, unit, which in rows:
        lines.append(
            f"| {label} | "
            + " | ".join(
                _target_cell(which, d, value_of, target, unit) for d in designs
            )
            + " |"
        )
    return "\n".join(lines)


def case_table(case: Case, designs: list[str]) -> str:
    present = [d for d in designs if d in case.results]
    first = case.results[present[0]]
    graph = first["graph"]
    heap = first["heap"]

    def row(label: str, cell: Any) -> str:
        return (
            f"| {label} | " + " | ".join(cell(case.results[d]) for d in present) + " |"
        )

    def ms(key: str) -> Any:
        def cell(r: dict[str, Any]) -> str:
            if key not in r["times_ms"]:
                return "n/a"
            return (
                f"{r['times_ms'][key]:.0f} ms (median {r['times_median_ms'][key]:.0f}); "
                f"CPU {r['cpu_ms'][key]:.0f} ms"
                + (
                    f" (worker {r['worker_cpu_ms'][key]:.0f})"
                    if r["worker_cpu_ms"].get(key)
                    else ""
                )
            )

        return cell

    def vs_ha(key: str, target: float) -> Any:
        def cell(r: dict[str, Any]) -> str:
            wall, cpu = _ratio(r, key), _ratio(r, key, "cpu_ms")
            if wall is None or cpu is None:
                return "n/a"
            return f"wall {_verdict(wall, target)}; CPU {_verdict(cpu, target)}"

        return cell

    def stall(phase: str) -> Any:
        def cell(r: dict[str, Any]) -> str:
            if phase not in r["stall_ms"]:
                return "n/a"
            value = r["stall_ms"][phase]
            gcs = r["gc"].get(phase, {})
            text = (
                f"{_verdict(value, TARGET_STALL_MS, ' ms')} (worst run "
                f"{r['stall_max_ms'][phase]:.0f} ms); {gcs.get('gen2', 0)} full "
                f"collections; {r['promoted'].get(phase, 0):,} objects promoted"
            )
            if cause := _cause(r, phase):
                text += f"; {cause}"
            return text

        return cell

    lines = [
        f"Graph: {graph['files']:,} files, {graph['bytes']:,} bytes, {graph['lines']:,} "
        f"lines. Heap ({first['heap_mode']}): {heap['gc_objects']:,} objects tracked by "
        f"the garbage collector, {heap['states']:,} states, {heap['components']} "
        f"components; a full collection of it takes {heap['gen2_cpu_ms_min']:.0f} ms of "
        f"CPU ({heap['gen2_ms_min']:.0f} ms of wall time). Load average "
        + ", ".join(
            f"{case.results[d]['load_before']:.1f} to {case.results[d]['load_after']:.1f} "
            f"({d})"
            for d in present
        )
        + ".",
        "",
        "| Measure | " + " | ".join(present) + " |",
        "|---|" + "---|" * len(present),
        row("Home Assistant's YAML load", ms("ha_load")),
        row("Full scan (whole engine)", ms("engine_full")),
        row("… against Home Assistant's load", vs_ha("engine_full", TARGET_FULL)),
        row("Unchanged rescan", ms("engine_rescan")),
        row("… against Home Assistant's load", vs_ha("engine_rescan", TARGET_RESCAN)),
        row("First scan after start", ms("first_scan")),
        row(
            "CPU only, best run: HA's load / the configuration scan",
            lambda r: " / ".join(
                f"{r.get('intrinsic_ms', {}).get(k, float('nan')):.0f} ms"
                for k in ("ha_load", "scan")
            ),
        ),
    ]
    lines += [row(f"Stall: {PHASE_NAMES[p]}", stall(p)) for p in SCAN_PHASES]
    lines += [
        row(
            "Stall: Home Assistant's load (reference)",
            lambda r: f"{r['stall_ms'].get('ha_load', 0):.0f} ms; "
            f"{r['gc'].get('ha_load', {}).get('gen2', 0)} full collections; "
            f"{r['promoted'].get('ha_load', 0):,} objects promoted",
        ),
        row(
            "Bytes read, full scan (both processes) ÷ graph",
            lambda r: f"{r['rchar']['engine_full'] / graph['bytes']:.2f}x",
        ),
        row(
            "Peak memory added by a full scan",
            lambda r: f"{r['peak_mb'] + r['worker_hwm_mb']:.1f} MiB "
            f"(Home Assistant's process {r['peak_mb']:.1f}, worker {r['worker_hwm_mb']:.1f})",
        ),
        row(
            "Kept between scans in Home Assistant's process",
            lambda r: f"{r['kept_mb']:.1f} MiB, {r['kept_objects']:,} objects",
        ),
        row(
            "RSS of the child: before the entry / after / peak",
            lambda r: f"{r['rss_before_mb']:.0f} / {r['rss_after_mb']:.0f} / "
            f"{r['maxrss_mb']:.0f} MiB",
        ),
        row("`async_setup_entry`", lambda r: f"{r['setup_entry_ms']:.1f} ms"),
        row("Workers started", lambda r: str(r["workers_started"])),
    ]
    rep = first["report"]
    lines += [
        "",
        f"Report: {rep['findings']} findings "
        f"({', '.join(f'{k} {v}' for k, v in rep['by_check'].items())}), {rep['notes']} notes; "
        f"unknown: {', '.join(rep['unknown']) or 'none'}"
        + (
            ""
            if all(case.results[d]["report"] == rep for d in present)
            else " (**the designs' reports differ**)"
        )
        + ".",
    ]
    prepared = first.get("prepared") or {}
    if prepared.get("secrets_added") or prepared.get("created"):
        lines.append(
            f"Prepared copy: {prepared.get('secrets_added', 0)} made-up secrets added, "
            f"empty files created: {', '.join(prepared.get('created') or []) or 'none'}."
        )
    if first.get("ha_load_error"):
        lines.append(f"Home Assistant's load failed: `{first['ha_load_error']}`.")
    return "\n".join(lines)


def plot(cases: list[Case], designs: list[str], path: Path) -> None:
    import matplotlib as mpl  # noqa: PLC0415

    mpl.use("Agg")
    import matplotlib.pyplot as plt  # noqa: PLC0415

    sized = [c for c in cases if c.kind == "size"]
    fig, ax = plt.subplots(figsize=(8, 5), dpi=110)
    colors = {"worker": "tab:red", "in-process": "tab:blue"}
    first = designs[0]
    xs = [c.results[first]["graph"]["files"] for c in sized]
    ax.plot(
        xs,
        [c.results[first]["times_ms"]["ha_load"] for c in sized],
        "-",
        color="black",
        marker="o",
        label="Home Assistant's YAML load",
    )
    for design in designs:
        for key, style, marker in (
            ("engine_full", "-", "s"),
            ("engine_rescan", "--", "^"),
        ):
            ax.plot(
                xs,
                [c.results[design]["times_ms"][key] for c in sized],
                style,
                color=colors.get(design, "gray"),
                marker=marker,
                label=f"{design}: {PHASE_NAMES[key]}",
            )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("YAML files in the configuration")
    ax.set_ylabel("time per scan (ms, least disturbed run)")
    ax.set_title("Security Posture scan time against configuration size")
    ax.grid(visible=True, which="both", alpha=0.3)
    ax.legend(fontsize=8, loc="upper left")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)


def write_results(cases: list[Case], info: dict[str, str]) -> None:
    designs = [d for d in DESIGNS if any(d in c.results for c in cases)]
    plot(cases, designs, PLOT)
    parts = [
        BEGIN,
        "",
        f"Measured by `scripts/bench` on {time.strftime('%Y-%m-%d')}.",
        "",
        "### Machine",
        "",
        f"- CPU: {info['cpu']}, `nproc` {info['nproc']}, shared with other work: load "
        f"average {info.get('load_run', info['load'])} during the run (1-minute, at each "
        "case's start and end); times are the least disturbed of the repeats",
        f"- Memory: {info['memory']}; Linux {info['kernel']}",
        f"- Python {info['python']}, Home Assistant {info['home_assistant']}, PyYAML {info['pyyaml']}",
        "",
        "### Targets, both designs",
        "",
        verdicts(cases, designs),
        "",
        f"![Scan time against configuration size](images/{PLOT.name})",
        "",
    ]
    for case in cases:
        repeat = next(iter(case.results.values()))["repeat"]
        parts += [
            f"### {case.name} (least disturbed of {repeat})",
            "",
            case_table(case, designs),
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
