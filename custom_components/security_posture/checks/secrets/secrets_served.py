"""`secrets_served` (critical): sensitive names under `www/`, which `/local/` serves.

Secrets files, `.storage` content, backups, private keys and the database, by name only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from ...engine import Check, CheckUnknown, Facts, NotApplicable
from ...inspect.secret_files import WWW_DIR
from ...inspect.www_files import MAX_WWW_ENTRIES, WWW_LISTING, ServedKind
from ...model import Family, Hit, Severity

if TYPE_CHECKING:
    from collections.abc import Iterator

URL_HOSTING_FILES: Final = (
    "https://www.home-assistant.io/integrations/http/#hosting-files"
)

_KIND_TITLES: Final = {
    ServedKind.SECRETS: "Secrets file",
    ServedKind.STORAGE: "File from .storage",
    ServedKind.STORAGE_DIR: "Copy of .storage",
    ServedKind.BACKUP: "Backup",
    ServedKind.PRIVATE_KEY: "Private key",
    ServedKind.DATABASE: "Database",
}


def _inspect(facts: Facts) -> Iterator[Hit]:
    www = facts[WWW_LISTING]
    if www.error is not None:
        raise CheckUnknown(www.error)
    if not www.exists:
        raise NotApplicable(f"there is no {WWW_DIR} folder")
    for served in www.served:
        yield Hit(
            subject=served.path,
            title=f"{_KIND_TITLES[served.kind]} served without login: {served.path}",
            file=served.path,
            placeholders={"file": served.path, "kind": str(served.kind)},
        )
    if not www.served and www.truncated:
        raise NotApplicable(
            f"none found, but only the first {MAX_WWW_ENTRIES} names under {WWW_DIR}/ "
            "were checked"
        )


CHECK: Final = Check(
    id="secrets_served",
    family=Family.SECRETS,
    severity=Severity.CRITICAL,
    learn_more_url=URL_HOSTING_FILES,
    needs=(WWW_LISTING,),
    inspect=_inspect,
)
