"""`custom_integration_risk`: custom integrations that nothing keeps safe, or that reach out.

Custom integrations run with all of Home Assistant's rights. They are counted (the
`custom_integrations` sensor), and each one is flagged, medium, once per reason we are sure
of (the subject names the reason with a word that stays when HACS becomes the Marketplace,
so an accepted risk survives the upgrade):

- **untracked**: HACS (the Marketplace from 2026.11) has no record of installing it
  (`hacs_store`), so nothing tells the owner about its updates, or when it is archived or
  pulled. HACS itself is the exception while its storage exists: it updates itself. Not
  decided when HACS stored an installed integration without its folder name (it could be any
  of them);
- **archived**: HACS installed it and saw its repository archived: no fixes will come;
- **loads code from outside its folder**: requirements installed from a URL instead of the
  package index, a folder outside its own put on the import path, or a folder that is a link
  to outside the configuration directory (`custom_integrations`).

A repository removed from HACS' catalog is known only by the repair HACS raises itself
(domain `hacs`, or `marketplace`); it is listed in the report at info, with no repair of
ours. An archived one that HACS raised that repair for is info too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from ...engine import Check, Facts, Metric
from ...inspect.custom_integrations import CUSTOM_INTEGRATIONS, CustomIntegration
from ...inspect.hacs_store import HACS, HACS_DOMAIN, HacsFacts, HacsRepository
from ...markdown import Markdown, code
from ...model import Family, Hit, Severity

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

URL_HACS: Final = "https://hacs.xyz/"
MAX_LISTED: Final = 5


def _listed(items: Sequence[str]) -> Markdown:
    """Items as code spans, at most `MAX_LISTED` and how many more."""
    shown = ", ".join(code(item) for item in items[:MAX_LISTED])
    more = len(items) - MAX_LISTED
    return Markdown(f"{shown} and {more} more" if more > 0 else shown)


class _Flag:
    """One reason to flag an integration: its subject, title and texts."""

    def __init__(self, integration: CustomIntegration) -> None:
        self.integration = integration
        self.label = integration.name or integration.domain

    def hit(
        self,
        reason: str,
        title: str,
        problem: Markdown,
        *,
        severity: Severity | None = None,
        file: str | None = None,
        key: str | None = None,
    ) -> Hit:
        folder = self.integration.folder
        return Hit(
            subject=f"{folder}: {reason}",
            title=f"Custom integration {self.label} {title}",
            severity=severity,
            file=file,
            key=key,
            placeholders={
                "integration": code(self.label),
                "folder": code(folder),
                "problem": problem,
            },
        )


def _hacs_hits(
    flag: _Flag, hacs: HacsFacts, repo: HacsRepository | None
) -> Iterator[Hit]:
    domain = flag.integration.domain
    manager = hacs.manager.name
    if repo is None:
        managed = domain == HACS_DOMAIN and hacs.present
        if not managed and not hacs.unmapped:
            yield flag.hit(
                "untracked",
                f"is not installed through {manager}",
                Markdown(
                    f"{manager} has no record of installing it, so nothing tells you "
                    "when it has an update, or when its repository is archived or pulled"
                ),
            )
        return
    repository = code(repo.full_name)
    if repo.removed:
        yield flag.hit(
            "removed",
            f"was removed from {manager} ({repo.full_name})",
            Markdown(
                f"{manager} removed its repository {repository} and raised a repair"
            ),
            severity=Severity.INFO,
        )
    if repo.archived:
        yield flag.hit(
            "archived",
            f"is archived upstream ({repo.full_name})",
            Markdown(
                f"its repository {repository} is archived: no fixes will come, "
                "security fixes included"
            ),
            severity=Severity.INFO if repo.removed else None,
        )


def _outside_hits(flag: _Flag) -> Iterator[Hit]:
    integration = flag.integration
    if integration.url_requirements:
        yield flag.hit(
            "requirements from a URL",
            "installs requirements from a URL",
            Markdown(
                "its manifest makes Home Assistant install "
                f"{_listed(integration.url_requirements)} from a URL, not from the "
                "package index"
            ),
            file=f"{integration.folder}/manifest.json",
            key="requirements",
        )
    if integration.import_paths:
        yield flag.hit(
            "import path",
            "imports code from outside its folder",
            Markdown(
                f"its code puts {_listed(integration.import_paths)} on Python's import "
                "path, for every integration"
            ),
        )
    if integration.linked_to is not None:
        yield flag.hit(
            "linked folder",
            "is loaded from outside the configuration directory",
            Markdown(
                f"its folder is a link to {code(integration.linked_to)}, which backups "
                "of the configuration do not hold"
            ),
        )


def _inspect(facts: Facts) -> Iterator[Hit]:
    hacs = facts[HACS]
    for integration in facts[CUSTOM_INTEGRATIONS].integrations:
        flag = _Flag(integration)
        yield from _hacs_hits(flag, hacs, hacs.installed.get(integration.domain))
        yield from _outside_hits(flag)


def _summary(facts: Facts) -> str:
    integrations = facts[CUSTOM_INTEGRATIONS].integrations
    hacs = facts[HACS]
    through = sum(1 for i in integrations if i.domain in hacs.installed)
    return (
        f"{len(integrations)} custom integrations, "
        f"{through} installed through {hacs.manager.name}"
    )


CHECK: Final = Check(
    id="custom_integration_risk",
    family=Family.SUPPLY_CHAIN,
    severity=Severity.MEDIUM,
    learn_more_url=URL_HACS,
    needs=(CUSTOM_INTEGRATIONS, HACS),
    inspect=_inspect,
    summary=_summary,
)

COUNT: Final = Metric[int](
    name="custom_integrations",
    needs=(CUSTOM_INTEGRATIONS,),
    compute=lambda facts: len(facts[CUSTOM_INTEGRATIONS].integrations),
)
THROUGH_HACS: Final = Metric[int](
    name="custom_integrations_through_hacs",
    needs=(CUSTOM_INTEGRATIONS, HACS),
    compute=lambda facts: sum(
        1
        for integration in facts[CUSTOM_INTEGRATIONS].integrations
        if integration.domain in facts[HACS].installed
    ),
)
METRICS: Final = (COUNT, THROUGH_HACS)
