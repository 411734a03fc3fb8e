"""Find `user:password@` in URLs in any text, in linear time.

`url_passwords` finds what `scheme://user:password@` means in any text: a scheme (a letter
starting a word, then letters, digits, `+`, `.`, `-`), `://`, a user part without `:`, a
password part, `@`; neither part holds whitespace or one of `/?#@"'<>`. It is a plain scan,
not a regular expression: each `://` is looked at once, backwards over its scheme and forwards
over its authority, and neither stretch can reach past the next or the previous `://` (both
stop at `/` and `:`), so the work is linear in the text whatever the text is. (A backtracking
pattern took seconds for 48 KB and hours for a megabyte.)

It imports nothing of ours: the recognisers of credentials (`credential_kinds`,
`string_credentials`) and the masking of names (`masking`) all use it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from collections.abc import Iterator

SEPARATOR: Final = "://"
"""What every URL with a `user:password@` holds (a quick test before the scan)."""
_SCHEME_PUNCTUATION: Final = frozenset("+.-")
_AUTHORITY_STOP: Final = frozenset("/?#@\"'<>")


def _is_scheme_char(char: str) -> bool:
    return (char.isascii() and char.isalnum()) or char in _SCHEME_PUNCTUATION


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def _has_scheme(text: str, end: int) -> bool:
    """Whether a scheme ends at `end`: a letter at a word start, then scheme characters."""
    start = end
    while start > 0 and _is_scheme_char(text[start - 1]):
        start -= 1
    for index in range(start, end):
        char = text[index]
        if not (char.isascii() and char.isalpha()):
            continue
        if index == 0 or not _is_word_char(text[index - 1]):
            return True
    return False


def url_passwords(text: str) -> Iterator[tuple[str, int, int]]:
    """Every `scheme://user:password@`: the user, and where the password starts and ends."""
    search = 0
    while (found := text.find(SEPARATOR, search)) >= 0:
        search = found + len(SEPARATOR)
        if not _has_scheme(text, found):
            continue
        end = search
        while (
            end < len(text)
            and text[end] not in _AUTHORITY_STOP
            and not text[end].isspace()
        ):
            end += 1
        if end == len(text) or text[end] != "@":
            continue
        colon = text.find(":", search, end)
        if colon < 0 or colon + 1 == end:
            continue
        yield text[search:colon], colon + 1, end
        search = end + 1
