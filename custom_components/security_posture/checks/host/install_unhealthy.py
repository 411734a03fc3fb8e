"""`install_unhealthy` (critical): one finding per reason the Supervisor calls the installation unhealthy."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from ...engine import Check, CheckUnknown, Facts
from ...inspect.supervisor import SUPERVISOR
from ...model import Family, Hit, Severity
from . import reason_hits, supervisor_of

if TYPE_CHECKING:
    from collections.abc import Iterator


def _inspect(facts: Facts) -> Iterator[Hit]:
    if (reasons := supervisor_of(facts).unhealthy) is None:
        raise CheckUnknown("Supervisor: the resolution center could not be read")
    yield from reason_hits("unhealthy", reasons)


CHECK: Final = Check(
    id="install_unhealthy",
    family=Family.HOST,
    severity=Severity.CRITICAL,
    learn_more_url="https://www.home-assistant.io/more-info/unhealthy/",
    needs=(SUPERVISOR,),
    inspect=_inspect,
)
