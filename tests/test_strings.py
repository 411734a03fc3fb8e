"""The repair texts: what each button does, what happened afterwards, and where to learn more.

The frontend labels a form step's button with `fix_flow.step.<step>.submit` (both ends:
frontend 20250411.0 and 20261028.4) and shows `learn_more_url` only for issues without a
flow, which ours never are: every step carries the link itself.
"""

from __future__ import annotations

import re

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.security_posture.checks.registry import BY_ID, CHECK_IDS, FIXES
from custom_components.security_posture.const import DOMAIN
from custom_components.security_posture.model import Finding
from custom_components.security_posture.repairs import MORE_FINDINGS

from .helpers import STRINGS

ISSUES = STRINGS["issues"]

CHECKS = sorted(CHECK_IDS)
LEARN_MORE = "[Learn more]({learn_more})"
# A dialog's title must fit its header on a phone.
MAX_STEP_TITLE = 25
# What each fix ends with (fix_flow.create_entry.<description>).
CREATE_ENTRY = {
    "inline_credential": {"moved"},
    "secret_unused": {"removed"},
    "secrets_file_permissions": {"restricted"},
    "private_key_permissions": {"restricted"},
    "secrets_not_ignored": {"added", "already_ignored"},
    "certificate_not_loaded": {"restarting"},
    "token_stale": {"revoked"},
    "voice_unlock_without_pin": {
        "pin_required",
        "pin_required_assist_left",
        "unexposed",
    },
}


def test_every_check_has_its_texts() -> None:
    # Besides one per check: the issue that counts a check's findings beyond the limit.
    assert sorted(set(ISSUES) - {MORE_FINDINGS}) == CHECKS
    assert set(FIXES) == set(CREATE_ENTRY)


def _fix_step(check: str) -> str:
    """The fix's own step (a check may import its flow only when a repair opens)."""
    finding = Finding(
        check=check,
        family=BY_ID[check].family,
        severity=BY_ID[check].severity,
        title="t",
        subject="s",
    )
    flow = FIXES[check](MockConfigEntry(domain=DOMAIN), finding)  # type: ignore[arg-type]
    return str(flow.fix_step)  # type: ignore[attr-defined]


@pytest.mark.parametrize("check", CHECKS)
def test_buttons_say_what_they_do(check: str) -> None:
    flow = ISSUES[check]["fix_flow"]
    steps = flow["step"]
    assert steps["confirm"]["submit"] == "Accept the risk"
    assert steps["accepted"]["submit"] == "Stop accepting"
    assert steps["confirm"]["data"] == {"reason": "Reason (optional)"}
    if check in FIXES:
        fix_step = _fix_step(check)
        names = list(steps)
        # The fix's step first; a flow that offers more than one fix lists the others next.
        assert names[:2] == ["init", fix_step]
        assert names[-2:] == ["confirm", "accepted"]
        assert steps["init"]["menu_options"]["ignore"] == "Accept the risk"
        for name in names[1:-2]:
            assert steps[name]["submit"], name
            assert name in steps["init"]["menu_options"], name
        assert set(flow["create_entry"]) == CREATE_ENTRY[check]
    else:
        assert list(steps) == ["confirm", "accepted"]
    texts = [
        text
        for step in steps.values()
        for text in (step.get("title", ""), step.get("description", ""))
    ]
    assert not any(re.search(r"\bSubmit\b", text) for text in texts)


@pytest.mark.parametrize("check", CHECKS)
def test_every_step_links_to_more(check: str) -> None:
    steps = ISSUES[check]["fix_flow"]["step"]
    for name in ("init", "confirm", "accepted"):
        if name in steps:
            assert LEARN_MORE in steps[name]["description"], name


@pytest.mark.parametrize("check", CHECKS)
def test_titles_name_the_finding_and_fit(check: str) -> None:
    """The repair's title is the finding's own; a step's title fits a phone's header."""
    issue = ISSUES[check]
    assert issue["title"] == "{title}"
    for step in issue["fix_flow"]["step"].values():
        assert len(step["title"]) <= MAX_STEP_TITLE, step["title"]
        assert "{" not in step["title"]


@pytest.mark.parametrize("check", CHECKS)
def test_accepting_ends_with_how_to_undo(check: str) -> None:
    abort = ISSUES[check]["fix_flow"]["abort"]
    assert "Stop accepting" in abort["risk_accepted"]
    assert "Show ignored repairs" in abort["risk_accepted"]
    assert "{title}" in abort["risk_counted"]


def test_jargon_is_gone() -> None:
    """Texts say where people change a setting, not where it was read from."""
    blob = str(ISSUES)
    for jargon in ("read from", "stable slot", "{source}", ".storage/http"):
        assert jargon not in blob
