"""Which host a browser loads a frontend URL from, and how it is shown."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
import pytest

from custom_components.security_posture.inspect.remote_urls import (
    foreign_url,
    is_loopback,
    own_hosts,
    remote_url,
)

CANARY = "CANARY-remote-url-pw-5e1a"


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("https://cdn.jsdelivr.net/npm/card@1/card.js", "cdn.jsdelivr.net"),
        ("http://192.168.1.20:8080/card.js", "192.168.1.20"),
        ("HTTPS://CDN.Example.COM./x.js", "cdn.example.com"),
        ("//unpkg.com/card.js", "unpkg.com"),
        # A browser reads a backslash as a slash in these URLs.
        ("/\\evil.example/x.js", "evil.example"),
        ("https:\\\\evil.example\\x.js", "evil.example"),
        ("  \thttps://cdn.example.com/x.js\n", "cdn.example.com"),
        ("https://cdn.exa\tmple.com/x.js", "cdn.example.com"),
        ("https://[2001:db8::1]:8443/x.js", "2001:db8::1"),
    ],
)
def test_remote_hosts(url: str, host: str) -> None:
    remote = remote_url(url)
    assert remote is not None
    assert remote.host == host


@pytest.mark.parametrize(
    "url",
    [
        "/local/card.js",
        "/hacsfiles/button-card/button-card.js",
        "local/card.js",
        "card.js?v=1:2",
        "data:text/javascript,alert(1)",
        "javascript:alert(1)",
        "ftp://files.example.com/x.js",
        "https:cdn.example.com/x.js",  # no authority: not a host we are sure of
        "https://cdn.example.com:99999/x.js",  # a port no browser accepts
        "https://",
        "",
    ],
)
def test_no_remote_host(url: str) -> None:
    assert remote_url(url) is None


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (
            "https://cdn.example.com/x.js?v=2#top",
            "https://cdn.example.com/x.js?v=2#top",
        ),
        (
            f"https://admin:{CANARY}@cdn.example.com/x.js",
            "https://***@cdn.example.com/x.js",
        ),
        (f"https://{CANARY}@cdn.example.com/x.js", "https://***@cdn.example.com/x.js"),
        (
            f"https://cdn.example.com/x.js?access_token={CANARY}&v=1",
            "https://cdn.example.com/x.js?***",
        ),
        (
            f"https://cdn.example.com/x.js#token={CANARY}",
            "https://cdn.example.com/x.js#***",
        ),
        ("//cdn.example.com:8443/x.js", "//cdn.example.com:8443/x.js"),
        ("https://[2001:db8::1]:8443/x.js", "https://[2001:db8::1]:8443/x.js"),
    ],
)
def test_shown_without_credentials(url: str, shown: str) -> None:
    remote = remote_url(url)
    assert remote is not None
    assert remote.shown == shown
    assert CANARY not in remote.shown


def test_credential_in_the_path_is_masked() -> None:
    remote = remote_url(f"https://cdn.example.com/u/admin:{CANARY}@x/card.js")
    assert remote is not None
    assert CANARY not in remote.shown


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("localhost", True),
        ("app.localhost", True),
        ("127.0.0.2", True),
        ("::1", True),
        ("10.0.0.1", False),
        ("cdn.example.com", False),
    ],
)
def test_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


async def test_own_hosts_are_not_foreign(hass: HomeAssistant) -> None:
    hass.config.internal_url = "http://homeassistant.lan:8123"
    hass.config.external_url = f"https://user:{CANARY}@Home.Example.ORG."
    hosts = own_hosts(hass)
    assert hosts == {"homeassistant.lan", "home.example.org"}
    assert foreign_url("https://home.example.org/local/card.js", hosts) is None
    assert foreign_url("http://homeassistant.lan:8123/hacsfiles/x.js", hosts) is None
    assert foreign_url("http://localhost:8123/x.js", hosts) is None
    assert foreign_url("/local/card.js", hosts) is None
    other = foreign_url("https://cdn.example.org/card.js", hosts)
    assert other is not None
    assert other.host == "cdn.example.org"


async def test_own_hosts_without_urls(hass: HomeAssistant) -> None:
    hass.config.internal_url = None
    hass.config.external_url = None
    assert own_hosts(hass) == frozenset()
