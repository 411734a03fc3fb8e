"""Fix flows, one module per fixable check; `FIX_FLOWS` maps a check id to its flow."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from homeassistant.components.repairs import RepairsFlow

    from security_posture.coordinator import SecurityPostureConfigEntry
    from security_posture.model import Finding

type FixFlowFactory = Callable[[SecurityPostureConfigEntry, Finding], RepairsFlow]

FIX_FLOWS: dict[str, FixFlowFactory] = {}
