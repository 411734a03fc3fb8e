"""The manifest asks Home Assistant for nothing the code does not use.

Home Assistant installs the requirements of every after-dependency, recursively, before it
loads an integration (homeassistant/requirements.py); an after-dependency the code never
imports only costs users packages, some of which need compiling (assist_pipeline's, through
cloud, on 2026.11).
"""

from __future__ import annotations

import json
from pathlib import Path
import re

PACKAGE = Path(__file__).parents[1] / "custom_components" / "security_posture"
MANIFEST = json.loads((PACKAGE / "manifest.json").read_text())


def _imported_components() -> set[str]:
    pattern = re.compile(
        r"^\s*from homeassistant\.components(?:\.(\w+)[\w.]* import| import (\w+))",
        re.MULTILINE,
    )
    found: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        for match in pattern.finditer(path.read_text()):
            found.add(match.group(1) or match.group(2))
    return found


def test_every_dependency_is_used_by_the_code() -> None:
    used = _imported_components()
    declared = set(MANIFEST["dependencies"]) | set(MANIFEST["after_dependencies"])
    assert declared <= used, sorted(declared - used)


def test_no_after_dependency_pulls_in_voice_or_cloud() -> None:
    assert not {"cloud", "update", "assist_pipeline"} & set(
        MANIFEST["after_dependencies"]
    )
