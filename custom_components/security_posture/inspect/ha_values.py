"""Home Assistant's own rules for a few configuration values, without importing it.

The HTTP settings written in YAML are read by the command-line scanner too, which runs
without Home Assistant. The four validators that reading needs are written here as
`homeassistant.helpers.config_validation` writes them (`boolean`, `slug`, `ensure_list`,
`remove_falsy`); a test holds them equal to Home Assistant's on every release the
integration supports. (Home Assistant 2026.11 raises `probatio.Invalid` where 2025.4 raises
`voluptuous.Invalid`: here an invalid value is a `ValueError` on every release.)
"""

from __future__ import annotations

from numbers import Number
import re
from typing import Any, Final

_TRUE: Final = frozenset({"1", "true", "yes", "on", "enable"})
_FALSE: Final = frozenset({"0", "false", "no", "off", "disable"})
_SLUG: Final = re.compile(r"[a-z0-9]+(?:_[a-z0-9]+)*")
"""What `homeassistant.util.slugify` can return: lower-case words joined by one `_`."""


def boolean(value: Any) -> bool:
    """`cv.boolean`: a bool, a number (not zero) or a word; `ValueError` otherwise."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        word = value.lower().strip()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
    elif isinstance(value, Number):
        return bool(value != 0)  # type: ignore[comparison-overlap]
    raise ValueError("invalid boolean value")


def is_slug(value: Any) -> bool:
    """Whether `cv.slug` accepts `value`: its text is its own slug.

    `slugify` gives lower-case letters and digits in words joined by one `_` (or
    `unknown`), and an empty text stays empty, so a text is its own slug exactly when it
    is empty or of that form.
    """
    if value is None:
        return False
    text = str(value)
    return text == "" or _SLUG.fullmatch(text) is not None


def ensure_list(value: Any) -> list[Any]:
    """`cv.ensure_list`: None is empty, a list stays, anything else is wrapped."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def remove_falsy(value: list[Any]) -> list[Any]:
    """`cv.remove_falsy`: the list without its falsy items."""
    return [item for item in value if item]
