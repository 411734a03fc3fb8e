"""What every fix flow shares: a menu of the fix and "accept the risk", and how it ends.

The first step of an active finding is a menu with two options: the check's fix
(`fix_step`) and `ignore`, which leads to the accept-risk confirmation of
`accept.AcceptRiskFlow` (the issue's `confirm` text); an accepted finding opens with the offer
to count it again, as every repair does. A fix that is refused ends the flow with an abort
whose reason is translated under `issues.<check>.fix_flow.abort.<reason>`; a fix that worked
rescans, so the repair goes away because its finding is gone (not only because the flow
finished), and ends with a text that says what changed and how to undo it
(`issues.<check>.fix_flow.create_entry.<description>`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from ..markdown import safe_placeholders
from .accept import AcceptRiskFlow

if TYPE_CHECKING:
    from collections.abc import Mapping

    from homeassistant import data_entry_flow

    from .file_ops import FixRefused

OPTION_IGNORE = "ignore"


class FixFlow(AcceptRiskFlow):
    """A menu: the check's fix, or accepting the risk."""

    fix_step: ClassVar[str]

    async def async_open(self) -> data_entry_flow.FlowResult:
        """Offer the fix and accepting the risk."""
        return self.async_show_menu(
            step_id="init",
            menu_options=[self.fix_step, OPTION_IGNORE],
            description_placeholders=self.placeholders,
        )

    async def async_step_ignore(
        self, user_input: dict[str, str] | None = None
    ) -> data_entry_flow.FlowResult:
        """Accept the risk: the confirmation that ignores the finding."""
        return await self.async_step_confirm()

    def refused(self, err: FixRefused) -> data_entry_flow.FlowResult:
        """End the flow with the reason the fix did not happen (or was undone)."""
        return self.async_abort(
            reason=err.reason, description_placeholders=self.placeholders
        )

    async def async_fixed(
        self, description: str, placeholders: Mapping[str, str] | None = None
    ) -> data_entry_flow.FlowResult:
        """Rescan now, so the finding and its repair go away, and say what was done.

        `description` names the text under `fix_flow.create_entry`; the frontend fills it
        from `placeholders` alone (not from the issue's), so the issue's are added here.
        """
        await self.entry.runtime_data.async_refresh()
        return self.async_create_entry(
            data={},
            description=description,
            description_placeholders={
                **self.placeholders,
                **safe_placeholders(placeholders or {}),
            },
        )
