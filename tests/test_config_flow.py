"""Config flow (one click) and options flow."""

from __future__ import annotations

from pathlib import Path

from homeassistant.config_entries import SOURCE_USER
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.security_posture.const import (
    CONF_CERT_WARNING_DAYS,
    CONF_DISABLED_CHECKS,
    CONF_SCAN_INTERVAL,
    CONF_SSHD_CONFIG,
    DOMAIN,
)

from .helpers import FakeFamily, async_setup_integration


async def test_user_flow_creates_the_entry(
    hass: HomeAssistant, config_dir: Path
) -> None:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    assert result["data_schema"] is None
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Security Posture"
    assert result["data"] == {}
    await hass.async_block_till_done()
    assert hass.states.get("sensor.security_posture_score") is not None


async def test_only_one_entry(
    hass: HomeAssistant, config_dir: Path, mock_config_entry: MockConfigEntry
) -> None:
    mock_config_entry.add_to_hass(hass)
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "single_instance_allowed"


async def test_options_flow_saves_and_applies(
    hass: HomeAssistant,
    config_dir: Path,
    fake_family: FakeFamily,
    mock_config_entry: MockConfigEntry,
) -> None:
    await async_setup_integration(hass, mock_config_entry)
    result = await hass.config_entries.options.async_init(mock_config_entry.entry_id)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "init"
    defaults = {key.schema: key.default() for key in result["data_schema"].schema}
    assert defaults == {
        CONF_SCAN_INTERVAL: 6,
        CONF_CERT_WARNING_DAYS: 30,
        CONF_DISABLED_CHECKS: [],
        CONF_SSHD_CONFIG: "/etc/ssh/sshd_config",
    }
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {
            CONF_SCAN_INTERVAL: 12.0,
            CONF_CERT_WARNING_DAYS: 14.0,
            CONF_DISABLED_CHECKS: ["ssh_root_login"],
            CONF_SSHD_CONFIG: "/srv/sshd_config",
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert mock_config_entry.options == {
        CONF_SCAN_INTERVAL: 12,
        CONF_CERT_WARNING_DAYS: 14,
        CONF_DISABLED_CHECKS: ["ssh_root_login"],
        CONF_SSHD_CONFIG: "/srv/sshd_config",
    }
    await hass.async_block_till_done(wait_background_tasks=True)  # the first scan
    # The entry reloaded with the new options: a new coordinator, the new interval.
    coordinator = mock_config_entry.runtime_data
    assert coordinator.update_interval is not None
    assert coordinator.update_interval.total_seconds() == 12 * 3600
    report = coordinator.report
    assert report is not None
    assert {r.check: str(r.status) for r in report.checks}[
        "ssh_root_login"
    ] == "disabled"

    # Reopening shows the saved values.
    result = await hass.config_entries.options.async_init(mock_config_entry.entry_id)
    defaults = {key.schema: key.default() for key in result["data_schema"].schema}
    assert defaults[CONF_DISABLED_CHECKS] == ["ssh_root_login"]
    assert defaults[CONF_SCAN_INTERVAL] == 12
