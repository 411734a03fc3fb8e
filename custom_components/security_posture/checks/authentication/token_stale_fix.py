"""`token_stale`: revoke a stale long-lived access token.

Menu: `revoke` or `ignore`. The confirmation names the token by its client name and its user
(never the token); then the refresh token is removed through Home Assistant's auth API, which
also closes its connections, and the report is rescanned. The finding's subject is the
refresh token's id (an id, not the token).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.auth.models import TOKEN_TYPE_LONG_LIVED_ACCESS_TOKEN

from ...fixes.base import FixFlow

if TYPE_CHECKING:
    from homeassistant import data_entry_flow


class RevokeTokenFlow(FixFlow):
    """Revoke a stale long-lived access token, or accept the risk."""

    fix_step = "revoke"

    async def async_step_revoke(
        self, user_input: dict[str, str] | None = None
    ) -> data_entry_flow.FlowResult:
        """Confirm, then revoke."""
        if user_input is None:
            return self.async_show_form(
                step_id=self.fix_step, description_placeholders=self.placeholders
            )
        token = self.hass.auth.async_get_refresh_token(self.finding.subject)
        if token is not None:
            if token.token_type != TOKEN_TYPE_LONG_LIVED_ACCESS_TOKEN:
                return self.async_abort(
                    reason="changed", description_placeholders=self.placeholders
                )
            self.hass.auth.async_remove_refresh_token(token)
        return await self.async_fixed("revoked")
