"""Helpers for the supply-chain tests: the real frontend and lovelace, HACS' storage files."""

from __future__ import annotations

import json
from pathlib import Path
import socket
from typing import TYPE_CHECKING, Any

from homeassistant.setup import async_setup_component

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.typing import WebSocketGenerator


def free_port() -> int:
    """A free TCP port on loopback (several test runs share this machine)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def async_setup_frontend(
    hass: HomeAssistant,
    tmp_path: Path,
    frontend: dict[str, Any] | None = None,
    lovelace: dict[str, Any] | None = None,
) -> None:
    """Set up the real http, frontend and lovelace integrations.

    The frontend serves an empty directory instead of the frontend package (not installed
    in the test environments): `development_repo` points at it.
    """
    repo = tmp_path / "frontend_repo"
    (repo / "hass_frontend").mkdir(parents=True, exist_ok=True)
    http = {"server_host": "127.0.0.1", "server_port": free_port()}
    assert await async_setup_component(hass, "http", {"http": http})
    config: dict[str, Any] = {
        "frontend": {"development_repo": str(repo), **(frontend or {})}
    }
    if lovelace is not None:
        config["lovelace"] = lovelace
        assert await async_setup_component(hass, "lovelace", config)
    assert await async_setup_component(hass, "frontend", config)
    await hass.async_block_till_done()


async def async_create_resources(
    hass: HomeAssistant, hass_ws_client: WebSocketGenerator, *urls: str
) -> None:
    """Create dashboard resources through the lovelace resource collection's API.

    The frontend lists the resources first (which loads the collection), then creates.
    """
    ws = await hass_ws_client(hass)
    await ws.send_json({"id": 1, "type": "lovelace/resources"})
    assert (await ws.receive_json())["success"]
    for index, url in enumerate(urls, start=2):
        await ws.send_json(
            {
                "id": index,
                "type": "lovelace/resources/create",
                "res_type": "module",
                "url": url,
            }
        )
        response = await ws.receive_json()
        assert response["success"], response
    await ws.close()


def write_storage(config_dir: Path, key: str, data: Any, version: Any = 1) -> Path:
    """Write `.storage/<key>` as Home Assistant's `Store` does."""
    path = config_dir / ".storage" / key
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps({"version": version, "minor_version": 1, "key": key, "data": data}),
        encoding="utf-8",
    )
    return path


def write_integration(
    config_dir: Path,
    domain: str,
    manifest: dict[str, Any] | str | None = None,
    files: dict[str, str] | None = None,
) -> Path:
    """A custom integration folder with its manifest and Python files."""
    folder = config_dir / "custom_components" / domain
    folder.mkdir(parents=True, exist_ok=True)
    if manifest is None:
        manifest = {"domain": domain, "name": domain.title(), "version": "1.0.0"}
    text = manifest if isinstance(manifest, str) else json.dumps(manifest)
    (folder / "manifest.json").write_text(text, encoding="utf-8")
    for name, content in (files or {"__init__.py": '"""Nothing."""\n'}).items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    return folder


def hacs_entry(
    domain: str, full_name: str, *, installed: bool = True, **extra: Any
) -> dict[str, Any]:
    """A `hacs.repositories` entry as HACS stores it (only values that are not defaults)."""
    entry: dict[str, Any] = {
        "category": "integration",
        "domain": domain,
        "full_name": full_name,
        "repository_manifest": {"name": domain},
        **extra,
    }
    if installed:
        entry |= {"installed": True, "version_installed": "1.0.0"}
    return entry
