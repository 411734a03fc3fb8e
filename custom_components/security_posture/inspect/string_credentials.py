"""Credentials inside strings, recognised by where they stand, and obvious placeholders.

A string can carry a credential that no mapping key names. Each form is recognised by its
context, the way the key-name rule recognises a mapping key, never by how random a value
looks (entity ids, device ids and IR codes look random too):

- a parameter of a URL's query or of a form body (`?api_key=`, `&appid=`, `&usr=…&pwd=…`,
  `username=…&password=…`): the parameter's name is judged by the key-name rule, plus the
  names APIs give their keys (`key`, `appid`, `auth`); for those three the value must also
  have the shape of a key (16 or more letters and digits, with both), since `?key=state` or
  Steam's `appid=730` are not keys;
- a command line, split into words like a shell does: `curl -u user:password` (`--user`,
  `-uuser:password`, `--user=…`; a user without `:` makes curl ask, so it is no credential),
  a header option (`-H`/`--header 'Name: value'`) whose header name is a credential name
  (`Authorization`, `X-Api-Key`, `X-Auth-Token`; the scheme word of `Bearer …` is skipped),
  a long option named like a credential (`--password x`, `--api-key=x`), `mosquitto_pub -P`,
  `sshpass -p`, and the form body of `curl -d`/`--data`/`-F`;
- an embedded JSON (or Python-style) mapping: a quoted key, `:`, then a quoted value
  (`"password": "…"` in a `payload`), the key judged by the key-name rule.

A value is no credential when it is empty, a template (`{{ … }}`, `{% … %}`, `{# … #}` are
masked out before anything else), a shell or printf variable (`$X`, `${X}`, `%s`), a tag
(`!secret x`, `!env_var X`), an entity id, or a word such as `none` or `true`.

A credential may be an obvious placeholder (`YOUR_API_KEY`, `changeme`, `xxxxxxxx`,
`REDACTED`, `<password>`, `USERNAME:PASSWORD`, `DEMO_KEY`): `is_placeholder` tells, and such
a configuration cannot work rather than leak.

Every scan is linear in the string's length: plain string methods, one pass each, and no
regular expression with a repeated group.
"""

# ruff: noqa: S105 - the strings here name kinds of credentials; none is a credential

from __future__ import annotations

from dataclasses import dataclass
import re
from typing import TYPE_CHECKING, Final
from urllib.parse import parse_qsl

from .masking import url_passwords

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

type KindOf = Callable[[str], str | None]
"""The key-name rule: the kind of credential a name stands for, or None."""

KIND_PASSWORD: Final = "password"
KIND_API_KEY: Final = "API key"
KIND_TOKEN: Final = "token"
KIND_CREDENTIALS: Final = "credentials"
KIND_AUTH_HEADER: Final = "authorization header"
_CONTEXT_CODE: Final = (
    "code"  # the key-name rule's bare `code`: only an alarm's or lock's
)

_TEMPLATE_MARK: Final = "\x00"
_TEMPLATE_CLOSE: Final = {"{": "}}", "%": "%}", "#": "#}"}

# --- values -------------------------------------------------------------------------------

_NOT_VALUES: Final = frozenset(
    {"none", "null", "true", "false", "yes", "no", "on", "off", "n/a", "-", "~"}
)
_TAGS: Final = ("!secret", "!env_var", "!input", "!include")
_VARIABLE_STARTS: Final = ("$", "%")
_ENTITY_ID = re.compile(r"[a-z][a-z0-9_]*\.[a-z0-9_]+")
_SHAPE_MIN: Final = 16
_KEY_CHARS: Final = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_."
)
_NAME_CHARS: Final = _KEY_CHARS
_NAME_MAX: Final = 40


def mask_templates(text: str) -> str:
    """`text` with every template (`{{ … }}`, `{% … %}`, `{# … #}`) replaced by one mark."""
    if "{" not in text:
        return text
    out: list[str] = []
    start = 0
    search = 0
    while (brace := text.find("{", search)) >= 0:
        close = _TEMPLATE_CLOSE.get(text[brace + 1 : brace + 2])
        if close is None:
            search = brace + 1
            continue
        out.append(text[start:brace])
        out.append(_TEMPLATE_MARK)
        end = text.find(close, brace + 2)
        if end < 0:  # an unclosed template runs to the end
            return "".join(out)
        start = search = end + 2
    out.append(text[start:])
    return "".join(out)


def _is_value(value: str) -> bool:
    """Whether `value` (templates masked) is written out, rather than filled in or empty."""
    text = value.strip()
    return bool(
        text
        and _TEMPLATE_MARK not in text
        and not text.startswith(_VARIABLE_STARTS)
        and not text.startswith(_TAGS)
        and text.lower() not in _NOT_VALUES
        and not _ENTITY_ID.fullmatch(text)
    )


def _has_key_shape(value: str) -> bool:
    """16 or more letters, digits, `-`, `_` or `.`, with at least one letter and one digit."""
    return (
        len(value) >= _SHAPE_MIN
        and _KEY_CHARS.issuperset(value)
        and any(c.isdigit() for c in value)
        and any(c.isalpha() for c in value)
    )


def _shown(name: str) -> str | None:
    """A name as it may be shown (plain, short), or None."""
    if name and len(name) <= _NAME_MAX and _NAME_CHARS.issuperset(name):
        return name
    return None


# --- placeholders -------------------------------------------------------------------------

# Words that only a placeholder is made of ...
_FILLER_WORDS: Final = frozenset(
    {
        "a",
        "access",
        "account",
        "api",
        "apikey",
        "app",
        "application",
        "auth",
        "bearer",
        "client",
        "code",
        "for",
        "goes",
        "id",
        "key",
        "login",
        "long",
        "lived",
        "me",
        "name",
        "of",
        "pass",
        "passwd",
        "password",
        "pin",
        "pw",
        "pwd",
        "secret",
        "the",
        "this",
        "to",
        "token",
        "user",
        "username",
        "value",
        "with",
    }
)
# ... when one of them says so.
_MARKER_WORDS: Final = frozenset(
    {
        "changeme",
        "censored",
        "change",
        "demo",
        "dummy",
        "enter",
        "example",
        "fake",
        "fixme",
        "here",
        "hidden",
        "insert",
        "masked",
        "my",
        "placeholder",
        "put",
        "redacted",
        "removed",
        "replace",
        "sample",
        "tbd",
        "todo",
        "your",
        "yourapikey",
        "yourtoken",
        "yourpassword",
    }
)
# A value that is only the name of what belongs there: `password: password`.
_BARE_WORDS: Final = frozenset(
    {"apikey", "pass", "passwd", "password", "pwd", "secret", "token", "changeme"}
)
_MASK_CHARS: Final = frozenset("xX*.#-_•?")
_ENCLOSERS: Final = (("<", ">"), ("[", "]"), ("{", "}"))
_MIN_MASK: Final = 3
_PLACEHOLDER_MAX: Final = 100


def _words(text: str) -> list[str]:
    """Lower-case words of `text`: split at anything but letters and digits, and at camelCase."""
    words: list[str] = []
    current: list[str] = []
    previous = ""
    for char in text:
        if not char.isalnum():
            if current:
                words.append("".join(current).lower())
                current = []
        else:
            if char.isupper() and previous.islower() and current:
                words.append("".join(current).lower())
                current = []
            current.append(char)
        previous = char
    if current:
        words.append("".join(current).lower())
    return words


def _is_x_run(word: str) -> bool:
    return len(word) >= _MIN_MASK and set(word) == {"x"}


def is_placeholder(value: str) -> bool:
    """Whether a written-out value is an obvious placeholder, not a working credential."""
    text = value.strip()
    if not text or len(text) > _PLACEHOLDER_MAX:
        return False  # a placeholder is short
    if len(set(text)) == 1 and len(text) >= _MIN_MASK:
        return True  # `xxxx`, `****`, `0000`
    if len(text) >= _MIN_MASK and _MASK_CHARS.issuperset(text):
        return True  # `XXXX-XXXX`, `***.***`
    if any(
        text.startswith(opener) and text.endswith(closer) and len(text) > len(opener)
        for opener, closer in _ENCLOSERS
    ):
        return True  # `<password>`, `[API key]`, `{token}`
    if text.count(":") == 1 and not text.startswith(("http", "/")):
        user, _, password = text.partition(":")
        # `USERNAME:PASSWORD`, `user:pass`
        return _is_placeholder_words(user) and _is_placeholder_words(password)
    return _is_placeholder_words(text)


def _is_placeholder_words(text: str) -> bool:
    words = _words(text)
    if not words:
        return False
    if len(words) == 1 and words[0] in _BARE_WORDS | {"user", "username"}:
        return True
    markers = [w for w in words if w in _MARKER_WORDS or _is_x_run(w)]
    return bool(markers) and all(
        w in _FILLER_WORDS or w in _MARKER_WORDS or _is_x_run(w) for w in words
    )


# --- what was found -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StringCredential:
    """A credential found inside a string: its kind and where it stands. Never the value."""

    kind: str
    where: str
    """Where in the string, for people: "in the URL's `appid` parameter"."""
    placeholder: bool = False

    @property
    def detail(self) -> str:
        """What was found: "API key in the URL's `appid` parameter"."""
        return f"{self.kind} {self.where}"


_NAME_LIMIT: Final = 100


def _kind(name: str, kind_of: KindOf) -> str | None:
    """The key-name rule on a name found in a string; a long name is no credential's."""
    if len(name) > _NAME_LIMIT:
        return None
    kind = kind_of(name)
    return None if kind == _CONTEXT_CODE else kind


def _named(template: str, name: str, anonymous: str) -> str:
    """`template` with the name filled in, or `anonymous` when the name cannot be shown."""
    shown = _shown(name)
    return anonymous if shown is None else template.format(name=shown)


# --- query parameters and form bodies -----------------------------------------------------

# Names APIs give keys, which the key-name rule does not count alone.
_SHAPED_PARAMETERS: Final = {
    "key": KIND_API_KEY,
    "appid": KIND_API_KEY,
    "auth": KIND_TOKEN,
}
_PASSWORD_PARAMETERS: Final = frozenset({"pw", "pwd", "pass", "passwd", "password"})
_SEPARATORS: Final = str.maketrans(dict.fromkeys("\"'`<>()[]{},|\\\t\n\r", " "))


def _parameter_kind(name: str, kind_of: KindOf) -> tuple[str | None, bool]:
    """The kind a query or form parameter holds, and whether its value must look like a key."""
    compact = name.lower().replace("_", "").replace("-", "")
    if (kind := _SHAPED_PARAMETERS.get(compact)) is not None:
        return kind, True
    if compact in _PASSWORD_PARAMETERS:
        return KIND_PASSWORD, False
    return _kind(name, kind_of), False


def _scan_parameters(
    query: str, kind_of: KindOf, where: str, anonymous: str
) -> Iterator[StringCredential]:
    for name, value in parse_qsl(query.split("#", 1)[0]):
        kind, shaped = _parameter_kind(name, kind_of)
        if kind is None or not _is_value(value):
            continue
        if shaped and not (_has_key_shape(value.strip()) or is_placeholder(value)):
            continue
        yield StringCredential(
            kind=kind,
            where=_named(where, name, anonymous),
            placeholder=is_placeholder(value),
        )


def _scan_queries(masked: str, kind_of: KindOf) -> Iterator[StringCredential]:
    """Parameters of URL queries and form bodies."""
    stripped = masked.strip()
    for token in masked.translate(_SEPARATORS).split():
        if "=" not in token:
            continue
        if "?" in token:
            yield from _scan_parameters(
                token.split("?", 1)[1],
                kind_of,
                "in the URL's `{name}` parameter",
                "in a parameter of a URL",
            )
        elif "&" in token or token == stripped:
            yield from _scan_parameters(
                token,
                kind_of,
                "in the form body's `{name}` field",
                "in a field of a form body",
            )


# --- command lines ------------------------------------------------------------------------

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
_AUTH_SCHEMES: Final = frozenset({"bearer", "basic", "token", "bot", "apikey", "key"})
# Long options that take a value but are not credential options, even if named like one.
_NOT_CREDENTIAL_OPTIONS: Final = frozenset({"user", "header", "data"})


def _closing(text: str, start: int) -> int:
    """Where the quote opened at `start` closes (the end of the text if it does not)."""
    # Nothing is escaped between single quotes.
    end = text.find("'", start + 1) if text[start] == "'" else _quoted_end(text, start)
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


def _without_scheme(kind: str, value: str) -> tuple[str, str]:
    """The kind and the credential of a value: `Bearer abc` gives a token, `abc`.

    An authorization value is a token, or user and password (`Basic`) as credentials.
    """
    scheme, space, rest = value.strip().partition(" ")
    if space and scheme.lower() in _AUTH_SCHEMES:
        value = rest
        if kind == KIND_AUTH_HEADER:
            kind = KIND_CREDENTIALS if scheme.lower() == "basic" else KIND_TOKEN
    elif kind == KIND_AUTH_HEADER:
        kind = KIND_TOKEN
    return kind, value.strip()


def _header(argument: str, kind_of: KindOf) -> StringCredential | None:
    """`Name: value` of a header option."""
    name, colon, value = argument.partition(":")
    name = name.strip()
    if not colon or not name or " " in name:
        return None
    kind = _kind(name, kind_of)
    if kind is None:
        return None
    kind, value = _without_scheme(kind, value)
    if not _is_value(value):
        return None
    return StringCredential(
        kind=kind,
        where=_named(
            "in the `{name}` header of a command", name, "in a header of a command"
        ),
        placeholder=is_placeholder(value),
    )


def _curl_user(argument: str, option: str) -> StringCredential | None:
    """`user:password` of `curl -u`; a user alone makes curl ask for the password."""
    _, colon, password = argument.partition(":")
    if not colon or not _is_value(password):
        return None
    return StringCredential(
        kind=KIND_PASSWORD,
        where=f"in the `{option}` option of a curl command",
        placeholder=is_placeholder(password) or is_placeholder(argument),
    )


def _scan_command(masked: str, kind_of: KindOf) -> Iterator[StringCredential]:
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
        _scan_parameters(
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
    if argument is None or not _is_value(argument):
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
    kind = None if name in _NOT_CREDENTIAL_OPTIONS else _kind(name, kind_of)
    if kind is None or not _is_value(argument):
        return []
    return [
        StringCredential(
            kind=kind,
            where=_named(
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


# --- embedded JSON ------------------------------------------------------------------------


def _quoted_end(text: str, start: int) -> int:
    """The index of the quote closing the one at `start`, or -1."""
    quote = text[start]
    index = start + 1
    length = len(text)
    while index < length:
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char == quote:
            return index
        index += 1
    return -1


def _skip_spaces(text: str, index: int) -> int:
    length = len(text)
    while index < length and text[index] in " \t\r\n":
        index += 1
    return index


def _next_quote(text: str, start: int, cache: list[int]) -> int:
    """The next `"` or `'` at or after `start` (each kind searched once per position)."""
    for slot, quote in enumerate("\"'"):
        if cache[slot] != -1 and cache[slot] < start:
            cache[slot] = text.find(quote, start)
    found = [position for position in cache if position != -1]
    return min(found) if found else -1


def _json_pairs(text: str) -> Iterator[tuple[str, str]]:
    """Quoted keys followed by `:` and a quoted value, left to right.

    Every quote is tried as the start of a key, so a key inside a quoted command
    (`-d '{"password": "…"}'`) is found too. This stays linear: a quote's string ends at the
    next quote of its kind, so the strings tried for one kind of quote never overlap, and a
    quote that is never closed is the last of its kind.
    """
    cache = [text.find('"'), text.find("'")]
    index = 0
    while (start := _next_quote(text, index, cache)) >= 0:
        index = start + 1
        end = _quoted_end(text, start)
        if end < 0:
            continue
        colon = _skip_spaces(text, end + 1)
        if colon >= len(text) or text[colon] != ":":
            continue
        value_start = _skip_spaces(text, colon + 1)
        if value_start < len(text) and text[value_start] in "\"'":
            value_end = _quoted_end(text, value_start)
            if value_end >= 0:
                yield text[start + 1 : end], text[value_start + 1 : value_end]
                index = value_end + 1


def _scan_json(masked: str, kind_of: KindOf) -> Iterator[StringCredential]:
    for name, written in _json_pairs(masked):
        kind = _kind(name, kind_of)
        if kind is None:
            continue
        kind, value = _without_scheme(kind, written)
        if not _is_value(value):
            continue
        yield StringCredential(
            kind=kind,
            where=_named(
                "in the embedded JSON's `{name}` key", name, "in a key of embedded JSON"
            ),
            placeholder=is_placeholder(value),
        )


# --- the whole string ---------------------------------------------------------------------

# Every form needs one of these words in the string (a search for fixed words: linear).
_HINTS = re.compile("pass|pw|key|token|secret|auth|cred|psk|appid|curl")


def find_in_string(text: str, kind_of: KindOf) -> tuple[StringCredential, ...]:
    """Credentials inside `text`, each once, in the order of the forms above."""
    if not _HINTS.search(text.lower()):
        return ()
    masked = mask_templates(text)
    found: list[StringCredential] = []
    if "=" in masked:
        found.extend(_scan_queries(masked, kind_of))
    if " -" in masked:
        found.extend(_scan_command(masked, kind_of))
    if ":" in masked and ('"' in masked or "'" in masked):
        found.extend(_scan_json(masked, kind_of))
    return tuple(dict.fromkeys(found))


def url_is_placeholder(text: str) -> bool:
    """Whether every `user:password@` written into `text`'s URLs is a placeholder."""
    masked = mask_templates(text)
    pairs = [
        (user, password)
        for user, start, end in url_passwords(masked)
        if _is_value(password := masked[start:end])
    ]
    return bool(pairs) and all(
        is_placeholder(password) or is_placeholder(f"{user}:{password}")
        for user, password in pairs
    )
