"""Security Posture: checks a Home Assistant installation against the Securing guide."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.const import EVENT_CORE_CONFIG_UPDATE, Platform
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryNotReady, HomeAssistantError
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.dispatcher import async_dispatcher_send
from homeassistant.helpers.start import async_at_started

from .card import async_setup_card
from .checks.registry import facts_needed
from .const import DOMAIN, SIGNAL_REPORT_UPDATED
from .coordinator import SecurityPostureConfigEntry, SecurityPostureCoordinator
from .events import async_announce_failed_logins, bus_sink
from .ignored_issues import async_follow_ignored_issues
from .repairs import async_delete_all_issues, async_sync_issues
from .services import async_setup_services
from .store import PostureStore
from .websocket import async_setup_websocket

if TYPE_CHECKING:
    from homeassistant.helpers.typing import ConfigType

PLATFORMS = [Platform.BINARY_SENSOR, Platform.EVENT, Platform.SENSOR]
CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the actions, the card and its command (they work on the loaded entry)."""
    async_setup_services(hass)
    async_setup_websocket(hass)
    async_setup_card(hass)
    return True


async def async_setup_entry(
    hass: HomeAssistant, entry: SecurityPostureConfigEntry
) -> bool:
    """Set up from a config entry; the first scan waits until Home Assistant has started."""
    store = PostureStore(hass)
    try:
        await store.async_load()
    except HomeAssistantError as err:
        raise ConfigEntryNotReady(
            translation_domain=DOMAIN,
            translation_key="store_unreadable",
            translation_placeholders={"error": str(err)},
        ) from err
    coordinator = SecurityPostureCoordinator(hass, entry, store)
    entry.runtime_data = coordinator
    entry.async_on_unload(
        coordinator.async_add_listener(lambda: async_sync_issues(hass, coordinator))
    )
    entry.async_on_unload(
        coordinator.async_add_listener(
            lambda: async_dispatcher_send(hass, SIGNAL_REPORT_UPDATED)
        )
    )
    entry.async_on_unload(async_follow_ignored_issues(hass, coordinator))
    entry.async_on_unload(entry.add_update_listener(_async_options_updated))
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    # After the entities: the bus events follow the event entity's change (see events).
    entry.async_on_unload(coordinator.feed.async_add_sink(bus_sink(hass, entry)))
    entry.async_on_unload(
        coordinator.async_add_listener(
            lambda: coordinator.feed.async_publish(coordinator.transitions)
        )
    )

    @callback
    def _request_rescan(_event: Event | None = None) -> None:
        entry.async_create_background_task(
            hass, coordinator.async_request_refresh(), f"{DOMAIN} rescan"
        )

    @callback
    def _logins_changed() -> None:
        if (
            coordinator.report is not None
        ):  # else the first scan, after start, lists them
            _request_rescan()

    # Logins are watched from now on (the sessions sensor counts at once): reading in
    # memory, no I/O.
    entry.async_on_unload(await coordinator.logins.async_start(_logins_changed))

    @callback
    def _started(_hass: HomeAssistant) -> None:
        entry.async_create_background_task(
            hass, coordinator.async_refresh(), f"{DOMAIN} first scan"
        )
        entry.async_on_unload(
            hass.bus.async_listen(EVENT_CORE_CONFIG_UPDATE, _request_rescan)
        )
        entry.async_on_unload(async_announce_failed_logins(hass))
        for fact in facts_needed():
            if fact.listen is not None:
                entry.async_on_unload(fact.listen(hass, _request_rescan))

    entry.async_on_unload(async_at_started(hass, _started))
    return True


async def _async_options_updated(
    hass: HomeAssistant, entry: SecurityPostureConfigEntry
) -> None:
    await hass.config_entries.async_reload(entry.entry_id)


async def async_unload_entry(
    hass: HomeAssistant, entry: SecurityPostureConfigEntry
) -> bool:
    """Unload: platforms, listeners, and every repair issue this entry raised."""
    unloaded = await hass.config_entries.async_unload_platforms(entry, PLATFORMS)
    if unloaded:
        await entry.runtime_data.store.async_flush()
        async_delete_all_issues(hass)
        async_dispatcher_send(hass, SIGNAL_REPORT_UPDATED)
    return unloaded


async def async_remove_entry(
    hass: HomeAssistant, entry: SecurityPostureConfigEntry
) -> None:
    """Remove the stored ignores with the entry."""
    await PostureStore(hass).async_remove()
