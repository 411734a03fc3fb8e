"""Gather the radio networks' key facts: Zigbee2MQTT, ZHA and Z-Wave JS.

Each part is read on its own; one that cannot be read says why in `problems` and the
others still count. No key ever leaves: only default or not, and how many keys are set.

Z-Wave JS: the official add-on (`core_zwave_js`) generates every missing key at each start
and writes it into its options, so a *running* add-on without S2 keys is one that predates
S2 (it cannot include devices securely with S2). Without the add-on's details, a loaded
`zwave_js` entry that runs the add-on (`use_addon`) mirrors the add-on's keys in its data
(Home Assistant copies them at every setup). An entry that talks to a Z-Wave JS server of
its own keeps no keys in Home Assistant: nothing can be known, nothing is claimed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from homeassistant.config_entries import ConfigEntryState

from ..engine import Fact, ScanContext
from ..model import Family
from .addon_details import S2_KEYS, ZWAVE_JS
from .mqtt import listen_entries
from .supervisor import async_optional_supervisor
from .zha_network import ZHA_DOMAIN, ZhaNetwork, ZhaUnreadable, read_zha_network
from .zigbee2mqtt import Zigbee2MqttNetwork, folders, read_networks

if TYPE_CHECKING:
    from pathlib import Path

    from homeassistant.core import HomeAssistant

    from .supervisor import SupervisorFacts

ZWAVE_DOMAIN: Final = "zwave_js"


@dataclass(frozen=True, kw_only=True)
class ZwaveNetwork:
    """A running Z-Wave JS and how many S2 keys it has (never the keys)."""

    subject: str  # "addon:<slug>" or "config_entry:<entry id>"
    name: str
    s2_keys: int


@dataclass(frozen=True, kw_only=True)
class RadioKeyFacts:
    """The key facts of every radio network found."""

    zigbee2mqtt: tuple[Zigbee2MqttNetwork, ...]
    zha: ZhaNetwork | None  # None: no ZHA, or no backup to read it from
    zwave: tuple[ZwaveNetwork, ...]
    problems: tuple[str, ...]


async def async_read_radio_keys(
    hass: HomeAssistant, config_dir: Path, supervisor: SupervisorFacts | None
) -> RadioKeyFacts:
    """Read the three radios' keys (files in the executor)."""
    candidates, problems = folders(config_dir, supervisor)
    z2m = await hass.async_add_executor_job(read_networks, config_dir, candidates)
    problems += [n.problem for n in z2m if n.problem is not None]
    zha = None
    if hass.config_entries.async_entries(ZHA_DOMAIN):
        try:
            zha = await hass.async_add_executor_job(read_zha_network, config_dir)
        except ZhaUnreadable as err:
            problems.append(f"ZHA: {err}")
    return RadioKeyFacts(
        zigbee2mqtt=tuple(z2m),
        zha=zha,
        zwave=zwave_networks(hass, supervisor),
        problems=tuple(problems),
    )


def zwave_networks(
    hass: HomeAssistant, supervisor: SupervisorFacts | None
) -> tuple[ZwaveNetwork, ...]:
    """Running Z-Wave JS networks whose keys Home Assistant can see."""
    addon = next(
        (a for a in supervisor.addons if a.slug == ZWAVE_JS)
        if supervisor is not None
        else iter(()),
        None,
    )
    if addon is not None and addon.zwave is not None:
        if not addon.started:
            return ()  # it makes its missing keys when it starts
        return (
            ZwaveNetwork(
                subject=f"addon:{addon.slug}", name=addon.name, s2_keys=addon.zwave.s2
            ),
        )
    return tuple(
        ZwaveNetwork(
            subject=f"config_entry:{entry.entry_id}",
            name=entry.title,
            s2_keys=sum(
                1
                for key in S2_KEYS
                if isinstance(value := entry.data.get(key), str) and value.strip()
            ),
        )
        for entry in hass.config_entries.async_entries(ZWAVE_DOMAIN)
        if entry.data.get("use_addon") is True
        and entry.state is ConfigEntryState.LOADED
    )


async def _async_gather(ctx: ScanContext) -> RadioKeyFacts:
    supervisor = await async_optional_supervisor(ctx, Family.EXPOSURE)
    facts = await async_read_radio_keys(ctx.hass, ctx.config_dir, supervisor)
    for problem in facts.problems:
        ctx.note(Family.EXPOSURE, problem)
    return facts


RADIO_KEYS: Final = Fact[RadioKeyFacts](
    name="the radio networks' keys",
    gather=_async_gather,
    listen=listen_entries((ZHA_DOMAIN, ZWAVE_DOMAIN)),
)
