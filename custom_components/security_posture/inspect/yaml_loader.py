"""Parse one YAML document the way Home Assistant does, quietly and with bounds.

Home Assistant's own loader (`annotatedyaml.loader.FastSafeLoader`) is subclassed and given
constructors that return the markers of `yaml_nodes` (`Include`, `SecretRef`, `EnvVarRef`,
`InputRef`, `BadTag`) instead of resolving the tags, and containers that know their lines.
A tag without an argument is recorded as a problem of the file, not an error.

libyaml's composer recurses on the C stack: a document nested deeply enough crashes the
process, so such a document is parsed by the pure-Python loader, or refused (`parse_yaml`).
A YAML error is described by its kind and position only, never by its text, which quotes
the file (`yaml_error_reason`).
"""

from __future__ import annotations

import re
from typing import Any, Final

from annotatedyaml.loader import FastSafeLoader, PythonSafeLoader
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

    def _setup(self, rel_file: str) -> None:
        self.rel_file = rel_file
        self.problems = []


class GraphLoader(FastSafeLoader, _GraphLoaderMixin):
    """Home Assistant's fast loader, with markers instead of resolved tags."""

    def __init__(self, stream: str, rel_file: str) -> None:
        """Read `stream`, the content of `rel_file`."""
        super().__init__(stream)
        self._setup(rel_file)

    def flatten_mapping(self, node: yaml.MappingNode) -> None:
        """Merge `<<` keys, keeping one pair per key so that merge chains stay linear."""
        super().flatten_mapping(node)
        _dedupe_pairs(node)


class PythonGraphLoader(PythonSafeLoader, _GraphLoaderMixin):
    """The pure-Python variant, used for files too deeply nested for libyaml."""

    def __init__(self, stream: str, rel_file: str) -> None:
        """Read `stream`, the content of `rel_file`."""
        super().__init__(stream)
        self._setup(rel_file)

    def flatten_mapping(self, node: yaml.MappingNode) -> None:
        """Merge `<<` keys, keeping one pair per key so that merge chains stay linear."""
        super().flatten_mapping(node)
        _dedupe_pairs(node)


type _Loader = GraphLoader | PythonGraphLoader


def _dedupe_pairs(node: yaml.MappingNode) -> None:
    """Keep the last pair of each scalar key (what a dict keeps anyway)."""
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


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> YamlMap:
    loader.flatten_mapping(node)
    result = YamlMap()
    result.file = loader.rel_file
    result.line = _line(node)
    result.key_lines = {}
    result.value_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError as err:
            raise yaml.constructor.ConstructorError(
                None, None, "found an unhashable key", key_node.start_mark
            ) from err
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = _line(key_node)
        result.value_lines[key] = _line(value_node)
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> YamlList:
    result = YamlList(loader.construct_object(child, deep=True) for child in node.value)
    result.file = loader.rel_file
    result.line = _line(node)
    result.item_lines = [_line(child) for child in node.value]
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
    # Plain str, not annotatedyaml's NodeStrClass: lines live in the containers.
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


def nesting_estimate(text: str) -> int:
    """An upper bound of how deeply the document nests (flow plus block levels)."""
    return _flow_depth(text) + _block_depth(text)


class NestedTooDeeply(yaml.YAMLError):  # type: ignore[misc]
    """The document nests deeper than `_DEPTH_LIMIT`; it is not parsed."""


def parse_yaml(text: str, rel_file: str) -> tuple[Any, list[tuple[int, str]]]:
    """Parse one document; return the tree and the problems found in tags.

    Raises `yaml.YAMLError` or `RecursionError` for content Home Assistant would refuse.
    """
    depth = _nesting_bound(text)
    if depth > _C_DEPTH_LIMIT:  # only then is the closer (and slower) estimate needed
        depth = nesting_estimate(text)
    if depth > _DEPTH_LIMIT:
        raise NestedTooDeeply
    loader_class: type[_Loader] = (
        PythonGraphLoader if depth > _C_DEPTH_LIMIT else GraphLoader
    )
    loader = loader_class(text, rel_file)
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
