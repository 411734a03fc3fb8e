"""The login book: which sessions are logins, and from a new source; what it stores."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
import json
from typing import Any

import pytest

from custom_components.security_posture.logins import (
    MAX_ADDRESSES,
    MAX_RECENT,
    PENDING_GRACE,
    RECENT_WINDOW,
    Login,
    LoginBook,
    Session,
    address_key,
    digest,
)

NOW = datetime.fromisoformat("2025-06-01T12:00:00+00:00")
APP = "https://home-assistant.io/android"
WEB = "http://homeassistant.local:8123/"


def _session(
    token: str,
    *,
    user: str = "u-alice",
    name: str = "Alice",
    client: str | None = WEB,
    ip: str | None = "192.168.1.20",
    age: timedelta = timedelta(minutes=1),
    used: bool = True,
) -> Session:
    return Session(
        token_id=token,
        user_id=user,
        user_name=name,
        client_id=client,
        ip_address=ip,
        created_at=NOW - age,
        used=used,
        active=True,
    )


def _seeded(*sessions: Session, users: tuple[str, ...] = ("u-alice",)) -> LoginBook:
    book = LoginBook(None)
    logins, changed = book.observe(sessions, users, NOW - timedelta(hours=1))
    assert logins == ()
    assert changed
    return book


def test_first_look_is_silent_and_learns_every_session() -> None:
    book = LoginBook(None)
    assert not book.seeded
    sessions = [
        _session(f"t{i}", ip=f"203.0.113.{i}", age=timedelta(0)) for i in range(40)
    ]
    logins, changed = book.observe(sessions, ["u-alice"], NOW)
    assert (logins, changed) == ((), True)
    assert book.seeded
    # Each of those addresses is known now: a new session from one is no new source.
    logins, _ = book.observe(
        [*sessions, _session("new", ip="203.0.113.7")], ["u-alice"], NOW
    )
    assert [login.new_source for login in logins] == [False]


def test_a_new_session_is_a_login_and_its_source_new_or_known() -> None:
    book = _seeded(_session("t1"))
    logins, changed = book.observe(
        [
            _session("t1"),
            _session("t2", ip="192.168.1.20"),
            _session("t3", ip="198.51.100.9", age=timedelta(seconds=30)),
            _session("t4", client=APP, age=timedelta(seconds=10)),
        ],
        ["u-alice"],
        NOW,
    )
    assert changed
    assert [
        (login.ip_address, login.client_id, login.new_ip_address, login.new_client)
        for login in logins
    ] == [
        ("192.168.1.20", WEB, False, False),
        ("198.51.100.9", WEB, True, False),
        ("192.168.1.20", APP, False, True),
    ]
    assert [login.at for login in book.recent(NOW)] == [
        NOW - timedelta(seconds=30),
        NOW - timedelta(seconds=10),
    ]
    # Seen once, never again.
    assert book.observe(
        [_session(t) for t in ("t1", "t2", "t3")] + [_session("t4", client=APP)],
        ["u-alice"],
        NOW,
    ) == ((), False)


def test_sources_are_per_person() -> None:
    book = _seeded(_session("t1"), users=("u-alice", "u-bob"))
    logins, _ = book.observe(
        [_session("t1"), _session("t2", user="u-bob", name="Bob")],
        ["u-alice", "u-bob"],
        NOW,
    )
    assert len(logins) == 1
    assert logins[0].user_name == "Bob"
    assert logins[0].new_ip_address
    assert logins[0].new_client


def test_ipv6_is_known_by_its_64_network_and_mapped_ipv4_as_ipv4() -> None:
    assert address_key("2001:db8:1:2:aaaa::1") == "2001:db8:1:2::/64"
    assert address_key("::ffff:192.0.2.1") == "192.0.2.1"
    assert address_key("192.0.2.1") == "192.0.2.1"
    assert address_key("not an address") == "not an address"
    book = _seeded(_session("t1", ip="2001:db8:1:2:aaaa::1"))
    logins, _ = book.observe(
        [
            _session("t1", ip="2001:db8:1:2:aaaa::1"),
            _session("t2", ip="2001:db8:1:2:bbbb::7", age=timedelta(seconds=2)),
            _session("t3", ip="2001:db8:1:3::7", age=timedelta(seconds=1)),
        ],
        ["u-alice"],
        NOW,
    )
    assert [login.new_ip_address for login in logins] == [False, True]


def test_addresses_a_session_is_used_from_are_learned() -> None:
    book = _seeded(_session("phone", client=APP, ip="192.168.1.30"))
    # The app's session is used from the mobile network; a later login from there is known.
    assert book.observe(
        [_session("phone", client=APP, ip="100.70.1.2")], ["u-alice"], NOW
    ) == ((), True)
    logins, _ = book.observe(
        [
            _session("phone", client=APP, ip="100.70.1.2"),
            _session("browser", client=APP, ip="100.70.1.2"),
        ],
        ["u-alice"],
        NOW,
    )
    assert [login.new_source for login in logins] == [False]


def test_an_unused_session_waits_then_is_decided_on_its_client() -> None:
    book = _seeded(_session("t1"))
    unused = _session("t2", ip=None, used=False, client=APP, age=timedelta(seconds=1))
    assert book.observe([_session("t1"), unused], ["u-alice"], NOW) == ((), False)
    # Used now: decided with its address.
    used = replace(unused, ip_address="198.51.100.1", used=True)
    logins, _ = book.observe([_session("t1"), used], ["u-alice"], NOW)
    assert [(login.new_ip_address, login.new_client) for login in logins] == [
        (True, True)
    ]
    # Never used: after the grace, decided on its client alone.
    never = _session("t3", ip=None, used=False, age=PENDING_GRACE)
    logins, _ = book.observe([_session("t1"), used, never], ["u-alice"], NOW)
    assert [
        (login.ip_address, login.new_ip_address, login.new_client) for login in logins
    ] == [(None, False, False)]


def test_sessions_made_while_away_are_announced_only_when_recent() -> None:
    book = _seeded(_session("t1"))
    logins, changed = book.observe(
        [
            _session("t1"),
            _session(
                "old", ip="198.51.100.1", age=RECENT_WINDOW + timedelta(seconds=1)
            ),
            _session("day", ip="198.51.100.2", age=RECENT_WINDOW),
        ],
        ["u-alice"],
        NOW,
    )
    assert changed
    assert [login.ip_address for login in logins] == ["198.51.100.2"]
    # The old one was learned silently.
    logins, _ = book.observe(
        [_session("t1"), _session("again", ip="198.51.100.1")], ["u-alice"], NOW
    )
    assert [login.new_source for login in logins] == [False]


def test_recent_logins_age_out_and_are_capped() -> None:
    book = _seeded(_session("t0"))
    sessions = [_session("t0")] + [
        _session(
            f"t{i}", ip=f"198.51.{i // 200}.{i % 200}", age=timedelta(seconds=500 - i)
        )
        for i in range(1, MAX_RECENT + 11)
    ]
    logins, _ = book.observe(sessions, ["u-alice"], NOW)
    assert len(logins) == MAX_RECENT + 10
    recent = book.recent(NOW)
    assert len(recent) == MAX_RECENT
    assert recent[-1].at == logins[-1].at
    later = NOW + RECENT_WINDOW - timedelta(seconds=440)
    assert 0 < len(book.recent(later)) < MAX_RECENT
    book.observe(sessions, ["u-alice"], NOW + RECENT_WINDOW + timedelta(hours=1))
    assert book.recent(NOW + RECENT_WINDOW + timedelta(hours=1)) == ()
    assert book.as_data()["recent"] == []


def test_addresses_per_person_are_bounded() -> None:
    book = _seeded(_session("t0", ip="10.0.0.0"))
    for i in range(1, MAX_ADDRESSES + 5):
        book.observe([_session("t0", ip=f"10.0.0.{i}")], ["u-alice"], NOW)
    addresses = book.as_data()["sources"]["u-alice"]["addresses"]
    assert len(addresses) == MAX_ADDRESSES
    assert addresses[-1] == f"10.0.0.{MAX_ADDRESSES + 4}"
    assert "10.0.0.0" not in addresses


def test_removed_people_and_sessions_are_forgotten() -> None:
    book = _seeded(
        _session("t1"),
        _session("t2", user="u-bob", name="Bob"),
        users=("u-alice", "u-bob"),
    )
    assert set(book.as_data()["sources"]) == {"u-alice", "u-bob"}
    assert book.observe([_session("t1")], ["u-alice"], NOW) == ((), True)
    data = book.as_data()
    assert set(data["sources"]) == {"u-alice"}
    assert data["seen"] == [digest("t1")]


def test_what_is_stored_holds_no_token_id_and_reads_back() -> None:
    book = _seeded(_session("token-id-canary"))
    book.observe(
        [_session("token-id-canary"), _session("second-canary", ip="198.51.100.4")],
        ["u-alice"],
        NOW,
    )
    data = book.as_data()
    text = json.dumps(data)
    assert "canary" not in text
    assert digest("token-id-canary") in data["seen"]
    again = LoginBook(json.loads(text))
    assert again.seeded
    assert again.as_data() == data
    assert again.recent(NOW) == book.recent(NOW)
    # Read back, the same sessions are no logins.
    assert again.observe(
        [_session("token-id-canary"), _session("second-canary", ip="198.51.100.4")],
        ["u-alice"],
        NOW,
    ) == ((), False)


@pytest.mark.parametrize(
    "stored",
    [
        {},
        {"sources": None, "seen": None, "recent": None},
        {"recent": ["nonsense", {"at": "yesterday"}, {"at": "2025-06-01T11:00:00"}]},
        {"recent": [{"at": "2025-06-01T11:00:00+00:00", "user_id": 7}]},
    ],
)
def test_damaged_storage_reads_as_nothing_learned(stored: dict[str, Any]) -> None:
    book = LoginBook(stored)  # type: ignore[arg-type]
    assert book.seeded
    assert book.recent(NOW) == ()
    logins, _ = book.observe([_session("t1")], ["u-alice"], NOW)
    assert [login.new_source for login in logins] == [True]


def test_event_data_names_no_token() -> None:
    login = Login(
        at=NOW,
        user_id="u-alice",
        user_name="Alice",
        client_id=WEB,
        ip_address="198.51.100.1",
        new_ip_address=True,
        new_client=False,
    )
    assert login.as_event_data() == {
        "user_id": "u-alice",
        "user_name": "Alice",
        "client_id": WEB,
        "ip_address": "198.51.100.1",
        "new_source": True,
        "new_ip_address": True,
        "new_client": False,
        "at": "2025-06-01T12:00:00+00:00",
    }
    assert Login.from_data(login.as_data()) == login


def test_a_session_without_a_client_is_decided_on_its_address() -> None:
    book = _seeded(_session("t1"))
    logins, _ = book.observe(
        [_session("t1"), _session("t2", client=None, ip="198.51.100.5")],
        ["u-alice"],
        NOW,
    )
    assert [(login.new_ip_address, login.new_client) for login in logins] == [
        (True, False)
    ]
    assert book.as_data()["sources"]["u-alice"] == {
        "addresses": ["192.168.1.20", "198.51.100.5"],
        "clients": [WEB],
    }
