"""The voice assistants' facts, read in a real `hass` with real template entities."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from homeassistant.components.homeassistant.const import DATA_EXPOSED_ENTITIES
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
import pytest

from custom_components.security_posture.engine import CheckUnknown
from custom_components.security_posture.inspect.voice_assistants import (
    Assistant,
    VoiceFacts,
    gather_voice_facts,
)

from .voice_helpers import (
    ASSIST,
    GOOGLE,
    Alarm,
    Cover,
    Lock,
    async_setup_access,
    async_setup_google_cloud,
    expose,
    skip_google_pin,
)

if TYPE_CHECKING:
    from pathlib import Path

    from homeassistant.core import HomeAssistant

pytestmark = pytest.mark.usefixtures("config_dir")

FRONT = "lock.front_door"
GARAGE = "cover.garage_door"


def opened_by(facts: VoiceFacts) -> dict[str, tuple[Assistant, ...]]:
    """Entity id -> the assistants that open it without a PIN."""
    return {t.entity_id: t.assistants for t in facts.targets}


async def _assist(hass: HomeAssistant) -> None:
    assert await async_setup_component(hass, "conversation", {})
    await hass.async_block_till_done()


async def test_needs_the_exposed_entity_settings(hass: HomeAssistant) -> None:
    """Without core's `homeassistant` integration nothing can be decided."""
    with pytest.raises(CheckUnknown, match="exposed-entity settings"):
        gather_voice_facts(hass)


async def test_nothing_without_an_assistant(hass: HomeAssistant) -> None:
    """No Assist and no cloud: a lock and a garage door are nobody's."""
    await async_setup_access(
        hass,
        locks=(Lock(name="Front door"),),
        covers=(Cover(name="Garage door", device_class="garage"),),
    )
    facts = gather_voice_facts(hass)
    assert facts.targets == ()
    assert not facts.assist_loaded
    assert not facts.google.active


async def test_assist_lock_exposed_on_purpose(hass: HomeAssistant) -> None:
    """A lock is exposed to Assist only when someone said so; then Assist unlocks it."""
    await async_setup_access(
        hass, locks=(Lock(name="Front door"), Lock(name="Back door"))
    )
    await _assist(hass)
    assert opened_by(gather_voice_facts(hass)) == {}
    expose(hass, ASSIST, FRONT, True)
    facts = gather_voice_facts(hass)
    assert opened_by(facts) == {FRONT: (Assistant.ASSIST,)}
    (target,) = facts.targets
    assert (target.name, target.domain, target.device_class) == (
        "Front door",
        "lock",
        None,
    )


async def test_assist_doors_exposed_by_default(hass: HomeAssistant) -> None:
    """Covers are exposed to Assist by default: a garage door, a gate and a door count,
    a blind does not; reading stores no setting (core's own call would)."""
    await async_setup_access(
        hass,
        covers=(
            Cover(name="Garage door", device_class="garage"),
            Cover(name="Gate", device_class="gate"),
            Cover(name="Patio", device_class="door"),
            Cover(name="Blind", device_class="blind"),
        ),
    )
    await _assist(hass)
    manager: Any = hass.data[DATA_EXPOSED_ENTITIES]
    stored_before = dict(manager.entities)
    assert opened_by(gather_voice_facts(hass)) == {
        GARAGE: (Assistant.ASSIST,),
        "cover.gate": (Assistant.ASSIST,),
        "cover.patio": (Assistant.ASSIST,),
    }
    assert dict(manager.entities) == stored_before
    expose(hass, ASSIST, GARAGE, False)
    assert GARAGE not in opened_by(gather_voice_facts(hass))


async def test_assist_new_entities_not_exposed(hass: HomeAssistant) -> None:
    """With "expose new entities" off for Assist, a door without a setting is not exposed."""
    assert await async_setup_component(hass, "homeassistant", {})
    hass.data[DATA_EXPOSED_ENTITIES].async_set_expose_new_entities(ASSIST, False)
    await async_setup_access(
        hass, covers=(Cover(name="Garage door", device_class="garage"),)
    )
    await _assist(hass)
    assert opened_by(gather_voice_facts(hass)) == {}


async def test_assist_hidden_door_not_exposed_by_default(hass: HomeAssistant) -> None:
    """A hidden entity is not exposed by default (registry entry, unique id)."""
    await async_setup_access(
        hass,
        covers=(Cover(name="Garage door", device_class="garage", unique_id="g1"),),
    )
    er.async_get(hass).async_update_entity(GARAGE, hidden_by=er.RegistryEntryHider.USER)
    await _assist(hass)
    assert opened_by(gather_voice_facts(hass)) == {}
    expose(hass, ASSIST, GARAGE, True)
    assert opened_by(gather_voice_facts(hass)) == {GARAGE: (Assistant.ASSIST,)}


async def test_lock_with_code(hass: HomeAssistant) -> None:
    """A lock that wants a code refuses Assist, until a default code is set (never read)."""
    await async_setup_access(
        hass, locks=(Lock(name="Front door", unique_id="l1", code_format=r"^\d{4}$"),)
    )
    await _assist(hass)
    expose(hass, ASSIST, FRONT, True)
    assert hass.states.get(FRONT).attributes["code_format"] == r"^\d{4}$"
    assert opened_by(gather_voice_facts(hass)) == {}
    er.async_get(hass).async_update_entity_options(
        FRONT, "lock", {"default_code": "4711"}
    )
    facts = gather_voice_facts(hass)
    assert opened_by(facts) == {FRONT: (Assistant.ASSIST,)}
    assert "4711" not in repr(facts)


async def test_lock_with_code_without_registry_entry(hass: HomeAssistant) -> None:
    """A lock without a unique id can have no default code: it wants a code, not counted."""
    await async_setup_access(
        hass, locks=(Lock(name="Front door", code_format=r"^\d+$"),)
    )
    await _assist(hass)
    expose(hass, ASSIST, FRONT, True)
    assert opened_by(gather_voice_facts(hass)) == {}


async def test_never_exposed_group(hass: HomeAssistant) -> None:
    """`group.all_locks` is never exposed (up to 2025 by core's list, later by default)."""
    from custom_components.security_posture.inspect.voice_assistants import (  # noqa: PLC0415
        should_expose,
    )

    assert await async_setup_component(hass, "homeassistant", {})
    assert not should_expose(hass, Assistant.GOOGLE, "group.all_locks", None)


async def test_assist_never_disarms(hass: HomeAssistant) -> None:
    """No intent disarms an alarm panel: exposing one to Assist is not counted."""
    await async_setup_access(hass, alarms=(Alarm(name="House"),))
    await _assist(hass)
    expose(hass, ASSIST, "alarm_control_panel.house", True)
    assert opened_by(gather_voice_facts(hass)) == {}


async def test_google_skipped_pin(hass: HomeAssistant) -> None:
    """Google opens without a PIN only where two-factor is off for the entity."""
    await async_setup_access(
        hass,
        locks=(Lock(name="Front door"),),
        covers=(Cover(name="Garage door", device_class="garage", unique_id="g1"),),
    )
    await async_setup_google_cloud(hass)
    facts = gather_voice_facts(hass)
    assert facts.google.active
    assert not facts.google.pin_set
    assert opened_by(facts) == {}  # not exposed to Google: new entities are not
    expose(hass, GOOGLE, FRONT, True)
    expose(hass, GOOGLE, GARAGE, True)
    assert opened_by(gather_voice_facts(hass)) == {}  # Google asks (or refuses)
    skip_google_pin(hass, FRONT)
    skip_google_pin(hass, GARAGE)
    assert opened_by(gather_voice_facts(hass)) == {
        FRONT: (Assistant.GOOGLE,),
        GARAGE: (Assistant.GOOGLE,),
    }
    skip_google_pin(hass, GARAGE, False)
    assert opened_by(gather_voice_facts(hass)) == {FRONT: (Assistant.GOOGLE,)}


async def test_both_assistants(hass: HomeAssistant) -> None:
    """Assist and Google on the same lock: both are named."""
    await async_setup_access(hass, locks=(Lock(name="Front door"),))
    await _assist(hass)
    await async_setup_google_cloud(hass, pin="0000")
    expose(hass, ASSIST, FRONT, True)
    expose(hass, GOOGLE, FRONT, True)
    skip_google_pin(hass, FRONT)
    facts = gather_voice_facts(hass)
    assert facts.google.pin_set
    assert opened_by(facts) == {FRONT: (Assistant.ASSIST, Assistant.GOOGLE)}
    assert "0000" not in repr(facts)


@pytest.mark.parametrize(
    ("cloud", "active"),
    [
        ({}, True),
        ({"logged_in": False}, False),
        ({"enabled": False}, False),
        ({"connected": False}, False),
    ],
)
async def test_google_must_be_active(
    hass: HomeAssistant, cloud: dict[str, bool], active: bool
) -> None:
    """Logged in, Google enabled and linked: otherwise Google cannot act."""
    await async_setup_access(hass, locks=(Lock(name="Front door"),))
    await async_setup_google_cloud(hass, **cloud)
    expose(hass, GOOGLE, FRONT, True)
    skip_google_pin(hass, FRONT)
    facts = gather_voice_facts(hass)
    assert facts.google.active is active
    assert (FRONT in opened_by(facts)) is active


async def test_google_subscription_expired(hass: HomeAssistant) -> None:
    """An expired subscription stops Google through the cloud."""
    await async_setup_access(hass, locks=(Lock(name="Front door"),))
    cloud = await async_setup_google_cloud(hass)
    from .voice_helpers import id_token  # noqa: PLC0415

    cloud.id_token = id_token(expires="2020-01-01")
    expose(hass, GOOGLE, FRONT, True)
    skip_google_pin(hass, FRONT)
    assert not gather_voice_facts(hass).google.active


async def test_google_yaml_filter(hass: HomeAssistant) -> None:
    """A `cloud: google_actions: filter:` decides exposure; an entity it exposes that core
    has no settings for is opened without the PIN (core's should_2fa)."""
    await async_setup_access(
        hass, locks=(Lock(name="Front door"), Lock(name="Back door"))
    )
    await async_setup_google_cloud(
        hass, {"google_actions": {"filter": {"include_entities": [FRONT]}}}
    )
    facts = gather_voice_facts(hass)
    assert facts.google.yaml_filter
    assert opened_by(facts) == {FRONT: (Assistant.GOOGLE,)}
    expose(hass, GOOGLE, FRONT, False)  # settings now exist, the filter still exposes
    assert opened_by(gather_voice_facts(hass)) == {}


async def test_google_alarm_codes(hass: HomeAssistant) -> None:
    """Google passes its PIN as the alarm code: a panel without a code is disarmed, one
    with a code is counted only when no PIN is set and a default code is."""
    await async_setup_access(
        hass,
        alarms=(
            Alarm(name="House", unique_id="a1"),
            Alarm(name="Shed", unique_id="a2", code_format="number"),
        ),
    )
    await async_setup_google_cloud(hass, pin="2580")
    for entity_id in ("alarm_control_panel.house", "alarm_control_panel.shed"):
        expose(hass, GOOGLE, entity_id, True)
        skip_google_pin(hass, entity_id)
        er.async_get(hass).async_update_entity_options(
            entity_id, "alarm_control_panel", {"default_code": "1357"}
        )
    assert opened_by(gather_voice_facts(hass)) == {
        "alarm_control_panel.house": (Assistant.GOOGLE,)
    }
    await hass.data["cloud"].client.prefs.async_update(google_secure_devices_pin=None)
    assert set(opened_by(gather_voice_facts(hass))) == {
        "alarm_control_panel.house",
        "alarm_control_panel.shed",
    }


async def test_cloud_of_another_shape(hass: HomeAssistant, tmp_path: Path) -> None:
    """A cloud object without the expected attributes means no Google through the cloud."""
    await async_setup_access(hass, locks=(Lock(name="Front door"),))
    hass.config.components.add("cloud")
    hass.data["cloud"] = object()
    assert not gather_voice_facts(hass).google.active


async def test_should_expose_agrees_with_core(hass: HomeAssistant) -> None:
    """The read-only decision equals core's own (which stores it), in every default case."""
    from homeassistant.components.homeassistant.exposed_entities import (  # noqa: PLC0415
        async_should_expose,
    )

    from custom_components.security_posture.inspect.voice_assistants import (  # noqa: PLC0415
        should_expose,
    )

    await async_setup_access(
        hass,
        locks=(Lock(name="Front door", unique_id="l1"), Lock(name="Back door")),
        covers=(
            Cover(name="Garage door", device_class="garage", unique_id="g1"),
            Cover(name="Gate", device_class="gate", unique_id="g2"),
            Cover(name="Patio", device_class="door"),
        ),
    )
    registry = er.async_get(hass)
    registry.async_update_entity("cover.gate", hidden_by=er.RegistryEntryHider.USER)
    manager: Any = hass.data[DATA_EXPOSED_ENTITIES]
    manager.async_set_expose_new_entities(GOOGLE, True)
    cases = [
        (assistant, entity_id)
        for assistant in (Assistant.ASSIST, Assistant.GOOGLE)
        for entity_id in (FRONT, "lock.back_door", GARAGE, "cover.gate", "cover.patio")
    ]
    ours = {
        case: should_expose(hass, case[0], case[1], registry.async_get(case[1]))
        for case in cases
    }
    assert manager.entities == {}  # nothing stored by reading
    assert ours == {
        case: async_should_expose(hass, str(case[0]), case[1]) for case in cases
    }
    assert ours[(Assistant.ASSIST, GARAGE)]
    assert not ours[(Assistant.ASSIST, "cover.gate")]
    assert not ours[(Assistant.ASSIST, FRONT)]
    assert manager.entities  # core's own call stored its defaults
    # Stored settings are read back the same way (registry options and the legacy store).
    assert ours == {
        case: should_expose(hass, case[0], case[1], registry.async_get(case[1]))
        for case in cases
    }
