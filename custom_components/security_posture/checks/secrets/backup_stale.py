"""`backup_stale` (medium): the newest backup is older than 7 days, or than `secrets.yaml`.

A backup made before the last change of `secrets.yaml` does not hold that change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from ...engine import Check, Facts, NotApplicable
from ...inspect.backups import BACKUPS, STALE_AFTER
from ...inspect.secret_files import SECRETS_FILE, SECRETS_FILE_STATE
from ...markdown import Markdown, code
from ...model import Family, Hit, Severity
from .common import BACKUPS_SUBJECT, URL_BACKUP, backups_known, unlisted

if TYPE_CHECKING:
    from collections.abc import Iterator


def _inspect(facts: Facts) -> Iterator[Hit]:
    backups = backups_known(facts)
    newest = backups.newest
    if newest is None:
        if backups.failed_agents:
            raise unlisted(backups, "no backup found")
        raise NotApplicable("there is no backup (see backup_missing)")
    made = newest.date().isoformat()
    changed = facts[SECRETS_FILE_STATE].modified
    if facts.now - newest > STALE_AFTER:
        days = (facts.now - newest).days
        detail = f"The newest backup is {days} days old (made on {made})."
        title = f"The newest backup is {days} days old"
    elif changed is not None and changed > newest:
        detail = Markdown(
            f"{code(SECRETS_FILE)} changed after the newest backup (made on {made}), "
            "so no backup holds the change."
        )
        title = f"{SECRETS_FILE} changed after the newest backup"
    else:
        return
    if backups.failed_agents:
        raise unlisted(backups, f"the newest backup found was made on {made}")
    yield Hit(
        subject=BACKUPS_SUBJECT,
        title=title,
        placeholders={"detail": detail, "newest": made},
    )


CHECK: Final = Check(
    id="backup_stale",
    family=Family.SECRETS,
    severity=Severity.MEDIUM,
    learn_more_url=URL_BACKUP,
    needs=(BACKUPS, SECRETS_FILE_STATE),
    inspect=_inspect,
)
