"""The Supervisor faked at the hassio helper boundary that `inspect/supervisor.py` uses.

`get_supervisor_info`, `get_addons_info`, `get_issues_info` and `get_supervisor_client` are
replaced; the client answers `addons.addon_info(slug)` with the fields of aiohasupervisor's
`InstalledAddonComplete` that the reader uses.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from types import SimpleNamespace
from typing import Any
from unittest.mock import AsyncMock, MagicMock, patch

from aiohasupervisor.models import AddonState

SUPERVISOR = "custom_components.security_posture.inspect.supervisor"


def addon_details(
    protected: bool = True,
    options: dict[str, Any] | None = None,
    network: dict[str, int | None] | None = None,
    state: AddonState = AddonState.STARTED,
    **more: Any,
) -> SimpleNamespace:
    """The fields of aiohasupervisor's InstalledAddonComplete that the reader uses."""
    fields: dict[str, Any] = {
        "version": "1.0.0",
        "host_network": False,
        "ingress": False,
        "ingress_port": None,
        "webui": None,
    }
    return SimpleNamespace(
        protected=protected,
        options=options or {},
        network=network,
        state=state,
        **(fields | more),
    )


@contextmanager
def mocked_supervisor(
    *,
    addons: list[dict[str, Any]] | None = None,
    details: dict[str, SimpleNamespace | Exception] | None = None,
    cached: dict[str, dict[str, Any]] | None = None,
    issues: Any = None,
    resolution: Any = None,
    info: Any = "default",
) -> Iterator[MagicMock]:
    """Patch the hassio helpers our reader uses; the client answers from `details`."""
    details = details or {}

    async def addon_info(slug: str) -> SimpleNamespace:
        answer = details[slug]
        if isinstance(answer, Exception):
            raise answer
        return answer

    client = MagicMock()
    client.addons.addon_info = AsyncMock(side_effect=addon_info)
    if isinstance(resolution, Exception):
        client.resolution.info = AsyncMock(side_effect=resolution)
    else:
        client.resolution.info = AsyncMock(return_value=resolution)
    supervisor_info = {"addons": addons or []} if info == "default" else info
    with (
        patch(f"{SUPERVISOR}.is_hassio", return_value=True),
        patch(f"{SUPERVISOR}.get_supervisor_info", return_value=supervisor_info),
        patch(f"{SUPERVISOR}.get_addons_info", return_value=cached),
        patch(f"{SUPERVISOR}.get_issues_info", return_value=issues),
        patch(f"{SUPERVISOR}.get_supervisor_client", return_value=client),
    ):
        yield client
