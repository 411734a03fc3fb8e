"""`addon_unprotected` (high): an add-on with protection mode off; medium while not running.

An add-on whose details could not be read is no finding (it is in the notes).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from ...engine import Check, Facts
from ...inspect.supervisor import SUPERVISOR
from ...model import Family, Hit, Severity
from . import supervisor_of

if TYPE_CHECKING:
    from collections.abc import Iterator


def _inspect(facts: Facts) -> Iterator[Hit]:
    for addon in supervisor_of(facts).addons:
        if addon.protected is False:
            yield Hit(
                subject=f"addon:{addon.slug}",
                title=f"{addon.name} runs without protection mode",
                severity=None if addon.started else Severity.MEDIUM,
                placeholders={"addon": f"{addon.name} ({addon.slug})"},
            )


CHECK: Final = Check(
    id="addon_unprotected",
    family=Family.HOST,
    severity=Severity.HIGH,
    learn_more_url="https://developers.home-assistant.io/docs/add-ons/security/#protection",
    needs=(SUPERVISOR,),
    inspect=_inspect,
)
