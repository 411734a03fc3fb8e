"""Credentials inside strings: each form by its context, decoys that are not, placeholders."""

from __future__ import annotations

import pytest

from custom_components.security_posture.inspect.command_lines import shell_words
from custom_components.security_posture.inspect.credential_kinds import credential_kind
from custom_components.security_posture.inspect.owner_names import keys_are_names
from custom_components.security_posture.inspect.placeholders import is_placeholder
from custom_components.security_posture.inspect.string_credentials import (
    find_in_string,
    url_is_placeholder,
)
from custom_components.security_posture.inspect.string_values import (
    StringCredential,
    mask_templates,
)

from .cpu_time import Hostile, assert_linear, repeated


def details(text: str) -> list[tuple[str, bool]]:
    return [(f.detail, f.placeholder) for f in find_in_string(text, credential_kind)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Query parameters.
        (
            "https://api.openweathermap.org/data/2.5/weather?q=Delft&appid=0123456789abcdef0123456789abcdef",
            "API key in the URL's `appid` parameter",
        ),
        (
            "https://maps.googleapis.com/maps/api/geocode/json?address=x&key=AIzaSyA1b2C3d4E5f6G7h8I9j0KlMnOpQ",
            "API key in the URL's `key` parameter",
        ),
        (
            "http://192.168.1.30/cgi-bin/CGIProxy.fcgi?cmd=snapPicture2&usr=admin&pwd=Cam3ra",
            "password in the URL's `pwd` parameter",
        ),
        (
            "https://api.example.com/v1/data?api_key=abc123def",
            "API key in the URL's `api_key` parameter",
        ),
        (
            "http://nas.local/set?user=a&password=hunter22#top",
            "password in the URL's `password` parameter",
        ),
        (
            "https://api.example.com/?access_token=abc.def.ghi",
            "token in the URL's `access_token` parameter",
        ),
        (
            '{"url": "https://x.example.com/hook?apiKey=abcdef123456"}',
            "API key in the URL's `apiKey` parameter",
        ),
        # Form bodies.
        (
            "username=ha&password=hunter22",
            "password in the form body's `password` field",
        ),
        ("password=hunter22", "password in the form body's `password` field"),
        # Command lines.
        (
            "curl -u homeassistant:S3cret https://nas.local/api",
            "password in the `-u` option of a curl command",
        ),
        (
            "/usr/bin/curl --user=ha:S3cret https://nas.local/api",
            "password in the `--user` option of a curl command",
        ),
        (
            "curl -uha:S3cret https://nas.local/api",
            "password in the `-u` option of a curl command",
        ),
        (
            "curl -s -H 'X-Api-Key: 0123456789abcdef' https://sonarr.local/api/v3/queue",
            "API key in the `X-Api-Key` header of a command",
        ),
        (
            'curl -H "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig" https://x',
            "token in the `Authorization` header of a command",
        ),
        (
            "curl --header='Authorization: Basic YWRtaW46cGFzcw==' https://x",
            "credentials in the `Authorization` header of a command",
        ),
        (
            "wget --header 'X-Auth-Token: abcdef' -O - https://x",
            "token in the `X-Auth-Token` header of a command",
        ),
        (
            "curl -X POST -d 'user=ha&password=hunter22' https://x",
            "password in the form body's `password` field",
        ),
        (
            "curl -F 'token=abc123' https://api.pushover.net/1/messages.json",
            "token in the form body's `token` field",
        ),
        (
            "mosquitto_pub -h broker -u ha -P MqttPass1 -t t -m m",
            "password in the `-P` option of a mosquitto_pub command",
        ),
        (
            "sshpass -p 'Sup3r' ssh root@192.168.1.5 reboot",
            "password in the `-p` option of a sshpass command",
        ),
        (
            "sshpass -pSup3r ssh root@192.168.1.5 reboot",
            "password in the `-p` option of a sshpass command",
        ),
        (
            "python3 /config/scripts/x.py --api-key=abc123 --verbose",
            "API key in the `--api-key` option of a command",
        ),
        (
            "python3 /config/scripts/x.py --password hunter22",
            "password in the `--password` option of a command",
        ),
        # Embedded JSON.
        (
            '{"username": "bob", "password": "hunter22"}',
            "password in the embedded JSON's `password` key",
        ),
        (
            "{'token' : 'abc123'}",
            "token in the embedded JSON's `token` key",
        ),
        (
            '{"Authorization": "abcdef0123"}',
            "token in the embedded JSON's `Authorization` key",
        ),
        (
            '{"X-Auth-Token": "Bearer abcdef0123"}',
            "token in the embedded JSON's `X-Auth-Token` key",
        ),
        (
            '{"headers": {"Authorization": "Bearer eyJ0eXAi.eyJpc3Mi.c2ln"}}',
            "token in the embedded JSON's `Authorization` key",
        ),
        (
            'curl -d \'{"api_key": "abc123"}\' https://x',
            "API key in the embedded JSON's `api_key` key",
        ),
    ],
)
def test_each_form_is_found(text: str, expected: str) -> None:
    assert details(text) == [(expected, False)]


def test_several_in_one_string_each_once() -> None:
    text = (
        "curl -u a:b1 -H 'X-Api-Key: k1' "
        "'https://x/?token=t1&token=t1' -d '{\"password\": \"p1\"}'"
    )
    assert details(text) == [
        ("token in the URL's `token` parameter", False),
        ("password in the `-u` option of a curl command", False),
        ("API key in the `X-Api-Key` header of a command", False),
        ("password in the embedded JSON's `password` key", False),
    ]
    chained = "curl -u a:b https://x ; mosquitto_pub -u a -P MqttPass1 -t t -m m"
    assert details(chained) == [
        ("password in the `-u` option of a curl command", False),
        ("password in the `-P` option of a mosquitto_pub command", False),
    ]


@pytest.mark.parametrize(
    "text",
    [
        # Templates and references fill the value in.
        "https://www.duckdns.org/update?domains=x&token={{states('sensor.duckdns_token')}}",
        "https://api.example.com/v1?api_key={{ states('input_text.k') }}&q=1",
        "https://api.example.com/v1?api_key={% if x %}a{% endif %}",
        "https://api.example.com/v1?api_key={{ unclosed",
        "curl -H 'Authorization: Bearer {{ token }}' https://x",
        "curl -H 'Authorization: Bearer $TOKEN' https://x",
        'curl -H "Authorization: Bearer ${TOKEN}" https://x',
        "curl -u ha:$NAS_PASSWORD https://x",
        "curl -u homeassistant https://x",  # curl asks for the password
        '{"password": "{{ states(\'input_text.pw\') }}"}',
        '{"password": ""}',
        '{"password": "!secret mqtt_password"}',
        "https://x/?password=%s",
        "https://x/?token=none",
        "https://x/?token=sensor.my_token",
        # Names that are not credentials, values without the shape of a key.
        "https://x/?key=temperature",
        "https://store.steampowered.com/api/appdetails?appids=730&appid=730",
        "https://x/?auth=1",
        "https://x/?code=1234&state=abc",
        "https://x/?password_reset=1&token_type=bearer",
        "https://x/?q=password",
        "curl -H 'Accept: application/json' https://x",
        "curl -H 'Content-Type: text/plain' -H 'X-Request-Id: 1234abcd' https://x",
        "-H 'X Api Key: a' -H no-colon",
        # A name too long to be a credential's.
        "https://x/?" + "a_" * 60 + "password=hunter22",
        # Other programs' options.
        "docker exec -u 1000:1000 container true",
        "ssh -p 2222 root@host",
        "mysqldump --password-file=/config/pw --token-path /x db",
        "app --no-password --password-stdin --user=a:b --header",
        "sed -i 's/token=.*/token=abc/' /config/x",
        "mosquitto_pub -P",
        "mosquitto_pub -P $MQTT_PASSWORD -t t",
        "curl https://x && docker run -u 1000:1000 image",
        # JSON that is no credential.
        '{"password_entity": "input_text.pw", "token_type": "bearer"}',
        '{"code": "1234"}',
        '{"password": 1234}',
        '{"password" "x"}',
        "'unclosed: \"x",
        # Nothing at all.
        "",
        "light.kitchen",
        "JgBQAAABKZIUERQ2FBEUNhQRFBEUERQ2FBEUNhQ2FBEUNhQ2FBEUERQ2",
        "8a1b2c3d4e5f60718293a4b5c6d7e8f9",
    ],
)
def test_decoys_are_not_credentials(text: str) -> None:
    assert details(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "https://api.nasa.gov/planetary/apod?api_key=DEMO_KEY",
            "API key in the URL's `api_key` parameter",
        ),
        (
            "https://api.example.com/?appid=YOUR_API_KEY",
            "API key in the URL's `appid` parameter",
        ),
        ("curl -u USERNAME:PASSWORD https://x", None),
        ("curl -H 'X-Api-Key: <your api key>' https://x", None),
        ('{"password": "changeme"}', None),
        ("http://nas/set?usr=admin&pwd=xxxxxxxx", None),
        ("http://nas/set?password=REDACTED", None),
    ],
)
def test_placeholders_are_marked(text: str, expected: str | None) -> None:
    found = find_in_string(text, credential_kind)
    assert len(found) == 1
    assert found[0].placeholder
    if expected is not None:
        assert found[0].detail == expected


@pytest.mark.parametrize(
    "value",
    [
        "YOUR_API_KEY",
        "your-api-key-here",
        "YourApiKey",
        "changeme",
        "CHANGE_ME",
        "xxxxxxxx",
        "XXXX-XXXX",
        "********",
        "REDACTED",
        "<password>",
        "[API key]",
        "{token}",
        "USERNAME:PASSWORD",
        "user:pass",
        "DEMO_KEY",
        "password",
        "token",
        "insert-token-here",
        "enter_password_here",
        "my_api_key",
        "example-token",
        "0000",
    ],
)
def test_is_placeholder(value: str) -> None:
    assert is_placeholder(value)


@pytest.mark.parametrize(
    "value",
    [
        "",
        "x" * 101,
        "hunter2",
        "S3cret!",
        "0123456789abcdef",
        "admin:admin",
        "admin:S3cret",
        "http://a:b",
        "1234",
        "x",
        "xx",
        "password123",
        "tokenizer",
        "<",
        "example.com:8080",
    ],
)
def test_is_not_placeholder(value: str) -> None:
    assert not is_placeholder(value)


def test_mask_templates() -> None:
    assert mask_templates("no template") == "no template"
    assert mask_templates("a{b}c") == "a{b}c"
    assert mask_templates("a{{ x }}b{% y %}c{# z #}d") == "a\x00b\x00c\x00d"
    assert mask_templates("a{{ unclosed") == "a\x00"
    assert mask_templates("{{a}}{{b}}") == "\x00\x00"


def test_shell_words() -> None:
    assert shell_words("a 'b c' \"d \\\"e\" f\\ g 'unclosed") == [
        "a",
        "b c",
        'd "e',
        "f g",
        "unclosed",
    ]
    assert shell_words("  ") == []
    assert shell_words("x ''") == ["x", ""]
    assert shell_words("'it''s'") == ["its"]


def test_url_is_placeholder() -> None:
    assert url_is_placeholder("rtsp://USERNAME:PASSWORD@cam/")
    assert url_is_placeholder("rtsp://admin:xxxx@cam/")
    assert not url_is_placeholder("rtsp://admin:S3cret@cam/")
    assert not url_is_placeholder("rtsp://USERNAME:PASSWORD@a/ rtsp://b:S3cret@c/")
    assert not url_is_placeholder("no url")


def test_names_are_shown_only_when_plain() -> None:
    odd = "x;pass"
    (found,) = find_in_string(f"https://x/?{odd}=hunter22", credential_kind)
    assert found == StringCredential(
        kind="password", where="in a parameter of a URL", placeholder=False
    )
    long_name = "a_" * 30 + "password"
    (found,) = find_in_string(f"curl --{long_name}=x1 https://x", credential_kind)
    assert found.where == "in an option of a command"


@pytest.mark.parametrize(
    ("path", "holder", "names"),
    [
        (("shell_command",), None, True),
        (("script",), None, True),
        (("rest_command",), None, True),
        (("homeassistant", "packages", "net", "shell_command"), None, True),
        (("homeassistant", "customize"), None, True),
        (("logger", "logs"), None, True),
        (("switch", "switches"), {"platform": "command_line"}, True),
        (("switch", "switches"), {"name": "x"}, False),
        (("switch", "switches"), None, False),
        ((), None, False),
        (("mqtt",), None, False),
        (("rest_command", "relay"), None, False),
        (("homeassistant", "packages", "net"), None, False),
        (("homeassistant", "packages"), None, True),
        (("script", "x", "variables"), None, False),
    ],
)
def test_keys_are_names(
    path: tuple[str, ...], holder: dict[str, str] | None, names: bool
) -> None:
    assert keys_are_names(path, holder) is names


# Inputs built to make a careless scanner quadratic: one megabyte each.
HOSTILE = [
    repeated('"', 1_000_000),
    repeated("'", 1_000_000),
    repeated('"a":', 250_000),
    repeated("\\", 1_000_000, '"password": \''),
    repeated('"password":"', 90_000),
    repeated("?password=", 100_000),
    repeated("&", 1_000_000, "", "password=x"),
    repeated(" -H", 333_333),
    repeated(" --password", 90_000),
    repeated(" -u", 333_333, "curl"),
    repeated("{{", 500_000),
    repeated("{", 1_000_000),
    repeated("://", 333_333),
    repeated("a:", 500_000, "a://"),
    repeated("\\", 1_000_000, "pass "),
    repeated("'a' ", 250_000, "token "),
]


@pytest.mark.parametrize("attack", HOSTILE, ids=range(len(HOSTILE)))
def test_linear_in_the_input(attack: Hostile) -> None:
    """Four times the input costs about four times the CPU time, from a sixty-fourth of
    the input up to the whole (see `cpu_time.assert_linear`); a quadratic scan would cost
    sixteen times as much (and hours on these)."""

    def scan(sample: str) -> None:
        find_in_string(sample, credential_kind)
        url_is_placeholder(sample)
        is_placeholder(sample)

    assert_linear(scan, attack.build, attack.sizes)
