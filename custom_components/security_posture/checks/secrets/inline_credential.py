"""`inline_credential` (high): a credential written into a file Home Assistant loads.

See `inspect/credentials.py` and `inspect/string_credentials.py` for what counts. One finding
per location: the subject is the file and the key path, never the line. A credential found
inside a string says what was found where ("API key in the URL's `appid` parameter"). An
obvious placeholder (`YOUR_API_KEY`, `changeme`) is low: the configuration cannot work, but
nothing leaks. The check's result in the report counts the placeholders, and so does the
`placeholders` attribute of the `inline_credentials` sensor (the `PLACEHOLDERS` metric).
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Final

from ...engine import Check, Facts, Metric
from ...inspect.config_facts import INLINE_CREDENTIALS
from ...model import Family, Hit, Severity
from . import URL_SECRETS

if TYPE_CHECKING:
    from collections.abc import Iterator

    from homeassistant.components.repairs import RepairsFlow

    from ...entry import PostureEntry
    from ...inspect.credentials import Credential
    from ...model import Finding


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


def _inspect(facts: Facts) -> Iterator[Hit]:
    credentials = facts[INLINE_CREDENTIALS]
    keys = Counter(credential.key for credential in credentials)
    for credential in credentials:
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


def _placeholders(facts: Facts) -> int:
    return sum(1 for credential in facts[INLINE_CREDENTIALS] if credential.placeholder)


def _summary(facts: Facts) -> str | None:
    placeholders = _placeholders(facts)
    if not placeholders:
        return None
    working = len(facts[INLINE_CREDENTIALS]) - placeholders
    return (
        f"{working} credential{'s' if working != 1 else ''}"
        f" and {placeholders} placeholder{'s' if placeholders != 1 else ''}"
        " (not working credentials) written into the configuration"
    )


def _fix(entry: PostureEntry, finding: Finding) -> RepairsFlow:
    """Move the credential to `secrets.yaml` (the flow loads when a repair opens)."""
    # Imported here: the command-line scanner runs this check without Home Assistant.
    from ...fixes.inline_credential import MoveToSecretsFlow  # noqa: PLC0415

    return MoveToSecretsFlow(entry, finding)


CHECK: Final = Check(
    id="inline_credential",
    family=Family.SECRETS,
    severity=Severity.HIGH,
    learn_more_url=URL_SECRETS,
    needs=(INLINE_CREDENTIALS,),
    inspect=_inspect,
    summary=_summary,
    fix=_fix,
)

PLACEHOLDERS: Final = Metric[int](
    name="inline_credential_placeholders",
    needs=(INLINE_CREDENTIALS,),
    compute=_placeholders,
)
METRICS: Final = (PLACEHOLDERS,)
