"""`voice_unlock_without_pin`: make Google ask for the PIN, or stop exposing the entity.

Menu, from what is true when the repair is opened (the facts are read again, live):

- `require_pin` (when Google Assistant opens it): turn Google's two-factor back on for the
  entity (`disable_2fa` false, through core's exposed-entities API). When no Google PIN is
  set yet, the step asks for one (a password field) and hands it to Home Assistant Cloud's
  own settings (`prefs.async_update(google_secure_devices_pin=...)`): it is never kept,
  logged or shown by Security Posture. Without a PIN Google would refuse to unlock at all.
- `unexpose`: stop exposing the entity to each assistant that opens it without a PIN,
  through core's `async_expose_entity`. Not offered when the cloud's YAML filter decides
  what Google sees (the filter must then be changed by hand).
- `ignore`: accept the risk.

Every change goes through Home Assistant's API; then the report is rescanned.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from homeassistant.components.homeassistant.exposed_entities import (
    async_expose_entity,
    async_set_assistant_option,
)
from homeassistant.helpers.selector import (
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)
import voluptuous as vol

from ...fixes.base import OPTION_IGNORE, FixFlow
from ...inspect.voice_assistants import (
    DISABLE_2FA,
    Assistant,
    VoiceFacts,
    VoiceTarget,
    gather_voice_facts,
)

if TYPE_CHECKING:
    from homeassistant import data_entry_flow

STEP_REQUIRE_PIN: Final = "require_pin"
STEP_UNEXPOSE: Final = "unexpose"
PIN: Final = "pin"
PIN_LENGTH: Final = range(4, 17)
PIN_SCHEMA: Final = vol.Schema(
    {
        vol.Required(PIN): TextSelector(
            TextSelectorConfig(type=TextSelectorType.PASSWORD)
        )
    }
)


def valid_pin(pin: str) -> bool:
    """A PIN of 4 to 16 digits, as people say or type it to Google."""
    return pin.isascii() and pin.isdigit() and len(pin) in PIN_LENGTH


class VoicePinFlow(FixFlow):
    """Ask for a PIN again, or stop exposing the entity, or accept the risk."""

    fix_step = STEP_REQUIRE_PIN

    def _now(self) -> tuple[VoiceFacts, VoiceTarget] | None:
        """The facts as they are now, and the finding's entity among them (or None)."""
        facts = gather_voice_facts(self.hass)
        target = next(
            (t for t in facts.targets if t.entity_id == self.finding.subject), None
        )
        return None if target is None else (facts, target)

    @staticmethod
    def _can_unexpose(facts: VoiceFacts, target: VoiceTarget) -> bool:
        """Whether the settings can hide the entity from every assistant that opens it."""
        return Assistant.GOOGLE not in target.assistants or not facts.google.yaml_filter

    def _changed(self) -> data_entry_flow.FlowResult:
        return self.async_abort(
            reason="changed", description_placeholders=self.placeholders
        )

    async def async_open(self) -> data_entry_flow.FlowResult:
        """Offer what can be done now."""
        if (now := self._now()) is None:
            return self._changed()
        facts, target = now
        options: list[str] = []
        if Assistant.GOOGLE in target.assistants:
            options.append(STEP_REQUIRE_PIN)
        if self._can_unexpose(facts, target):
            options.append(STEP_UNEXPOSE)
        options.append(OPTION_IGNORE)
        return self.async_show_menu(
            step_id="init",
            menu_options=options,
            description_placeholders=self.placeholders,
        )

    async def async_step_require_pin(
        self, user_input: dict[str, Any] | None = None
    ) -> data_entry_flow.FlowResult:
        """Ask for a PIN when none is set, then make Google ask for it on this entity."""
        if (now := self._now()) is None or Assistant.GOOGLE not in now[1].assistants:
            return self._changed()
        facts = now[0]
        schema = None if facts.google.pin_set else PIN_SCHEMA
        errors: dict[str, str] = {}
        if user_input is not None:
            pin = str(user_input.get(PIN, "")).strip()
            if schema is not None and not valid_pin(pin):
                errors[PIN] = "pin_invalid"
            else:
                if schema is not None:
                    prefs: Any = self.hass.data["cloud"].client.prefs
                    await prefs.async_update(google_secure_devices_pin=pin)
                async_set_assistant_option(
                    self.hass,
                    str(Assistant.GOOGLE),
                    self.finding.subject,
                    DISABLE_2FA,
                    False,  # noqa: FBT003 - the option's value
                )
                after = self._now()
                left = after is not None and Assistant.ASSIST in after[1].assistants
                return await self.async_fixed(
                    "pin_required_assist_left" if left else "pin_required"
                )
        return self.async_show_form(
            step_id=STEP_REQUIRE_PIN,
            data_schema=schema,
            errors=errors,
            description_placeholders=self.placeholders,
        )

    async def async_step_unexpose(
        self, user_input: dict[str, Any] | None = None
    ) -> data_entry_flow.FlowResult:
        """Confirm, then stop exposing the entity to the assistants that open it."""
        if (now := self._now()) is None or not self._can_unexpose(*now):
            return self._changed()
        if user_input is None:
            return self.async_show_form(
                step_id=STEP_UNEXPOSE, description_placeholders=self.placeholders
            )
        for assistant in now[1].assistants:
            async_expose_entity(
                self.hass,
                str(assistant),
                self.finding.subject,
                False,  # noqa: FBT003 - should_expose
            )
        return await self.async_fixed("unexposed")
