"""Fix flows, one module per fixable check; `FIX_FLOWS` maps a check id to its flow.

Every flow opens with a menu: the check's fix, or accepting the risk (`base.FixFlow`). Flows
that edit files go through `safe_write` (backup, atomic write, verification, rollback).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .revoke_token import RevokeTokenFlow

if TYPE_CHECKING:
    from ..engine import FixFlowFactory

FIX_FLOWS: dict[str, FixFlowFactory] = {
    "token_stale": RevokeTokenFlow,
}
