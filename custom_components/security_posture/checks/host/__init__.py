"""The host family: the SSH server, the add-ons and what the Supervisor says of the system.

On Core and Container installations the host's `sshd_config` (path from the options) is
read. Under the Supervisor (Home Assistant OS, Supervised) the SSH add-ons are checked
instead, and the file only when the options name another path than the default (see
`inspect/sshd.py` and `inspect/supervisor.py`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final
from urllib.parse import quote

from ...engine import NotApplicable
from ...inspect.supervisor import SUPERVISOR
from ...markdown import Markdown
from ...model import Hit

if TYPE_CHECKING:
    from collections.abc import Iterator

    from ...engine import Facts
    from ...inspect.supervisor import SupervisorFacts

URL_SECURING: Final = "https://www.home-assistant.io/docs/configuration/securing/"
NO_SUPERVISOR: Final = "no Supervisor: this is a Core or Container installation"


def supervisor_of(facts: Facts) -> SupervisorFacts:
    """What the Supervisor reports; the check does not apply without one."""
    if (supervisor := facts[SUPERVISOR]) is None:
        raise NotApplicable(NO_SUPERVISOR)
    return supervisor


def reason_hits(kind: str, reasons: tuple[str, ...]) -> Iterator[Hit]:
    """One hit per reason the Supervisor gives; `kind` is `unsupported` or `unhealthy`."""
    for reason in reasons:
        yield Hit(
            subject=f"{kind}:{reason}",
            title=f"Installation {kind}: {reason}",
            placeholders={
                "reason": reason,
                "url": Markdown(
                    f"<https://www.home-assistant.io/more-info/{kind}/"
                    f"{quote(reason, safe='')}>"
                ),
            },
        )
