"""The host family: the SSH server, the add-ons and what the Supervisor says of the system.

On Core and Container installations the host's `sshd_config` (path from the options) is
read. Under the Supervisor (Home Assistant OS, Supervised) the host's SSH server is not
visible from Home Assistant: the SSH add-ons are checked instead, and the file only when the
options name another path than the default.

Decisions:
- `ssh_root_login`: `PermitRootLogin yes`, globally or in a `Match` block (the finding names
  the block). `prohibit-password`, `without-password`, `forced-commands-only` and the
  default (prohibit-password since OpenSSH 7.0) are not findings.
- `ssh_password_auth`: sshd accepts passwords when `PasswordAuthentication` is yes - which
  is OpenSSH's default when the file does not set it, so an absent keyword is a finding -
  or when keyboard-interactive authentication (default yes) runs through PAM
  (`UsePAM yes`), which asks for the password too. `AuthenticationMethods` lists that all
  need a key (or other non-password method) make passwords alone useless: no finding.
  A `Match` block that turns passwords on is a finding of its own when the global settings
  do not already accept them. An SSH add-on (official or community) with a password while
  its SSH port is mapped is a finding; medium rather than high while it is not running.
- `addon_unprotected`: an add-on with protection mode off; medium while not running.
- `install_unsupported` / `install_unhealthy`: one finding per reason the Supervisor gives.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import quote

from ..const import DEFAULT_SSHD_CONFIG
from ..engine import CheckUnknown, NotApplicable, ScanContext
from ..inspect.sshd import Setting, SshdConfig, SshdConfigError, read_sshd_config
from ..inspect.supervisor import (
    COMMUNITY_SSH,
    Addon,
    SupervisorFacts,
    SupervisorUnavailable,
    async_read_supervisor,
    has_supervisor,
)
from ..markdown import Markdown, code, escape
from ..model import Family, Hit, Severity
from .legacy import FamilyChecks, LegacyCheck

if TYPE_CHECKING:
    from collections.abc import Iterator

NO_SUPERVISOR = "no Supervisor: this is a Core or Container installation"
PASSWORD_METHODS = frozenset({"password", "keyboard-interactive"})
_SECURING = "https://www.home-assistant.io/docs/configuration/securing/"


@dataclass(frozen=True, kw_only=True)
class HostFacts:
    """The SSH server configuration and what the Supervisor reports, each with its state."""

    supervised: bool
    supervisor: SupervisorFacts | None = None
    supervisor_error: str | None = None
    sshd: SshdConfig | None = None
    sshd_error: str | None = None  # the file should be read but cannot be
    sshd_skipped: str | None = None  # the file is not this installation's business


async def _async_gather(ctx: ScanContext) -> HostFacts:
    hass = ctx.hass
    supervised = has_supervisor(hass)
    supervisor = supervisor_error = None
    if supervised:
        try:
            supervisor = await async_read_supervisor(hass)
        except SupervisorUnavailable as err:
            supervisor_error = f"Supervisor: {err}"
        for slug in supervisor.unreadable if supervisor else ():
            ctx.note(Family.HOST, f"add-on {slug}: its details could not be read")
    path = str(ctx.options.sshd_config)
    sshd = sshd_error = sshd_skipped = None
    if supervised and path == DEFAULT_SSHD_CONFIG:
        sshd_skipped = (
            "the host's SSH server is managed by the Supervisor's operating system; "
            "the SSH add-ons are checked instead"
        )
    else:
        try:
            sshd = await hass.async_add_executor_job(read_sshd_config, path)
        except SshdConfigError as err:
            sshd_error = f"sshd_config: {err}"
    return HostFacts(
        supervised=supervised,
        supervisor=supervisor,
        supervisor_error=supervisor_error,
        sshd=sshd,
        sshd_error=sshd_error,
        sshd_skipped=sshd_skipped,
    )


def _sshd(facts: HostFacts) -> SshdConfig | None:
    """The parsed file; None when this installation has no file to check."""
    if facts.sshd_error:
        raise CheckUnknown(facts.sshd_error)
    return facts.sshd


def _supervisor(facts: HostFacts) -> SupervisorFacts:
    if not facts.supervised:
        raise NotApplicable(NO_SUPERVISOR)
    if facts.supervisor is None:
        raise CheckUnknown(facts.supervisor_error or "Supervisor: no data")
    return facts.supervisor


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


def _sshd_hit(
    config: SshdConfig,
    setting: Setting | None,
    scope: str | None,
    what: str,
    title: str,
) -> Hit:
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


def _ssh_root_login(facts: HostFacts, _ctx: ScanContext) -> Iterator[Hit]:
    config = _sshd(facts)
    if config is None:
        raise NotApplicable(facts.sshd_skipped or "no sshd_config to check")
    setting = config.get("PermitRootLogin")
    if setting is not None and setting.value == "yes":
        yield _sshd_hit(
            config, setting, None, code("PermitRootLogin yes"), "SSH allows root login"
        )
        return
    for scope in config.scopes:
        setting = config.get("PermitRootLogin", scope)
        if setting is not None and setting.value == "yes":
            yield _sshd_hit(
                config,
                setting,
                scope,
                code("PermitRootLogin yes"),
                "SSH allows root login",
            )


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
    return _sshd_hit(
        config, first, scope, " and ".join(texts), "SSH server accepts passwords"
    )


def _ssh_password_auth(facts: HostFacts, _ctx: ScanContext) -> Iterator[Hit]:
    config = _sshd(facts)
    if config is not None:
        if reasons := _password_reasons(config, None):
            yield _password_hit(config, None, reasons)
        else:
            for scope in config.scopes:
                if reasons := _password_reasons(config, scope):
                    yield _password_hit(config, scope, reasons)
    if not facts.supervised:
        return
    for addon in _supervisor(facts).addons:
        yield from _addon_password(addon)


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


def _addon_unprotected(facts: HostFacts, _ctx: ScanContext) -> Iterator[Hit]:
    for addon in _supervisor(facts).addons:
        if addon.protected is False:
            yield Hit(
                subject=f"addon:{addon.slug}",
                title=f"{addon.name} runs without protection mode",
                severity=None if addon.started else Severity.MEDIUM,
                placeholders={"addon": f"{addon.name} ({addon.slug})"},
            )


def _reasons(facts: HostFacts, which: str) -> tuple[str, ...]:
    supervisor = _supervisor(facts)
    reasons = supervisor.unsupported if which == "unsupported" else supervisor.unhealthy
    if reasons is None:
        raise CheckUnknown("Supervisor: the resolution center could not be read")
    return reasons


def _reason_hit(which: str, reason: str) -> Hit:
    return Hit(
        subject=f"{which}:{reason}",
        title=f"Installation {which}: {reason}",
        placeholders={
            "reason": reason,
            "url": Markdown(
                f"<https://www.home-assistant.io/more-info/{which}/{quote(reason, safe='')}>"
            ),
        },
    )


def _install_unsupported(facts: HostFacts, _ctx: ScanContext) -> Iterator[Hit]:
    for reason in _reasons(facts, "unsupported"):
        yield _reason_hit("unsupported", reason)


def _install_unhealthy(facts: HostFacts, _ctx: ScanContext) -> Iterator[Hit]:
    for reason in _reasons(facts, "unhealthy"):
        yield _reason_hit("unhealthy", reason)


FAMILY: FamilyChecks[HostFacts] = FamilyChecks(
    family=Family.HOST,
    gather=_async_gather,
    checks=(
        LegacyCheck(
            id="ssh_root_login",
            severity=Severity.HIGH,
            learn_more_url=_SECURING,
            inspect=_ssh_root_login,
        ),
        LegacyCheck(
            id="ssh_password_auth",
            severity=Severity.HIGH,
            learn_more_url=_SECURING,
            inspect=_ssh_password_auth,
        ),
        LegacyCheck(
            id="addon_unprotected",
            severity=Severity.HIGH,
            learn_more_url="https://developers.home-assistant.io/docs/add-ons/security/#protection",
            inspect=_addon_unprotected,
        ),
        LegacyCheck(
            id="install_unsupported",
            severity=Severity.HIGH,
            learn_more_url="https://www.home-assistant.io/more-info/unsupported/",
            inspect=_install_unsupported,
        ),
        LegacyCheck(
            id="install_unhealthy",
            severity=Severity.CRITICAL,
            learn_more_url="https://www.home-assistant.io/more-info/unhealthy/",
            inspect=_install_unhealthy,
        ),
    ),
)
