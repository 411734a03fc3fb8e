"""The secrets family: credentials in the configuration, `secrets.yaml` and backups."""

from __future__ import annotations

from typing import Final

URL_SECRETS: Final = "https://www.home-assistant.io/docs/configuration/secrets/"
