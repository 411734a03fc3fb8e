"""The frontend's code URLs and the resource mode, found in the configuration graph."""

from __future__ import annotations

from pathlib import Path

from custom_components.security_posture.inspect.frontend_yaml import (
    FrontendYaml,
    Source,
    read_frontend_yaml,
)
from custom_components.security_posture.inspect.graph_reader import read_config_graph

from .test_config_files import write


def read(tmp_path: Path, files: dict[str, str]) -> FrontendYaml:
    return read_frontend_yaml(read_config_graph(write(tmp_path, files), {}))


def test_extras_and_resources_with_their_place(tmp_path: Path) -> None:
    found = read(
        tmp_path,
        {
            "configuration.yaml": (
                "frontend:\n"
                "  themes: !include_dir_merge_named themes\n"
                "  extra_module_url:\n"
                "    - /local/card-mod.js\n"
                "    - https://cdn.example.com/mod.js\n"
                "  extra_js_url_es5: https://cdn.example.com/es5.js\n"
                "lovelace:\n"
                "  mode: YAML\n"
                "  resources:\n"
                "    - url: https://unpkg.com/card.js\n"
                "      type: module\n"
                "    - url: /hacsfiles/x/x.js\n"
                "      type: js\n"
                "    - type: css\n"
                "sensor:\n"
                "  - platform: rest\n"
                "    resource: https://api.example.com/x\n"
            ),
            "themes/dark.yaml": "dark:\n  primary-color: black\n",
        },
    )
    assert [(u.source, u.url, u.file, u.line, u.key) for u in found.extras] == [
        (
            Source.EXTRA_MODULE_URL,
            "/local/card-mod.js",
            "configuration.yaml",
            4,
            "frontend.extra_module_url[0]",
        ),
        (
            Source.EXTRA_MODULE_URL,
            "https://cdn.example.com/mod.js",
            "configuration.yaml",
            5,
            "frontend.extra_module_url[1]",
        ),
        (
            Source.EXTRA_JS_URL_ES5,
            "https://cdn.example.com/es5.js",
            "configuration.yaml",
            6,
            "frontend.extra_js_url_es5",
        ),
    ]
    assert [(u.url, u.line, u.key, u.resource_type) for u in found.resources] == [
        ("https://unpkg.com/card.js", 10, "lovelace.resources[0].url", "module"),
        ("/hacsfiles/x/x.js", 12, "lovelace.resources[1].url", "js"),
    ]
    assert found.resource_mode == "yaml"
    assert found.yaml_resources == found.resources


def test_includes_and_packages(tmp_path: Path) -> None:
    found = read(
        tmp_path,
        {
            "configuration.yaml": (
                "homeassistant:\n"
                "  packages: !include_dir_named packages\n"
                "frontend: !include frontend.yaml\n"
                "lovelace:\n"
                "  resource_mode: yaml\n"
                "  resources: !include resources.yaml\n"
            ),
            "frontend.yaml": "extra_module_url: !include modules.yaml\n",
            "modules.yaml": "- https://a.example/x.js\n",
            "resources.yaml": "- url: https://b.example/y.js\n  type: module\n",
            "packages/ui.yaml": (
                "frontend:\n"
                "  extra_module_url:\n"
                "    - https://c.example/z.js\n"
                "lovelace:\n"
                "  resources:\n"
                "    - url: https://d.example/w.js\n"
            ),
        },
    )
    assert sorted((u.url, u.file, u.key) for u in found.extras) == [
        ("https://a.example/x.js", "modules.yaml", "[0]"),
        ("https://c.example/z.js", "packages/ui.yaml", "frontend.extra_module_url[0]"),
    ]
    assert sorted((u.url, u.file, u.key) for u in found.resources) == [
        ("https://b.example/y.js", "resources.yaml", "[0].url"),
        ("https://d.example/w.js", "packages/ui.yaml", "lovelace.resources[0].url"),
    ]
    assert found.resource_mode == "yaml"


def test_merged_packages_in_one_file(tmp_path: Path) -> None:
    found = read(
        tmp_path,
        {
            "configuration.yaml": (
                "homeassistant:\n"
                "  packages:\n"
                "    ui:\n"
                "      frontend:\n"
                "        extra_module_url: https://e.example/x.js\n"
                "    other:\n"
                "      homeassistant:\n"
                "        customize: {}\n"
            ),
        },
    )
    assert [(u.url, u.key) for u in found.extras] == [
        (
            "https://e.example/x.js",
            "homeassistant.packages.ui.frontend.extra_module_url",
        )
    ]


def test_values_from_secrets_are_hidden(tmp_path: Path) -> None:
    found = read(
        tmp_path,
        {
            "configuration.yaml": (
                "frontend:\n"
                "  extra_module_url:\n"
                "    - !secret module_url\n"
                "  extra_js_url_es5: !env_var ES5_URL\n"
                "lovelace:\n"
                "  mode: yaml\n"
                "  resources:\n"
                "    - url: !secret card_url\n"
            ),
            "secrets.yaml": "module_url: https://x.example/a.js\ncard_url: https://y.example/b.js\n",
        },
    )
    assert found.extras == []
    assert found.resources == []
    assert found.hidden == {
        Source.EXTRA_MODULE_URL,
        Source.EXTRA_JS_URL_ES5,
        Source.RESOURCE,
    }


def test_dashboard_resources_are_the_fallback(tmp_path: Path) -> None:
    found = read(
        tmp_path,
        {
            "configuration.yaml": "lovelace:\n  mode: yaml\n",
            "ui-lovelace.yaml": (
                "resources:\n  - url: https://f.example/card.js\n    type: module\n"
                "views: []\n"
            ),
        },
    )
    assert found.resources == []
    assert [(u.url, u.file, u.key) for u in found.yaml_resources] == [
        ("https://f.example/card.js", "ui-lovelace.yaml", "resources[0].url")
    ]


def test_other_dashboards_resources_are_not_loaded(tmp_path: Path) -> None:
    found = read(
        tmp_path,
        {
            "configuration.yaml": (
                "lovelace:\n"
                "  mode: yaml\n"
                "  dashboards:\n"
                "    my-dash:\n"
                "      mode: yaml\n"
                "      title: Mine\n"
                "      filename: mine.yaml\n"
            ),
            "mine.yaml": "resources:\n  - url: https://g.example/x.js\nviews: []\n",
        },
    )
    assert found.yaml_resources == []


def test_defaults_and_odd_values(tmp_path: Path) -> None:
    found = read(
        tmp_path,
        {
            "configuration.yaml": (
                "lovelace:\n"
                "  resources:\n"
                "    - url: [https://h.example/x.js]\n"
                "    - url: 12\n"
                "    - url: https://i.example/y.js\n"
                "      type: [module]\n"
                "frontend:\n"
                "  extra_module_url: {a: https://j.example/x.js}\n"
            ),
        },
    )
    assert found.resource_mode == "storage"
    assert [(u.url, u.resource_type) for u in found.resources] == [
        ("https://i.example/y.js", None)
    ]
    assert found.extras == []


def test_no_configuration(tmp_path: Path) -> None:
    found = read(tmp_path, {"other.yaml": "a: 1\n"})
    assert found == FrontendYaml()
    assert found.resource_mode == "storage"
