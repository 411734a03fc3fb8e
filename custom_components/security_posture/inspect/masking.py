"""Mask credentials in names built from the configuration.

`mask_credentials` is applied wherever a name is built from the configuration (a key path,
a secret's name, a subject, a title): a URL password becomes `***` (found by
`url_userinfo.url_passwords`, a linear scan), a PEM private key the words `[private key]`,
and a text holding a credential in any other form found inside strings (`string_credentials`)
`***` whole.
"""

from __future__ import annotations

from typing import Final

from .credential_kinds import credential_kind
from .string_credentials import find_in_string
from .url_userinfo import SEPARATOR, url_passwords

MASK: Final = "***"
PRIVATE_KEY_MASK: Final = "[private key]"


def mask_path(path: str) -> str:
    """A path with `user:password@` masked in each component.

    A path is normalised (`https://u:pw@host/x` becomes `https:/u:pw@host/x`), so the URL
    scan no longer sees it: a component with a `:` before an `@` is masked instead.
    """
    parts = path.split("/")
    for index, part in enumerate(parts):
        colon, at = part.find(":"), part.rfind("@")
        if 0 <= colon < at:
            parts[index] = f"{part[: colon + 1]}{MASK}{part[at:]}"
    return mask_credentials("/".join(parts))


def mask_credentials(text: str) -> str:
    """`text` with URL passwords replaced by `***`; a text holding a private key is masked.

    A text holding a credential in any other form found inside strings (a query parameter,
    `curl -u`, a header option, embedded JSON) is masked whole.
    """
    if "PRIVATE KEY-----" in text and "-----BEGIN" in text:
        return PRIVATE_KEY_MASK
    if _holds_string_credential(text):
        return MASK
    if "@" not in text or SEPARATOR not in text:
        return text
    parts: list[str] = []
    last = 0
    for _user, start, end in url_passwords(text):
        parts += (text[last:start], MASK)
        last = end
    if not parts:
        return text
    parts.append(text[last:])
    return "".join(parts)


def _holds_string_credential(text: str) -> bool:
    """Whether `text` holds a credential in a form found inside strings (not a URL's)."""
    if not any(char in text for char in "=:-"):
        return False  # every such form needs one of these: most names are done here
    return any(not found.placeholder for found in find_in_string(text, credential_kind))
