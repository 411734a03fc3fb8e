"""What the backup checks share: the backup integration's state, or why it is not known."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from ...engine import CheckUnknown
from ...inspect.backups import BACKUPS

if TYPE_CHECKING:
    from ...engine import Facts
    from ...inspect.backups import BackupState

URL_BACKUP: Final = "https://www.home-assistant.io/integrations/backup/"
BACKUPS_SUBJECT: Final = "backups"


def backups_known(facts: Facts) -> BackupState:
    """The backup state, or `CheckUnknown` when the backup integration cannot tell."""
    backups = facts[BACKUPS]
    if backups.unavailable is not None:
        raise CheckUnknown(backups.unavailable)
    return backups


def unlisted(backups: BackupState, what: str) -> CheckUnknown:
    """Unknown: what was found, but some locations could not be listed."""
    return CheckUnknown(
        f"{what}, but {', '.join(backups.failed_agents)} could not be listed"
    )
