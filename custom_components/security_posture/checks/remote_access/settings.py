"""What the checks of one HTTP setting share: where it is changed, how values are shown.

Nothing here asks Home Assistant: the release that read the settings says whether they are
changed in Settings (2026.8 and later) or in the YAML, so the command-line scanner runs
these checks too. Values of a setting that came from `secrets.yaml` are only counted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from ...inspect.http_values import SOURCE_PENDING, SOURCE_STABLE, YAML_FILE
from ...markdown import Markdown, code
from ...model import Hit

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ...inspect.http_values import HttpSettings
    from ...model import Severity

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


def listing(http: HttpSettings, field: str, values: Sequence[object]) -> str:
    """Values of a setting for people; those from `secrets.yaml` are only counted."""
    shown = [str(v) for v in values if not http.secret(field, v)]
    if hidden := len(values) - len(shown):
        shown.append(f"{hidden} set in secrets.yaml (not shown)")
    return ", ".join(shown)


def _in_settings_ui(http: HttpSettings, release: tuple[int, int] | None) -> bool:
    """Whether the release changes HTTP settings in Settings -> System -> Network."""
    if release is not None:
        return release >= HTTP_SETTINGS_UI
    if http.release is not None:  # the release that read them: the one that runs
        return http.release.migrates_yaml  # 2026.8, as HTTP_SETTINGS_UI
    # Settings made by hand (tests): the running release's.
    from ...inspect.http_settings import running_release  # noqa: PLC0415

    return running_release().migrates_yaml


def where_to_change(
    http: HttpSettings, name: str, release: tuple[int, int] | None = None
) -> str:
    """Where people change one HTTP setting: the network settings, or the YAML file.

    `release` (major, minor) defaults to the release that read the settings.
    """
    if http.base in (SOURCE_STABLE, SOURCE_PENDING) or _in_settings_ui(http, release):
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


def setting_hit(
    http: HttpSettings,
    name: str,
    title: str,
    severity: Severity | None = None,
    **placeholders: str,
) -> Hit:
    """A hit about one HTTP setting, located where it is changed, with `{where}` set.

    `{where}` says where people change it (not which file or storage slot it was read from).
    """
    where = http.location(name)
    return Hit(
        subject=f"http.{name}",
        title=title,
        severity=severity,
        file=where.file,
        line=where.line,
        key=where.key,
        placeholders={"where": where_to_change(http, name), **placeholders},
    )
