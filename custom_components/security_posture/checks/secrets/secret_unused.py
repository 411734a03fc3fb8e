"""`secret_unused` (info): a name in a `secrets.yaml` that no reference resolves to.

A definition shadowed by a nearer `secrets.yaml` is unused too. Unknown when a file of the
graph could not be read, since it may hold the reference.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from ...engine import Check, CheckUnknown, Facts, NotApplicable
from ...inspect.config_facts import CONFIG_GRAPH
from ...inspect.config_graph import SECRET_YAML
from ...inspect.masking import mask_credentials
from ...model import Family, Hit, Severity
from . import URL_SECRETS

if TYPE_CHECKING:
    from collections.abc import Iterator

    from homeassistant.components.repairs import RepairsFlow

    from ...entry import PostureEntry
    from ...model import Finding


def _inspect(facts: Facts) -> Iterator[Hit]:
    graph = facts[CONFIG_GRAPH]
    if graph.root_problem is not None:
        raise CheckUnknown(graph.root_problem)
    if not graph.secrets_files:
        raise NotApplicable("no secrets.yaml")
    if not graph.complete:
        raise CheckUnknown(
            "some configuration files could not be read; a secret may be used in them"
        )
    used = {(use.defined_in, use.name) for use in graph.secret_uses}
    for definition in graph.secret_defs:
        if (definition.file, definition.name) in used:
            continue
        name = mask_credentials(definition.name)
        yield Hit(
            subject=f"{definition.file}: {name}",
            title=f"Secret {name} is never used"
            + ("" if definition.file == SECRET_YAML else f" ({definition.file})"),
            file=definition.file,
            line=definition.line,
            key=name,
            placeholders={"secret": name, "file": definition.file},
        )


def _fix(entry: PostureEntry, finding: Finding) -> RepairsFlow:
    """Remove the unused secret (the flow loads when a repair opens)."""
    # Imported here: the command-line scanner runs this check without Home Assistant.
    from ...fixes.secret_unused import RemoveSecretFlow  # noqa: PLC0415

    return RemoveSecretFlow(entry, finding)


CHECK: Final = Check(
    id="secret_unused",
    family=Family.SECRETS,
    severity=Severity.INFO,
    learn_more_url=URL_SECRETS,
    needs=(CONFIG_GRAPH,),
    inspect=_inspect,
    fix=_fix,
)
