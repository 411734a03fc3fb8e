"""Where webhook triggers are written in the configuration's files, keeping no id.

A webhook trigger is a mapping with a `webhook_id` written as a string and `platform:` or
`trigger:` `webhook`. The place of each (file, line, key path) is found in every file while
the scan parses it (`config_scan`); the id itself is not kept, only a digest of it, which the
webhooks reader (`webhooks`) matches against the ids Home Assistant has registered.
"""

from __future__ import annotations

from dataclasses import dataclass
import hashlib
from typing import Any, Final

from .key_paths import format_key_path, walk
from .yaml_nodes import YamlMap

WEBHOOK_DOMAIN: Final = "webhook"
HINT: Final = "webhook_id"
"""A file without this text holds no webhook trigger (and is not walked for one)."""


def id_digest(webhook_id: str) -> str:
    """What stands for a webhook id in the facts (the id itself is never kept)."""
    return hashlib.sha256(webhook_id.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class WebhookTrigger:
    """A webhook trigger written in a file: the digest of its id, and where it is."""

    digest: str
    file: str
    line: int
    key: str


def find_webhook_triggers(path: str, root: Any) -> list[WebhookTrigger]:
    """The webhook triggers of one file's tree (read with lines), in document order."""
    found: list[WebhookTrigger] = []
    for entry in walk(root):
        node = entry.value
        if not isinstance(node, YamlMap):
            continue
        webhook_id = node.get("webhook_id")
        if isinstance(webhook_id, str) and WEBHOOK_DOMAIN in (
            node.get("platform"),
            node.get("trigger"),
        ):
            found.append(
                WebhookTrigger(
                    digest=id_digest(webhook_id),
                    file=path,
                    line=node.value_lines.get("webhook_id", node.line),
                    key=format_key_path((*entry.parts, "webhook_id")),
                )
            )
    return found
