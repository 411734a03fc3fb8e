"""`update_skipped` (medium): a Core, Operating System or Supervisor update that was skipped.

An update being installed is no finding meanwhile.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from ...engine import Check, Facts
from ...inspect.update_entities import UPDATE_ENTITIES
from ...model import Family, Hit, Severity
from . import URL_UPDATES, shown_version

if TYPE_CHECKING:
    from collections.abc import Iterator


def _inspect(facts: Facts) -> Iterator[Hit]:
    for entity in facts[UPDATE_ENTITIES]:
        if not entity.component.is_platform or entity.skipped_version is None:
            continue
        if entity.in_progress:
            continue
        yield Hit(
            subject=entity.entity_id,
            title=f"{entity.name}: update to {entity.skipped_version} skipped",
            placeholders={
                "name": entity.name,
                "skipped": entity.skipped_version,
                "installed": shown_version(entity.installed_version),
            },
        )


CHECK: Final = Check(
    id="update_skipped",
    family=Family.UPDATES,
    severity=Severity.MEDIUM,
    learn_more_url=URL_UPDATES,
    needs=(UPDATE_ENTITIES,),
    inspect=_inspect,
)
