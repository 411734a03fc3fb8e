"""The posture card: served and registered by the integration, so there is nothing to install.

The card (built from `frontend/` in the repository into `www/security-posture-card.js`) is
served at `/security_posture/security-posture-card.js` and added to every page of the
frontend as an extra module, like a Lovelace resource that needs no setting up, on storage
and YAML dashboards alike. Its URL carries a hash of the file, so browsers fetch a new build
after an update and cache it otherwise. Nothing happens without the frontend (as in tests).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Final

from homeassistant.components.frontend import add_extra_js_url
from homeassistant.components.http import StaticPathConfig
from homeassistant.core import HomeAssistant, callback
from homeassistant.setup import async_when_setup

from .const import LOGGER

CARD_FILE: Final = Path(__file__).parent / "www" / "security-posture-card.js"
CARD_URL: Final = "/security_posture/security-posture-card.js"


def _version(path: Path) -> str | None:
    """A short hash of the card's file, or None when it is missing (blocking)."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    except OSError:
        return None


async def _async_register(hass: HomeAssistant, _component: str) -> None:
    """Serve the card and load it on every frontend page."""
    version = await hass.async_add_executor_job(_version, CARD_FILE)
    if version is None:
        LOGGER.warning(
            "The posture card is missing from the installation: %s", CARD_FILE
        )
        return
    await hass.http.async_register_static_paths(
        [StaticPathConfig(CARD_URL, str(CARD_FILE), cache_headers=True)]
    )
    add_extra_js_url(hass, f"{CARD_URL}?v={version}")


@callback
def async_setup_card(hass: HomeAssistant) -> None:
    """Register the card once the frontend is set up (at once if it is already)."""
    async_when_setup(hass, "frontend", _async_register)
