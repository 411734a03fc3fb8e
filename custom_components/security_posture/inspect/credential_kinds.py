"""The key-name rule: which keys name a credential, and which values are written out.

A key is split into words (`api_key`, `apiKey`, `X-Api-Key` all give `api key`) and its
last word decides: `password`, `passwd`, `pwd`, `pass`, `passphrase`, `passcode`, `secret`,
`token`, `psk`, `credential(s)`, `authorization`, `key` after a credential word (`api`,
`private`, `auth`, `access`, `secret`, `client`, `local`, `encryption`, `network`, ...),
`code`/`pin` after `alarm`, `pin`, `door`, ... A key whose first words make it a setting
about a credential (`show_password`, `require_code`, `use_token`) is not one, and neither is
a key whose last word is something else (`password_entity`, `token_expiry`, `code_format`,
`value_template`, `webhook_id`). A bare `code` is `CONTEXT_CODE`: the caller decides from its
context (an alarm panel or a lock).

A literal is a string that is not empty, not a template, not an entity id, not a file path,
not a quoted tag; or an integer of four digits or more (a PIN). A URL with a written-out
`user:password@` and a PEM private key block are credentials wherever they stand.
"""

# ruff: noqa: S105 - the strings here name kinds of credentials; none is a credential

from __future__ import annotations

from functools import lru_cache
import re
from typing import Any, Final

from .url_userinfo import url_passwords
from .yaml_nodes import EnvVarRef

KIND_PASSWORD: Final = "password"
KIND_PASSPHRASE: Final = "passphrase"
KIND_PASSCODE: Final = "passcode"
KIND_API_KEY: Final = "API key"
KIND_PRIVATE_KEY: Final = "private key"
KIND_TOKEN: Final = "token"
KIND_SECRET: Final = "secret"
KIND_CLIENT_SECRET: Final = "client secret"
KIND_CREDENTIALS: Final = "credentials"
KIND_PRE_SHARED_KEY: Final = "pre-shared key"
KIND_AUTH_HEADER: Final = "authorization header"
KIND_PIN: Final = "PIN"
KIND_ALARM_CODE: Final = "alarm code"
KIND_URL: Final = "URL with embedded password"

# The last word of a key that makes it a credential by itself.
_HEAD_KINDS: Final = {
    "password": KIND_PASSWORD,
    "passwd": KIND_PASSWORD,
    "pwd": KIND_PASSWORD,
    "pass": KIND_PASSWORD,
    "passwort": KIND_PASSWORD,
    "passphrase": KIND_PASSPHRASE,
    "passcode": KIND_PASSCODE,
    "token": KIND_TOKEN,
    "credential": KIND_CREDENTIALS,
    "credentials": KIND_CREDENTIALS,
    "psk": KIND_PRE_SHARED_KEY,
}
# `<word>_key` is a credential for these words; `key` alone and `sort_key`, `ssl_key`
# (a file path), `entity_key`, `translation_key` are not.
_KEY_WORDS: Final = frozenset(
    {
        "access",
        "account",
        "api",
        "app",
        "application",
        "auth",
        "authentication",
        "authenticated",
        "bind",
        "client",
        "consumer",
        "developer",
        "encryption",
        "integration",
        "legacy",
        "license",
        "local",
        "master",
        "network",
        "private",
        "secret",
        "security",
        "session",
        "shared",
        "signing",
        "subscription",
        "unauthenticated",
        "user",
    }
)
# `<word>_code` / `<word>_pin` is a PIN for these words (`country_code`, `rx_pin` are not).
_PIN_WORDS: Final = frozenset(
    {
        "alarm",
        "arm",
        "disarm",
        "door",
        "lock",
        "unlock",
        "access",
        "master",
        "security",
        "user",
    }
)
# First words that make the key a setting about a credential, not a credential.
_SETTING_WORDS: Final = frozenset(
    {
        "allow",
        "ask",
        "change",
        "check",
        "disable",
        "disabled",
        "display",
        "enable",
        "enabled",
        "force",
        "forgot",
        "has",
        "hidden",
        "hide",
        "is",
        "mask",
        "max",
        "min",
        "no",
        "remember",
        "require",
        "required",
        "requires",
        "reset",
        "save",
        "show",
        "use",
        "validate",
        "verify",
        "visible",
    }
)
# Words written together that are credential words.
_COMPOUNDS: Final = {
    "accesskey": ("access", "key"),
    "accesstoken": ("access", "token"),
    "apikey": ("api", "key"),
    "apisecret": ("api", "secret"),
    "apitoken": ("api", "token"),
    "appkey": ("app", "key"),
    "appsecret": ("app", "secret"),
    "authkey": ("auth", "key"),
    "authtoken": ("auth", "token"),
    "bearertoken": ("bearer", "token"),
    "bindkey": ("bind", "key"),
    "clientsecret": ("client", "secret"),
    "pincode": ("pin", "code"),
    "privatekey": ("private", "key"),
    "refreshtoken": ("refresh", "token"),
    "secretkey": ("secret", "key"),
}
CONTEXT_CODE: Final = "code"
"""What `credential_kind` gives for a bare `code`: a credential only in an alarm or lock
context, which only the caller can judge."""

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_SEPARATORS = re.compile(r"[^a-z0-9]+")
_TEMPLATE = re.compile(r"\{\{|\{%|\{#")
_ENTITY_ID = re.compile(r"^[a-z][a-z0-9_]*\.[a-z0-9_]+$")
_PATH = re.compile(
    r"^(?:/|\./|\.\./|~/)\S*$|^\S+\.(?:pem|key|crt|cer|der|p12|pfx|json|txt|yaml|yml)$",
    re.IGNORECASE,
)
_QUOTED_TAG = re.compile(r"^!(?:secret|env_var|input|include)\b")
_NOT_VALUES: Final = frozenset(
    {"none", "null", "true", "false", "yes", "no", "on", "off", "n/a", "-", "~"}
)
_PRIVATE_KEY_BLOCK = re.compile(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----")
_MIN_PIN = 1000


def key_words(key: str) -> tuple[str, ...]:
    """Split a key into lower-case words: `apiKey`, `api-key`, `API_KEY` -> ("api", "key")."""
    spaced = _CAMEL.sub("_", key).lower()
    words: list[str] = []
    for word in _SEPARATORS.split(spaced):
        if word:
            words.extend(_COMPOUNDS.get(word, (word,)))
    return tuple(words)


def _key_kind(before: str | None) -> str | None:
    if before == "api":
        return KIND_API_KEY
    if before == "private":
        return KIND_PRIVATE_KEY
    return f"{before} key" if before in _KEY_WORDS else None


def _code_kind(head: str, before: str | None) -> str | None:
    if before == "pin" or (head == "pin" and before in _PIN_WORDS):
        return KIND_PIN
    if before in _PIN_WORDS:
        return KIND_ALARM_CODE
    return CONTEXT_CODE if head == "code" and before is None else None


@lru_cache(maxsize=4096)
def credential_kind(key: str) -> str | None:
    """The kind of credential a key holds, `"code"` for a bare `code`, or None."""
    words = key_words(key)
    if not words or words[0] in _SETTING_WORDS:
        return None
    *modifiers, head = words
    before = modifiers[-1] if modifiers else None
    if (kind := _HEAD_KINDS.get(head)) is not None:
        return kind
    if head == "secret":
        return KIND_CLIENT_SECRET if before == "client" else KIND_SECRET
    if head == "authorization":
        return KIND_AUTH_HEADER if modifiers in ([], ["proxy"]) else None
    if head == "key":
        return _key_kind(before)
    return _code_kind(head, before) if head in ("code", "pin") else None


def is_literal(value: Any) -> bool:
    """Whether a value under a credential key is the credential itself, written out."""
    if isinstance(value, EnvVarRef):
        return value.default is not None and is_literal(value.default)
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return abs(value) >= _MIN_PIN
    if not isinstance(value, str):
        return False
    text = value.strip()
    return bool(
        text
        and text.lower() not in _NOT_VALUES
        and not _TEMPLATE.search(text)
        and not _ENTITY_ID.match(text)
        and not _PATH.match(text)
        and not _QUOTED_TAG.match(text)
    )


def _is_placeholder(secret: str) -> bool:
    return len(set(secret)) == 1 or secret.startswith(("$", "%"))


def has_url_credentials(text: str) -> bool:
    """Whether `text` holds a URL with a written-out `user:password@`."""
    if "@" not in text or "://" not in text:
        return False
    for user, start, end in url_passwords(text):  # a linear scan, not a regex
        password = text[start:end]
        if "{" in user or "{" in password or "}" in password:
            continue  # a template fills it in
        if _is_placeholder(password):
            continue
        return True
    return False


def has_private_key(text: str) -> bool:
    """Whether `text` holds a PEM private key."""
    return "PRIVATE KEY-----" in text and bool(_PRIVATE_KEY_BLOCK.search(text))
