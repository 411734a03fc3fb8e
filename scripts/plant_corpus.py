"""Plant credentials, in the forms owners write, into copies of real configurations.

Shared by `scripts/measure_corpus` (every plant found, nothing else, no leak) and
`scripts/compare_detect_secrets` (the same trees, scanned by Yelp's detect-secrets too).
The corpus itself is never modified: each configuration is copied to a temporary directory
first. If it ships `secrets.fake.yaml` and no `secrets.yaml`, the former is copied to
`secrets.yaml`, as its owner would have a real one.

Every form is planted into several files of each configuration (`PER_FORM`, chosen in turn
from configuration.yaml, files loaded by `!include`, files loaded by `!include_dir_*` and
files whose root is a list), under a top-level key of its own (a mapping file) or as a new
automation whose action carries it (a list file). Each plant knows its file, line and
dotted key. Values are made up here, different for every plant, and kept so that a report
can be searched for them.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
import json
from pathlib import Path
import random
import shutil
import string
import sys
from typing import TYPE_CHECKING, Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from custom_components.security_posture.checks.registry import BY_ID  # noqa: E402
from custom_components.security_posture.engine import (  # noqa: E402
    ScanContext,
    ScanOutcome,
    async_scan,
)
from custom_components.security_posture.inspect.config_facts import (  # noqa: E402
    CONFIG_GRAPH,
)
from custom_components.security_posture.inspect.graph_reader import (  # noqa: E402
    read_config_graph,
)
from custom_components.security_posture.inspect.yaml_loader import (  # noqa: E402
    parse_yaml,
)
from custom_components.security_posture.inspect.yaml_nodes import (  # noqa: E402
    INCLUDE,
    INCLUDE_DIR_TAGS,
    YamlList,
    YamlMap,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from custom_components.security_posture.inspect.config_graph import (
        ConfigFile,
        ConfigGraph,
    )

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
PER_FORM = 3


# --- the forms -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Form:
    """One way owners write a credential: a field and the string written into it."""

    name: str
    section: str
    """The top-level key it is planted under in a mapping file (`rest_command`, ...)."""
    field: str
    """The option that holds the value."""
    value: Callable[[random.Random], tuple[str, str]]
    """Makes (the string written, the secret part of it)."""
    named: bool = True
    """Under a name the owner chose (`rest_command: {name: {url: ...}}`) or not."""
    placeholder: bool = False
    """A placeholder: it must be found, and reported low."""


def _secret(rng: random.Random, length: int = 14, *, url: bool = False) -> str:
    """A password; in a URL, only characters that need no escaping there."""
    alphabet = string.ascii_letters + string.digits
    body = "".join(rng.choice(alphabet) for _ in range(length - 2))
    return f"{body}{rng.choice('-._~' if url else '!#%+')}{rng.choice(string.digits)}"


def _hex(rng: random.Random, length: int = 32) -> str:
    while True:
        value = "".join(rng.choice("0123456789abcdef") for _ in range(length))
        if any(c.isalpha() for c in value) and any(c.isdigit() for c in value):
            return value


def _token(rng: random.Random) -> str:
    alphabet = string.ascii_letters + string.digits + "-_"
    parts = ["".join(rng.choice(alphabet) for _ in range(n)) for n in (20, 60, 43)]
    return "eyJ" + ".".join(parts)


def _google_key(rng: random.Random) -> str:
    alphabet = string.ascii_letters + string.digits + "-_"
    return "AIza" + "".join(rng.choice(alphabet) for _ in range(35)) + "7"


def _same(value: str) -> tuple[str, str]:
    return value, value


def _fixed(value: str) -> Callable[[random.Random], tuple[str, str]]:
    """A placeholder: the same in every file."""
    return lambda _rng: (value, value)


FORMS: tuple[Form, ...] = (
    Form(
        "key: password",
        "influxdb",
        "password",
        lambda r: _same(_secret(r)),
        named=False,
    ),
    Form(
        "key: api_key",
        "openweathermap",
        "api_key",
        lambda r: _same(_hex(r)),
        named=False,
    ),
    Form(
        "key: access_token",
        "notify_token",
        "access_token",
        lambda r: _same(_token(r)),
        named=False,
    ),
    Form(
        "URL user:password@",
        "camera_stream",
        "stream_source",
        lambda r: (
            f"rtsp://admin:{(s := _secret(r, url=True))}@192.168.1.20:554/stream1",
            s,
        ),
    ),
    Form(
        "query ?api_key=",
        "rest_command",
        "url",
        lambda r: (
            f"https://api.example.com/v1/data?api_key={(s := _hex(r, 24))}&units=metric",
            s,
        ),
    ),
    Form(
        "query &appid=",
        "rest",
        "resource",
        lambda r: (
            "https://api.openweathermap.org/data/2.5/weather?q=Delft&units=metric"
            f"&appid={(s := _hex(r))}",
            s,
        ),
    ),
    Form(
        "query &key=",
        "rest_command",
        "url",
        lambda r: (
            "https://maps.googleapis.com/maps/api/distancematrix/json?origins=home"
            f"&destinations=work&key={(s := _google_key(r))}",
            s,
        ),
    ),
    Form(
        "camera &usr=&pwd=",
        "camera_snapshot",
        "still_image_url",
        lambda r: (
            "http://192.168.1.30:88/cgi-bin/CGIProxy.fcgi?cmd=snapPicture2&usr=admin"
            f"&pwd={(s := _secret(r, url=True))}",
            s,
        ),
    ),
    Form(
        "query &password=",
        "rest_command",
        "url",
        lambda r: (
            f"http://192.168.1.40/set.cgi?user=admin&password={(s := _secret(r, url=True))}&relay=1",
            s,
        ),
    ),
    Form(
        "curl -u user:pass",
        "shell_command",
        "",
        lambda r: (
            f"curl -s -u homeassistant:{(s := _secret(r))} -X POST https://nas.local/api/backup",
            s,
        ),
    ),
    Form(
        "-H 'X-Api-Key: ...'",
        "shell_command",
        "",
        lambda r: (
            f"curl -s -X POST -H 'X-Api-Key: {(s := _hex(r))}' "
            '-d \'{"name": "RefreshMonitoredDownloads"}\' http://sonarr.local:8989/api/v3/command',
            s,
        ),
    ),
    Form(
        "-H 'Authorization: Bearer ...'",
        "command_line_sensor",
        "command",
        lambda r: (
            f'curl -s -H "Authorization: Bearer {(s := _token(r))}" '
            "-H 'Content-Type: application/json' http://192.168.1.2:8123/api/states/sun.sun",
            s,
        ),
    ),
    Form(
        'JSON "password": "..."',
        "rest_command",
        "payload",
        lambda r: (
            '{"username": "homeassistant", "password": "' + (s := _secret(r)) + '"}',
            s,
        ),
    ),
    Form(
        "form body password=",
        "rest_command",
        "payload",
        lambda r: (f"username=homeassistant&password={(s := _secret(r))}", s),
    ),
    Form(
        "placeholder: api_key YOUR_API_KEY",
        "openweathermap",
        "api_key",
        _fixed("YOUR_API_KEY"),
        named=False,
        placeholder=True,
    ),
    Form(
        "placeholder: USERNAME:PASSWORD@",
        "camera_stream",
        "still_image_url",
        _fixed("http://USERNAME:PASSWORD@192.168.1.20/snapshot.jpg"),
        placeholder=True,
    ),
    Form(
        "placeholder: ?api_key=DEMO_KEY",
        "rest_command",
        "url",
        _fixed("https://api.nasa.gov/planetary/apod?api_key=DEMO_KEY"),
        placeholder=True,
    ),
)


@dataclass(frozen=True)
class Plant:
    """Where a credential was planted, and what (for the leak check only)."""

    form: str
    file: str
    line: int
    key: str
    secret: str
    placeholder: bool


# --- planting ------------------------------------------------------------------------------


def _append(path: Path, block: str) -> int | None:
    """Append `block`; keep it only if the file still parses with the same kind of root.

    Returns the number of lines the file had before the block (the block's first line is
    that plus one), or None if the block was not kept.
    """
    original = path.read_text(encoding="utf-8")
    text = original if not original or original.endswith("\n") else original + "\n"
    try:
        before, _ = parse_yaml(original, path.name)
        after, _ = parse_yaml(text + block, path.name)
    except Exception:
        return None
    if type(before) is not type(after) or len(after) <= len(before):
        return None
    path.write_text(text + block, encoding="utf-8")
    return text.count("\n")


def _targets(graph: ConfigGraph) -> list[ConfigFile]:
    """Files to plant into, mixed: configuration.yaml, includes, directory includes, lists."""
    usable = [
        f
        for f in graph.files
        if not f.is_json and f.role != "dashboard" and f.root is not None
    ]
    main = [f for f in usable if f.role == "configuration"]
    maps = [f for f in usable if f.role == "include" and isinstance(f.root, YamlMap)]
    by_include = [f for f in maps if f.via is not None and f.via.tag == INCLUDE]
    by_dir = [f for f in maps if f.via is not None and f.via.tag in INCLUDE_DIR_TAGS]
    lists = [f for f in usable if isinstance(f.root, YamlList)]
    ordered: list[ConfigFile] = []
    for group in zip(
        *(g or [None] for g in (main, by_include, by_dir, lists)), strict=False
    ):
        ordered.extend(f for f in group if f is not None)
    # The rest, in graph order, after one of each kind.
    ordered.extend(f for f in usable if f not in ordered)
    return ordered


def _mapping_block(form: Form, top: str, name: str, value: str) -> tuple[str, str, int]:
    """The block, the key path of the value and the value's line inside the block."""
    quoted = json.dumps(value)
    if form.section == "shell_command":
        return f"\n{top}:\n  {name}: {quoted}\n", f"{top}.{name}", 3
    if form.section == "command_line_sensor":
        block = f"\n{top}:\n  - sensor:\n      name: {name}\n      command: {quoted}\n"
        return block, f"{top}[0].sensor.command", 5
    if form.named:
        block = f"\n{top}:\n  {name}:\n    {form.field}: {quoted}\n"
        return block, f"{top}.{name}.{form.field}", 4
    block = f"\n{top}:\n  host: 192.168.1.10\n  {form.field}: {quoted}\n"
    return block, f"{top}.{form.field}", 4


def _list_block(form: Form, index: int, name: str, value: str) -> tuple[str, str, int]:
    field = form.field or "command"
    block = (
        f"- alias: Planted {name}\n"
        "  triggers: []\n"
        "  actions:\n"
        "    - action: rest_command.planted\n"
        "      data:\n"
        f"        {field}: {json.dumps(value)}\n"
    )
    return block, f"[{index}].actions[0].data.{field}", 6


def _free_key(root: Any, base: str) -> str:
    candidates = [base, *(f"{base}_planted_{n}" for n in range(2, 100))]
    return next(k for k in candidates if not (isinstance(root, YamlMap) and k in root))


def plant(
    config_dir: Path, forms: tuple[Form, ...], seed: int, per_form: int = PER_FORM
) -> list[Plant]:
    """Plant each form into `per_form` files of the configuration at `config_dir`."""
    rng = random.Random(seed)
    plants: list[Plant] = []
    start = 0
    for number, form in enumerate(forms):
        graph = read_config_graph(config_dir, {})
        targets = _targets(graph)
        planted = 0
        for offset in range(len(targets)):
            if planted == per_form:
                break
            target = targets[(start + offset) % len(targets)]
            value, secret = form.value(rng)
            name = f"planted_{number}_{planted}"
            if isinstance(target.root, YamlMap):
                top = _free_key(target.root, form.section)
                block, key, value_line = _mapping_block(form, top, name, value)
            else:
                block, key, value_line = _list_block(
                    form, len(target.root), name, value
                )
            lines = _append(config_dir / target.path, block)
            if lines is None:
                continue
            plants.append(
                Plant(
                    form=form.name,
                    file=target.path,
                    line=lines + value_line,
                    key=key,
                    secret=secret,
                    placeholder=form.placeholder,
                )
            )
            planted += 1
        start += per_form
    return plants


def copy_config(source: Path, destination: Path) -> None:
    """Copy a corpus configuration; its fake secrets file stands for the real one."""
    shutil.copytree(source, destination, symlinks=True)
    fake = destination / "secrets.fake.yaml"
    if fake.exists() and not (destination / "secrets.yaml").exists():
        shutil.copy(fake, destination / "secrets.yaml")


def corpus_configs(corpus: Path) -> list[Path]:
    """The configuration directories of a corpus."""
    return sorted(p for p in corpus.iterdir() if (p / "configuration.yaml").exists())


# --- scanning with Security Posture --------------------------------------------------------


class _Hass:
    """Just enough of Home Assistant for the secrets family."""

    def __init__(self) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1)

    async def async_add_executor_job(self, target: Any, *args: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(
            self._executor, target, *args
        )


def new_context(config_dir: Path) -> ScanContext:
    """A scan context on `config_dir` with the stand-in for `hass`."""
    return ScanContext(
        hass=_Hass(),  # type: ignore[arg-type]
        config_dir=config_dir,
        now=datetime.now(UTC),
    )


SECRETS_CHECKS = ("inline_credential", "secret_undefined", "secret_unused")
"""The checks of the configuration's credentials and `!secret` use."""


async def async_scan_secrets(ctx: ScanContext) -> tuple[ScanOutcome, ConfigGraph]:
    """Run the secrets checks once (gather and checks, through the engine).

    Each call is a new scan that keeps `ctx`'s cache, as the coordinator's scans do.
    """
    scan = ScanContext(
        hass=ctx.hass, config_dir=ctx.config_dir, now=datetime.now(UTC), cache=ctx.cache
    )
    outcome = await async_scan([BY_ID[check] for check in SECRETS_CHECKS], (), scan)
    return outcome, await scan.fact(CONFIG_GRAPH)


def graph_files(config_dir: Path) -> list[str]:
    """The files of the configuration graph (relative paths), as Security Posture reads it."""
    graph = read_config_graph(config_dir, {})
    return [f.path for f in graph.files]
