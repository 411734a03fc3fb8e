"""quality_scale.yaml: every rule of core's quality scale, and exemptions only where allowed."""

from __future__ import annotations

from pathlib import Path

import yaml

COMPONENT = Path(__file__).parents[1] / "custom_components/security_posture"

# The rules of script/hassfest/quality_scale.py, tier by tier.
RULES = {
    "bronze": [
        "action-setup",
        "appropriate-polling",
        "brands",
        "common-modules",
        "config-flow",
        "config-flow-test-coverage",
        "dependency-transparency",
        "docs-actions",
        "docs-conditions",
        "docs-high-level-description",
        "docs-installation-instructions",
        "docs-removal-instructions",
        "docs-triggers",
        "entity-event-setup",
        "entity-unique-id",
        "has-entity-name",
        "runtime-data",
        "test-before-configure",
        "test-before-setup",
        "unique-config-entry",
    ],
    "silver": [
        "action-exceptions",
        "config-entry-unloading",
        "docs-configuration-parameters",
        "docs-installation-parameters",
        "entity-unavailable",
        "integration-owner",
        "log-when-unavailable",
        "parallel-updates",
        "reauthentication-flow",
        "test-coverage",
    ],
    "gold": [
        "devices",
        "diagnostics",
        "discovery",
        "discovery-update-info",
        "docs-data-update",
        "docs-examples",
        "docs-known-limitations",
        "docs-supported-devices",
        "docs-supported-functions",
        "docs-troubleshooting",
        "docs-use-cases",
        "dynamic-devices",
        "entity-category",
        "entity-device-class",
        "entity-disabled-by-default",
        "entity-translations",
        "exception-translations",
        "icon-translations",
        "reconfiguration-flow",
        "repair-issues",
        "stale-devices",
    ],
    "platinum": ["async-dependency", "inject-websession", "strict-typing"],
}
# The rules whose text names an exception (developers.home-assistant.io, "Exceptions");
# every other rule says "There are no exceptions to this rule".
EXEMPTABLE = {
    "config-flow",
    "discovery",
    "discovery-update-info",
    "docs-high-level-description",
    "docs-supported-devices",
    "entity-unavailable",
    "inject-websession",
    "reauthentication-flow",
    "reconfiguration-flow",
    "test-before-configure",
}


def _statuses() -> dict[str, str]:
    rules = yaml.safe_load((COMPONENT / "quality_scale.yaml").read_text())["rules"]
    statuses = {}
    for name, value in rules.items():
        if isinstance(value, dict):
            assert set(value) == {"status", "comment"}, name
            assert value["comment"].strip(), name
            statuses[name] = value["status"]
        else:
            statuses[name] = value
    return statuses


def test_every_rule_is_listed_once() -> None:
    assert sorted(_statuses()) == sorted(r for tier in RULES.values() for r in tier)


def test_exempt_only_where_the_rule_allows_it() -> None:
    statuses = _statuses()
    assert set(statuses.values()) <= {"done", "todo", "exempt"}
    exempt = {name for name, status in statuses.items() if status == "exempt"}
    assert exempt <= EXEMPTABLE, exempt - EXEMPTABLE


def test_every_rule_is_met() -> None:
    assert [name for name, status in _statuses().items() if status == "todo"] == []
