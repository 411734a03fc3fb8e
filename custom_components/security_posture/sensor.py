"""Sensors: score and grade, the counts, the certificate's expiry and the last scan's time.

The custom integrations are counted whether or not their check runs (the count needs no
HACS storage); how many came through HACS is known when HACS' storage could be read.

Every count follows one rule (`Finding.counts`): a finding counts while it has an active repair
issue, that is, it is not accepted and its severity is low or above.

The sessions sensor is the one that does not read the report: it counts the sessions (normal
refresh tokens of active people) as the login watcher sees them, at once. Every user can
read an entity's state, so it shows counts only: in all, and per user name under `users`
(nested, so that no user name can collide with an attribute Home Assistant uses).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Final

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import EntityCategory

from .checks.remote_access import certificate_expiring
from .checks.secrets import inline_credential
from .checks.supply_chain import custom_integration_risk
from .entity import SecurityPostureEntity
from .entry import entity_unique_id
from .model import Report, Status

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from datetime import datetime

    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from .coordinator import SecurityPostureConfigEntry, SecurityPostureCoordinator
    from .engine import Check, Metric

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class SecurityPostureSensorDescription(SensorEntityDescription):
    """How a sensor reads the report."""

    value_fn: Callable[[Report], int | str | datetime | None]
    attributes_fn: Callable[[Report], Mapping[str, Any]] | None = None


GRADES = ["A", "B", "C", "D", "F"]
SCORE_KEY: Final = "score"


def score_unique_id(entry_id: str) -> str:
    """The unique id of the entry's score sensor (the device triggers follow it)."""
    return entity_unique_id(entry_id, SCORE_KEY)


def _count_of_check(check: str) -> Callable[[Report], int | None]:
    """The findings of a check that count (active, with a repair); None if it did not run."""
    return lambda report: report.count_of_check(check)


def _metric[T](metric: Metric[T]) -> Callable[[Report], T | None]:
    return lambda report: metric.value_in(report.metrics)


def _metric_of_check[T](
    check: Check, metric: Metric[T]
) -> Callable[[Report], T | None]:
    """A metric, while its check ran (None when it is disabled or could not run)."""

    def value(report: Report) -> T | None:
        result = next((r for r in report.checks if r.check == check.id), None)
        if result is None or result.status not in (Status.PASS, Status.FAIL):
            return None
        return metric.value_in(report.metrics)

    return value


def _placeholders(report: Report) -> Mapping[str, Any]:
    """How many inline credentials are placeholders, when the secrets family counted them."""
    count = _metric_of_check(inline_credential.CHECK, inline_credential.PLACEHOLDERS)(
        report
    )
    return {} if count is None else {"placeholders": count}


_certificate_expiry = _metric(certificate_expiring.CERTIFICATE_EXPIRY)


def _through_hacs(report: Report) -> Mapping[str, Any]:
    """How many custom integrations HACS installed, when its storage could be read."""
    count = custom_integration_risk.THROUGH_HACS.value_in(report.metrics)
    return {} if count is None else {"through_hacs": count}


def _findings_attributes(report: Report) -> Mapping[str, Any]:
    """The counted findings per severity (they add up to the state), and accepted risks."""
    return {
        **{str(severity): count for severity, count in report.severity_counts.items()},
        "accepted": len(report.accepted_findings),
    }


# Units come from the translations (entity.sensor.<key>.unit_of_measurement): a unit and a
# state class give statistics and make core's "value changes" device triggers usable.
SENSORS: tuple[SecurityPostureSensorDescription, ...] = (
    SecurityPostureSensorDescription(
        key=SCORE_KEY,
        translation_key="score",
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda report: report.score,
        attributes_fn=lambda report: {"grade": report.grade},
    ),
    SecurityPostureSensorDescription(
        key="grade",
        translation_key="grade",
        device_class=SensorDeviceClass.ENUM,
        options=GRADES,
        value_fn=lambda report: report.grade,
    ),
    SecurityPostureSensorDescription(
        key="findings",
        translation_key="findings",
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda report: len(report.counted_findings),
        attributes_fn=_findings_attributes,
    ),
    SecurityPostureSensorDescription(
        key="certificate_expiry",
        translation_key="certificate_expiry",
        device_class=SensorDeviceClass.TIMESTAMP,
        value_fn=_certificate_expiry,
    ),
    SecurityPostureSensorDescription(
        key="pending_updates",
        translation_key="pending_updates",
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=_count_of_check("update_pending"),
    ),
    SecurityPostureSensorDescription(
        key="inline_credentials",
        translation_key="inline_credentials",
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=_count_of_check("inline_credential"),
        # How many of them are placeholders (`YOUR_API_KEY`): no working credential.
        attributes_fn=_placeholders,
    ),
    SecurityPostureSensorDescription(
        key="custom_integrations",
        translation_key="custom_integrations",
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda report: custom_integration_risk.COUNT.value_in(report.metrics),
        attributes_fn=_through_hacs,
    ),
    SecurityPostureSensorDescription(
        key="last_scan",
        translation_key="last_scan",
        device_class=SensorDeviceClass.TIMESTAMP,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda report: report.scanned_at,
    ),
)

SESSIONS = SensorEntityDescription(
    key="sessions",
    translation_key="sessions",
    state_class=SensorStateClass.MEASUREMENT,
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SecurityPostureConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the sensors."""
    coordinator = entry.runtime_data
    async_add_entities(
        [
            *(SecurityPostureSensor(coordinator, d) for d in SENSORS),
            SessionsSensor(coordinator, SESSIONS),
        ]
    )


class SecurityPostureSensor(SecurityPostureEntity, SensorEntity):
    """A sensor that shows one value of the report."""

    entity_description: SecurityPostureSensorDescription

    @property
    def native_value(self) -> int | str | datetime | None:
        """The value, from the current report."""
        return self.entity_description.value_fn(self.coordinator.data)

    @property
    def extra_state_attributes(self) -> Mapping[str, Any] | None:
        """Extra attributes, from the current report."""
        if self.entity_description.attributes_fn is None:
            return None
        return self.entity_description.attributes_fn(self.coordinator.data)


class SessionsSensor(SecurityPostureEntity, SensorEntity):
    """The sessions (normal refresh tokens of active people), counted at once."""

    def __init__(
        self,
        coordinator: SecurityPostureCoordinator,
        description: SensorEntityDescription,
    ) -> None:
        """Count what the coordinator's login watcher sees."""
        super().__init__(coordinator, description)
        self._logins = coordinator.logins

    async def async_added_to_hass(self) -> None:
        """Follow the watcher's counts."""
        await super().async_added_to_hass()
        self.async_on_remove(self._logins.async_add_listener(self.async_write_ha_state))

    @property
    def available(self) -> bool:
        """Available once the sessions were counted (no scan needed)."""
        return self._logins.counts is not None

    @property
    def native_value(self) -> int | None:
        """How many sessions there are."""
        counts = self._logins.counts
        return None if counts is None else counts.total

    @property
    def extra_state_attributes(self) -> Mapping[str, Any] | None:
        """Sessions per user name: counts, no token, client or address."""
        counts = self._logins.counts
        return None if counts is None else {"users": dict(counts.per_user)}
