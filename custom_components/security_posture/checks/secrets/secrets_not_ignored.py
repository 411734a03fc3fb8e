"""`secrets_not_ignored` (medium): git would carry `secrets.yaml` or `.storage/`.

The configuration is in a git work tree and `secrets.yaml` (at any depth) or `.storage/` is
tracked, or not ignored (`git add -A` would commit it). Without a usable git, `.gitignore`
alone decides, and the finding says so. The fix adds the path to `.gitignore`.

A finding's subject (and its file) is the path, relative to the configuration directory:
`secrets.yaml`, `sub/secrets.yaml` or `.storage`. The fix reads it from the subject.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from ...engine import Check, CheckUnknown, Facts, NotApplicable
from ...inspect.git_state import GIT_STATE
from ...markdown import Markdown, code, escape
from ...model import Family, Hit, Severity

if TYPE_CHECKING:
    from collections.abc import Iterator

    from homeassistant.components.repairs import RepairsFlow

    from ...entry import PostureEntry
    from ...model import Finding

URL_SECURING: Final = "https://www.home-assistant.io/docs/configuration/securing/"


def _inspect(facts: Facts) -> Iterator[Hit]:
    git = facts[GIT_STATE]
    if git.error is not None:
        raise CheckUnknown(git.error)
    if git.work_tree is None:
        raise NotApplicable("the configuration directory is not in a git work tree")
    how = (
        ""
        if git.limitation is None
        else escape(f" (judged from .gitignore alone: {git.limitation})")
    )
    for exposure in git.exposures:
        path = code(exposure.path)
        if exposure.tracked:
            state = "is tracked by git"
            detail = Markdown(f"{path} is tracked by git (committed or staged)")
        else:
            state = "is not ignored by git"
            detail = Markdown(
                f"nothing ignores {path}, so `git add` would commit it{how}"
            )
        yield Hit(
            subject=exposure.path,
            title=f"{exposure.path} {state}",
            file=exposure.path,
            placeholders={"file": exposure.path, "detail": detail},
        )
    if not git.exposures and git.limitation is not None:
        raise NotApplicable(
            f"ignored according to .gitignore; {git.limitation}, so a file committed "
            "before it was ignored cannot be seen"
        )


def _fix(entry: PostureEntry, finding: Finding) -> RepairsFlow:
    """Add the path to `.gitignore` (the flow loads when a repair opens)."""
    # Imported here: the command-line scanner runs this check without Home Assistant.
    from ...fixes.gitignore import GitIgnoreFlow  # noqa: PLC0415

    return GitIgnoreFlow(entry, finding)


CHECK: Final = Check(
    id="secrets_not_ignored",
    family=Family.SECRETS,
    severity=Severity.MEDIUM,
    learn_more_url=URL_SECURING,
    needs=(GIT_STATE,),
    inspect=_inspect,
    fix=_fix,
)
