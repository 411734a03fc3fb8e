"""`secret_unused`: remove the unused entry from its secrets file.

Menu: `remove_secret` or `ignore`. After a confirmation, the entry's own lines are cut out in
one safe transaction (see `secrets_remove`), and the configuration is rescanned.

The check's default severity is info, which raises no repair issue: this flow opens when a
repair exists for the finding (a raised severity, or an issue created for it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .base import FixFlow
from .file_ops import FixRefused
from .secrets_remove import RemovePlan, apply_remove, prepare_remove

if TYPE_CHECKING:
    from homeassistant import data_entry_flow


class RemoveSecretFlow(FixFlow):
    """Remove an unused secret, or accept the risk."""

    fix_step = "remove_secret"
    plan: RemovePlan | None = None

    async def async_step_remove_secret(
        self, user_input: dict[str, str] | None = None
    ) -> data_entry_flow.FlowResult:
        """Check the entry can be removed exactly, confirm, remove."""
        config_dir = self.hass.config.config_dir
        finding = self.finding
        try:
            if self.plan is None:
                self.plan = await self.hass.async_add_executor_job(
                    prepare_remove, config_dir, finding.file, finding.key, finding.line
                )
            if user_input is None:
                return self.async_show_form(
                    step_id=self.fix_step, description_placeholders=self.placeholders
                )
            backup = await self.hass.async_add_executor_job(
                apply_remove, config_dir, self.plan
            )
        except FixRefused as err:
            return self.refused(err)
        return await self.async_fixed("removed", {"backup": backup})
