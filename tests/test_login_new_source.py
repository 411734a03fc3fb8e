"""`login_new_source`: on facts, and end to end with real users and sessions in `hass`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
import json
from pathlib import Path
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.auth.models import User
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
)

from custom_components.security_posture.checks.authentication.login_new_source import (
    CHECK,
    LONGEST_CLIENT,
)
from custom_components.security_posture.const import (
    DOMAIN,
    EVENT_FINDING,
    REFRESH_COOLDOWN,
)
from custom_components.security_posture.engine import (
    CheckUnknown,
    Facts,
    ScanContext,
    run_check,
)
from custom_components.security_posture.inspect.sessions import RECENT_LOGINS
from custom_components.security_posture.login_watch import POLL_INTERVAL
from custom_components.security_posture.logins import RECENT_WINDOW, Login
from custom_components.security_posture.model import Severity, Status

from .helpers import async_scan, async_setup_integration, findings_of

NOW = datetime(2026, 11, 27, 16, 0, tzinfo=UTC)
WEB = "http://homeassistant.local:8123/"
AUTH_SENSOR = "binary_sensor.security_posture_authentication"


def _login(**changes: Any) -> Login:
    values: dict[str, Any] = {
        "at": NOW - timedelta(hours=1),
        "user_id": "u-alice",
        "user_name": "Alice",
        "client_id": WEB,
        "ip_address": "203.0.113.7",
        "new_ip_address": True,
        "new_client": False,
    } | changes
    return Login(**values)


def _hits(*logins: Login) -> list[Any]:
    return list(CHECK.inspect(Facts({RECENT_LOGINS: logins}, now=NOW)))


def test_each_login_from_a_new_source_is_one_finding() -> None:
    hits = _hits(
        _login(),
        _login(at=NOW - timedelta(minutes=5), new_ip_address=False, new_client=True),
        _login(
            at=NOW - timedelta(minutes=1),
            user_id="u-bob",
            user_name="Bob",
            ip_address=None,
            client_id=None,
            new_ip_address=False,
            new_client=True,
        ),
        _login(at=NOW, new_client=True),
    )
    assert [h.title for h in hits] == [
        f"Alice logged in from a new address: 203.0.113.7, {WEB}",
        f"Alice logged in from a new client: 203.0.113.7, {WEB}",
        "Bob logged in from a new client: an unknown address, an unknown client",
        f"Alice logged in from a new address and a new client: 203.0.113.7, {WEB}",
    ]
    assert len({h.subject for h in hits}) == 4
    assert hits[0].placeholders == {
        "user": "Alice",
        "address": "203.0.113.7",
        "client": WEB,
        "what": "a new address",
        "at": "2026-11-27 15:00 UTC",
    }
    assert all(h.severity is None for h in hits)  # the check's: info
    assert CHECK.severity is Severity.INFO


def test_a_long_client_is_shortened() -> None:
    (hit,) = _hits(_login(client_id="https://example.org/" + "a" * 500))
    assert len(hit.placeholders["client"]) == LONGEST_CLIENT
    assert hit.placeholders["client"].endswith("…")


def test_nothing_new_passes_and_the_summary_counts() -> None:
    assert _hits() == []
    result = run_check(CHECK, Facts({RECENT_LOGINS: (_login(),)}, now=NOW), [])
    assert result.status is Status.FAIL
    assert result.reason == "1 login from new sources in the last 24 hours"
    result = run_check(
        CHECK, Facts({RECENT_LOGINS: (_login(), _login(at=NOW))}, now=NOW), []
    )
    assert result.reason == "2 logins from new sources in the last 24 hours"


async def test_unknown_without_a_login_watcher(hass: HomeAssistant) -> None:
    ctx = ScanContext(hass=hass, config_dir=Path(hass.config.config_dir), now=NOW)
    with pytest.raises(CheckUnknown, match="logins are not watched"):
        await ctx.fact(RECENT_LOGINS)


async def _look(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """One poll interval, then the debounced rescan it may ask for."""
    for step in (POLL_INTERVAL, REFRESH_COOLDOWN):
        freezer.tick(step)
        async_fire_time_changed(hass)
        await hass.async_block_till_done(wait_background_tasks=True)


@pytest.fixture
async def alice(hass: HomeAssistant) -> User:
    user = await hass.auth.async_create_user("Alice")
    token = await hass.auth.async_create_refresh_token(user, WEB)
    hass.auth.async_create_access_token(token, "192.168.1.20")
    return user


async def _log_in(hass: HomeAssistant, user: User, ip: str) -> None:
    token = await hass.auth.async_create_refresh_token(user, WEB)
    hass.auth.async_create_access_token(token, ip)


def _listed(entry: MockConfigEntry) -> list[str]:
    report = entry.runtime_data.report
    return [f.title for f in report.findings if f.check == "login_new_source"]


async def test_the_report_lists_a_login_from_a_new_source_for_a_day(
    hass: HomeAssistant,
    config_dir: Path,
    mock_config_entry: MockConfigEntry,
    alice: User,
    freezer: FrozenDateTimeFactory,
) -> None:
    findings = async_capture_events(hass, EVENT_FINDING)
    await async_setup_integration(hass, mock_config_entry)
    assert _listed(mock_config_entry) == []  # what was there is learned, not listed

    await _log_in(hass, alice, "192.168.1.20")  # known
    await _log_in(hass, alice, "203.0.113.7")  # new
    # The watcher asks for the rescan itself: no scan action needed.
    await _look(hass, freezer)
    assert _listed(mock_config_entry) == [
        f"Alice logged in from a new address: 203.0.113.7, {WEB}"
    ]
    report = await async_scan(hass)
    (finding,) = findings_of(report, "login_new_source")
    assert finding["severity"] == "info"
    assert finding["learn_more_url"] == CHECK.learn_more_url
    status = next(c for c in report["checks"] if c["check"] == "login_new_source")
    assert status["status"] == "fail"
    # Advice: no repair, no problem, no cost.
    assert not [
        issue
        for (domain, _), issue in ir.async_get(hass).issues.items()
        if domain == DOMAIN and issue.translation_key == "login_new_source"
    ]
    # Alice has no MFA: the family has a problem, but not this one.
    problem = hass.states.get(AUTH_SENSOR)
    assert problem is not None
    assert {f["check"] for f in problem.attributes["findings"]} == {"mfa_missing"}
    assert report["score"] == 100 - sum(
        Severity(f["severity"]).penalty
        for f in report["findings"]
        if f["severity"] != "info" and not f["ignored"]
    )
    assert [
        (e.data["action"], e.data["severity"])
        for e in findings
        if e.data["check"] == "login_new_source"
    ] == [("new", "info")]

    # Still listed after a reload (the storage keeps it) ...
    assert await hass.config_entries.async_reload(mock_config_entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert len(_listed(mock_config_entry)) == 1

    # ... and gone a day later, without a scan action.
    freezer.tick(RECENT_WINDOW)
    await _look(hass, freezer)
    assert _listed(mock_config_entry) == []
    assert [
        e.data["action"] for e in findings if e.data["check"] == "login_new_source"
    ] == ["new", "resolved"]


async def test_the_report_names_no_token(
    hass: HomeAssistant,
    config_dir: Path,
    mock_config_entry: MockConfigEntry,
    alice: User,
    freezer: FrozenDateTimeFactory,
) -> None:
    await async_setup_integration(hass, mock_config_entry)
    token = await hass.auth.async_create_refresh_token(alice, WEB)
    access = hass.auth.async_create_access_token(token, "198.51.100.4")
    await _look(hass, freezer)
    report = await async_scan(hass)
    assert len(findings_of(report, "login_new_source")) == 1
    text = json.dumps(report)
    for canary in (token.id, token.token, token.jwt_key, access):
        assert canary not in text
