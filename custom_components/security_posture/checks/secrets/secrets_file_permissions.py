"""`secrets_file_permissions` (medium): a `secrets.yaml` readable by its group or others.

Every `secrets.yaml` Home Assistant reads: the main one and those on the lookup paths of the
configuration's files. The fix makes the file mode 600.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from ...engine import Check, CheckUnknown, Facts, NotApplicable
from ...fixes.permissions import SecretsFileModeFlow
from ...inspect.secret_files import (
    NESTED_SECRETS_FILES,
    SECRETS_FILE,
    SECRETS_FILE_STATE,
    SecretsFileState,
)
from ...model import Family, Hit, Severity
from . import URL_SECRETS

if TYPE_CHECKING:
    from collections.abc import Iterator

GROUP_OR_OTHERS_READ: Final = 0o044


def _readable_hit(state: SecretsFileState) -> Hit | None:
    if state.mode is None or not (readable := state.mode & GROUP_OR_OTHERS_READ):
        return None
    who = {0o040: "its group", 0o004: "every user"}.get(
        readable, "its group and every user"
    )
    return Hit(
        subject=state.path,
        title=f"{state.path} can be read by {who} (mode {state.mode:03o})",
        file=state.path,
        placeholders={"file": state.path, "mode": f"{state.mode:03o}"},
    )


def _inspect(facts: Facts) -> Iterator[Hit]:
    states = (facts[SECRETS_FILE_STATE], *facts[NESTED_SECRETS_FILES])
    existing = [state for state in states if state.exists]
    if not existing:
        raise NotApplicable(f"there is no {SECRETS_FILE}")
    hits = [hit for state in existing if (hit := _readable_hit(state)) is not None]
    errors = [state.error for state in existing if state.error is not None]
    if errors and not hits:
        raise CheckUnknown(errors[0])
    if not hits and all(state.mode is None for state in existing):
        raise NotApplicable(f"there is no {SECRETS_FILE}")
    yield from hits


CHECK: Final = Check(
    id="secrets_file_permissions",
    family=Family.SECRETS,
    severity=Severity.MEDIUM,
    learn_more_url=URL_SECRETS,
    needs=(SECRETS_FILE_STATE, NESTED_SECRETS_FILES),
    inspect=_inspect,
    fix=SecretsFileModeFlow,
)
