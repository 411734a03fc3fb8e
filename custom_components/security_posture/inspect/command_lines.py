"""Credentials given on a command line (`shell_command`, `command_line`, ...).

The line is split into words like a shell does, then each option is judged by what it is:
`curl -u user:password` (`--user`, `-uuser:password`, `--user=…`; a user without `:` makes
curl ask, so it is no credential), a header option (`-H`/`--header 'Name: value'`) whose
header name is a credential name (`Authorization`, `X-Api-Key`, `X-Auth-Token`; the scheme
word of `Bearer …` is skipped), a long option named like a credential (`--password x`,
`--api-key=x`), `mosquitto_pub -P`, `sshpass -p`, and the form body of `curl -d`/`--data`/`-F`.
One pass over the words; splitting is one pass over the line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from .credential_kinds import KIND_PASSWORD
from .placeholders import is_placeholder
from .string_values import (
    StringCredential,
    is_value,
    name_kind,
    named,
    quoted_end,
    scan_parameters,
    without_scheme,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

    from .string_values import KindOf

_OPERATORS: Final = frozenset({";", "&&", "||", "|", "&"})
_CURL_USER: Final = frozenset({"-u", "--user", "-U", "--proxy-user"})
_HEADER_OPTIONS: Final = frozenset({"-H", "--header"})
_DATA_OPTIONS: Final = frozenset(
    {
        "-d",
        "--data",
        "--data-raw",
        "--data-ascii",
        "--data-binary",
        "--data-urlencode",
        "-F",
        "--form",
        "--form-string",
    }
)
# Programs whose short option takes a password.
_PASSWORD_OPTIONS: Final = {
    "mosquitto_pub": "-P",
    "mosquitto_sub": "-P",
    "mosquitto_rr": "-P",
    "sshpass": "-p",
}
# Long options that take a value but are not credential options, even if named like one.
_NOT_CREDENTIAL_OPTIONS: Final = frozenset({"user", "header", "data"})


def _closing(text: str, start: int) -> int:
    """Where the quote opened at `start` closes (the end of the text if it does not)."""
    # Nothing is escaped between single quotes.
    end = text.find("'", start + 1) if text[start] == "'" else quoted_end(text, start)
    return len(text) if end < 0 else end


def shell_words(text: str) -> list[str]:
    """Split like a POSIX shell: quotes group, a backslash escapes; never fails, one pass."""
    words: list[str] = []
    current: list[str] = []
    in_word = False
    index = 0
    while index < len(text):
        char = text[index]
        if char.isspace():
            if in_word:
                words.append("".join(current))
                current = []
                in_word = False
            index += 1
            continue
        in_word = True
        if char in "'\"":
            end = _closing(text, index)
            quoted = text[index + 1 : end]
            current.append(quoted if char == "'" else quoted.replace('\\"', '"'))
            index = end + 1
        elif char == "\\":
            current.append(text[index + 1 : index + 2])
            index += 2
        else:
            current.append(char)
            index += 1
    if in_word:
        words.append("".join(current))
    return words


def _header(argument: str, kind_of: KindOf) -> StringCredential | None:
    """`Name: value` of a header option."""
    name, colon, value = argument.partition(":")
    name = name.strip()
    if not colon or not name or " " in name:
        return None
    kind = name_kind(name, kind_of)
    if kind is None:
        return None
    kind, value = without_scheme(kind, value)
    if not is_value(value):
        return None
    return StringCredential(
        kind=kind,
        where=named(
            "in the `{name}` header of a command", name, "in a header of a command"
        ),
        placeholder=is_placeholder(value),
    )


def _curl_user(argument: str, option: str) -> StringCredential | None:
    """`user:password` of `curl -u`; a user alone makes curl ask for the password."""
    _, colon, password = argument.partition(":")
    if not colon or not is_value(password):
        return None
    return StringCredential(
        kind=KIND_PASSWORD,
        where=f"in the `{option}` option of a curl command",
        placeholder=is_placeholder(password) or is_placeholder(argument),
    )


def scan_command(masked: str, kind_of: KindOf) -> Iterator[StringCredential]:
    """Credentials given as options of a command line."""
    words = shell_words(masked)
    program = ""
    for index, word in enumerate(words):
        following = words[index + 1] if index + 1 < len(words) else None
        if word in _OPERATORS:
            program = ""
            continue
        base = word.rsplit("/", 1)[-1]
        if base == "curl" or base in _PASSWORD_OPTIONS:
            program = base
            continue
        for option in _OPTION_RULES:
            if (found := option(word, following, program, kind_of)) is not None:
                yield from found
                break


type _Found = list[StringCredential] | None
"""What an option rule gives: None if the rule does not apply to the word."""


def _curl_option(
    word: str, following: str | None, program: str, kind_of: KindOf
) -> _Found:
    """`curl -u user:password`, `-uuser:password`, `--user=user:password`."""
    if program != "curl":
        return None
    if word in _CURL_USER:
        argument, option = following, word
    elif word.startswith(("--user=", "--proxy-user=")):
        option, _equals, argument = word.partition("=")
    elif word.startswith("-u") and len(word) > len("-u"):
        argument, option = word[2:], "-u"
    else:
        return None
    found = _curl_user(argument, option) if argument is not None else None
    return [found] if found is not None else []


def _header_option(
    word: str, following: str | None, program: str, kind_of: KindOf
) -> _Found:
    """`-H 'Name: value'`, `--header 'Name: value'`, `--header=Name: value`."""
    if word in _HEADER_OPTIONS:
        argument = following
    elif word.startswith("--header="):
        argument = word.partition("=")[2]
    else:
        return None
    found = _header(argument, kind_of) if argument is not None else None
    return [found] if found is not None else []


def _data_option(
    word: str, following: str | None, program: str, kind_of: KindOf
) -> _Found:
    """A form body: `-d 'user=a&password=b'`, `-F password=b` (JSON bodies: see below)."""
    if word not in _DATA_OPTIONS:
        return None
    if following is None or "=" not in following or following.startswith("@"):
        return []
    return list(
        scan_parameters(
            following,
            kind_of,
            "in the form body's `{name}` field",
            "in a field of a form body",
        )
    )


def _password_option(
    word: str, following: str | None, program: str, kind_of: KindOf
) -> _Found:
    """`mosquitto_pub -P password`, `sshpass -p password` (or `-ppassword`)."""
    option = _PASSWORD_OPTIONS.get(program)
    if option is None or not word.startswith(option):
        return None
    argument = following if word == option else word[len(option) :]
    if argument is None or not is_value(argument):
        return []
    return [
        StringCredential(
            kind=KIND_PASSWORD,
            where=f"in the `{option}` option of a {program} command",
            placeholder=is_placeholder(argument),
        )
    ]


def _long_option(
    word: str, following: str | None, program: str, kind_of: KindOf
) -> _Found:
    """A long option named like a credential: `--password x`, `--api-key=x`."""
    if not word.startswith("--") or len(word) == len("--"):
        return None
    name, equals, argument = word[2:].partition("=")
    if not equals:
        argument = following if following and not following.startswith("-") else ""
    kind = None if name in _NOT_CREDENTIAL_OPTIONS else name_kind(name, kind_of)
    if kind is None or not is_value(argument):
        return []
    return [
        StringCredential(
            kind=kind,
            where=named(
                "in the `--{name}` option of a command",
                name,
                "in an option of a command",
            ),
            placeholder=is_placeholder(argument),
        )
    ]


_OPTION_RULES: Final = (
    _curl_option,
    _header_option,
    _data_option,
    _password_option,
    _long_option,
)
