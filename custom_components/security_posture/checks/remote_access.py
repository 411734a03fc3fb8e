"""The remote access family: the HTTP server and TLS as they really run.

Facts: the effective HTTP settings (`inspect.http_settings`: the running server, then
`.storage/http` or the `http:` block, then the defaults), the exposure decision shared with
the authentication family (`inspect.exposure`), the certificate and key read from their files
(`inspect.certificates`) and when Home Assistant started.

Severities beyond the table: `certificate_expiring` is high under 7 days;
`login_threshold_disabled` is high when Home Assistant is reachable from outside.
Certificate checks pass with a reason when no certificate is configured, and are unknown when
the certificate (or, for the key checks, the key) cannot be read: `certificate_unreadable`
says why.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
import math
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from homeassistant.const import MAJOR_VERSION, MINOR_VERSION

from ..const import DEFAULT_CERT_WARNING_DAYS
from ..engine import CheckUnknown, NotApplicable, ScanContext
from ..inspect import certificates
from ..inspect.exposure import Exposure, async_get_exposure
from ..inspect.http_settings import async_get_http_settings
from ..inspect.http_values import (
    DEFAULT_CORS,
    SOURCE_PENDING,
    SOURCE_STABLE,
    YAML_FILE,
    HttpSettings,
)
from ..inspect.networks import is_broad_network
from ..inspect.tls_server import hostname_matches
from ..markdown import Markdown, code
from ..model import Family, Hit, Severity
from .legacy import FamilyChecks, LegacyCheck

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

    from ..inspect.certificates import CertificateReading, LeafCertificate

_DOCS: Final = "https://www.home-assistant.io/integrations/http/"
_REMOTE_DOCS: Final = "https://www.home-assistant.io/docs/configuration/remote/"
URGENT_DAYS: Final = 7
MIN_KEY_BITS: Final = 2048
WEAK_HASHES: Final = frozenset({"sha1", "md5"})
CLOUD_SUFFIX: Final = ".ui.nabu.casa"
# The first release whose HTTP settings are changed in Settings -> System -> Network.
HTTP_SETTINGS_UI: Final = (2026, 8)
# Each setting's section on that page, as the frontend names it.
_UI_SECTIONS: Final = {
    "ssl_profile": "SSL/TLS",
    "trusted_proxies": "Reverse proxy",
    "ip_ban_enabled": "IP banning",
    "login_attempts_threshold": "IP banning",
    "cors_allowed_origins": "More options",
    "use_x_frame_options": "More options",
}


@dataclass(frozen=True, kw_only=True)
class RemoteAccessFacts:
    """Everything the remote access checks look at."""

    http: HttpSettings
    exposure: Exposure
    certificate: CertificateReading | None  # None: no certificate is configured
    started_at: datetime  # when Home Assistant (this process) started


async def _async_gather(ctx: ScanContext) -> RemoteAccessFacts:
    http = await async_get_http_settings(ctx)
    exposure = await async_get_exposure(ctx)
    certificate: CertificateReading | None = None
    if http.ssl_certificate:
        certificate = await ctx.hass.async_add_executor_job(
            certificates.read_certificate,
            http.ssl_certificate,
            http.ssl_key,
            http.ssl_profile,
        )
    started_at = await ctx.hass.async_add_executor_job(certificates.process_started_at)
    return RemoteAccessFacts(
        http=http, exposure=exposure, certificate=certificate, started_at=started_at
    )


def _metrics(facts: RemoteAccessFacts, ctx: ScanContext) -> Mapping[str, Any]:
    leaf = facts.certificate.leaf if facts.certificate is not None else None
    return {"certificate_expiry": leaf.not_after if leaf is not None else None}


# --- helpers -----------------------------------------------------------------------------


def _shown(path: str, config_dir: Path) -> tuple[str, str | None]:
    """A path as shown to people, and relative to the configuration directory if inside."""
    absolute = os.path.abspath(path)  # noqa: PTH100 - string work, no file system access
    try:
        relative = Path(absolute).relative_to(os.path.abspath(config_dir)).as_posix()  # noqa: PTH100
    except ValueError:
        return path, None
    return relative, relative


FILE_FROM_SECRETS: Final = "(named in secrets.yaml)"


def _file_shown(
    facts: RemoteAccessFacts, field: str, path: str, config_dir: Path
) -> tuple[str, str | None, str]:
    """A certificate or key path as shown, relative, and as a subject names it.

    A path that came from `secrets.yaml` is never shown: not in the title, the file, the
    subject or a placeholder.
    """
    if facts.http.secret(field, path):
        return FILE_FROM_SECRETS, None, f"{field} from secrets.yaml"
    shown, relative = _shown(path, config_dir)
    return shown, relative, path


def _key_field(reading: CertificateReading) -> str:
    return "ssl_certificate" if reading.key_in_certificate_file else "ssl_key"


def _listing(facts: RemoteAccessFacts, field: str, values: list[Any]) -> str:
    """Values of a setting for people; those from `secrets.yaml` are only counted."""
    shown = [str(v) for v in values if not facts.http.secret(field, v)]
    if hidden := len(values) - len(shown):
        shown.append(f"{hidden} set in secrets.yaml (not shown)")
    return ", ".join(shown)


def _certificate(facts: RemoteAccessFacts) -> CertificateReading:
    if facts.certificate is None:
        raise NotApplicable("no certificate is configured")
    return facts.certificate


def _leaf(facts: RemoteAccessFacts) -> LeafCertificate:
    reading = _certificate(facts)
    if reading.leaf is None:
        raise CheckUnknown("the certificate cannot be read")
    return reading.leaf


def _cert_hit(
    facts: RemoteAccessFacts,
    ctx: ScanContext,
    title: str,
    severity: Severity | None = None,
    **placeholders: str,
) -> Hit:
    """A hit about the certificate file, with `{file}` set."""
    reading = _certificate(facts)
    shown, relative, named = _file_shown(
        facts, "ssl_certificate", reading.certificate_file.path, ctx.config_dir
    )
    return Hit(
        subject=f"certificate {named}",
        title=title.replace("{file}", shown),
        severity=severity,
        file=relative,
        key=facts.http.location("ssl_certificate").key,
        placeholders={"file": shown, **placeholders},
    )


def where_to_change(
    http: HttpSettings,
    name: str,
    release: tuple[int, int] = (MAJOR_VERSION, MINOR_VERSION),
) -> str:
    """Where people change one HTTP setting: the network settings, or the YAML file."""
    if http.base in (SOURCE_STABLE, SOURCE_PENDING) or release >= HTTP_SETTINGS_UI:
        section = _UI_SECTIONS.get(name)
        return Markdown(
            "[Settings → System → Network](/config/network), **HTTP server**"
            + (f" → **{section}**" if section else "")
        )
    file = http.location(name).file or YAML_FILE
    if file != YAML_FILE and not file.endswith((".yaml", ".yml")):
        file = (
            YAML_FILE  # .storage/http: a copy Home Assistant keeps, not edited by hand
        )
    return Markdown(
        f"the `http:` section of {code(file)} (then restart Home Assistant)"
    )


def _setting_hit(
    facts: RemoteAccessFacts,
    name: str,
    title: str,
    severity: Severity | None = None,
    **placeholders: str,
) -> Hit:
    """A hit about one HTTP setting, located where it is changed, with `{where}` set.

    `{where}` says where people change it (not which file or storage slot it was read from).
    """
    where = facts.http.location(name)
    return Hit(
        subject=f"http.{name}",
        title=title,
        severity=severity,
        file=where.file,
        line=where.line,
        key=where.key,
        placeholders={"where": where_to_change(facts.http, name), **placeholders},
    )


def _date(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")


# --- exposure ----------------------------------------------------------------------------


def _external_url_insecure(facts: RemoteAccessFacts, ctx: ScanContext) -> Iterator[Hit]:
    exposure = facts.exposure
    if exposure.external_url is None:
        raise NotApplicable("no external URL is configured")
    if exposure.external_scheme == "http" and exposure.external_host_public:
        yield Hit(
            subject="homeassistant.external_url",
            title=f"External URL {exposure.shown_url} uses plain HTTP",
            key="homeassistant.external_url",
            placeholders={"url": exposure.shown_url or ""},
        )


def _tls_missing(facts: RemoteAccessFacts, ctx: ScanContext) -> Iterator[Hit]:
    exposure = facts.exposure
    if not exposure.external_host_public:
        raise NotApplicable("no external URL names a host outside the local network")
    if facts.http.ssl_certificate or exposure.reverse_proxy or exposure.cloud_remote:
        return
    yield Hit(
        subject="http.ssl_certificate",
        title=f"Reachable at {exposure.shown_url} without TLS",
        key=facts.http.location("ssl_certificate").key,
        file=facts.http.location("ssl_certificate").file,
        placeholders={"detail": f"external URL {exposure.shown_url}"},
    )


# --- the certificate ---------------------------------------------------------------------


def _certificate_unreadable(
    facts: RemoteAccessFacts, ctx: ScanContext
) -> Iterator[Hit]:
    reading = _certificate(facts)
    problems = (
        (
            "certificate",
            "ssl_certificate",
            reading.certificate_file.path,
            reading.certificate_error,
        ),
        ("private key", "ssl_key", reading.key_file.path, reading.key_error),
    )
    for kind, name, path, reason in problems:
        if reason is None:
            continue
        field = "ssl_certificate" if kind == "certificate" else _key_field(reading)
        shown, relative, named = _file_shown(facts, field, path, ctx.config_dir)
        yield Hit(
            subject=f"{kind} {named}",
            title=f"The {kind} {shown} cannot be used: {reason}",
            file=relative,
            key=facts.http.location(name).key,
            placeholders={
                "detail": Markdown(f"{kind} {code(shown)}"),
                "reason": reason,
            },
        )


def _certificate_expired(facts: RemoteAccessFacts, ctx: ScanContext) -> Iterator[Hit]:
    leaf = _leaf(facts)
    if leaf.not_after <= ctx.now:
        expires = _date(leaf.not_after)
        yield _cert_hit(
            facts, ctx, f"Certificate {{file}} expired on {expires}", expires=expires
        )


def _warning_days(ctx: ScanContext) -> int:
    try:
        days = ctx.options.certificate_warning_days
    except (TypeError, ValueError):
        return DEFAULT_CERT_WARNING_DAYS
    return max(days, 0)


def _certificate_expiring(facts: RemoteAccessFacts, ctx: ScanContext) -> Iterator[Hit]:
    leaf = _leaf(facts)
    left = leaf.not_after - ctx.now
    if left <= timedelta(0) or left > timedelta(days=_warning_days(ctx)):
        return
    days = math.ceil(left / timedelta(days=1))
    expires = _date(leaf.not_after)
    yield _cert_hit(
        facts,
        ctx,
        f"Certificate {{file}} expires on {expires}",
        severity=Severity.HIGH if left < timedelta(days=URGENT_DAYS) else None,
        expires=expires,
        days=str(days),
    )


def _certificate_key_mismatch(
    facts: RemoteAccessFacts, ctx: ScanContext
) -> Iterator[Hit]:
    reading = _certificate(facts)
    if reading.key_matches is None:
        raise CheckUnknown("the certificate or its private key cannot be read")
    if not reading.key_matches:
        key_shown, _, _ = _file_shown(
            facts, _key_field(reading), reading.key_file.path, ctx.config_dir
        )
        yield _cert_hit(
            facts,
            ctx,
            f"The private key {key_shown} does not belong to the certificate {{file}}",
            key_file=key_shown,
        )


def _certificate_weak(facts: RemoteAccessFacts, ctx: ScanContext) -> Iterator[Hit]:
    leaf = _leaf(facts)
    weaknesses: list[str] = []
    if leaf.key_type in ("RSA", "DSA") and (leaf.key_size or 0) < MIN_KEY_BITS:
        weaknesses.append(f"{leaf.key_size}-bit {leaf.key_type} key")
    if leaf.signature_hash in WEAK_HASHES:
        weaknesses.append(f"{leaf.signature_hash.upper()} signature")
    if weaknesses:
        detail = ", ".join(weaknesses)
        yield _cert_hit(
            facts, ctx, f"Certificate {{file}} is weak: {detail}", detail=detail
        )


def _certificate_hostname_mismatch(
    facts: RemoteAccessFacts, ctx: ScanContext
) -> Iterator[Hit]:
    leaf = _leaf(facts)
    host = facts.exposure.external_host
    if host is None:
        raise NotApplicable("no external URL to compare the certificate with")
    if host == facts.exposure.cloud_domain or host.endswith(CLOUD_SUFFIX):
        raise NotApplicable(
            "the external URL is Home Assistant Cloud's, which has its own"
        )
    if not hostname_matches(host, leaf.dns_names, leaf.ip_addresses):
        shown = facts.exposure.shown_host or host
        yield _cert_hit(
            facts, ctx, f"Certificate {{file}} does not name {shown}", host=shown
        )


def _certificate_self_signed(
    facts: RemoteAccessFacts, ctx: ScanContext
) -> Iterator[Hit]:
    if _leaf(facts).self_signed:
        yield _cert_hit(facts, ctx, "Certificate {file} is self-signed")


def _certificate_not_loaded(
    facts: RemoteAccessFacts, ctx: ScanContext
) -> Iterator[Hit]:
    reading = _certificate(facts)
    changed = reading.newest_mtime
    if changed is None:
        raise CheckUnknown("the certificate files cannot be read")
    if changed > facts.started_at:
        yield _cert_hit(
            facts,
            ctx,
            "Certificate {file} changed after Home Assistant started",
            changed=_date(changed),
        )


def _private_key_permissions(
    facts: RemoteAccessFacts, ctx: ScanContext
) -> Iterator[Hit]:
    reading = _certificate(facts)
    key_file = reading.key_file
    if key_file.mode is None:
        raise CheckUnknown(f"the private key file cannot be read: {key_file.error}")
    if key_file.mode & 0o044:
        shown, relative, named = _file_shown(
            facts, _key_field(reading), key_file.path, ctx.config_dir
        )
        mode = f"{key_file.mode:04o}"
        yield Hit(
            subject=f"private key {named}",
            title=f"Private key {shown} is readable by other users (mode {mode})",
            file=relative,
            key=facts.http.location("ssl_key").key,
            placeholders={"file": shown, "mode": mode},
        )


# --- the server settings -----------------------------------------------------------------


def _login_threshold_disabled(
    facts: RemoteAccessFacts, ctx: ScanContext
) -> Iterator[Hit]:
    if not facts.http.login_threshold_enabled:
        yield _setting_hit(
            facts,
            "login_attempts_threshold",
            "Failed logins are never banned",
            severity=Severity.HIGH if facts.exposure.exposed else None,
        )


def _ip_ban_disabled(facts: RemoteAccessFacts, ctx: ScanContext) -> Iterator[Hit]:
    if not facts.http.ip_ban_enabled:
        yield _setting_hit(facts, "ip_ban_enabled", "IP banning is disabled")


def _trusted_proxies_broad(facts: RemoteAccessFacts, ctx: ScanContext) -> Iterator[Hit]:
    if not facts.http.use_x_forwarded_for:
        raise NotApplicable("X-Forwarded-For is not used")
    broad = [n for n in facts.http.trusted_proxies if is_broad_network(n)]
    if broad:
        networks = _listing(facts, "trusted_proxies", broad)
        yield _setting_hit(
            facts,
            "trusted_proxies",
            f"Trusted proxies include public networks: {networks}",
            networks=networks,
        )


def _x_frame_options_disabled(
    facts: RemoteAccessFacts, ctx: ScanContext
) -> Iterator[Hit]:
    if not facts.http.use_x_frame_options:
        yield _setting_hit(facts, "use_x_frame_options", "X-Frame-Options is off")


def _cors_origins_extra(facts: RemoteAccessFacts, ctx: ScanContext) -> Iterator[Hit]:
    extra = [o for o in facts.http.cors_allowed_origins if o not in DEFAULT_CORS]
    if extra:
        origins = _listing(facts, "cors_allowed_origins", extra)
        yield _setting_hit(
            facts,
            "cors_allowed_origins",
            f"CORS allows extra origins: {origins}",
            origins=origins,
        )


def _ssl_profile_intermediate(
    facts: RemoteAccessFacts, ctx: ScanContext
) -> Iterator[Hit]:
    """The older, more permissive profile, on releases that do not say so themselves.

    Up to 2026.10 the profiles are `modern` and `intermediate` (Mozilla's guideline 4).
    2026.11 versions them: `intermediate_v6` is its recommended default, and core raises its
    own repair (`ssl_profile_outdated`) for the v4 profiles, which is not repeated here.
    """
    if not facts.http.ssl_certificate:
        raise NotApplicable("Home Assistant serves no TLS itself")
    profile = facts.http.profile
    if profile.outdated:
        raise NotApplicable(
            f"Home Assistant raises its own repair for the outdated {profile.name} profile"
        )
    if profile.kind == "intermediate" and not profile.versioned:
        yield _setting_hit(
            facts, "ssl_profile", "The intermediate TLS profile is in use"
        )


def _check(
    check_id: str,
    severity: Severity,
    inspect: Any,
    url: str = _DOCS,
) -> LegacyCheck[RemoteAccessFacts]:
    return LegacyCheck(
        id=check_id, severity=severity, learn_more_url=url, inspect=inspect
    )


FAMILY: FamilyChecks[RemoteAccessFacts] = FamilyChecks(
    family=Family.REMOTE_ACCESS,
    gather=_async_gather,
    checks=(
        _check(
            "external_url_insecure", Severity.HIGH, _external_url_insecure, _REMOTE_DOCS
        ),
        _check("tls_missing", Severity.HIGH, _tls_missing, _REMOTE_DOCS),
        _check(
            "certificate_unreadable",
            Severity.HIGH,
            _certificate_unreadable,
            f"{_DOCS}#ssl_certificate",
        ),
        _check(
            "certificate_expired",
            Severity.CRITICAL,
            _certificate_expired,
            f"{_DOCS}#ssl_certificate",
        ),
        _check(
            "certificate_expiring",
            Severity.MEDIUM,
            _certificate_expiring,
            f"{_DOCS}#ssl_certificate",
        ),
        _check(
            "certificate_key_mismatch",
            Severity.HIGH,
            _certificate_key_mismatch,
            f"{_DOCS}#ssl_key",
        ),
        _check(
            "certificate_weak",
            Severity.MEDIUM,
            _certificate_weak,
            f"{_DOCS}#ssl_certificate",
        ),
        _check(
            "certificate_hostname_mismatch",
            Severity.MEDIUM,
            _certificate_hostname_mismatch,
            f"{_DOCS}#ssl_certificate",
        ),
        _check(
            "certificate_self_signed",
            Severity.LOW,
            _certificate_self_signed,
            f"{_DOCS}#ssl_certificate",
        ),
        _check(
            "certificate_not_loaded",
            Severity.MEDIUM,
            _certificate_not_loaded,
            f"{_DOCS}#ssl_certificate",
        ),
        _check(
            "private_key_permissions",
            Severity.MEDIUM,
            _private_key_permissions,
            f"{_DOCS}#ssl_key",
        ),
        _check(
            "login_threshold_disabled",
            Severity.MEDIUM,
            _login_threshold_disabled,
            f"{_DOCS}#login_attempts_threshold",
        ),
        _check(
            "ip_ban_disabled",
            Severity.MEDIUM,
            _ip_ban_disabled,
            f"{_DOCS}#ip_ban_enabled",
        ),
        _check(
            "trusted_proxies_broad",
            Severity.HIGH,
            _trusted_proxies_broad,
            f"{_DOCS}#trusted_proxies",
        ),
        _check(
            "x_frame_options_disabled",
            Severity.LOW,
            _x_frame_options_disabled,
            f"{_DOCS}#use_x_frame_options",
        ),
        _check(
            "cors_origins_extra",
            Severity.LOW,
            _cors_origins_extra,
            f"{_DOCS}#cors_allowed_origins",
        ),
        _check(
            "ssl_profile_intermediate",
            Severity.INFO,
            _ssl_profile_intermediate,
            f"{_DOCS}#ssl_profile",
        ),
    ),
    metrics=_metrics,
    metric_names=("certificate_expiry",),
)
