#!/usr/bin/env python3
"""Take the README's screenshots from a real Home Assistant with Security Posture.

Run it through ``scripts/screenshots``, which installs Chromium and Playwright first. It starts
Home Assistant (``--hass``: the command that runs ``hass``; the newest release by default) from a
temporary copy of the committed ``config/`` on a free loopback port, onboards it, confirms a
pending HTTP configuration (newer releases show a dialog over every page until an owner
does), adds the integration
(``scripts/onboard.py``), adds the example dashboard (``docs/dashboard.yaml``), logs the
browser in by putting tokens into its local storage, and saves 1280x800 PNGs:

- ``device.png``: the Security Posture device page,
- ``repairs.png``: Settings -> Repairs,
- ``fix-flow.png``: the fix flow of an inline credential (move it to secrets.yaml, or accept),
- ``dashboard.png``: the example dashboard.

The browser may only reach the instance: every other request is aborted (images, such as
the integrations' brand icons, get an empty image instead).
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import importlib.util
import io
import json
import os
from pathlib import Path
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from typing import TYPE_CHECKING, Any
import urllib.parse

if TYPE_CHECKING:
    from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
DOMAIN = "security_posture"
WIDTH, HEIGHT = 1280, 800
DASHBOARD_PATH = "security-posture"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TRANSPARENT_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGBgAAAABQABpfZFQAAAAABJRU5ErkJggg=="
)
# The integration's English texts: what to wait for and click on.
STRINGS = json.loads(
    (ROOT / "custom_components" / DOMAIN / "strings.json").read_text(encoding="utf-8")
)
# The fallback dashboard when docs/dashboard.yaml does not exist.
SIMPLE_DASHBOARD: dict[str, Any] = {
    "title": "Security posture",
    "views": [
        {
            "title": "Security posture",
            "path": "security-posture",
            "cards": [
                {"type": "gauge", "entity": "sensor.security_posture_score"},
                {
                    "type": "entities",
                    "title": "Security Posture",
                    "state_color": True,
                    "entities": [
                        "sensor.security_posture_findings",
                        "binary_sensor.security_posture_secrets",
                        "binary_sensor.security_posture_updates",
                        "binary_sensor.security_posture_remote_access",
                        "binary_sensor.security_posture_authentication",
                        "binary_sensor.security_posture_host",
                        "sensor.security_posture_inline_credentials",
                        "sensor.security_posture_pending_updates",
                        "sensor.security_posture_certificate_expiry",
                    ],
                },
            ],
        }
    ],
}


def _load_onboard() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "security_posture_onboard", ROOT / "scripts" / "onboard.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


onboard = _load_onboard()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def prepare_config(target: Path, port: int) -> None:
    """A copy of the committed config/, on `port`, with the integration linked in."""
    files = subprocess.run(
        ["git", "-C", str(ROOT), "ls-files", "-z", "config"],
        check=True,
        capture_output=True,
    ).stdout.split(b"\0")
    for name in filter(None, files):
        source = ROOT / os.fsdecode(name)
        destination = target / source.relative_to(ROOT / "config")
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, destination)
    configuration = target / "configuration.yaml"
    text = configuration.read_text(encoding="utf-8")
    text = re.sub(r"server_port: \d+", f"server_port: {port}", text)
    text = text.replace("http://localhost:8123", f"http://127.0.0.1:{port}")
    configuration.write_text(text, encoding="utf-8")
    (target / "custom_components").mkdir(exist_ok=True)
    (target / "custom_components" / DOMAIN).symlink_to(
        ROOT / "custom_components" / DOMAIN, target_is_directory=True
    )
    onboard.preseed_onboarding(target)


def browser_tokens(url: str) -> dict[str, Any]:
    """Log in as the frontend does; the token set it keeps in local storage."""
    cid = onboard.client_id(url)
    _, flow = onboard.request(
        url,
        "POST",
        "/auth/login_flow",
        json_body={
            "client_id": cid,
            "handler": ["homeassistant", None],
            "redirect_uri": cid,
        },
    )
    _, result = onboard.request(
        url,
        "POST",
        f"/auth/login_flow/{flow['flow_id']}",
        json_body={
            "client_id": cid,
            "username": onboard.DEV_USERNAME,
            "password": onboard.DEV_PASSWORD,
        },
    )
    status, tokens = onboard.request(
        url,
        "POST",
        "/auth/token",
        form={
            "grant_type": "authorization_code",
            "code": result["result"],
            "client_id": cid,
        },
    )
    if status != 200:
        raise onboard.OnboardError(f"no tokens for the browser: {tokens!r}")
    return {
        **tokens,
        "hassUrl": url,
        "clientId": cid,
        "expires": int(time.time() * 1000) + tokens["expires_in"] * 1000,
    }


def dashboard_config() -> dict[str, Any]:
    """docs/dashboard.yaml when it exists, else a simple dashboard of the entities."""
    path = ROOT / "docs" / "dashboard.yaml"
    if not path.exists():
        print("docs/dashboard.yaml not found: using a simple dashboard of the entities")
        return SIMPLE_DASHBOARD
    import yaml  # noqa: PLC0415 - Home Assistant's environment has PyYAML

    config: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return config


def add_dashboard(url: str, token: str) -> str:
    """Create the dashboard in storage mode; return the path of its first view."""
    config = dashboard_config()
    onboard.websocket_command(
        url,
        token,
        {
            "type": "lovelace/dashboards/create",
            "url_path": DASHBOARD_PATH,
            "title": "Security",
            "icon": "mdi:shield-check",
            "show_in_sidebar": True,
            "require_admin": False,
            "mode": "storage",
        },
    )
    onboard.websocket_command(
        url,
        token,
        {"type": "lovelace/config/save", "url_path": DASHBOARD_PATH, "config": config},
    )
    view = config["views"][0]
    return f"/{DASHBOARD_PATH}/{view.get('path', 0)}"


def device_id(url: str, token: str) -> str:
    entry = onboard.websocket_command(
        url,
        token,
        {
            "type": "config/entity_registry/get",
            "entity_id": "sensor.security_posture_score",
        },
    )
    return str(entry["device_id"])


def save_png(png: bytes, path: Path) -> None:
    """Save as a small PNG: 256 colours are plenty for a flat UI."""
    from PIL import Image  # noqa: PLC0415 - Home Assistant's environment has Pillow

    image = Image.open(io.BytesIO(png)).convert("RGB")
    image = image.quantize(
        colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
    )
    image.save(path, optimize=True)
    shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    print(f"  {shown}: {path.stat().st_size // 1024} KiB")


def take_screenshots(
    url: str, token: str, out: Path, chromium: str, dashboard: str
) -> None:
    from playwright.sync_api import Page, Route, sync_playwright  # noqa: PLC0415

    origin = urllib.parse.urlsplit(url).netloc
    tokens = browser_tokens(url)
    device = device_id(url, token)

    def only_the_instance(route: Route) -> None:
        if urllib.parse.urlsplit(route.request.url).netloc == origin:
            route.continue_()
        elif route.request.resource_type == "image":
            # Brand icons come from the internet: an empty image instead of a broken one.
            route.fulfill(status=200, content_type="image/png", body=TRANSPARENT_PNG)
        else:
            route.abort()

    def settle(page: Page, text: str | None = None) -> None:
        """Wait until `text` (or a card) shows, the network is quiet, and a little more."""
        if text is None:
            page.locator("ha-card").first.wait_for(timeout=90_000)
        else:
            page.get_by_text(text, exact=False).first.wait_for(timeout=90_000)
        with contextlib.suppress(Exception):
            page.wait_for_load_state("networkidle", timeout=15_000)
        page.wait_for_timeout(2_000)  # animations, icons, charts

    def shoot(page: Page, name: str) -> None:
        save_png(page.screenshot(), out / name)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, headless=True, args=CHROMIUM_FLAGS
        )
        context = browser.new_context(
            viewport={"width": WIDTH, "height": HEIGHT},
            device_scale_factor=1,
            color_scheme="light",
            locale="en-US",
            timezone_id="UTC",
        )
        context.route("**/*", only_the_instance)
        context.add_init_script(
            f"window.localStorage.setItem('hassTokens', {json.dumps(json.dumps(tokens))});"
        )
        page = context.new_page()

        print("Device page ...")
        page.goto(f"{url}/config/devices/device/{device}")
        settle(page, STRINGS["entity"]["sensor"]["inline_credentials"]["name"])
        shoot(page, "device.png")

        print("Repairs ...")
        page.goto(f"{url}/config/repairs")
        inline = STRINGS["issues"]["inline_credential"]
        # A repair is titled with its finding's title, which names the file.
        title_start = "written into"
        settle(page, title_start)
        shoot(page, "repairs.png")

        print("Fix flow ...")
        page.get_by_text(title_start).first.click()
        settle(
            page, inline["fix_flow"]["step"]["init"]["menu_options"]["move_to_secrets"]
        )
        shoot(page, "fix-flow.png")
        page.keyboard.press("Escape")

        print("Dashboard ...")
        page.goto(f"{url}{dashboard}")
        settle(page)
        shoot(page, "dashboard.png")
        browser.close()


def confirm_pending_http_config(url: str, token: str) -> None:
    """Promote a pending HTTP configuration, as an owner does in the dialog that asks.

    From 2026.8 Home Assistant runs a new HTTP configuration as `pending` and asks an owner to
    confirm it (websocket `http/config/promote`); until then the dialog covers every page.
    Older releases have no such command: nothing to do there.
    """
    try:
        config = onboard.websocket_command(url, token, {"type": "http/config"})
    except onboard.OnboardError:
        return
    pending = config.get("pending")
    if pending and not pending.get("error"):
        print("Confirming the pending HTTP configuration ...")
        onboard.websocket_command(url, token, {"type": "http/config/promote"})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument(
        "--hass",
        default=f"{sys.executable} -m homeassistant",
        help="the command that runs hass (default: this interpreter's Home Assistant)",
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        default=None,
        help="where the instance's temporary directory goes (default: the system's)",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images")
    parser.add_argument(
        "--keep", action="store_true", help="keep the instance's directory"
    )
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)

    if args.workdir is not None:
        args.workdir.mkdir(parents=True, exist_ok=True)
    workdir = Path(
        tempfile.mkdtemp(prefix="security-posture-screenshots-", dir=args.workdir)
    )
    config = workdir / "config"
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    prepare_config(config, port)
    log = (workdir / "hass.out").open("wb")
    print(
        f"Starting Home Assistant on {url} (log: {config / 'home-assistant.log'}) ..."
    )
    hass = subprocess.Popen(
        [*shlex.split(args.hass), "--config", str(config)],
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )

    def alive() -> bool:
        return hass.poll() is None

    try:
        token = onboard.onboard(url, timeout=900, alive=alive)
        confirm_pending_http_config(url, token)
        onboard.wait_for_state(url, token, "sensor.security_posture_score", 120)
        dashboard = add_dashboard(url, token)
        # The backup integration's set-up flow leaves a "New devices discovered" notification
        # on a fresh instance, now and then: not ours, and an owner would have dismissed it.
        onboard.request(
            url,
            "POST",
            "/api/services/persistent_notification/dismiss",
            token=token,
            json_body={"notification_id": "config_entry_discovery"},
        )
        take_screenshots(url, token, args.out, args.chromium, dashboard)
    except (onboard.OnboardError, OSError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    finally:
        # The whole process group: the command may be a wrapper around hass.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(hass.pid, signal.SIGTERM)
        try:
            hass.wait(timeout=60)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(hass.pid, signal.SIGKILL)
            hass.wait()
        log.close()
        if args.keep:
            print(f"Kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    print("Done. Look at every image before committing it.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
