"""The registry of check families, in report order."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import authentication, host, remote_access, secrets, secrets_hygiene, updates

if TYPE_CHECKING:
    from ..engine import FamilyChecks

FAMILIES: tuple[FamilyChecks[Any], ...] = (
    secrets.FAMILY,
    secrets_hygiene.FAMILY,
    updates.FAMILY,
    remote_access.FAMILY,
    authentication.FAMILY,
    host.FAMILY,
)

CHECK_IDS: tuple[str, ...] = tuple(c.id for f in FAMILIES for c in f.checks)
