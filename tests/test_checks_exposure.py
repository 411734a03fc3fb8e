"""The exposure checks on facts: voice_unlock_without_pin and webhook_exposed."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from custom_components.security_posture.checks.exposure import (
    voice_unlock_without_pin,
    webhook_exposed,
)
from custom_components.security_posture.engine import Facts, NotApplicable
from custom_components.security_posture.inspect.exposure import EXPOSURE, Exposure
from custom_components.security_posture.inspect.voice_assistants import (
    NO_GOOGLE,
    VOICE_ASSISTANTS,
    Assistant,
    VoiceFacts,
    VoiceTarget,
)
from custom_components.security_posture.inspect.webhook_ids import IdWeakness
from custom_components.security_posture.inspect.webhooks import (
    WEBHOOKS,
    Webhook,
    WebhookFacts,
)
from custom_components.security_posture.model import Family, Hit, Severity

NOW = datetime(2026, 11, 1, tzinfo=UTC)
LOCAL = Exposure()
OUTSIDE = Exposure(
    external_url="https://home.example.org",
    external_host="home.example.org",
    external_host_public=True,
)


def voice_hits(*targets: VoiceTarget) -> list[Hit]:
    facts = VoiceFacts(assist_loaded=True, google=NO_GOOGLE, targets=targets)
    check = voice_unlock_without_pin.CHECK
    return list(check.inspect(Facts({VOICE_ASSISTANTS: facts}, now=NOW)))


def target(entity_id: str, name: str, *assistants: Assistant) -> VoiceTarget:
    domain = entity_id.partition(".")[0]
    return VoiceTarget(
        entity_id=entity_id,
        name=name,
        domain=domain,
        device_class="garage" if domain == "cover" else None,
        assistants=assistants,
    )


def test_voice_check_declares_itself() -> None:
    check = voice_unlock_without_pin.CHECK
    assert (check.id, check.family, check.severity) == (
        "voice_unlock_without_pin",
        Family.EXPOSURE,
        Severity.HIGH,
    )
    assert check.needs == (VOICE_ASSISTANTS,)
    assert check.fix is not None


def test_voice_passes_without_targets() -> None:
    assert voice_hits() == []


def test_voice_one_finding_per_entity() -> None:
    hits = voice_hits(
        target("lock.front_door", "Front door", Assistant.ASSIST, Assistant.GOOGLE),
        target("cover.garage_door", "Garage door", Assistant.ASSIST),
        target("alarm_control_panel.house", "House", Assistant.GOOGLE),
    )
    assert [(h.subject, h.title) for h in hits] == [
        (
            "lock.front_door",
            "Assist and Google Assistant can unlock Front door (lock.front_door) "
            "without a PIN",
        ),
        (
            "cover.garage_door",
            "Assist can open Garage door (cover.garage_door) without a PIN",
        ),
        (
            "alarm_control_panel.house",
            "Google Assistant can disarm House (alarm_control_panel.house) without a PIN",
        ),
    ]
    assert hits[0].placeholders == {
        "entity": "lock.front_door",
        "name": "Front door",
        "assistants": "Assist and Google Assistant",
        "action": "unlock",
    }
    assert all(h.severity is None for h in hits)  # the check's: high


def test_voice_masks_a_name_holding_a_credential() -> None:
    (hit,) = voice_hits(
        target("lock.x", "Door https://admin:hunter2@lock.local", Assistant.ASSIST)
    )
    assert "hunter2" not in repr(hit)


def webhook(**changes: Any) -> Webhook:
    fields: dict[str, Any] = {
        "subject": "webhook \u2026 (64 characters) of automation.x",
        "masked_id": "\u2026 (64 characters)",
        "domain": "automation",
        "name": "X",
        "local_only": True,
        "methods": frozenset({"POST", "PUT"}),
        "weakness": None,
        "via_cloud": False,
        "automations": ("automation.x",),
        "drives": frozenset(),
    }
    fields.update(changes)
    return Webhook(**fields)


def webhook_hits(
    *hooks: Webhook, exposure: Exposure = LOCAL, loaded: bool = True
) -> list[Hit]:
    facts = Facts(
        {
            WEBHOOKS: WebhookFacts(loaded=loaded, webhooks=hooks),
            EXPOSURE: exposure,
        },
        now=NOW,
    )
    return list(webhook_exposed.CHECK.inspect(facts))


def test_webhook_check_declares_itself() -> None:
    check = webhook_exposed.CHECK
    assert (check.id, check.family, check.severity) == (
        "webhook_exposed",
        Family.EXPOSURE,
        Severity.MEDIUM,
    )
    assert set(check.needs) == {WEBHOOKS, EXPOSURE}
    assert check.fix is None  # accept the risk: an id cannot be changed for its callers


def test_webhook_integration_not_set_up() -> None:
    with pytest.raises(NotApplicable, match="not set up"):
        webhook_hits(webhook(weakness=IdWeakness.SHORT), loaded=False)


@pytest.mark.parametrize(
    "hook",
    [
        webhook(),  # long random id, local only, POST
        webhook(local_only=False),  # what mobile apps and cloud services need
        webhook(local_only=False, via_cloud=True),
        webhook(drives=frozenset({"lock"})),  # a door opener on the local network only
    ],
)
def test_webhook_fine_by_itself(hook: Webhook) -> None:
    assert webhook_hits(hook, exposure=OUTSIDE) == []


def test_webhook_reasons_and_severity() -> None:
    short = webhook(
        subject="webhook f\u2026 (4 characters) of automation.flic",
        masked_id="f\u2026 (4 characters)",
        automations=("automation.flic",),
        weakness=IdWeakness.SHORT,
        file="automations.yaml",
        line=6,
        key="[0].triggers[0].webhook_id",
    )
    words = webhook(
        subject="webhook \u2026 (19 characters) of custom (Hook)",
        masked_id="\u2026 (19 characters)",
        domain="custom",
        name="Hook",
        automations=(),
        weakness=IdWeakness.DICTIONARY,
        methods=frozenset({"GET", "POST"}),
        local_only=False,
    )
    door = webhook(
        subject="webhook \u2026 (64 characters) of automation.door",
        automations=("automation.door",),
        drives=frozenset({"lock", "cover"}),
        local_only=True,
        via_cloud=True,
    )
    hits = {h.subject: h for h in webhook_hits(short, words, door, exposure=OUTSIDE)}
    flic = hits[short.subject]
    assert (
        flic.title
        == "Webhook f\u2026 (4 characters) of automation.flic: its id is short"
    )
    assert flic.severity is None  # local only: medium
    assert (flic.file, flic.line, flic.key) == (
        "automations.yaml",
        6,
        "[0].triggers[0].webhook_id",
    )
    assert flic.placeholders["reach"] == "callable from the local network only"
    hook = hits[words.subject]
    assert hook.title == (
        "Webhook \u2026 (19 characters) of custom (Hook): its id is made of words; "
        "it accepts GET"
    )
    assert hook.severity is Severity.HIGH
    assert hook.placeholders == {
        "webhook": "\u2026 (19 characters)",
        "owner": "custom (Hook)",
        "reasons": "its id is made of words; it accepts GET",
        "reach": "callable from the internet through external URL https://home.example.org",
    }
    opened = hits[door.subject]
    assert opened.title.endswith(
        "it drives a cover and a lock from outside the local network"
    )
    assert opened.severity is Severity.HIGH
    assert opened.placeholders["reach"] == (
        "callable from the internet through a Home Assistant Cloud cloudhook"
    )


def test_webhook_remote_while_home_assistant_is_not() -> None:
    """Not local only, but Home Assistant is not reachable from outside: medium."""
    (hit,) = webhook_hits(
        webhook(local_only=False, drives=frozenset({"alarm_control_panel"})),
        exposure=LOCAL,
    )
    assert hit.severity is None
    assert "an alarm panel" in hit.title
    assert hit.placeholders["reach"].startswith(
        "callable from outside the local network"
    )
