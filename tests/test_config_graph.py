"""The include resolver: what Home Assistant's loader puts where an include is."""

from __future__ import annotations

from pathlib import Path

from custom_components.security_posture.inspect.config_graph import (
    IncludeResolver,
    MergedMap,
    graph_path,
    origin_of,
)
from custom_components.security_posture.inspect.exposure import core_uses_secret
from custom_components.security_posture.inspect.graph_reader import read_config_graph
from custom_components.security_posture.inspect.yaml_nodes import (
    INCLUDE,
    INCLUDE_DIR_LIST,
    INCLUDE_DIR_MERGE_LIST,
    INCLUDE_DIR_MERGE_NAMED,
    INCLUDE_DIR_NAMED,
    Include,
    YamlMap,
)

from .helpers import write


def resolver(config_dir: Path) -> IncludeResolver:
    return read_config_graph(config_dir, {}).includes()


def marker(tag: str, target: str, file: str = "configuration.yaml") -> Include:
    return Include(tag=tag, target=target, file=file, line=1)


def test_graph_paths_are_relative_inside_and_absolute_outside(tmp_path: Path) -> None:
    config = str(tmp_path)
    assert graph_path(config, f"{config}/a/b.yaml") == "a/b.yaml"
    assert graph_path(config, f"{config}/") == ""
    assert graph_path(config, "/elsewhere/x.yaml") == "/elsewhere/x.yaml"
    assert graph_path(config, f"{config}-other/x.yaml") == f"{config}-other/x.yaml"


def test_a_target_is_relative_to_the_including_file(tmp_path: Path) -> None:
    includes = IncludeResolver(str(tmp_path), ())
    assert includes.target(marker(INCLUDE, "x.yaml", "pkg/one.yaml")) == "pkg/x.yaml"
    assert includes.target(marker(INCLUDE, "../x.yaml", "pkg/one.yaml")) == "x.yaml"
    assert includes.target(marker(INCLUDE, "/etc/x.yaml")) == "/etc/x.yaml"
    outside = includes.target(marker(INCLUDE, "../x.yaml"))
    assert outside == str(tmp_path.parent / "x.yaml")


def test_each_include_form_loads_what_annotatedyaml_loads(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "configuration.yaml": (
                "a: !include one.yaml\n"
                "b: !include_dir_list items\n"
                "c: !include_dir_merge_list items\n"
                "d: !include_dir_named items\n"
                "e: !include_dir_merge_named named\n"
                "f: !include empty.yaml\n"
            ),
            "one.yaml": "x: 1\n",
            "empty.yaml": "",
            "items/b.yaml": "- 2\n- 3\n",
            "items/a.yaml": "- 1\n",
            "items/sub/c.yaml": "- 4\n",
            "items/.hidden.yaml": "- 9\n",
            "items/.dot/z.yaml": "- 9\n",
            "items/secrets.yaml": "s: 9\n",
            "items/notes.txt": "9\n",
            "named/one.yaml": "k: 1\nl: 2\n",
            "named/two.yaml": "k: 3\n",
        },
    )
    includes = resolver(tmp_path)
    assert includes.value(marker(INCLUDE, "one.yaml")) == {"x": 1}
    assert includes.value(marker(INCLUDE, "empty.yaml")) == YamlMap()
    assert includes.value(marker(INCLUDE, "missing.yaml")) is None
    assert [f.path for f in includes.members("items")] == [
        "items/a.yaml",
        "items/b.yaml",
        "items/sub/c.yaml",
    ]
    assert includes.value(marker(INCLUDE_DIR_LIST, "items")) == [[1], [2, 3], [4]]
    assert includes.value(marker(INCLUDE_DIR_MERGE_LIST, "items")) == [1, 2, 3, 4]
    assert includes.value(marker(INCLUDE_DIR_NAMED, "items")) == {
        "a": [1],
        "b": [2, 3],
        "c": [4],
    }
    merged = includes.value(marker(INCLUDE_DIR_MERGE_NAMED, "named"))
    assert isinstance(merged, MergedMap)
    assert merged == {"k": 3, "l": 2}
    assert origin_of(merged, "k") == ("named/two.yaml", 1)
    assert origin_of(merged, "l") == ("named/one.yaml", 2)
    assert origin_of(merged, "m") == (None, None)
    assert origin_of({"k": 1}, "k") == (None, None)


def test_follow_goes_through_chains_and_stops_on_loops(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "configuration.yaml": "a: !include one.yaml\nb: !include loop.yaml\n",
            "one.yaml": "!include two.yaml\n",
            "two.yaml": "x: 1\n",
            "loop.yaml": "!include loop.yaml\n",
        },
    )
    graph = read_config_graph(tmp_path, {})
    includes = graph.includes()
    root = graph.file("configuration.yaml")
    assert root is not None
    assert includes.follow(root.root["a"]) == {"x": 1}
    assert includes.follow(root.root["b"]) is None
    assert includes.follow("plain") == "plain"


def test_dashboards_are_left_out_unless_asked(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "configuration.yaml": "lovelace:\n  mode: yaml\n",
            "ui-lovelace.yaml": "views: []\n",
        },
    )
    graph = read_config_graph(tmp_path, {})
    assert "ui-lovelace.yaml" not in graph.includes().files
    assert "ui-lovelace.yaml" in graph.includes(dashboards=True).files


def test_core_settings_from_secrets_are_found_through_includes(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "configuration.yaml": "homeassistant: !include core.yaml\n",
            "core.yaml": "!include core2.yaml\n",
            "core2.yaml": "external_url: !secret url\nname: Home\n",
        },
    )
    graph = read_config_graph(tmp_path, {})
    assert core_uses_secret(graph, "external_url")
    assert not core_uses_secret(graph, "name")
    assert not core_uses_secret(graph, "internal_url")


def test_an_empty_configuration_uses_no_secret(tmp_path: Path) -> None:
    write(tmp_path, {"configuration.yaml": ""})
    assert not core_uses_secret(read_config_graph(tmp_path, {}), "external_url")
    write(tmp_path, {"configuration.yaml": "homeassistant: 1\n"})
    assert not core_uses_secret(read_config_graph(tmp_path, {}), "external_url")
