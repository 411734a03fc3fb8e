"""Device triggers: a new finding, a resolved finding, the score dropping below a value, a login.

The finding triggers listen to the `security_posture_finding` bus event through Home
Assistant's event trigger; the score trigger follows the score sensor through the
numeric_state trigger. The login trigger listens to `security_posture_login`: by default
only logins from a source (address or client) the person never used before, with
`any_source` every login.
"""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING, Any, Final

from homeassistant.components.device_automation import DEVICE_TRIGGER_BASE_SCHEMA
from homeassistant.components.device_automation.exceptions import (
    InvalidDeviceAutomationConfig,
)
from homeassistant.components.homeassistant.triggers import (
    event as event_trigger,
    numeric_state as numeric_state_trigger,
)
from homeassistant.const import (
    CONF_BELOW,
    CONF_DEVICE_ID,
    CONF_DOMAIN,
    CONF_ENTITY_ID,
    CONF_EVENT_DATA,
    CONF_PLATFORM,
    CONF_TYPE,
    Platform,
)
from homeassistant.core import CALLBACK_TYPE, Context, HomeAssistant, State, callback
from homeassistant.helpers import entity_registry as er, selector
import voluptuous as vol

from .const import DOMAIN, EVENT_FINDING, EVENT_LOGIN
from .model import Family, Severity, TransitionAction
from .sensor import score_unique_id

if TYPE_CHECKING:
    from homeassistant.helpers.trigger import TriggerActionType, TriggerInfo
    from homeassistant.helpers.typing import ConfigType

TRIGGER_NEW_FINDING: Final = "new_finding"
TRIGGER_FINDING_RESOLVED: Final = "finding_resolved"
TRIGGER_SCORE_BELOW: Final = "score_below"
TRIGGER_NEW_LOGIN: Final = "new_login"
TRIGGER_TYPES: Final = (
    TRIGGER_NEW_FINDING,
    TRIGGER_FINDING_RESOLVED,
    TRIGGER_SCORE_BELOW,
    TRIGGER_NEW_LOGIN,
)

CONF_FAMILY: Final = "family"
CONF_MIN_SEVERITY: Final = "min_severity"
CONF_ANY_SOURCE: Final = "any_source"

FAMILIES: Final = [str(family) for family in Family]
SEVERITIES: Final = [str(severity) for severity in Severity]

TRIGGER_SCHEMA = DEVICE_TRIGGER_BASE_SCHEMA.extend(
    {vol.Required(CONF_TYPE): vol.In(TRIGGER_TYPES)}, extra=vol.ALLOW_EXTRA
)
_TYPE_SCHEMAS: Final = {
    TRIGGER_NEW_FINDING: DEVICE_TRIGGER_BASE_SCHEMA.extend(
        {
            vol.Required(CONF_TYPE): TRIGGER_NEW_FINDING,
            vol.Optional(CONF_FAMILY): vol.In(FAMILIES),
            vol.Optional(CONF_MIN_SEVERITY): vol.In(SEVERITIES),
        }
    ),
    TRIGGER_FINDING_RESOLVED: DEVICE_TRIGGER_BASE_SCHEMA.extend(
        {
            vol.Required(CONF_TYPE): TRIGGER_FINDING_RESOLVED,
            vol.Optional(CONF_FAMILY): vol.In(FAMILIES),
        }
    ),
    TRIGGER_SCORE_BELOW: DEVICE_TRIGGER_BASE_SCHEMA.extend(
        {
            vol.Required(CONF_TYPE): TRIGGER_SCORE_BELOW,
            vol.Required(CONF_BELOW): vol.All(
                vol.Coerce(float), vol.Range(min=0, max=100)
            ),
        }
    ),
    TRIGGER_NEW_LOGIN: DEVICE_TRIGGER_BASE_SCHEMA.extend(
        {
            vol.Required(CONF_TYPE): TRIGGER_NEW_LOGIN,
            vol.Optional(CONF_ANY_SOURCE, default=False): bool,
        }
    ),
}


async def async_validate_trigger_config(
    hass: HomeAssistant, config: ConfigType
) -> ConfigType:
    """Validate a trigger: each type takes only its own options."""
    config = TRIGGER_SCHEMA(config)
    validated: ConfigType = _TYPE_SCHEMAS[config[CONF_TYPE]](config)
    return validated


async def async_get_triggers(
    hass: HomeAssistant, device_id: str
) -> list[dict[str, Any]]:
    """The triggers of the Security Posture device."""
    return [
        {
            CONF_PLATFORM: "device",
            CONF_DOMAIN: DOMAIN,
            CONF_DEVICE_ID: device_id,
            CONF_TYPE: trigger_type,
        }
        for trigger_type in TRIGGER_TYPES
    ]


def _select(options: list[str], translation_key: str) -> selector.SelectSelector:
    """A dropdown; labels come from `selector.<translation_key>` in the translations."""
    return selector.SelectSelector(
        selector.SelectSelectorConfig(
            options=[
                selector.SelectOptionDict(
                    value=option, label=option.replace("_", " ").capitalize()
                )
                for option in options
            ],
            mode=selector.SelectSelectorMode.DROPDOWN,
            translation_key=translation_key,
        )
    )


async def async_get_trigger_capabilities(
    hass: HomeAssistant, config: ConfigType
) -> dict[str, vol.Schema]:
    """The options each trigger type offers in the automation editor."""
    family: dict[vol.Marker, Any] = {
        vol.Optional(CONF_FAMILY): _select(FAMILIES, "family")
    }
    if config[CONF_TYPE] == TRIGGER_NEW_FINDING:
        fields = family | {
            vol.Optional(CONF_MIN_SEVERITY): _select(SEVERITIES, "severity")
        }
    elif config[CONF_TYPE] == TRIGGER_FINDING_RESOLVED:
        fields = family
    elif config[CONF_TYPE] == TRIGGER_NEW_LOGIN:
        fields = {
            vol.Optional(CONF_ANY_SOURCE, default=False): selector.BooleanSelector()
        }
    else:
        fields = {
            vol.Required(CONF_BELOW): selector.NumberSelector(
                selector.NumberSelectorConfig(
                    min=0, max=100, step=1, mode=selector.NumberSelectorMode.BOX
                )
            )
        }
    return {"extra_fields": vol.Schema(fields)}


async def async_attach_trigger(
    hass: HomeAssistant,
    config: ConfigType,
    action: TriggerActionType,
    trigger_info: TriggerInfo,
) -> CALLBACK_TYPE:
    """Attach a trigger of the Security Posture device."""
    if config[CONF_TYPE] == TRIGGER_SCORE_BELOW:
        return await _async_attach_score_below(hass, config, action, trigger_info)
    if config[CONF_TYPE] == TRIGGER_NEW_LOGIN:
        return await _async_attach_new_login(hass, config, action, trigger_info)

    change = (
        TransitionAction.NEW
        if config[CONF_TYPE] == TRIGGER_NEW_FINDING
        else TransitionAction.RESOLVED
    )
    base = {"action": change.value}
    if CONF_FAMILY in config:
        base[CONF_FAMILY] = config[CONF_FAMILY]
    # The event trigger matches event data by equality; a minimum severity becomes one
    # event trigger per severity at or above it (each event matches at most one of them).
    matches = [base]
    if CONF_MIN_SEVERITY in config:
        floor = Severity(config[CONF_MIN_SEVERITY]).rank
        matches = [
            base | {"severity": str(severity)}
            for severity in Severity
            if severity.rank >= floor
        ]
    removes = []
    for event_data in matches:
        event_config = event_trigger.TRIGGER_SCHEMA(
            {
                CONF_PLATFORM: "event",
                event_trigger.CONF_EVENT_TYPE: EVENT_FINDING,
                CONF_EVENT_DATA: event_data,
            }
        )
        removes.append(
            await event_trigger.async_attach_trigger(
                hass, event_config, action, trigger_info, platform_type="device"
            )
        )

    @callback
    def _remove() -> None:
        for remove in removes:
            remove()

    return _remove


async def _async_attach_new_login(
    hass: HomeAssistant,
    config: ConfigType,
    action: TriggerActionType,
    trigger_info: TriggerInfo,
) -> CALLBACK_TYPE:
    """Fire on `security_posture_login`: from a new source, or any with `any_source`."""
    event_config: dict[str, Any] = {
        CONF_PLATFORM: "event",
        event_trigger.CONF_EVENT_TYPE: EVENT_LOGIN,
    }
    if not config.get(CONF_ANY_SOURCE, False):
        event_config[CONF_EVENT_DATA] = {"new_source": True}
    return await event_trigger.async_attach_trigger(
        hass,
        event_trigger.TRIGGER_SCHEMA(event_config),
        action,
        trigger_info,
        platform_type="device",
    )


def _score_entity_id(hass: HomeAssistant, device_id: str) -> str | None:
    """The entity id of the device's score sensor, wherever it was renamed to."""
    return next(
        (
            entry.entity_id
            for entry in er.async_entries_for_device(er.async_get(hass), device_id)
            if entry.platform == DOMAIN
            and entry.domain == Platform.SENSOR
            and entry.config_entry_id is not None
            and entry.unique_id == score_unique_id(entry.config_entry_id)
        ),
        None,
    )


def _is_number(state: State | None) -> bool:
    if state is None:
        return False
    try:
        float(state.state)
    except ValueError:
        return False
    return True


async def _async_attach_score_below(
    hass: HomeAssistant,
    config: ConfigType,
    action: TriggerActionType,
    trigger_info: TriggerInfo,
) -> CALLBACK_TYPE:
    """Fire when the score falls from a score at or above the value to one below it.

    The numeric_state trigger also fires when the sensor goes from unavailable to a low
    score, which happens after every restart while the score is low; that is no drop,
    so such changes are left out.
    """
    if (entity_id := _score_entity_id(hass, config[CONF_DEVICE_ID])) is None:
        raise InvalidDeviceAutomationConfig(
            translation_domain=DOMAIN, translation_key="score_sensor_missing"
        )
    numeric_config = await numeric_state_trigger.async_validate_trigger_config(
        hass,
        {
            CONF_PLATFORM: "numeric_state",
            CONF_ENTITY_ID: entity_id,
            CONF_BELOW: config[CONF_BELOW],
        },
    )

    async def _on_drop(
        run_variables: dict[str, Any], context: Context | None = None
    ) -> Any:
        if not _is_number(run_variables["trigger"]["from_state"]):
            return None
        # Home Assistant 2025.x types the action as async; later releases allow both.
        result: Any = action(run_variables, context)
        if inspect.isawaitable(result):
            return await result
        return result

    return await numeric_state_trigger.async_attach_trigger(
        hass, numeric_config, _on_drop, trigger_info, platform_type="device"
    )
