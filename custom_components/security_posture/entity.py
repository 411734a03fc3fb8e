"""Base entity: every entity belongs to the one Security Posture service device."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .const import DOMAIN
from .coordinator import SecurityPostureCoordinator
from .entry import entity_unique_id

if TYPE_CHECKING:
    from homeassistant.helpers.entity import EntityDescription


class SecurityPostureEntity(CoordinatorEntity[SecurityPostureCoordinator]):
    """An entity that reads the coordinator's report."""

    _attr_has_entity_name = True

    def __init__(
        self, coordinator: SecurityPostureCoordinator, description: EntityDescription
    ) -> None:
        """Attach the entity to the service device."""
        super().__init__(coordinator)
        self.entity_description = description
        entry_id = coordinator.config_entry.entry_id
        self._attr_unique_id = entity_unique_id(entry_id, description.key)
        self._attr_device_info = DeviceInfo(
            identifiers={(DOMAIN, entry_id)},
            name="Security Posture",
            entry_type=DeviceEntryType.SERVICE,
            manufacturer="Security Posture",
            model="Posture scanner",
        )

    @property
    def available(self) -> bool:
        """Available once a scan has produced a report."""
        return super().available and self.coordinator.data is not None
