"""`voice_unlock_without_pin` (high): a lock, door or alarm panel a voice opens without a PIN.

One finding per entity, naming every assistant that does it (`inspect.voice_assistants`
decides, as core does): Assist, which has no PIN for locks and doors, and Google Assistant
through Home Assistant Cloud with its PIN turned off for the entity. YAML `google_assistant`
and Alexa are never reported: the first always asks for `secure_devices_pin` (and refuses
without one), and Amazon asks for its own voice code (set in the Alexa app, which Home
Assistant cannot see) before Alexa unlocks, opens a garage door or disarms.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from ...engine import Check, Facts
from ...inspect.masking import mask_credentials
from ...inspect.voice_assistants import VOICE_ASSISTANTS, Assistant
from ...model import Family, Hit, Severity
from .voice_unlock_without_pin_fix import VoicePinFlow

if TYPE_CHECKING:
    from collections.abc import Iterator

ASSISTANT_NAMES: Final = {
    Assistant.ASSIST: "Assist",
    Assistant.GOOGLE: "Google Assistant",
}
# What a voice does to it, by domain.
ACTIONS: Final = {"lock": "unlock", "cover": "open", "alarm_control_panel": "disarm"}


def assistants_named(assistants: tuple[Assistant, ...]) -> str:
    """`Assist`, `Google Assistant`, or `Assist and Google Assistant`."""
    return " and ".join(ASSISTANT_NAMES[a] for a in assistants)


def _inspect(facts: Facts) -> Iterator[Hit]:
    for target in facts[VOICE_ASSISTANTS].targets:
        names = assistants_named(target.assistants)
        action = ACTIONS[target.domain]
        name = mask_credentials(target.name)
        yield Hit(
            subject=target.entity_id,
            title=f"{names} can {action} {name} ({target.entity_id}) without a PIN",
            placeholders={
                "entity": target.entity_id,
                "name": name,
                "assistants": names,
                "action": action,
            },
        )


CHECK: Final = Check(
    id="voice_unlock_without_pin",
    family=Family.EXPOSURE,
    severity=Severity.HIGH,
    learn_more_url="https://www.home-assistant.io/voice_control/voice_remote_expose_devices/",
    needs=(VOICE_ASSISTANTS,),
    inspect=_inspect,
    fix=VoicePinFlow,
)
