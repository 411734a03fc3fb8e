"""The webhook facts, read in a real `hass` with the webhook, automation and cloud integrations."""

from __future__ import annotations

from dataclasses import dataclass
import secrets
from typing import TYPE_CHECKING, Any

from homeassistant.components.webhook import async_register
from homeassistant.config import async_hass_config_yaml
from homeassistant.const import MAJOR_VERSION, MINOR_VERSION
from homeassistant.setup import async_setup_component
import pytest

from custom_components.security_posture.inspect.graph_reader import read_config_graph
from custom_components.security_posture.inspect.webhook_ids import (
    IdWeakness,
    id_weakness,
    mask_webhook_id,
)
from custom_components.security_posture.inspect.webhooks import (
    Webhook,
    WebhookFacts,
    async_read_webhooks,
    cloudhook_ids,
    sequence_drives,
)

from .voice_helpers import Cover, Lock, async_setup_access, async_setup_google_cloud

if TYPE_CHECKING:
    from pathlib import Path

    from homeassistant.core import HomeAssistant

RANDOM_ID = "front-door-" + "Xq7-vB2_kLm9PzR4tYw8NcAe"  # the automation editor's form
GUESSABLE_ID = "open_the_garage_door"  # a canary too: it must never be shown whole

AUTOMATIONS = f"""
- id: "1"
  alias: Open garage
  triggers:
    - trigger: webhook
      webhook_id: {GUESSABLE_ID}
  actions:
    - action: cover.open_cover
      target:
        entity_id: cover.garage_door
- id: "2"
  alias: Unlock
  triggers:
    - trigger: webhook
      webhook_id: "{RANDOM_ID}"
      local_only: false
      allowed_methods: [GET, POST]
  actions:
    - choose:
        - conditions: []
          sequence:
            - action: homeassistant.turn_off
              target:
                entity_id: lock.front_door
- id: "3"
  alias: Lights
  triggers:
    - trigger: webhook
      webhook_id: !secret lights_hook
  actions:
    - action: light.turn_on
      target:
        entity_id: light.kitchen
"""


async def _noop(hass: HomeAssistant, webhook_id: str, request: Any) -> None:
    """A webhook handler."""


async def _setup(
    hass: HomeAssistant, config_dir: Path, *, webhook: bool = True
) -> None:
    (config_dir / "configuration.yaml").write_text(
        "automation: !include automations.yaml\n", encoding="utf-8"
    )
    (config_dir / "automations.yaml").write_text(AUTOMATIONS, encoding="utf-8")
    (config_dir / "secrets.yaml").write_text(
        "lights_hook: kitchen-lights-on\n", encoding="utf-8"
    )
    await async_setup_access(
        hass,
        locks=(Lock(name="Front door"),),
        covers=(Cover(name="Garage door", device_class="garage"),),
    )
    config = await async_hass_config_yaml(hass)
    if webhook:
        assert await async_setup_component(hass, "webhook", {})
    assert await async_setup_component(hass, "automation", config)
    await hass.async_block_till_done()


async def _read(hass: HomeAssistant, config_dir: Path) -> WebhookFacts:
    graph = await hass.async_add_executor_job(read_config_graph, config_dir, {})
    return await async_read_webhooks(hass, graph)


def by_owner(facts: WebhookFacts) -> dict[str, Webhook]:
    """Webhooks by their automations (or domain)."""
    return {", ".join(w.automations) or w.domain: w for w in facts.webhooks}


async def test_nothing_registered(hass: HomeAssistant, config_dir: Path) -> None:
    """No webhook at all."""
    facts = await _read(hass, config_dir)
    assert facts == WebhookFacts(loaded=False, webhooks=())


async def test_triggers_without_the_webhook_integration(
    hass: HomeAssistant, config_dir: Path
) -> None:
    """Automations register their webhooks even when the webhook integration (and so its
    `/api/webhook/` view) is not set up: listed, but the facts say it is not loaded."""
    await _setup(hass, config_dir, webhook=False)
    facts = await _read(hass, config_dir)
    assert not facts.loaded
    assert len(facts.webhooks) == 3


async def test_automation_webhooks(hass: HomeAssistant, config_dir: Path) -> None:
    """Each webhook trigger as registered, what its automation drives and where it is."""
    await _setup(hass, config_dir)
    facts = await _read(hass, config_dir)
    assert facts.loaded
    hooks = by_owner(facts)
    assert set(hooks) == {
        "automation.open_garage",
        "automation.unlock",
        "automation.lights",
    }

    garage = hooks["automation.open_garage"]
    assert garage.local_only
    assert garage.methods == frozenset({"POST", "PUT"})
    assert not garage.allows_get
    assert garage.weakness is IdWeakness.DICTIONARY
    assert garage.drives == frozenset({"cover"})
    assert not garage.via_cloud
    assert not garage.remote
    assert (garage.file, garage.line, garage.key) == (
        "automations.yaml",
        6,
        "[0].triggers[0].webhook_id",
    )
    assert garage.masked_id == "open\u2026 (20 characters)"
    assert (
        garage.subject == "webhook open\u2026 (20 characters) of automation.open_garage"
    )

    unlock = hooks["automation.unlock"]
    assert not unlock.local_only
    assert unlock.allows_get
    assert unlock.weakness is None
    assert unlock.drives == frozenset({"lock"})
    assert unlock.key == "[1].triggers[0].webhook_id"

    lights = hooks["automation.lights"]
    assert lights.weakness is IdWeakness.DICTIONARY
    assert lights.drives == frozenset()
    assert (lights.file, lights.line, lights.key) == (None, None, None)  # a !secret
    assert lights.masked_id == "\u2026 (17 characters)"  # nothing of a secret's value

    shown = repr(facts)
    for canary in (GUESSABLE_ID, RANDOM_ID, "kitchen-lights-on"):
        assert canary not in shown


async def test_integration_webhooks(hass: HomeAssistant, config_dir: Path) -> None:
    """Webhooks an integration registers; the same owner and mask twice stay apart."""
    assert await async_setup_component(hass, "webhook", {})
    generated = secrets.token_hex(32)
    async_register(hass, "mobile_app", "Mobile App", generated, _noop)
    async_register(hass, "custom", "Hook", "abcd_one_x_y_z_1", _noop, local_only=True)
    async_register(hass, "custom", "Hook", "abcd_two_x_y_z_2", _noop, local_only=True)
    facts = await _read(hass, config_dir)
    mobile = next(w for w in facts.webhooks if w.domain == "mobile_app")
    assert mobile.weakness is None
    assert not mobile.local_only
    assert mobile.subject == "webhook \u2026 (64 characters) of mobile_app (Mobile App)"
    custom = sorted(w.subject for w in facts.webhooks if w.domain == "custom")
    assert custom == [
        "webhook \u2026 (16 characters) of custom (Hook)",
        "webhook \u2026 (16 characters) of custom (Hook) #2",
    ]
    assert generated[:4] not in repr(facts)


async def test_cloudhooks(hass: HomeAssistant, config_dir: Path) -> None:
    """A webhook with a cloudhook, while the cloud is logged in."""
    await _setup(hass, config_dir)
    cloud = await async_setup_google_cloud(hass, enabled=False)
    handlers: dict[str, Any] = hass.data["webhook"]
    hooked = [i for i in handlers if i in (GUESSABLE_ID, RANDOM_ID)]
    await cloud.client.prefs.async_update(
        cloudhooks={
            webhook_id: {
                "webhook_id": webhook_id,
                "cloudhook_id": f"c{index}",
                "cloudhook_url": f"https://hooks.invalid/c{index}",
                "managed": False,
            }
            for index, webhook_id in enumerate(hooked)
        }
    )
    assert cloudhook_ids(hass) == {GUESSABLE_ID, RANDOM_ID}
    facts = await _read(hass, config_dir)
    # The garage's webhook is local only: a cloudhook reaches it up to 2026.4 only.
    garage = by_owner(facts)["automation.open_garage"]
    assert garage.via_cloud is ((MAJOR_VERSION, MINOR_VERSION) < (2026, 5))
    assert garage.remote is garage.via_cloud
    assert by_owner(facts)["automation.unlock"].via_cloud
    assert not by_owner(facts)["automation.lights"].via_cloud
    cloud.id_token = None  # logged out: no cloudhook is served
    assert cloudhook_ids(hass) == frozenset()


async def test_cloud_of_another_shape(hass: HomeAssistant) -> None:
    """An unexpected cloud object means no cloudhook is known."""
    hass.config.components.add("cloud")
    hass.data["cloud"] = object()
    assert cloudhook_ids(hass) == frozenset()


@dataclass(frozen=True)
class _Data:
    """The shape of a handler entry from 2026.5 (`WebhookData`)."""

    domain: str
    name: str
    handler: Any
    local_only: bool
    allowed_methods: frozenset[str]


async def test_both_handler_shapes(hass: HomeAssistant, config_dir: Path) -> None:
    """A handler entry is a dict up to 2026.4 and an object later: both are read."""
    hass.config.components.add("webhook")
    hass.data["webhook"] = {
        "d" * 20: {
            "domain": "x",
            "name": "Dict",
            "handler": _noop,
            "local_only": None,  # up to 2026.4: served to remote callers
            "allowed_methods": frozenset({"POST"}),
        },
        "o" * 20: _Data("y", "Object", _noop, True, frozenset({"GET"})),
    }
    hooks = {w.name: w for w in (await _read(hass, config_dir)).webhooks}
    assert not hooks["Dict"].local_only
    assert hooks["Object"].local_only
    assert hooks["Object"].allows_get


def test_sequence_drives() -> None:
    """Service calls, targets, data and device actions of the security domains, nested."""
    assert sequence_drives(
        [
            {"action": "light.turn_on", "target": {"entity_id": "light.a, lock.b"}},
            {"if": [], "then": [{"service": "alarm_control_panel.alarm_disarm"}]},
            {"device_id": "d", "domain": "cover", "type": "open"},
            {
                "condition": "device",
                "device_id": "d",
                "domain": "lock",
                "type": "is_locked",
            },
            {"action": "script.x", "data": {"entity_id": ["switch.s"]}},
            {"device_id": "d", "domain": None, "type": "x"},
        ]
    ) == frozenset({"lock", "alarm_control_panel", "cover"})
    deep: Any = {"action": "lock.unlock"}
    for _ in range(100):
        deep = {"sequence": [deep]}
    assert sequence_drives(deep) == frozenset()  # beyond any real nesting: not followed


@pytest.mark.parametrize(
    ("webhook_id", "weakness"),
    [
        ("flic", IdWeakness.SHORT),
        ("putzplan_export", IdWeakness.SHORT),
        ("spotify_track_moved", IdWeakness.DICTIONARY),
        ("evcc-push-CHANGE-ME", IdWeakness.DICTIONARY),
        ("my-secret-webhook-8472", IdWeakness.DICTIONARY),
        ("Garage_Door_Opener", IdWeakness.DICTIONARY),
        ("garage_door_2024_05_17", None),  # more digits than a word-like id has
        ("bcdfghjklmnp_qrstvwxz", None),  # no vowel: not a word
        ("gArAgE_door_opener_x", None),  # mixed case inside a run
        # What Home Assistant generates (`secrets.token_hex(32)`) and a shorter random id.
        ("1c713187c09100707a2c67470a54c1dcc696effd921e046db218e19a44866bb1", None),
        ("6cd875a84e3b78034b9f0561f4894cc4", None),
        (RANDOM_ID, None),
    ],
)
def test_id_weakness(webhook_id: str, weakness: IdWeakness | None) -> None:
    """Short ids and ids made of words can be guessed; generated ones cannot."""
    assert id_weakness(webhook_id) is weakness


def test_mask() -> None:
    """At most four characters and never more than a quarter of the id are shown."""
    assert mask_webhook_id("flic") == "f\u2026 (4 characters)"
    assert mask_webhook_id("abc") == "\u2026 (3 characters)"
    assert mask_webhook_id("x" * 64) == "xxxx\u2026 (64 characters)"
    assert mask_webhook_id("x" * 64, reveal=False) == "\u2026 (64 characters)"


async def test_odd_entries_are_skipped(hass: HomeAssistant, config_dir: Path) -> None:
    """A handler keyed by something else than an id, or a cloud without a cloudhook dict."""
    from types import SimpleNamespace  # noqa: PLC0415

    hass.config.components.update({"webhook", "cloud"})
    hass.data["webhook"] = {1: {"domain": "x"}, "k" * 20: {"domain": "x", "name": "K"}}
    hass.data["cloud"] = SimpleNamespace(
        is_logged_in=True,
        client=SimpleNamespace(prefs=SimpleNamespace(cloudhooks=None)),
    )
    assert cloudhook_ids(hass) == frozenset()
    (only,) = (await _read(hass, config_dir)).webhooks
    assert (only.name, only.methods, only.local_only) == ("K", frozenset(), False)


def test_automation_without_actions_drives_nothing() -> None:
    """An automation entity that failed to set up has no action script."""
    from custom_components.security_posture.inspect.webhooks import (  # noqa: PLC0415
        _automation_drives,
    )

    assert _automation_drives(object()) == frozenset()


async def test_read_when_the_configuration_cannot_be(
    hass: HomeAssistant, config_dir: Path
) -> None:
    """The configuration failing to read only loses where the triggers are written."""
    from homeassistant.util import dt as dt_util  # noqa: PLC0415

    from custom_components.security_posture.engine import ScanContext  # noqa: PLC0415
    from custom_components.security_posture.inspect.webhooks import (  # noqa: PLC0415
        WEBHOOKS,
    )

    await _setup(hass, config_dir)
    (config_dir / "configuration.yaml").write_text("automation: [\n")  # broken since
    ctx = ScanContext(hass=hass, config_dir=config_dir, now=dt_util.utcnow())
    facts = await ctx.fact(WEBHOOKS)
    assert len(facts.webhooks) == 3
    assert all(w.file is None for w in facts.webhooks)
    assert all(w.masked_id.startswith("\u2026") for w in facts.webhooks)


async def test_the_scan_finds_the_same_places(
    hass: HomeAssistant, config_dir: Path
) -> None:
    """Through the scan of the files (the fact), the places a whole graph gives."""
    from homeassistant.util import dt as dt_util  # noqa: PLC0415

    from custom_components.security_posture.engine import ScanContext  # noqa: PLC0415
    from custom_components.security_posture.inspect.config_facts import (  # noqa: PLC0415
        CONFIG_SCAN,
    )
    from custom_components.security_posture.inspect.webhooks import (  # noqa: PLC0415
        WEBHOOKS,
    )

    await _setup(hass, config_dir)
    ctx = ScanContext(hass=hass, config_dir=config_dir, now=dt_util.utcnow())
    scanned = await ctx.fact(WEBHOOKS)
    assert scanned == await _read(hass, config_dir)
    assert {w.file for w in scanned.webhooks} == {"automations.yaml", None}
    # The scan keeps no id: a digest of each, and the places.
    scan = repr(await ctx.fact(CONFIG_SCAN))
    assert "webhook_triggers=(WebhookTrigger(digest=" in scan
    for canary in (GUESSABLE_ID, RANDOM_ID):
        assert canary not in repr(scanned)
        assert canary not in scan
