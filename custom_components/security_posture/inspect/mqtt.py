"""Read how Home Assistant talks to its MQTT broker, and who the Mosquitto add-on lets in.

The MQTT config entries are read through `hass.config_entries`: only whether a login, a
client certificate, WebSocket headers, TLS and `tls_insecure` are set leaves this module,
never a username, a password or a key. An entry with no login proves something about the
broker only once Home Assistant is connected through it: then the broker accepts clients
without a login. Until then nothing is sure, and nothing is claimed.

The Mosquitto add-on (`core_mosquitto`) let anonymous clients in through its `anonymous`
option, or `allow_anonymous true` in a customize folder under /share, until version 6.0.
Since 6.0 its authentication plugin refuses every client without a username whatever the
configuration says (the add-on's documentation says so, and the plugin does it), so for
those versions only the live proof above counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
import re
from typing import TYPE_CHECKING, Any, Final

from awesomeversion import AwesomeVersion, AwesomeVersionException
from homeassistant.config_entries import SIGNAL_CONFIG_ENTRY_CHANGED, ConfigEntryState
from homeassistant.core import callback
from homeassistant.helpers.dispatcher import async_dispatcher_connect

from ..engine import Fact, ScanContext
from ..model import Family
from .addon_details import MOSQUITTO
from .safe_read import ReadRefused, read_regular
from .supervisor import async_optional_supervisor

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from homeassistant.config_entries import ConfigEntry, ConfigEntryChange
    from homeassistant.core import CALLBACK_TYPE, HomeAssistant

    from .supervisor import SupervisorFacts

MQTT_DOMAIN: Final = "mqtt"
# MQTT's dispatcher signal for connects and disconnects (mqtt.const.MQTT_CONNECTION_STATE).
MQTT_CONNECTION_STATE: Final = "mqtt_connection_state"
SHARE_DIR: Final = Path("/share")
# The add-on version whose authentication plugin refuses clients without a username.
NO_ANONYMOUS_SINCE: Final = AwesomeVersion("6.0.0")
MAX_CONF_FILES: Final = 64
MAX_CONF_BYTES: Final = 256 * 1024

_ALLOW_ANONYMOUS: Final = re.compile(r"[ \t]*allow_anonymous[ \t]+(\S{1,16})[ \t]*")


@dataclass(frozen=True, kw_only=True)
class MqttEntry:
    """One MQTT config entry: what is set, never a value."""

    entry_id: str
    title: str
    loaded: bool
    connected: bool  # Home Assistant is connected to the broker through this entry
    login: bool  # a username is set
    client_certificate: bool
    ws_headers: bool  # WebSocket headers, which may carry a login
    tls: bool
    tls_insecure: bool

    @property
    def anonymous(self) -> bool:
        """Connected without any credential: the broker accepts anonymous clients."""
        return (
            self.connected
            and not self.login
            and not self.client_certificate
            and not self.ws_headers
        )


@dataclass(frozen=True, kw_only=True)
class BrokerAddon:
    """The Mosquitto add-on, when it lets anonymous clients in (versions before 6.0)."""

    slug: str
    name: str
    source: str  # "option", or the custom file (under /share) that allows it


@dataclass(frozen=True, kw_only=True)
class MqttFacts:
    """MQTT config entries and the Mosquitto add-on's anonymous access."""

    entries: tuple[MqttEntry, ...]
    anonymous_broker: BrokerAddon | None
    problems: tuple[str, ...] = ()  # what could not be read (never a value)


def mqtt_entry(entry: ConfigEntry, *, connected: bool) -> MqttEntry:
    """What one MQTT config entry sets; no value leaves here."""
    data: Mapping[str, Any] = entry.data

    def is_set(key: str) -> bool:
        value = data.get(key)
        return value is not None and value not in ("", {}, [])

    tls = is_set("certificate")
    return MqttEntry(
        entry_id=entry.entry_id,
        title=entry.title,
        loaded=entry.state is ConfigEntryState.LOADED,
        connected=connected,
        login=is_set("username"),
        client_certificate=is_set("client_cert") or is_set("client_key"),
        ws_headers=data.get("transport") == "websockets" and is_set("ws_headers"),
        tls=tls,
        tls_insecure=tls and data.get("tls_insecure") is True,
    )


def _connected(hass: HomeAssistant, entry: ConfigEntry) -> bool:
    """Whether Home Assistant is connected to the broker (MQTT allows one entry)."""
    if entry.state is not ConfigEntryState.LOADED:
        return False
    # Imported only once MQTT is loaded: its client library is then installed.
    from homeassistant.components.mqtt import is_connected  # noqa: PLC0415

    return bool(is_connected(hass))


async def async_read_mqtt(
    hass: HomeAssistant,
    supervisor: SupervisorFacts | None,
    share_dir: Path | None = None,
) -> MqttFacts:
    """Read the MQTT entries and, under the Supervisor, the Mosquitto add-on."""
    entries = tuple(
        mqtt_entry(entry, connected=_connected(hass, entry))
        for entry in hass.config_entries.async_entries(MQTT_DOMAIN)
    )
    broker: BrokerAddon | None = None
    problems: tuple[str, ...] = ()
    addons = supervisor.addons if supervisor else ()
    addon = next((a for a in addons if a.slug == MOSQUITTO), None)
    if (
        addon is not None
        and addon.started
        and addon.broker is not None
        and _allows_anonymous_config(addon.version)
    ):
        source: str | None = "option" if addon.broker.anonymous else None
        if (folder := addon.broker.customize_folder) is not None:
            custom, problems = await hass.async_add_executor_job(
                read_custom_anonymous, share_dir or SHARE_DIR, folder
            )
            source = _custom_source(source, custom)
        if source is not None:
            broker = BrokerAddon(slug=addon.slug, name=addon.name, source=source)
    return MqttFacts(entries=entries, anonymous_broker=broker, problems=problems)


def _allows_anonymous_config(version: str | None) -> bool:
    """Whether this add-on version lets its configuration allow anonymous clients."""
    if version is None:
        return False
    try:
        return AwesomeVersion(version) < NO_ANONYMOUS_SINCE
    except AwesomeVersionException:
        return False


def _custom_source(option: str | None, custom: tuple[str, bool] | None) -> str | None:
    """The custom files are read after the option (the last setting wins)."""
    if custom is None:
        return option
    file, allowed = custom
    return file if allowed else None


def read_custom_anonymous(
    share_dir: Path, folder: str
) -> tuple[tuple[str, bool] | None, tuple[str, ...]]:
    """The last `allow_anonymous` of the add-on's custom `.conf` files, and problems.

    Mosquitto reads `include_dir` files in name order; the last value wins. Returns the
    file (relative to /share) that set it and whether it allows anonymous clients.
    """
    root = (share_dir / folder).resolve()
    if not root.is_relative_to(share_dir.resolve()):
        return None, (f"the Mosquitto customize folder {folder} is outside /share",)
    try:
        names = sorted(p.name for p in root.iterdir() if p.name.endswith(".conf"))
    except OSError:
        return None, ()  # no folder: the add-on reads nothing either
    last: tuple[str, bool] | None = None
    problems: list[str] = []
    for name in names[:MAX_CONF_FILES]:
        relative = f"{folder}/{name}"
        try:
            _, raw = read_regular(root / name, MAX_CONF_BYTES)
        except ReadRefused as err:
            problems.append(f"/share/{relative}: {err.reason}")
            continue
        for line in raw.decode("utf-8", "replace").splitlines():
            if match := _ALLOW_ANONYMOUS.fullmatch(line):
                last = (relative, match.group(1).lower() == "true")
    return last, tuple(problems)


async def _async_gather(ctx: ScanContext) -> MqttFacts:
    supervisor = await async_optional_supervisor(ctx, Family.EXPOSURE)
    facts = await async_read_mqtt(ctx.hass, supervisor)
    for problem in facts.problems:
        ctx.note(Family.EXPOSURE, problem)
    return facts


def listen_entries(
    domains: tuple[str, ...],
) -> Callable[[HomeAssistant, Callable[[], None]], CALLBACK_TYPE]:
    """A `listen` that asks for a rescan when a config entry of `domains` changes."""

    def _listen(
        hass: HomeAssistant, request_rescan: Callable[[], None]
    ) -> CALLBACK_TYPE:
        @callback
        def _changed(_change: ConfigEntryChange, entry: ConfigEntry) -> None:
            if entry.domain in domains:
                request_rescan()

        return async_dispatcher_connect(hass, SIGNAL_CONFIG_ENTRY_CHANGED, _changed)

    return _listen


def _listen(hass: HomeAssistant, request_rescan: Callable[[], None]) -> CALLBACK_TYPE:
    """Rescan when an MQTT entry changes, and when the connection comes or goes."""
    unsub_entries = listen_entries((MQTT_DOMAIN,))(hass, request_rescan)

    @callback
    def _connection(_connected: bool) -> None:  # noqa: FBT001 - the signal's argument
        request_rescan()

    unsub_connection = async_dispatcher_connect(
        hass, MQTT_CONNECTION_STATE, _connection
    )

    @callback
    def _unsubscribe() -> None:
        unsub_entries()
        unsub_connection()

    return _unsubscribe


MQTT: Final = Fact[MqttFacts](
    name="the MQTT entries", gather=_async_gather, listen=_listen
)
