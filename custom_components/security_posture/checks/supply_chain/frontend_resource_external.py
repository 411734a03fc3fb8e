"""`frontend_resource_external` (medium): frontend code loaded from another host.

Dashboard resources and `frontend: extra_module_url` / `extra_js_url_es5` run in the browser
of everyone who opens Home Assistant, administrators included, with their rights. A URL on
a host that is not this instance hands that browser to whoever controls the host (or the
way to it). One finding per URL (shown without credentials), at its first place: the YAML
with file and line, the dashboard resources, or the set an integration added to.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from ...engine import Check, Facts
from ...inspect.frontend_code import FRONTEND_CODE, ForeignUrl
from ...inspect.frontend_yaml import Source
from ...markdown import Markdown, code
from ...model import Family, Hit, Severity

if TYPE_CHECKING:
    from collections.abc import Iterator

URL_RESOURCES: Final = (
    "https://developers.home-assistant.io/docs/frontend/custom-ui/registering-resources"
)
_WHAT: Final = {
    Source.RESOURCE: "Dashboard resource",
    Source.EXTRA_MODULE_URL: "Frontend module",
    Source.EXTRA_JS_URL_ES5: "Frontend script",
}
_RESOURCES_PAGE: Final = Markdown(
    "the dashboard resources ([Settings → Dashboards → ⋮ → Resources]"
    "(/config/lovelace/resources))"
)


def _where(found: ForeignUrl) -> Markdown:
    """Where the owner changes it, in words (Markdown: names are code spans)."""
    option = code(f"frontend: {found.source}")
    if found.runtime_only:
        return Markdown(
            f"{option}, as Home Assistant serves it now: an integration added it "
            "(it is not in the configuration)"
        )
    if found.file is None or found.line is None:
        return _RESOURCES_PAGE
    return Markdown(f"{code(found.file)}, line {found.line}")


def _inspect(facts: Facts) -> Iterator[Hit]:
    for found in facts[FRONTEND_CODE].foreign:
        remote = found.remote
        yield Hit(
            subject=remote.shown,
            title=f"{_WHAT[found.source]} loaded from {remote.host}",
            file=found.file,
            line=found.line,
            key=found.key,
            placeholders={
                "url": code(remote.shown),
                "host": remote.host,
                "where": _where(found),
            },
        )


def _summary(facts: Facts) -> str:
    code = facts[FRONTEND_CODE]
    hosts = len({found.remote.host for found in code.foreign})
    return (
        f"{len(code.foreign)} code URLs from {hosts} other hosts "
        f"(of {code.resources} dashboard resources and {code.extras} frontend URLs)"
    )


CHECK: Final = Check(
    id="frontend_resource_external",
    family=Family.SUPPLY_CHAIN,
    severity=Severity.MEDIUM,
    learn_more_url=URL_RESOURCES,
    needs=(FRONTEND_CODE,),
    inspect=_inspect,
    summary=_summary,
)
