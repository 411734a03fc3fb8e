"""Placeholders for repair texts, which Home Assistant renders as Markdown.

Many placeholders hold text that someone else chose: a long-lived token's name (any user
picks it), a user's or an add-on's name, a host name from reverse DNS, file names and keys.
Rendered as they are, `![](https://…)` shows a remote image and `[text](url)` a link in
Settings → Repairs. So every placeholder is made inert on its way to the issue registry and
the flows (`safe_placeholders`):

- plain text is escaped (`escape`): every character that can open Markdown or HTML is
  preceded by a backslash, the `:` of `://`, the `.` of `www.` and every `@` too (the
  extended autolinks), and line breaks become spaces;
- `{file}`, `{key_file}`, `{secret}`, `{host}`, `{provider}`, `{secrets_file}` and `{backup}`
  sit inside a code span of the text (`` `{file}` ``), where escapes do not work: a backtick in them, which would close the
  span, is replaced by a look-alike (`in_code`);
- text a check builds as Markdown on purpose is a `Markdown` string, with each piece of
  someone else's text put in through `escape` or `code` (a code span whose fence is longer
  than any run of backticks inside).

No Markdown library is used: the rules above only add characters that render as themselves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final
import unicodedata

if TYPE_CHECKING:
    from collections.abc import Mapping

CODE_PLACEHOLDERS: Final = frozenset(
    {"backup", "file", "host", "key_file", "provider", "secret", "secrets_file"}
)
"""Placeholders the texts always put inside a code span."""

_ALWAYS: Final = frozenset("\\`*[]<>|~#")
_BACKTICK_LOOKALIKE: Final = "\u02cb"  # MODIFIER LETTER GRAVE ACCENT


class Markdown(str):
    """Text that is already safe Markdown: built with `escape` and `code`."""

    __slots__ = ()


def _one_line(text: str) -> str:
    """Control characters (line breaks first) become spaces: no block can start."""
    return "".join(" " if unicodedata.category(char) == "Cc" else char for char in text)


def _word(text: str, index: int) -> bool:
    return 0 <= index < len(text) and text[index].isalnum()


def escape(text: str) -> str:
    """Plain text as inert Markdown: it renders as itself."""
    text = _one_line(text)
    out: list[str] = []
    for index, char in enumerate(text):
        if char in _ALWAYS or char == "@":
            out.append("\\")
        elif char == "_":
            if not (_word(text, index - 1) and _word(text, index + 1)):
                out.append("\\")  # inside a word `_` is inert (and common)
        elif char == ":":
            if text.startswith("//", index + 1):
                out.append("\\")  # no `scheme://` for an autolink
        elif char == "." and text[max(0, index - 3) : index].lower() == "www":
            out.append("\\")  # no `www.` for an autolink
        out.append(char)
    return "".join(out)


def code(text: str) -> Markdown:
    """Text as one inline code span that nothing in it can close."""
    text = _one_line(text)
    if not text:
        return Markdown("")
    longest = run = 0
    for char in text:
        run = run + 1 if char == "`" else 0
        longest = max(longest, run)
    fence = "`" * (longest + 1)
    pad = " " if text[0] in "` " or text[-1] in "` " else ""
    return Markdown(f"{fence}{pad}{text}{pad}{fence}")


def in_code(text: str) -> str:
    """Text for the inside of a code span that the translation opens and closes."""
    return _one_line(text).replace("`", _BACKTICK_LOOKALIKE)


def safe_placeholders(placeholders: Mapping[str, str]) -> dict[str, str]:
    """Every placeholder made inert for Markdown (see the module's description)."""
    safe: dict[str, str] = {}
    for name, value in placeholders.items():
        if isinstance(value, Markdown):
            safe[name] = str(value)
        elif name in CODE_PLACEHOLDERS:
            safe[name] = in_code(value)
        else:
            safe[name] = escape(value)
    return safe
