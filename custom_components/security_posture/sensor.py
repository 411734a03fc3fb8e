"""Sensors: score, findings, certificate expiry, pending updates, inline credentials."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)

from .entity import SecurityPostureEntity
from .model import Report, Status

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from datetime import datetime

    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from .coordinator import SecurityPostureConfigEntry

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class SecurityPostureSensorDescription(SensorEntityDescription):
    """How a sensor reads the report."""

    value_fn: Callable[[Report], int | datetime | None]
    attributes_fn: Callable[[Report], Mapping[str, Any]] | None = None


def _count_of_check(check: str) -> Callable[[Report], int | None]:
    """Every finding of a check (ignored ones too: the thing is still there)."""

    def count(report: Report) -> int | None:
        result = next((r for r in report.checks if r.check == check), None)
        if result is None or result.status not in (Status.PASS, Status.FAIL):
            return None
        return report.check_counts.get(check, 0)

    return count


def _metric(name: str) -> Callable[[Report], Any]:
    return lambda report: report.metrics.get(name)


def _metric_of_check(check: str, name: str) -> Callable[[Report], Any]:
    """A metric, while its check ran (None when it is disabled or could not run)."""

    def value(report: Report) -> Any:
        result = next((r for r in report.checks if r.check == check), None)
        if result is None or result.status not in (Status.PASS, Status.FAIL):
            return None
        return report.metrics.get(name)

    return value


def _placeholders(report: Report) -> Mapping[str, Any]:
    """How many inline credentials are placeholders, when the secrets family counted them."""
    count = _metric_of_check("inline_credential", "inline_credential_placeholders")(
        report
    )
    return {} if count is None else {"placeholders": count}


SENSORS: tuple[SecurityPostureSensorDescription, ...] = (
    SecurityPostureSensorDescription(
        key="score",
        translation_key="score",
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda report: report.score,
        attributes_fn=lambda report: {"grade": report.grade},
    ),
    SecurityPostureSensorDescription(
        key="findings",
        translation_key="findings",
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda report: len(report.active_findings),
        attributes_fn=lambda report: {
            str(severity): count for severity, count in report.severity_counts.items()
        },
    ),
    SecurityPostureSensorDescription(
        key="certificate_expiry",
        translation_key="certificate_expiry",
        device_class=SensorDeviceClass.TIMESTAMP,
        value_fn=_metric("certificate_expiry"),
    ),
    SecurityPostureSensorDescription(
        key="pending_updates",
        translation_key="pending_updates",
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=_metric("pending_updates"),
    ),
    SecurityPostureSensorDescription(
        key="inline_credentials",
        translation_key="inline_credentials",
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=_count_of_check("inline_credential"),
        # How many of them are placeholders (`YOUR_API_KEY`): no working credential.
        attributes_fn=_placeholders,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SecurityPostureConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the sensors."""
    async_add_entities(
        SecurityPostureSensor(entry.runtime_data, description)
        for description in SENSORS
    )


class SecurityPostureSensor(SecurityPostureEntity, SensorEntity):
    """A sensor that shows one value of the report."""

    entity_description: SecurityPostureSensorDescription

    @property
    def native_value(self) -> int | datetime | None:
        """The value, from the current report."""
        return self.entity_description.value_fn(self.coordinator.data)

    @property
    def extra_state_attributes(self) -> Mapping[str, Any] | None:
        """Extra attributes, from the current report."""
        if self.entity_description.attributes_fn is None:
            return None
        return self.entity_description.attributes_fn(self.coordinator.data)
