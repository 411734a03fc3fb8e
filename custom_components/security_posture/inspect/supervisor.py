"""Read the Supervisor: add-ons, protection mode, SSH add-ons' logins, resolution reasons.

Everything goes through the Supervisor integration (`hassio`): its cached Supervisor
information lists the add-ons, its client gives each add-on's current details (the cached
details, taken when Home Assistant started, are the fallback), and its resolution data gives
the reasons. Add-on options hold passwords and keys: they are read here only to decide
whether one is set, and only that yes/no leaves this module (with `addon_details`, which
also turns the network, ingress and web UI into facts).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from aiohasupervisor import SupervisorError
from homeassistant.components.hassio.coordinator import (
    get_addons_info,
    get_issues_info,
    get_supervisor_info,
)
from homeassistant.components.hassio.handler import get_supervisor_client
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.hassio import is_hassio

from ..engine import CheckUnknown, Fact, ScanContext
from ..model import Family
from .addon_details import (
    MOSQUITTO,
    ZIGBEE2MQTT,
    ZWAVE_JS,
    AddonNetwork,
    BrokerOptions,
    ZwaveKeys,
    addon_network,
    broker_options,
    data_path,
    zwave_keys,
)

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

# Add-ons that run an SSH server, and where their login options live.
OFFICIAL_SSH = "core_ssh"  # "Terminal & SSH": options.password, options.authorized_keys
COMMUNITY_SSH = "a0d7b954_ssh"  # "Advanced SSH & Web Terminal": options.ssh.{...}
SSH_ADDONS = (OFFICIAL_SSH, COMMUNITY_SSH)
SSH_PORT = "22/tcp"


class SupervisorUnavailable(Exception):  # noqa: N818 - reads as the state it is
    """The Supervisor is there but its information cannot be read; the message says why."""


@dataclass(frozen=True, kw_only=True)
class SshLogin:
    """How an SSH add-on lets people in. Never the password or the keys themselves."""

    password_set: bool
    authorized_keys: int
    port: int | None  # host port of the add-on's SSH server; None when not mapped


@dataclass(frozen=True, kw_only=True)
class Addon:
    """One installed add-on."""

    slug: str
    name: str
    started: bool
    protected: bool | None  # None: its details could not be read
    ssh: SshLogin | None = None
    version: str | None = None
    network: AddonNetwork | None = None  # None: its details could not be read
    broker: BrokerOptions | None = None  # the Mosquitto add-on only
    zwave: ZwaveKeys | None = None  # the Z-Wave JS add-on only
    data_path: str | None = None  # Zigbee2MQTT only: the folder of its configuration


@dataclass(frozen=True, kw_only=True)
class SupervisorFacts:
    """What the Supervisor reports."""

    addons: tuple[Addon, ...]
    # None: the resolution center could not be read
    unsupported: tuple[str, ...] | None
    unhealthy: tuple[str, ...] | None
    unreadable: tuple[str, ...] = ()  # slugs whose details could not be read


def has_supervisor(hass: HomeAssistant) -> bool:
    """Whether this installation runs under the Supervisor (OS or Supervised)."""
    return is_hassio(hass)


async def async_read_supervisor(hass: HomeAssistant) -> SupervisorFacts:
    """Read add-ons and resolution reasons; raise SupervisorUnavailable if there are none."""
    try:
        # Newer releases raise (HassioNotReadyError) where older ones return None.
        info = get_supervisor_info(hass)
        cached = get_addons_info(hass) or {}
    except HomeAssistantError:
        info = cached = None
    if not isinstance(info, Mapping) or not isinstance(info.get("addons"), list):
        raise SupervisorUnavailable(
            "the Supervisor integration has not loaded its data yet"
        )
    client = get_supervisor_client(hass)
    addons: list[Addon] = []
    unreadable: list[str] = []
    for entry in info["addons"]:
        if not isinstance(entry, Mapping) or not isinstance(entry.get("slug"), str):
            continue
        slug: str = entry["slug"]
        details = await _async_addon_details(client, slug, (cached or {}).get(slug))
        if details is None:
            unreadable.append(slug)
        addons.append(_addon(entry, details))
    unsupported, unhealthy = await _async_reasons(hass, client)
    return SupervisorFacts(
        addons=tuple(addons),
        unsupported=unsupported,
        unhealthy=unhealthy,
        unreadable=tuple(unreadable),
    )


async def _async_addon_details(
    client: Any, slug: str, cached: Any
) -> Mapping[str, Any] | None:
    """Current details of one add-on, or the cached ones when the Supervisor does not answer."""
    try:
        info = await client.addons.addon_info(slug)
    except SupervisorError:
        return cached if isinstance(cached, Mapping) else None
    return {
        "protected": info.protected,
        "options": info.options,
        "network": info.network,
        "state": str(info.state),
        "version": info.version,
        "host_network": info.host_network,
        "ingress": info.ingress,
        "ingress_port": info.ingress_port,
        "webui": info.webui,
    }


def _addon(entry: Mapping[str, Any], details: Mapping[str, Any] | None) -> Addon:
    slug: str = entry["slug"]
    name = str(entry.get("name") or slug)
    state = str((details or {}).get("state") or entry.get("state") or "")
    started = state in ("started", "startup")
    if details is None:
        return Addon(slug=slug, name=name, started=started, protected=None)
    protected = details.get("protected")
    options = details.get("options")
    version = details.get("version") or entry.get("version")
    return Addon(
        slug=slug,
        name=name,
        started=started,
        protected=protected if isinstance(protected, bool) else None,
        ssh=ssh_login(slug, options, details.get("network"))
        if slug in SSH_ADDONS
        else None,
        version=version if isinstance(version, str) else None,
        network=addon_network(slug, details),
        broker=broker_options(options) if slug == MOSQUITTO else None,
        zwave=zwave_keys(options) if slug == ZWAVE_JS else None,
        data_path=data_path(options) if slug in ZIGBEE2MQTT else None,
    )


def ssh_login(slug: str, options: Any, network: Any) -> SshLogin:
    """Decide how an SSH add-on logs people in from its options; keep no secret."""
    options = options if isinstance(options, Mapping) else {}
    if slug == COMMUNITY_SSH:
        nested = options.get("ssh")
        options = nested if isinstance(nested, Mapping) else {}
    password = options.get("password")
    keys = options.get("authorized_keys")
    port = network.get(SSH_PORT) if isinstance(network, Mapping) else None
    return SshLogin(
        password_set=isinstance(password, str) and password != "",
        authorized_keys=sum(1 for k in keys if isinstance(k, str) and k.strip())
        if isinstance(keys, list)
        else 0,
        port=port if isinstance(port, int) and port > 0 else None,
    )


async def _async_reasons(
    hass: HomeAssistant, client: Any
) -> tuple[tuple[str, ...] | None, tuple[str, ...] | None]:
    """Unsupported and unhealthy reasons, from the integration's issue tracking or live."""
    issues = get_issues_info(hass)
    if issues is not None:
        return tuple(sorted(issues.unsupported_reasons)), tuple(
            sorted(issues.unhealthy_reasons)
        )
    try:
        info = await client.resolution.info()
    except SupervisorError:
        return None, None
    return tuple(sorted(str(r) for r in info.unsupported)), tuple(
        sorted(str(r) for r in info.unhealthy)
    )


async def _async_gather(ctx: ScanContext) -> SupervisorFacts | None:
    """The Supervisor's facts; None on Core and Container installations."""
    if not has_supervisor(ctx.hass):
        return None
    try:
        facts = await async_read_supervisor(ctx.hass)
    except SupervisorUnavailable as err:
        raise CheckUnknown(f"Supervisor: {err}") from None
    for slug in facts.unreadable:
        ctx.note(Family.EXPOSURE, f"add-on {slug}: its details could not be read")
    return facts


SUPERVISOR: Final = Fact[SupervisorFacts | None](
    name="the Supervisor", gather=_async_gather
)
"""Add-ons and resolution reasons; None without a Supervisor (Core, Container)."""


async def async_optional_supervisor(
    ctx: ScanContext, family: Family
) -> SupervisorFacts | None:
    """The Supervisor's facts for a fact that can do without them (noted when missing)."""
    try:
        return await ctx.fact(SUPERVISOR)
    except CheckUnknown as err:
        if not any(n.reason == str(err) and n.family is family for n in ctx.notes):
            ctx.note(family, str(err))
        return None
