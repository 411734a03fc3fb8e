"""Folders a module adds to the import path, where the source says so for certain."""

from __future__ import annotations

import pytest

from custom_components.security_posture.inspect.python_paths import imported_paths

FILE = "/config/custom_components/foo/__init__.py"


def paths(source: str) -> tuple[list[str], int]:
    return imported_paths(source, FILE)


def test_every_form_that_is_certain() -> None:
    source = """
import os
import os.path
import sys, site, pathlib
from pathlib import Path

LIB = os.path.join(os.path.dirname(__file__), "lib")
sys.path.insert(0, LIB)
sys.path.append(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.append("/opt/libs")
sys.path += ["/usr/share/x", os.path.normpath("/srv/a/../b")]
sys.path.extend(("/srv/c",))
site.addsitedir(str(Path(__file__).parents[2] / "deps"))
site.addsitedir(os.fspath(pathlib.Path(__file__).resolve().parent.parent / "shared"))
sys.path.insert(0, os.path.realpath(Path(__file__).absolute().parent))
"""
    found, unknown = paths(source)
    assert sorted(found) == sorted(
        [
            "/config/custom_components/foo/lib",
            "/config/custom_components",
            "/opt/libs",
            "/usr/share/x",
            "/srv/b",
            "/srv/c",
            "/config/deps",
            "/config/custom_components/shared",
            "/config/custom_components/foo",
        ]
    )
    assert unknown == 0


@pytest.mark.parametrize(
    "line",
    [
        "sys.path.append(some_call())",
        "sys.path.append('relative/lib')",  # depends on the working directory
        "sys.path.append(UNKNOWN)",
        "for p in ['/a']:\n    sys.path.append(p)",
        "X = '/a'\nX = '/b'\nsys.path.append(X)",  # bound twice
        "sys.path.append(os.path.join(*parts))",
        "sys.path.append(os.path.dirname('/a', '/b'))",
        "sys.path.append(str('/a', '/b'))",
        "sys.path.append(os.path.join('/a', sep='/'))",
        "sys.path.append(Path(__file__).parents[-1])",
        "sys.path.append(Path(__file__).name)",
        "sys.path.append(1 + 2)",
        "__file__ = '/elsewhere/x.py'\nsys.path.append(os.path.dirname(__file__))",
    ],
)
def test_uncertain_additions_are_counted_not_taken(line: str) -> None:
    found, unknown = paths(f"import os, sys\nfrom pathlib import Path\n{line}\n")
    assert found == []
    assert unknown == 1


@pytest.mark.parametrize(
    "source",
    [
        # `sys` is not the module: another object's `path`.
        "sys = object()\nsys.path.append('/a')\n",
        "import sys as system\nsys.path.append('/a')\n",
        # Not an addition.
        "import sys\nsys.path.remove('/a')\n",
        "import sys\nsys.path.insert('/a')\n",
        "import sys\nsys.path.extend(paths)\n",
        "import sys\nsys.path += other\n",
        "import sys\nprint(sys.path)\n",
        "import site\nsite.getsitepackages()\n",
        "x = 1\n",
    ],
)
def test_not_an_import_path_addition(source: str) -> None:
    assert paths(source) == ([], 0)


def test_a_name_bound_twice_is_not_the_path_class() -> None:
    source = (
        "import sys\nfrom pathlib import Path\nPath = str\n"
        "sys.path.append(Path('/a'))\n"
    )
    assert paths(source) == ([], 1)


def test_deep_self_reference_is_not_followed() -> None:
    source = "import sys\nA = B\nB = A\nsys.path.append(A)\n"
    assert paths(source) == ([], 1)


def test_syntax_error_raises() -> None:
    with pytest.raises(SyntaxError):
        paths("import sys\nsys.path.append(\n")
