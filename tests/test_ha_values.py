"""Home Assistant's value rules, written without it: equal to `config_validation`'s."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from homeassistant.helpers import config_validation as cv
import pytest

from custom_components.security_posture.inspect.ha_values import (
    boolean,
    ensure_list,
    is_slug,
    remove_falsy,
)

VALUES: list[Any] = [
    True,
    False,
    0,
    1,
    -3,
    0.0,
    2.5,
    Decimal(0),
    "1",
    "0",
    "true",
    " TRUE ",
    "Yes",
    "no",
    "on",
    "OFF",
    "enable",
    "disable",
    "",
    "maybe",
    "truee",
    None,
    [],
    {},
    "a",
    "a_b",
    "a__b",
    "_a",
    "a_",
    "Ab",
    "a-b",
    "a b",
    "unknown",
    "ü",
    "über",
    "home_2",
    "2",
]


def _ha(rule: Any, value: Any) -> tuple[bool, Any]:
    try:
        return True, rule(value)
    except Exception:  # noqa: BLE001 - vol.Invalid or probatio.Invalid, by release
        return False, None


def _ours(rule: Any, value: Any) -> tuple[bool, Any]:
    try:
        return True, rule(value)
    except ValueError:
        return False, None


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_boolean_is_home_assistants(value: Any) -> None:
    assert _ours(boolean, value) == _ha(cv.boolean, value)


@pytest.mark.parametrize("value", [*VALUES, 1.0, 12], ids=repr)
def test_slug_is_home_assistants(value: Any) -> None:
    assert is_slug(value) is _ha(cv.slug, value)[0]


@pytest.mark.parametrize("value", [None, [], [1, None], "x", 0, {"a": 1}], ids=repr)
def test_lists_are_home_assistants(value: Any) -> None:
    assert ensure_list(value) == cv.ensure_list(value)
    listed = ensure_list(value)
    assert remove_falsy(listed) == cv.remove_falsy(listed)
