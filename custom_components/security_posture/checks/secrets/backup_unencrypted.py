"""`backup_unencrypted` (medium): automatic backups stored without encryption.

No password set, or locations whose own setting turns encryption off.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from ...engine import Check, Facts, NotApplicable
from ...inspect.backups import BACKUPS
from ...model import Family, Hit, Severity
from .common import URL_BACKUP, backups_known

if TYPE_CHECKING:
    from collections.abc import Iterator

AUTOMATIC_SUBJECT: Final = "automatic_backups"


def _inspect(facts: Facts) -> Iterator[Hit]:
    backups = backups_known(facts)
    if not backups.automatic_configured:
        raise NotApplicable("automatic backups are not set up")
    if backups.password_set and not backups.unencrypted_agents:
        return
    locations = ", ".join(backups.unencrypted_agents) or "every location"
    yield Hit(
        subject=AUTOMATIC_SUBJECT,
        title="Automatic backups are not encrypted"
        if not backups.password_set
        else f"Automatic backups to {locations} are not encrypted",
        placeholders={"locations": locations},
    )


CHECK: Final = Check(
    id="backup_unencrypted",
    family=Family.SECRETS,
    severity=Severity.MEDIUM,
    learn_more_url=URL_BACKUP,
    needs=(BACKUPS,),
    inspect=_inspect,
)
