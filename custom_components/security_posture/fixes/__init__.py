"""Fix flows, one module per fixable check; `FIX_FLOWS` maps a check id to its flow.

Every flow opens with a menu: the check's fix, or accepting the risk (`base.FixFlow`). Flows
that edit files go through `safe_write` (backup, atomic write, verification, rollback).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from .gitignore import GitIgnoreFlow
from .inline_credential import MoveToSecretsFlow
from .permissions import PrivateKeyModeFlow, SecretsFileModeFlow
from .restart import RestartFlow
from .revoke_token import RevokeTokenFlow
from .secret_unused import RemoveSecretFlow

if TYPE_CHECKING:
    from homeassistant.components.repairs import RepairsFlow

    from ..coordinator import SecurityPostureConfigEntry
    from ..model import Finding

type FixFlowFactory = Callable[[SecurityPostureConfigEntry, Finding], RepairsFlow]

FIX_FLOWS: dict[str, FixFlowFactory] = {
    "inline_credential": MoveToSecretsFlow,
    "secret_unused": RemoveSecretFlow,
    "secrets_file_permissions": SecretsFileModeFlow,
    "secrets_not_ignored": GitIgnoreFlow,
    "private_key_permissions": PrivateKeyModeFlow,
    "certificate_not_loaded": RestartFlow,
    "token_stale": RevokeTokenFlow,
}
