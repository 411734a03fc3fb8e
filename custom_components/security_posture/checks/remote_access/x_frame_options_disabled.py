"""`x_frame_options_disabled` (low): the `X-Frame-Options` header is off (clickjacking)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from ...engine import Check, Facts
from ...inspect.http_settings import HTTP_SETTINGS
from ...model import Family, Hit, Severity
from . import URL_HTTP
from .settings import setting_hit

if TYPE_CHECKING:
    from collections.abc import Iterator


def _inspect(facts: Facts) -> Iterator[Hit]:
    http = facts[HTTP_SETTINGS]
    if not http.use_x_frame_options:
        yield setting_hit(http, "use_x_frame_options", "X-Frame-Options is off")


CHECK: Final = Check(
    id="x_frame_options_disabled",
    family=Family.REMOTE_ACCESS,
    severity=Severity.LOW,
    learn_more_url=f"{URL_HTTP}#use_x_frame_options",
    needs=(HTTP_SETTINGS,),
    inspect=_inspect,
)
