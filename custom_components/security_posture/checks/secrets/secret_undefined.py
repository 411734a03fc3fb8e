"""`secret_undefined` (medium): a `!secret` name no `secrets.yaml` on the lookup path defines.

One finding per file and name; a lookup through a secrets file that could not be read is
left undecided (that file is in the notes).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from ...engine import Check, CheckUnknown, Facts
from ...inspect.config_facts import CONFIG_GRAPH
from ...inspect.masking import mask_credentials
from ...model import Family, Hit, Severity
from . import URL_SECRETS

if TYPE_CHECKING:
    from collections.abc import Iterator

    from ...inspect.config_graph import SecretUse


def _inspect(facts: Facts) -> Iterator[Hit]:
    graph = facts[CONFIG_GRAPH]
    if graph.root_problem is not None:
        raise CheckUnknown(graph.root_problem)
    first: dict[tuple[str, str], SecretUse] = {}
    for use in graph.secret_uses:
        if use.defined_in is None and use.decidable:
            first.setdefault((use.file, use.name), use)
    for (file, raw), use in first.items():
        name = mask_credentials(raw)  # a name is shown: never a credential in it
        yield Hit(
            subject=f"{file}: !secret {name}",
            title=f"Secret {name} used in {file} is not defined",
            file=file,
            line=use.line,
            key=use.key,
            placeholders={"secret": name},
        )


CHECK: Final = Check(
    id="secret_undefined",
    family=Family.SECRETS,
    severity=Severity.MEDIUM,
    learn_more_url=URL_SECRETS,
    needs=(CONFIG_GRAPH,),
    inspect=_inspect,
)
