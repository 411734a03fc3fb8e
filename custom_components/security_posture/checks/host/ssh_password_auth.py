"""`ssh_password_auth` (high): the SSH server, or an SSH add-on, accepts passwords.

sshd accepts passwords when `PasswordAuthentication` is yes - which is OpenSSH's default
when the file does not set it, so an absent keyword is a finding - or when
keyboard-interactive authentication (default yes) runs through PAM (`UsePAM yes`), which
asks for the password too. `AuthenticationMethods` lists that all need a key (or another
method than a password) make passwords alone useless: no finding. A `Match` block that
turns passwords on is a finding of its own when the global settings do not already accept
them.

An SSH add-on (official or community) with a password while its SSH port is mapped is a
finding; medium rather than high while it is not running.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from ...engine import Check, Facts
from ...inspect.sshd import SSHD_CONFIG, Setting, SshdConfig
from ...inspect.supervisor import COMMUNITY_SSH, SUPERVISOR, Addon
from ...markdown import Markdown, code, escape
from ...model import Family, Hit, Severity
from . import URL_SECURING
from .sshd_hits import sshd_hit

if TYPE_CHECKING:
    from collections.abc import Iterator

PASSWORD_METHODS: Final = frozenset({"password", "keyboard-interactive"})


def _flag(config: SshdConfig, keyword: str, scope: str | None, default: str) -> str:
    setting = config.get(keyword, scope) if scope else None
    if setting is None:
        setting = config.get(keyword)
    return setting.value if setting else default


def _password_reasons(config: SshdConfig, scope: str | None) -> list[Setting | str]:
    """Why sshd accepts passwords for a scope (global when None); empty when it does not."""
    methods = config.get("AuthenticationMethods", scope) if scope else None
    methods = methods or config.get("AuthenticationMethods")
    if methods is not None and methods.value != "any":
        alone = [{m.split(":", 1)[0] for m in lst.split(",")} for lst in methods.args]
        if not any(m <= PASSWORD_METHODS for m in alone):
            return []
    reasons: list[Setting | str] = []
    password = (config.get("PasswordAuthentication", scope) if scope else None) or (
        config.get("PasswordAuthentication")
    )
    if password is None:
        reasons.append(
            f"{code('PasswordAuthentication')} is not set (OpenSSH's default is yes)"
        )
    elif password.value == "yes":
        reasons.append(password)
    if (
        _flag(config, "KbdInteractiveAuthentication", scope, "yes") == "yes"
        and _flag(config, "UsePAM", None, "no") == "yes"
    ):
        kbd = (
            config.get("KbdInteractiveAuthentication", scope) if scope else None
        ) or (config.get("KbdInteractiveAuthentication"))
        reasons.append(
            kbd
            if kbd is not None
            else "keyboard-interactive authentication through PAM (its default is yes)"
        )
    return reasons


def _password_hit(
    config: SshdConfig, scope: str | None, reasons: list[Setting | str]
) -> Hit:
    settings = [r for r in reasons if isinstance(r, Setting)]
    texts = [
        code(f"{r.name} {r.args[0]}") if isinstance(r, Setting) else r for r in reasons
    ]
    first = settings[0] if settings else None
    return sshd_hit(
        config, first, scope, " and ".join(texts), "SSH server accepts passwords"
    )


def _addon_password(addon: Addon) -> Iterator[Hit]:
    login = addon.ssh
    if login is None or login.port is None or not login.password_set:
        return
    keys = (
        "authorized keys are set too, but the password still works"
        if login.authorized_keys
        else "no authorized keys are set"
    )
    option = "ssh.password" if addon.slug == COMMUNITY_SSH else "password"
    yield Hit(
        subject=f"addon:{addon.slug}",
        title=f"{addon.name} accepts SSH passwords",
        severity=None if addon.started else Severity.MEDIUM,
        key=option,
        placeholders={
            "detail": Markdown(
                f"the add-on {escape(f'{addon.name} ({addon.slug})')} has a password in "
                f"its {code(option)} option and its SSH port is mapped to port "
                f"{login.port} of the host; {keys}"
            )
        },
    )


def _inspect(facts: Facts) -> Iterator[Hit]:
    if (config := facts[SSHD_CONFIG]) is not None:
        if reasons := _password_reasons(config, None):
            yield _password_hit(config, None, reasons)
        else:
            for scope in config.scopes:
                if reasons := _password_reasons(config, scope):
                    yield _password_hit(config, scope, reasons)
    if (supervisor := facts[SUPERVISOR]) is None:
        return
    for addon in supervisor.addons:
        yield from _addon_password(addon)


CHECK: Final = Check(
    id="ssh_password_auth",
    family=Family.HOST,
    severity=Severity.HIGH,
    learn_more_url=URL_SECURING,
    needs=(SSHD_CONFIG, SUPERVISOR),
    inspect=_inspect,
)
