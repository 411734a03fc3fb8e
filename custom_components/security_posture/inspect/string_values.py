"""What every form of credential inside a string shares: values, names, what was found.

A value is no credential when it is empty, a template (`{{ … }}`, `{% … %}`, `{# … #}` are
masked out before anything else), a shell or printf variable (`$X`, `${X}`, `%s`), a tag
(`!secret x`, `!env_var X`), an entity id, or a word such as `none` or `true`. A name is
judged by the key-name rule (`credentials.credential_kind`), passed in as `kind_of`.

Query parameters and form bodies are here too: a command's `curl -d` carries one.
"""

from __future__ import annotations

from dataclasses import dataclass
import re
from typing import TYPE_CHECKING, Final
from urllib.parse import parse_qsl

from .credential_kinds import (
    CONTEXT_CODE,
    KIND_API_KEY,
    KIND_AUTH_HEADER,
    KIND_CREDENTIALS,
    KIND_PASSWORD,
    KIND_TOKEN,
)
from .placeholders import is_placeholder

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

type KindOf = Callable[[str], str | None]
"""The key-name rule: the kind of credential a name stands for, or None."""


_TEMPLATE_MARK: Final = "\x00"
_TEMPLATE_CLOSE: Final = {"{": "}}", "%": "%}", "#": "#}"}
_AUTH_SCHEMES: Final = frozenset({"bearer", "basic", "token", "bot", "apikey", "key"})

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


def is_value(value: str) -> bool:
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


def has_key_shape(value: str) -> bool:
    """16 or more letters, digits, `-`, `_` or `.`, with at least one letter and one digit."""
    return (
        len(value) >= _SHAPE_MIN
        and _KEY_CHARS.issuperset(value)
        and any(c.isdigit() for c in value)
        and any(c.isalpha() for c in value)
    )


def shown_name(name: str) -> str | None:
    """A name as it may be shown (plain, short), or None."""
    if name and len(name) <= _NAME_MAX and _NAME_CHARS.issuperset(name):
        return name
    return None


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


def name_kind(name: str, kind_of: KindOf) -> str | None:
    """The key-name rule on a name found in a string; a long name is no credential's."""
    if len(name) > _NAME_LIMIT:
        return None
    kind = kind_of(name)
    return None if kind == CONTEXT_CODE else kind


def named(template: str, name: str, anonymous: str) -> str:
    """`template` with the name filled in, or `anonymous` when the name cannot be shown."""
    shown = shown_name(name)
    return anonymous if shown is None else template.format(name=shown)


# --- query parameters and form bodies -----------------------------------------------------

# Names APIs give keys, which the key-name rule does not count alone.
_SHAPED_PARAMETERS: Final = {
    "key": KIND_API_KEY,
    "appid": KIND_API_KEY,
    "auth": KIND_TOKEN,
}
_PASSWORD_PARAMETERS: Final = frozenset({"pw", "pwd", "pass", "passwd", "password"})


def _parameter_kind(name: str, kind_of: KindOf) -> tuple[str | None, bool]:
    """The kind a query or form parameter holds, and whether its value must look like a key."""
    compact = name.lower().replace("_", "").replace("-", "")
    if (kind := _SHAPED_PARAMETERS.get(compact)) is not None:
        return kind, True
    if compact in _PASSWORD_PARAMETERS:
        return KIND_PASSWORD, False
    return name_kind(name, kind_of), False


def scan_parameters(
    query: str, kind_of: KindOf, where: str, anonymous: str
) -> Iterator[StringCredential]:
    """Credentials in the parameters of a query or form body (`a=1&password=x`).

    `where` names the parameter (`{name}`); `anonymous` stands in when it cannot be shown.
    """
    for name, value in parse_qsl(query.split("#", 1)[0]):
        kind, shaped = _parameter_kind(name, kind_of)
        if kind is None or not is_value(value):
            continue
        if shaped and not (has_key_shape(value.strip()) or is_placeholder(value)):
            continue
        yield StringCredential(
            kind=kind,
            where=named(where, name, anonymous),
            placeholder=is_placeholder(value),
        )


# --- quoted strings and authorization values -----------------------------------------------


def quoted_end(text: str, start: int) -> int:
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


def without_scheme(kind: str, value: str) -> tuple[str, str]:
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
