"""The frontend's code URLs from other hosts, read from the real frontend and lovelace."""

from __future__ import annotations

from pathlib import Path

from homeassistant.components import frontend
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from custom_components.security_posture.engine import CheckUnknown
from custom_components.security_posture.inspect.frontend_code import (
    FrontendCode,
    async_read_frontend_code,
)
from custom_components.security_posture.inspect.frontend_yaml import Source
from custom_components.security_posture.inspect.graph_reader import read_config_graph

from .supply_helpers import async_create_resources, async_setup_frontend, write_storage
from .test_config_files import write

# The real http integration listens on a free loopback port.
pytestmark = pytest.mark.usefixtures("socket_enabled")

CANARY = "CANARY-frontend-code-pw-8b2c"
EXTRAS = {
    "extra_module_url": [
        "/local/card-mod.js",
        "https://cdn.example.com/mod.js",
        "https://home.example.org/local/own.js",
    ],
    "extra_js_url_es5": f"https://user:{CANARY}@es5.example.com/x.js",
}
CONFIGURATION = (
    "frontend:\n"
    "  extra_module_url:\n"
    "    - /local/card-mod.js\n"
    "    - https://cdn.example.com/mod.js\n"
    "    - https://home.example.org/local/own.js\n"
    f"  extra_js_url_es5: https://user:{CANARY}@es5.example.com/x.js\n"
)


async def read(hass: HomeAssistant, config_dir: Path) -> FrontendCode:
    graph = read_config_graph(config_dir, {})
    return await async_read_frontend_code(hass, config_dir, graph)


def shown(code: FrontendCode) -> list[tuple[Source, str, str | None, int | None]]:
    return [(f.source, f.remote.shown, f.file, f.line) for f in code.foreign]


async def test_storage_mode_through_the_collection(
    hass: HomeAssistant,
    config_dir: Path,
    tmp_path: Path,
    hass_ws_client: WebSocketGenerator,
) -> None:
    hass.config.external_url = "https://home.example.org"
    write(config_dir, {"configuration.yaml": CONFIGURATION})
    await async_setup_frontend(hass, tmp_path, EXTRAS)
    await async_create_resources(
        hass,
        hass_ws_client,
        "/hacsfiles/button-card/button-card.js",
        "https://unpkg.com/card@1/card.js",
        "https://home.example.org/local/x.js",
    )
    code = await read(hass, config_dir)
    assert code.resource_mode == "storage"
    assert code.resources == 3
    assert code.extras == 4
    assert shown(code) == [
        (
            Source.EXTRA_MODULE_URL,
            "https://cdn.example.com/mod.js",
            "configuration.yaml",
            4,
        ),
        (
            Source.EXTRA_JS_URL_ES5,
            "https://***@es5.example.com/x.js",
            "configuration.yaml",
            6,
        ),
        (
            Source.RESOURCE,
            "https://unpkg.com/card@1/card.js",
            ".storage/lovelace_resources",
            None,
        ),
    ]
    assert code.foreign[2].resource_type == "module"
    assert CANARY not in repr(code)


async def test_urls_added_by_an_integration(
    hass: HomeAssistant, config_dir: Path, tmp_path: Path
) -> None:
    write(config_dir, {"configuration.yaml": "frontend:\n"})
    await async_setup_frontend(hass, tmp_path)
    frontend.add_extra_js_url(hass, "https://cdn.integration.example/x.js")
    frontend.add_extra_js_url(hass, "/local/fine.js", es5=True)
    code = await read(hass, config_dir)
    (added,) = code.foreign
    assert added.runtime_only
    assert added.file is None
    assert added.remote.shown == "https://cdn.integration.example/x.js"


async def test_served_urls_that_may_come_from_secrets_are_not_shown(
    hass: HomeAssistant, config_dir: Path, tmp_path: Path
) -> None:
    write(
        config_dir,
        {
            "configuration.yaml": "frontend:\n  extra_module_url: !secret module\n",
            "secrets.yaml": f"module: https://{CANARY}.example.com/x.js\n",
        },
    )
    await async_setup_frontend(
        hass, tmp_path, {"extra_module_url": [f"https://{CANARY}.example.com/x.js"]}
    )
    code = await read(hass, config_dir)
    assert code.foreign == ()
    assert CANARY not in repr(code)


async def test_served_urls_are_not_shown_when_the_yaml_is_incomplete(
    hass: HomeAssistant, config_dir: Path, tmp_path: Path
) -> None:
    write(
        config_dir,
        {"configuration.yaml": "frontend: !include missing/../broken.yaml\n"},
    )
    (config_dir / "broken.yaml").write_text("extra_module_url: [\n", encoding="utf-8")
    await async_setup_frontend(
        hass, tmp_path, {"extra_module_url": ["https://cdn.example.com/x.js"]}
    )
    code = await read(hass, config_dir)
    assert code.foreign == ()


async def test_unloaded_collection_reads_the_storage_file(
    hass: HomeAssistant, config_dir: Path, tmp_path: Path
) -> None:
    write_storage(
        config_dir,
        "lovelace_resources",
        {
            "items": [
                {"id": "a", "type": "module", "url": "https://cdn.example.net/a.js"},
                {"id": "b", "type": "css", "url": "/local/b.css"},
                {"id": "c", "url": "//fonts.example.net/c.css"},
                {"id": "d", "type": "js"},
                "not an item",
            ]
        },
    )
    write(config_dir, {"configuration.yaml": "frontend:\n"})
    await async_setup_frontend(hass, tmp_path)
    collection = hass.data["lovelace"].resources
    assert collection.loaded is False
    code = await read(hass, config_dir)
    assert collection.loaded is False  # the scan made core load nothing
    assert code.resources == 3
    assert [(f.remote.shown, f.resource_type) for f in code.foreign] == [
        ("https://cdn.example.net/a.js", "module"),
        ("//fonts.example.net/c.css", None),
    ]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("{not json", ".storage/lovelace_resources: not valid JSON"),
        ('{"version": 1}', ".storage/lovelace_resources: not a storage file (no data)"),
        (
            '{"data": {"items": 3}}',
            ".storage/lovelace_resources: no list of resources in the file",
        ),
        (
            '{"data": []}',
            ".storage/lovelace_resources: no list of resources in the file",
        ),
        ("[" * 100000, ".storage/lovelace_resources: not valid JSON"),
    ],
)
async def test_broken_storage_file_is_unknown(
    hass: HomeAssistant, config_dir: Path, content: str, reason: str
) -> None:
    (config_dir / ".storage").mkdir()
    (config_dir / ".storage" / "lovelace_resources").write_text(
        content, encoding="utf-8"
    )
    write(config_dir, {"configuration.yaml": "default_config:\n"})
    with pytest.raises(
        CheckUnknown,
        match=reason.replace(".", r"\.").replace("(", r"\(").replace(")", r"\)"),
    ):
        await read(hass, config_dir)


async def test_unreadable_storage_file_is_unknown(
    hass: HomeAssistant, config_dir: Path
) -> None:
    (config_dir / ".storage" / "lovelace_resources").mkdir(parents=True)
    write(config_dir, {"configuration.yaml": "default_config:\n"})
    with pytest.raises(CheckUnknown, match="is a directory"):
        await read(hass, config_dir)


async def test_without_lovelace_and_without_storage(
    hass: HomeAssistant, config_dir: Path
) -> None:
    write(config_dir, {"configuration.yaml": "default_config:\n"})
    code = await read(hass, config_dir)
    assert code == FrontendCode(
        foreign=(),
        resource_mode="storage",
        resources=0,
        extras=0,
        own_hosts=frozenset(),
    )


async def test_yaml_mode_without_lovelace_loaded(
    hass: HomeAssistant, config_dir: Path
) -> None:
    hass.config.internal_url = "http://192.168.1.5:8123"
    write(
        config_dir,
        {
            "configuration.yaml": (
                "lovelace:\n"
                "  mode: yaml\n"
                "  resources:\n"
                "    - url: http://192.168.1.5:8123/local/a.js\n"
                "      type: module\n"
                "    - url: http://192.168.1.9/b.js\n"
                "      type: js\n"
            )
        },
    )
    write_storage(
        config_dir,
        "lovelace_resources",
        {
            "items": [
                {"id": "x", "type": "module", "url": "https://ignored.example/x.js"}
            ]
        },
    )
    code = await read(hass, config_dir)
    assert code.resource_mode == "yaml"
    assert [(f.remote.shown, f.file, f.line, f.key) for f in code.foreign] == [
        (
            "http://192.168.1.9/b.js",
            "configuration.yaml",
            6,
            "lovelace.resources[1].url",
        )
    ]


async def test_yaml_mode_of_the_running_lovelace(
    hass: HomeAssistant, config_dir: Path, tmp_path: Path
) -> None:
    resources = [
        {"url": "https://cdn.example.com/yaml-card.js", "type": "module"},
        {"url": "/local/mine.js", "type": "module"},
    ]
    write(
        config_dir,
        {
            "configuration.yaml": (
                "lovelace:\n"
                "  mode: yaml\n"
                "  resources:\n"
                "    - url: https://cdn.example.com/yaml-card.js\n"
                "      type: module\n"
                "    - url: /local/mine.js\n"
                "      type: module\n"
            ),
            "ui-lovelace.yaml": "views: []\n",
        },
    )
    await async_setup_frontend(
        hass, tmp_path, lovelace={"mode": "yaml", "resources": resources}
    )
    code = await read(hass, config_dir)
    assert code.resource_mode == "yaml"
    assert code.resources == 2
    assert [(f.remote.shown, f.key) for f in code.foreign] == [
        ("https://cdn.example.com/yaml-card.js", "lovelace.resources[0].url")
    ]
