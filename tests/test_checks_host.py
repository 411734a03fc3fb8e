"""The host family: sshd_config, SSH add-ons, protection mode, Supervisor reasons."""

from __future__ import annotations

from datetime import UTC, datetime
import json
from pathlib import Path
import shutil
from types import SimpleNamespace
from typing import Any
from unittest.mock import patch

from aiohasupervisor import SupervisorError
from aiohasupervisor.models import AddonState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.security_posture.const import (
    CONF_SSHD_CONFIG,
    DEFAULT_SSHD_CONFIG,
)
from custom_components.security_posture.diagnostics import (
    async_get_config_entry_diagnostics,
)
from custom_components.security_posture.engine import (
    CheckUnknown,
    Facts,
    ScanContext,
    ScanOptions,
)
from custom_components.security_posture.inspect.addon_details import AddonNetwork
from custom_components.security_posture.inspect.sshd import (
    SSHD_CONFIG,
    SSHD_NOT_VISIBLE,
    SshdConfig,
    read_sshd_config,
)
from custom_components.security_posture.inspect.supervisor import (
    SUPERVISOR,
    Addon,
    SshLogin,
    SupervisorFacts,
    SupervisorUnavailable,
    async_read_supervisor,
    ssh_login,
)
from custom_components.security_posture.model import Family, Finding, Severity, Status

from .check_runs import async_run, family_checks, run_on, scan_context
from .helpers import (
    COMMON_PLACEHOLDERS,
    async_scan,
    async_setup_integration,
    issue_placeholders_used,
)
from .supervisor_fakes import addon_details, mocked_supervisor

NOW = datetime(2025, 6, 15, 12, 0, tzinfo=UTC)
CHECKS = {check.id: check for check in family_checks(Family.HOST)}
FIXTURES = Path(__file__).parent / "fixtures" / "sshd"
STRINGS = json.loads(
    (
        Path(__file__).parents[1] / "custom_components/security_posture/strings.json"
    ).read_text()
)
ADDON_PASSWORD = "hunter2-addon-password"
ADDON_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBmCX7pEnTestKeyNeverShown user@host"


def ctx_for(hass: HomeAssistant, options: dict[str, Any] | None = None) -> ScanContext:
    return scan_context(hass, NOW, options=ScanOptions.from_entry(options or {}))


def sshd_tree(name: str, tmp_path: Path) -> Path:
    target = tmp_path / name
    shutil.copytree(FIXTURES / name, target)
    return target / "sshd_config"


def host_facts(
    *, sshd: SshdConfig | None = None, supervisor: SupervisorFacts | None = None
) -> Facts:
    """What the host checks see: the sshd_config (None: not read here), the Supervisor."""
    return Facts({SSHD_CONFIG: sshd, SUPERVISOR: supervisor}, now=NOW)


def sshd_facts(path: Path) -> Facts:
    return host_facts(sshd=read_sshd_config(path))


def sshd_text(tmp_path: Path, text: str) -> Facts:
    path = tmp_path / "sshd_config"
    path.write_text(text)
    return sshd_facts(path)


def run(check_id: str, facts: Facts) -> tuple[Status, list[Finding], str | None]:
    status, reason, findings = run_on(check_id, facts)
    return status, findings, reason


async def run_in(
    check_id: str, ctx: ScanContext
) -> tuple[Status, list[Finding], str | None]:
    """Gather what the check needs in `ctx`, then run it."""
    status, reason, findings = await async_run(check_id, ctx)
    return status, findings, reason


def assert_placeholders_match_text(finding: Finding) -> None:
    used = issue_placeholders_used(finding.check)
    assert used <= {*finding.placeholders, *COMMON_PLACEHOLDERS}
    assert set(finding.placeholders) <= used


# --- sshd_config ----------------------------------------------------------------------


def test_root_login_from_an_include(hass: HomeAssistant, tmp_path: Path) -> None:
    main = sshd_tree("root_login", tmp_path)
    status, findings, _ = run("ssh_root_login", sshd_facts(main))
    assert status is Status.FAIL
    (finding,) = findings
    included = str(main.parent / "sshd_config.d" / "50-root.conf")
    assert finding.subject == str(main)
    assert (finding.file, finding.line, finding.key) == (included, 1, "PermitRootLogin")
    assert finding.severity is Severity.HIGH
    assert finding.placeholders == {
        "detail": f"`PermitRootLogin yes` in `{included}`, line 1"
    }
    assert_placeholders_match_text(finding)
    # Passwords are off in that tree.
    assert run("ssh_password_auth", sshd_facts(main))[0] is Status.PASS


def test_match_block_findings(hass: HomeAssistant, tmp_path: Path) -> None:
    main = sshd_tree("match", tmp_path)
    facts = sshd_facts(main)
    scope = "Address 192.168.1.0/24 User admin"
    _, root, _ = run("ssh_root_login", facts)
    assert [f.subject for f in root] == [f"{main} [Match {scope}]"]
    assert root[0].title == f"SSH allows root login (Match {scope})"
    assert root[0].line == 6
    assert (
        root[0]
        .placeholders["detail"]
        .endswith(f"line 6 (for connections matching `Match {scope}`)")
    )
    _, password, _ = run("ssh_password_auth", facts)
    assert [f.subject for f in password] == [f"{main} [Match {scope}]"]
    assert (
        password[0].placeholders["detail"].startswith("`PasswordAuthentication yes` in")
    )
    assert_placeholders_match_text(password[0])


def test_match_inside_included_file(hass: HomeAssistant, tmp_path: Path) -> None:
    main = sshd_tree("match_include", tmp_path)
    _, findings, _ = run("ssh_root_login", sshd_facts(main))
    assert [f.subject for f in findings] == [f"{main} [Match Group sftp; all]"]


def test_tidy_sshd(hass: HomeAssistant, tmp_path: Path) -> None:
    facts = sshd_facts(sshd_tree("tidy", tmp_path))
    for check_id in ("ssh_root_login", "ssh_password_auth"):
        assert run(check_id, facts)[:2] == (Status.PASS, [])


def test_debian_default_accepts_passwords(hass: HomeAssistant, tmp_path: Path) -> None:
    main = sshd_tree("debian_default", tmp_path)
    facts = sshd_facts(main)
    # PermitRootLogin is left at its default, prohibit-password: not a finding.
    assert run("ssh_root_login", facts)[0] is Status.PASS
    _, findings, _ = run("ssh_password_auth", facts)
    (finding,) = findings
    assert finding.subject == str(main)
    assert (finding.file, finding.line, finding.key) == (str(main), None, None)
    assert finding.placeholders["detail"] == (
        f"`PasswordAuthentication` is not set (OpenSSH's default is yes) in `{main}`"
    )


@pytest.mark.parametrize(
    ("text", "detail"),
    [
        (
            "PermitRootLogin yes\nPasswordAuthentication yes\n",
            "`PasswordAuthentication yes`",
        ),
        (
            "PasswordAuthentication no\nUsePAM yes\n",
            "keyboard-interactive authentication through PAM (its default is yes)",
        ),
        (
            "PasswordAuthentication no\nChallengeResponseAuthentication yes\nUsePAM yes\n",
            "`ChallengeResponseAuthentication yes`",
        ),
        (
            "PasswordAuthentication yes\nAuthenticationMethods publickey password\n"
            "KbdInteractiveAuthentication no\n",
            "`PasswordAuthentication yes`",
        ),
        (
            "AuthenticationMethods any\nKbdInteractiveAuthentication no\n",
            "`PasswordAuthentication` is not set (OpenSSH's default is yes)",
        ),
        (
            "PasswordAuthentication yes\nKbdInteractiveAuthentication yes\nUsePAM yes\n",
            "`PasswordAuthentication yes` and `KbdInteractiveAuthentication yes`",
        ),
    ],
)
def test_password_reasons(
    hass: HomeAssistant, tmp_path: Path, text: str, detail: str
) -> None:
    _, findings, _ = run("ssh_password_auth", sshd_text(tmp_path, text))
    (finding,) = findings
    assert finding.placeholders["detail"].startswith(f"{detail} in ")


@pytest.mark.parametrize(
    "text",
    [
        "PasswordAuthentication no\nKbdInteractiveAuthentication no\n",
        "PasswordAuthentication no\nUsePAM no\n",
        "PasswordAuthentication no\n",  # keyboard-interactive without PAM asks no password
        "PasswordAuthentication yes\nAuthenticationMethods publickey\n",
        'PasswordAuthentication yes\nAuthenticationMethods "publickey,password"\n',
        "PasswordAuthentication yes\nAuthenticationMethods publickey,keyboard-interactive:pam\n",
        "PasswordAuthentication no\nKbdInteractiveAuthentication no\n"
        "Match User bob\n  AuthenticationMethods password\n",
        "PermitRootLogin without-password\nPasswordAuthentication no\n",
        "PermitRootLogin forced-commands-only\nPasswordAuthentication no\n",
    ],
)
def test_no_password_findings(hass: HomeAssistant, tmp_path: Path, text: str) -> None:
    facts = sshd_text(tmp_path, text)
    assert run("ssh_password_auth", facts)[:2] == (Status.PASS, [])
    assert run("ssh_root_login", facts)[:2] == (Status.PASS, [])


def test_match_scope_falls_back_to_global(hass: HomeAssistant, tmp_path: Path) -> None:
    facts = sshd_text(
        tmp_path,
        "PasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM yes\n"
        "AuthenticationMethods publickey\n"
        "Match User alice\n  KbdInteractiveAuthentication yes\n"
        "Match User bob\n  AuthenticationMethods keyboard-interactive\n"
        "  KbdInteractiveAuthentication yes\n"
        "Match User carol\n  PasswordAuthentication yes\n  AuthenticationMethods any\n",
    )
    _, findings, _ = run("ssh_password_auth", facts)
    # alice: the global AuthenticationMethods still requires a key.
    assert [f.subject.split(" [")[1] for f in findings] == [
        "Match User bob]",
        "Match User carol]",
    ]
    assert (
        findings[0]
        .placeholders["detail"]
        .startswith("`KbdInteractiveAuthentication yes` in")
    )


def test_root_login_global_wins_over_match(hass: HomeAssistant, tmp_path: Path) -> None:
    facts = sshd_text(
        tmp_path, "PermitRootLogin yes\nMatch User x\n  PermitRootLogin yes\n"
    )
    _, findings, _ = run("ssh_root_login", facts)
    assert [f.subject for f in findings] == [str(tmp_path / "sshd_config")]


async def test_sshd_unknown_and_skipped(hass: HomeAssistant) -> None:
    broken = ctx_for(hass, {CONF_SSHD_CONFIG: "/x"})
    for check_id in ("ssh_root_login", "ssh_password_auth"):
        assert await run_in(check_id, broken) == (
            Status.UNKNOWN,
            [],
            "sshd_config: /x does not exist",
        )
    skipped = host_facts(sshd=None, supervisor=supervisor())
    assert run("ssh_root_login", skipped) == (
        Status.PASS,
        [],
        SSHD_NOT_VISIBLE,
    )
    assert run("ssh_password_auth", skipped)[:2] == (Status.PASS, [])


async def test_gather_reads_the_configured_path(
    hass: HomeAssistant, config_dir: Path, tmp_path: Path
) -> None:
    main = sshd_tree("root_login", tmp_path)
    ctx = ctx_for(hass, {CONF_SSHD_CONFIG: str(main)})
    assert await ctx.fact(SUPERVISOR) is None
    sshd = await ctx.fact(SSHD_CONFIG)
    assert sshd is not None
    assert sshd.path == str(main)
    assert (await run_in("ssh_root_login", ctx))[0] is Status.FAIL
    for check_id in ("addon_unprotected", "install_unsupported", "install_unhealthy"):
        assert await run_in(check_id, ctx) == (
            Status.PASS,
            [],
            "no Supervisor: this is a Core or Container installation",
        )


async def test_gather_missing_file(
    hass: HomeAssistant, config_dir: Path, tmp_path: Path
) -> None:
    ctx = ctx_for(hass, {CONF_SSHD_CONFIG: str(tmp_path / "absent")})
    status, _, reason = await run_in("ssh_root_login", ctx)
    assert status is Status.UNKNOWN
    assert reason == f"sshd_config: {tmp_path / 'absent'} does not exist"


async def test_gather_default_path(hass: HomeAssistant, config_dir: Path) -> None:
    with patch(
        "custom_components.security_posture.inspect.sshd.read_sshd_config",
        side_effect=lambda path: read_sshd_config(FIXTURES / "tidy" / "sshd_config"),
    ) as reader:
        sshd = await ctx_for(hass).fact(SSHD_CONFIG)
    reader.assert_called_once_with(DEFAULT_SSHD_CONFIG)
    assert sshd is not None


# --- the Supervisor -------------------------------------------------------------------


def supervisor(
    addons: tuple[Addon, ...] = (),
    unsupported: tuple[str, ...] | None = (),
    unhealthy: tuple[str, ...] | None = (),
) -> SupervisorFacts:
    return SupervisorFacts(addons=addons, unsupported=unsupported, unhealthy=unhealthy)


def addon(slug: str, **kwargs: Any) -> Addon:
    values: dict[str, Any] = {
        "slug": slug,
        "name": slug.title(),
        "started": True,
        "protected": True,
    }
    values.update(kwargs)
    return Addon(**values)


def test_ssh_login_reads_no_more_than_it_needs() -> None:
    official = ssh_login(
        "core_ssh",
        {"password": ADDON_PASSWORD, "authorized_keys": [ADDON_KEY, " ", 3]},
        {"22/tcp": 2222},
    )
    assert official == SshLogin(password_set=True, authorized_keys=1, port=2222)
    community = ssh_login(
        "a0d7b954_ssh",
        {"ssh": {"username": "hassio", "password": "", "authorized_keys": [ADDON_KEY]}},
        {"22/tcp": None},
    )
    assert community == SshLogin(password_set=False, authorized_keys=1, port=None)
    assert ssh_login("a0d7b954_ssh", {"ssh": "garbled"}, None) == SshLogin(
        password_set=False, authorized_keys=0, port=None
    )
    assert ssh_login("core_ssh", None, {"22/tcp": 0}) == SshLogin(
        password_set=False, authorized_keys=0, port=None
    )
    assert ADDON_PASSWORD not in repr(official)
    assert ADDON_KEY not in repr(official)


def test_addon_password_findings(hass: HomeAssistant) -> None:
    addons = (
        addon(
            "core_ssh",
            name="Terminal & SSH",
            ssh=SshLogin(password_set=True, authorized_keys=0, port=22),
        ),
        addon(
            "a0d7b954_ssh",
            name="Advanced SSH & Web Terminal",
            started=False,
            ssh=SshLogin(password_set=True, authorized_keys=2, port=2222),
        ),
        addon(
            "other_ssh", ssh=SshLogin(password_set=False, authorized_keys=1, port=22)
        ),
        addon(
            "unmapped", ssh=SshLogin(password_set=True, authorized_keys=0, port=None)
        ),
        addon("plain"),
    )
    facts = host_facts(sshd=None, supervisor=supervisor(addons))
    status, findings, _ = run("ssh_password_auth", facts)
    assert status is Status.FAIL
    got = {f.subject: f for f in findings}
    assert set(got) == {"addon:core_ssh", "addon:a0d7b954_ssh"}
    official = got["addon:core_ssh"]
    assert official.severity is Severity.HIGH
    assert official.key == "password"
    assert official.placeholders["detail"] == (
        "the add-on Terminal & SSH (core_ssh) has a password in its `password` option and "
        "its SSH port is mapped to port 22 of the host; no authorized keys are set"
    )
    community = got["addon:a0d7b954_ssh"]
    assert community.severity is Severity.MEDIUM  # not running
    assert community.key == "ssh.password"
    assert community.placeholders["detail"].endswith(
        "authorized keys are set too, but the password still works"
    )
    assert_placeholders_match_text(official)


async def test_password_auth_file_and_addons_together(
    hass: HomeAssistant, tmp_path: Path
) -> None:
    main = sshd_tree("debian_default", tmp_path)
    config = read_sshd_config(main)
    facts = host_facts(
        sshd=config,
        supervisor=supervisor(
            (
                addon(
                    "core_ssh",
                    ssh=SshLogin(password_set=True, authorized_keys=0, port=22),
                ),
            )
        ),
    )
    _, findings, _ = run("ssh_password_auth", facts)
    assert [f.subject for f in findings] == [config.path, "addon:core_ssh"]
    # The Supervisor there but not answering: the add-ons cannot be told, nor the check.
    with mocked_supervisor(info=None):
        unknown = ctx_for(hass, {CONF_SSHD_CONFIG: str(main)})
        assert await run_in("ssh_password_auth", unknown) == (
            Status.UNKNOWN,
            [],
            "Supervisor: the Supervisor integration has not loaded its data yet",
        )


def test_addon_unprotected(hass: HomeAssistant) -> None:
    addons = (
        addon("glances", protected=False),
        addon("portainer", protected=False, started=False),
        addon("mosquitto"),
        addon("unknown", protected=None),
    )
    facts = host_facts(supervisor=supervisor(addons))
    status, findings, _ = run("addon_unprotected", facts)
    assert status is Status.FAIL
    assert [(f.subject, f.severity) for f in findings] == [
        ("addon:glances", Severity.HIGH),
        ("addon:portainer", Severity.MEDIUM),
    ]
    assert findings[0].placeholders == {"addon": "Glances (glances)"}
    assert_placeholders_match_text(findings[0])
    nothing = host_facts(supervisor=supervisor((addon("mosquitto"),)))
    assert run("addon_unprotected", nothing)[:2] == (Status.PASS, [])


def test_install_reasons(hass: HomeAssistant) -> None:
    facts = host_facts(
        supervisor=supervisor(
            unsupported=("docker_version", "os"), unhealthy=("privileged",)
        ),
    )
    _, unsupported, _ = run("install_unsupported", facts)
    assert [(f.subject, f.severity) for f in unsupported] == [
        ("unsupported:docker_version", Severity.HIGH),
        ("unsupported:os", Severity.HIGH),
    ]
    assert unsupported[0].placeholders == {
        "reason": "docker_version",
        "url": "<https://www.home-assistant.io/more-info/unsupported/docker_version>",
    }
    _, unhealthy, _ = run("install_unhealthy", facts)
    assert [(f.subject, f.severity) for f in unhealthy] == [
        ("unhealthy:privileged", Severity.CRITICAL)
    ]
    for finding in (*unsupported, *unhealthy):
        assert_placeholders_match_text(finding)
    clean = host_facts(supervisor=supervisor())
    assert run("install_unhealthy", clean)[:2] == (Status.PASS, [])
    unread = host_facts(supervisor=supervisor(unsupported=None, unhealthy=None))
    for check_id in ("install_unsupported", "install_unhealthy"):
        assert run(check_id, unread) == (
            Status.UNKNOWN,
            [],
            "Supervisor: the resolution center could not be read",
        )


# --- the Supervisor, mocked at the hassio helper boundary -----------------------------


ADDONS = [
    {"slug": "core_ssh", "name": "Terminal & SSH", "state": "started"},
    {"slug": "a0d7b954_ssh", "name": "Advanced SSH & Web Terminal", "state": "stopped"},
    {"slug": "a0d7b954_glances", "name": "Glances", "state": "started"},
    {"slug": "core_mosquitto", "state": "started"},
    {"name": "no slug"},
    "garbage",
]


async def test_read_supervisor(hass: HomeAssistant) -> None:
    details = {
        "core_ssh": addon_details(
            options={"password": ADDON_PASSWORD, "authorized_keys": [], "apks": []},
            network={"22/tcp": 22},
        ),
        "a0d7b954_ssh": addon_details(
            options={"ssh": {"password": "", "authorized_keys": [ADDON_KEY]}},
            network={"22/tcp": 22},
            state=AddonState.STOPPED,
        ),
        "a0d7b954_glances": addon_details(protected=False),
        "core_mosquitto": SupervisorError("timeout"),
    }
    issues = SimpleNamespace(
        unsupported_reasons={"os", "docker_version"}, unhealthy_reasons={"untrusted"}
    )
    cached = {"core_mosquitto": {"protected": True, "state": "started", "options": {}}}
    with mocked_supervisor(
        addons=ADDONS, details=details, cached=cached, issues=issues
    ):
        facts = await async_read_supervisor(hass)
    assert facts.unsupported == ("docker_version", "os")
    assert facts.unhealthy == ("untrusted",)
    assert facts.unreadable == ()
    got = {a.slug: a for a in facts.addons}
    assert list(got) == [
        "core_ssh",
        "a0d7b954_ssh",
        "a0d7b954_glances",
        "core_mosquitto",
    ]
    assert got["core_ssh"] == Addon(
        slug="core_ssh",
        name="Terminal & SSH",
        started=True,
        protected=True,
        ssh=SshLogin(password_set=True, authorized_keys=0, port=22),
        version="1.0.0",
        network=AddonNetwork(
            host_network=False, ingress=False, ports=(("22/tcp", 22),), web_ui=None
        ),
    )
    assert got["a0d7b954_ssh"].started is False
    assert got["a0d7b954_ssh"].ssh == SshLogin(
        password_set=False, authorized_keys=1, port=22
    )
    assert got["a0d7b954_glances"].protected is False
    assert got["core_mosquitto"].protected is True  # from the cached details
    assert got["core_mosquitto"].name == "core_mosquitto"
    assert ADDON_PASSWORD not in repr(facts)
    assert ADDON_KEY not in repr(facts)


async def test_read_supervisor_fallbacks(hass: HomeAssistant) -> None:
    details: dict[str, SimpleNamespace | Exception] = {
        "core_ssh": SupervisorError("down"),
        "a0d7b954_ssh": SupervisorError("down"),
        "a0d7b954_glances": addon_details(),
        "core_mosquitto": addon_details(),
    }
    resolution = SimpleNamespace(unsupported=["software"], unhealthy=[])
    with mocked_supervisor(addons=ADDONS, details=details, resolution=resolution):
        facts = await async_read_supervisor(hass)
    assert facts.unreadable == ("core_ssh", "a0d7b954_ssh")
    assert [a.protected for a in facts.addons][:2] == [None, None]
    assert facts.addons[0].ssh is None
    assert facts.addons[0].started is True  # from the add-on list
    assert (facts.unsupported, facts.unhealthy) == (("software",), ())
    with mocked_supervisor(addons=[], resolution=SupervisorError("resolution is down")):
        facts = await async_read_supervisor(hass)
    assert (facts.unsupported, facts.unhealthy) == (None, None)


@pytest.mark.parametrize("info", [None, {}, {"addons": "garbled"}])
async def test_read_supervisor_without_data(hass: HomeAssistant, info: Any) -> None:
    with (
        mocked_supervisor(info=info),
        pytest.raises(SupervisorUnavailable, match="has not loaded its data yet"),
    ):
        await async_read_supervisor(hass)


async def test_gather_supervised(
    hass: HomeAssistant, config_dir: Path, tmp_path: Path
) -> None:
    details = {
        "core_ssh": addon_details(
            options={"password": ADDON_PASSWORD, "authorized_keys": []},
            network={"22/tcp": 22},
        ),
        "a0d7b954_ssh": addon_details(network={"22/tcp": None}),
        "a0d7b954_glances": addon_details(protected=False),
        "core_mosquitto": SupervisorError("timeout"),
    }
    issues = SimpleNamespace(unsupported_reasons=set(), unhealthy_reasons={"untrusted"})
    with mocked_supervisor(addons=ADDONS, details=details, issues=issues):
        ctx = ctx_for(hass, {CONF_SSHD_CONFIG: DEFAULT_SSHD_CONFIG})
        assert await ctx.fact(SUPERVISOR) is not None
        assert await ctx.fact(SSHD_CONFIG) is None
        results = {c: await run_in(c, ctx) for c in CHECKS}
    assert [n.reason for n in ctx.notes] == [
        "add-on core_mosquitto: its details could not be read"
    ]
    assert results["ssh_root_login"][0] is Status.PASS
    assert "managed by the Supervisor" in (results["ssh_root_login"][2] or "")
    assert [f.subject for f in results["ssh_password_auth"][1]] == ["addon:core_ssh"]
    assert [f.subject for f in results["addon_unprotected"][1]] == [
        "addon:a0d7b954_glances"
    ]
    assert results["install_unsupported"][:2] == (Status.PASS, [])
    assert [f.subject for f in results["install_unhealthy"][1]] == [
        "unhealthy:untrusted"
    ]

    # Another path in the options: the file is read under the Supervisor too.
    other = sshd_tree("root_login", tmp_path)
    with mocked_supervisor(addons=[], issues=issues):
        ctx = ctx_for(hass, {CONF_SSHD_CONFIG: str(other)})
        assert await ctx.fact(SSHD_CONFIG) is not None
        assert (await run_in("ssh_root_login", ctx))[0] is Status.FAIL


async def test_gather_supervisor_unavailable(
    hass: HomeAssistant, config_dir: Path
) -> None:
    with mocked_supervisor(info=None):
        ctx = ctx_for(hass)
        with pytest.raises(CheckUnknown):
            await ctx.fact(SUPERVISOR)
    for check_id in ("addon_unprotected", "install_unsupported", "install_unhealthy"):
        status, _, reason = await run_in(check_id, ctx)
        assert status is Status.UNKNOWN
        assert (
            reason
            == "Supervisor: the Supervisor integration has not loaded its data yet"
        )


async def test_end_to_end_supervised(
    hass: HomeAssistant, config_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Through the integration: add-on findings, and the add-on's secrets nowhere."""
    caplog.set_level("DEBUG", logger="custom_components.security_posture")
    details = {
        "core_ssh": addon_details(
            options={"password": ADDON_PASSWORD, "authorized_keys": [ADDON_KEY]},
            network={"22/tcp": 22},
        ),
        "a0d7b954_ssh": addon_details(
            options={"ssh": {"password": ADDON_PASSWORD, "authorized_keys": []}},
            network={"22/tcp": None},
        ),
        "a0d7b954_glances": addon_details(protected=False),
        "core_mosquitto": addon_details(
            options={"logins": [{"password": ADDON_PASSWORD}]}
        ),
    }
    issues = SimpleNamespace(unsupported_reasons={"os"}, unhealthy_reasons=set())
    entry = MockConfigEntry(
        domain="security_posture",
        title="Security Posture",
        data={},
        options={CONF_SSHD_CONFIG: DEFAULT_SSHD_CONFIG},
    )
    with mocked_supervisor(addons=ADDONS, details=details, issues=issues):
        await async_setup_integration(hass, entry)
        report = await async_scan(hass)
        diagnostics = await async_get_config_entry_diagnostics(hass, entry)
    ours = sorted(
        (f["check"], f["subject"], f["severity"])
        for f in report["findings"]
        if f["family"] == "host"
    )
    assert ours == [
        ("addon_unprotected", "addon:a0d7b954_glances", "high"),
        ("install_unsupported", "unsupported:os", "high"),
        ("ssh_password_auth", "addon:core_ssh", "high"),
    ]
    statuses = {
        c["check"]: c["status"] for c in report["checks"] if c["family"] == "host"
    }
    assert statuses["ssh_root_login"] == "pass"
    issues_shown = [
        (i.issue_id, i.translation_placeholders)
        for i in ir.async_get(hass).issues.values()
    ]
    states = [
        (s.entity_id, s.state, dict(s.attributes)) for s in hass.states.async_all()
    ]
    exposed = json.dumps([report, diagnostics, issues_shown, states], default=str)
    assert "Terminal & SSH" in exposed
    for secret in (ADDON_PASSWORD, ADDON_KEY, ADDON_KEY.split()[1]):
        assert secret not in exposed
        assert secret not in caplog.text
