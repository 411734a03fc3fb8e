"""How the SSH server checks name what they found: the file, the line, the `Match` block."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...markdown import Markdown, code
from ...model import Hit

if TYPE_CHECKING:
    from ...inspect.sshd import Setting, SshdConfig


def _where(setting: Setting | None, config: SshdConfig) -> str:
    if setting is None:
        return code(config.path)
    return f"{code(setting.file)}, line {setting.line}"


def _scope_text(scope: str | None) -> str:
    return (
        "" if scope is None else f" (for connections matching {code(f'Match {scope}')})"
    )


def _subject(config: SshdConfig, scope: str | None) -> str:
    return config.path if scope is None else f"{config.path} [Match {scope}]"


def sshd_hit(
    config: SshdConfig,
    setting: Setting | None,
    scope: str | None,
    what: str,
    title: str,
) -> Hit:
    """A finding about `config` for one scope (global when None), at `setting` if known."""
    return Hit(
        subject=_subject(config, scope),
        title=title + ("" if scope is None else f" (Match {scope})"),
        file=setting.file if setting else config.path,
        line=setting.line if setting else None,
        key=setting.name if setting else None,
        placeholders={
            "detail": Markdown(
                f"{what} in {_where(setting, config)}{_scope_text(scope)}"
            )
        },
    )
