"""The compact scan: the same facts as the whole read, with only what readers read kept."""

from __future__ import annotations

import os
from pathlib import Path
import shutil
from typing import Any

import pytest

from custom_components.security_posture.inspect.config_graph import ConfigGraph
from custom_components.security_posture.inspect.config_scan import (
    LINES_ABOVE,
    ConfigScan,
    scan_configuration,
)
from custom_components.security_posture.inspect.credentials import scan_files
from custom_components.security_posture.inspect.exposure import core_uses_secret
from custom_components.security_posture.inspect.graph_reader import read_config_graph
from custom_components.security_posture.inspect.http_values import FIELDS
from custom_components.security_posture.inspect.http_yaml import http_block
from custom_components.security_posture.inspect.key_paths import walk
from custom_components.security_posture.inspect.tree_sections import (
    Keep,
    keep_at,
    keep_sections,
    keeps_lines,
)
from custom_components.security_posture.inspect.webhooks import (
    scanned_places,
    trigger_places,
)
from custom_components.security_posture.inspect.yaml_loader import parse_yaml
from custom_components.security_posture.inspect.yaml_nodes import YamlList, YamlMap

from .conftest import FIXTURES
from .helpers import write


def facts(graph: ConfigGraph, credentials: Any) -> dict[str, Any]:
    """Everything a check or a reader takes from a graph, comparable."""
    return {
        "files": [
            (
                f.path,
                f.mount,
                f.role,
                f.via,
                f.lines,
                f.size,
                [(m.marker, m.parts) for m in f.includes],
                [(m.marker, m.parts) for m in f.secrets],
                [(m.marker, m.parts) for m in f.env_vars],
                type(f.root),
            )
            for f in graph.files
        ],
        "uses": graph.secret_uses,
        "secrets_files": graph.secrets_files,
        "problems": graph.problems,
        "root_problem": graph.root_problem,
        "credentials": tuple(credentials),
        "http": http_block(graph, FIELDS),
        "core": (
            core_uses_secret(graph, "external_url"),
            core_uses_secret(graph, "auth_providers"),
        ),
    }


def webhook_ids(graph: ConfigGraph) -> set[str]:
    return {
        entry.value["webhook_id"]
        for f in graph.files
        for entry in walk(f.root)
        if isinstance(entry.value, YamlMap)
        and isinstance(entry.value.get("webhook_id"), str)
    }


def assert_same_facts(config_dir: Path) -> ConfigScan:
    whole = read_config_graph(config_dir, {})
    cache: dict[Any, Any] = {}
    scan = scan_configuration(config_dir, cache)
    expected = facts(whole, scan_files(whole.files, {}))
    assert facts(scan.graph, scan.credentials) == expected
    ids = webhook_ids(whole)
    assert scanned_places(scan.webhook_triggers, ids) == trigger_places(whole, ids)
    again = scan_configuration(config_dir, cache)  # from the cache
    assert facts(again.graph, again.credentials) == expected
    assert again.graph.stats.files_parsed == 0
    return scan


FIXTURE_DIRS = sorted(
    str(p.parent.relative_to(FIXTURES))
    for p in FIXTURES.glob("**/configuration.yaml")
    if "fifo" not in str(p)
)


@pytest.mark.parametrize("fixture", FIXTURE_DIRS)
def test_same_facts_as_the_whole_read(fixture: str, tmp_path: Path) -> None:
    config = tmp_path / "config"
    shutil.copytree(FIXTURES / fixture, config, symlinks=True)
    assert_same_facts(config)


TRICKY = {
    "configuration.yaml": """shared_first: !include shared.yaml
homeassistant:
  name: Home
  external_url: !secret url
  auth_providers:
    - type: homeassistant
  packages: !include_dir_named packages
http: !include http.yaml
lovelace:
  mode: yaml
  dashboards:
    extra-board:
      mode: yaml
      filename: boards/extra.yaml
automation: !include automations.yaml
script: !include_dir_merge_named scripts
api: &api
  password: anchored-literal-1234
copy:
  <<: *api
  url: http://user:merged-pass@host/x
!secret keyed: value
!env_var KEYED: value
env_default: !env_var SOME_VAR with-a-default-literal
alarm_control_panel:
  - platform: manual
    code: 98765
""",
    "http.yaml": "use_x_forwarded_for: true\ntrusted_proxies: !include proxies.yaml\n",
    "proxies.yaml": "- 10.0.0.0/8\n",
    "shared.yaml": "ip_ban_enabled: true\ntoken: shared-token-literal\n",
    "secrets.yaml": "url: https://example.org\nused: x\n",
    "ui-lovelace.yaml": "views:\n  - title: x\n    cards:\n      - url: https://admin:s3cret-pass@c/d\n",
    "boards/extra.yaml": "title: extra\n",
    "automations.yaml": """- id: w
  triggers:
    - trigger: webhook
      webhook_id: open-the-garage-door
    - platform: webhook
      webhook_id: !secret hook
- id: a
  actions:
    - action: lock.unlock
      data:
        code: 4321
    - action: notify.x
      data:
        message: "!secret not-a-tag"
        api_key: !env_var KEY the-default-key
""",
    "packages/one.yaml": """http:
  ip_ban_enabled: false
  login_attempts_threshold: !secret used
sensor:
  - platform: rest
    resource: https://api.example.org/?appid=0123456789abcdef
""",
    "packages/two.yaml": "input_boolean: !include ../shared_again.yaml\nweird: 3\n",
    "packages/sub/three.yaml": "http: !include ../../shared.yaml\n",
    "shared_again.yaml": "x:\n  name: X\n",
    "scripts/a.yaml": "s:\n  sequence:\n    - action: shell_command.x\n      data:\n        password: literal-in-script\n",
    "scripts/.hidden/b.yaml": "t:\n  sequence: []\n",
}


def test_same_facts_on_a_tricky_configuration(tmp_path: Path) -> None:
    scan = assert_same_facts(write(tmp_path, TRICKY))
    (trigger,) = scan.webhook_triggers  # the other's id is a !secret
    assert (trigger.file, trigger.line, trigger.key) == (
        "automations.yaml",
        4,
        "[0].triggers[0].webhook_id",
    )
    assert "open-the-garage-door" not in repr(scan)
    assert {c.file for c in scan.credentials} >= {
        "configuration.yaml",
        "automations.yaml",
        "shared.yaml",
        "scripts/a.yaml",
        "ui-lovelace.yaml",
        "packages/one.yaml",
    }


def test_only_what_readers_read_is_kept(tmp_path: Path) -> None:
    scan = scan_configuration(write(tmp_path, TRICKY), {})
    files = {f.path: f for f in scan.graph.files}
    root = files["configuration.yaml"].root
    assert isinstance(root, YamlMap)
    # The sections readers read are whole, with their lines.
    assert root["lovelace"]["dashboards"]["extra-board"]["filename"] == (
        "boards/extra.yaml"
    )
    assert root.key_lines["homeassistant"] == 2
    assert root["homeassistant"]["auth_providers"][0]["type"] == "homeassistant"
    # Other sections keep their shape only.
    assert root["api"] == {}
    assert root["alarm_control_panel"] == []
    assert root["automation"].target == "automations.yaml"  # a marker stays
    assert files["automations.yaml"].root == []
    # A package keeps its keys, its http: whole.
    package = files["packages/one.yaml"].root
    assert set(package) == {"http", "sensor"}
    assert package["sensor"] == []
    assert package["http"]["ip_ban_enabled"] is False
    assert files["packages/two.yaml"].root["weird"] == 3


def test_a_file_included_again_where_more_is_kept(tmp_path: Path) -> None:
    """shared.yaml comes first as a section of its own, then as a package's http: block."""
    config = write(tmp_path, TRICKY)
    scan = assert_same_facts(config)
    shared = next(f for f in scan.graph.files if f.path == "shared.yaml")
    assert shared.mount == ("shared_first",)
    assert shared.root["ip_ban_enabled"] is True  # kept for the package's http:
    # The cache remembers both places: the next scan reads nothing.
    cache: dict[Any, Any] = {}
    scan_configuration(config, cache)
    assert scan_configuration(config, cache).graph.stats.files_parsed == 0


def test_credentials_of_a_file_read_without_lines_have_their_lines(
    tmp_path: Path,
) -> None:
    config = write(
        tmp_path,
        {
            "configuration.yaml": "automation: !include a.yaml\n",
            "a.yaml": "- id: x\n\n  actions:\n    - data:\n        token: t0ken-literal\n",
        },
    )
    scan = scan_configuration(config, {})
    (credential,) = scan.credentials
    assert (credential.file, credential.line, credential.key) == (
        "a.yaml",
        5,
        "[0].actions[0].data.token",
    )


def test_keep_rules() -> None:
    assert keep_at(()) is Keep.DESCEND
    assert keep_at(("http",)) is Keep.WHOLE
    assert keep_at(("http", "x", "y")) is Keep.WHOLE
    assert keep_at(("lovelace", "dashboards")) is Keep.WHOLE
    assert keep_at(("homeassistant",)) is Keep.DESCEND
    assert keep_at(("homeassistant", "customize")) is Keep.WHOLE
    assert keep_at(("homeassistant", "packages")) is Keep.DESCEND
    assert keep_at(("homeassistant", "packages", "one")) is Keep.DESCEND
    assert keep_at(("homeassistant", "packages", "one", "sensor")) is Keep.SHAPE
    assert keep_at(("homeassistant", "packages", "one", "http", "x")) is Keep.WHOLE
    assert keep_at(("automation",)) is Keep.SHAPE
    assert keep_at(("frontend", "extra_module_url")) is Keep.WHOLE
    assert keep_at(("resources",)) is Keep.WHOLE  # a YAML dashboard's
    # In a package, the same sections as at the root.
    assert keep_at(("homeassistant", "packages", "one", "frontend")) is Keep.WHOLE
    assert keep_at(("homeassistant", "packages", "one", "lovelace")) is Keep.WHOLE
    assert keep_at(("homeassistant", "packages", "one", "homeassistant")) is Keep.WHOLE
    assert not keeps_lines([("automation",), ("script", "x")])
    assert keeps_lines([("automation",), ("http",)])


def test_kept_trees_without_lines_keep_their_shape() -> None:
    root, _ = parse_yaml("a:\n  b: 1\nc: [1, 2]\n", "f.yaml", lines=False)
    assert not hasattr(root, "key_lines")
    shape = keep_sections(root, [("automation",)])
    assert isinstance(shape, YamlMap)
    assert shape == {}
    assert (shape.file, shape.line, shape.key_lines) == ("f.yaml", 0, {})
    items, _ = parse_yaml("- 1\n- 2\n", "g.yaml", lines=False)
    empty = keep_sections(items, [("automation",)])
    assert isinstance(empty, YamlList)
    assert (empty, empty.item_lines) == ([], [])
    assert keep_sections("scalar", [("automation",)]) == "scalar"


def test_a_list_root_under_a_kept_section_is_kept(tmp_path: Path) -> None:
    root, _ = parse_yaml("- a: 1\n- b: 2\n", "p.yaml")
    kept = keep_sections(root, [("homeassistant",)])
    assert kept == [{"a": 1}, {"b": 2}]
    assert kept.item_lines == [1, 2]


# --- what tells that nothing changed ----------------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        "modify",
        "add_in_folder",
        "add_in_subfolder",
        "create_missing_include",
        "create_secrets",
        "chmod",
        "remove",
    ],
)
def test_a_change_is_seen(tmp_path: Path, change: str) -> None:
    config = write(
        tmp_path,
        {
            "configuration.yaml": (
                "a: !include a.yaml\nb: !include_dir_list folder\nc: !include gone.yaml\n"
            ),
            "a.yaml": "x: !secret s\n",
            "folder/one.yaml": "y: 1\n",
            "folder/sub/two.yaml": "z: 2\n",
            "secrets.yaml": "s: v\n",
        },
    )
    scan = scan_configuration(config, {})
    assert scan.watched.unchanged()
    if change == "modify":
        (config / "a.yaml").write_text("x: !secret s\nmore: 1\n")
    elif change == "add_in_folder":
        (config / "folder" / "new.yaml").write_text("n: 1\n")
    elif change == "add_in_subfolder":
        (config / "folder" / "sub" / "new.yaml").write_text("n: 1\n")
    elif change == "create_missing_include":
        (config / "gone.yaml").write_text("g: 1\n")
    elif change == "create_secrets":
        (config / "folder" / "secrets.yaml").write_text("s: v\n")
    elif change == "chmod":
        os.chmod(config / "a.yaml", 0o600)  # noqa: PTH101
    else:
        (config / "folder" / "one.yaml").unlink()
    assert not scan.watched.unchanged()


def test_unchanged_since_reports_nothing_read(tmp_path: Path) -> None:
    scan = scan_configuration(write(tmp_path, {"configuration.yaml": "a: 1\n"}), {})
    again = scan.unchanged_since()
    assert again.graph.files is scan.graph.files
    assert again.graph.stats.bytes_read == 0
    assert again.graph.stats.files_cached == 1


# --- cut off ----------------------------------------------------------------------------------


def test_a_cut_off_file_is_never_touched(tmp_path: Path) -> None:
    config = write(
        tmp_path,
        {
            "configuration.yaml": "a: !include slow.yaml\nb: !include b.yaml\n",
            "slow.yaml": "password: never-read-literal\n",
            "b.yaml": "token: read-literal-token\n",
        },
    )
    slow = str(config / "slow.yaml")
    touched: list[str] = []
    scan = scan_configuration(
        config, {}, cut_off={slow: "took too long"}, progress=touched.append
    )
    assert slow not in touched
    assert str(config / "b.yaml") in touched
    assert scan.cut_off == (slow,)
    assert [(p.file, p.reason) for p in scan.graph.problems] == [
        ("slow.yaml", "took too long (included from configuration.yaml line 1)")
    ]
    assert [c.file for c in scan.credentials] == ["b.yaml"]
    assert slow not in dict(scan.watched.paths)


def test_a_large_file_is_read_once_with_its_lines(tmp_path: Path) -> None:
    """Above `LINES_ABOVE`, reading again to locate a credential would cost more."""
    items = "".join(f"- id: a{i}\n  alias: Automation {i}\n" for i in range(3000))
    config = write(
        tmp_path,
        {
            "configuration.yaml": "automation: !include automations.yaml\n",
            "automations.yaml": items
            + "- id: x\n  data:\n    password: big-literal-1\n",
        },
    )
    assert (config / "automations.yaml").stat().st_size > LINES_ABOVE
    scan = assert_same_facts(config)
    (credential,) = scan.credentials
    assert (credential.file, credential.line) == ("automations.yaml", 6003)


def test_a_file_included_twice_where_only_its_shape_is_kept(tmp_path: Path) -> None:
    config = write(
        tmp_path,
        {
            "configuration.yaml": "automation: !include a.yaml\nscript: !include a.yaml\n",
            "a.yaml": "- password: a-literal-password\n",
        },
    )
    cache: dict[Any, Any] = {}
    scan = scan_configuration(config, cache)
    assert [c.key for c in scan.credentials] == ["[0].password"]
    assert scan_configuration(config, cache).graph.stats.files_parsed == 0
    assert assert_same_facts(config).credentials == scan.credentials


def test_a_file_gone_before_it_is_read_again(tmp_path: Path) -> None:
    """Read again for its second place (more of it kept), it has gone: the first read stands."""
    config = write(
        tmp_path,
        {
            "configuration.yaml": "shared: !include s.yaml\nhttp: !include s.yaml\n",
            "s.yaml": "ip_ban_enabled: true\n",
        },
    )
    shared = str(config / "s.yaml")
    seen: list[str] = []

    def progress(path: str) -> None:
        seen.append(path)
        if seen.count(shared) == 3:  # about to be read again (twice touched before)
            Path(shared).unlink()

    scan = scan_configuration(config, {}, progress=progress)
    (kept,) = [f for f in scan.graph.files if f.path == "s.yaml"]
    assert kept.root == {}  # the shape of its first place
    assert scan.graph.problems == ()


def test_markers_of_an_included_secrets_file_and_deep_nesting(tmp_path: Path) -> None:
    config = write(
        tmp_path,
        {
            "configuration.yaml": (
                "other: !include extra/secrets.yaml\ndeep: !include deep.yaml\n"
            ),
            "extra/secrets.yaml": "x: !secret y\npassword: not-scanned-here\n",
            "deep.yaml": "[" * 600 + "]" * 600 + "\n",
        },
    )
    scan = assert_same_facts(config)
    assert [u.name for u in scan.graph.secret_uses] == ["y"]
    assert scan.credentials == ()
    assert [(p.file, p.reason) for p in scan.graph.problems] == [
        (
            "deep.yaml",
            "invalid YAML: nested too deeply (included from configuration.yaml line 2)",
        )
    ]


def test_a_cut_off_folder_is_never_listed(tmp_path: Path) -> None:
    config = write(
        tmp_path,
        {
            "configuration.yaml": (
                "a: !include_dir_list slow\nb: !include_dir_merge_list fast\n"
                "lovelace:\n  mode: yaml\n"
            ),
            "slow/one.yaml": "password: never-read-literal\n",
            "fast/one.yaml": "- token: read-literal-token\n",
            "fast/stuck/two.yaml": "- password: never-read-either\n",
            "ui-lovelace.yaml": "title: x\n",
        },
    )
    cut = {
        str(config / "slow"): "took too long",
        str(config / "fast" / "stuck"): "took too long",
        str(config / "ui-lovelace.yaml"): "took too long",
    }
    touched: list[str] = []
    scan = scan_configuration(config, {}, cut_off=cut, progress=touched.append)
    assert not set(cut) & set(touched)
    assert not any(str(config / "slow") in path for path in touched)
    assert sorted(scan.cut_off) == sorted(cut)
    assert sorted((p.file, p.reason) for p in scan.graph.problems) == [
        ("fast/stuck", "took too long"),
        ("slow", "took too long"),
        ("ui-lovelace.yaml", "took too long"),
    ]
    assert [c.file for c in scan.credentials] == ["fast/one.yaml"]
