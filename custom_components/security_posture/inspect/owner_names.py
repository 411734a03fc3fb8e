"""Mapping keys that are names the owner chose, not options.

The key-name rule (`credentials.credential_kind`) judges option keys: `password:`,
`api_key:`. The keys of some mappings are not options but names: a `shell_command` named
`google_token`, a script `refresh_api_key`, a `rest_command` or `input_text` named after
the token it handles, a logger called `custom_components.x_token`. Such a name says nothing
about its value, which is still looked at as a string (a command line, a URL).

A mapping's keys are names when the mapping is, by its key path (the file's mount followed
by the string keys above it, list positions left out; a package's own name is dropped):

- the section of an integration whose entries are named (`shell_command`, `script`, ...);
- one of a few named settings (`homeassistant.customize`, `logger.logs`, ...);
- the named entities of a legacy platform entry (`switches:` next to `platform:`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from collections.abc import Sequence

_NAMED_SECTIONS: Final = frozenset(
    {
        "alert",
        "counter",
        "group",
        "input_boolean",
        "input_button",
        "input_datetime",
        "input_number",
        "input_select",
        "input_text",
        "intent_script",
        "panel_iframe",
        "proximity",
        "rest_command",
        "script",
        "shell_command",
        "timer",
        "utility_meter",
    }
)
_NAMED_SETTINGS: Final = frozenset(
    {
        ("frontend", "themes"),
        ("homeassistant", "customize"),
        ("homeassistant", "customize_domain"),
        ("homeassistant", "customize_glob"),
        ("homeassistant", "packages"),
        ("lovelace", "dashboards"),
        ("logger", "logs"),
    }
)
_PLATFORM_ENTITIES: Final = frozenset(
    {
        "binary_sensors",
        "covers",
        "fans",
        "lights",
        "locks",
        "sensors",
        "switches",
        "vacuums",
    }
)
_PACKAGES: Final = ("homeassistant", "packages")
_PLATFORM: Final = "platform"


def _without_package(path: tuple[str, ...]) -> tuple[str, ...]:
    """`homeassistant.packages.<name>.shell_command` is read as `shell_command`."""
    if len(path) > len(_PACKAGES) + 1 and path[: len(_PACKAGES)] == _PACKAGES:
        return path[len(_PACKAGES) + 1 :]
    return path


def keys_are_names(path: Sequence[str], holder: Any) -> bool:
    """Whether the keys of the mapping at `path` are names the owner chose.

    `path` is the mapping's key path from the configuration's root (mount and string keys),
    `holder` the mapping or list that holds the mapping (None at a file's root).
    """
    path = _without_package(tuple(path))
    if not path:
        return False
    if len(path) == 1:
        return path[0] in _NAMED_SECTIONS
    if path in _NAMED_SETTINGS:
        return True
    return (
        path[-1] in _PLATFORM_ENTITIES
        and isinstance(holder, dict)
        and _PLATFORM in holder
    )
