"""What counts as a credential written into the configuration.

Three signs, each giving a *kind* that is shown to the user (never the value):

- a credential-like key holding a literal: the key is split into words (`api_key`,
  `apiKey`, `X-Api-Key` all give `api key`) and its last word decides: `password`,
  `passwd`, `pwd`, `pass`, `passphrase`, `passcode`, `secret`, `token`, `psk`,
  `credential(s)`, `authorization`, `key` after a credential word (`api`, `private`, `auth`,
  `access`, `secret`, `client`, `local`, `encryption`, `network`, ...), `code`/`pin` after
  `alarm`, `pin`, `door`, ... A key whose first words make it a setting about a credential
  (`show_password`, `require_code`, `use_token`) is not one, and neither is a key whose last
  word is something else (`password_entity`, `token_expiry`, `code_format`,
  `value_template`, `webhook_id`). A bare `code` counts only in an alarm or lock context (an
  `alarm_control_panel` section, or next to an `alarm_control_panel.*`/`lock.*` action or
  entity), since it is also an infrared code, a country code, a status code...;
- a URL with `user:password@` in any string, anywhere (`db_url`, camera stream URLs, iframe
  cards, even inside a template when the password part itself is written out);
- a PEM private key block in any string;
- a credential inside any other string, recognised by its context: a URL's query or a form
  body, a command line's options and headers, an embedded JSON's keys (`string_credentials`).

The key-name rule judges option keys, not the names the owner chose (a `shell_command` called
`google_token`, see `owner_names`); the value under such a name is still read. A literal that
is an obvious placeholder (`YOUR_API_KEY`, `changeme`) is marked as one.

A literal is a string that is not empty, not a template (`{{`, `{%`, `{#`), not an entity
id, not a file path, not a quoted tag (`"!secret x"`); or an integer of four digits or more
(a PIN). Booleans, null, floats, dates and shorter numbers are settings. References
(`!secret`, `!env_var NAME`, `!input`, `!include`) are not literals; the default of
`!env_var NAME default` is written in the file, so it is judged like a literal.

Not scanned: secrets files, and JSON files pulled in by `!include` (service account key files
such as Google Assistant's, which are credential files in their own right).
"""

# ruff: noqa: S105 - the strings here name kinds of credentials; none is a credential

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
import re
from typing import TYPE_CHECKING, Any, Final

from ..engine import CheckUnknown, Fact, ScanContext, Slot
from .config_files import (
    CONFIG_GRAPH,
    SECRET_YAML,
    EnvVarRef,
    KeyPart,
    YamlList,
    YamlMap,
    format_key_path,
)
from .masking import url_passwords
from .owner_names import keys_are_names
from .string_credentials import (
    StringCredential,
    find_in_string,
    is_placeholder,
    url_is_placeholder,
)

if TYPE_CHECKING:
    from collections.abc import MutableMapping, Sequence

    from .config_files import ConfigFile

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
_CONTEXT_CODE: Final = (
    "code"  # a bare `code`: a credential only in an alarm or lock context
)
_ALARM_DOMAINS: Final = ("alarm_control_panel.", "lock.")
_ALARM_SECTIONS: Final = frozenset({"alarm", "lock", "locks"})

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
    return _CONTEXT_CODE if head == "code" and before is None else None


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


@dataclass(frozen=True, slots=True)
class Credential:
    """A credential written into a configuration file: where, and what kind. No value."""

    kind: str
    file: str
    line: int
    key: str
    detail: str = ""
    """What was found inside a string ("API key in the URL's `appid` parameter"), if so."""
    placeholder: bool = False
    """The value is an obvious placeholder (`YOUR_API_KEY`): no working credential."""

    @property
    def subject(self) -> str:
        """Stable identity: file and key path."""
        return f"{self.file}: {self.key}" if self.key else self.file


def _is_alarm_section(key: Any) -> bool:
    return bool(_ALARM_SECTIONS.intersection(key_words(str(key))))


def _in_alarm_context(mount: Sequence[str], ancestors: Sequence[Any]) -> bool:
    """Whether a bare `code` belongs to an alarm panel or a lock."""
    if any(_is_alarm_section(key) for key in mount):
        return True
    # The mapping holding `code`, and the one above it (`data:` next to `action:`).
    for mapping in ancestors[-2:]:
        if not isinstance(mapping, YamlMap):
            continue
        for key, value in mapping.items():
            if _is_alarm_section(key):
                return True
            targets = value.values() if isinstance(value, YamlMap) else (value,)
            for target in targets:
                items = target if isinstance(target, YamlList) else (target,)
                if any(
                    isinstance(t, str) and t.startswith(_ALARM_DOMAINS) for t in items
                ):
                    return True
    return False


type _Inside = tuple[str, str, bool]
"""Kind, what was found inside the string, and whether it is a placeholder."""


def _string_kind(text: str) -> _Inside | None:
    """A credential inside a string (see `string_credentials` for all but the first two)."""
    if has_private_key(text):
        return KIND_PRIVATE_KEY, "", False
    if has_url_credentials(text):
        return KIND_URL, "", url_is_placeholder(text)
    found: Sequence[StringCredential] = find_in_string(text, credential_kind)
    if not found:
        return None
    # Placeholders count only where nothing real is found beside them.
    real = [f for f in found if not f.placeholder] or found
    return real[0].kind, "; ".join(f.detail for f in real), real is found


def _placeholder(value: Any) -> bool:
    """Whether a literal under a credential key is an obvious placeholder."""
    if isinstance(value, EnvVarRef):
        return value.default is not None and is_placeholder(value.default)
    return isinstance(value, str) and is_placeholder(value)


type _Item = tuple[tuple[KeyPart, ...], Any, int, tuple[Any, ...]]
"""Key path, value, line, and the containers above the value."""


class _Scanner:
    """One walk over one file, each container once, in document order."""

    def __init__(self, config_file: ConfigFile) -> None:
        self.file = config_file
        self.seen_lines: set[tuple[int, str]] = set()
        self.seen_containers: set[int] = set()
        self.found: list[Credential] = []

    def add(
        self,
        kind: str,
        line: int,
        parts: tuple[KeyPart, ...],
        *,
        detail: str = "",
        placeholder: bool = False,
    ) -> None:
        # A merged (`<<: *anchor`) value is the anchor's own line: report it once.
        last = str(parts[-1]) if parts else ""
        if (line, last) not in self.seen_lines:
            self.seen_lines.add((line, last))
            self.found.append(
                Credential(
                    kind=kind,
                    file=self.file.path,
                    line=line,
                    key=format_key_path(parts),
                    detail=detail,
                    placeholder=placeholder,
                )
            )

    def run(self) -> list[Credential]:
        stack: list[_Item] = [((), self.file.root, 1, ())]
        while stack:
            parts, value, line, ancestors = stack.pop()
            if isinstance(value, (YamlMap, YamlList)):
                if id(value) in self.seen_containers:
                    continue
                self.seen_containers.add(id(value))
                children = (
                    self.mapping(parts, value, (*ancestors, value))
                    if isinstance(value, YamlMap)
                    else [
                        (
                            (*parts, index),
                            child,
                            value.item_lines[index],
                            (*ancestors, value),
                        )
                        for index, child in enumerate(value)
                    ]
                )
                stack.extend(reversed(children))
            elif isinstance(value, str) and (inside := _string_kind(value)) is not None:
                kind, detail, placeholder = inside
                self.add(kind, line, parts, detail=detail, placeholder=placeholder)
        # Keys are reported as their mapping is read, strings as they are reached.
        return sorted(self.found, key=lambda credential: credential.line)

    def mapping(
        self, parts: tuple[KeyPart, ...], value: YamlMap, ancestors: tuple[Any, ...]
    ) -> list[_Item]:
        """Report credential keys holding literals; return the other children to walk."""
        children: list[_Item] = []
        path: tuple[str, ...] | None = None  # worked out for the first credential key
        names = False
        for key, child in value.items():
            child_line = value.value_lines[key]
            child_parts = (*parts, str(key))
            if isinstance(key, str) and (in_key := _string_kind(key)) is not None:
                key_kind, detail, placeholder = in_key  # in a key too
                self.add(
                    key_kind,
                    value.key_lines[key],
                    child_parts,
                    detail=detail,
                    placeholder=placeholder,
                )
            kind = credential_kind(key) if isinstance(key, str) else None
            if kind is not None and path is None:
                path = (*self.file.mount, *(p for p in parts if isinstance(p, str)))
                names = keys_are_names(
                    path, ancestors[-2] if len(ancestors) > 1 else None
                )
            if kind is not None and names:
                kind = None  # a name the owner chose, not an option
            if kind == _CONTEXT_CODE and path is not None:
                kind = KIND_ALARM_CODE if _in_alarm_context(path, ancestors) else None
            if kind is not None and is_literal(child):
                self.add(kind, child_line, child_parts, placeholder=_placeholder(child))
            else:
                children.append((child_parts, child, child_line, ancestors))
        return children


def scan_file(config_file: ConfigFile) -> list[Credential]:
    """Every credential written into one file, once per location, in document order."""
    name = config_file.path.rsplit("/", 1)[-1]
    if config_file.is_json or name == SECRET_YAML:
        return []
    return _Scanner(config_file).run()


def scan_files(
    files: Sequence[ConfigFile], memo: MutableMapping[str, Any]
) -> tuple[Credential, ...]:
    """Credentials of every file, walking only files that changed since the last call.

    A file whose parsed tree (the reader's cache hands out the same object while the file is
    unchanged) and mount are those of the last call is not walked again.

    `memo` maps a file's path to (tree, mount, credentials); pass the same mapping each scan.
    """
    found: list[Credential] = []
    for config_file in files:
        known = memo.get(config_file.path)
        if (
            known is not None
            and known[0] is config_file.root
            and known[1] == config_file.mount
        ):
            found.extend(known[2])
            continue
        credentials = scan_file(config_file)
        memo[config_file.path] = (config_file.root, config_file.mount, credentials)
        found.extend(credentials)
    current = {f.path for f in files}
    for stale in [path for path in memo if path not in current]:
        del memo[stale]
    return tuple(found)


CREDENTIALS_CACHE: Final = Slot[dict[str, Any]](
    name="credentials by file", factory=dict
)


async def _async_find_credentials(ctx: ScanContext) -> tuple[Credential, ...]:
    """Credentials in the configuration graph's files, in the executor.

    Unknown when configuration.yaml itself cannot be read.
    """
    graph = await ctx.fact(CONFIG_GRAPH)
    if graph.root_problem is not None:
        raise CheckUnknown(graph.root_problem)
    return await ctx.hass.async_add_executor_job(
        scan_files, graph.files, ctx.cache.get(CREDENTIALS_CACHE)
    )


INLINE_CREDENTIALS: Final = Fact[tuple[Credential, ...]](
    name="the credentials written into the configuration",
    gather=_async_find_credentials,
)
