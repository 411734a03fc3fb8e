"""The documentation and the translations cover every check."""

from __future__ import annotations

import json
from pathlib import Path
import re

from custom_components.security_posture.checks.registry import CHECK_IDS, CHECKS

ROOT = Path(__file__).parents[1]
COMPONENT = ROOT / "custom_components/security_posture"


def test_every_check_is_documented_with_its_severity() -> None:
    text = (ROOT / "docs/CHECKS.md").read_text()
    rows = {
        m.group(1): m.group(2)
        for m in re.finditer(r"^\| `(\w+)` \|.*\| ([^|]+) \|$", text, re.MULTILINE)
    }
    for check in CHECKS:
        assert check.id in rows, check.id
        assert str(check.severity) in rows[check.id], check.id
    assert set(rows) == set(CHECK_IDS)


def test_translations_cover_every_check() -> None:
    strings = json.loads((COMPONENT / "strings.json").read_text())
    assert (COMPONENT / "translations/en.json").read_text() == (
        COMPONENT / "strings.json"
    ).read_text()
    for check_id in CHECK_IDS:
        assert strings["issues"][check_id]["title"]
        assert strings["issues"][check_id]["fix_flow"]["step"]
        assert strings["selector"]["check"]["options"][check_id]
    assert len(set(CHECK_IDS)) == len(CHECK_IDS)
