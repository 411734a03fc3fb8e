"""Read Zigbee2MQTT's network key state: the published default, missing, or its own.

Zigbee2MQTT keeps `configuration.yaml` in its data folder: the add-on's `data_path`
(`/config/zigbee2mqtt` by default, which is `zigbee2mqtt/` in Home Assistant's configuration
directory; older versions used `/share/zigbee2mqtt`). `advanced.network_key` is a list of 16
bytes, `GENERATE` (a random key is made at the first start and written back), or a reference
`!secret name` to `secret.yaml` beside it. A missing key means Zigbee2MQTT uses its built-in
default, the key its documentation publishes. Once the network runs, Zigbee2MQTT writes
`coordinator_backup.json`, which holds the key the network really uses.

Only the state (default, missing, generate, own) leaves this module, never a key.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import yaml  # type: ignore[import-untyped]

from .addon_details import ZIGBEE2MQTT
from .safe_read import ReadRefused, read_regular

if TYPE_CHECKING:
    from .supervisor import SupervisorFacts

# Zigbee2MQTT's default (lib/util/settings.ts), also Z-Stack's sample key.
DEFAULT_NETWORK_KEY: Final = bytes(
    (1, 3, 5, 7, 9, 11, 13, 15, 0, 2, 4, 6, 8, 10, 12, 13)
)
DEFAULT_FOLDER: Final = "zigbee2mqtt"
SHARE_DIR: Final = Path("/share")
CONFIGURATION: Final = "configuration.yaml"
BACKUP: Final = "coordinator_backup.json"
MAX_YAML_BYTES: Final = 1024 * 1024
MAX_BACKUP_BYTES: Final = 8 * 1024 * 1024
KEY_BYTES: Final = 16


class KeyState(StrEnum):
    """What Zigbee2MQTT's network key is, without the key."""

    DEFAULT = "default"  # the published default key
    MISSING = "missing"  # not set: Zigbee2MQTT uses the default
    GENERATE = "generate"  # a random key is made at the first start
    OWN = "own"  # a key of its own
    INVALID = "invalid"  # not a key Zigbee2MQTT accepts (it refuses to start)


@dataclass(frozen=True, kw_only=True)
class Zigbee2MqttNetwork:
    """One Zigbee2MQTT data folder."""

    file: str  # its configuration.yaml: relative to the configuration directory or absolute
    in_config_dir: bool
    configured: KeyState | None  # None: unreadable (see `problem`)
    running: KeyState | None  # from coordinator_backup.json; None: no backup
    problem: str | None = None

    @property
    def default_key(self) -> bool:
        """The network uses, or will form with, the published default key."""
        if self.running is not None:
            return self.running is KeyState.DEFAULT
        return self.configured in (KeyState.DEFAULT, KeyState.MISSING)


class _Loader(yaml.SafeLoader):  # type: ignore[misc]
    """Safe YAML that keeps an unknown tag (`!secret name`) as the text Zigbee2MQTT sees."""


def _tagged(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> str:
    if isinstance(node, yaml.ScalarNode):
        return f"!{suffix} {loader.construct_scalar(node)}"
    return f"!{suffix}"  # a tag on a list or a mapping: no reference Zigbee2MQTT reads


_Loader.add_multi_constructor("!", _tagged)


def folders(
    config_dir: Path, supervisor: SupervisorFacts | None
) -> tuple[list[Path], list[str]]:
    """Zigbee2MQTT data folders to look at.

    Under the Supervisor, those of the installed Zigbee2MQTT add-ons (a leftover folder of
    a removed add-on, or of a Zigbee2MQTT running elsewhere, is not a network here);
    otherwise the folder an add-on would use, in case it is mounted there. Also returns
    what cannot be read (a data path Home Assistant does not see).
    """
    default = config_dir / DEFAULT_FOLDER
    if supervisor is None:
        return [default], []
    found: list[Path] = []
    problems: list[str] = []
    for addon in supervisor.addons:
        if addon.slug not in ZIGBEE2MQTT:
            continue
        folder = (
            default
            if addon.data_path is None
            else _host_path(config_dir, addon.data_path)
        )
        if folder is None:
            problems.append(
                f"add-on {addon.slug}: its data folder is not visible to Home Assistant"
            )
        elif folder not in found:
            found.append(folder)
    return found, problems


def _host_path(config_dir: Path, path: str) -> Path | None:
    """Where an add-on's path is seen from Home Assistant (its /config and /share)."""
    if ".." in Path(path).parts:
        return None
    for prefix, base in (("/config", config_dir), ("/share", SHARE_DIR)):
        if path == prefix or path.startswith(f"{prefix}/"):
            return base / path[len(prefix) :].strip("/")
    return None


def read_networks(config_dir: Path, candidates: list[Path]) -> list[Zigbee2MqttNetwork]:
    """Each candidate folder holding a configuration.yaml (blocking: the executor)."""
    networks: list[Zigbee2MqttNetwork] = []
    for folder in candidates:
        path = folder / CONFIGURATION
        in_config = path.is_relative_to(config_dir)
        file = str(path.relative_to(config_dir)) if in_config else str(path)
        try:
            _, raw = read_regular(path, MAX_YAML_BYTES)
        except ReadRefused as err:
            if not err.missing:
                networks.append(_unreadable(file, in_config, err.reason))
            continue
        try:
            configured = _configured(folder, raw)
        except _Unreadable as err:
            networks.append(_unreadable(file, in_config, str(err)))
            continue
        networks.append(
            Zigbee2MqttNetwork(
                file=file,
                in_config_dir=in_config,
                configured=configured,
                running=_running(folder / BACKUP),
            )
        )
    return networks


def _unreadable(file: str, in_config: bool, reason: str) -> Zigbee2MqttNetwork:  # noqa: FBT001
    return Zigbee2MqttNetwork(
        file=file,
        in_config_dir=in_config,
        configured=None,
        running=None,
        problem=f"{file}: {reason}",
    )


class _Unreadable(Exception):  # noqa: N818
    """The configuration cannot be judged; the message says why, quoting nothing."""


def _load(raw: bytes) -> Any:
    try:
        return yaml.load(raw, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError:
        raise _Unreadable("not valid YAML") from None
    except RecursionError:  # the pure-Python loader stops where libyaml would crash
        raise _Unreadable("invalid YAML: nested too deeply") from None


def _configured(folder: Path, raw: bytes) -> KeyState:
    settings = _load(raw)
    advanced = settings.get("advanced") if isinstance(settings, dict) else None
    key = advanced.get("network_key") if isinstance(advanced, dict) else None
    if isinstance(key, str) and key.startswith("!"):
        key = _reference(folder, key)
    if key is None:
        return KeyState.MISSING
    if key == "GENERATE":
        return KeyState.GENERATE
    return _state(_key_bytes(key))


def _reference(folder: Path, text: str) -> Any:
    """Zigbee2MQTT's `!file key` reference: `file` (.yaml added) beside configuration.yaml."""
    file, _, name = text[1:].partition(" ")
    if not file or not name or "/" in file or file.startswith("."):
        raise _Unreadable("advanced.network_key refers to a file that cannot be read")
    if not file.endswith((".yaml", ".yml")):
        file += ".yaml"
    try:
        _, raw = read_regular(folder / file, MAX_YAML_BYTES)
    except ReadRefused as err:
        raise _Unreadable(
            f"advanced.network_key refers to {file}: {err.reason}"
        ) from None
    data = _load(raw)
    if not isinstance(data, dict) or name not in data:
        raise _Unreadable(f"advanced.network_key refers to a name {file} lacks")
    return data[name]


def _key_bytes(key: Any) -> bytes | None:
    if (
        isinstance(key, list)
        and len(key) == KEY_BYTES
        and all(type(b) is int and 0 <= b <= 255 for b in key)  # noqa: PLR2004
    ):
        return bytes(key)
    return None


def _state(key: bytes | None) -> KeyState:
    if key is None:
        return KeyState.INVALID
    return KeyState.DEFAULT if key == DEFAULT_NETWORK_KEY else KeyState.OWN


def _running(path: Path) -> KeyState | None:
    """The key in Zigbee2MQTT's coordinator backup (open coordinator backup format)."""
    try:
        _, raw = read_regular(path, MAX_BACKUP_BYTES)
        backup = json.loads(raw)
    except (ReadRefused, ValueError):
        return None
    network_key = backup.get("network_key") if isinstance(backup, dict) else None
    text = network_key.get("key") if isinstance(network_key, dict) else None
    if not isinstance(text, str):
        return None
    try:
        key = bytes.fromhex(text)
    except ValueError:
        return None
    return _state(key) if len(key) == KEY_BYTES else None
