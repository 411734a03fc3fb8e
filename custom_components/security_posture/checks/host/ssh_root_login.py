"""`ssh_root_login` (high): `PermitRootLogin yes`, globally or in a `Match` block.

The finding names the block. `prohibit-password`, `without-password`,
`forced-commands-only` and the default (prohibit-password since OpenSSH 7.0) are no
findings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from ...engine import Check, Facts, NotApplicable
from ...inspect.sshd import SSHD_CONFIG, SSHD_NOT_VISIBLE
from ...markdown import code
from ...model import Family, Hit, Severity
from . import URL_SECURING
from .sshd_hits import sshd_hit

if TYPE_CHECKING:
    from collections.abc import Iterator

_TITLE: Final = "SSH allows root login"


def _inspect(facts: Facts) -> Iterator[Hit]:
    config = facts[SSHD_CONFIG]
    if config is None:
        raise NotApplicable(SSHD_NOT_VISIBLE)
    setting = config.get("PermitRootLogin")
    if setting is not None and setting.value == "yes":
        yield sshd_hit(config, setting, None, code("PermitRootLogin yes"), _TITLE)
        return
    for scope in config.scopes:
        setting = config.get("PermitRootLogin", scope)
        if setting is not None and setting.value == "yes":
            yield sshd_hit(config, setting, scope, code("PermitRootLogin yes"), _TITLE)


CHECK: Final = Check(
    id="ssh_root_login",
    family=Family.HOST,
    severity=Severity.HIGH,
    learn_more_url=URL_SECURING,
    needs=(SSHD_CONFIG,),
    inspect=_inspect,
)
