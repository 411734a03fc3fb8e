"""Parse one YAML document the way Home Assistant does, quietly and with bounds.

PyYAML's safe loader, libyaml's where there is one, as Home Assistant's own loader
(`annotatedyaml.loader.FastSafeLoader`) is: with the same resolver and the same safe
constructors for plain values. Every tag Home Assistant's loader adds gets a constructor of
its own here, returning the markers of `yaml_nodes` (`Include`, `SecretRef`, `EnvVarRef`,
`InputRef`, `BadTag`) instead of resolving the tag, and containers that know their lines;
so nothing of `annotatedyaml` is used and it is not imported (the scan worker starts
faster). A tag without an argument is recorded as a problem of the file, not an error.

libyaml's composer recurses on the C stack: a document nested deeply enough crashes the
process, so such a document is parsed by the pure-Python loader, or refused (`parse_yaml`).
A YAML error is described by its kind and position only, never by its text, which quotes
the file (`yaml_error_reason`).
"""

from __future__ import annotations

from functools import lru_cache
import re
from typing import Any, Final

import yaml  # type: ignore[import-untyped]

from .yaml_nodes import (
    INCLUDE,
    INCLUDE_DIR_TAGS,
    BadTag,
    EnvVarRef,
    Include,
    InputRef,
    SecretRef,
    YamlList,
    YamlMap,
)

# libyaml's composer recurses on the C stack: a deeply nested document ("[[[[..." or deep
# indentation) crashes the process, in threads with small stacks (musl: 128 KiB) already at a
# few hundred levels. Past `_C_DEPTH_LIMIT` levels (an overestimate, see `nesting_estimate`)
# the pure-Python loader is used, which stops with a RecursionError instead; past
# `_DEPTH_LIMIT` the file is refused without parsing (Home Assistant could not load it either).
_C_DEPTH_LIMIT: Final = 100
NESTED_TOO_DEEPLY: Final = "invalid YAML: nested too deeply"
_DEPTH_LIMIT: Final = 1000


# --- the loader -------------------------------------------------------------------------


class _GraphLoaderMixin:
    """State shared by both loader classes: the file being read and its problems."""

    rel_file: str
    problems: list[tuple[int, str]]
    lines: bool

    def _setup(self, rel_file: str, *, lines: bool) -> None:
        self.rel_file = rel_file
        self.problems = []
        self.lines = lines


_FastestSafeLoader: type[yaml.SafeLoader] = getattr(
    yaml, "CSafeLoader", yaml.SafeLoader
)


class GraphLoader(_FastestSafeLoader, _GraphLoaderMixin):  # type: ignore[misc]
    """The fastest safe loader (libyaml's), with markers instead of resolved tags."""

    def __init__(self, stream: str, rel_file: str, *, lines: bool = True) -> None:
        """Read `stream`, the content of `rel_file` (see `parse_yaml` for `lines`)."""
        super().__init__(stream)
        self._setup(rel_file, lines=lines)

    def flatten_mapping(self, node: yaml.MappingNode) -> None:
        """Merge `<<` keys, keeping one pair per key so that merge chains stay linear."""
        if _needs_flattening(node):
            super().flatten_mapping(node)
        _dedupe_pairs(node)


class PythonGraphLoader(yaml.SafeLoader, _GraphLoaderMixin):  # type: ignore[misc]
    """The pure-Python variant, used for files too deeply nested for libyaml."""

    def __init__(self, stream: str, rel_file: str, *, lines: bool = True) -> None:
        """Read `stream`, the content of `rel_file` (see `parse_yaml` for `lines`)."""
        super().__init__(stream)
        self._setup(rel_file, lines=lines)

    def flatten_mapping(self, node: yaml.MappingNode) -> None:
        """Merge `<<` keys, keeping one pair per key so that merge chains stay linear."""
        if _needs_flattening(node):
            super().flatten_mapping(node)
        _dedupe_pairs(node)


type _Loader = GraphLoader | PythonGraphLoader


_STR_TAG: Final = "tag:yaml.org,2002:str"
_FLATTENED_TAGS: Final = frozenset(
    {"tag:yaml.org,2002:merge", "tag:yaml.org,2002:value"}
)
"""Keys that `SafeConstructor.flatten_mapping` acts on (`<<` and `=`); a mapping without
one is left as it is, so it is not walked for them again."""
_Scalar: Final = yaml.ScalarNode


def _needs_flattening(node: yaml.MappingNode) -> bool:
    return any(key.tag in _FLATTENED_TAGS for key, _ in node.value)


def _dedupe_pairs(node: yaml.MappingNode) -> None:
    """Keep the last pair of each scalar key (what a dict keeps anyway)."""
    if len(node.value) < 2:  # noqa: PLR2004 - nothing can repeat
        return
    keys = [(k.tag, k.value) for k, _ in node.value if isinstance(k, yaml.ScalarNode)]
    if len(set(keys)) == len(keys):  # the common case: no key repeats
        return
    seen: set[tuple[str, str]] = set()
    kept: list[tuple[yaml.Node, yaml.Node]] = []
    for key_node, value_node in reversed(node.value):
        if isinstance(key_node, yaml.ScalarNode):
            ident = (key_node.tag, key_node.value)
            if ident in seen:
                continue
            seen.add(ident)
        kept.append((key_node, value_node))
    if len(kept) != len(node.value):
        kept.reverse()
        node.value = kept


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


# A plain string (nearly every key and most values) is the node's value: it is taken
# directly instead of through `construct_object`, which would give the same string.


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> YamlMap:
    loader.flatten_mapping(node)
    result = YamlMap()
    result.file = loader.rel_file
    construct = loader.construct_object
    if lines := loader.lines:  # without lines, no dict is made for them
        result.line = node.start_mark.line + 1
        key_lines: dict[Any, int] = {}
        value_lines: dict[Any, int] = {}
        result.key_lines = key_lines
        result.value_lines = value_lines
    for key_node, value_node in node.value:
        if type(key_node) is _Scalar and key_node.tag == _STR_TAG:
            key = key_node.value
        else:
            key = construct(key_node, deep=True)
            _hashable(key, key_node)
        if type(value_node) is _Scalar and value_node.tag == _STR_TAG:
            result[key] = value_node.value
        else:
            result[key] = construct(value_node, deep=True)
        if lines:
            key_lines[key] = key_node.start_mark.line + 1
            value_lines[key] = value_node.start_mark.line + 1
    return result


def _hashable(key: Any, key_node: yaml.Node) -> None:
    try:
        hash(key)
    except TypeError as err:
        raise yaml.constructor.ConstructorError(
            None, None, "found an unhashable key", key_node.start_mark
        ) from err


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> YamlList:
    construct = loader.construct_object
    result = YamlList(
        child.value
        if type(child) is _Scalar and child.tag == _STR_TAG
        else construct(child, deep=True)
        for child in node.value
    )
    result.file = loader.rel_file
    if loader.lines:
        result.line = node.start_mark.line + 1
        result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


def _argument(loader: _Loader, node: yaml.Node) -> str | None:
    """The tag's scalar argument, or None (recorded as a problem) when there is none."""
    if isinstance(node, yaml.ScalarNode) and isinstance(node.value, str) and node.value:
        return node.value
    loader.problems.append((_line(node), f"{node.tag} needs an argument"))
    return None


def _construct_include(loader: _Loader, node: yaml.Node) -> Include | BadTag:
    if (target := _argument(loader, node)) is None:
        return BadTag(tag=node.tag, file=loader.rel_file, line=_line(node))
    return Include(tag=node.tag, target=target, file=loader.rel_file, line=_line(node))


def _construct_secret(loader: _Loader, node: yaml.Node) -> SecretRef | BadTag:
    if (name := _argument(loader, node)) is None:
        return BadTag(tag=node.tag, file=loader.rel_file, line=_line(node))
    return SecretRef(name=name, file=loader.rel_file, line=_line(node))


def _construct_env_var(loader: _Loader, node: yaml.Node) -> EnvVarRef | BadTag:
    if (argument := _argument(loader, node)) is None or not (args := argument.split()):
        return BadTag(tag=node.tag, file=loader.rel_file, line=_line(node))
    return EnvVarRef(
        name=args[0],
        default=" ".join(args[1:]) if len(args) > 1 else None,
        file=loader.rel_file,
        line=_line(node),
    )


def _construct_input(loader: _Loader, node: yaml.Node) -> InputRef:
    value = node.value if isinstance(node, yaml.ScalarNode) else ""
    return InputRef(name=str(value), file=loader.rel_file, line=_line(node))


for _cls in (GraphLoader, PythonGraphLoader):
    _cls.add_constructor(
        yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping
    )
    _cls.add_constructor(
        yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence
    )
    # Plain str (not annotatedyaml's NodeStrClass): lines live in the containers.
    _cls.add_constructor(
        yaml.resolver.BaseResolver.DEFAULT_SCALAR_TAG,
        yaml.SafeLoader.construct_yaml_str,
    )
    _cls.add_constructor(INCLUDE, _construct_include)
    for _tag in INCLUDE_DIR_TAGS:
        _cls.add_constructor(_tag, _construct_include)
    _cls.add_constructor("!secret", _construct_secret)
    _cls.add_constructor("!env_var", _construct_env_var)
    _cls.add_constructor("!input", _construct_input)


_BRACKETS = re.compile(r"[\[\]{}]")


def _flow_depth(text: str) -> int:
    """Deepest nesting of flow brackets (an overestimate: quotes are not considered)."""
    depth = deepest = 0
    for bracket in _BRACKETS.findall(text):
        if bracket in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif depth:
            depth -= 1
    return deepest


def _block_depth(text: str) -> int:
    """Deepest nesting of block collections (an overestimate): indentation steps and dashes."""
    indents: list[int] = []
    deepest = 0
    for line in text.split("\n"):
        indent = len(line) - len(line.lstrip(" "))
        if indent == len(line) or line[indent] == "#":
            continue
        while indents and indents[-1] >= indent:
            indents.pop()
        indents.append(indent)
        # Count "- " items by moving an index: cutting the line each time was quadratic.
        dashes = 0
        at = indent
        while line.startswith("- ", at):
            dashes += 1
            at += 2
            while at < len(line) and line[at] == " ":
                at += 1
        deepest = max(deepest, len(indents) + dashes)
    return deepest


_LINE_PREFIX = re.compile(r"^[ -]*", re.MULTILINE)


def _nesting_bound(text: str) -> int:
    """A cheap upper bound of `nesting_estimate`.

    Every opening bracket counts, plus the longest run of leading spaces and dashes of a
    line: each level `_block_depth` counts on a line takes at least one of those characters.
    """
    prefix = max(map(len, _LINE_PREFIX.findall(text)), default=0)
    return text.count("[") + text.count("{") + prefix + 1


@lru_cache(maxsize=_C_DEPTH_LIMIT + 1)
def _prefix_of(length: int) -> re.Pattern[str]:
    return re.compile(f"^[ -]{{{length},}}", re.MULTILINE)


def _nests_beyond_c_limit(text: str) -> bool:
    """Whether `_nesting_bound(text)` exceeds `_C_DEPTH_LIMIT`, without listing every line.

    Only a line whose leading spaces and dashes make up the difference is looked for.
    """
    brackets = text.count("[") + text.count("{")
    if brackets + 1 > _C_DEPTH_LIMIT:
        return True
    return _prefix_of(_C_DEPTH_LIMIT - brackets).search(text) is not None


def nesting_estimate(text: str) -> int:
    """An upper bound of how deeply the document nests (flow plus block levels)."""
    return _flow_depth(text) + _block_depth(text)


class NestedTooDeeply(yaml.YAMLError):  # type: ignore[misc]
    """The document nests deeper than `_DEPTH_LIMIT`; it is not parsed."""


def parse_yaml(
    text: str, rel_file: str, *, lines: bool = True
) -> tuple[Any, list[tuple[int, str]]]:
    """Parse one document; return the tree and the problems found in tags.

    Without `lines`, the containers know their file but no line (`line`, `key_lines`,
    `value_lines` and `item_lines` are not set): reading them is cheaper, and a reader that
    reports something from such a tree parses the file again with lines. Markers always
    know their line.

    Raises `yaml.YAMLError` or `RecursionError` for content Home Assistant would refuse.
    """
    depth = 0
    if _nests_beyond_c_limit(
        text
    ):  # only then is the closer (and slower) estimate needed
        depth = nesting_estimate(text)
    if depth > _DEPTH_LIMIT:
        raise NestedTooDeeply
    loader_class: type[_Loader] = (
        PythonGraphLoader if depth > _C_DEPTH_LIMIT else GraphLoader
    )
    loader = loader_class(text, rel_file, lines=lines)
    try:
        return loader.get_single_data(), loader.problems
    finally:
        loader.dispose()


# A YAML error's text quotes the file (a tag, an alias, a character, a value that would not
# decode), in single or double quotes or none: `password: !Xy'hunter2` gives the unknown tag
# "!Xy'hunter2". So a reason is built from the error's kind and position only. The kinds
# below are recognised by the start of the library's own message, which names no content;
# whatever follows that start is never used.
_KINDS: Final = (
    ("could not determine a constructor", "unknown tag"),
    ("found undefined alias", "undefined alias"),
    ("found duplicate anchor", "duplicate anchor"),
    ("found unhashable key", "a key that is not a plain value"),
    ("found character", "a character that cannot start a token"),
    ("found a tab character", "a tab where indentation is expected"),
    ("mapping values are not allowed", "a mapping value where none is allowed"),
    ("found unexpected end of stream", "unexpected end of the file"),
    ("failed to decode base64", "a binary value that is not base64"),
    ("failed to convert base64", "a binary value that is not base64"),
    ("found unknown escape character", "an unknown escape in a quoted string"),
    ("did not find expected node content", "a value is missing"),
    ("did not find expected key", "a key is missing"),
    ("did not find expected '-'", "a list item without its dash"),
    ("did not find expected ','", "a bracket that is never closed"),
    ("did not find expected", "a token is missing"),
    ("could not find expected ':'", "a key without its colon"),
    ("but found another document", "more than one document"),
    ("expected a single document", "more than one document"),
    ("found unexpected ':'", "an unexpected colon"),
)
_CLASS_KINDS: Final = (
    (yaml.constructor.ConstructorError, "a value that cannot be constructed"),
    (yaml.composer.ComposerError, "an alias or anchor that cannot be resolved"),
    (yaml.parser.ParserError, "unexpected structure"),
    (yaml.scanner.ScannerError, "text that cannot be read as YAML tokens"),
    (yaml.reader.ReaderError, "a character that is not allowed"),
)


def _error_kind(err: yaml.YAMLError) -> str:
    for text in (getattr(err, "problem", None), getattr(err, "context", None)):
        if isinstance(text, str):
            for start, kind in _KINDS:
                if text.startswith(start):
                    return kind
    return next(
        (kind for cls, kind in _CLASS_KINDS if isinstance(err, cls)), "syntax error"
    )


def yaml_error_reason(err: yaml.YAMLError) -> str:
    """Describe a YAML error by its kind and position; never by its text (the file's)."""
    if isinstance(err, NestedTooDeeply):
        return NESTED_TOO_DEEPLY
    mark = None
    if isinstance(err, yaml.MarkedYAMLError):
        mark = err.problem_mark or err.context_mark
    where = ""
    if mark is not None:
        where = f" at line {int(mark.line) + 1}, column {int(mark.column) + 1}"
    elif isinstance(err, yaml.reader.ReaderError):
        where = f" at character {int(err.position) + 1}"
    return f"invalid YAML{where}: {_error_kind(err)}"


def value_error_reason(err: Exception) -> str:
    """A value the loader refuses; the message may quote it, so only the type is given."""
    return f"invalid YAML: a value cannot be read ({type(err).__name__})"
