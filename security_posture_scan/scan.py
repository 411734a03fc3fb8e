"""Read the facts from the configuration's files alone and run the integration's checks.

The facts are gathered by the integration's own readers, the way its fact providers gather
them inside Home Assistant, less what only a running instance knows:

- the configuration graph and the credentials written into it;
- the HTTP settings as the `http:` block gives them (with its includes, packages, `!secret`
  and `!env_var` values), read as `release` reads the YAML: there is no `.storage/http`
  and no running server here;
- the exposure decision from those settings and the external URL written in
  `homeassistant:` (Home Assistant Cloud's remote UI cannot be seen from the files);
- what git would carry of `secrets.yaml` and `.storage/`, and the names under `www/`.

Each check is the integration's `CHECK`, run by the engine's own `run_check`.
"""

# Paths are joined lexically, as the graph names them.
# ruff: noqa: PTH117, PTH118

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
import importlib
import os
from typing import TYPE_CHECKING, Any, Final, cast

from custom_components.security_posture.engine import (
    Check,
    CheckUnknown,
    Fact,
    Facts,
    run_check,
)
from custom_components.security_posture.inspect.config_facts import (
    CONFIG_GRAPH,
    INLINE_CREDENTIALS,
)
from custom_components.security_posture.inspect.config_graph import CONFIG_YAML
from custom_components.security_posture.inspect.credentials import scan_files
from custom_components.security_posture.inspect.exposure import (
    EXPOSURE,
    core_uses_secret,
    decide_exposure,
)
from custom_components.security_posture.inspect.git_state import (
    GIT_STATE,
    git_state_of,
)
from custom_components.security_posture.inspect.graph_reader import read_config_graph
from custom_components.security_posture.inspect.http_layouts import (
    decide_settings,
    with_secret_values,
)
from custom_components.security_posture.inspect.http_releases import FIELDS
from custom_components.security_posture.inspect.http_settings import HTTP_SETTINGS
from custom_components.security_posture.inspect.http_values import (
    YAML_FILE,
    Location,
)
from custom_components.security_posture.inspect.http_yaml_secrets import (
    SecretsUnreadable,
    read_secret_values,
    read_yaml_http,
)
from custom_components.security_posture.inspect.www_files import (
    WWW_LISTING,
    www_notes,
    www_state_of,
)
from custom_components.security_posture.inspect.yaml_nodes import SecretRef, YamlMap
from custom_components.security_posture.model import (
    CheckResult,
    Family,
    Finding,
    Note,
    Status,
)

from . import INTEGRATION

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from pathlib import Path

    from custom_components.security_posture.inspect.config_graph import ConfigGraph
    from custom_components.security_posture.inspect.credentials import Credential
    from custom_components.security_posture.inspect.exposure import Exposure
    from custom_components.security_posture.inspect.http_releases import HttpRelease
    from custom_components.security_posture.inspect.http_values import HttpSettings
    from custom_components.security_posture.inspect.www_files import WwwState

CHECKS: Final = (
    "secrets.inline_credential",
    "secrets.secret_undefined",
    "secrets.secret_unused",
    "secrets.secrets_not_ignored",
    "secrets.secrets_served",
    "remote_access.login_threshold_disabled",
    "remote_access.ip_ban_disabled",
    "remote_access.trusted_proxies_broad",
    "remote_access.x_frame_options_disabled",
    "remote_access.cors_origins_extra",
    "remote_access.ssl_profile_intermediate",
)
"""The checks that need nothing but files, as modules of the integration's `checks`."""

SETTINGS_JUDGED: Final = {
    "login_threshold_disabled": ("login_attempts_threshold",),
    "ip_ban_disabled": ("ip_ban_enabled",),
    "trusted_proxies_broad": ("use_x_forwarded_for", "trusted_proxies"),
    "x_frame_options_disabled": ("use_x_frame_options",),
    "cors_origins_extra": ("cors_allowed_origins",),
    "ssl_profile_intermediate": ("ssl_profile", "ssl_certificate"),
}
"""The HTTP settings each setting check judges."""
NOT_IN_FILES: Final = (
    "not written in the http: block; from 2026.8 Home Assistant keeps the HTTP settings "
    "in .storage/http (Settings -> System -> Network), which the files do not show"
)
"""Why a setting check is unknown when the release keeps its setting out of the files."""


def load_checks(names: Iterable[str] = CHECKS) -> tuple[Check, ...]:
    """The integration's checks of these modules (`<family>.<check_id>`)."""
    return tuple(
        importlib.import_module(f"{INTEGRATION}.checks.{name}").CHECK for name in names
    )


@dataclass(frozen=True, kw_only=True)
class ScanResult:
    """What the scan found: one result per check, the findings, what could not be read."""

    checks: tuple[CheckResult, ...]
    findings: tuple[Finding, ...]
    notes: tuple[Note, ...]
    unscannable: str | None = None
    """Why `configuration.yaml` itself cannot be read, if it cannot."""


@dataclass(kw_only=True)
class FileFacts:
    """The facts of one configuration directory, each read once, on first use."""

    config_dir: Path
    release: HttpRelease
    notes: list[Note] = field(default_factory=list)
    _known: dict[Fact[object], object] = field(default_factory=dict)
    _failed: dict[Fact[object], str] = field(default_factory=dict)

    def get(self, fact: Fact[object]) -> object:
        """The fact's value; `CheckUnknown` when it cannot be read from the files."""
        if fact in self._failed:
            raise CheckUnknown(self._failed[fact])
        if fact not in self._known:
            try:
                self._known[fact] = self._readers()[fact]()
            except CheckUnknown as err:
                self._failed[fact] = str(err)
                raise
        return self._known[fact]

    def _readers(self) -> dict[Fact[object], Callable[[], object]]:
        return {
            CONFIG_GRAPH: self._graph,
            INLINE_CREDENTIALS: self._credentials,
            HTTP_SETTINGS: self._http_settings,
            EXPOSURE: self._exposure,
            GIT_STATE: lambda: git_state_of(self.config_dir),
            WWW_LISTING: self._www,
        }

    def _note(self, family: Family, reason: str, file: str | None) -> None:
        self.notes.append(Note(family=family, reason=reason, file=file))

    def graph(self) -> ConfigGraph:
        """The configuration graph (`CONFIG_GRAPH`)."""
        return cast("ConfigGraph", self.get(CONFIG_GRAPH))

    def _graph(self) -> ConfigGraph:
        graph = read_config_graph(self.config_dir, {})
        for problem in graph.problems:
            self._note(Family.SECRETS, problem.reason, problem.file)
        return graph

    def _credentials(self) -> tuple[Credential, ...]:
        graph = self.graph()
        if graph.root_problem is not None:
            raise CheckUnknown(graph.root_problem)
        return scan_files(graph.files, {})

    def _http_settings(self) -> HttpSettings:
        graph = self.graph()
        if graph.root_problem is not None:
            raise CheckUnknown(graph.root_problem)
        reading = read_yaml_http(self.config_dir, graph, FIELDS)
        for reason, file in reading.notes:
            self._note(Family.REMOTE_ACCESS, reason, file)
        where = {
            name: Location(file=file or YAML_FILE, line=line, key=f"http.{name}")
            for name, (file, line) in reading.origins.items()
        }
        settings = decide_settings(
            stored=None,
            yaml_block=reading.block,
            yaml_where=where,
            recovery_mode=False,
            release=self.release,
        )
        return with_secret_values(settings, reading.from_secrets)

    def _www(self) -> WwwState:
        www = www_state_of(self.config_dir)
        for reason, file in www_notes(www):
            self._note(Family.SECRETS, reason, file)
        return www

    def _exposure(self) -> Exposure:
        graph = self.graph()
        settings = cast("HttpSettings", self.get(HTTP_SETTINGS))
        url_from_secrets = core_uses_secret(graph, "external_url")
        exposure = decide_exposure(
            external_url=_external_url(self.config_dir, graph),
            cloud_domain=None,
            settings=settings,
        )
        if url_from_secrets:
            exposure = replace(exposure, url_from_secrets=True)
        return exposure


def _external_url(config_dir: Path, graph: ConfigGraph) -> str | None:
    """`homeassistant: external_url:` as written, or from the `secrets.yaml` that defines it."""
    config = graph.file(CONFIG_YAML)
    if config is None or not isinstance(config.root, YamlMap):
        return None
    core = graph.includes().follow(config.root.get("homeassistant"))
    value: Any = core.get("external_url") if isinstance(core, YamlMap) else None
    if isinstance(value, SecretRef):
        value = _secret_value(config_dir, graph, value)
    return value if isinstance(value, str) else None


def _secret_value(config_dir: Path, graph: ConfigGraph, ref: SecretRef) -> Any:
    use = next(
        (
            u
            for u in graph.secret_uses
            if (u.name, u.file, u.line) == (ref.name, ref.file, ref.line)
        ),
        None,
    )
    if use is None or use.defined_in is None:
        return None
    path = use.defined_in
    if not os.path.isabs(path):
        path = os.path.join(str(config_dir), path)
    try:
        values = read_secret_values(path, use.defined_in, frozenset({ref.name}))
    except SecretsUnreadable:
        return None
    return values.get(ref.name)


def scan(
    config_dir: Path,
    *,
    release: HttpRelease,
    checks: Iterable[Check] | None = None,
    disabled: frozenset[str] = frozenset(),
    now: datetime | None = None,
) -> ScanResult:
    """Run `checks` (by default the file checks) on `config_dir` (blocking).

    A check in `disabled` is reported disabled and its facts are not read for it.
    """
    facts = FileFacts(config_dir=config_dir, release=release)
    moment = now or datetime.now(UTC)
    results: list[CheckResult] = []
    findings: list[Finding] = []
    for check in load_checks() if checks is None else checks:
        if check.id in disabled:
            results.append(
                CheckResult(check=check.id, family=check.family, status=Status.DISABLED)
            )
            continue
        try:
            values = {fact: facts.get(fact) for fact in check.needs}
            _judged_from_files(check, values, release)
        except CheckUnknown as err:
            results.append(
                CheckResult(
                    check=check.id,
                    family=check.family,
                    status=Status.UNKNOWN,
                    reason=str(err),
                )
            )
            continue
        results.append(run_check(check, Facts(values, now=moment), findings))
    return ScanResult(
        checks=tuple(results),
        findings=tuple(findings),
        notes=tuple(facts.notes),
        unscannable=_unscannable(facts),
    )


def _judged_from_files(
    check: Check, values: dict[Fact[object], object], release: HttpRelease
) -> None:
    """`CheckUnknown` when `check` would judge a default the files do not decide.

    Up to 2026.7 the http: block is the configuration: a setting it leaves out has its
    default. From 2026.8 it is moved into `.storage/http` and changed in Settings, so a
    setting the block does not write may have any value.
    """
    fields = SETTINGS_JUDGED.get(check.id)
    if fields is None or not release.migrates_yaml:
        return
    settings = cast("HttpSettings", values[HTTP_SETTINGS])
    if not any(name in settings.locations for name in fields):
        raise CheckUnknown(NOT_IN_FILES)


def _unscannable(facts: FileFacts) -> str | None:
    """Why configuration.yaml cannot be read (the graph is read for this if not yet)."""
    return facts.graph().root_problem
