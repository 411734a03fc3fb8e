"""`ssl_profile_intermediate` (info): the older, more permissive TLS profile.

Up to 2026.10 the profiles are `modern` and `intermediate` (Mozilla's guideline 4).
2026.11 versions them: `intermediate_v6` is its recommended default, and core raises its own
repair (`ssl_profile_outdated`) for the v4 profiles, which is not repeated here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from ...engine import Check, Facts, NotApplicable
from ...inspect.http_settings import HTTP_SETTINGS
from ...model import Family, Hit, Severity
from . import URL_HTTP
from .settings import setting_hit

if TYPE_CHECKING:
    from collections.abc import Iterator


def _inspect(facts: Facts) -> Iterator[Hit]:
    http = facts[HTTP_SETTINGS]
    if not http.ssl_certificate:
        raise NotApplicable("Home Assistant serves no TLS itself")
    profile = http.profile
    if profile.outdated:
        raise NotApplicable(
            f"Home Assistant raises its own repair for the outdated {profile.name} profile"
        )
    if profile.kind == "intermediate" and not profile.versioned:
        yield setting_hit(http, "ssl_profile", "The intermediate TLS profile is in use")


CHECK: Final = Check(
    id="ssl_profile_intermediate",
    family=Family.REMOTE_ACCESS,
    severity=Severity.INFO,
    learn_more_url=f"{URL_HTTP}#ssl_profile",
    needs=(HTTP_SETTINGS,),
    inspect=_inspect,
)
