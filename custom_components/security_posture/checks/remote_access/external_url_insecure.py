"""`external_url_insecure` (high): the external URL names a public host over plain HTTP."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from ...engine import Check, Facts, NotApplicable
from ...inspect.exposure import EXPOSURE
from ...model import Family, Hit, Severity
from . import URL_REMOTE

if TYPE_CHECKING:
    from collections.abc import Iterator


def _inspect(facts: Facts) -> Iterator[Hit]:
    exposure = facts[EXPOSURE]
    if exposure.external_url is None:
        raise NotApplicable("no external URL is configured")
    if exposure.external_scheme == "http" and exposure.external_host_public:
        yield Hit(
            subject="homeassistant.external_url",
            title=f"External URL {exposure.shown_url} uses plain HTTP",
            key="homeassistant.external_url",
            placeholders={"url": exposure.shown_url or ""},
        )


CHECK: Final = Check(
    id="external_url_insecure",
    family=Family.REMOTE_ACCESS,
    severity=Severity.HIGH,
    learn_more_url=URL_REMOTE,
    needs=(EXPOSURE,),
    inspect=_inspect,
)
