"""`radio_network_key_default` (high): a radio network anyone can decrypt or join.

- Zigbee2MQTT whose `advanced.network_key` is the key its documentation publishes, or is
  missing (Zigbee2MQTT then uses that key). When `coordinator_backup.json` exists, the key
  the network really runs on decides. `GENERATE` and a key of its own are fine.
- ZHA whose newest network backup holds that published key (a network migrated from
  Zigbee2MQTT keeps its key).
- Z-Wave JS running without any S2 key: S2 devices cannot be included securely.

One finding per network. A part that cannot be read is in the report's notes; the other
parts still count. Never a key: only "default" or "none".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from ...engine import Check, Facts
from ...inspect.radio_keys import RADIO_KEYS
from ...inspect.zigbee2mqtt import KeyState
from ...markdown import Markdown, code, escape
from ...model import Family, Hit, Severity

if TYPE_CHECKING:
    from collections.abc import Iterator

    from ...inspect.radio_keys import ZwaveNetwork
    from ...inspect.zigbee2mqtt import Zigbee2MqttNetwork

_REPAIR: Final = "A network key can only be changed by forming the network again: every device has to be paired again."


def _inspect(facts: Facts) -> Iterator[Hit]:
    radios = facts[RADIO_KEYS]
    for network in radios.zigbee2mqtt:
        if network.problem is None and network.default_key:
            yield _zigbee2mqtt(network)
    if radios.zha is not None and radios.zha.default_key:
        yield Hit(
            subject="zha:network_key",
            title="ZHA's Zigbee network uses the published default network key",
            file="zigbee.db",
            placeholders={
                "detail": Markdown(
                    f"ZHA's newest network backup (in {code('zigbee.db')}) holds the network key "
                    "Zigbee2MQTT publishes as its default, so anyone nearby with a Zigbee "
                    "sniffer can read and forge the network's traffic"
                ),
                "advice": Markdown(
                    f"{_REPAIR} In ZHA, make a backup, then migrate to a new network "
                    "(**Settings → Devices & services → ZHA → Configure → Migrate**)."
                ),
            },
        )
    for zwave in radios.zwave:
        if zwave.s2_keys == 0:
            yield _zwave(zwave)


def _zigbee2mqtt(network: Zigbee2MqttNetwork) -> Hit:
    if network.running is KeyState.DEFAULT:
        why = "its coordinator backup shows the network runs on the network key Zigbee2MQTT publishes as its default"
    elif network.configured is KeyState.MISSING:
        why = f"{code('advanced.network_key')} is not set, so Zigbee2MQTT uses the network key it publishes as its default"
    else:
        why = f"{code('advanced.network_key')} is the network key Zigbee2MQTT publishes as its default"
    return Hit(
        subject=f"zigbee2mqtt:{network.file}",
        title="Zigbee2MQTT's network uses the published default network key",
        file=network.file if network.in_config_dir else None,
        key="advanced.network_key",
        placeholders={
            "detail": Markdown(
                f"in {code(network.file)}, {why}: anyone nearby with a Zigbee sniffer "
                "can read and forge the network's traffic"
            ),
            "advice": Markdown(
                f"{_REPAIR} Set {code('advanced.network_key: GENERATE')} and let "
                "Zigbee2MQTT form a new network."
            ),
        },
    )


def _zwave(zwave: ZwaveNetwork) -> Hit:
    return Hit(
        subject=f"zwave_js:{zwave.subject}",
        title="Z-Wave JS runs without S2 security keys",
        placeholders={
            "detail": Markdown(
                f"{escape(zwave.name)} runs Z-Wave JS with no S2 key set, so devices "
                "cannot be included with S2 security: their commands (locks, alarms "
                "included) travel without modern encryption"
            ),
            "advice": "Update the Z-Wave JS add-on: current versions make the S2 keys at their next start. Then include secure devices again with S2.",
        },
    )


CHECK: Final = Check(
    id="radio_network_key_default",
    family=Family.EXPOSURE,
    severity=Severity.HIGH,
    learn_more_url="https://www.zigbee2mqtt.io/advanced/zigbee/03_secure_network.html",
    needs=(RADIO_KEYS,),
    inspect=_inspect,
)
