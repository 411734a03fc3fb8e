"""Helpers for the fix-flow tests: drive flows through the HTTP API, snapshot files."""

from __future__ import annotations

from http import HTTPStatus
from pathlib import Path
from typing import TYPE_CHECKING, Any

from homeassistant.config import async_hass_config_yaml
from homeassistant.helpers import issue_registry as ir
from homeassistant.setup import async_setup_component

from custom_components.security_posture.const import DOMAIN

from .helpers import async_scan, findings_of

if TYPE_CHECKING:
    from aiohttp.test_utils import TestClient
    from homeassistant.core import HomeAssistant


class FlowClient:
    """Open a repair's flow and go through its steps, keeping every response."""

    def __init__(self, client: TestClient) -> None:
        """Wrap an authenticated test client."""
        self.client = client
        self.responses: list[dict[str, Any]] = []

    async def start(self, issue_id: str) -> dict[str, Any]:
        """Open the fix flow of a repair issue."""
        resp = await self.client.post(
            "/api/repairs/issues/fix", json={"handler": DOMAIN, "issue_id": issue_id}
        )
        assert resp.status == HTTPStatus.OK, await resp.text()
        return await self._keep(resp)

    async def step(self, flow: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
        """Submit a step."""
        resp = await self.client.post(
            f"/api/repairs/issues/fix/{flow['flow_id']}", json=data
        )
        assert resp.status == HTTPStatus.OK, await resp.text()
        return await self._keep(resp)

    async def choose(self, flow: dict[str, Any], option: str) -> dict[str, Any]:
        """Pick a menu option."""
        assert flow["type"] == "menu", flow
        assert option in flow["menu_options"]
        return await self.step(flow, {"next_step_id": option})

    async def _keep(self, resp: Any) -> dict[str, Any]:
        data: dict[str, Any] = await resp.json()
        self.responses.append(data)
        return data


async def async_setup_http(hass: HomeAssistant) -> None:
    """Set up `http` from configuration.yaml, so the effective settings name the files."""
    assert await async_setup_component(hass, "http", await async_hass_config_yaml(hass))
    await hass.async_block_till_done()


def issues(hass: HomeAssistant) -> dict[str, ir.IssueEntry]:
    """This integration's repair issues by id."""
    return {i: e for (d, i), e in ir.async_get(hass).issues.items() if d == DOMAIN}


async def async_finding(
    hass: HomeAssistant, check: str, **match: Any
) -> dict[str, Any]:
    """Scan, and return the one finding of `check` whose fields equal `match`."""
    report = await async_scan(hass)
    found = [
        f
        for f in findings_of(report, check)
        if all(f[k] == v for k, v in match.items())
    ]
    assert len(found) == 1, (check, match, findings_of(report, check))
    return found[0]


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under `root` (relative path -> bytes), backups left out."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".security_posture" not in p.relative_to(root).parts
    }


def backups(root: Path) -> list[Path]:
    """The backup folders made so far, oldest first."""
    folder = root / ".security_posture" / "backups"
    return sorted(folder.iterdir()) if folder.is_dir() else []


def backup_files(folder: Path) -> dict[str, bytes]:
    """Files of one backup folder, by their original relative path."""
    return {
        p.relative_to(folder).as_posix().removesuffix(".bak"): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
