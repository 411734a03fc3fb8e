"""`mqtt_anonymous` (high): an MQTT broker that lets clients in without a login.

- An MQTT config entry with no username, no client certificate and no WebSocket headers,
  through which Home Assistant is connected: the broker has just accepted a client without
  a login, so it accepts anyone's. An entry that is not connected proves nothing (the
  broker may refuse it) and is no finding.
- The Mosquitto add-on allowing anonymous clients: its `anonymous` option, or
  `allow_anonymous true` in its customize folder, on versions before 6.0 (since 6.0 its
  authentication plugin refuses every client without a username).
- An MQTT entry with TLS whose `tls_insecure` is on: the broker's certificate name is not
  checked, so anyone between Home Assistant and the broker can pose as it and read the
  login. Medium: it takes a position on the network path.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from ...engine import Check, Facts
from ...inspect.mqtt import MQTT
from ...markdown import Markdown, code, escape
from ...model import Family, Hit, Severity

if TYPE_CHECKING:
    from collections.abc import Iterator

    from ...inspect.mqtt import BrokerAddon, MqttEntry


def _inspect(facts: Facts) -> Iterator[Hit]:
    mqtt = facts[MQTT]
    if mqtt.anonymous_broker is not None:
        yield _broker(mqtt.anonymous_broker)
    for entry in mqtt.entries:
        if entry.anonymous:
            yield _anonymous(entry)
        if entry.tls_insecure:
            yield _tls_insecure(entry)


def _broker(addon: BrokerAddon) -> Hit:
    where = (
        f"its {code('anonymous')} option is on"
        if addon.source == "option"
        else f"{code(f'/share/{addon.source}')} sets {code('allow_anonymous true')}"
    )
    return Hit(
        subject=f"addon:{addon.slug}",
        title=f"{addon.name} lets MQTT clients in without a login",
        key="anonymous" if addon.source == "option" else None,
        placeholders={
            "detail": Markdown(
                f"the add-on {escape(f'{addon.name} ({addon.slug})')} accepts clients "
                f"without a username: {where}"
            ),
            "advice": "Turn anonymous access off in the add-on and give every client a login of its own.",
        },
    )


def _anonymous(entry: MqttEntry) -> Hit:
    return Hit(
        subject=f"mqtt_entry:{entry.entry_id}",
        title=f"The MQTT broker of {entry.title} accepts clients without a login",
        placeholders={
            "detail": Markdown(
                f"Home Assistant's MQTT entry {escape(entry.title)} has no username, no "
                "client certificate and no WebSocket headers, and it is connected: the "
                "broker accepted it without a login, and so accepts anyone who reaches it"
            ),
            "advice": "Require a login on the broker, then reconfigure the MQTT integration with a username and password of its own.",
        },
    )


def _tls_insecure(entry: MqttEntry) -> Hit:
    return Hit(
        subject=f"mqtt_entry:{entry.entry_id}:tls_insecure",
        title=f"MQTT entry {entry.title} does not verify the broker's certificate name",
        severity=Severity.MEDIUM,
        key="tls_insecure",
        placeholders={
            "detail": Markdown(
                f"Home Assistant's MQTT entry {escape(entry.title)} uses TLS with "
                f"{code('tls_insecure')} on: the broker's certificate is not checked "
                "against its name, so anyone on the way can pose as the broker and read "
                "what Home Assistant sends it, its login included"
            ),
            "advice": "Reconfigure the MQTT integration with the broker's name as it is in its certificate, and turn off the option to ignore a certificate name mismatch.",
        },
    )


CHECK: Final = Check(
    id="mqtt_anonymous",
    family=Family.EXPOSURE,
    severity=Severity.HIGH,
    learn_more_url="https://www.home-assistant.io/integrations/mqtt/#broker-configuration",
    needs=(MQTT,),
    inspect=_inspect,
)
