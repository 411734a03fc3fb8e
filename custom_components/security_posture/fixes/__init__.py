"""Fix flows, one module per fixable check; `FIX_FLOWS` maps a check id to its flow.

Every flow opens with a menu: the check's fix, or accepting the risk (`base.FixFlow`). Flows
that edit files go through `safe_write` (backup, atomic write, verification, rollback).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .gitignore import GitIgnoreFlow
from .permissions import PrivateKeyModeFlow, SecretsFileModeFlow
from .restart import RestartFlow
from .revoke_token import RevokeTokenFlow

if TYPE_CHECKING:
    from ..engine import FixFlowFactory

FIX_FLOWS: dict[str, FixFlowFactory] = {
    "secrets_file_permissions": SecretsFileModeFlow,
    "secrets_not_ignored": GitIgnoreFlow,
    "private_key_permissions": PrivateKeyModeFlow,
    "certificate_not_loaded": RestartFlow,
    "token_stale": RevokeTokenFlow,
}
