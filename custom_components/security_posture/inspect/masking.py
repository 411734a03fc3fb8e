"""Find `user:password@` in URLs in linear time, and mask credentials in names.

`url_passwords` finds what `scheme://user:password@` means in any text: a scheme (a letter
starting a word, then letters, digits, `+`, `.`, `-`), `://`, a user part without `:`, a
password part, `@`; neither part holds whitespace or one of `/?#@"'<>`. It is a plain scan,
not a regular expression: each `://` is looked at once, backwards over its scheme and forwards
over its authority, and neither stretch can reach past the next or the previous `://` (both
stop at `/` and `:`), so the work is linear in the text whatever the text is. (A backtracking
pattern took seconds for 48 KB and hours for a megabyte.)

`mask_credentials` is applied wherever a name is built from the configuration (a key path,
a secret's name, a subject, a title): a URL password becomes `***`, a PEM private key the
words `[private key]`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from collections.abc import Iterator

MASK: Final = "***"
PRIVATE_KEY_MASK: Final = "[private key]"
_SEPARATOR: Final = "://"
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
    while (found := text.find(_SEPARATOR, search)) >= 0:
        search = found + len(_SEPARATOR)
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


def mask_path(path: str) -> str:
    """A path with `user:password@` masked in each component.

    A path is normalised (`https://u:pw@host/x` becomes `https:/u:pw@host/x`), so the URL
    scan no longer sees it: a component with a `:` before an `@` is masked instead.
    """
    parts = path.split("/")
    for index, part in enumerate(parts):
        colon, at = part.find(":"), part.rfind("@")
        if 0 <= colon < at:
            parts[index] = f"{part[: colon + 1]}{MASK}{part[at:]}"
    return mask_credentials("/".join(parts))


def mask_credentials(text: str) -> str:
    """`text` with URL passwords replaced by `***`; a text holding a private key is masked.

    A text holding a credential in any other form found inside strings (a query parameter,
    `curl -u`, a header option, embedded JSON) is masked whole.
    """
    if "PRIVATE KEY-----" in text and "-----BEGIN" in text:
        return PRIVATE_KEY_MASK
    if _holds_string_credential(text):
        return MASK
    if "@" not in text or _SEPARATOR not in text:
        return text
    parts: list[str] = []
    last = 0
    for _user, start, end in url_passwords(text):
        parts += (text[last:start], MASK)
        last = end
    if not parts:
        return text
    parts.append(text[last:])
    return "".join(parts)


def _holds_string_credential(text: str) -> bool:
    """Whether `text` holds a credential in a form found inside strings (not a URL's)."""
    if not any(char in text for char in "=:-"):
        return False  # every such form needs one of these: most names are done here
    # Imported here: the recognisers sit above the configuration reader, which uses this.
    from .credential_kinds import credential_kind  # noqa: PLC0415
    from .string_credentials import find_in_string  # noqa: PLC0415

    return any(not found.placeholder for found in find_in_string(text, credential_kind))
