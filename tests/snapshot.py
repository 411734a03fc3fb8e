"""Snapshots that hold on both test ends (Home Assistant 2025.4.4 and the newest).

Home Assistant's own snapshot extension, with what differs between releases left out:
registry fields that newer releases add (`object_id_base`, `suggested_object_id`,
`compat_aliases`, `original_name_unprefixed`) and the enum keys newer releases use for state
attributes and capabilities, written as the plain strings they stand for.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, override

from homeassistant.core import State
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.syrupy import (
    HomeAssistantSnapshotExtension,
    HomeAssistantSnapshotSerializer,
)

NEWER_REGISTRY_FIELDS = (
    "object_id_base",
    "suggested_object_id",
    "compat_aliases",
    "original_name_unprefixed",
)


def _plain_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            (str(key) if isinstance(key, StrEnum) else key): _plain_keys(item)
            for key, item in value.items()
        }
    return value


class _Serializer(HomeAssistantSnapshotSerializer):
    @classmethod
    @override
    def _serializable_entity_registry_entry(cls, data: er.RegistryEntry) -> Any:
        serialized = super()._serializable_entity_registry_entry(data)
        for field in NEWER_REGISTRY_FIELDS:
            serialized.pop(field, None)
        # A set on 2025.4, a list with a computed-name marker on newer releases.
        serialized["aliases"] = sorted(a for a in data.aliases if isinstance(a, str))
        serialized["capabilities"] = _plain_keys(serialized["capabilities"])
        return serialized

    @classmethod
    @override
    def _serializable_state(cls, data: State) -> Any:
        serialized = super()._serializable_state(data)
        serialized["attributes"] = _plain_keys(serialized["attributes"])
        return serialized


class SnapshotExtension(HomeAssistantSnapshotExtension):
    """Home Assistant's extension (files in tests/snapshots/) with the serializer above."""

    serializer_class = _Serializer
