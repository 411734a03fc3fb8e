"""Accepting a risk, and taking it back, from the finding's repair.

Every repair opens this flow, or a fix flow built on it (`base.FixFlow`):

- For an active finding, `confirm` explains what accepting means and asks for an optional
  reason; its button is labelled "Accept the risk" (`step.confirm.submit`). Accepting marks
  the finding ignored (the store, which the report reads) and its repair ignored in Home
  Assistant's issue registry, where it stays: Settings -> Repairs lists it under "Show ignored
  repairs". The flow ends with an abort whose text says what happened and how to undo it
  (core's own repairs do the same: a finished flow, `create_entry`, deletes the issue).
- For an accepted finding (opened from the ignored repairs), `accepted` says when and why the
  risk was accepted and offers to count the finding again ("Stop accepting").
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from homeassistant.components.repairs import RepairsFlow
from homeassistant.util import dt as dt_util
import voluptuous as vol

from ..const import ATTR_REASON, MAX_REASON_LENGTH
from ..issue_text import placeholders_of
from ..markdown import safe_placeholders

if TYPE_CHECKING:
    from homeassistant import data_entry_flow

    from ..entry import PostureEntry
    from ..model import Finding

STEP_CONFIRM: Final = "confirm"
STEP_ACCEPTED: Final = "accepted"
REASON_ACCEPTED: Final = "risk_accepted"
REASON_COUNTED: Final = "risk_counted"
# Shown for a reason or date that is not known.
NOT_GIVEN: Final = "—"

REASON_SCHEMA = vol.Schema(
    {vol.Optional(ATTR_REASON): vol.All(str, vol.Length(max=MAX_REASON_LENGTH))}
)


class AcceptRiskFlow(RepairsFlow):
    """Accept the risk of a finding, or stop accepting it."""

    def __init__(self, entry: PostureEntry, finding: Finding) -> None:
        """Remember what the flow is about."""
        self.entry = entry
        self.finding = finding

    @property
    def placeholders(self) -> dict[str, str]:
        """The issue's placeholders: what and where, never a value."""
        return placeholders_of(self.finding)

    async def async_step_init(
        self, user_input: dict[str, Any] | None = None
    ) -> data_entry_flow.FlowResult:
        """An accepted finding offers to count it again; an active one its first step."""
        if self.finding.ignored:
            return await self.async_step_accepted()
        return await self.async_open()

    async def async_open(self) -> data_entry_flow.FlowResult:
        """The first step for an active finding: here, the confirmation."""
        return await self.async_step_confirm()

    async def async_step_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> data_entry_flow.FlowResult:
        """Explain, ask for an optional reason, then accept the risk."""
        if user_input is None:
            return self.async_show_form(
                step_id=STEP_CONFIRM,
                data_schema=REASON_SCHEMA,
                description_placeholders=self.placeholders,
            )
        reason = str(user_input.get(ATTR_REASON, "")).strip() or None
        coordinator = self.entry.runtime_data
        coordinator.store.ignore(self.finding.id, reason)
        await coordinator.async_apply_ignores()
        return self.async_abort(
            reason=REASON_ACCEPTED, description_placeholders=self.placeholders
        )

    async def async_step_accepted(
        self, user_input: dict[str, Any] | None = None
    ) -> data_entry_flow.FlowResult:
        """Say when and why the risk was accepted; on submit, count the finding again."""
        coordinator = self.entry.runtime_data
        if user_input is None:
            return self.async_show_form(
                step_id=STEP_ACCEPTED,
                description_placeholders={
                    **self.placeholders,
                    **safe_placeholders(self._accepted_placeholders()),
                },
            )
        coordinator.store.unignore(self.finding.id)
        await coordinator.async_apply_ignores()
        return self.async_abort(
            reason=REASON_COUNTED, description_placeholders=self.placeholders
        )

    def _accepted_placeholders(self) -> dict[str, str]:
        """`accepted_on` (local date and time) and `reason`, a dash for what is unknown."""
        accepted = self.entry.runtime_data.store.accepted(self.finding.id)
        reason = accepted["reason"] if accepted else None
        at = dt_util.parse_datetime(accepted["at"]) if accepted else None
        return {
            "accepted_on": (
                dt_util.as_local(at).strftime("%Y-%m-%d %H:%M") if at else NOT_GIVEN
            ),
            "reason": reason or NOT_GIVEN,
        }
