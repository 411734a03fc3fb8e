"""Obvious placeholders: a written-out value that is no working credential.

`YOUR_API_KEY`, `changeme`, `xxxxxxxx`, `REDACTED`, `<password>`, `USERNAME:PASSWORD`,
`DEMO_KEY`: a configuration holding one cannot work rather than leak. Judged from the value
alone, by its characters and its words (split at anything but letters and digits, and at
camelCase), never longer than a placeholder is.
"""

from __future__ import annotations

from typing import Final

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
