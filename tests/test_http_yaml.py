"""The `http:` block from the configuration graph: includes, packages, secrets, variables.

Valid configurations are compared with what Home Assistant's own loader makes of them
(`async_hass_config_yaml`, which merges packages); broken ones must give notes without
values and without log records.
"""

from __future__ import annotations

from ipaddress import ip_network
import logging
import os
from pathlib import Path
from typing import Any
from unittest.mock import patch

from homeassistant.config import async_hass_config_yaml
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest

from custom_components.security_posture.engine import ScanContext
from custom_components.security_posture.inspect import (
    config_graph,
    http_yaml,
    http_yaml_secrets,
)
from custom_components.security_posture.inspect.config_graph import ConfigGraph
from custom_components.security_posture.inspect.graph_reader import read_config_graph
from custom_components.security_posture.inspect.http_releases import FIELDS
from custom_components.security_posture.inspect.http_settings import (
    async_get_http_settings,
    async_read_http_settings,
    async_read_yaml_http,
)
from custom_components.security_posture.inspect.http_values import (
    SOURCE_PENDING,
    SOURCE_SERVER,
    SOURCE_YAML,
    Location,
)
from custom_components.security_posture.inspect.http_yaml_secrets import (
    SecretsUnreadable,
    read_secret_values,
)
from custom_components.security_posture.model import Family

from .http_stores import RUNNING_RELEASE

CANARY = "canary-Zq8-never-shown"
UNSET = "SECURITY_POSTURE_TEST_UNSET"
SET = "SECURITY_POSTURE_TEST_SET"


def write(config_dir: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = config_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def graph_of(config_dir: Path) -> ConfigGraph:
    return read_config_graph(config_dir, {})


class Notes:
    """Collects the notes of one reading."""

    def __init__(self) -> None:
        self.items: list[tuple[str, str | None]] = []

    def __call__(self, reason: str, file: str | None) -> None:
        self.items.append((reason, file))

    @property
    def text(self) -> str:
        return repr(self.items)


async def read_block(
    hass: HomeAssistant, config_dir: Path
) -> tuple[dict[str, Any] | None, dict[str, Location], Notes]:
    notes = Notes()
    graph = await hass.async_add_executor_job(graph_of, config_dir)
    block, where = await async_read_yaml_http(hass, config_dir, graph, notes)
    return (dict(block) if block is not None else None), where, notes


async def ha_block(hass: HomeAssistant) -> dict[str, Any] | None:
    """What Home Assistant's loader gives for the http: block (the fields we read)."""
    config = await async_hass_config_yaml(hass)
    if "http" not in config or config["http"] is None:
        return None
    return {k: v for k, v in config["http"].items() if k in FIELDS}


# --- the same as Home Assistant's loader ---------------------------------------------------

PARITY: dict[str, dict[str, str]] = {
    "include_secret_env": {
        "configuration.yaml": "homeassistant:\n  name: Home\nhttp: !include http.yaml\n",
        "http.yaml": (
            "ssl_certificate: !secret cert_path\n"
            "ssl_key: !secret key_path\n"
            f"server_port: !env_var {UNSET} 8443\n"
            f"ssl_profile: !env_var {SET}\n"
            "trusted_proxies:\n  - 10.0.0.0/8\n  - !secret proxy\n"
            "cors_allowed_origins: !secret origins\n"
        ),
        "secrets.yaml": (
            f"mqtt_password: {CANARY}\n"
            "cert_path: /ssl/fullchain.pem\nkey_path: /ssl/privkey.pem\n"
            "proxy: 172.30.33.0/24\norigins:\n  - https://a.example\n  - https://b.example\n"
        ),
    },
    "nearest_secrets_file": {
        "configuration.yaml": "http: !include conf/http.yaml\n",
        "conf/http.yaml": "ssl_certificate: !secret cert_path\n",
        "conf/secrets.yaml": "cert_path: /ssl/from-conf.pem\n",
        "secrets.yaml": "cert_path: /ssl/from-root.pem\n",
    },
    "include_chain": {
        "configuration.yaml": "http: !include a.yaml\n",
        "a.yaml": "!include b.yaml\n",
        "b.yaml": "ip_ban_enabled: false\n",
    },
    "inline_packages": {
        "configuration.yaml": (
            "homeassistant:\n  packages:\n"
            "    web:\n      http:\n        ip_ban_enabled: false\n"
            "        trusted_proxies: [192.168.1.0/24]\n"
            "    other:\n      http:\n        use_x_forwarded_for: true\n"
            "http:\n  trusted_proxies: 10.0.0.0/8\n  login_attempts_threshold: 5\n"
        ),
    },
    "packages_dir_named": {
        "configuration.yaml": (
            "homeassistant:\n  packages: !include_dir_named packages\n"
            "http:\n  server_port: 8123\n"
        ),
        "packages/web.yaml": "http:\n  use_x_frame_options: false\n",
        "packages/lights/kitchen.yaml": "light: []\n",
        "packages/empty.yaml": "",
        "packages/.hidden.yaml": "http:\n  ip_ban_enabled: false\n",
    },
    "packages_dir_merge_named": {
        "configuration.yaml": (
            "homeassistant: !include core.yaml\n"  # packages relative to core.yaml
        ),
        "core.yaml": "name: Home\npackages: !include_dir_merge_named conf/packages\n",
        "conf/packages/one.yaml": "web:\n  http:\n    ssl_profile: intermediate\n",
        "conf/packages/two.yaml": "other:\n  http:\n    cors_allowed_origins: []\n",
    },
    "package_into_empty_block": {
        "configuration.yaml": (
            "http:\nhomeassistant:\n  packages:\n    web: !include web.yaml\n"
        ),
        "web.yaml": "http:\n  ip_ban_enabled: false\n",
    },
    "package_sets_a_key_twice": {
        "configuration.yaml": (
            "http:\n  ip_ban_enabled: true\n"
            "homeassistant:\n  packages:\n    web: !include web.yaml\n"
        ),
        "web.yaml": (
            "http:\n  server_port: 8443\n  ip_ban_enabled: false\n"
            "  use_x_frame_options: false\n"
        ),
    },
    "directory_includes": {
        "configuration.yaml": "http: !include_dir_merge_named http\n",
        "http/a.yaml": "trusted_proxies: !include_dir_merge_list ../proxies\n",
        "http/b.yaml": "cors_allowed_origins: !include_dir_list ../origins\n",
        "proxies/one.yaml": "- 10.0.0.0/8\n",
        "proxies/two.yaml": "- 192.168.0.0/16\n",
        "proxies/secrets.yaml": "- 8.8.8.8\n",
        "origins/a.yaml": "https://a.example\n",
        "origins/b.yaml": "",
        "http/c.yaml": "- not a mapping: merged by neither\n",
        "http/d.yaml": "",
    },
    "same_directory_twice": {
        "configuration.yaml": (
            "http:\n  trusted_proxies: !include_dir_merge_list proxies\n"
            "homeassistant:\n  packages:\n    web:\n      http:\n"
            "        trusted_proxies: !include_dir_merge_list proxies\n"
        ),
        "proxies/one.yaml": "- 10.0.0.0/8\n- 192.168.0.0/16\n",
    },
    "list_items_included": {
        "configuration.yaml": (
            "http:\n  trusted_proxies:\n    - !include proxy.yaml\n    - 10.0.0.0/8\n"
        ),
        "proxy.yaml": "172.16.0.0/12\n",
    },
}


@pytest.mark.parametrize("name", PARITY)
async def test_same_block_as_home_assistant(
    hass: HomeAssistant,
    config_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
) -> None:
    monkeypatch.setenv(SET, "intermediate")
    monkeypatch.delenv(UNSET, raising=False)
    write(config_dir, PARITY[name])
    block, _, notes = await read_block(hass, config_dir)
    expected = await ha_block(hass)
    assert block == expected
    if name != "package_sets_a_key_twice":
        assert notes.items == []
    assert CANARY not in notes.text


async def test_where_the_keys_are(hass: HomeAssistant, config_dir: Path) -> None:
    write(config_dir, PARITY["inline_packages"])
    _, where, _ = await read_block(hass, config_dir)
    assert where["ip_ban_enabled"] == Location(
        file="configuration.yaml", line=5, key="http.ip_ban_enabled"
    )
    # A list merged from a package is changed where the main block has it.
    assert where["trusted_proxies"].line == 11
    assert where["use_x_forwarded_for"].line == 9


async def test_where_merged_directory_keys_are(
    hass: HomeAssistant, config_dir: Path
) -> None:
    write(config_dir, PARITY["directory_includes"])
    _, where, _ = await read_block(hass, config_dir)
    assert where["trusted_proxies"] == Location(
        file="http/a.yaml", line=1, key="http.trusted_proxies"
    )
    assert where["cors_allowed_origins"].file == "http/b.yaml"


async def test_secret_certificate_paths(
    hass: HomeAssistant, config_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(SET, "intermediate")
    write(config_dir, PARITY["include_secret_env"])
    notes = Notes()
    settings = await async_read_http_settings(hass, config_dir, notes)
    assert notes.items == []
    assert settings.ssl_certificate == "/ssl/fullchain.pem"
    assert settings.ssl_key == "/ssl/privkey.pem"
    assert settings.server_port == 8443
    assert settings.trusted_proxies == (
        ip_network("10.0.0.0/8"),
        ip_network("172.30.33.0/24"),
    )
    assert settings.cors_allowed_origins == ("https://a.example", "https://b.example")
    assert settings.location("ssl_key") == Location(
        file="http.yaml", line=2, key="http.ssl_key"
    )
    assert CANARY not in repr(settings)


def test_only_the_names_asked_for_are_read(tmp_path: Path) -> None:
    secrets = tmp_path / "secrets.yaml"
    secrets.write_text(f"cert_path: /ssl/c.pem\nmqtt_password: {CANARY}\n42: x\n")
    assert read_secret_values(
        str(secrets), "secrets.yaml", frozenset({"cert_path"})
    ) == {"cert_path": "/ssl/c.pem"}
    assert read_secret_values(str(secrets), "secrets.yaml", frozenset({"42"})) == {
        "42": "x"
    }


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (None, "file not found"),
        (f"a: '{CANARY}\nb: [\n", "invalid YAML"),
        (f"- {CANARY}\n", "not a mapping"),
        ("a: 2024-13-45\n", "a value cannot be read"),
        ("[" * 2000 + "]" * 2000 + "\n", "nested too deeply"),
    ],
)
def test_secrets_file_errors_say_nothing_of_it(
    tmp_path: Path, content: str | None, reason: str
) -> None:
    secrets = tmp_path / "secrets.yaml"
    if content is not None:
        secrets.write_text(content)
    with pytest.raises(SecretsUnreadable, match=reason) as caught:
        read_secret_values(str(secrets), "secrets.yaml", frozenset({"a"}))
    assert CANARY not in str(caught.value)
    # Nothing of the parser's error (which may quote the file) travels with it.
    assert caught.value.__cause__ is None
    assert caught.value.__context__ is None or caught.value.__suppress_context__


def test_a_recursion_error_is_a_reason(tmp_path: Path) -> None:
    secrets = tmp_path / "secrets.yaml"
    secrets.write_text("a: 1\n")
    with (
        patch.object(http_yaml_secrets, "parse_yaml", side_effect=RecursionError),
        pytest.raises(SecretsUnreadable, match="nested too deeply"),
    ):
        read_secret_values(str(secrets), "secrets.yaml", frozenset({"a"}))


# --- what cannot be resolved ---------------------------------------------------------------


async def test_unresolved_values_are_left_out_with_a_note(
    hass: HomeAssistant, config_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(UNSET, raising=False)
    write(
        config_dir,
        {
            "configuration.yaml": (
                "http:\n"
                "  ssl_certificate: !secret nowhere\n"
                f"  server_port: !env_var {UNSET}\n"
                "  ssl_profile: !input profile\n"
                "  trusted_proxies:\n    - !secret proxy\n    - !secret tagged\n"
                "  ssl_key: !secret from_env\n"
                "  ip_ban_enabled: false\n"
            ),
            "secrets.yaml": (
                "proxy: 10.0.0.0/8\n"
                f"tagged: !include proxies.yaml\nfrom_env: !env_var {UNSET}\n"
                f"mqtt_password: {CANARY}\n"
            ),
        },
    )
    block, _, notes = await read_block(hass, config_dir)
    assert block == {"ip_ban_enabled": False}
    assert sorted(notes.items) == sorted(
        [
            (
                "the value of http.ssl_certificate (line 2) is not known: "
                "!secret nowhere is not defined",
                "configuration.yaml",
            ),
            (
                f"the value of http.server_port (line 3) is not known: !env_var {UNSET} "
                "is not set and has no default",
                "configuration.yaml",
            ),
            (
                "the value of http.ssl_profile (line 4) is not known: "
                "!input cannot be resolved here",
                "configuration.yaml",
            ),
            (
                "the value of http.trusted_proxies (line 7) is not known: "
                "!include cannot be resolved here",
                "configuration.yaml",
            ),
            (
                f"the value of http.ssl_key (line 8) is not known: !env_var {UNSET} "
                "is not set and has no default",
                "configuration.yaml",
            ),
        ]
    )
    # The unset variable of the block is noted once, as the block's.
    assert not any("cannot load" in reason for reason, _ in notes.items)
    assert CANARY not in notes.text


async def test_secret_value_from_a_variable(
    hass: HomeAssistant, config_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(SET, "/ssl/env.pem")
    write(
        config_dir,
        {
            "configuration.yaml": "http:\n  ssl_certificate: !secret cert\n",
            "secrets.yaml": f"cert: !env_var {SET}\n",
        },
    )
    block, _, notes = await read_block(hass, config_dir)
    assert block == {"ssl_certificate": "/ssl/env.pem"}
    assert notes.items == []


async def test_secrets_file_unreadable_on_the_lookup_path(
    hass: HomeAssistant, config_dir: Path
) -> None:
    write(
        config_dir,
        {
            "configuration.yaml": "http: !include conf/http.yaml\n",
            "conf/http.yaml": "ssl_certificate: !secret cert\n",
            "secrets.yaml": "other: x\n",
        },
    )
    os.mkfifo(config_dir / "conf" / "secrets.yaml")
    block, _, notes = await read_block(hass, config_dir)
    assert block == {}
    assert notes.items == [
        (
            "the value of http.ssl_certificate (line 1) is not known: !secret cert: a "
            "secrets.yaml on its lookup path cannot be read",
            "conf/http.yaml",
        )
    ]


async def test_secrets_file_changed_after_the_graph(
    hass: HomeAssistant, config_dir: Path
) -> None:
    write(
        config_dir,
        {
            "configuration.yaml": (
                "http:\n  ssl_certificate: !secret cert\n  ssl_key: !secret key\n"
            ),
            "secrets.yaml": "cert: /ssl/c.pem\nkey: /ssl/k.pem\n",
        },
    )
    graph = await hass.async_add_executor_job(graph_of, config_dir)
    (config_dir / "secrets.yaml").write_text("cert: /ssl/c.pem\n")
    notes = Notes()
    block, _ = await async_read_yaml_http(hass, config_dir, graph, notes)
    assert block == {"ssl_certificate": "/ssl/c.pem"}
    assert notes.items == [
        (
            "the value of http.ssl_key (line 3) is not known: !secret key is no longer "
            "in secrets.yaml",
            "configuration.yaml",
        )
    ]
    (config_dir / "secrets.yaml").write_text(f"cert: '{CANARY}\n")
    notes = Notes()
    block, _ = await async_read_yaml_http(hass, config_dir, graph, notes)
    assert block == {}
    assert len(notes.items) == 2
    assert all("secrets.yaml: invalid YAML" in reason for reason, _ in notes.items)
    assert CANARY not in notes.text


async def test_unset_variable_elsewhere(
    hass: HomeAssistant, config_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(UNSET, raising=False)
    write(
        config_dir,
        {
            "configuration.yaml": (
                "http:\n  ip_ban_enabled: false\n"
                "mqtt: !include mqtt.yaml\n"
                "lovelace:\n  mode: yaml\n"
            ),
            "mqtt.yaml": (
                f"password: !env_var {UNSET}\nusername: !env_var {UNSET} default-user\n"
            ),
            # Dashboards are loaded on their own: not part of the configuration.
            "ui-lovelace.yaml": f"title: !env_var {UNSET}\n",
        },
    )
    block, _, notes = await read_block(hass, config_dir)
    assert block == {"ip_ban_enabled": False}
    assert notes.items == [
        (
            f"cannot load this configuration: !env_var {UNSET} (line 1) is not set and "
            "has no default; Home Assistant refuses to start with it",
            "mqtt.yaml",
        )
    ]


# --- includes and packages that cannot be followed -----------------------------------------


async def test_missing_include_of_the_block(
    hass: HomeAssistant, config_dir: Path
) -> None:
    write(config_dir, {"configuration.yaml": "http: !include nowhere.yaml\n"})
    block, _, notes = await read_block(hass, config_dir)
    assert block is None
    assert notes.items == [
        (
            "the http: block may be incomplete: nowhere.yaml could not be read",
            "nowhere.yaml",
        )
    ]


async def test_broken_package_file(hass: HomeAssistant, config_dir: Path) -> None:
    write(
        config_dir,
        {
            "configuration.yaml": (
                "homeassistant:\n  packages: !include_dir_named packages\n"
                "http:\n  ip_ban_enabled: true\n"
            ),
            "packages/web.yaml": "http:\n  use_x_frame_options: [\n",
            "packages/lights.yaml": "light: []\n",
            "packages/sub/loop.yaml": "a: !include loop.yaml\n",
        },
    )
    block, _, notes = await read_block(hass, config_dir)
    assert block == {"ip_ban_enabled": True}
    assert notes.items == [
        (
            "the http: block may be incomplete: packages/web.yaml could not be read",
            "packages/web.yaml",
        )
    ]


async def test_a_file_that_failed_as_something_else_is_not_blamed(
    hass: HomeAssistant, config_dir: Path
) -> None:
    """A broken file under the packages folder, first included as `panel_custom:` items of
    a package: its own note names that include, and the http: block is not blamed."""
    write(
        config_dir,
        {
            "configuration.yaml": (
                "homeassistant:\n  packages: !include_dir_named packages\n"
            ),
            "packages/frontend.yaml": "panel_custom: !include_dir_merge_list panels\n",
            "packages/net.yaml": "http:\n  ip_ban_enabled: false\n",
            "packages/panels/bad.yaml": "- name: x\n  y: [\n",
        },
    )
    block, _, notes = await read_block(hass, config_dir)
    assert block == {"ip_ban_enabled": False}
    assert notes.items == []


@pytest.mark.parametrize(
    ("mount", "may"),
    [
        (None, True),
        ((), True),
        (("http",), True),
        (("homeassistant",), True),
        (("homeassistant", "packages"), True),
        (("homeassistant", "packages", "net"), True),
        (("homeassistant", "packages", "net", "http"), True),
        (("homeassistant", "packages", "net", "panel_custom"), False),
        (("homeassistant", "customize"), False),
        (("panel_custom",), False),
        (("automation",), False),
    ],
)
def test_may_hold_http(mount: tuple[str, ...] | None, may: bool) -> None:
    assert http_yaml.may_hold_http(mount) is may


async def test_files_a_directory_include_skips(
    hass: HomeAssistant, config_dir: Path
) -> None:
    """Files of the graph in an included directory that Home Assistant does not load."""
    write(
        config_dir,
        {
            "configuration.yaml": (
                "homeassistant:\n  packages: !include_dir_named packages\n"
                "http: !include missing.yaml\n"
                "mqtt: !include broken.yaml\n"
                "old: !include packages/.old/web.yaml\n"
                "key: !include packages/key.json\n"
            ),
            "broken.yaml": "a: [\n",
            "packages/.old/web.yaml": "http:\n  ip_ban_enabled: false\n",
            "packages/key.json": '{"http": {"ip_ban_enabled": false}}\n',
            "packages/web.yaml": (
                "http: !include ../missing.yaml\n"
                "automation: !include_dir_list ../automations\n"
                "sensor: !include ../nowhere.yaml\n"
            ),
            "automations/one.yaml": "alias: one\n",
        },
    )
    block, _, notes = await read_block(hass, config_dir)
    assert block == {}  # the package's block is an include that is missing
    # Said once, though two includes need it; files outside the path are not mentioned.
    assert notes.items == [
        (
            "the http: block may be incomplete: missing.yaml could not be read",
            "missing.yaml",
        )
    ]


async def test_include_loop_of_the_block(hass: HomeAssistant, config_dir: Path) -> None:
    write(
        config_dir,
        {
            "configuration.yaml": "http: !include a.yaml\n",
            "a.yaml": "!include a.yaml\n",
        },
    )
    block, _, _ = await read_block(hass, config_dir)
    assert block is None


async def test_packages_home_assistant_does_not_merge(
    hass: HomeAssistant, config_dir: Path
) -> None:
    write(
        config_dir,
        {
            "configuration.yaml": (
                "homeassistant:\n  packages:\n"
                "    Not-A-Slug:\n      http:\n        ip_ban_enabled: false\n"
                "    scalar_domain:\n      http:\n        server_port: 1\n      x: 5\n"
                "    listed: [1]\n"
                "    odd_http:\n      http: [1]\n"
                "    fine:\n      http:\n        ssl_profile: intermediate\n"
            ),
        },
    )
    block, _, notes = await read_block(hass, config_dir)
    assert block == await ha_block(hass)
    assert block == {"ssl_profile": "intermediate"}
    assert notes.items == [
        ("package odd_http: its http: block cannot be merged", "configuration.yaml")
    ]


async def test_packages_not_merged_at_all(
    hass: HomeAssistant, config_dir: Path
) -> None:
    write(
        config_dir,
        {
            "configuration.yaml": (
                "homeassistant:\n  packages:\n"
                "    web:\n      http:\n        ip_ban_enabled: false\n"
                "    empty:\n"
                "http:\n  server_port: 8123\n"
            ),
        },
    )
    block, _, notes = await read_block(hass, config_dir)
    assert block == {"server_port": 8123}
    assert notes.items == [
        (
            "packages are not merged: a package is not a mapping",
            "configuration.yaml",
        )
    ]


async def test_block_that_is_not_a_mapping(
    hass: HomeAssistant, config_dir: Path
) -> None:
    write(
        config_dir,
        {
            "configuration.yaml": (
                "http:\n  - server_port: 1\n"
                "homeassistant:\n  packages:\n    web:\n      http:\n"
                "        ip_ban_enabled: false\n"
            ),
        },
    )
    block, _, notes = await read_block(hass, config_dir)
    assert block is None
    assert notes.items == [
        ("the http: block is not a mapping", "configuration.yaml"),
        ("package web: its http: block cannot be merged", "configuration.yaml"),
    ]


async def test_package_duplicate_is_noted(
    hass: HomeAssistant, config_dir: Path
) -> None:
    write(config_dir, PARITY["package_sets_a_key_twice"])
    block, where, notes = await read_block(hass, config_dir)
    assert block == {"ip_ban_enabled": True, "server_port": 8443}
    assert where["ip_ban_enabled"].file == "configuration.yaml"
    assert where["server_port"] == Location(
        file="web.yaml", line=2, key="http.server_port"
    )
    assert notes.items == [
        (
            "package web: http.ip_ban_enabled is set more than once; Home Assistant "
            "keeps the first and merges no more of this package",
            "web.yaml",
        )
    ]


def test_nested_mappings_are_kept_not_merged(tmp_path: Path) -> None:
    (tmp_path / "configuration.yaml").write_text(
        "http:\n  extra: {a: 1}\nhomeassistant:\n  packages:\n"
        "    one:\n      http:\n        extra: {b: 2}\n        other: {c: 3}\n"
        "        empty: {}\n"
    )
    reader = http_yaml._BlockReader(graph_of(tmp_path))
    configuration = graph_of(tmp_path).file("configuration.yaml")
    assert configuration is not None
    found = reader.read(configuration.root)
    assert found.block == {"extra": {"a": 1}, "other": {"c": 3}}
    assert config_graph.origin_of({}, "x") == (None, None)


# --- no configuration, or one that cannot be read ------------------------------------------


async def test_no_configuration_is_quiet(hass: HomeAssistant, config_dir: Path) -> None:
    block, where, notes = await read_block(hass, config_dir)
    assert (block, where, notes.items) == (None, {}, [])


async def test_empty_configuration(hass: HomeAssistant, config_dir: Path) -> None:
    write(config_dir, {"configuration.yaml": "# nothing yet\n"})
    block, _, notes = await read_block(hass, config_dir)
    assert (block, notes.items) == (None, [])


async def test_unreadable_configuration_falls_back_to_the_server(
    hass: HomeAssistant, config_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    assert await async_setup_component(
        hass,
        "http",
        {"http": {"ip_ban_enabled": False, "use_x_frame_options": False}},
    )
    write(
        config_dir,
        {"configuration.yaml": f"http:\n  ip_ban_enabled: true\n  x: '{CANARY}\n"},
    )
    caplog.clear()
    caplog.set_level(logging.DEBUG)
    ctx = ScanContext(
        hass=hass, config_dir=config_dir, now=dt_util.utcnow(), options={}
    )
    settings = await async_get_http_settings(ctx)
    assert settings.ip_ban_enabled is False
    assert settings.use_x_frame_options is False
    assert settings.source_of("ip_ban_enabled") == SOURCE_SERVER
    assert settings.base != SOURCE_YAML
    # Nothing is said about what a restart would change: the file is not known.
    assert not any("restart" in remark for remark in settings.remarks)
    remote = [n for n in ctx.notes if n.family is Family.REMOTE_ACCESS]
    unreadable = (
        "configuration.yaml",
        "cannot read configuration.yaml: invalid YAML at line 4, column 1: "
        "unexpected end of the file",
    )
    if RUNNING_RELEASE.migrates_yaml:
        # 2026.8 and later run the configuration `http` was given from its pending slot.
        assert settings.base == SOURCE_PENDING
        (trial,) = settings.remarks
        assert trial.startswith("a new configuration is on trial")
        assert [(n.file, n.reason.split(";")[0]) for n in remote] == [
            unreadable,
            (".storage/http", f"HTTP settings from {settings.source}: {trial}"),
        ]
    else:
        assert settings.remarks == ()
        assert [(n.file, n.reason.split(";")[0]) for n in remote] == [unreadable]
    assert "running server" in remote[0].reason
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert CANARY not in caplog.text
    assert CANARY not in repr(ctx.notes)


async def test_a_fifo_configuration_does_not_block(
    hass: HomeAssistant, config_dir: Path
) -> None:
    os.mkfifo(config_dir / "configuration.yaml")
    block, _, notes = await read_block(hass, config_dir)
    assert block is None
    assert notes.items[0][0].startswith(
        "cannot read configuration.yaml: not a regular file"
    )
