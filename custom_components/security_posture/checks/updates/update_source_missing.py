"""`update_source_missing` (info): nothing tells about a new Home Assistant Core release.

The Supervisor integration's Core update entity and the Version integration's "update
available" sensor are sources; with either, the check passes and says which.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from ...engine import Check, Facts, NotApplicable
from ...inspect.update_entities import CORE_UPDATE_SOURCES
from ...model import Family, Hit, Severity
from . import CORE_SUBJECT, URL_VERSION

if TYPE_CHECKING:
    from collections.abc import Iterator


def _inspect(facts: Facts) -> Iterator[Hit]:
    if sources := facts[CORE_UPDATE_SOURCES]:
        raise NotApplicable(f"reported by {', '.join(sources)}")
    yield Hit(
        subject=CORE_SUBJECT, title="Nothing reports updates for Home Assistant Core"
    )


CHECK: Final = Check(
    id="update_source_missing",
    family=Family.UPDATES,
    severity=Severity.INFO,
    learn_more_url=URL_VERSION,
    needs=(CORE_UPDATE_SOURCES,),
    inspect=_inspect,
)
