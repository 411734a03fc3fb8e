"""The registry of checks: every module `checks/<family>/<check_id>.py` with a `CHECK`.

Nothing is listed by hand. Modules are found by walking the family packages; a module may
also declare `METRICS`, a tuple of `Metric`s for sensors. Checks come in report order:
by family (the order of `Family`), then by id.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import TYPE_CHECKING, Final

from ..engine import Check, Fact, FixFlowFactory, Metric
from ..model import Family

if TYPE_CHECKING:
    from types import ModuleType

_PACKAGE: Final = __name__.rpartition(".")[0]
"""The package of the checks, whose family packages are walked."""


def _modules() -> list[ModuleType]:
    """Every module of every family package (imported here: the executor imports us)."""
    found: list[ModuleType] = []
    checks = importlib.import_module(_PACKAGE)
    for package_info in pkgutil.iter_modules(checks.__path__):
        if not package_info.ispkg:
            continue
        package = importlib.import_module(f"{_PACKAGE}.{package_info.name}")
        found.extend(
            importlib.import_module(f"{package.__name__}.{info.name}")
            for info in pkgutil.iter_modules(package.__path__)
        )
    return found


def _discover() -> tuple[tuple[Check, ...], tuple[Metric[object], ...]]:
    checks: list[Check] = []
    metrics: list[Metric[object]] = []
    for module in _modules():
        if isinstance(check := getattr(module, "CHECK", None), Check):
            checks.append(check)
        metrics.extend(getattr(module, "METRICS", ()))
    order = {family: index for index, family in enumerate(Family)}
    checks.sort(key=lambda check: (order[check.family], check.id))
    return tuple(checks), tuple(metrics)


CHECKS, METRICS = _discover()
CHECK_IDS: Final = tuple(check.id for check in CHECKS)
BY_ID: Final = {check.id: check for check in CHECKS}
FIXES: Final[dict[str, FixFlowFactory]] = {
    check.id: check.fix for check in CHECKS if check.fix is not None
}
"""The fix flow of each check that has one (the others offer to accept the risk)."""


def facts_needed() -> tuple[Fact[object], ...]:
    """Every fact a check or a metric declares (to subscribe to their changes)."""
    seen: dict[Fact[object], None] = {}
    for needs in [check.needs for check in CHECKS] + [m.needs for m in METRICS]:
        seen.update(dict.fromkeys(needs))
    return tuple(seen)
