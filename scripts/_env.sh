# Shared by the scripts: find a Python 3.13 and build the virtual environments.
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
VENV_NEXT="$ROOT/.venv-next"

find_python() {
  local candidate
  for candidate in "${PYTHON:-}" python3.13 \
    "$(command -v pyenv >/dev/null 2>&1 && pyenv root)"/versions/3.13*/bin/python3.13 \
    "$HOME"/.pyenv/versions/3.13*/bin/python3.13 /usr/local/bin/python3.13 /usr/bin/python3.13; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 &&
      "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 13))' 2>/dev/null; then
      command -v "$candidate"
      return 0
    fi
  done
  echo "error: Python 3.13 is required and none was found." >&2
  echo "       Install it (for example 'pyenv install 3.13') or set PYTHON=/path/to/python3.13." >&2
  return 1
}

# ensure_venv DIR REQUIREMENTS [extra uv arguments...]: create DIR and install REQUIREMENTS
# into it unless the installed set already matches the requirements file.
ensure_venv() {
  local dir="$1" requirements="$2"
  shift 2
  local stamp="$dir/.requirements.sha256"
  local want
  want="$(cat "$requirements" | sha256sum | cut -d' ' -f1)"
  if [ -x "$dir/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    return 0
  fi
  local python
  python="$(find_python)" || return 1
  echo "Building $(basename "$dir") with $python from $(basename "$requirements") ..." >&2
  rm -rf "$dir"
  "$python" -m venv "$dir" || return 1
  "$dir/bin/python" -m pip install --quiet --disable-pip-version-check uv || return 1
  VIRTUAL_ENV="$dir" "$dir/bin/uv" pip install --quiet -r "$requirements" "$@" || return 1
  echo "$want" >"$stamp"
}
