"""Real locks, doors and alarm panels (template integration) and the voice assistants' settings.

The template integration takes its legacy `platform: template` form up to 2025 and only its
`template:` form on the newest end, so the configuration is written for the release under
test.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from homeassistant.components.homeassistant.exposed_entities import (
    async_expose_entity,
    async_set_assistant_option,
)
from homeassistant.const import MAJOR_VERSION
from homeassistant.setup import async_setup_component
import jwt

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

MODERN_TEMPLATE = (
    MAJOR_VERSION >= 2026
)  # the `template:` form for locks, covers, alarms
GOOGLE = "cloud.google_assistant"
ASSIST = "conversation"


@dataclass(frozen=True, kw_only=True)
class Lock:
    """A template lock (locked)."""

    name: str
    unique_id: str | None = None
    code_format: str | None = None  # a regular expression: the lock wants a code


@dataclass(frozen=True, kw_only=True)
class Cover:
    """A template cover (closed)."""

    name: str
    device_class: str
    unique_id: str | None = None


@dataclass(frozen=True, kw_only=True)
class Alarm:
    """A template alarm panel (armed away)."""

    name: str
    unique_id: str | None = None
    code_format: str = "no_code"  # or "number", "text"


def _lock(lock: Lock) -> dict[str, Any]:
    conf: dict[str, Any] = {"name": lock.name, "lock": [], "unlock": []}
    conf["state" if MODERN_TEMPLATE else "value_template"] = "{{ true }}"
    if lock.unique_id:
        conf["unique_id"] = lock.unique_id
    if lock.code_format:
        key = "code_format" if MODERN_TEMPLATE else "code_format_template"
        conf[key] = lock.code_format
    return conf


def _cover(cover: Cover) -> dict[str, Any]:
    conf: dict[str, Any] = {
        "device_class": cover.device_class,
        "open_cover": [],
        "close_cover": [],
    }
    conf["state" if MODERN_TEMPLATE else "value_template"] = "{{ 'closed' }}"
    if cover.unique_id:
        conf["unique_id"] = cover.unique_id
    conf["name" if MODERN_TEMPLATE else "friendly_name"] = cover.name
    return conf


def _alarm(alarm: Alarm) -> dict[str, Any]:
    conf: dict[str, Any] = {
        "name": alarm.name,
        "code_format": alarm.code_format,
        "code_arm_required": False,
        "disarm": [],
        "arm_away": [],
    }
    conf["state" if MODERN_TEMPLATE else "value_template"] = "{{ 'armed_away' }}"
    if alarm.unique_id:
        conf["unique_id"] = alarm.unique_id
    return conf


def _slug(name: str) -> str:
    return name.lower().replace(" ", "_")


async def async_setup_access(
    hass: HomeAssistant,
    *,
    locks: tuple[Lock, ...] = (),
    covers: tuple[Cover, ...] = (),
    alarms: tuple[Alarm, ...] = (),
) -> None:
    """Set up the `homeassistant` integration and the entities through `template`."""
    assert await async_setup_component(hass, "homeassistant", {})
    if MODERN_TEMPLATE:
        block: dict[str, Any] = {}
        if locks:
            block["lock"] = [_lock(x) for x in locks]
        if covers:
            block["cover"] = [_cover(x) for x in covers]
        if alarms:
            block["alarm_control_panel"] = [_alarm(x) for x in alarms]
        assert await async_setup_component(hass, "template", {"template": [block]})
    else:
        for domain, entries in (
            ("lock", [{"platform": "template", **_lock(x)} for x in locks]),
            (
                "cover",
                [
                    {"platform": "template", "covers": {_slug(x.name): _cover(x)}}
                    for x in covers
                ],
            ),
            (
                "alarm_control_panel",
                [
                    {"platform": "template", "panels": {_slug(x.name): _alarm(x)}}
                    for x in alarms
                ],
            ),
        ):
            if entries:
                assert await async_setup_component(hass, domain, {domain: entries})
    await hass.async_block_till_done()


def expose(hass: HomeAssistant, assistant: str, entity_id: str, exposed: bool) -> None:
    """Expose an entity to an assistant (or not) through core's API."""
    async_expose_entity(hass, assistant, entity_id, exposed)


def skip_google_pin(hass: HomeAssistant, entity_id: str, skip: bool = True) -> None:
    """Turn Google's two-factor (the PIN) off for an entity, as the cloud settings do."""
    async_set_assistant_option(hass, GOOGLE, entity_id, "disable_2fa", skip)


def id_token(*, expires: str = "2099-01-01") -> str:
    """An (unsigned for us, never sent) id token whose claims hold a subscription date."""
    return jwt.encode(
        {
            "custom:sub-exp": expires,
            "cognito:username": "owner",
            "email": "o@x.invalid",
        },
        "a key for tests only, thirty-two bytes or more",
        algorithm="HS256",
    )


async def async_setup_google_cloud(
    hass: HomeAssistant,
    config: dict[str, Any] | None = None,
    *,
    logged_in: bool = True,
    enabled: bool = True,
    connected: bool = True,
    pin: str | None = None,
) -> Any:
    """Set up the real cloud integration, logged in (offline) with Google enabled."""
    assert await async_setup_component(hass, "cloud", {"cloud": config or {}})
    await hass.async_block_till_done()
    cloud: Any = hass.data["cloud"]
    if logged_in:
        cloud.id_token = id_token()
    await cloud.client.prefs.async_update(
        google_enabled=enabled,
        google_connected=connected,
        google_secure_devices_pin=pin,
    )
    return cloud
