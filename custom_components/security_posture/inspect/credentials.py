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

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from .config_graph import SECRET_YAML
from .credential_kinds import (
    CONTEXT_CODE,
    KIND_ALARM_CODE,
    KIND_PRIVATE_KEY,
    KIND_URL,
    credential_kind,
    has_private_key,
    has_url_credentials,
    is_literal,
    key_words,
)
from .key_paths import KeyPart, format_key_path
from .owner_names import keys_are_names
from .placeholders import is_placeholder
from .string_credentials import (
    find_in_string,
    may_hold_credential,
    url_is_placeholder,
)
from .yaml_nodes import MARKERS, EnvVarRef, YamlList, YamlMap

if TYPE_CHECKING:
    from collections.abc import MutableMapping, Sequence

    from .config_graph import ConfigFile
    from .string_values import StringCredential
    from .yaml_files import MarkerIndex

_ALARM_DOMAINS: Final = ("alarm_control_panel.", "lock.")
_ALARM_SECTIONS: Final = frozenset({"alarm", "lock", "locks"})


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
    """One walk over one file, each container once, in document order.

    Without `lines` the tree was read without them (`parse_yaml(lines=False)`): what is
    found then has line 0, only to tell whether anything is there. With `markers`, the walk
    also collects the file's markers (the walk `index_markers` would make, in its order).
    """

    def __init__(
        self,
        path: str,
        mount: tuple[str, ...],
        root: Any,
        *,
        lines: bool = True,
        markers: MarkerIndex | None = None,
    ) -> None:
        self.path = path
        self.mount = mount
        self.root = root
        self.lines = lines
        self.markers = markers
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
                    file=self.path,
                    line=line,
                    key=format_key_path(parts),
                    detail=detail,
                    placeholder=placeholder,
                )
            )

    def run(self) -> list[Credential]:
        stack: list[_Item] = [((), self.root, 1, ())]
        markers = self.markers
        while stack:
            parts, value, line, ancestors = stack.pop()
            if isinstance(value, (YamlMap, YamlList)):
                if markers is not None and isinstance(value, YamlMap):
                    markers.keys(parts, value)
                if id(value) in self.seen_containers:
                    continue
                self.seen_containers.add(id(value))
                children = (
                    self.mapping(parts, value, (*ancestors, value))
                    if isinstance(value, YamlMap)
                    else self.sequence(parts, value, (*ancestors, value))
                )
                stack.extend(reversed(children))
                continue
            if markers is not None:
                markers.value(parts, value)
            if isinstance(value, str) and (inside := _string_kind(value)) is not None:
                kind, detail, placeholder = inside
                self.add(kind, line, parts, detail=detail, placeholder=placeholder)
        # Keys are reported as their mapping is read, strings as they are reached.
        return sorted(self.found, key=lambda credential: credential.line)

    def walked(self, value: Any) -> bool:
        """Whether reaching `value` can find anything: other values are not put on the walk.

        A container, a marker (when they are collected), or a string that may hold a
        credential; a number, a date, null or any other string cannot. Leaving them out
        changes nothing that is found, nor its order.
        """
        if isinstance(value, str):
            return may_hold_credential(value)
        return isinstance(value, (YamlMap, YamlList)) or (
            self.markers is not None and isinstance(value, MARKERS)
        )

    def sequence(
        self, parts: tuple[KeyPart, ...], value: YamlList, ancestors: tuple[Any, ...]
    ) -> list[_Item]:
        """The items to walk."""
        lines = self.lines
        return [
            ((*parts, index), child, value.item_lines[index] if lines else 0, ancestors)
            for index, child in enumerate(value)
            if self.walked(child)
        ]

    def mapping(
        self, parts: tuple[KeyPart, ...], value: YamlMap, ancestors: tuple[Any, ...]
    ) -> list[_Item]:
        """Report credential keys holding literals; return the other children to walk."""
        children: list[_Item] = []
        path: tuple[str, ...] | None = None  # worked out for the first credential key
        names = False
        lines = self.lines
        for key, child in value.items():
            if isinstance(key, str):
                if may_hold_credential(key) and (in_key := _string_kind(key)):
                    key_kind, detail, placeholder = in_key  # in a key too
                    self.add(
                        key_kind,
                        value.key_lines[key] if lines else 0,
                        (*parts, key),
                        detail=detail,
                        placeholder=placeholder,
                    )
                kind = credential_kind(key)
            else:
                kind = None
            if kind is not None and path is None:
                path = (*self.mount, *(p for p in parts if isinstance(p, str)))
                names = keys_are_names(
                    path, ancestors[-2] if len(ancestors) > 1 else None
                )
            if kind is not None and names:
                kind = None  # a name the owner chose, not an option
            if kind == CONTEXT_CODE and path is not None:
                kind = KIND_ALARM_CODE if _in_alarm_context(path, ancestors) else None
            if kind is not None and is_literal(child):
                child_line = value.value_lines[key] if lines else 0
                self.add(
                    kind,
                    child_line,
                    (*parts, str(key)),
                    placeholder=_placeholder(child),
                )
                if isinstance(child, EnvVarRef):
                    # Reached like any value (it is no string to look into): its marker
                    # is indexed where the walk of `index_markers` finds it.
                    children.append(((*parts, str(key)), child, child_line, ancestors))
            elif self.walked(child):
                children.append(
                    (
                        (*parts, str(key)),
                        child,
                        value.value_lines[key] if lines else 0,
                        ancestors,
                    )
                )
        return children


def scanned(path: str) -> bool:
    """Whether a file of the graph is scanned (not a secrets file, nor JSON)."""
    return not path.lower().endswith(".json") and path.rsplit("/", 1)[-1] != SECRET_YAML


def scan_file(config_file: ConfigFile) -> list[Credential]:
    """Every credential written into one file, once per location, in document order."""
    if not scanned(config_file.path):
        return []
    return _Scanner(config_file.path, config_file.mount, config_file.root).run()


def scan_tree(
    path: str,
    mount: tuple[str, ...],
    root: Any,
    *,
    lines: bool,
    markers: MarkerIndex | None = None,
) -> list[Credential]:
    """`scan_file` of a file's tree; also collects its markers into `markers` if given.

    A tree read without lines gives credentials at line 0: enough to know whether there
    are any (then read the file again with lines). The caller checks `scanned(path)`.
    """
    return _Scanner(path, mount, root, lines=lines, markers=markers).run()


def scan_files(
    files: Sequence[ConfigFile], memo: MutableMapping[str, Any]
) -> tuple[Credential, ...]:
    """Credentials of every file of a graph read whole (`graph_reader.read_config_graph`).

    A file whose parsed tree (the reader's cache hands out the same object while the file is
    unchanged) and mount are those of the last call is not walked again. `memo` maps a
    file's path to (tree, mount, credentials); pass the same mapping each time.
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
