"""What counts as a credential: key names, literal values, URLs, and decoys that do not."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from custom_components.security_posture.inspect.config_graph import ConfigFile
from custom_components.security_posture.inspect.config_scan import scan_configuration
from custom_components.security_posture.inspect.credential_kinds import (
    credential_kind,
    has_private_key,
    has_url_credentials,
    is_literal,
    key_words,
)
from custom_components.security_posture.inspect.credentials import (
    Credential,
    scan_file,
    scan_files,
)
from custom_components.security_posture.inspect.graph_reader import read_config_graph
from custom_components.security_posture.inspect.yaml_loader import parse_yaml
from custom_components.security_posture.inspect.yaml_nodes import (
    EnvVarRef,
    Include,
    InputRef,
    SecretRef,
)

FIXTURES = Path(__file__).parent / "fixtures" / "secrets"


def config_file(
    text: str, path: str = "configuration.yaml", mount: tuple[str, ...] = ()
) -> ConfigFile:
    root, _ = parse_yaml(text, path)
    return ConfigFile(
        path=path,
        mount=mount,
        role="include",
        via=None,
        root=root,
        lines=text.count("\n"),
        size=len(text),
        includes=(),
        secrets=(),
        env_vars=(),
    )


def found(
    text: str, path: str = "configuration.yaml", mount: tuple[str, ...] = ()
) -> list[tuple[str, int, str]]:
    return [(c.kind, c.line, c.key) for c in scan_file(config_file(text, path, mount))]


@pytest.mark.parametrize(
    ("key", "words"),
    [
        ("api_key", ("api", "key")),
        ("apiKey", ("api", "key")),
        ("X-Api-Key", ("x", "api", "key")),
        ("APIKey", ("api", "key")),
        ("apikey", ("api", "key")),
        ("clientSecret", ("client", "secret")),
        ("accesstoken", ("access", "token")),
        ("Proxy-Authorization", ("proxy", "authorization")),
        ("pincode", ("pin", "code")),
        ("", ()),
        ("__", ()),
    ],
)
def test_key_words(key: str, words: tuple[str, ...]) -> None:
    assert key_words(key) == words


@pytest.mark.parametrize(
    ("key", "kind"),
    [
        ("password", "password"),
        ("api_password", "password"),
        ("wifi_password", "password"),
        ("passwd", "password"),
        ("db_pwd", "password"),
        ("Passwort", "password"),
        ("passphrase", "passphrase"),
        ("passcode", "passcode"),
        ("api_key", "API key"),
        ("apiKey", "API key"),
        ("X-Api-Key", "API key"),
        ("private_key", "private key"),
        ("privateKey", "private key"),
        ("user_key", "user key"),
        ("local_key", "local key"),
        ("network_key", "network key"),
        ("bindkey", "bind key"),
        ("secret_key", "secret key"),
        ("token", "token"),
        ("access_token", "token"),
        ("refreshToken", "token"),
        ("X-Auth-Token", "token"),
        ("secret", "secret"),
        ("api_secret", "secret"),
        ("client_secret", "client secret"),
        ("credentials", "credentials"),
        ("wpa_psk", "pre-shared key"),
        ("Authorization", "authorization header"),
        ("proxy-authorization", "authorization header"),
        ("alarm_code", "alarm code"),
        ("disarm_code", "alarm code"),
        ("pin_code", "PIN"),
        ("pincode", "PIN"),
        ("door_pin", "PIN"),
        ("code", "code"),  # decided by context
        # Not credentials: settings about them, other things with similar words.
        ("show_password", None),
        ("require_code", None),
        ("use_token", None),
        ("enable_api_key", None),
        ("password_entity", None),
        ("password_template", None),
        ("password_length", None),
        ("token_expiry", None),
        ("token_type", None),
        ("tokens", None),
        ("max_tokens", None),
        ("code_format", None),
        ("code_arm_required", None),
        ("code_template", None),
        ("country_code", None),
        ("status_code", None),
        ("webhook_id", None),
        ("client_id", None),
        ("value_template", None),
        ("key", None),
        ("sort_key", None),
        ("ssl_key", None),
        ("key_file", None),
        ("api_key_file", None),
        ("pin", None),
        ("rx_pin", None),
        ("username", None),
        ("authentication", None),
        ("x-authorization-mode", None),
        ("passwords", None),
        ("", None),
    ],
)
def test_credential_kind(key: str, kind: str | None) -> None:
    assert credential_kind(key) == kind


@pytest.mark.parametrize(
    ("value", "literal"),
    [
        ("hunter2", True),
        ("  spaced  ", True),
        ("0123456789abcdef", True),
        ("Bearer abc.def", True),
        (1234, True),
        (-98765, True),
        (EnvVarRef(name="X", default="fallback-pass", file="f", line=1), True),
        # Not literals
        ("", False),
        ("   ", False),
        ("none", False),
        ("None", False),
        ("false", False),
        ("{{ states('input_text.pw') }}", False),
        ("Bearer {{ states('input_text.token') }}", False),
        ("{% if x %}a{% endif %}", False),
        ("{# comment #}", False),
        ("input_text.wifi_password", False),
        ("sensor.api_token", False),
        ("/ssl/privkey.pem", False),
        ("./keys/key.pem", False),
        ("~/key", False),
        ("credentials.json", False),
        ("SERVICE_ACCOUNT.JSON", False),
        ("!secret mqtt_password", False),
        ("!env_var PASSWORD", False),
        (True, False),
        (False, False),
        (None, False),
        (0, False),
        (999, False),
        (3.14, False),
        (SecretRef(name="x", file="f", line=1), False),
        (EnvVarRef(name="X", default=None, file="f", line=1), False),
        (EnvVarRef(name="X", default="{{ x }}", file="f", line=1), False),
        (InputRef(name="x", file="f", line=1), False),
        (Include(tag="!include", target="x.yaml", file="f", line=1), False),
        (["a", "b"], False),
    ],
)
def test_is_literal(value: Any, literal: bool) -> None:
    assert is_literal(value) is literal


@pytest.mark.parametrize(
    ("text", "has"),
    [
        ("mysql://ha:p4ss@core-mariadb/ha?charset=utf8mb4", True),
        ("rtsp://admin:Secr3t!@192.168.1.20:554/stream", True),
        ("redis://:onlypassword@localhost:6379/0", True),
        ("see http://me:pw@example.com now", True),
        ("HTTPS://ME:PW@EXAMPLE.COM", True),
        ("http://admin:p4ss@{{ states('input_text.ip') }}/snap.jpg", True),
        ("first http://{{u}}:{{p}}@a then http://u:real@b", True),
        # Not credentials
        ("http://192.168.1.20/snapshot.jpg", False),
        ("http://192.168.1.2:8123/lovelace/0@home", False),
        ("https://www.google.com/maps/@52.1,4.3,15z", False),
        ("rtsp://admin:@192.168.1.20/stream", False),
        ("https://{{ user }}:{{ password }}@example.com", False),
        ("http://user:{{ states('input_text.pw') }}@host", False),
        ("http://user:****@host", False),
        ("http://user:xxxx@host", False),
        ("http://user:$PASSWORD@host", False),
        ("http://user:%s@host", False),
        ("mailto:me@example.com", False),
        ("rsync -a /config/ backup@nas.local:/backups/", False),
        ("user@host:secret", False),
        ("", False),
    ],
)
def test_url_credentials(text: str, has: bool) -> None:
    assert has_url_credentials(text) is has


def test_private_key_block() -> None:
    assert has_private_key(
        "-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----"
    )
    assert has_private_key("x -----BEGIN RSA PRIVATE KEY-----")
    assert has_private_key("-----BEGIN OPENSSH PRIVATE KEY-----")
    assert has_private_key("-----BEGIN EC PRIVATE KEY-----")
    assert not has_private_key("-----BEGIN CERTIFICATE-----")
    assert not has_private_key("-----BEGIN PUBLIC KEY-----")
    assert not has_private_key("the PRIVATE KEY----- marker alone")


def test_one_finding_per_location_with_key_paths() -> None:
    text = (
        "mqtt:\n"  # 1
        "  password: hunter2\n"  # 2
        "sensor:\n"  # 3
        "  - platform: a\n"  # 4
        "  - platform: rest\n"  # 5
        "    resource: http://u:pw@host/x\n"  # 6
        "    password: http://u:pw@host/x\n"  # 7  key and URL: one finding
        "homeassistant:\n"  # 8
        "  customize:\n"  # 9
        "    lock.front:\n"  # 10
        "      code: 1234\n"  # 11
        "inline: {user: a, password: b, token: c}\n"  # 12
    )
    assert found(text) == [
        ("password", 2, "mqtt.password"),
        ("URL with embedded password", 6, "sensor[1].resource"),
        ("password", 7, "sensor[1].password"),
        ("alarm code", 11, 'homeassistant.customize["lock.front"].code'),
        ("password", 12, "inline.password"),
        ("token", 12, "inline.token"),
    ]
    credential = scan_file(config_file(text))[0]
    assert credential.subject == "configuration.yaml: mqtt.password"
    assert Credential(kind="k", file="f.yaml", line=1, key="").subject == "f.yaml"


def test_anchors_and_merges_are_reported_once() -> None:
    text = (
        "defaults: &d\n"  # 1
        "  password: hunter2\n"  # 2
        "  url: http://a:pw@c/\n"  # 3
        "one:\n"  # 4
        "  <<: *d\n"  # 5
        "two: *d\n"  # 6
        "three: {<<: *d, name: x}\n"  # 7
        "list: [*d, *d]\n"  # 8
    )
    assert found(text) == [
        ("password", 2, "defaults.password"),
        ("URL with embedded password", 3, "defaults.url"),
    ]


def test_strings_anywhere() -> None:
    text = (
        "- http://a:pw@c/\n"
        "- nested:\n"
        "    - [x, 'ftp://u:pw@h']\n"
        "- key: |\n"
        "    -----BEGIN RSA PRIVATE KEY-----\n"
        "    abc\n"
        "    -----END RSA PRIVATE KEY-----\n"
    )
    assert found(text, "list.yaml") == [
        ("URL with embedded password", 1, "[0]"),
        ("URL with embedded password", 3, "[1].nested[0][1]"),
        ("private key", 4, "[2].key"),
    ]
    # A scalar root.
    assert found("http://a:pw@c/\n", "scalar.yaml") == [
        ("URL with embedded password", 1, "")
    ]


def test_non_string_keys_are_not_credentials() -> None:
    assert found("1234: 5678\ntrue: hunter2\n") == []


@pytest.mark.parametrize(
    ("text", "mount"),
    [
        ("alarm_control_panel:\n  - platform: manual\n    code: 1234\n", ()),
        ("- platform: manual\n  code: '1234'\n", ("alarm_control_panel",)),
        ("panel:\n  code: 1234\n", ("alarm_control_panel",)),
        ("- action: alarm_control_panel.alarm_arm_away\n  data:\n    code: 1234\n", ()),
        ("- service: lock.unlock\n  data:\n    code: abcd\n", ()),
        (
            "- action: x.y\n  target:\n    entity_id: [light.a, alarm_control_panel.home]\n"
            "  data:\n    code: 1234\n",
            (),
        ),
        ("entity_config:\n  lock.front_door:\n    code: 4321\n", ("homekit",)),
        ("- alarm_panel: x\n  code: 1234\n", ()),
    ],
)
def test_bare_code_in_an_alarm_or_lock_context(
    text: str, mount: tuple[str, ...]
) -> None:
    assert [kind for kind, _, _ in found(text, mount=mount)] == ["alarm code"]


@pytest.mark.parametrize(
    ("text", "mount"),
    [
        (
            "- service: remote.send_command\n  data:\n    code: 2161115375\n",
            ("automation",),
        ),
        ("ir:\n  code: 0x20DF10EF\n", ()),
        ("clock:\n  code: 1234\n", ()),
        ("block_list:\n  code: abcd\n", ()),
        ("- platform: manual\n  code: !secret alarm_code\n", ("alarm_control_panel",)),
        ("- platform: manual\n  code: 12\n", ("alarm_control_panel",)),
        (
            "- data:\n    code: '{{ x }}'\n  action: alarm_control_panel.alarm_disarm\n",
            (),
        ),
        ("- service: notify.x\n  data:\n    code: '1234'\n    target: [a]\n", ()),
    ],
)
def test_bare_code_elsewhere_is_not_a_credential(
    text: str, mount: tuple[str, ...]
) -> None:
    assert found(text, mount=mount) == []


def test_env_var_default_is_written_in_the_file() -> None:
    text = "a:\n  password: !env_var DB_PASS fallback-pass\n  token: !env_var TOKEN\n"
    assert found(text) == [("password", 2, "a.password")]


def test_secrets_and_json_files_are_not_scanned() -> None:
    text = "password: hunter2\n"
    assert found(text, "secrets.yaml") == []
    assert found(text, "sub/secrets.yaml") == []
    assert found(text, "SERVICE_ACCOUNT.JSON") == []
    assert found(text, "service_account.json") == []
    assert found(text, "not_secrets.yaml") == [("password", 1, "password")]


def test_decoys_give_no_finding() -> None:
    graph = read_config_graph(FIXTURES / "decoys", {})
    assert graph.problems == ()
    assert [f.path for f in graph.files] == [
        "configuration.yaml",
        "packages/blueprinted.yaml",
        "SERVICE_ACCOUNT.JSON",
    ]
    assert scan_files(graph.files, {}) == ()


def test_planted_credentials_are_all_found_once() -> None:
    graph = read_config_graph(FIXTURES / "planted", {})
    assert graph.problems == ()
    credentials = scan_files(graph.files, {})
    assert [(c.kind, c.file, c.line, c.key) for c in credentials] == [
        ("password", "configuration.yaml", 7, "http.api_password"),
        ("password", "configuration.yaml", 12, "mqtt.password"),
        ("URL with embedded password", "configuration.yaml", 15, "recorder.db_url"),
        ("alarm code", "configuration.yaml", 20, "alarm_control_panel[0].code"),
        ("client secret", "configuration.yaml", 26, "spotify.clientSecret"),
        (
            "authorization header",
            "configuration.yaml",
            32,
            "rest_command.relay.headers.Authorization",
        ),
        ("API key", "configuration.yaml", 33, "rest_command.relay.headers.X-Api-Key"),
        ("token", "configuration.yaml", 37, "influxdb.token"),
        ("API key", "configuration.yaml", 41, "notify[0].api_key"),
        ("user key", "configuration.yaml", 42, "notify[0].user_key"),
        ("password", "configuration.yaml", 47, "defaults.camera.password"),
        (
            "alarm code",
            "configuration.yaml",
            56,
            'homekit[0].entity_config["lock.front_door"].code',
        ),
        ("local key", "packages/devices.yaml", 5, "tuya_local.devices[0].local_key"),
        ("network key", "packages/devices.yaml", 7, "zwave_settings.network_key"),
        ("private key", "packages/devices.yaml", 9, "ssh_bridge.key_material"),
        ("API key", "packages/devices.yaml", 15, "telegram_bot[0].api_key"),
        ("URL with embedded password", "cameras/porch.yaml", 4, "[0].stream_source"),
        ("alarm code", "automations.yaml", 12, "[0].action[0].data.code"),
        (
            "URL with embedded password",
            "automations.yaml",
            15,
            "[0].action[1].data.url",
        ),
    ]
    # Never a value.
    assert "canary" not in repr(credentials)


def test_scan_reads_only_changed_files(tmp_path: Path) -> None:
    config = tmp_path
    (config / "configuration.yaml").write_text(
        "a: !include a.yaml\nb: !include b.yaml\n"
    )
    (config / "a.yaml").write_text("password: one-literal\n")
    (config / "b.yaml").write_text("token: two-literal\n")
    cache: dict[Any, Any] = {}
    first = scan_configuration(config, cache)
    assert [c.key for c in first.credentials] == ["password", "token"]
    assert first.graph.stats.files_parsed == 3

    (config / "b.yaml").write_text("token: !secret t\n")
    second = scan_configuration(config, cache)
    assert [c.key for c in second.credentials] == ["password"]
    assert second.graph.stats.files_parsed == 1  # a.yaml was not read again

    (config / "configuration.yaml").write_text("a: !include a.yaml\n")
    third = scan_configuration(config, cache)
    assert [c.key for c in third.credentials] == ["password"]
    assert {path for _, path in cache} == {
        str(config / "configuration.yaml"),
        str(config / "a.yaml"),
    }


def test_credentials_inside_strings_are_found_with_what_and_where() -> None:
    graph = read_config_graph(FIXTURES / "strings", {})
    assert graph.problems == ()
    credentials = scan_files(graph.files, {})
    assert [
        (c.file, c.line, c.key, c.kind, c.detail, c.placeholder) for c in credentials
    ] == [
        (
            "configuration.yaml",
            8,
            "rest_command.weather.url",
            "API key",
            "API key in the URL's `appid` parameter",
            False,
        ),
        (
            "configuration.yaml",
            10,
            "rest_command.router_notify.url",
            "password",
            "password in the URL's `pwd` parameter",
            False,
        ),
        (
            "configuration.yaml",
            14,
            "rest_command.portal_login.payload",
            "password",
            "password in the embedded JSON's `password` key",
            False,
        ),
        (
            "configuration.yaml",
            19,
            "rest_command.form_login.payload",
            "password",
            "password in the form body's `password` field",
            False,
        ),
        (
            "configuration.yaml",
            24,
            "rest_command.nasa.url",
            "API key",
            "API key in the URL's `api_key` parameter",
            True,
        ),
        (
            "configuration.yaml",
            28,
            "shell_command.nas_backup",
            "password",
            "password in the `-u` option of a curl command",
            False,
        ),
        (
            "configuration.yaml",
            29,
            "shell_command.sonarr_refresh",
            "API key",
            "API key in the `X-Api-Key` header of a command",
            False,
        ),
        (
            "configuration.yaml",
            34,
            "shell_command.example_curl",
            "password",
            "password in the `-u` option of a curl command",
            True,
        ),
        (
            "configuration.yaml",
            39,
            "command_line[0].sensor.command",
            "token",
            "token in the `Authorization` header of a command",
            False,
        ),
        (
            "configuration.yaml",
            44,
            "openweathermap_example.api_key",
            "API key",
            "",
            True,
        ),
        (
            "configuration.yaml",
            48,
            "camera[0].still_image_url",
            "URL with embedded password",
            "",
            True,
        ),
        (
            "packages/cameras.yaml",
            4,
            "camera[0].still_image_url",
            "password",
            "password in the URL's `pwd` parameter",
            False,
        ),
        ("packages/cameras.yaml", 10, "notify[0].data.token", "token", "", True),
    ]
    # Never a value: every planted one holds "canary".
    assert "canary" not in repr(credentials)


@pytest.mark.parametrize(
    ("text", "mount"),
    [
        ("shell_command:\n  google_token: sed -i s/a/b/ /config/x\n", ()),
        ("google_token: sed -i s/a/b/ /config/x\n", ("shell_command",)),
        ("net:\n  shell_command:\n    api_key: ls\n", ("homeassistant", "packages")),
        ("shell_command:\n  api_key: ls\n", ("homeassistant", "packages", "net")),
        ("logger:\n  logs:\n    custom_components.tibber_token: debug\n", ()),
        (
            "switch:\n  - platform: command_line\n    switches:\n      password: x\n",
            (),
        ),
        ("script:\n  refresh_token: {sequence: []}\n", ()),
    ],
)
def test_names_the_owner_chose_are_not_credential_keys(
    text: str, mount: tuple[str, ...]
) -> None:
    assert found(text, mount=mount) == []


def test_values_under_owner_names_are_still_read() -> None:
    text = (
        "shell_command:\n"
        "  google_token: curl -u me:S3cret https://x\n"
        "  upload:\n"
        "    password: S3cret\n"
    )
    assert found(text) == [
        ("password", 2, "shell_command.google_token"),
        ("password", 4, "shell_command.upload.password"),
    ]


def test_placeholders_under_credential_keys() -> None:
    text = (
        "a:\n"
        "  api_key: YOUR_API_KEY\n"
        "  password: !env_var PW changeme\n"
        "  token: real-one-123\n"
        "  pin: 0000\n"
    )
    credentials = scan_file(config_file(text))
    assert [(c.key, c.placeholder) for c in credentials] == [
        ("a.api_key", True),
        ("a.password", True),
        ("a.token", False),
    ]


def test_a_real_credential_beside_a_placeholder_is_real() -> None:
    text = "x: 'curl -u USERNAME:PASSWORD -H \"X-Api-Key: k3y-123\" https://x'\n"
    (credential,) = scan_file(config_file(text))
    assert credential.kind == "API key"
    assert credential.detail == "API key in the `X-Api-Key` header of a command"
    assert not credential.placeholder
