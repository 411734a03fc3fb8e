#!/usr/bin/env python3
"""Onboard a fresh Home Assistant over its REST API and add Security Posture to it.

`scripts/develop` runs this module; end-to-end tests import it. Every function takes the base
URL of the instance (for example ``http://127.0.0.1:8123``), so it works against any port.
Standard library only, so it runs with any Python 3.13 (the development venv's included).
Requests go straight to the given URL: proxy settings from the environment are ignored. An
``https://`` URL on the loopback interface (``127.0.0.1``, ``::1``, ``localhost``) is not
verified: an instance under test may well serve an expired or self-signed certificate for
another host; any other ``https://`` URL is verified as usual.

The onboarding steps, as the frontend does them:

1. ``POST /api/onboarding/users`` creates the owner and returns an authorization code;
   ``POST /auth/token`` exchanges it for an access token.
2. ``core_config`` is NOT posted: finishing it makes Home Assistant add the Met.no, Radio
   Browser, Google Translate and Shopping list integrations, the first two of which go to the
   internet. Instead `preseed_onboarding` marks it done in ``.storage/onboarding`` before the
   first start (the location comes from ``configuration.yaml``).
3. ``POST /api/onboarding/analytics`` (nothing is shared) and ``POST
   /api/onboarding/integration`` finish onboarding, so the UI opens on the overview.
4. The integration is added through the config-flow API: ``POST
   /api/config/config_entries/flow`` with the handler, then the confirmation step with ``{}``.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import json
import os
from pathlib import Path
import socket
import ssl
import struct
import sys
import threading
import time
from typing import TYPE_CHECKING, Any, Self
import urllib.error
import urllib.parse
import urllib.request

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

DOMAIN = "security_posture"
SCORE_ENTITY = "sensor.security_posture_score"
FINDINGS_ENTITY = "sensor.security_posture_findings"

DEV_NAME = "Developer"
DEV_USERNAME = "dev"
DEV_PASSWORD = "dev-password"  # the documented development login

ONBOARDING_STEPS = ("user", "core_config", "analytics", "integration")
ONBOARDING_STORAGE_VERSION = 4

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})

# No proxies: the instance is on this machine, and nothing may go anywhere else.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _loopback_tls() -> ssl.SSLContext:
    """TLS without verification, for an instance on this machine only."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


_LOOPBACK_TLS_OPENER = urllib.request.build_opener(
    urllib.request.ProxyHandler({}),
    urllib.request.HTTPSHandler(context=_loopback_tls()),
)


def _is_loopback(base_url: str) -> bool:
    return urllib.parse.urlsplit(base_url).hostname in LOOPBACK_HOSTS


class OnboardError(RuntimeError):
    """Home Assistant did not answer as expected."""


def client_id(base_url: str) -> str:
    """The OAuth client id the frontend would use for this instance."""
    return base_url.rstrip("/") + "/"


def request(
    base_url: str,
    method: str,
    path: str,
    *,
    token: str | None = None,
    json_body: Any = None,
    form: Mapping[str, str] | None = None,
    timeout: float = 30,
) -> tuple[int, Any]:
    """Send one request; return the status and the decoded JSON body (None if not JSON)."""
    headers = {"Accept": "application/json"}
    data: bytes | None = None
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    if form is not None:
        data = urllib.parse.urlencode(form).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    elif json_body is not None:
        data = json.dumps(json_body).encode()
        headers["Content-Type"] = "application/json"
    req = urllib.request.Request(
        base_url.rstrip("/") + path, data=data, headers=headers, method=method
    )
    opener = _LOOPBACK_TLS_OPENER if _is_loopback(base_url) else _OPENER
    try:
        with opener.open(req, timeout=timeout) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as err:
        status, raw = err.code, err.read()
    try:
        body = json.loads(raw) if raw else None
    except ValueError:
        body = None
    return status, body


def _expect(
    result: tuple[int, Any], what: str, statuses: tuple[int, ...] = (200,)
) -> Any:
    status, body = result
    if status not in statuses:
        raise OnboardError(f"{what}: HTTP {status}: {body!r}")
    return body


def preseed_onboarding(config_dir: Path | str) -> bool:
    """Before the first start: mark the core_config step done, so it never has to be posted.

    Returns False (and changes nothing) when ``.storage/onboarding`` already exists.
    """
    path = Path(config_dir) / ".storage" / "onboarding"
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {
        "version": ONBOARDING_STORAGE_VERSION,
        "minor_version": 1,
        "key": "onboarding",
        "data": {"done": ["core_config"]},
    }
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return True


def setup_needed(config_dir: Path | str, domain: str = DOMAIN) -> bool:
    """Whether onboarding is unfinished or the integration not added, from ``.storage``."""
    storage = Path(config_dir) / ".storage"
    try:
        onboarding = json.loads((storage / "onboarding").read_text(encoding="utf-8"))
        entries = json.loads(
            (storage / "core.config_entries").read_text(encoding="utf-8")
        )
    except (OSError, ValueError):
        return True
    done = set(onboarding.get("data", {}).get("done", []))
    domains = {e.get("domain") for e in entries.get("data", {}).get("entries", [])}
    return not set(ONBOARDING_STEPS) <= done or domain not in domains


def wait_until_up(
    base_url: str,
    timeout: float = 600,
    alive: Callable[[], bool] | None = None,
) -> None:
    """Wait until the HTTP server answers (``/api/onboarding`` gives 200, or 404 once done)."""
    deadline = time.monotonic() + timeout
    while True:
        if alive is not None and not alive():
            raise OnboardError("Home Assistant exited before it started serving")
        try:
            status, _ = request(base_url, "GET", "/api/onboarding", timeout=5)
        except (OSError, urllib.error.URLError):
            status = 0
        if status in (200, 404):
            return
        if time.monotonic() > deadline:
            raise OnboardError(f"{base_url} did not answer within {timeout:.0f} s")
        time.sleep(0.5)


def onboarding_status(base_url: str) -> dict[str, bool] | None:
    """Step -> done, or None when onboarding is complete (the views are gone then)."""
    status, body = request(base_url, "GET", "/api/onboarding")
    if status == 404:
        return None
    body = _expect((status, body), "onboarding status")
    return {step["step"]: step["done"] for step in body}


def create_owner(
    base_url: str,
    *,
    name: str = DEV_NAME,
    username: str = DEV_USERNAME,
    password: str = DEV_PASSWORD,
    language: str = "en",
) -> str:
    """The onboarding user step: create the owner; return the authorization code."""
    body = _expect(
        request(
            base_url,
            "POST",
            "/api/onboarding/users",
            json_body={
                "client_id": client_id(base_url),
                "name": name,
                "username": username,
                "password": password,
                "language": language,
            },
        ),
        "create the owner",
    )
    return str(body["auth_code"])


def fetch_token(base_url: str, code: str) -> str:
    """Exchange an authorization code for an access token."""
    body = _expect(
        request(
            base_url,
            "POST",
            "/auth/token",
            form={
                "grant_type": "authorization_code",
                "code": code,
                "client_id": client_id(base_url),
            },
        ),
        "exchange the authorization code",
    )
    return str(body["access_token"])


def login(
    base_url: str, username: str = DEV_USERNAME, password: str = DEV_PASSWORD
) -> str:
    """Log in with the Home Assistant auth provider (the login form); return an access token."""
    flow = _expect(
        request(
            base_url,
            "POST",
            "/auth/login_flow",
            json_body={
                "client_id": client_id(base_url),
                "handler": ["homeassistant", None],
                "redirect_uri": client_id(base_url),
            },
        ),
        "start the login flow",
    )
    result = _expect(
        request(
            base_url,
            "POST",
            f"/auth/login_flow/{flow['flow_id']}",
            json_body={
                "client_id": client_id(base_url),
                "username": username,
                "password": password,
            },
        ),
        "log in",
    )
    if result.get("type") != "create_entry":
        raise OnboardError(f"log in as {username!r}: {result.get('errors')!r}")
    return fetch_token(base_url, str(result["result"]))


def finish_onboarding(
    base_url: str, token: str, *, allow_core_config: bool = False
) -> None:
    """Post every onboarding step still open after the user step.

    ``core_config`` is normally preseeded (see `preseed_onboarding`); posting it starts
    integrations that use the internet, so it is only done with ``allow_core_config``.
    """
    status = onboarding_status(base_url)
    if status is None:
        return
    if not status.get("user", False):
        raise OnboardError("create the owner first")
    if not status.get("core_config", True):
        if not allow_core_config:
            raise OnboardError(
                "the core_config onboarding step is open: call preseed_onboarding(config_dir)"
                " before the first start (posting it adds integrations that use the internet)"
            )
        _expect(
            request(base_url, "POST", "/api/onboarding/core_config", token=token),
            "onboarding core_config",
        )
    if not status.get("analytics", True):
        _expect(
            request(base_url, "POST", "/api/onboarding/analytics", token=token),
            "onboarding analytics",
        )
    if not status.get("integration", True):
        _expect(
            request(
                base_url,
                "POST",
                "/api/onboarding/integration",
                token=token,
                json_body={
                    "client_id": client_id(base_url),
                    "redirect_uri": client_id(base_url) + "?auth_callback=1",
                },
            ),
            "onboarding integration",
        )


def wait_until_running(base_url: str, token: str, timeout: float = 300) -> None:
    """Wait until Home Assistant reports the RUNNING state (start-up finished)."""
    deadline = time.monotonic() + timeout
    while True:
        status, body = request(base_url, "GET", "/api/config", token=token)
        if status == 200 and body.get("state") == "RUNNING":
            return
        if time.monotonic() > deadline:
            raise OnboardError(f"Home Assistant was not running within {timeout:.0f} s")
        time.sleep(0.5)


def config_entries(base_url: str, token: str, domain: str = DOMAIN) -> list[Any]:
    """The config entries of one domain."""
    body = _expect(
        request(
            base_url,
            "GET",
            f"/api/config/config_entries/entry?domain={urllib.parse.quote(domain)}",
            token=token,
        ),
        "list config entries",
    )
    return list(body)


def add_integration(base_url: str, token: str, domain: str = DOMAIN) -> dict[str, Any]:
    """Add an integration through its config flow, confirming forms with ``{}``.

    Returns the created entry as the flow reports it.
    """
    result = _expect(
        request(
            base_url,
            "POST",
            "/api/config/config_entries/flow",
            token=token,
            json_body={"handler": domain, "show_advanced_options": False},
        ),
        f"start the {domain} config flow",
    )
    for _ in range(5):
        if result.get("type") != "form":
            break
        result = _expect(
            request(
                base_url,
                "POST",
                f"/api/config/config_entries/flow/{result['flow_id']}",
                token=token,
                json_body={},
            ),
            f"confirm the {domain} config flow",
        )
    if result.get("type") != "create_entry":
        raise OnboardError(f"the {domain} config flow ended with {result!r}")
    return dict(result["result"])


def get_state(base_url: str, token: str, entity_id: str) -> dict[str, Any] | None:
    """The state object of one entity, or None if it does not exist."""
    status, body = request(base_url, "GET", f"/api/states/{entity_id}", token=token)
    if status == 404:
        return None
    return dict(_expect((status, body), f"state of {entity_id}"))


def wait_for_state(
    base_url: str,
    token: str,
    entity_id: str,
    timeout: float = 120,
    ready: Callable[[dict[str, Any]], bool] = lambda state: (
        state["state"] not in ("unknown", "unavailable")
    ),
) -> dict[str, Any]:
    """Wait until an entity exists and its state satisfies ``ready`` (default: known)."""
    deadline = time.monotonic() + timeout
    while True:
        state = get_state(base_url, token, entity_id)
        if state is not None and ready(state):
            return state
        if time.monotonic() > deadline:
            raise OnboardError(
                f"{entity_id} was not ready within {timeout:.0f} s: {state}"
            )
        time.sleep(0.5)


class WebSocket:
    """A minimal, authenticated websocket API client (RFC 6455, no extensions).

    No package is needed. Use it as a context manager. `receive` answers the server's pings by
    itself, so a long-lived subscription (``subscribe_events``) can be read from a thread;
    `send` may be called from another thread meanwhile.
    """

    def __init__(self, base_url: str, token: str, timeout: float | None = 30) -> None:
        """Connect to ``/api/websocket`` and authenticate with an access token."""
        url = urllib.parse.urlsplit(base_url)
        if url.scheme not in ("http", "https") or url.hostname is None:
            raise OnboardError(
                f"WebSocket supports http(s):// URLs only, not {base_url}"
            )
        tls = url.scheme == "https"
        self._sock = socket.create_connection(
            (url.hostname, url.port or (443 if tls else 80)), timeout=timeout
        )
        if tls:
            context = (
                _loopback_tls()
                if url.hostname in LOOPBACK_HOSTS
                else ssl.create_default_context()
            )
            try:
                self._sock = context.wrap_socket(
                    self._sock, server_hostname=url.hostname
                )
            except BaseException:
                self._sock.close()
                raise
        self._stream = self._sock.makefile("rwb")
        self._lock = threading.Lock()
        self._next_id = 1
        try:
            self._handshake(url.netloc)
            self._authenticate(token)
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> Self:
        """The connected client."""
        return self

    def __exit__(self, *exc_info: object) -> None:
        """Close the connection."""
        self.close()

    def _handshake(self, netloc: str) -> None:
        key = base64.b64encode(os.urandom(16)).decode()
        self._stream.write(
            (
                "GET /api/websocket HTTP/1.1\r\n"
                f"Host: {netloc}\r\n"
                "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
            ).encode()
        )
        self._stream.flush()
        status_line = self._stream.readline()
        if b" 101 " not in status_line:
            raise OnboardError(f"websocket upgrade refused: {status_line!r}")
        while self._stream.readline() not in (b"\r\n", b""):
            pass

    def _authenticate(self, token: str) -> None:
        if self.receive().get("type") != "auth_required":
            raise OnboardError("unexpected websocket greeting")
        self.send({"type": "auth", "access_token": token})
        if (auth := self.receive()).get("type") != "auth_ok":
            raise OnboardError(
                f"websocket authentication failed: {auth.get('message')}"
            )

    def _send_frame(self, opcode: int, data: bytes) -> None:
        mask = os.urandom(4)
        header = bytearray([0x80 | opcode])  # FIN + opcode
        if len(data) < 126:
            header.append(0x80 | len(data))
        elif len(data) < 1 << 16:
            header += bytes([0x80 | 126]) + struct.pack("!H", len(data))
        else:
            header += bytes([0x80 | 127]) + struct.pack("!Q", len(data))
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(data))
        with self._lock:
            self._stream.write(bytes(header) + mask + masked)
            self._stream.flush()

    def _read(self, size: int) -> bytes:
        data = self._stream.read(size)
        if data is None or len(data) < size:
            raise OnboardError("the websocket was closed")
        return data

    def send(self, payload: Mapping[str, Any]) -> None:
        """Send one JSON message as it is (with its ``id``, if the command needs one)."""
        self._send_frame(0x1, json.dumps(payload).encode())

    def command(self, message: Mapping[str, Any]) -> int:
        """Send a command with the next message id; return that id."""
        with self._lock:
            message_id = self._next_id
            self._next_id += 1
        self.send({**message, "id": message_id})
        return message_id

    def receive(self) -> Any:
        """The next JSON message; raises `OnboardError` once the connection is closed."""
        message = b""
        while True:
            first, second = self._read(2)
            length = second & 0x7F
            if length == 126:
                (length,) = struct.unpack("!H", self._read(2))
            elif length == 127:
                (length,) = struct.unpack("!Q", self._read(8))
            payload = self._read(length) if length else b""
            opcode = first & 0x0F
            if opcode == 0x8:
                raise OnboardError("the websocket was closed")
            if opcode == 0x9:  # ping: answer with a pong carrying the same data
                self._send_frame(0xA, payload)
            elif opcode in (0x1, 0x0):
                message += payload
                if first & 0x80:
                    return json.loads(message)

    def result(self, message: Mapping[str, Any]) -> Any:
        """Send a command and return its result (other messages meanwhile are dropped)."""
        message_id = self.command(message)
        while True:
            reply = self.receive()
            if reply.get("id") == message_id and reply.get("type") == "result":
                break
        if not reply.get("success"):
            raise OnboardError(f"{message.get('type')}: {reply.get('error')}")
        return reply.get("result")

    def close(self) -> None:
        """Say goodbye (a close frame) and close the socket; safe to call twice.

        Also ends a `receive` blocked in another thread.
        """
        with contextlib.suppress(OSError, ValueError):
            self._send_frame(0x8, b"")
        with contextlib.suppress(OSError):
            self._sock.shutdown(socket.SHUT_RDWR)
        with contextlib.suppress(OSError, ValueError):
            self._stream.close()
        self._sock.close()


def websocket_command(
    base_url: str, token: str, message: Mapping[str, Any], timeout: float = 30
) -> Any:
    """Send one command over the websocket API and return its result."""
    with WebSocket(base_url, token, timeout) as websocket:
        return websocket.result(message)


def repair_issues(base_url: str, token: str, domain: str = DOMAIN) -> list[Any]:
    """The repair issues of one domain (websocket ``repairs/list_issues``)."""
    result = websocket_command(base_url, token, {"type": "repairs/list_issues"})
    return [issue for issue in result["issues"] if issue.get("domain") == domain]


def onboard(
    base_url: str,
    *,
    name: str = DEV_NAME,
    username: str = DEV_USERNAME,
    password: str = DEV_PASSWORD,
    domain: str = DOMAIN,
    timeout: float = 600,
    alive: Callable[[], bool] | None = None,
) -> str:
    """Onboard (whatever is left of it) and add the integration; return an access token.

    Idempotent: an owner that exists is logged in with ``username``/``password``, and an
    integration that is already added is left alone.
    """
    wait_until_up(base_url, timeout, alive)
    status = onboarding_status(base_url)
    if status is not None and not status.get("user", False):
        token = fetch_token(
            base_url,
            create_owner(base_url, name=name, username=username, password=password),
        )
    else:
        token = login(base_url, username, password)
    finish_onboarding(base_url, token)
    wait_until_running(base_url, token, timeout)
    if not config_entries(base_url, token, domain):
        add_integration(base_url, token, domain)
    return token


def _pid_alive(pid: int) -> Callable[[], bool]:
    def alive() -> bool:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True

    return alive


def _summary(base_url: str, token: str, timeout: float) -> str:
    """One line on what the first scan found, for the terminal."""
    score = wait_for_state(base_url, token, SCORE_ENTITY, timeout)
    findings = get_state(base_url, token, FINDINGS_ENTITY)
    issues = repair_issues(base_url, token)
    grade = score["attributes"].get("grade")
    return (
        f"score {score['state']}{f' (grade {grade})' if grade else ''}, "
        f"{findings['state'] if findings else '?'} findings, {len(issues)} repair issues"
    )


def main(argv: list[str] | None = None) -> int:
    """Command line for scripts/develop."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    needed = sub.add_parser(
        "needed", help="exit 0 if onboarding or the integration is missing"
    )
    preseed = sub.add_parser(
        "preseed", help="mark core_config done before the first start"
    )
    for command in (needed, preseed):
        command.add_argument("config_dir", type=Path)
    run = sub.add_parser(
        "run", help="onboard, add the integration, wait for the first scan"
    )
    run.add_argument("--url", default="http://localhost:8123")
    run.add_argument("--name", default=DEV_NAME)
    run.add_argument("--username", default=DEV_USERNAME)
    run.add_argument("--password", default=DEV_PASSWORD)
    run.add_argument("--timeout", type=float, default=600)
    run.add_argument("--pid", type=int, help="give up if this process (hass) exits")
    args = parser.parse_args(argv)

    if args.command == "needed":
        return 0 if setup_needed(args.config_dir) else 1
    if args.command == "preseed":
        preseed_onboarding(args.config_dir)
        return 0
    try:
        token = onboard(
            args.url,
            name=args.name,
            username=args.username,
            password=args.password,
            timeout=args.timeout,
            alive=_pid_alive(args.pid) if args.pid else None,
        )
        print(f"Security Posture added; first scan: {_summary(args.url, token, 120)}")
    except (OnboardError, OSError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
