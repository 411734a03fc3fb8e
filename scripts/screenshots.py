#!/usr/bin/env python3
"""Check what Home Assistant shows of Security Posture in a real browser; save screenshots.

Run it through ``scripts/screenshots``, which installs Chromium and Playwright first. It starts
Home Assistant (``--hass``: the command that runs ``hass``; the newest release by default) from a
temporary copy of the committed ``config/`` on a free loopback port, onboards it, confirms a
pending HTTP configuration (newer releases show a dialog over every page until an owner
does), adds the integration (``scripts/onboard.py``), adds the example dashboard
(``docs/dashboard.yaml``), logs the browser in by putting tokens into its local storage, and
checks, stopping at the first check that fails:

- every repair's first step shows its learn-more link;
- accepting a risk takes a button labelled "Accept the risk" (none reads "Submit") and asks
  for a reason; the repair is then ignored, listed under "Show ignored repairs", and "Stop
  accepting" counts it again;
- the findings sensor, the counts, the family sensors, Settings -> Repairs and the posture
  card agree, before and after, with 200 more findings and with none;
- the card at desktop and phone sizes, light and dark; "Show all" lists every finding; "Scan
  now" scans; no page has a script error.

Screenshots (1280x800 desktop, 390 wide phone) go to ``--out`` (``docs/images/``): the device
page, Repairs, the fix flow, accepting a risk, an accepted risk, the example dashboard and the
card in each size, theme and number of findings.

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
LAST_SCAN = "sensor.security_posture_last_scan"
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


def _family_checks() -> dict[str, frozenset[str]]:
    """Family key -> its check ids, from the integration's registry of checks."""
    sys.path.insert(0, str(ROOT))
    from custom_components.security_posture.checks.registry import (  # noqa: PLC0415
        CHECKS,
    )
    from custom_components.security_posture.model import Family  # noqa: PLC0415

    return {
        str(family): frozenset(c.id for c in CHECKS if c.family is family)
        for family in Family
    }


FAMILY_CHECKS = _family_checks()
FAMILIES = tuple(FAMILY_CHECKS)


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


class CheckFailedError(Exception):
    """What the browser showed is not what the integration promises."""


def check(condition: object, message: str) -> None:
    """Fail the run, naming what was wrong, unless `condition` holds."""
    if not condition:
        raise CheckFailedError(message)
    print(f"  ok: {message}")


def api_state(url: str, token: str, entity_id: str) -> dict[str, Any]:
    state = onboard.get_state(url, token, entity_id)
    if state is None:
        raise CheckFailedError(f"{entity_id} does not exist")
    return state


def our_issues(url: str, token: str) -> list[dict[str, Any]]:
    return [i for i in onboard.repair_issues(url, token) if i["domain"] == DOMAIN]


def scan(url: str, token: str) -> None:
    status, body = onboard.request(
        url, "POST", f"/api/services/{DOMAIN}/scan", token=token, json_body={}
    )
    if status != 200:
        raise CheckFailedError(f"the scan action answered {status}: {body!r}")


def _counted(issue: dict[str, Any]) -> int:
    """How many findings an issue stands for: one, or the count of a check's "N more"."""
    if issue["translation_key"] == "more_findings":
        return int(issue["translation_placeholders"]["count"])
    return 1


def _check_of(issue: dict[str, Any]) -> str:
    if issue["translation_key"] == "more_findings":
        return str(issue["translation_placeholders"]["check"]).replace("\\", "")
    return str(issue["translation_key"])


def numbers_agree(url: str, token: str) -> int:
    """The findings sensor, the counts and Settings -> Repairs tell the same story.

    A check with more findings than Repairs lists has one issue that says how many more:
    it counts for that many.
    """
    issues = our_issues(url, token)
    active = [i for i in issues if not i["ignored"]]
    in_repairs = sum(_counted(i) for i in active)
    findings = api_state(url, token, "sensor.security_posture_findings")
    check(
        int(findings["state"]) == in_repairs,
        f"the findings sensor ({findings['state']}) counts the active repairs "
        f"({in_repairs}, in {len(active)} issues)",
    )
    check(
        findings["attributes"]["accepted"] == len(issues) - len(active),
        "its `accepted` attribute counts the ignored repairs",
    )
    inline = api_state(url, token, "sensor.security_posture_inline_credentials")
    check(
        inline["state"]
        in (
            str(
                sum(_counted(i) for i in active if _check_of(i) == "inline_credential")
            ),
            "unknown",  # the check is off
        ),
        "inline credentials count only active repairs",
    )
    for family in FAMILIES:
        state = api_state(url, token, f"binary_sensor.security_posture_{family}")
        if state["state"] == "on":
            check(
                any(_check_of(i) in FAMILY_CHECKS[family] for i in active),
                f"{family} is a problem only with an active repair",
            )
    return in_repairs


def add_many_credentials(config: Path, count: int) -> None:
    """A package with `count` written-out passwords (fake values)."""
    lines = [
        "# Written by scripts/screenshots: many findings for the card.",
        "rest_command:",
    ]
    for n in range(count):
        lines += [
            f"  probe_{n:03d}:",
            f'    url: "https://probe-{n:03d}.example.invalid/"',
            f'    password: "fake-probe-password-{n:03d}"',
        ]
    (config / "packages" / "many_probes.yaml").write_text("\n".join(lines) + "\n")


def disable_failing_checks(url: str, token: str) -> None:
    """Options: turn off every check that finds something, as a clean instance would be."""
    report = onboard.request(
        url,
        "POST",
        f"/api/services/{DOMAIN}/scan?return_response",
        token=token,
        json_body={},
    )[1]["service_response"]
    failing = sorted({f["check"] for f in report["findings"]})
    (entry,) = onboard.config_entries(url, token)
    _, flow = onboard.request(
        url,
        "POST",
        "/api/config/config_entries/options/flow",
        token=token,
        json_body={"handler": entry["entry_id"]},
    )
    _, done = onboard.request(
        url,
        "POST",
        f"/api/config/config_entries/options/flow/{flow['flow_id']}",
        token=token,
        json_body={**flow_defaults(flow), "disabled_checks": failing},
    )
    if done.get("type") != "create_entry":
        raise CheckFailedError(f"the options flow ended with {done!r}")


def flow_defaults(flow: dict[str, Any]) -> dict[str, Any]:
    """The values a form shows by default (its schema's suggested or default values)."""
    values: dict[str, Any] = {}
    for field in flow.get("data_schema", []):
        default = field.get("default")
        if default is None:
            default = (field.get("description") or {}).get("suggested_value")
        if default is not None:
            values[field["name"]] = default
    return values


def take_screenshots(
    url: str, token: str, out: Path, chromium: str, dashboard: str, config: Path
) -> None:
    from playwright.sync_api import (  # noqa: PLC0415
        BrowserContext,
        Page,
        Route,
        sync_playwright,
    )

    origin = urllib.parse.urlsplit(url).netloc
    tokens = browser_tokens(url)
    device = device_id(url, token)
    page_errors: list[str] = []

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

    def shoot(page: Page, name: str, *, element: str | None = None) -> None:
        if element is None:
            png = page.screenshot()
        else:
            # The whole card, below the dashboard's sticky header: a page as tall as needed.
            target = page.locator(element).first
            target.scroll_into_view_if_needed()
            box = target.bounding_box()
            viewport = page.viewport_size
            assert box is not None
            assert viewport is not None
            page.set_viewport_size(
                {
                    "width": viewport["width"],
                    "height": max(viewport["height"], int(box["height"]) + 200),
                }
            )
            page.evaluate("window.scrollTo(0, 0)")
            page.wait_for_timeout(500)
            png = target.screenshot()
            page.set_viewport_size(viewport)
        save_png(png, out / name)

    def close_dialog(page: Page) -> None:
        page.keyboard.press("Escape")
        page.wait_for_timeout(800)

    def new_page(
        browser: Any, *, phone: bool = False, dark: bool = False
    ) -> tuple[BrowserContext, Page]:
        context = browser.new_context(
            viewport={"width": 390, "height": 844}
            if phone
            else {"width": WIDTH, "height": HEIGHT},
            device_scale_factor=1,
            is_mobile=phone,
            has_touch=phone,
            color_scheme="dark" if dark else "light",
            locale="en-US",
            timezone_id="UTC",
        )
        context.route("**/*", only_the_instance)
        context.add_init_script(
            f"window.localStorage.setItem('hassTokens', {json.dumps(json.dumps(tokens))});"
        )
        page = context.new_page()
        page.on("pageerror", lambda err: page_errors.append(str(err)))
        return context, page

    def open_card(page: Page) -> Any:
        page.goto(f"{url}{dashboard}")
        card = page.locator("security-posture-card")
        card.locator(".summary").wait_for(timeout=90_000)
        card.locator("h3, .all-clear").first.wait_for(timeout=60_000)
        page.wait_for_timeout(1_500)
        return card

    def card_count(card: Any) -> int:
        text = card.locator(".counts span").first.inner_text()
        return int(text.split()[0])

    inline = STRINGS["issues"]["inline_credential"]["fix_flow"]["step"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, headless=True, args=CHROMIUM_FLAGS
        )
        context, page = new_page(browser)

        print("Device page ...")
        page.goto(f"{url}/config/devices/device/{device}")
        settle(page, STRINGS["entity"]["sensor"]["inline_credentials"]["name"])
        shoot(page, "device.png")

        print("Repairs: every one links to more ...")
        page.goto(f"{url}/config/repairs")
        settle(page, "in plain text")
        shoot(page, "repairs.png")
        active = numbers_agree(url, token)
        for issue in (i for i in our_issues(url, token) if not i["ignored"]):
            title = issue["translation_placeholders"]["title"]
            page.get_by_text(title, exact=True).first.click()
            link = page.get_by_role("link", name="Learn more").first
            link.wait_for(timeout=30_000)
            check(
                link.get_attribute("href") == issue["learn_more_url"],
                f"{title!r} shows its learn-more link",
            )
            close_dialog(page)

        print("Accepting a risk takes its own button ...")
        credential = next(
            i
            for i in our_issues(url, token)
            if i["translation_key"] == "inline_credential"
        )
        title = credential["translation_placeholders"]["title"]
        page.get_by_text(title, exact=True).first.click()
        page.get_by_text(
            inline["init"]["menu_options"]["move_to_secrets"], exact=True
        ).wait_for()
        page.wait_for_timeout(1_000)
        shoot(page, "fix-flow.png")
        page.get_by_text(inline["init"]["menu_options"]["ignore"], exact=True).click()
        page.locator("input[name=reason]").wait_for()
        page.locator("input[name=reason]").fill("Test bench: no real credential")
        page.wait_for_timeout(800)
        shoot(page, "accept-risk.png")
        check(
            page.get_by_role("button", name="Submit").count() == 0,
            "no button is labelled Submit",
        )
        page.get_by_role("button", name="Accept the risk").click()
        page.get_by_text("Risk accepted").wait_for()
        close_dialog(page)
        ignored = {i["issue_id"]: i["ignored"] for i in our_issues(url, token)}
        check(ignored[credential["issue_id"]], "the accepted risk's repair is ignored")
        check(numbers_agree(url, token) == active - 1, "and counts no more")

        print("... and shows in Repairs, where it can be taken back ...")
        page.goto(f"{url}/config/repairs")
        settle(page, "in plain text")
        page.locator(
            "ha-dropdown ha-icon-button[slot=trigger], ha-button-menu"
        ).first.click()
        page.get_by_text("Show ignored repairs").click()
        page.get_by_text(title, exact=True).first.click()
        page.get_by_role("button", name="Stop accepting").wait_for()
        page.wait_for_timeout(800)
        shoot(page, "accepted-risk.png")
        page.get_by_role("button", name="Stop accepting").click()
        page.get_by_text("counts again").wait_for()
        close_dialog(page)
        ignored = {i["issue_id"]: i["ignored"] for i in our_issues(url, token)}
        check(not ignored[credential["issue_id"]], "Stop accepting counts it again")
        check(numbers_agree(url, token) == active, "the numbers are back")
        context.close()

        print("The posture card ...")
        for phone in (False, True):
            for dark in (False, True):
                context, page = new_page(browser, phone=phone, dark=dark)
                card = open_card(page)
                check(
                    card_count(card) == active,
                    f"the card counts {active} findings, as Repairs does",
                )
                size = "phone" if phone else "desktop"
                shoot(
                    page,
                    f"card-{size}-{'dark' if dark else 'light'}.png",
                    element="security-posture-card",
                )
                if not phone and not dark:
                    shoot(page, "dashboard.png")
                if phone and not dark:
                    card.locator(".finding").first.click()
                    page.locator(
                        "security-posture-repair-dialog dialog[open]"
                    ).wait_for()
                    page.get_by_role("link", name="Learn more").first.wait_for()
                    page.wait_for_timeout(800)
                    shoot(page, "card-repair-phone.png")
                    close_dialog(page)
                    before = api_state(url, token, LAST_SCAN)["state"]
                    page.wait_for_timeout(1_100)  # timestamps have whole seconds
                    card.get_by_role("button", name="Scan now").click()
                    after = onboard.wait_for_state(
                        url,
                        token,
                        LAST_SCAN,
                        60,
                        ready=lambda state, before=before: state["state"] != before,
                    )
                    card.get_by_role("button", name="Scan now").wait_for()
                    check(after["state"] > before, "Scan now runs a scan")
                context.close()

        print("200 more findings ...")
        add_many_credentials(config, 200)
        scan(url, token)
        many = numbers_agree(url, token)
        check(many >= 200, f"{many} findings after adding 200 credentials")
        for phone, dark in ((True, False), (False, True)):
            context, page = new_page(browser, phone=phone, dark=dark)
            card = open_card(page)
            check(card_count(card) == many, f"the card counts {many} findings")
            card.get_by_role("button", name=f"Show all {many}").click()
            page.wait_for_timeout(800)
            check(
                card.locator(".finding").count() == many,
                "Show all lists every one",
            )
            card.get_by_role("button", name="Show fewer").click()
            page.wait_for_timeout(500)
            size = "phone" if phone else "desktop"
            shoot(
                page,
                f"card-200-{size}-{'dark' if dark else 'light'}.png",
                element="security-posture-card",
            )
            context.close()

        print("No findings ...")
        disable_failing_checks(url, token)
        onboard.wait_for_state(
            url,
            token,
            "sensor.security_posture_findings",
            120,
            ready=lambda state: state["state"] == "0",
        )
        check(numbers_agree(url, token) == 0, "nothing to repair")
        for phone, dark in ((False, False), (True, True)):
            context, page = new_page(browser, phone=phone, dark=dark)
            card = open_card(page)
            card.locator(".all-clear").wait_for()
            size = "phone" if phone else "desktop"
            shoot(
                page,
                f"card-0-{size}-{'dark' if dark else 'light'}.png",
                element="security-posture-card",
            )
            context.close()
        browser.close()
    check(not page_errors, f"no script errors in the pages: {page_errors}")


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
        take_screenshots(url, token, args.out, args.chromium, dashboard, config)
    except (onboard.OnboardError, OSError, CheckFailedError) as err:
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
