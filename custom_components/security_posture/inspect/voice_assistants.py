"""Which locks, doors and alarm panels a voice assistant opens without asking for a PIN.

Decided exactly as Home Assistant decides it, from its own settings and nothing else (no file
is read: the settings live in the running instance):

- **Assist** (`conversation`, also the assistant that LLM conversation agents use): an
  entity is exposed when its exposed-entities setting says so, or, with no setting stored,
  when new entities are exposed to Assist and the entity is exposed by default (core's
  `DEFAULT_EXPOSED_DOMAINS`, which holds `cover` but not `lock` or `alarm_control_panel`;
  never an entity with a category or hidden). Assist has no PIN for locks in any supported
  release: `HassTurnOff` unlocks a lock and `HassTurnOn`/`HassOpenCover` open a cover. No
  intent disarms an alarm panel, so alarm panels are not counted for Assist.
- **Google Assistant through Home Assistant Cloud**: active when the cloud integration is
  loaded and logged in, the subscription has not expired, Google is enabled in the cloud
  settings and linked (`google_connected`). Exposure is the cloud's YAML filter
  (`cloud: google_actions: filter:`) when it is not empty, otherwise the exposed-entities
  setting of `cloud.google_assistant` (new entities are not exposed unless the user said so).
  Google asks for the PIN (`google_secure_devices_pin`) before it unlocks, opens a door,
  garage door or gate, or disarms, unless two-factor is off for the entity (`disable_2fa`
  in its exposed-entities options, read with core's own `async_get_entity_settings`; core
  also skips it for an entity it has no settings for, which only stays so under a YAML
  filter). Without a PIN set, Google refuses such commands: only a skipped PIN opens.
- **YAML `google_assistant:`** always asks for `secure_devices_pin` and refuses without one,
  and **Alexa** (YAML or Cloud) leaves unlocking to Amazon, which asks for the voice code set
  in the Alexa app, something Home Assistant cannot see. Neither is surely open without a
  PIN, so neither is reported.

The entity itself must also act without a code the assistant does not give: a lock or an
alarm panel with a `code_format` and no default code refuses a command without a code.
Google passes its PIN as the alarm code, so an alarm panel that wants a code while a Google
PIN is set may or may not accept it: it is not reported. Only the presence of a default code
is read, never the code.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Final

from homeassistant import const as ha_const
from homeassistant.components.homeassistant.const import DATA_EXPOSED_ENTITIES
from homeassistant.components.homeassistant.exposed_entities import (
    DEFAULT_EXPOSED_DOMAINS,
    async_get_entity_settings,
    async_listen_entity_updates,
)
from homeassistant.const import ATTR_DEVICE_CLASS
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.entityfilter import EntityFilter

from ..engine import CheckUnknown, Fact

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from homeassistant.core import CALLBACK_TYPE, HomeAssistant, State

    from ..engine import ScanContext

LOCK: Final = "lock"
COVER: Final = "cover"
ALARM: Final = "alarm_control_panel"
# Covers Google guards with its PIN (`OpenCloseTrait.COVER_2FA`): a way into the house.
ACCESS_COVER_CLASSES: Final = frozenset({"door", "garage", "gate"})
SHOULD_EXPOSE: Final = "should_expose"
DISABLE_2FA: Final = "disable_2fa"
DEFAULT_CODE: Final = "default_code"
CODE_FORMAT: Final = "code_format"
# Never exposed to the cloud, up to 2025 (`group.all_locks`); the list is gone in 2026.
NEVER_EXPOSED: Final[frozenset[str]] = frozenset(
    getattr(ha_const, "CLOUD_NEVER_EXPOSED_ENTITIES", ())
)


class Assistant(StrEnum):
    """A voice assistant, by the name core's exposed-entities settings use."""

    ASSIST = "conversation"
    GOOGLE = "cloud.google_assistant"


@dataclass(frozen=True, kw_only=True)
class GoogleCloud:
    """Google Assistant through Home Assistant Cloud, as far as it matters here."""

    active: bool
    """Logged in, subscribed, Google enabled and linked."""
    pin_set: bool
    """A `google_secure_devices_pin` is set (never its value)."""
    yaml_filter: bool
    """Exposure is decided by `cloud: google_actions: filter:`, not by the settings."""


@dataclass(frozen=True, kw_only=True)
class VoiceTarget:
    """A lock, door or alarm panel that an assistant opens without a PIN."""

    entity_id: str
    name: str
    domain: str
    device_class: str | None
    assistants: tuple[Assistant, ...]


@dataclass(frozen=True, kw_only=True)
class VoiceFacts:
    """What the voice assistants can open without a PIN."""

    assist_loaded: bool
    google: GoogleCloud
    targets: tuple[VoiceTarget, ...]


NO_GOOGLE: Final = GoogleCloud(active=False, pin_set=False, yaml_filter=False)


def _google_cloud(hass: HomeAssistant) -> tuple[GoogleCloud, EntityFilter | None]:
    """Read the cloud's Google settings defensively (nothing is imported from `cloud`)."""
    if "cloud" not in hass.config.components:
        return NO_GOOGLE, None
    cloud: Any = hass.data.get("cloud")
    try:
        prefs = cloud.client.prefs
        active = (
            cloud.is_logged_in is True
            and cloud.subscription_expired is False
            and prefs.google_enabled is True
            and prefs.google_connected is True
        )
        pin_set = bool(prefs.google_secure_devices_pin)
        user_config = cloud.client.google_user_config
        entity_filter = (
            user_config.get("filter") if isinstance(user_config, dict) else None
        )
    except Exception:  # noqa: BLE001 - any other shape: Google through the cloud is off
        return NO_GOOGLE, None
    if not isinstance(entity_filter, EntityFilter) or entity_filter.empty_filter:
        entity_filter = None
    google = GoogleCloud(
        active=active, pin_set=pin_set, yaml_filter=entity_filter is not None
    )
    return google, entity_filter


def _stored_settings(
    manager: Any, entry: er.RegistryEntry | None, entity_id: str
) -> Mapping[str, Any]:
    """The assistants' settings of an entity: registry options, else the legacy store."""
    if entry is not None:
        return entry.options
    legacy = manager.entities.get(entity_id)
    return legacy.assistants if legacy is not None else {}


def should_expose(
    hass: HomeAssistant,
    assistant: Assistant,
    entity_id: str,
    entry: er.RegistryEntry | None,
) -> bool:
    """Whether core exposes `entity_id` to `assistant`, without storing anything.

    Core's own `async_should_expose` stores the default it computes; this does not. From
    2026 core has `async_get_should_expose`, which is used when it exists.
    """
    manager: Any = hass.data[DATA_EXPOSED_ENTITIES]
    if (getter := getattr(manager, "async_get_should_expose", None)) is not None:
        return bool(getter(str(assistant), entity_id))
    if entity_id in NEVER_EXPOSED:
        return False
    stored = _stored_settings(manager, entry, entity_id).get(str(assistant), {})
    if SHOULD_EXPOSE in stored:
        return bool(stored[SHOULD_EXPOSE])
    if not manager.async_get_expose_new_entities(str(assistant)):
        return False
    if entry is not None and (
        entry.entity_category is not None or entry.hidden_by is not None
    ):
        return False
    return entity_id.partition(".")[0] in DEFAULT_EXPOSED_DOMAINS


def google_asks_pin(hass: HomeAssistant, entity_id: str, *, via_filter: bool) -> bool:
    """Whether Google asks for the PIN on `entity_id` (`CloudGoogleConfig.should_2fa`).

    Core answers "no" for an entity it knows no settings for. Without a YAML filter, core
    stores settings for every entity it asks Google's exposure of, before Google can act on
    it, so an entity without settings yet will be asked for; with a filter, nothing is
    stored and such an entity is opened without the PIN.
    """
    try:
        settings = async_get_entity_settings(hass, entity_id)
    except HomeAssistantError:
        return not via_filter
    return not settings.get(str(Assistant.GOOGLE), {}).get(DISABLE_2FA, False)


def _has_default_code(entry: er.RegistryEntry | None, domain: str) -> bool:
    """Whether a default code is set for the entity (its presence only)."""
    if entry is None:
        return False
    options: Mapping[str, Any] = entry.options.get(domain) or {}
    return bool(options.get(DEFAULT_CODE))


def _opens_without_code(
    state: State, entry: er.RegistryEntry | None, *, code_given: bool
) -> bool:
    """Whether the entity acts on a command that carries no code (or a code we cannot judge).

    `code_given`: the assistant passes a code of its own (Google passes its PIN to an alarm
    panel); whether that code is right is unknown, so a panel that wants one is not counted.
    """
    if state.domain == COVER:
        return True
    if state.attributes.get(CODE_FORMAT) is None:
        return True
    return not code_given and _has_default_code(entry, state.domain)


def _candidates(hass: HomeAssistant) -> list[State]:
    """Locks, alarm panels and covers that are doors, garage doors or gates."""
    return [
        state
        for state in hass.states.async_all((LOCK, COVER, ALARM))
        if state.domain != COVER
        or state.attributes.get(ATTR_DEVICE_CLASS) in ACCESS_COVER_CLASSES
    ]


def gather_voice_facts(hass: HomeAssistant) -> VoiceFacts:
    """Decide, for each lock, door and alarm panel, which assistants open it without a PIN.

    Runs on the event loop: it reads states, registries and settings held in memory.
    """
    if DATA_EXPOSED_ENTITIES not in hass.data:
        msg = "the voice assistants' exposed-entity settings are not loaded"
        raise CheckUnknown(msg)
    assist_loaded = "conversation" in hass.config.components
    google, google_filter = _google_cloud(hass)
    registry = er.async_get(hass)
    targets: list[VoiceTarget] = []
    for state in _candidates(hass):
        entity_id = state.entity_id
        entry = registry.async_get(entity_id)
        assistants: list[Assistant] = []
        if (
            assist_loaded
            and state.domain != ALARM
            and should_expose(hass, Assistant.ASSIST, entity_id, entry)
            and _opens_without_code(state, entry, code_given=False)
        ):
            assistants.append(Assistant.ASSIST)
        if google.active and _google_opens(hass, state, entry, google, google_filter):
            assistants.append(Assistant.GOOGLE)
        if assistants:
            targets.append(
                VoiceTarget(
                    entity_id=entity_id,
                    name=state.name,
                    domain=state.domain,
                    device_class=state.attributes.get(ATTR_DEVICE_CLASS),
                    assistants=tuple(assistants),
                )
            )
    return VoiceFacts(
        assist_loaded=assist_loaded, google=google, targets=tuple(targets)
    )


def google_exposes(
    hass: HomeAssistant,
    entity_id: str,
    entry: er.RegistryEntry | None,
    google_filter: EntityFilter | None,
) -> bool:
    """Whether Home Assistant Cloud exposes the entity to Google (`_should_expose_entity_id`)."""
    if google_filter is not None:
        return entity_id not in NEVER_EXPOSED and google_filter(entity_id)
    return should_expose(hass, Assistant.GOOGLE, entity_id, entry)


def _google_opens(
    hass: HomeAssistant,
    state: State,
    entry: er.RegistryEntry | None,
    google: GoogleCloud,
    google_filter: EntityFilter | None,
) -> bool:
    """Whether Google unlocks, opens or disarms the entity without asking for the PIN."""
    return (
        google_exposes(hass, state.entity_id, entry, google_filter)
        and not google_asks_pin(
            hass, state.entity_id, via_filter=google_filter is not None
        )
        and _opens_without_code(
            state, entry, code_given=state.domain == ALARM and google.pin_set
        )
    )


async def _async_gather(ctx: ScanContext) -> VoiceFacts:
    return gather_voice_facts(ctx.hass)


def _listen(hass: HomeAssistant, request_rescan: Callable[[], None]) -> CALLBACK_TYPE:
    """Rescan when an entity is exposed or hidden, or its PIN setting changes."""
    if DATA_EXPOSED_ENTITIES not in hass.data:
        return lambda: None
    unsubscribes = [
        async_listen_entity_updates(hass, str(assistant), request_rescan)
        for assistant in Assistant
    ]

    def _unsubscribe() -> None:
        for unsubscribe in unsubscribes:
            unsubscribe()

    return _unsubscribe


VOICE_ASSISTANTS: Final = Fact[VoiceFacts](
    name="what the voice assistants open without a PIN",
    gather=_async_gather,
    listen=_listen,
)
