"""The secrets family, first part: credentials in the configuration and `!secret` use.

- `inline_credential` (high): a credential written into a file Home Assistant loads (see
  `inspect/credentials.py` and `inspect/string_credentials.py` for what counts). One finding
  per location: the subject is the file and the key path, never the line. A credential
  found inside a string says what was found where ("API key in the URL's `appid`
  parameter"). An obvious placeholder (`YOUR_API_KEY`, `changeme`) is low: the configuration
  cannot work, but nothing leaks. The check's result in the report counts the placeholders,
  and so does the `placeholders` attribute of the `inline_credentials` sensor.
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
from ..inspect.config_graph import SECRET_YAML, ConfigGraph, SecretUse
from ..inspect.credentials import Credential, scan_files
from ..inspect.graph_reader import async_get_config_graph
from ..inspect.masking import mask_credentials
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


METRIC_PLACEHOLDERS: Final = "inline_credential_placeholders"


def _capitalized(text: str) -> str:
    return f"{text[:1].upper()}{text[1:]}"


def _title(credential: Credential, *, shared_key: bool) -> str:
    """Which credential, shortest first: its key path and kind; the file when it must tell.

    Titles are cut in Settings -> Repairs' list: what tells two findings apart comes first.
    """
    what = credential.detail or credential.kind
    what = f"placeholder {what}" if credential.placeholder else f"{what} in plain text"
    if not credential.key:
        return f"{_capitalized(what)} in {credential.file}"
    title = f"{credential.key}: {what}"
    return f"{title} ({credential.file})" if shared_key else title


def _detail(credential: Credential) -> str:
    """The sentence the repair adds after saying what and where (empty when nothing to add)."""
    found = f" Found: {credential.detail}." if credential.detail else ""
    if not credential.placeholder:
        return found
    return (
        f"{found} The value is an obvious placeholder, not a working credential, so "
        "whatever uses it cannot work. Put the real value into `secrets.yaml` and "
        "reference it with `!secret`."
    )


def _inspect_inline_credential(facts: SecretsFacts, ctx: ScanContext) -> Iterator[Hit]:
    keys = Counter(credential.key for credential in facts.credentials)
    for credential in facts.credentials:
        kind = credential.kind
        yield Hit(
            subject=credential.subject,
            title=_title(credential, shared_key=keys[credential.key] > 1),
            severity=Severity.LOW if credential.placeholder else None,
            file=credential.file,
            line=credential.line,
            key=credential.key,
            placeholders={
                "kind": f"{kind} placeholder" if credential.placeholder else kind,
                "detail": _detail(credential),
            },
        )


def _placeholders(facts: SecretsFacts) -> int:
    return sum(1 for credential in facts.credentials if credential.placeholder)


def _summary_inline_credential(facts: SecretsFacts) -> str | None:
    placeholders = _placeholders(facts)
    if not placeholders:
        return None
    total = len(facts.credentials)
    return (
        f"{total - placeholders} credential{'s' if total - placeholders != 1 else ''}"
        f" and {placeholders} placeholder{'s' if placeholders != 1 else ''}"
        " (not working credentials) written into the configuration"
    )


def _metrics(facts: SecretsFacts, ctx: ScanContext) -> dict[str, int]:
    return {METRIC_PLACEHOLDERS: _placeholders(facts)}


def _inspect_secret_undefined(facts: SecretsFacts, ctx: ScanContext) -> Iterator[Hit]:
    first: dict[tuple[str, str], SecretUse] = {}
    for use in facts.graph.secret_uses:
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


FAMILY: FamilyChecks[SecretsFacts] = FamilyChecks(
    family=Family.SECRETS,
    gather=_async_gather,
    checks=(
        Check(
            id="inline_credential",
            severity=Severity.HIGH,
            learn_more_url=URL_SECRETS,
            inspect=_inspect_inline_credential,
            summary=_summary_inline_credential,
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
    metrics=_metrics,
)
