"""The updates family: pending and skipped updates, the age of the running release."""

from __future__ import annotations

from typing import Final

URL_UPDATES: Final = "https://www.home-assistant.io/integrations/update/"
URL_SECURING: Final = "https://www.home-assistant.io/docs/configuration/securing/"
URL_VERSION: Final = "https://www.home-assistant.io/integrations/version/"

CORE_SUBJECT: Final = "homeassistant"
"""The subject of the findings about Home Assistant Core itself."""


def shown_version(version: str | None) -> str:
    """A version as the texts show it."""
    return version if version is not None else "an unknown version"
