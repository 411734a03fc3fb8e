"""The configuration graph reader: what Home Assistant loads, with file and line, and bad input."""

from __future__ import annotations

from datetime import UTC, datetime
import os
from pathlib import Path
import shutil
from typing import Any
from unittest.mock import patch

from homeassistant.core import HomeAssistant
import pytest

from custom_components.security_posture.engine import ScanContext
from custom_components.security_posture.inspect import (
    graph_reader,
    yaml_files,
    yaml_loader,
)
from custom_components.security_posture.inspect.config_facts import (
    SCAN_CLIENT,
    async_get_config_graph,
)
from custom_components.security_posture.inspect.config_graph import ConfigGraph
from custom_components.security_posture.inspect.graph_reader import read_config_graph
from custom_components.security_posture.inspect.key_paths import format_key_path, walk
from custom_components.security_posture.inspect.safe_read import kernel_tree
from custom_components.security_posture.inspect.yaml_loader import parse_yaml
from custom_components.security_posture.inspect.yaml_nodes import (
    BadTag,
    EnvVarRef,
    Include,
    InputRef,
    SecretRef,
    YamlList,
    YamlMap,
)
from custom_components.security_posture.model import Family

FIXTURES = Path(__file__).parent / "fixtures" / "secrets"


def write(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write `files` (relative path -> content) under `root`; return `root`."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def graph_fixture(tmp_path: Path) -> Path:
    target = tmp_path / "graph"
    shutil.copytree(FIXTURES / "graph", target)
    return target


def reasons(graph: ConfigGraph) -> dict[str | None, str]:
    return {p.file: p.reason for p in graph.problems}


# --- the loader -------------------------------------------------------------------------


def test_parse_records_lines_of_keys_values_and_items() -> None:
    text = (
        "a: 1\n"  # 1
        "b:\n"  # 2
        "  c: true\n"  # 3
        "  d: null\n"  # 4
        "  e:\n"  # 5
        "    - 2.5\n"  # 6
        "    -\n"  # 7
        "      f: text\n"  # 8
        "g: >-\n"  # 9
        "  folded\n"  # 10
    )
    root, problems = parse_yaml(text, "x.yaml")
    assert problems == []
    assert isinstance(root, YamlMap)
    assert root.file == "x.yaml"
    assert root.line == 1
    assert root.key_lines == {"a": 1, "b": 2, "g": 9}
    assert root.value_lines == {"a": 1, "b": 3, "g": 9}
    inner = root["b"]
    assert isinstance(inner, YamlMap)
    assert inner.key_lines == {"c": 3, "d": 4, "e": 5}
    assert inner.value_lines["c"] == 3
    assert inner.value_lines["d"] == 4
    items = inner["e"]
    assert isinstance(items, YamlList)
    assert items.item_lines == [
        6,
        8,
    ]  # the mapping starts on the line after a bare dash
    assert items[0] == 2.5
    assert items[1]["f"] == "text"
    assert type(items[1]["f"]) is str
    assert root["g"] == "folded"


def test_parse_returns_markers_instead_of_resolving() -> None:
    text = (
        "a: !include other.yaml\n"
        "b: !include_dir_named dir\n"
        "c: !secret name\n"
        "d: !env_var NAME some default\n"
        "e: !env_var ONLY\n"
        "f: !input light\n"
        "g: !include_dir_list l\n"
        "h: !include_dir_merge_list ml\n"
        "i: !include_dir_merge_named mn\n"
    )
    root, problems = parse_yaml(text, "conf.yaml")
    assert problems == []
    assert root["a"] == Include(
        tag="!include", target="other.yaml", file="conf.yaml", line=1
    )
    assert root["b"] == Include(
        tag="!include_dir_named", target="dir", file="conf.yaml", line=2
    )
    assert root["c"] == SecretRef(name="name", file="conf.yaml", line=3)
    assert root["d"] == EnvVarRef(
        name="NAME", default="some default", file="conf.yaml", line=4
    )
    assert root["e"] == EnvVarRef(name="ONLY", default=None, file="conf.yaml", line=5)
    assert root["f"] == InputRef(name="light", file="conf.yaml", line=6)
    assert [root[k].tag for k in "ghi"] == [
        "!include_dir_list",
        "!include_dir_merge_list",
        "!include_dir_merge_named",
    ]
    # The default of an env var is written in the file but never shown in a repr.
    assert "some default" not in repr(root["d"])


def test_tags_without_argument_are_problems_not_errors() -> None:
    root, problems = parse_yaml(
        "a: !secret\nb: !include\nc: !env_var ''\nd: !secret [x]\n", "f"
    )
    assert root["a"] == BadTag(tag="!secret", file="f", line=1)
    assert root["b"] == BadTag(tag="!include", file="f", line=2)
    assert root["c"] == BadTag(tag="!env_var", file="f", line=3)
    assert root["d"] == BadTag(tag="!secret", file="f", line=4)
    assert problems == [
        (1, "!secret needs an argument"),
        (2, "!include needs an argument"),
        (3, "!env_var needs an argument"),
        (4, "!secret needs an argument"),
    ]
    # An env var whose argument is only blanks has no name either.
    root, problems = parse_yaml("a: !env_var ' '\n", "f")
    assert root["a"] == BadTag(tag="!env_var", file="f", line=1)
    assert problems == []


def test_merge_keys_and_aliases() -> None:
    text = (
        "base: &base\n"  # 1
        "  user: admin\n"  # 2
        "  port: 80\n"  # 3
        "child:\n"  # 4
        "  <<: *base\n"  # 5
        "  port: 81\n"  # 6
        "again: *base\n"  # 7
    )
    root, _ = parse_yaml(text, "f")
    assert root["child"] == {"user": "admin", "port": 81}
    # A merged key keeps the line where it is written: in the anchor.
    assert root["child"].value_lines == {"user": 2, "port": 6}
    assert root["again"] is root["base"]


def test_merges_with_the_python_loader() -> None:
    # Nesting deeper than the C loader is trusted with sends the file to the Python one.
    text = (
        "base: &b {user: admin, port: 80}\nchild: {<<: *b, port: 81}\nx: '"
        + "[" * 120
        + "'\n"
    )
    root, _ = parse_yaml(text, "f")
    assert root["child"] == {"user": "admin", "port": 81}
    assert root["child"].value_lines == {"user": 1, "port": 2}


def test_merge_chains_stay_linear() -> None:
    # Each level merges the previous one twice: without deduplication the pairs double at
    # every level (2**40 here).
    lines = ["l0: &l0 {a: 1, b: 2}"]
    lines.extend(
        f"l{i}: &l{i} {{<<: [*l{i - 1}, *l{i - 1}], k{i}: {i}}}" for i in range(1, 41)
    )
    root, _ = parse_yaml("\n".join(lines) + "\n", "f")
    assert len(root["l40"]) == 42


def test_unhashable_key_is_invalid_yaml() -> None:
    with pytest.raises(yaml_loader.yaml.YAMLError):
        parse_yaml("? [a, b]\n: c\n", "f")


def test_deep_nesting_does_not_crash_the_process() -> None:
    # libyaml's composer would overflow the C stack on these: they are refused unparsed.
    with pytest.raises(yaml_loader.NestedTooDeeply):
        parse_yaml("[" * 200_000 + "]" * 200_000, "f")
    block = "".join(" " * i + "- a:\n" for i in range(0, 2400, 2))
    with pytest.raises(yaml_loader.NestedTooDeeply):
        parse_yaml(block, "f")
    # Deeper than libyaml is trusted with: the Python loader, which stops cleanly.
    with pytest.raises(RecursionError):
        parse_yaml("[" * 600 + "]" * 600, "f")
    root, _ = parse_yaml("a: " + "[" * 150 + "]" * 150 + "\n", "f")
    assert isinstance(root["a"], YamlList)


def test_nesting_estimate() -> None:
    assert yaml_loader.nesting_estimate("a: 1\n") == 1
    text = (
        "a:\n"
        "  b:\n"
        "    - - c: [1, {d: 2}]\n"
        "      # a comment at any indentation\n"
        "  e: x\n"
    )
    # a, b, the dash line (3 indents + 2 dashes), flow [ and {.
    assert yaml_loader.nesting_estimate(text) == 7
    # Brackets in strings count (an overestimate), a stray closing one does not go below 0.
    assert yaml_loader.nesting_estimate("a: ']]][['\n") == 3


def test_walk_visits_every_value_once_with_key_paths() -> None:
    root, _ = parse_yaml(
        "a:\n  - x: 1\n  - &y {z: 2}\nb: *y\n'light.kitchen': {icon: 'mdi:x'}\n", "f"
    )
    entries = {entry.key: entry.line for entry in walk(root)}
    assert entries == {
        "": 1,
        "a": 2,
        "a[0]": 2,
        "a[0].x": 2,
        "a[1]": 3,
        "a[1].z": 3,
        "b": 3,  # an alias is where its anchor is written; not walked twice
        '["light.kitchen"]': 5,
        '["light.kitchen"].icon': 5,
    }


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        ((), ""),
        (("mqtt", "password"), "mqtt.password"),
        (("sensor", 2, "password"), "sensor[2].password"),
        ((0, "url"), "[0].url"),
        (("customize", "light.x", "icon"), 'customize["light.x"].icon'),
        (("a", "", 'q"b'), 'a[""]["q\\"b"]'),
        (("Living Room", "code"), "Living Room.code"),
    ],
)
def test_format_key_path(parts: tuple[Any, ...], expected: str) -> None:
    assert format_key_path(parts) == expected


# --- the graph --------------------------------------------------------------------------


def test_graph_follows_what_home_assistant_loads(tmp_path: Path) -> None:
    graph = read_config_graph(graph_fixture(tmp_path), {})
    assert graph.root_problem is None
    assert graph.problems == ()
    assert graph.complete
    files = {f.path: f for f in graph.files}
    assert list(files) == [
        "configuration.yaml",
        # !include_dir_named: recursive, sorted, dot files/dirs, secrets.yaml, *.txt skipped
        "packages/network.yaml",
        "packages/sub/deep.yaml",
        "customize.yaml",
        "automations.yaml",
        # !include_dir_list, sorted by name
        "automations/a_first.yaml",
        "automations/b_second.yaml",
        "sensors/weather.yaml",
        "groups/rooms.yaml",
        "private/settings.yaml",
        # YAML-mode dashboards (storage-mode ones have no file)
        "dashboards/wall.yaml",
    ]
    assert files["configuration.yaml"].role == "configuration"
    assert files["configuration.yaml"].via is None
    assert files["dashboards/wall.yaml"].role == "dashboard"
    network = files["packages/network.yaml"]
    assert network.role == "include"
    assert network.mount == ("homeassistant", "packages", "network")
    assert network.via == Include(
        tag="!include_dir_named", target="packages", file="configuration.yaml", line=6
    )
    assert files["packages/sub/deep.yaml"].mount == (
        "homeassistant",
        "packages",
        "deep",
    )
    assert files["automations.yaml"].mount == ("automation",)
    assert files["automations/a_first.yaml"].mount == ("automation manual",)
    assert files["sensors/weather.yaml"].mount == ("sensor",)
    assert files["customize.yaml"].mount == ("homeassistant", "customize")
    assert files["configuration.yaml"].lines == 31
    assert files["automations.yaml"].lines == 9
    main = files["configuration.yaml"]
    assert main.size == (tmp_path / "graph" / "configuration.yaml").stat().st_size
    assert [(e.marker.name, e.key) for e in main.env_vars] == [
        ("HA_TOKEN", "api_token"),
        ("HA_DEBUG", "debug_flag"),
    ]
    assert [located.key for located in main.includes] == [
        "homeassistant.packages",
        "homeassistant.customize",
        "automation",
        "automation manual",
        "sensor",
        "group",
        "private",
    ]
    assert graph.file("customize.yaml") is files["customize.yaml"]
    assert graph.file("nope.yaml") is None


def test_secrets_are_looked_up_like_home_assistant(tmp_path: Path) -> None:
    graph = read_config_graph(graph_fixture(tmp_path), {})
    uses = {(u.file, u.name): u for u in graph.secret_uses}
    assert set(uses) == {
        ("configuration.yaml", "home_latitude"),
        ("configuration.yaml", "mqtt_password"),
        ("packages/network.yaml", "smtp_password"),
        ("packages/sub/deep.yaml", "shadowed"),
        ("private/settings.yaml", "private_option"),
        ("private/settings.yaml", "home_latitude"),
    }
    latitude = uses["configuration.yaml", "home_latitude"]
    assert (latitude.line, latitude.key) == (4, "homeassistant.latitude")
    assert latitude.defined_in == "secrets.yaml"
    assert latitude.lookup == ("secrets.yaml",)
    # From packages/sub: packages/sub (none), packages, then the configuration directory.
    shadowed = uses["packages/sub/deep.yaml", "shadowed"]
    assert shadowed.defined_in == "packages/secrets.yaml"
    assert shadowed.key == "script.deep.fields.value.default"
    smtp = uses["packages/network.yaml", "smtp_password"]
    assert smtp.defined_in == "packages/secrets.yaml"
    assert smtp.key == "notify[0].password"
    undefined = uses["private/settings.yaml", "private_option"]
    assert undefined.defined_in is None
    assert undefined.decidable
    assert undefined.lookup == ("secrets.yaml",)
    assert uses["private/settings.yaml", "home_latitude"].defined_in == "secrets.yaml"
    # Names and lines only; `logger` is Home Assistant's switch, not a secret.
    assert {(d.file, d.name, d.line) for d in graph.secret_defs} == {
        ("secrets.yaml", "home_latitude", 2),
        ("secrets.yaml", "mqtt_password", 3),
        ("secrets.yaml", "never_used", 4),
        ("secrets.yaml", "shadowed", 5),
        ("packages/secrets.yaml", "smtp_password", 1),
        ("packages/secrets.yaml", "shadowed", 2),
    }


def test_no_secret_value_is_kept(tmp_path: Path) -> None:
    graph = read_config_graph(graph_fixture(tmp_path), cache := {})
    assert "canary" not in repr(graph)
    assert "canary" not in repr(cache)


def test_secret_in_a_file_outside_the_config_dir_is_undefined(tmp_path: Path) -> None:
    write(
        tmp_path,
        {"outside.yaml": "x: !secret name\n", "config/secrets.yaml": "name: v\n"},
    )
    config = write(
        tmp_path / "config", {"configuration.yaml": "a: !include ../outside.yaml\n"}
    )
    graph = read_config_graph(config, {})
    outside = str(tmp_path / "outside.yaml")
    assert [f.path for f in graph.files] == ["configuration.yaml", outside]
    (use,) = graph.secret_uses
    assert use.file == outside
    assert use.defined_in is None
    assert use.lookup == ()
    assert use.decidable


def test_unreadable_secrets_file_leaves_the_lookup_undecided(tmp_path: Path) -> None:
    config = write(
        tmp_path,
        {
            "configuration.yaml": "a: !include sub/a.yaml\n",
            "sub/a.yaml": "x: !secret name\ny: !secret here\n",
            "sub/secrets.yaml": "here: v\n",
            "secrets.yaml": "name: [unclosed\n",
        },
    )
    graph = read_config_graph(config, {})
    uses = {u.name: u for u in graph.secret_uses}
    assert uses["name"].defined_in is None
    assert not uses["name"].decidable
    assert uses["here"].defined_in == "sub/secrets.yaml"
    assert reasons(graph)["secrets.yaml"].startswith("invalid YAML at line 2")
    assert not graph.complete


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("- a\n- b\n", "secrets file is not a mapping"),
        (b"a: \xff\n", "not valid UTF-8 (line 1)"),
        ("a: 2024-13-45\n", "invalid YAML: a value cannot be read (ValueError)"),
        ("[" * 5000 + "]" * 5000, "invalid YAML: nested too deeply"),
        ("[" * 600 + "]" * 600, "invalid YAML: nested too deeply"),
    ],
    ids=["list", "latin1", "bad-date", "deep", "deep-python"],
)
def test_bad_secrets_file(tmp_path: Path, content: str | bytes, reason: str) -> None:
    config = write(
        tmp_path, {"configuration.yaml": "a: !secret x\n", "secrets.yaml": content}
    )
    graph = read_config_graph(config, {})
    assert reasons(graph) == {"secrets.yaml": reason}
    assert not graph.secret_uses[0].decidable


def test_empty_secrets_file_defines_nothing(tmp_path: Path) -> None:
    config = write(
        tmp_path, {"configuration.yaml": "a: !secret x\n", "secrets.yaml": ""}
    )
    graph = read_config_graph(config, {})
    assert graph.problems == ()
    assert graph.secret_uses[0].decidable
    assert graph.secret_uses[0].lookup == ("secrets.yaml",)
    assert [s.path for s in graph.secrets_files] == ["secrets.yaml"]


def test_dangling_secrets_link_is_like_no_secrets_file(tmp_path: Path) -> None:
    config = write(tmp_path, {"configuration.yaml": "a: !secret x\n"})
    (config / "secrets.yaml").symlink_to(config / "gone.yaml")
    graph = read_config_graph(config, {})
    assert graph.problems == ()
    assert graph.secrets_files == ()
    assert graph.secret_uses[0].decidable


def test_dashboards_through_an_include(tmp_path: Path) -> None:
    config = write(
        tmp_path,
        {
            "configuration.yaml": "lovelace: !include lovelace.yaml\n",
            "lovelace.yaml": ("mode: YAML\ndashboards: !include dashboards.yaml\n"),
            "dashboards.yaml": (
                "one: {mode: yaml, filename: one.yaml}\n"
                "two: {mode: yaml, filename: missing.yaml}\n"
                "three: {mode: yaml}\n"
                "four: not a mapping\n"
            ),
            "ui-lovelace.yaml": "views: []\n",
            "one.yaml": "views: []\n",
        },
    )
    graph = read_config_graph(config, {})
    assert [f.path for f in graph.files] == [
        "configuration.yaml",
        "lovelace.yaml",
        "dashboards.yaml",
        "ui-lovelace.yaml",
        "one.yaml",
    ]
    # A dashboard whose file is missing is Home Assistant's to report when it is opened.
    assert graph.problems == ()


@pytest.mark.parametrize(
    "lovelace",
    [
        "lovelace: storage\n",
        "lovelace: !include_dir_named x\n",
        "lovelace:\n  mode: storage\n",
    ],
)
def test_no_yaml_dashboards(tmp_path: Path, lovelace: str) -> None:
    config = write(
        tmp_path, {"configuration.yaml": lovelace, "ui-lovelace.yaml": "a: 1\n"}
    )
    graph = read_config_graph(config, {})
    assert "ui-lovelace.yaml" not in [f.path for f in graph.files]


def test_same_file_included_twice_is_read_once(tmp_path: Path) -> None:
    config = write(
        tmp_path,
        {
            "configuration.yaml": "a: !include common.yaml\nb: !include common.yaml\n",
            "common.yaml": "x: 1\n",
        },
    )
    graph = read_config_graph(config, {})
    assert [f.path for f in graph.files] == ["configuration.yaml", "common.yaml"]
    assert graph.problems == ()
    assert graph.stats.files_parsed == 2


def test_empty_files_are_fine(tmp_path: Path) -> None:
    config = write(
        tmp_path, {"configuration.yaml": "", "secrets.yaml": "# nothing yet\n"}
    )
    graph = read_config_graph(config, {})
    assert graph.root_problem is None
    assert graph.files[0].root is None
    assert graph.files[0].lines == 0
    assert graph.problems == ()


# --- bad input --------------------------------------------------------------------------


def test_missing_configuration(tmp_path: Path) -> None:
    graph = read_config_graph(tmp_path, {})
    assert graph.root_problem == "configuration.yaml: file not found"
    assert graph.files == ()
    assert not graph.complete


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (
            "a: [\n",
            "configuration.yaml: invalid YAML at line 2, column 1: a value is missing",
        ),
        ("- a\n", "configuration.yaml: does not contain a mapping"),
        (b"a: caf\xe9\n", "configuration.yaml: not valid UTF-8 (line 1)"),
        (
            "a: 1\n---\nb: 2\n",
            "configuration.yaml: invalid YAML at line 2, column 1: more than one document",
        ),
        (
            "a: !unknown x\n",
            "configuration.yaml: invalid YAML at line 1, column 4: unknown tag",
        ),
        (
            "a: 2024-02-30\n",
            "configuration.yaml: invalid YAML: a value cannot be read (ValueError)",
        ),
        (
            "[" * 5000 + "]" * 5000,
            "configuration.yaml: invalid YAML: nested too deeply",
        ),
        (
            "[" * 600 + "]" * 600,
            "configuration.yaml: invalid YAML: nested too deeply",
        ),
    ],
    ids=[
        "syntax",
        "list",
        "latin1",
        "two-documents",
        "unknown-tag",
        "bad-date",
        "deep",
        "deep-python",
    ],
)
def test_unreadable_configuration(
    tmp_path: Path, content: str | bytes, reason: str
) -> None:
    config = write(tmp_path, {"configuration.yaml": content})
    graph = read_config_graph(config, {})
    assert graph.root_problem == reason
    assert reasons(graph) == {"configuration.yaml": reason}


def test_malformed_included_file_is_a_problem_and_the_rest_is_read(
    tmp_path: Path,
) -> None:
    config = write(
        tmp_path,
        {
            "configuration.yaml": "a: !include bad.yaml\nb: !include good.yaml\n",
            "bad.yaml": "x: 1\n  y: [\n",
            "good.yaml": "z: !secret s\n",
        },
    )
    graph = read_config_graph(config, {})
    assert [f.path for f in graph.files] == ["configuration.yaml", "good.yaml"]
    assert reasons(graph) == {
        "bad.yaml": "invalid YAML at line 2, column 4: a mapping value where none is "
        "allowed (included from configuration.yaml line 1)"
    }
    assert len(graph.secret_uses) == 1


def test_yaml_error_never_quotes_the_file(tmp_path: Path) -> None:
    """A reason is the error's kind and place: the message's text is never used."""
    err = yaml_loader.yaml.MarkedYAMLError(
        problem="found something", problem_mark=None, context="while parsing"
    )
    assert yaml_loader.yaml_error_reason(err) == "invalid YAML: syntax error"
    err = yaml_loader.yaml.MarkedYAMLError(
        problem=None, problem_mark=None, context=None
    )
    assert yaml_loader.yaml_error_reason(err) == "invalid YAML: syntax error"
    assert (
        yaml_loader.yaml_error_reason(yaml_loader.yaml.YAMLError("password: x"))
        == "invalid YAML: syntax error"
    )
    reader = yaml_loader.yaml.reader.ReaderError("f", 7, 0, "utf-8", "bad")
    assert (
        yaml_loader.yaml_error_reason(reader)
        == "invalid YAML at character 8: a character that is not allowed"
    )
    # The Python loader's messages carry a snippet of the line; it must not reach a reason.
    # A value taken for a tag is quoted by the loader's message.
    root_problem = read_config_graph(
        write(tmp_path, {"configuration.yaml": "password: !canary-pw\n"}), {}
    ).root_problem
    assert root_problem is not None
    assert "canary" not in root_problem
    # Not even a single character: it could be the first of a secret.
    err = yaml_loader.yaml.MarkedYAMLError(problem="found character '\\t' here")
    assert (
        yaml_loader.yaml_error_reason(err)
        == "invalid YAML: a character that cannot start a token"
    )
    with pytest.raises(yaml_loader.yaml.YAMLError) as caught:
        yaml_loader.PythonGraphLoader('password: "canary\n\tx', "f").get_single_data()
    assert "canary" in str(caught.value)
    assert "canary" not in yaml_loader.yaml_error_reason(caught.value)


def test_missing_include(tmp_path: Path) -> None:
    config = write(tmp_path, {"configuration.yaml": "a: 1\nb: !include missing.yaml\n"})
    graph = read_config_graph(config, {})
    assert reasons(graph) == {
        "missing.yaml": "file not found (included from configuration.yaml line 2)"
    }
    # Nothing was missed in a file that does not exist.
    assert graph.complete


def test_include_of_a_directory(tmp_path: Path) -> None:
    config = write(
        tmp_path, {"configuration.yaml": "a: !include sub\n", "sub/x.yaml": "x: 1\n"}
    )
    graph = read_config_graph(config, {})
    assert reasons(graph) == {
        "sub": "is a directory, not a file (included from configuration.yaml line 1)"
    }


def test_missing_include_dir_is_empty_like_home_assistant(tmp_path: Path) -> None:
    config = write(tmp_path, {"configuration.yaml": "a: !include_dir_list nothing\n"})
    graph = read_config_graph(config, {})
    assert graph.problems == ()
    assert [f.path for f in graph.files] == ["configuration.yaml"]


def test_include_loop(tmp_path: Path) -> None:
    config = write(
        tmp_path,
        {
            "configuration.yaml": "a: !include a.yaml\n",
            "a.yaml": "b: !include b.yaml\n",
            "b.yaml": "a: !include a.yaml\nc: !secret s\n",
        },
    )
    graph = read_config_graph(config, {})
    assert [f.path for f in graph.files] == ["configuration.yaml", "a.yaml", "b.yaml"]
    assert reasons(graph) == {"a.yaml": "include loop: a.yaml -> b.yaml -> a.yaml"}
    assert len(graph.secret_uses) == 1


def test_include_dir_that_contains_the_configuration(tmp_path: Path) -> None:
    config = write(
        tmp_path,
        {
            "configuration.yaml": "all: !include_dir_merge_named .\n",
            "other.yaml": "x: 1\n",
        },
    )
    graph = read_config_graph(config, {})
    assert [f.path for f in graph.files] == ["configuration.yaml", "other.yaml"]
    assert reasons(graph) == {
        "configuration.yaml": "include loop: configuration.yaml -> configuration.yaml"
    }


def test_symlink_loops_under_include_dir(tmp_path: Path) -> None:
    config = write(
        tmp_path,
        {
            "configuration.yaml": "p: !include_dir_named packages\n",
            "packages/a.yaml": "a: 1\n",
        },
    )
    packages = config / "packages"
    # A directory link back up: Home Assistant's os.walk does not follow it, neither do we.
    (packages / "up").symlink_to(config, target_is_directory=True)
    (packages / "self").symlink_to(packages, target_is_directory=True)
    # A file link loop: opening it fails with ELOOP.
    (packages / "loop.yaml").symlink_to(packages / "loop2.yaml")
    (packages / "loop2.yaml").symlink_to(packages / "loop.yaml")
    # A link to a regular file is followed, as Home Assistant does.
    write(tmp_path, {"elsewhere/linked.yaml": "linked: true\n"})
    (packages / "linked.yaml").symlink_to(tmp_path / "elsewhere" / "linked.yaml")
    graph = read_config_graph(config, {})
    assert [f.path for f in graph.files] == [
        "configuration.yaml",
        "packages/a.yaml",
        "packages/linked.yaml",
    ]
    loop = (
        "cannot be read: symbolic link loop (included from configuration.yaml line 1)"
    )
    assert reasons(graph) == {"packages/loop.yaml": loop, "packages/loop2.yaml": loop}


def test_unlistable_directory_under_include_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = write(
        tmp_path,
        {
            "configuration.yaml": "p: !include_dir_named packages\n",
            "packages/a.yaml": "a: 1\n",
            "packages/locked/b.yaml": "b: 1\n",
        },
    )
    real_scandir = os.scandir
    locked = str(config / "packages" / "locked")

    def scandir(path: Any) -> Any:
        if os.fspath(path) == locked:
            raise PermissionError(13, "Permission denied", locked)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    graph = read_config_graph(config, {})
    assert [f.path for f in graph.files] == ["configuration.yaml", "packages/a.yaml"]
    assert reasons(graph) == {
        "packages/locked": "directory cannot be read: permission denied"
    }


def test_non_utf8_include(tmp_path: Path) -> None:
    config = write(
        tmp_path,
        {
            "configuration.yaml": "a: !include latin1.yaml\n",
            "latin1.yaml": b"a: 1\nb: caf\xe9\n",
        },
    )
    graph = read_config_graph(config, {})
    assert reasons(graph) == {
        "latin1.yaml": "not valid UTF-8 (line 2) (included from configuration.yaml line 1)"
    }
    assert not graph.complete


def _simulate_non_root(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests run as root, who can read anything: make a mode-000 file fail like for others."""
    real_open = yaml_files._open_fd

    def open_fd(path: str) -> int:
        if Path(path).stat().st_mode & 0o444 == 0:
            raise PermissionError(13, "Permission denied", path)
        return real_open(path)

    monkeypatch.setattr(yaml_files, "_open_fd", open_fd)


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _simulate_non_root(monkeypatch)
    config = write(
        tmp_path,
        {
            "configuration.yaml": "a: !include locked.yaml\nb: 1\n",
            "locked.yaml": "x: 1\n",
        },
    )
    (config / "locked.yaml").chmod(0)
    graph = read_config_graph(config, {})
    assert reasons(graph) == {
        "locked.yaml": "cannot be read: permission denied (included from configuration.yaml line 1)"
    }
    (config / "configuration.yaml").chmod(0)
    graph = read_config_graph(config, {})
    assert graph.root_problem == "configuration.yaml: cannot be read: permission denied"


def test_read_errors_after_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = write(
        tmp_path, {"configuration.yaml": "a: !include io.yaml\n", "io.yaml": "x: 1\n"}
    )
    real_read = os.read
    target = (config / "io.yaml").stat().st_ino

    def failing_read(fd: int, size: int) -> bytes:
        if os.fstat(fd).st_ino == target:
            raise OSError(5, "Input/output error")
        return real_read(fd, size)

    monkeypatch.setattr(os, "read", failing_read)
    graph = read_config_graph(config, {})
    assert reasons(graph) == {
        "io.yaml": "cannot be read: Input/output error (included from configuration.yaml line 1)"
    }


def test_file_larger_than_the_limit_is_not_read(tmp_path: Path) -> None:
    config = write(tmp_path, {"configuration.yaml": "a: !include big.yaml\n"})
    with (config / "big.yaml").open("wb") as big:
        big.truncate(50 * 1024 * 1024)  # 50 MB, sparse: nothing to write
    graph = read_config_graph(config, {})
    assert reasons(graph) == {
        "big.yaml": "larger than 10 MiB (52428800 bytes), not read"
        " (included from configuration.yaml line 1)"
    }
    assert graph.stats.bytes_read == (config / "configuration.yaml").stat().st_size


def test_file_growing_while_read_is_read_to_its_size_when_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = write(
        tmp_path,
        {"configuration.yaml": "a: !include grows.yaml\n", "grows.yaml": "b: 1\n"},
    )
    real_read = os.read
    target = (config / "grows.yaml").stat().st_ino
    asked: list[int] = []

    def endless(fd: int, size: int) -> bytes:
        if os.fstat(fd).st_ino == target:
            asked.append(size)
            return b"#" * size  # it never ends
        return real_read(fd, size)

    monkeypatch.setattr(os, "read", endless)
    graph = read_config_graph(config, {})
    assert reasons(graph) == {}
    assert asked == [5]  # the size fstat gave, nothing more


def test_fifo_and_devices_are_not_read(tmp_path: Path) -> None:
    config = write(
        tmp_path,
        {"configuration.yaml": "a: !include pipe.yaml\nb: !include /dev/zero\n"},
    )
    os.mkfifo(config / "pipe.yaml")
    graph = read_config_graph(
        config, {}
    )  # would block forever on the FIFO if opened plainly
    assert reasons(graph) == {
        "pipe.yaml": "not a regular file (included from configuration.yaml line 1)",
        "/dev/zero": "is under /dev, a kernel interface, not a file (included from "
        "configuration.yaml line 2)",
    }


def test_kernel_trees_are_found_with_the_folders_remembered(tmp_path: Path) -> None:
    """One read of many files remembers each folder's real path: the same answers."""
    (tmp_path / "proc").symlink_to("/proc/self")
    (tmp_path / "null.yaml").symlink_to("/dev/null")
    (tmp_path / "loop.yaml").symlink_to(tmp_path / "loop.yaml")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "plain.yaml").write_text("a: 1\n")
    (tmp_path / "up").symlink_to(tmp_path / "sub", target_is_directory=True)
    paths = [
        str(tmp_path / "proc" / "status"),
        str(tmp_path / "null.yaml"),
        str(tmp_path / "loop.yaml"),
        str(tmp_path / "sub" / "plain.yaml"),
        str(tmp_path / "up" / "plain.yaml"),
        str(tmp_path / "missing" / "x.yaml"),
        str(tmp_path / "sub" / ".."),
        "relative.yaml",
        "/",
    ]
    remembered: dict[str, str] = {}
    for _ in range(2):
        assert [kernel_tree(p, remembered) for p in paths] == [
            kernel_tree(p) for p in paths
        ]
    assert kernel_tree(paths[0], remembered) == "/proc"
    assert kernel_tree(paths[1], remembered) == "/dev"


def test_billion_laughs_is_cheap(tmp_path: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines.extend(
        f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)
    )
    config = write(tmp_path, {"configuration.yaml": "\n".join(lines) + "\n"})
    graph = read_config_graph(config, {})
    assert graph.problems == ()
    assert sum(1 for _ in walk(graph.files[0].root)) < 200


def test_recursive_alias_is_invalid(tmp_path: Path) -> None:
    config = write(tmp_path, {"configuration.yaml": "a: &a [*a]\n"})
    graph = read_config_graph(config, {})
    assert graph.root_problem is not None
    assert graph.root_problem.startswith("configuration.yaml: invalid YAML")


def test_bad_tags_are_reported_per_line(tmp_path: Path) -> None:
    config = write(tmp_path, {"configuration.yaml": "a: 1\nb: !secret\n"})
    graph = read_config_graph(config, {})
    assert reasons(graph) == {"configuration.yaml": "line 2: !secret needs an argument"}


def test_limits_on_files_and_depth(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chain = {f"f{i}.yaml": f"n: !include f{i + 1}.yaml\n" for i in range(6)}
    config = write(tmp_path, {"configuration.yaml": "n: !include f0.yaml\n", **chain})
    monkeypatch.setattr(graph_reader, "MAX_INCLUDE_DEPTH", 3)
    graph = read_config_graph(config, {})
    assert [f.path for f in graph.files] == [
        "configuration.yaml",
        "f0.yaml",
        "f1.yaml",
        "f2.yaml",
    ]
    assert reasons(graph) == {
        "f3.yaml": "includes nested deeper than 3 (included from f2.yaml line 1)"
    }
    monkeypatch.setattr(graph_reader, "MAX_INCLUDE_DEPTH", 64)
    monkeypatch.setattr(graph_reader, "MAX_FILES", 2)
    graph = read_config_graph(config, {})
    assert [f.path for f in graph.files] == ["configuration.yaml", "f0.yaml"]
    assert reasons(graph) == {
        "f1.yaml": "more than 2 files in the configuration, not read"
    }


# --- the cache --------------------------------------------------------------------------


def test_unchanged_rescan_only_stats(tmp_path: Path) -> None:
    config = graph_fixture(tmp_path)
    cache: dict[Any, Any] = {}
    first = read_config_graph(config, cache)
    graph_bytes = sum(f.size for f in first.files) + sum(
        (config / s.path).stat().st_size for s in first.secrets_files
    )
    # Every file once: bytes read are the graph's bytes, no more.
    assert first.stats.bytes_read == graph_bytes
    assert first.stats.files_parsed == len(first.files) + len(first.secrets_files)

    second = read_config_graph(config, cache)
    assert second.stats.bytes_read == 0
    assert second.stats.files_parsed == 0
    assert [f.root for f in second.files] == [
        f.root for f in first.files
    ]  # same objects
    assert second.secret_uses == first.secret_uses

    # A changed file is read again (and only that one).
    (config / "customize.yaml").write_text("light.kitchen:\n  icon: mdi:lamp\n")
    third = read_config_graph(config, cache)
    assert third.stats.files_parsed == 1
    assert third.file("customize.yaml").root == {"light.kitchen": {"icon": "mdi:lamp"}}  # type: ignore[union-attr]

    # A file that left the graph leaves the cache.
    (config / "configuration.yaml").write_text("homeassistant:\n  name: Home\n")
    read_config_graph(config, cache)
    assert {path for _, path in cache} == {
        str(config / "configuration.yaml"),
        str(config / "secrets.yaml"),
    }


def test_cached_failure_is_retried_when_the_file_changes(tmp_path: Path) -> None:
    config = write(
        tmp_path, {"configuration.yaml": "a: !include b.yaml\n", "b.yaml": "x: [\n"}
    )
    cache: dict[Any, Any] = {}
    assert read_config_graph(config, cache).problems
    again = read_config_graph(config, cache)
    assert again.problems
    assert again.stats.files_parsed == 0
    (config / "b.yaml").write_text("x: []\n")
    assert read_config_graph(config, cache).problems == ()


def test_file_vanishing_between_scans(tmp_path: Path) -> None:
    config = write(
        tmp_path, {"configuration.yaml": "a: !include b.yaml\n", "b.yaml": "x: 1\n"}
    )
    cache: dict[Any, Any] = {}
    read_config_graph(config, cache)
    (config / "b.yaml").unlink()
    assert reasons(read_config_graph(config, cache)) == {
        "b.yaml": "file not found (included from configuration.yaml line 1)"
    }


# --- in the scan ------------------------------------------------------------------------


async def test_graph_is_read_once_per_scan_with_notes(
    hass: HomeAssistant, tmp_path: Path
) -> None:
    config = write(
        tmp_path,
        {"configuration.yaml": "a: !include gone.yaml\n", "secrets.yaml": "x: 1\n"},
    )
    ctx = ScanContext(hass=hass, config_dir=config, now=datetime.now(UTC))
    graph = await async_get_config_graph(ctx)
    assert await async_get_config_graph(ctx) is graph
    assert [(n.family, n.file, n.reason) for n in ctx.notes] == [
        (
            Family.SECRETS,
            "gone.yaml",
            "file not found (included from configuration.yaml line 1)",
        )
    ]
    assert ctx.cache.get(SCAN_CLIENT).last is not None


def test_secret_used_as_a_mapping_key_is_indexed(tmp_path: Path) -> None:
    """Home Assistant resolves a tag in a key too: a defined one is used, an undefined one
    is undefined."""
    config = write(
        tmp_path,
        {
            "configuration.yaml": (
                "device_tracker:\n"
                "  - platform: x\n"
                "    names:\n"
                "      !secret phone_mac: Phone\n"
                "      !secret tablet_mac: Tablet\n"
                "      !env_var WATCH_MAC fallback-canary: Watch\n"
            ),
            "secrets.yaml": "phone_mac: aa:bb:cc:dd:ee:ff\n",
        },
    )
    graph = read_config_graph(config, {})
    assert graph.problems == ()
    uses = {use.name: use for use in graph.secret_uses}
    assert uses["phone_mac"].defined_in == "secrets.yaml"
    assert uses["phone_mac"].line == 4
    assert uses["phone_mac"].key == "device_tracker[0].names.!secret phone_mac"
    assert uses["tablet_mac"].defined_in is None
    (env,) = graph.files[0].env_vars
    assert env.marker.name == "WATCH_MAC"
    assert env.key == "device_tracker[0].names.!env_var WATCH_MAC"
    assert "canary" not in env.key


def test_aliased_include_of_a_missing_file_is_noted_once(tmp_path: Path) -> None:
    config = write(
        tmp_path,
        {
            "configuration.yaml": (
                "a: &inc !include missing.yaml\n"
                "b: *inc\n"
                "c: [*inc, *inc]\n"
                "d:\n"
                "  e: *inc\n"
                "f: !include missing.yaml\n"
                "g: &dir !include_dir_merge_list unlistable\n"
                "h: *dir\n"
            ),
        },
    )
    (config / "unlistable").mkdir()
    (config / "unlistable" / "sub").mkdir()
    real_walk = os.walk

    def walk(top: str, **kwargs: Any) -> Any:
        for root, dirs, files in real_walk(top, **kwargs):
            if root.endswith("unlistable"):
                kwargs["onerror"](PermissionError(13, "denied", root + "/sub"))
                dirs.clear()
            yield root, dirs, files

    with patch.object(graph_reader.os, "walk", walk):
        graph = read_config_graph(config, {})
    assert [(p.file, p.reason) for p in graph.problems] == [
        ("missing.yaml", "file not found (included from configuration.yaml line 1)"),
        ("unlistable/sub", "directory cannot be read: permission denied"),
    ]
    assert graph.problems[0].mount == ("a",)
    assert graph.problems[1].mount == ("g",)


def test_a_file_failing_under_two_includes_is_blamed_on_the_first(
    tmp_path: Path,
) -> None:
    """A file under the packages folder that a package includes as `panel_custom:` items."""
    config = write(
        tmp_path,
        {
            "configuration.yaml": (
                "homeassistant:\n  packages: !include_dir_named packages\n"
            ),
            "packages/frontend.yaml": "panel_custom: !include_dir_merge_list panels\n",
            "packages/net.yaml": "http:\n  server_port: 8124\n",
            "packages/panels/bad.yaml": b"- name: \xff\n",
        },
    )
    graph = read_config_graph(config, {})
    assert [(p.file, p.reason, p.mount) for p in graph.problems] == [
        (
            "packages/panels/bad.yaml",
            "not valid UTF-8 (line 1) (included from packages/frontend.yaml line 1)",
            ("homeassistant", "packages", "frontend", "panel_custom"),
        )
    ]
