"""`inline_credential`: move the written-out credential into `secrets.yaml`.

Menu: `move_to_secrets` or `ignore`. `move_to_secrets` checks the value can be moved exactly
(see `secrets_move`), proposes a name from the key path and, once the name is confirmed,
moves it in one safe transaction; then the configuration is rescanned.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

import voluptuous as vol

from .base import FixFlow
from .file_ops import FixRefused
from .secrets_move import MovePlan, apply_move, prepare_move
from .secrets_yaml import valid_name

if TYPE_CHECKING:
    from homeassistant import data_entry_flow

CONF_NAME: Final = "name"


class MoveToSecretsFlow(FixFlow):
    """Move an inline credential to secrets.yaml, or accept the risk."""

    fix_step = "move_to_secrets"
    plan: MovePlan | None = None

    async def async_step_move_to_secrets(
        self, user_input: dict[str, str] | None = None
    ) -> data_entry_flow.FlowResult:
        """Propose a name; on submit, move the value."""
        config_dir = self.hass.config.config_dir
        finding = self.finding
        if self.plan is None:
            try:
                self.plan = await self.hass.async_add_executor_job(
                    prepare_move, config_dir, finding.file, finding.key, finding.line
                )
            except FixRefused as err:
                return self.refused(err)
        plan = self.plan
        errors: dict[str, str] = {}
        name = plan.proposed
        if user_input is not None:
            name = str(user_input.get(CONF_NAME, "")).strip()
            if not valid_name(name):
                errors[CONF_NAME] = "name_invalid"
            elif name in plan.taken:
                errors[CONF_NAME] = "name_taken"
            else:
                try:
                    backup = await self.hass.async_add_executor_job(
                        apply_move, config_dir, plan, name
                    )
                except FixRefused as err:
                    if err.reason != "name_taken":
                        return self.refused(err)
                    errors[CONF_NAME] = "name_taken"
                else:
                    return await self.async_fixed(
                        "moved",
                        {
                            "secret": name,
                            "secrets_file": plan.secrets_file,
                            "backup": backup,
                        },
                    )
        return self.async_show_form(
            step_id=self.fix_step,
            data_schema=vol.Schema({vol.Required(CONF_NAME, default=name): str}),
            errors=errors,
            description_placeholders=self.placeholders,
        )
