"""Security Posture's file checks of a Home Assistant configuration, as a command.

`python -m security_posture_scan CONFIG_DIR` (or `security-posture-scan`, its console
script) runs the checks that need nothing but the files: credentials written into the
configuration, undefined and unused secrets, `secrets.yaml` committed to git or served
under `www/`, and the HTTP settings written in YAML. It needs PyYAML and yarl, never
Home Assistant (nor annotatedyaml, its YAML loader).

The checks and readers are the integration's own modules. The integration's package
(`custom_components.security_posture`) imports Home Assistant in its `__init__`, so it is
registered here as a bare package: its modules load, its `__init__` does not run. Inside a
process where the integration is already imported (its tests), the real package is used.
The checks' package (`.checks`) imports nothing; its registry (`.checks.registry`), which
imports every check, is not used here.
"""

from __future__ import annotations

import importlib.util
import sys
from typing import Final

INTEGRATION: Final = "custom_components.security_posture"


def _register_bare(name: str) -> None:
    """Make `name`'s modules importable without running the package's `__init__`."""
    if name in sys.modules:
        return
    try:
        spec = importlib.util.find_spec(name)
    except ModuleNotFoundError:
        spec = None
    if spec is None or spec.submodule_search_locations is None:
        raise ModuleNotFoundError(f"{name} is not installed", name=name)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    parent, _, child = name.rpartition(".")
    setattr(sys.modules[parent], child, module)


_register_bare(INTEGRATION)
