#!/usr/bin/env bash
# Runs where the newest Python is (this machine or the chroot, see _env.sh): build the newest
# environments, then run the command given with them on the PATH.
#   _newest.sh test [pytest arguments]   the suite on the newest end
#   _newest.sh hass [hass arguments]     the newest Home Assistant release
#   _newest.sh run CMD...                any command, with .venv-hass's Python as PY
#   _newest.sh bench [bench arguments]   scripts/bench.py on the newest end
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_env.sh"
cd "$ROOT"
what="$1"
shift
case "$what" in
  test)
    ensure_venv "$VENV_NEWEST" "$ROOT/requirements_newest.txt" "$NEWEST_PYTHON"
    ensure_venv "$VENV_HASS" "$ROOT/requirements_hass.txt" "$NEWEST_PYTHON"
    echo "== pytest on Home Assistant $("$VENV_NEWEST/bin/python" -c 'from homeassistant.const import __version__; print(__version__)')" \
      "(Python $("$VENV_NEWEST/bin/python" -c 'import platform; print(platform.python_version())')), real processes on" \
      "$("$VENV_HASS/bin/python" -c 'from homeassistant.const import __version__; print(__version__)')"
    export SECURITY_POSTURE_E2E_PYTHON="$VENV_HASS/bin/python"
    exec "$VENV_NEWEST/bin/python" -m pytest -q -p no:cacheprovider "$@"
    ;;
  hass)
    ensure_venv "$VENV_HASS" "$ROOT/requirements_hass.txt" "$NEWEST_PYTHON"
    exec "$VENV_HASS/bin/hass" "$@"
    ;;
  bench)
    ensure_venv "$VENV_NEWEST" "$ROOT/requirements_newest.txt" "$NEWEST_PYTHON"
    if ! "$VENV_NEWEST/bin/python" -c "import matplotlib" 2>/dev/null; then
      echo "Installing matplotlib into .venv-newest for the plot ..." >&2
      VIRTUAL_ENV="$VENV_NEWEST" "$VENV_NEWEST/bin/uv" pip install --quiet matplotlib
    fi
    exec "$VENV_NEWEST/bin/python" "$ROOT/scripts/bench.py" "$@"
    ;;
  run)
    ensure_venv "$VENV_HASS" "$ROOT/requirements_hass.txt" "$NEWEST_PYTHON"
    PY="$VENV_HASS/bin/python" exec "$@"
    ;;
  *)
    echo "usage: _newest.sh test|hass|bench|run ..." >&2
    exit 2
    ;;
esac
