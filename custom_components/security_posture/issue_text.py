"""What a repair issue and its flows may say about a finding: what and where, never a value."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .markdown import Markdown, code, safe_placeholders

if TYPE_CHECKING:
    from .model import Finding

# Every repair's texts link here when its check names no page of its own.
SECURING_URL = "https://www.home-assistant.io/docs/configuration/securing/"


def location_of(finding: Finding) -> str:
    """Where a finding is, for people (Markdown): file, line and key path when known."""
    if finding.file is None:
        return finding.subject
    parts: list[str] = [code(finding.file)]
    if finding.line is not None:
        parts.append(f"line {finding.line}")
    if finding.key:
        parts.append(f"key {code(finding.key)}")
    return Markdown(", ".join(parts))


def placeholders_of(finding: Finding) -> dict[str, str]:
    """The texts a repair issue and its flow may use. Never a value: only what and where.

    Rendered as Markdown by the frontend, so each is made inert (`markdown`): a token's
    name or a file's name cannot show an image or a link.
    """
    return safe_placeholders(
        {
            "title": finding.title,
            "subject": finding.subject,
            "location": location_of(finding),
            "file": finding.file or "",
            "key": finding.key or "",
            **finding.placeholders,
            # Our own page (a check's constant or the securing guide): a link as it is.
            "learn_more": Markdown(finding.learn_more_url or SECURING_URL),
        }
    )
