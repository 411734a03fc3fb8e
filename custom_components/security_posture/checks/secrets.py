"""The secrets family, first part: credentials in the configuration and `!secret` use.

- `inline_credential` (high): a credential written into a file Home Assistant loads (see
  `inspect/credentials.py` for what counts). One finding per location: the subject is the
  file and the key path, never the line.
- `secret_undefined` (medium): a `!secret` name that no `secrets.yaml` on Home Assistant's
  lookup path defines. One finding per file and name; a lookup through a secrets file that
  could not be read is left undecided (that file is in the notes).
- `secret_unused` (info): a name in a `secrets.yaml` that no reference resolves to (a
  definition shadowed by a nearer `secrets.yaml` is unused too). Unknown when a file of the
  graph could not be read, since it may hold the reference.

The facts are the configuration graph (`inspect/config_files.py`), read once per scan in the
executor; values of secrets are never read into them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from ..engine import Check, CheckUnknown, FamilyChecks, NotApplicable, ScanContext
from ..inspect.config_files import (
    SECRET_YAML,
    ConfigGraph,
    SecretUse,
    async_get_config_graph,
)
from ..inspect.credentials import Credential, scan_files
from ..model import Family, Hit, Severity

if TYPE_CHECKING:
    from collections.abc import Iterator

URL_SECRETS: Final = "https://www.home-assistant.io/docs/configuration/secrets/"


CACHE_CREDENTIALS: Final = "inline_credentials"


@dataclass(frozen=True, kw_only=True)
class SecretsFacts:
    """The configuration graph and the credentials written into its files."""

    graph: ConfigGraph
    credentials: tuple[Credential, ...]


async def _async_gather(ctx: ScanContext) -> SecretsFacts:
    """Read the graph and find credentials, in the executor.

    Unknown if configuration.yaml itself cannot be read.
    """
    graph = await async_get_config_graph(ctx)
    if graph.root_problem is not None:
        raise CheckUnknown(graph.root_problem)
    memo = ctx.cache.setdefault(CACHE_CREDENTIALS, {})
    credentials = await ctx.hass.async_add_executor_job(scan_files, graph.files, memo)
    return SecretsFacts(graph=graph, credentials=credentials)


def _title(credential: Credential, *, shared_key: bool) -> str:
    """Which credential, shortest first: its key path and kind; the file when it must tell.

    Titles are cut in Settings -> Repairs' list: what tells two findings apart comes first.
    """
    what = f"{credential.kind} in plain text"
    if not credential.key:
        return f"{what[:1].upper()}{what[1:]} in {credential.file}"
    title = f"{credential.key}: {what}"
    return f"{title} ({credential.file})" if shared_key else title


def _inspect_inline_credential(facts: SecretsFacts, ctx: ScanContext) -> Iterator[Hit]:
    keys = Counter(credential.key for credential in facts.credentials)
    for credential in facts.credentials:
        yield Hit(
            subject=credential.subject,
            title=_title(credential, shared_key=keys[credential.key] > 1),
            file=credential.file,
            line=credential.line,
            key=credential.key,
            placeholders={"kind": credential.kind},
        )


def _inspect_secret_undefined(facts: SecretsFacts, ctx: ScanContext) -> Iterator[Hit]:
    first: dict[tuple[str, str], SecretUse] = {}
    for use in facts.graph.secret_uses:
        if use.defined_in is None and use.decidable:
            first.setdefault((use.file, use.name), use)
    for (file, name), use in first.items():
        yield Hit(
            subject=f"{file}: !secret {name}",
            title=f"Secret {name} used in {file} is not defined",
            file=file,
            line=use.line,
            key=use.key,
            placeholders={"secret": name},
        )


def _inspect_secret_unused(facts: SecretsFacts, ctx: ScanContext) -> Iterator[Hit]:
    graph = facts.graph
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
        yield Hit(
            subject=f"{definition.file}: {definition.name}",
            title=f"Secret {definition.name} is never used"
            + ("" if definition.file == SECRET_YAML else f" ({definition.file})"),
            file=definition.file,
            line=definition.line,
            key=definition.name,
            placeholders={"secret": definition.name, "file": definition.file},
        )


FAMILY: FamilyChecks[SecretsFacts] = FamilyChecks(
    family=Family.SECRETS,
    gather=_async_gather,
    checks=(
        Check(
            id="inline_credential",
            severity=Severity.HIGH,
            learn_more_url=URL_SECRETS,
            inspect=_inspect_inline_credential,
        ),
        Check(
            id="secret_undefined",
            severity=Severity.MEDIUM,
            learn_more_url=URL_SECRETS,
            inspect=_inspect_secret_undefined,
        ),
        Check(
            id="secret_unused",
            severity=Severity.INFO,
            learn_more_url=URL_SECRETS,
            inspect=_inspect_secret_unused,
        ),
    ),
)
