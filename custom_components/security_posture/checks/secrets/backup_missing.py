"""`backup_missing` (high): no backup holds Home Assistant's configuration.

From the backup integration (which also fronts Supervisor's backups): the local locations
always, remote ones when the local ones hold nothing recent enough.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from ...engine import Check, Facts
from ...inspect.backups import BACKUPS
from ...model import Family, Hit, Severity
from .common import BACKUPS_SUBJECT, URL_BACKUP, backups_known, unlisted

if TYPE_CHECKING:
    from collections.abc import Iterator


def _inspect(facts: Facts) -> Iterator[Hit]:
    backups = backups_known(facts)
    if backups.newest is not None:
        return
    if backups.failed_agents:
        raise unlisted(backups, "no backup found")
    partial = any(not backup.homeassistant for backup in backups.backups)
    yield Hit(
        subject=BACKUPS_SUBJECT,
        title="No backup holds Home Assistant's configuration"
        if partial
        else "No backup exists",
    )


CHECK: Final = Check(
    id="backup_missing",
    family=Family.SECRETS,
    severity=Severity.HIGH,
    learn_more_url=URL_BACKUP,
    needs=(BACKUPS,),
    inspect=_inspect,
)
