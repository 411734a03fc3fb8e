"""Problem binary sensors, one per family: on while the family has an active finding."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from homeassistant.components.binary_sensor import (
    BinarySensorDeviceClass,
    BinarySensorEntity,
    BinarySensorEntityDescription,
)

from .entity import SecurityPostureEntity
from .model import Family

if TYPE_CHECKING:
    from collections.abc import Mapping

    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from .coordinator import SecurityPostureConfigEntry

PARALLEL_UPDATES = 0
MAX_LISTED = 25


@dataclass(frozen=True, kw_only=True)
class FamilySensorDescription(BinarySensorEntityDescription):
    """A family's problem sensor."""

    family: Family


FAMILY_SENSORS = tuple(
    FamilySensorDescription(
        key=str(family),
        translation_key=str(family),
        device_class=BinarySensorDeviceClass.PROBLEM,
        family=family,
    )
    for family in Family
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SecurityPostureConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add one problem sensor per family."""
    async_add_entities(
        FamilyProblemSensor(entry.runtime_data, description)
        for description in FAMILY_SENSORS
    )


class FamilyProblemSensor(SecurityPostureEntity, BinarySensorEntity):
    """On while the family has an active finding; unavailable when none of its checks ran."""

    entity_description: FamilySensorDescription

    @property
    def available(self) -> bool:
        """Unavailable, not off, when none of the family's checks could run."""
        return super().available and self.coordinator.data.family_ran(
            self.entity_description.family
        )

    @property
    def is_on(self) -> bool:
        """Whether the family has an active finding."""
        return bool(
            self.coordinator.data.family_findings(self.entity_description.family)
        )

    @property
    def extra_state_attributes(self) -> Mapping[str, Any]:
        """The family's active findings by id, check and severity.

        Every user can read states, so nothing here names a file, a key, a person, a token,
        an add-on or a host: titles and locations are for administrators (the report).
        """
        findings = self.coordinator.data.family_findings(self.entity_description.family)
        return {
            "findings": [
                {"id": f.id, "check": f.check, "severity": str(f.severity)}
                for f in findings[:MAX_LISTED]
            ],
            "unlisted": max(0, len(findings) - MAX_LISTED),
        }
