"""The webhooks Home Assistant answers now, and what each one lets a caller do.

The truth is the webhook integration's own handler list, `hass.data["webhook"]`: every
webhook that can be called at this moment, whoever registered it (an automation's webhook
trigger, an integration such as mobile_app). Each entry has the registering domain, a name,
`local_only` and the allowed methods; up to 2026.4 an entry is a dict, later a `WebhookData`.
Up to 2026.4 `local_only: None` is served to remote callers (with a warning), so only `True`
counts as local only.

Around that list:

- **cloudhooks** (Home Assistant Cloud's `prefs.cloudhooks`, keyed by webhook id) make a
  webhook callable from the internet through the cloud while the cloud is logged in. Up to
  2026.4 a cloudhook call skips the `local_only` test; from 2026.5 it is refused when the
  webhook is local only.
- **automations**: for a webhook registered by `automation`, the automations of that name
  (the name core gives the trigger) and what their actions drive: actions of the lock, cover
  and alarm panel domains, actions that target such entities (core's own
  `referenced_entities` of the action script) and device actions of those domains.
- **the configuration's files**: where the webhook trigger is written (file, line, key
  path), when its id is written there literally. The scan of the files finds every webhook
  trigger's place with a digest of its id (`webhook_triggers`), matched here; a graph read
  whole is walked instead.

Nothing keeps an id: each webhook is kept with its id masked, its weakness already judged
(`webhook_ids`) and a subject made of who registered it and the mask. The mask shows the
id's first characters only when the id is written as it is in the configuration; an id that
is not (a `!secret`, a template, one an integration keeps) is shown by its length alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from homeassistant.const import MAJOR_VERSION, MINOR_VERSION

from ..engine import CheckUnknown, Fact
from .config_facts import CONFIG_GRAPH, CONFIG_SCAN
from .key_paths import format_key_path, walk
from .webhook_ids import IdWeakness, id_weakness, mask_webhook_id
from .webhook_triggers import WEBHOOK_DOMAIN, id_digest
from .yaml_nodes import YamlMap

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence

    from homeassistant.core import HomeAssistant

    from ..engine import ScanContext
    from .config_graph import ConfigGraph
    from .webhook_triggers import WebhookTrigger

AUTOMATION: Final = "automation"
GET: Final = "GET"
# What a webhook must not open for anyone who knows its URL.
SECURITY_DOMAINS: Final = frozenset({"lock", "cover", "alarm_control_panel"})
# From this release a cloudhook call honours `local_only` (`async_handle_webhook`).
CLOUDHOOK_HONOURS_LOCAL_ONLY: Final = (2026, 5)
_MAX_DEPTH: Final = 64


@dataclass(frozen=True, kw_only=True)
class Webhook:
    """One registered webhook, its id masked."""

    subject: str
    """Stable, unique, never the id: who registered it and the masked id."""
    masked_id: str
    domain: str
    name: str
    local_only: bool
    methods: frozenset[str]
    weakness: IdWeakness | None
    via_cloud: bool
    """Callable from the internet through a Home Assistant Cloud cloudhook (in this release,
    a cloudhook reaches a local-only webhook only up to 2026.4)."""
    automations: tuple[str, ...]
    """Entity ids of the automations that registered it."""
    drives: frozenset[str]
    """The security domains (lock, cover, alarm_control_panel) its automations act on."""
    file: str | None = None
    line: int | None = None
    key: str | None = None

    @property
    def remote(self) -> bool:
        """Whether it answers callers outside the local network (when they reach it)."""
        return not self.local_only or self.via_cloud

    @property
    def allows_get(self) -> bool:
        """Whether a plain GET (a link, an image, a preview) calls it."""
        return GET in self.methods


@dataclass(frozen=True, kw_only=True)
class WebhookFacts:
    """Every webhook Home Assistant answers now."""

    loaded: bool
    """Whether the webhook integration is set up: without it there is no `/api/webhook/`
    view (automations still register their triggers), so nothing is answered."""
    webhooks: tuple[Webhook, ...]


def _field(info: Any, name: str) -> Any:
    """A field of a handler entry: a dict up to 2026.4, a `WebhookData` later."""
    if isinstance(info, dict):
        return info.get(name)
    return getattr(info, name, None)


def cloudhook_ids(hass: HomeAssistant) -> frozenset[str]:
    """Webhook ids with a cloudhook, while Home Assistant Cloud is logged in."""
    if "cloud" not in hass.config.components:
        return frozenset()
    cloud: Any = hass.data.get("cloud")
    try:
        if cloud.is_logged_in is not True:
            return frozenset()
        hooks = cloud.client.prefs.cloudhooks
    except Exception:  # noqa: BLE001 - any other shape: no cloudhook is known
        return frozenset()
    if not isinstance(hooks, dict):
        return frozenset()
    return frozenset(k for k in hooks if isinstance(k, str))


def cloudhook_skips_local_only() -> bool:
    """Whether this release serves a cloudhook call to a local-only webhook."""
    return (MAJOR_VERSION, MINOR_VERSION) < CLOUDHOOK_HONOURS_LOCAL_ONLY


def _service_domain(value: Any) -> str | None:
    if isinstance(value, str) and "." in value:
        return value.partition(".")[0]
    return None


def _entity_ids(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield from (part.strip() for part in value.split(","))
    elif isinstance(value, list):
        yield from (item for item in value if isinstance(item, str))


def _step_drives(step: dict[str, Any]) -> Iterator[str]:
    """Security domains one action step drives (a service call or a device action)."""
    if (domain := _service_domain(step.get("action", step.get("service")))) is not None:
        if domain in SECURITY_DOMAINS:
            yield domain
        for holder in (step, step.get("target"), step.get("data")):
            if isinstance(holder, dict):
                for entity_id in _entity_ids(holder.get("entity_id")):
                    yield entity_id.partition(".")[0]
    elif "device_id" in step and "condition" not in step and "type" in step:
        if isinstance(domain := step.get("domain"), str):
            yield domain


def sequence_drives(sequence: Any) -> frozenset[str]:
    """Security domains an action sequence drives, nested steps included."""
    found: set[str] = set()
    stack: list[tuple[Any, int]] = [(sequence, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > _MAX_DEPTH:
            continue
        if isinstance(node, dict):
            found.update(_step_drives(node))
            stack.extend((child, depth + 1) for child in node.values())
        elif isinstance(node, list):
            stack.extend((child, depth + 1) for child in node)
    return frozenset(found & SECURITY_DOMAINS)


def _automation_drives(entity: Any) -> frozenset[str]:
    """What an automation entity's actions drive, from its validated action script."""
    script = getattr(entity, "action_script", None)
    if script is None:
        return frozenset()
    referenced: set[Any] = getattr(script, "referenced_entities", set())
    by_reference = {e.partition(".")[0] for e in referenced if isinstance(e, str)}
    return sequence_drives(getattr(script, "sequence", [])) | (
        by_reference & SECURITY_DOMAINS
    )


def _automations_named(hass: HomeAssistant) -> dict[str, list[Any]]:
    """Automation entities by the name core gives their triggers (name, else entity id)."""
    component: Any = hass.data.get(AUTOMATION)
    by_name: dict[str, list[Any]] = {}
    for entity in getattr(component, "entities", ()):
        name = getattr(entity, "name", None)
        key = name if isinstance(name, str) and name else entity.entity_id
        by_name.setdefault(key, []).append(entity)
    return by_name


@dataclass(frozen=True, slots=True)
class Place:
    """Where a webhook trigger is written."""

    file: str
    line: int
    key: str


def scanned_places(
    triggers: Sequence[WebhookTrigger], ids: Iterable[str]
) -> dict[str, Place]:
    """Where each of `ids` is written as a webhook trigger's id, from the scan's triggers."""
    first: dict[str, WebhookTrigger] = {}
    for trigger in triggers:
        first.setdefault(trigger.digest, trigger)
    return {
        webhook_id: Place(file=found.file, line=found.line, key=found.key)
        for webhook_id in ids
        if (found := first.get(id_digest(webhook_id))) is not None
    }


def trigger_places(graph: ConfigGraph | None, ids: Iterable[str]) -> dict[str, Place]:
    """Where each of `ids` is written as a webhook trigger's id (blocking: walks the graph).

    The graph must be read whole (`graph_reader.read_config_graph`): the scan's keeps no
    tree but a few sections, and finds the triggers itself (`scanned_places`).
    """
    wanted = set(ids)
    places: dict[str, Place] = {}
    if graph is None or not wanted:
        return places
    for config in graph.files:
        for entry in walk(config.root):
            node = entry.value
            if not isinstance(node, YamlMap):
                continue
            webhook_id = node.get("webhook_id")
            if (
                isinstance(webhook_id, str)
                and webhook_id in wanted
                and webhook_id not in places
                and WEBHOOK_DOMAIN in (node.get("platform"), node.get("trigger"))
            ):
                places[webhook_id] = Place(
                    file=config.path,
                    line=node.value_lines.get("webhook_id", node.line),
                    key=format_key_path((*entry.parts, "webhook_id")),
                )
    return places


@dataclass(frozen=True, kw_only=True)
class _Registered:
    """A handler entry as read on the event loop (with its id: used, then dropped)."""

    webhook_id: str
    domain: str
    name: str
    local_only: bool
    methods: frozenset[str]
    cloudhook: bool
    automations: tuple[str, ...]
    drives: frozenset[str]


def registered_webhooks(hass: HomeAssistant) -> list[_Registered]:
    """The webhook integration's handlers, with what each automation drives (event loop)."""
    handlers: Any = hass.data.get(WEBHOOK_DOMAIN)
    if not isinstance(handlers, dict) or not handlers:
        return []
    hooks = cloudhook_ids(hass)
    automations = _automations_named(hass)
    found: list[_Registered] = []
    for webhook_id, info in sorted(handlers.items(), key=lambda item: str(item[0])):
        if not isinstance(webhook_id, str):
            continue
        domain = str(_field(info, "domain") or "")
        name = str(_field(info, "name") or "")
        methods = _field(info, "allowed_methods") or ()
        owners = automations.get(name, []) if domain == AUTOMATION else []
        drives: frozenset[str] = frozenset()
        for owner in owners:
            drives |= _automation_drives(owner)
        found.append(
            _Registered(
                webhook_id=webhook_id,
                domain=domain,
                name=name,
                local_only=_field(info, "local_only") is True,
                methods=frozenset(str(m).upper() for m in methods),
                cloudhook=webhook_id in hooks,
                automations=tuple(sorted(o.entity_id for o in owners)),
                drives=drives,
            )
        )
    return found


def build_webhooks(
    registered: list[_Registered],
    graph: ConfigGraph | None,
    triggers: Sequence[WebhookTrigger] | None = None,
) -> tuple[Webhook, ...]:
    """Judge each id, find where it is written and mask it (blocking: the executor).

    Where it is written comes from the scan's `triggers` when given, else from `graph`.
    """
    ids = [r.webhook_id for r in registered]
    places = (
        scanned_places(triggers, ids)
        if triggers is not None
        else trigger_places(graph, ids)
    )
    seen: dict[str, int] = {}
    webhooks: list[Webhook] = []
    for hook in registered:
        place = places.get(hook.webhook_id)
        # Its first characters only when the id is written in the configuration as it is:
        # otherwise it may come from secrets.yaml (or a template, or an integration's store).
        masked = mask_webhook_id(hook.webhook_id, reveal=place is not None)
        owner = ", ".join(hook.automations) or f"{hook.domain} ({hook.name})"
        subject = f"webhook {masked} of {owner}"
        seen[subject] = count = seen.get(subject, 0) + 1
        if count > 1:
            subject = f"{subject} #{count}"
        webhooks.append(
            Webhook(
                subject=subject,
                masked_id=masked,
                domain=hook.domain,
                name=hook.name,
                local_only=hook.local_only,
                methods=hook.methods,
                weakness=id_weakness(hook.webhook_id),
                via_cloud=hook.cloudhook
                and (not hook.local_only or cloudhook_skips_local_only()),
                automations=hook.automations,
                drives=hook.drives,
                file=place.file if place else None,
                line=place.line if place else None,
                key=place.key if place else None,
            )
        )
    return tuple(webhooks)


async def async_read_webhooks(
    hass: HomeAssistant,
    graph: ConfigGraph | None,
    triggers: Sequence[WebhookTrigger] | None = None,
) -> WebhookFacts:
    """Every webhook answered now: the handler list on the event loop, the rest off it."""
    registered = registered_webhooks(hass)
    webhooks = await hass.async_add_executor_job(
        build_webhooks, registered, graph, triggers
    )
    return WebhookFacts(
        loaded=WEBHOOK_DOMAIN in hass.config.components, webhooks=webhooks
    )


async def _async_gather(ctx: ScanContext) -> WebhookFacts:
    """The webhooks; where they are written only when the configuration could be read."""
    try:
        await ctx.fact(
            CONFIG_GRAPH
        )  # what could not be read is noted, as for every reader
        triggers = (await ctx.fact(CONFIG_SCAN)).webhook_triggers
    except CheckUnknown:
        triggers = ()
    return await async_read_webhooks(ctx.hass, None, triggers)


WEBHOOKS: Final = Fact[WebhookFacts](
    name="the webhooks Home Assistant answers", gather=_async_gather
)
