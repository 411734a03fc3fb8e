"""Helpers for tests that set up the integration in a real `hass`."""

from __future__ import annotations

import json
from pathlib import Path
import re
from typing import TYPE_CHECKING, Any, cast

from homeassistant.helpers import device_registry as dr

from custom_components.security_posture.const import DOMAIN, SERVICE_SCAN
from custom_components.security_posture.engine import (
    Check,
    CheckUnknown,
    Fact,
    Facts,
    ScanContext,
)
from custom_components.security_posture.model import Family, Hit, Severity, finding_id

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.device_registry import DeviceEntry
    from pytest_homeassistant_custom_component.common import MockConfigEntry


STRINGS: dict[str, Any] = json.loads(
    (
        Path(__file__).parents[1] / "custom_components/security_posture/strings.json"
    ).read_text(encoding="utf-8")
)
# Placeholders every issue has (repairs.placeholders_of), whatever its check.
COMMON_PLACEHOLDERS = frozenset({"title", "subject", "location", "learn_more"})


def issue_placeholders_used(check: str) -> set[str]:
    """Placeholders of the texts rendered with an issue's own placeholders.

    The title, the first step (the menu of a check with a fix, else the accept-risk
    confirmation), the confirmation and how accepting or taking it back ends. The steps
    of a fix and the accepted-risk step get more from their flow.
    """
    texts = STRINGS["issues"][check]
    flow = texts["fix_flow"]
    rendered = (
        texts["title"],
        flow["step"].get("init", {}).get("description", ""),
        flow["step"]["confirm"]["description"],
        flow["abort"]["risk_accepted"],
        flow["abort"]["risk_counted"],
    )
    return set(re.findall(r"(?<!\{)\{(\w+)\}(?!\})", " ".join(rendered)))


async def async_setup_integration(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Add the entry, set it up and wait for the first scan (Home Assistant is running)."""
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)


def service_device(hass: HomeAssistant, entry: MockConfigEntry) -> DeviceEntry:
    """The entry's one service device (the same lookup on every supported release)."""
    (device,) = dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
    return device


async def async_scan(hass: HomeAssistant) -> dict[str, Any]:
    """Run `security_posture.scan` and return the report."""
    response = await hass.services.async_call(
        DOMAIN, SERVICE_SCAN, {}, blocking=True, return_response=True
    )
    await hass.async_block_till_done(wait_background_tasks=True)
    return cast("dict[str, Any]", response)


def findings_of(report: dict[str, Any], check: str) -> list[dict[str, Any]]:
    """The findings of one check in a report."""
    return [f for f in report["findings"] if f["check"] == check]


def status_of(report: dict[str, Any], check: str) -> str:
    """The status of one check in a report."""
    return next(c["status"] for c in report["checks"] if c["check"] == check)


class FakeFamily:
    """A controllable family of checks, for testing what the integration does with findings.

    `hits[check_id]` are the hits the check reports next scan; a check id in `unknown` cannot
    run next scan.
    """

    def __init__(self) -> None:
        """Two checks: one high (secrets), one low (host)."""
        self.hits: dict[str, list[Hit]] = {
            "inline_credential": [],
            "ssh_root_login": [],
        }
        self.unknown: set[str] = set()
        self.scans = 0
        self.fact = Fact[None](name="the fake facts", gather=self._gather)
        self.checks = (
            self._check(Family.SECRETS, "inline_credential", Severity.HIGH),
            self._check(Family.HOST, "ssh_root_login", Severity.LOW),
        )

    async def _gather(self, ctx: ScanContext) -> None:
        self.scans += 1

    def _check(self, family: Family, check_id: str, severity: Severity) -> Check:
        def inspect(facts: Facts) -> list[Hit]:
            facts[self.fact]
            if check_id in self.unknown:
                raise CheckUnknown("cannot read it")
            return list(self.hits[check_id])

        return Check(
            id=check_id,
            family=family,
            severity=severity,
            learn_more_url="https://www.home-assistant.io/docs/configuration/securing/",
            needs=(self.fact,),
            inspect=inspect,
        )


# Findings FakeFamily tests share: a high inline password and a low root login.
PASSWORD_HIT = Hit(
    subject="configuration.yaml:mqtt.password",
    title="Password written into configuration.yaml",
    file="configuration.yaml",
    line=3,
    key="mqtt.password",
    placeholders={"kind": "password", "detail": ""},
)
PASSWORD_ID = finding_id("inline_credential", PASSWORD_HIT.subject)
ROOT_HIT = Hit(
    subject="/etc/ssh/sshd_config",
    title="SSH allows root login",
    placeholders={"detail": "x"},
)
ROOT_ID = finding_id("ssh_root_login", ROOT_HIT.subject)


def write(root: Path, files: dict[str, str]) -> Path:
    """Write `files` (relative name -> text) under `root`, folders included; `root`."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    return root
