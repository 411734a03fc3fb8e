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

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Final

from .command_lines import scan_command
from .placeholders import is_placeholder
from .string_values import (
    StringCredential,
    is_value,
    mask_templates,
    name_kind,
    named,
    quoted_end,
    scan_parameters,
    without_scheme,
)
from .url_userinfo import url_passwords

if TYPE_CHECKING:
    from collections.abc import Iterator

    from .string_values import KindOf

# --- query parameters and form bodies -----------------------------------------------------

_SEPARATORS: Final = str.maketrans(dict.fromkeys("\"'`<>()[]{},|\\\t\n\r", " "))


def _scan_queries(masked: str, kind_of: KindOf) -> Iterator[StringCredential]:
    """Parameters of URL queries and form bodies."""
    stripped = masked.strip()
    for token in masked.translate(_SEPARATORS).split():
        if "=" not in token:
            continue
        if "?" in token:
            yield from scan_parameters(
                token.split("?", 1)[1],
                kind_of,
                "in the URL's `{name}` parameter",
                "in a parameter of a URL",
            )
        elif "&" in token or token == stripped:
            yield from scan_parameters(
                token,
                kind_of,
                "in the form body's `{name}` field",
                "in a field of a form body",
            )


# --- embedded JSON ------------------------------------------------------------------------


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
        end = quoted_end(text, start)
        if end < 0:
            continue
        colon = _skip_spaces(text, end + 1)
        if colon >= len(text) or text[colon] != ":":
            continue
        value_start = _skip_spaces(text, colon + 1)
        if value_start < len(text) and text[value_start] in "\"'":
            value_end = quoted_end(text, value_start)
            if value_end >= 0:
                yield text[start + 1 : end], text[value_start + 1 : value_end]
                index = value_end + 1


def _scan_json(masked: str, kind_of: KindOf) -> Iterator[StringCredential]:
    for name, written in _json_pairs(masked):
        kind = name_kind(name, kind_of)
        if kind is None:
            continue
        kind, value = without_scheme(kind, written)
        if not is_value(value):
            continue
        yield StringCredential(
            kind=kind,
            where=named(
                "in the embedded JSON's `{name}` key", name, "in a key of embedded JSON"
            ),
            placeholder=is_placeholder(value),
        )


# --- the whole string ---------------------------------------------------------------------

# Every form needs one of these words in the string (a search for fixed words: linear).
_HINTS = re.compile("pass|pw|key|token|secret|auth|cred|psk|appid|curl")


def may_hold_credential(text: str) -> bool:
    """Whether `text` may hold a credential that the string readers would find.

    A cheap test passed by every string in which `find_in_string` finds something (the same
    words), every URL with `user:password@` (an "@") and every PEM private key ("key");
    most strings of a configuration fail it and are not looked at further.
    """
    return "@" in text or _HINTS.search(text.lower()) is not None


def find_in_string(text: str, kind_of: KindOf) -> tuple[StringCredential, ...]:
    """Credentials inside `text`, each once, in the order of the forms above."""
    if not _HINTS.search(text.lower()):
        return ()
    masked = mask_templates(text)
    found: list[StringCredential] = []
    if "=" in masked:
        found.extend(_scan_queries(masked, kind_of))
    if " -" in masked:
        found.extend(scan_command(masked, kind_of))
    if ":" in masked and ('"' in masked or "'" in masked):
        found.extend(_scan_json(masked, kind_of))
    return tuple(dict.fromkeys(found))


def url_is_placeholder(text: str) -> bool:
    """Whether every `user:password@` written into `text`'s URLs is a placeholder."""
    masked = mask_templates(text)
    pairs = [
        (user, password)
        for user, start, end in url_passwords(masked)
        if is_value(password := masked[start:end])
    ]
    return bool(pairs) and all(
        is_placeholder(password) or is_placeholder(f"{user}:{password}")
        for user, password in pairs
    )
