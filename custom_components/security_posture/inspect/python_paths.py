"""Folders a module adds to Python's import path, where the source says so for certain.

A custom integration that puts a folder on `sys.path` makes Home Assistant import code from
there, for itself and for every other integration. Only what the source says beyond doubt is
taken: the module is parsed (never run) and these calls are looked for, with `sys` or `site`
imported by a plain `import sys` / `import site`:

- `sys.path.insert(i, P)`, `sys.path.append(P)`, `sys.path.extend([P, ...])`,
  `sys.path += [P, ...]`, `site.addsitedir(P)`.

`P` counts only when it evaluates, without running anything, to an absolute path:

- a string literal; `__file__` (the module's own path);
- `os.path.dirname/abspath/realpath/normpath/join(...)` (with `import os`);
- `Path(...)`/`pathlib.Path(...)` (`from pathlib import Path` / `import pathlib`),
  `.parent`, `.parents[n]`, `.resolve()`, `.absolute()`, `/ "name"`, and `str(...)` or
  `os.fspath(...)` around them;
- a name assigned exactly once in the module (and nowhere else bound) to such an
  expression.

Anything else (a relative path, which depends on the working directory, a value from a
call, a loop, a name bound twice) is not a path we are sure of, so it is left out.
`realpath` and `resolve` are taken lexically: the caller compares the result with both the
folder's path and its real path.
"""

from __future__ import annotations

import ast
import posixpath
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

_OS_PATH: Final = frozenset({"dirname", "abspath", "realpath", "normpath", "join"})
_PATH_SAME: Final = frozenset({"resolve", "absolute"})
_SYS_PATH_CALLS: Final = frozenset({"insert", "append", "extend"})
_MAX_DEPTH: Final = 32


class _Unknown(Exception):  # noqa: N818 - internal signal: not a path we are sure of
    """The expression is not a path we can be sure of."""


def _bindings(tree: ast.Module) -> tuple[set[str], dict[str, int], set[str]]:
    """Plain module imports, how often each other name is bound, `Path` imports."""
    modules: set[str] = set()
    bound: dict[str, int] = {}
    path_names: set[str] = set()

    def bind(name: str) -> None:
        bound[name] = bound.get(name, 0) + 1

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname is None:  # `import os`, `import os.path`: os
                    modules.add(alias.name.partition(".")[0])
                else:
                    bind(alias.asname)
        elif isinstance(node, ast.ImportFrom):
            for alias in node.names:
                bind(name := alias.asname or alias.name)
                if node.module == "pathlib" and alias.name == "Path":
                    path_names.add(name)
        elif (other := _bound_name(node)) is not None:
            bind(other)
    return modules, bound, path_names


def _bound_name(node: ast.AST) -> str | None:
    """The name a node binds, other than by an import, if it binds one."""
    if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
        return node.id
    if isinstance(node, ast.arg):
        return node.arg
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return node.name
    return None


class _Module:
    """What a module imports and binds, for evaluating path expressions in it."""

    def __init__(self, tree: ast.Module, file: str) -> None:
        self.file = file
        modules, bound, path_names = _bindings(tree)
        self.modules = modules - bound.keys()  # a module name bound to something else
        self.path_names = {name for name in path_names if bound[name] == 1}
        self.file_rebound = "__file__" in bound
        self.assigned: dict[str, ast.expr] = {
            target.id: node.value
            for node in ast.walk(tree)
            if isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(target := node.targets[0], ast.Name)
            and bound.get(target.id) == 1
        }

    def is_module(self, node: ast.expr, name: str) -> bool:
        return isinstance(node, ast.Name) and node.id == name and name in self.modules

    def is_os_path(self, node: ast.expr) -> bool:
        return (
            isinstance(node, ast.Attribute)
            and node.attr == "path"
            and self.is_module(node.value, "os")
        )

    def is_path_class(self, node: ast.expr) -> bool:
        if isinstance(node, ast.Name):
            return node.id in self.path_names
        return (
            isinstance(node, ast.Attribute)
            and node.attr == "Path"
            and self.is_module(node.value, "pathlib")
        )

    def evaluate(self, node: ast.expr, depth: int = 0) -> str:
        """The path `node` stands for, lexically; raises `_Unknown` when not certain."""
        if depth > _MAX_DEPTH:
            raise _Unknown
        depth += 1
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            return posixpath.join(
                self.evaluate(node.left, depth), self.evaluate(node.right, depth)
            )
        handler = _HANDLERS.get(type(node))
        if handler is None:
            raise _Unknown
        return handler(self, node, depth)

    def _name(self, node: ast.Name, depth: int) -> str:
        if node.id == "__file__":
            if self.file_rebound:  # perhaps used before it is bound again
                raise _Unknown
            return self.file
        if (value := self.assigned.get(node.id)) is not None:
            return self.evaluate(value, depth)
        raise _Unknown

    def _attribute(self, node: ast.Attribute, depth: int) -> str:
        if node.attr == "parent":
            return posixpath.dirname(self.evaluate(node.value, depth))
        raise _Unknown

    def _parents(self, node: ast.Subscript, depth: int) -> str:
        value, index = node.value, node.slice
        if not (
            isinstance(value, ast.Attribute)
            and value.attr == "parents"
            and isinstance(index, ast.Constant)
            and type(index.value) is int
            and index.value >= 0
        ):
            raise _Unknown
        path = self.evaluate(value.value, depth)
        for _ in range(index.value + 1):
            path = posixpath.dirname(path)
        return path

    def _call(self, node: ast.Call, depth: int) -> str:
        func, args = node.func, node.args
        if node.keywords or any(isinstance(arg, ast.Starred) for arg in args):
            raise _Unknown
        if (isinstance(func, ast.Name) and func.id == "str") or (
            isinstance(func, ast.Attribute)
            and func.attr == "fspath"
            and self.is_module(func.value, "os")
        ):
            if len(args) != 1:
                raise _Unknown
            return self.evaluate(args[0], depth)
        if self.is_path_class(func) and args:
            return posixpath.join(*(self.evaluate(arg, depth) for arg in args))
        if isinstance(func, ast.Attribute) and func.attr in _PATH_SAME and not args:
            return posixpath.normpath(self.evaluate(func.value, depth))
        if (
            isinstance(func, ast.Attribute)
            and self.is_os_path(func.value)
            and func.attr in _OS_PATH
            and args
        ):
            return self._os_path(func.attr, [self.evaluate(arg, depth) for arg in args])
        raise _Unknown

    @staticmethod
    def _os_path(function: str, paths: list[str]) -> str:
        if function == "join":
            return posixpath.join(*paths)
        if len(paths) != 1:
            raise _Unknown
        if function == "dirname":
            return posixpath.dirname(paths[0])
        return posixpath.normpath(paths[0])

    def added_paths(self, node: ast.AST) -> Iterator[ast.expr]:
        """The path expressions that `node` adds to the import path, if it adds any."""
        if isinstance(node, ast.AugAssign) and isinstance(node.op, ast.Add):
            if self._is_sys_path(node.target) and isinstance(
                node.value, (ast.List, ast.Tuple)
            ):
                yield from node.value.elts
            return
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            return
        func, args = node.func, node.args
        if func.attr == "addsitedir" and self.is_module(func.value, "site") and args:
            yield args[0]
        elif func.attr in _SYS_PATH_CALLS and self._is_sys_path(func.value):
            if func.attr == "insert" and len(args) == 2:  # noqa: PLR2004 - index, path
                yield args[1]
            elif func.attr == "append" and len(args) == 1:
                yield args[0]
            elif (
                func.attr == "extend"
                and len(args) == 1
                and isinstance(args[0], (ast.List, ast.Tuple))
            ):
                yield from args[0].elts

    def _is_sys_path(self, node: ast.expr) -> bool:
        return (
            isinstance(node, ast.Attribute)
            and node.attr == "path"
            and self.is_module(node.value, "sys")
        )


_HANDLERS: Final[dict[type[ast.expr], Callable[[_Module, Any, int], str]]] = {
    ast.Name: _Module._name,  # noqa: SLF001
    ast.Attribute: _Module._attribute,  # noqa: SLF001
    ast.Subscript: _Module._parents,  # noqa: SLF001
    ast.Call: _Module._call,  # noqa: SLF001
}


def imported_paths(source: str, file: str) -> tuple[list[str], int]:
    """Absolute folders that the module at `file` certainly adds to the import path.

    Returns the folders (normalised) and how many additions could not be evaluated.
    Raises `SyntaxError`/`ValueError`/`RecursionError` for source Python cannot parse.
    """
    if "sys" not in source and "site" not in source:
        return [], 0
    tree = ast.parse(source, filename="<custom integration>")
    module = _Module(tree, file)
    found: list[str] = []
    unknown = 0
    for node in ast.walk(tree):
        for expression in module.added_paths(node):
            try:
                path = module.evaluate(expression)
            except _Unknown:
                unknown += 1
                continue
            if posixpath.isabs(path):
                found.append(posixpath.normpath(path))
            else:
                unknown += 1
    return found, unknown
