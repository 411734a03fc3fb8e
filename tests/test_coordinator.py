"""The coordinator's log: a family that cannot run is logged once, and once when it is back."""

from __future__ import annotations

import logging
from pathlib import Path

from homeassistant.const import STATE_OFF, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.security_posture.const import CONF_DISABLED_CHECKS, DOMAIN

from .helpers import FakeFamily, async_scan, async_setup_integration

LOGGER_NAME = "custom_components.security_posture"
UNAVAILABLE = (
    "The secrets checks are unavailable: none of them could run (inline_credential). "
    "The report and the diagnostics say why"
)
BACK = "The secrets checks are available again"


def _messages(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name == LOGGER_NAME and r.levelno == logging.INFO
    ]


async def test_unavailable_and_back_are_logged_once_each(
    hass: HomeAssistant,
    config_dir: Path,
    fake_family: FakeFamily,
    mock_config_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger=LOGGER_NAME)
    fake_family.unknown.add("inline_credential")
    await async_setup_integration(hass, mock_config_entry)
    assert hass.states.get("binary_sensor.security_posture_secrets").state == (
        STATE_UNAVAILABLE
    )
    # Families without checks in this scan (updates, remote access, ...) are no failure.
    assert _messages(caplog) == [UNAVAILABLE]

    await async_scan(hass)
    await async_scan(hass)
    assert _messages(caplog) == [UNAVAILABLE]

    fake_family.unknown.clear()
    await async_scan(hass)
    assert hass.states.get("binary_sensor.security_posture_secrets").state == STATE_OFF
    assert _messages(caplog) == [UNAVAILABLE, BACK]

    await async_scan(hass)
    assert _messages(caplog) == [UNAVAILABLE, BACK]

    fake_family.unknown.add("inline_credential")
    await async_scan(hass)
    assert _messages(caplog) == [UNAVAILABLE, BACK, UNAVAILABLE]
    # The host family, which ran throughout, was never mentioned.
    assert not any("host" in message for message in _messages(caplog))


async def test_a_family_the_user_disabled_logs_nothing(
    hass: HomeAssistant,
    config_dir: Path,
    fake_family: FakeFamily,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger=LOGGER_NAME)
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Security Posture",
        data={},
        options={CONF_DISABLED_CHECKS: ["inline_credential"]},
    )
    await async_setup_integration(hass, entry)
    await async_scan(hass)
    assert hass.states.get("binary_sensor.security_posture_secrets").state == (
        STATE_UNAVAILABLE
    )
    assert _messages(caplog) == []
