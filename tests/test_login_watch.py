"""Logins end to end: the event, the "new login" trigger, the sessions sensor, the storage.

Users and sessions are made through Home Assistant's real auth manager (`hass.auth`), and once
through the real login flow and token endpoint over HTTP.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.auth.models import (
    TOKEN_TYPE_LONG_LIVED_ACCESS_TOKEN,
    RefreshToken,
    User,
)
from homeassistant.core import Event, HomeAssistant, ServiceCall
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import (
    CLIENT_ID,
    CLIENT_REDIRECT_URI,
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
    async_mock_service,
)

from custom_components.security_posture.const import EVENT_LOGIN, STORAGE_KEY
from custom_components.security_posture.login_watch import POLL_INTERVAL

from .helpers import async_setup_integration, service_device

if TYPE_CHECKING:
    from homeassistant.auth.providers.homeassistant import HassAuthProvider
    from pytest_homeassistant_custom_component.typing import (
        ClientSessionGenerator,
        WebSocketGenerator,
    )

WEB = "http://homeassistant.local:8123/"
APP = "https://home-assistant.io/android"
SESSIONS = "sensor.security_posture_sessions"


async def _login(
    hass: HomeAssistant, user: User, ip: str, client: str = WEB
) -> tuple[RefreshToken, str]:
    """What the token endpoint does for a login: a refresh token, then its access token."""
    token = await hass.auth.async_create_refresh_token(user, client)
    return token, hass.auth.async_create_access_token(token, ip)


async def _look(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Let one poll interval pass."""
    freezer.tick(POLL_INTERVAL)
    async_fire_time_changed(hass)
    await hass.async_block_till_done()


@pytest.fixture
async def alice(hass: HomeAssistant) -> User:
    return await hass.auth.async_create_user("Alice")


@pytest.fixture
async def bob(hass: HomeAssistant) -> User:
    return await hass.auth.async_create_user("Bob")


@pytest.fixture
def logins(hass: HomeAssistant) -> list[Event]:
    return async_capture_events(hass, EVENT_LOGIN)


def _sources(logins: list[Event]) -> list[tuple[str, str | None, bool, bool]]:
    return [
        (
            e.data["user_name"],
            e.data["ip_address"],
            e.data["new_ip_address"],
            e.data["new_client"],
        )
        for e in logins
    ]


async def test_first_run_is_silent_and_counts_the_sessions(
    hass: HomeAssistant,
    config_dir: Path,
    mock_config_entry: MockConfigEntry,
    hass_storage: dict[str, Any],
    alice: User,
    bob: User,
    logins: list[Event],
    freezer: FrozenDateTimeFactory,
) -> None:
    tokens = [
        await _login(hass, alice, "192.168.1.20"),
        await _login(hass, alice, "100.70.1.2", APP),
        await _login(hass, bob, "192.168.1.30"),
    ]
    # No sessions: a long-lived token, a system user's token, an inactive user's session.
    await hass.auth.async_create_refresh_token(
        alice, client_name="Grafana", token_type=TOKEN_TYPE_LONG_LIVED_ACCESS_TOKEN
    )
    system = await hass.auth.async_create_system_user("Robot")
    await hass.auth.async_create_refresh_token(system)
    carol = await hass.auth.async_create_user("Carol")
    await _login(hass, carol, "192.168.1.40")
    await hass.auth.async_deactivate_user(carol)

    await async_setup_integration(hass, mock_config_entry)
    await _look(hass, freezer)
    assert logins == []
    state = hass.states.get(SESSIONS)
    assert state is not None
    assert state.state == "3"
    assert state.attributes["users"] == {"Alice": 2, "Bob": 1}
    assert state.attributes["unit_of_measurement"] == "sessions"
    assert service_device(hass, mock_config_entry).id is not None

    # Seeded: what was there is known; the storage names no token.
    assert await hass.config_entries.async_unload(mock_config_entry.entry_id)
    stored = hass_storage[STORAGE_KEY]["data"]["logins"]
    assert stored["sources"][alice.id] == {
        "addresses": ["192.168.1.20", "100.70.1.2"],
        "clients": [WEB, APP],
    }
    assert stored["recent"] == []
    # Carol's session too, where the release keeps it (2025.x does; newer releases end the
    # sessions of a deactivated user): she may be active again, and it works again then.
    assert len(stored["seen"]) == 3 + len(carol.refresh_tokens)
    text = json.dumps(hass_storage[STORAGE_KEY])
    for token, access in tokens:
        for canary in (token.id, token.token, token.jwt_key, access):
            assert canary not in text


async def test_each_login_fires_the_event_with_whether_its_source_is_new(
    hass: HomeAssistant,
    config_dir: Path,
    mock_config_entry: MockConfigEntry,
    alice: User,
    bob: User,
    logins: list[Event],
    freezer: FrozenDateTimeFactory,
) -> None:
    await _login(hass, alice, "192.168.1.20")
    await async_setup_integration(hass, mock_config_entry)

    token, access = await _login(hass, alice, "203.0.113.7")
    await _look(hass, freezer)
    assert len(logins) == 1
    assert logins[0].data == {
        "user_id": alice.id,
        "user_name": "Alice",
        "client_id": WEB,
        "ip_address": "203.0.113.7",
        "new_source": True,
        "new_ip_address": True,
        "new_client": False,
        "at": token.created_at.isoformat(),
    }
    text = json.dumps(logins[0].data)
    for canary in (token.id, token.token, token.jwt_key, access):
        assert canary not in text

    await _login(hass, alice, "192.168.1.20")  # known address and client
    await _login(hass, alice, "192.168.1.20", APP)  # a new client
    await _login(hass, bob, "192.168.1.20")  # Bob never logged in before
    await _look(hass, freezer)
    assert _sources(logins[1:]) == [
        ("Alice", "192.168.1.20", False, False),
        ("Alice", "192.168.1.20", False, True),
        ("Bob", "192.168.1.20", True, True),
    ]
    assert [e.data["new_source"] for e in logins[1:]] == [False, True, True]
    state = hass.states.get(SESSIONS)
    assert state is not None
    assert state.state == "5"
    assert state.attributes["users"] == {"Alice": 4, "Bob": 1}

    # Nothing new: nothing fires.
    await _look(hass, freezer)
    assert len(logins) == 4


async def test_a_websocket_login_is_seen_at_once(
    hass: HomeAssistant,
    config_dir: Path,
    mock_config_entry: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
    alice: User,
    logins: list[Event],
) -> None:
    await async_setup_integration(hass, mock_config_entry)
    _, access = await _login(hass, alice, "198.51.100.3")
    client = await hass_ws_client(hass, access)  # authenticates: no time passes
    await hass.async_block_till_done()
    assert _sources(logins) == [("Alice", "198.51.100.3", True, True)]
    await client.close()


async def test_a_login_through_the_token_endpoint(
    hass: HomeAssistant,
    config_dir: Path,
    mock_config_entry: MockConfigEntry,
    local_auth: HassAuthProvider,
    hass_client_no_auth: ClientSessionGenerator,
    logins: list[Event],
    freezer: FrozenDateTimeFactory,
) -> None:
    """The real login flow over HTTP: the login is seen, with the client's address."""
    assert await async_setup_component(hass, "auth", {})
    local_auth.data.add_auth("dana", "a-canary-password")
    await async_setup_integration(hass, mock_config_entry)
    client = await hass_client_no_auth()

    response = await client.post(
        "/auth/login_flow",
        json={
            "client_id": CLIENT_ID,
            "handler": ["homeassistant", None],
            "redirect_uri": CLIENT_REDIRECT_URI,
        },
    )
    step = await response.json()
    response = await client.post(
        f"/auth/login_flow/{step['flow_id']}",
        json={
            "client_id": CLIENT_ID,
            "username": "dana",
            "password": "a-canary-password",
        },
    )
    step = await response.json()
    assert step["type"] == "create_entry", step
    response = await client.post(
        "/auth/token",
        data={
            "client_id": CLIENT_ID,
            "grant_type": "authorization_code",
            "code": step["result"],
        },
    )
    assert response.status == 200
    issued = await response.json()
    await _look(hass, freezer)

    assert len(logins) == 1
    data = logins[0].data
    assert data["user_name"] == "dana"
    assert data["client_id"] == CLIENT_ID
    assert data["ip_address"] == "127.0.0.1"
    assert data["new_source"] is True
    text = json.dumps(data)
    for canary in (
        issued["access_token"],
        issued["refresh_token"],
        "a-canary-password",
    ):
        assert canary not in text


async def test_new_login_trigger_runs_automations(
    hass: HomeAssistant,
    config_dir: Path,
    mock_config_entry: MockConfigEntry,
    alice: User,
    freezer: FrozenDateTimeFactory,
) -> None:
    await _login(hass, alice, "192.168.1.20")
    await async_setup_integration(hass, mock_config_entry)
    device_id = service_device(hass, mock_config_entry).id
    calls: list[ServiceCall] = async_mock_service(hass, "test", "automation")
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": [
                {
                    "alias": alias,
                    "triggers": [
                        {
                            "trigger": "device",
                            "domain": "security_posture",
                            "device_id": device_id,
                            "type": "new_login",
                            **options,
                        }
                    ],
                    "actions": [
                        {
                            "action": "test.automation",
                            "data": {
                                "name": alias,
                                "ip": "{{ trigger.event.data.ip_address }}",
                                "platform": "{{ trigger.platform }}",
                            },
                        }
                    ],
                }
                for alias, options in (
                    ("new source", {}),
                    ("every login", {"any_source": True}),
                )
            ]
        },
    )

    await _login(hass, alice, "192.168.1.20")
    await _look(hass, freezer)
    assert [c.data["name"] for c in calls] == ["every login"]
    calls.clear()

    await _login(hass, alice, "203.0.113.9")
    await _look(hass, freezer)
    assert sorted(
        (c.data["name"], c.data["ip"], c.data["platform"]) for c in calls
    ) == [
        ("every login", "203.0.113.9", "device"),
        ("new source", "203.0.113.9", "device"),
    ]


async def test_sources_survive_a_reload_and_logins_while_away_are_announced(
    hass: HomeAssistant,
    config_dir: Path,
    mock_config_entry: MockConfigEntry,
    alice: User,
    logins: list[Event],
    freezer: FrozenDateTimeFactory,
) -> None:
    await _login(hass, alice, "192.168.1.20")
    await async_setup_integration(hass, mock_config_entry)
    await _login(hass, alice, "203.0.113.7")
    await _look(hass, freezer)
    assert _sources(logins) == [("Alice", "203.0.113.7", True, False)]

    # Reloaded: nothing seen before is announced again, and what was learned is known.
    assert await hass.config_entries.async_reload(mock_config_entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    await _look(hass, freezer)
    assert len(logins) == 1
    await _login(hass, alice, "203.0.113.7")
    await _look(hass, freezer)
    assert _sources(logins[1:]) == [("Alice", "203.0.113.7", False, False)]

    # A login while the integration is not loaded is announced when it is back.
    assert await hass.config_entries.async_unload(mock_config_entry.entry_id)
    await _login(hass, alice, "198.51.100.8")
    await _look(hass, freezer)
    assert len(logins) == 2
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert _sources(logins[2:]) == [("Alice", "198.51.100.8", True, False)]


async def test_the_sensor_follows_logouts_and_deactivated_users(
    hass: HomeAssistant,
    config_dir: Path,
    mock_config_entry: MockConfigEntry,
    alice: User,
    bob: User,
    logins: list[Event],
    freezer: FrozenDateTimeFactory,
) -> None:
    first, _ = await _login(hass, alice, "192.168.1.20")
    await _login(hass, alice, "192.168.1.21")
    await _login(hass, bob, "192.168.1.30")
    await async_setup_integration(hass, mock_config_entry)
    assert hass.states.get(SESSIONS).state == "3"  # type: ignore[union-attr]

    hass.auth.async_remove_refresh_token(first)  # a logout
    await _look(hass, freezer)
    state = hass.states.get(SESSIONS)
    assert state is not None
    assert (state.state, state.attributes["users"]) == ("2", {"Alice": 1, "Bob": 1})

    await hass.auth.async_deactivate_user(bob)
    await _look(hass, freezer)
    state = hass.states.get(SESSIONS)
    assert state is not None
    assert (state.state, state.attributes["users"]) == ("1", {"Alice": 1})

    # Active again, Bob's session works again where the release kept it (newer releases end
    # a deactivated user's sessions): counted, and no login.
    await hass.auth.async_activate_user(bob)
    await _look(hass, freezer)
    assert hass.states.get(SESSIONS).state == str(1 + len(bob.refresh_tokens))  # type: ignore[union-attr]
    assert logins == []


async def test_people_of_one_name_are_counted_apart(
    hass: HomeAssistant,
    config_dir: Path,
    mock_config_entry: MockConfigEntry,
    alice: User,
) -> None:
    other = await hass.auth.async_create_user("Alice")
    await _login(hass, alice, "192.168.1.20")
    await _login(hass, other, "192.168.1.21")
    await _login(hass, other, "192.168.1.22")
    await async_setup_integration(hass, mock_config_entry)
    state = hass.states.get(SESSIONS)
    assert state is not None
    first, second = sorted([alice, other], key=lambda u: u.id)
    counts = {
        first.id: 1 if first is alice else 2,
        second.id: 1 if second is alice else 2,
    }
    assert state.attributes["users"] == {
        "Alice": counts[first.id],
        "Alice (2)": counts[second.id],
    }


async def test_nothing_is_watched_once_unloaded(
    hass: HomeAssistant,
    config_dir: Path,
    mock_config_entry: MockConfigEntry,
    alice: User,
    logins: list[Event],
    freezer: FrozenDateTimeFactory,
) -> None:
    await async_setup_integration(hass, mock_config_entry)
    assert await hass.config_entries.async_unload(mock_config_entry.entry_id)
    await _login(hass, alice, "198.51.100.8")
    await _look(hass, freezer)
    assert logins == []
