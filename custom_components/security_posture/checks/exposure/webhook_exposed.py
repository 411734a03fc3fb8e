"""`webhook_exposed` (medium, high when reachable from outside): a webhook anyone may call.

A webhook runs what it drives for whoever sends a request to its URL, without logging in: its
id is its only key. One finding per webhook Home Assistant answers (`inspect.webhooks`) that

- has an id that can be guessed (short, or made of words), or
- accepts GET (its URL then ends up in browser histories, logs and link previews, and any web
  page can call it with a link or an image), or
- drives a lock, a cover or an alarm panel and answers callers outside the local network
  (not `local_only`, or through a cloudhook).

A long random id, the form Home Assistant generates, is no weakness by itself, and a webhook
that is not local only is what mobile apps and cloud services need: neither is reported alone.
The severity is high when the webhook can be called from the internet now: it is not local
only and Home Assistant is reachable from outside (the exposure decision), or a Home
Assistant Cloud cloudhook serves it. The id is never shown: only its first characters (at
most four, never more than a quarter of it) and its length.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from ...engine import Check, Facts, NotApplicable
from ...inspect.exposure import EXPOSURE, Exposure
from ...inspect.masking import mask_credentials
from ...inspect.webhook_ids import IdWeakness
from ...inspect.webhooks import WEBHOOKS, Webhook
from ...model import Family, Hit, Severity

if TYPE_CHECKING:
    from collections.abc import Iterator

_WEAKNESS: Final = {
    IdWeakness.SHORT: "its id is short",
    IdWeakness.DICTIONARY: "its id is made of words",
}
_DRIVEN: Final = {
    "lock": "a lock",
    "cover": "a cover",
    "alarm_control_panel": "an alarm panel",
}


def reasons(webhook: Webhook) -> list[str]:
    """Why the webhook is reported, in words (empty: it is not)."""
    found: list[str] = []
    if webhook.weakness is not None:
        found.append(_WEAKNESS[webhook.weakness])
    if webhook.allows_get:
        found.append("it accepts GET")
    if webhook.drives and webhook.remote:
        driven = " and ".join(_DRIVEN[d] for d in sorted(webhook.drives))
        found.append(f"it drives {driven} from outside the local network")
    return found


def reach(webhook: Webhook, exposure: Exposure) -> str | None:
    """How the webhook can be called from the internet now, or None."""
    if webhook.via_cloud:
        return "through a Home Assistant Cloud cloudhook"
    if not webhook.local_only and exposure.exposed:
        return "through " + ", ".join(exposure.ways)
    return None


def owner(webhook: Webhook) -> str:
    """Who registered the webhook: its automations, or the integration and its name."""
    if webhook.automations:
        return ", ".join(webhook.automations)
    return mask_credentials(f"{webhook.domain} ({webhook.name})")


def _inspect(facts: Facts) -> Iterator[Hit]:
    hooks = facts[WEBHOOKS]
    if not hooks.loaded:
        raise NotApplicable("the webhook integration is not set up: no webhook answers")
    exposure = facts[EXPOSURE]
    for webhook in hooks.webhooks:
        if not (why := reasons(webhook)):
            continue
        by = owner(webhook)
        internet = reach(webhook, exposure)
        scope = (
            f"callable from the internet {internet}"
            if internet
            else (
                "callable from the local network only"
                if not webhook.remote
                else "callable from outside the local network once Home Assistant is "
                "reachable from there"
            )
        )
        yield Hit(
            subject=mask_credentials(webhook.subject),
            title=f"Webhook {webhook.masked_id} of {by}: {'; '.join(why)}",
            severity=Severity.HIGH if internet else None,
            file=webhook.file,
            line=webhook.line,
            key=webhook.key,
            placeholders={
                "webhook": webhook.masked_id,
                "owner": by,
                "reasons": "; ".join(why),
                "reach": scope,
            },
        )


CHECK: Final = Check(
    id="webhook_exposed",
    family=Family.EXPOSURE,
    severity=Severity.MEDIUM,
    learn_more_url="https://www.home-assistant.io/docs/automation/trigger/#webhook-trigger",
    needs=(WEBHOOKS, EXPOSURE),
    inspect=_inspect,
)
