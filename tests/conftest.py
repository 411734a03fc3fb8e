"""Shared fixtures.

`custom_components.security_posture` is imported first so that Home Assistant finds this
repository's integration and not the test package's own `custom_components`.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Generator
import json
import os
from pathlib import Path
import re
import shutil
from typing import TYPE_CHECKING, Any
from unittest.mock import patch

from homeassistant.helpers import issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from syrupy.assertion import SnapshotAssertion

import custom_components.security_posture  # noqa: F401 - import order matters, see above
from custom_components.security_posture.const import DOMAIN
from custom_components.security_posture.inspect.scan_client import ScanClient

from .helpers import FakeFamily
from .snapshot import SnapshotExtension

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let Home Assistant load this repository's integration."""


@pytest.fixture(autouse=True)
async def stop_scan_workers(
    monkeypatch: pytest.MonkeyPatch,
) -> AsyncGenerator[list[ScanClient]]:
    """Stop the scan workers a test started outside a config entry (which stops its own).

    Scan contexts made by the tests keep a worker in their cache, as an entry does. Like
    every process the tests start, a worker runs without the suite's coverage measurement
    (its statement data would not combine with the suite's branch data);
    `tests/test_scan_worker.py` runs its loop in this process.
    """
    for key in [k for k in os.environ if k.startswith("COV_CORE_")]:
        monkeypatch.delenv(key)
    clients: list[ScanClient] = []
    original = ScanClient.__init__

    def register(client: ScanClient, *args: Any, **kwargs: Any) -> None:
        original(client, *args, **kwargs)
        clients.append(client)

    with patch.object(ScanClient, "__init__", register):
        yield clients
    for client in clients:
        await client.async_close()


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Snapshots in tests/snapshots/ that hold on both test ends."""
    return snapshot.use_extension(SnapshotExtension)


@pytest.fixture
def config_dir(hass: HomeAssistant, tmp_path: Path) -> Path:
    """An empty configuration directory of its own for `hass`."""
    directory = tmp_path / "config"
    directory.mkdir()
    hass.config.config_dir = str(directory)
    return directory


def copy_fixture(name: str, target: Path) -> Path:
    """Copy the fixture configuration directory `name` into `target`."""
    shutil.copytree(FIXTURES / name, target, dirs_exist_ok=True, symlinks=True)
    return target


@pytest.fixture
def entry_options() -> dict[str, Any]:
    """Options of the config entry; override in a module to change them."""
    return {}


@pytest.fixture
def mock_config_entry(entry_options: dict[str, Any]) -> MockConfigEntry:
    """The integration's config entry, not yet added."""
    return MockConfigEntry(
        domain=DOMAIN, title="Security Posture", data={}, options=entry_options
    )


@pytest.fixture
def fake_family() -> Generator[FakeFamily]:
    """Replace the real check families with a controllable one."""
    family = FakeFamily()
    with patch("custom_components.security_posture.coordinator.CHECKS", family.checks):
        yield family


STRINGS = json.loads(
    (
        Path(__file__).parents[1] / "custom_components/security_posture/strings.json"
    ).read_text()
)
PLACEHOLDER = re.compile(r"(?<!\{)\{(\w+)\}(?!\})")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None]:
    """After every test with `hass`: each repair issue raised has all its text's placeholders."""
    result = yield
    hass: HomeAssistant | None = getattr(item, "funcargs", {}).get("hass")
    if hass is None:
        return result
    for (domain, issue_id), issue in ir.async_get(hass).issues.items():
        if domain != DOMAIN:
            continue
        texts = STRINGS["issues"].get(issue.translation_key)
        assert texts is not None, f"no text for issue {issue.translation_key}"
        # The title, the first step, the accept-risk step and its end are rendered with the
        # issue's placeholders; other steps get theirs from the flow.
        flow = texts["fix_flow"]
        issue_texts = [
            texts["title"],
            texts.get("description", ""),
            flow["step"].get("init", {}).get("description", ""),
            flow["step"]["confirm"]["description"],
            flow.get("abort", {}).get("risk_accepted", ""),
            flow.get("abort", {}).get("risk_counted", ""),
        ]
        wanted = set(PLACEHOLDER.findall(json.dumps(issue_texts)))
        given = set(issue.translation_placeholders or {})
        assert wanted <= given, f"{issue_id}: placeholders {wanted - given} missing"
    return result
