# Shared by the scripts: find the Pythons and build the virtual environments.
# shellcheck shell=bash
#
# Two Home Assistant ends:
# - the floor, Home Assistant 2025.4.4 (hacs.json's minimum), on Python 3.13: .venv
# - the newest, on Python 3.14: .venv-newest (the newest pytest-homeassistant-custom-component)
#   and .venv-hass (the newest Home Assistant release, for the real-process tests and
#   scripts/develop).
#
# The newest end needs Python >= 3.14.2. Where one is on the PATH (or PYTHON_NEWEST names
# one), it is used directly. Otherwise, as root, the scripts build Debian unstable's Python
# 3.14 in a chroot kept in a cache folder ($SECURITY_POSTURE_CACHE, by default
# ~/.cache/security-posture) and run the newest end inside it, with this checkout mounted at
# the same path. SKIP_NEWEST=1 skips the newest end instead.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
VENV_NEWEST="$ROOT/.venv-newest"
VENV_HASS="$ROOT/.venv-hass"
CACHE="${SECURITY_POSTURE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/security-posture}"
CHROOT="$CACHE/sid-py314"
# The newest Home Assistant needs this Python at least (homeassistant.const.REQUIRED_PYTHON_VER).
NEWEST_PYTHON_MIN="3.14.2"

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
  echo "error: Python 3.13 is required for the floor (Home Assistant 2025.4.4) and none was found." >&2
  echo "       Install it (for example 'pyenv install 3.13') or set PYTHON=/path/to/python3.13." >&2
  return 1
}

# A Python >= 3.14.2 on this machine itself (not in the chroot), or nothing.
find_newest_python() {
  local candidate
  for candidate in "${PYTHON_NEWEST:-}" python3.14 python3.15 python3; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 &&
      "$candidate" -c "import sys; sys.exit(sys.version_info[:3] < (${NEWEST_PYTHON_MIN//./, }))" 2>/dev/null; then
      command -v "$candidate"
      return 0
    fi
  done
  return 1
}

# ensure_venv DIR REQUIREMENTS [PYTHON]: create DIR with PYTHON (default: the floor's Python
# 3.13) and install REQUIREMENTS into it unless the installed set already matches the file.
ensure_venv() {
  local dir="$1" requirements="$2" python="${3:-}"
  local stamp="$dir/.requirements.sha256"
  local want
  want="$(sha256sum <"$requirements" | cut -d' ' -f1)"
  if [ -x "$dir/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] &&
    "$dir/bin/python" -c '' 2>/dev/null; then
    return 0
  fi
  if [ -z "$python" ]; then
    python="$(find_python)" || return 1
  fi
  echo "Building $(basename "$dir") with $python ($("$python" -V 2>&1)) from $(basename "$requirements") ..." >&2
  rm -rf "$dir"
  "$python" -m venv "$dir" || return 1
  "$dir/bin/python" -m pip install --quiet --disable-pip-version-check uv || return 1
  VIRTUAL_ENV="$dir" "$dir/bin/uv" pip install --quiet -r "$requirements" || return 1
  echo "$want" >"$stamp"
}

# How the newest end runs here: "host" (a Python >= 3.14.2 on this machine), "chroot"
# (Debian unstable's, built as root), or a message on stderr and status 1.
newest_mode() {
  if find_newest_python >/dev/null; then
    echo host
  elif [ -f "$CHROOT/.ready" ] || [ "$(id -u)" -eq 0 ]; then
    echo chroot
  else
    cat >&2 <<EOF
error: the newest Home Assistant needs Python >= $NEWEST_PYTHON_MIN, and none was found.
       Put one on the PATH (or set PYTHON_NEWEST=/path/to/python3.14), or run as root so that
       the scripts can build one in a Debian unstable chroot under $CACHE,
       or set SKIP_NEWEST=1 to run the floor (Home Assistant 2025.4.4) only.
EOF
    return 1
  fi
}

# The Debian mirror apt already uses here (the chroot is built from the same one).
debian_mirror() {
  local uri
  uri="$(grep -hsE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' |
    grep -v -- '-security' | head -n 1)"
  [ -n "$uri" ] || uri="$(grep -hsE '^deb ' /etc/apt/sources.list 2>/dev/null | awk '{print $2}' |
    grep -v -- '-security' | head -n 1)"
  echo "${uri:-http://deb.debian.org/debian}"
}

# True while anything is mounted at or below $1 in this mount namespace.
has_mounts_below() {
  awk -v dir="$1" '$5 == dir || index($5, dir "/") == 1 { found = 1 } END { exit !found }' \
    /proc/self/mountinfo
}

# Build Debian unstable's Python 3.14 in $CHROOT (about a minute), once.
ensure_chroot() {
  [ -f "$CHROOT/.ready" ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "error: building the Python 3.14 chroot needs root; see scripts/_env.sh." >&2
    return 1
  fi
  local tmp="$CHROOT.partial" mirror
  mirror="$(debian_mirror)"
  if ! command -v debootstrap >/dev/null 2>&1; then
    echo "Installing debootstrap (apt-get) ..." >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null ||
      { echo "error: could not install debootstrap." >&2; return 1; }
  fi
  if [ -e "$tmp" ]; then
    # Never delete a folder with something mounted inside (a bound /dev would go with it).
    if has_mounts_below "$tmp"; then
      echo "error: $tmp has mounts inside; unmount them (umount -R $tmp) and retry." >&2
      return 1
    fi
    rm -rf --one-file-system "$tmp"
  fi
  mkdir -p "$CACHE"
  echo "Building Python 3.14 from Debian unstable in $CHROOT ($mirror; about a minute) ..." >&2
  if ! debootstrap --variant=minbase \
    --include=python3,python3-venv,python3-dev,ca-certificates,g++,git \
    sid "$tmp" "$mirror" >"$CACHE/debootstrap.log" 2>&1; then
    echo "error: debootstrap failed; see $CACHE/debootstrap.log" >&2
    return 1
  fi
  if ! chroot "$tmp" /usr/bin/python3 -c \
    "import sys; sys.exit(sys.version_info[:3] < (${NEWEST_PYTHON_MIN//./, }))"; then
    echo "error: Debian unstable's Python in $tmp is older than $NEWEST_PYTHON_MIN." >&2
    return 1
  fi
  mv "$tmp" "$CHROOT"
  touch "$CHROOT/.ready"
}

# in_chroot CMD...: run CMD in $CHROOT, in this checkout (mounted at the same path), as root.
# The checkout's sibling folder ../shared (the corpus of configurations the tests compare on,
# ../shared/corpus), when there is one, is mounted read-only at its same path too.
# The mounts (/proc, /dev, the checkout, ../shared) live in a private mount namespace of their
# own: they are never visible outside it, are unmounted by the trap on every exit path, and
# vanish with the namespace in any case.
in_chroot() {
  ensure_chroot || return 1
  cp /etc/resolv.conf "$CHROOT/etc/resolv.conf" 2>/dev/null || true
  # This machine's CA bundle, which may hold a local proxy's authority, for pip, uv and apt.
  local bundle="${SSL_CERT_FILE:-/etc/ssl/certs/ca-certificates.crt}"
  [ -f "$bundle" ] && cp "$bundle" "$CHROOT/etc/ssl/certs/ca-certificates.crt"
  mkdir -p "$CHROOT$ROOT"
  local shared
  shared="$(dirname "$ROOT")/shared"
  if [ -d "$shared" ]; then
    mkdir -p "$CHROOT$shared"
  else
    shared=""
  fi
  local -a pass=(SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt
    REQUESTS_CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt)
  local name
  for name in CI TERM PYTEST_ADDOPTS http_proxy https_proxy no_proxy HTTP_PROXY HTTPS_PROXY \
    NO_PROXY PIP_INDEX_URL PIP_EXTRA_INDEX_URL UV_INDEX_URL UV_EXTRA_INDEX_URL; do
    [ -n "${!name:-}" ] && pass+=("$name=${!name}")
  done
  unshare --mount --propagation private -- bash -c '
    set -eu
    chroot_dir=$1 root=$2 shared=$3
    shift 3
    cleanup() {
      [ -z "$shared" ] || umount -R "$chroot_dir$shared" 2>/dev/null || true
      umount -R "$chroot_dir$root" "$chroot_dir/proc" "$chroot_dir/dev" 2>/dev/null || true
    }
    trap cleanup EXIT
    mount --rbind /dev "$chroot_dir/dev"
    mount -t proc proc "$chroot_dir/proc"
    mount --bind "$root" "$chroot_dir$root"
    if [ -n "$shared" ]; then
      mount --bind "$shared" "$chroot_dir$shared"
      mount -o remount,bind,ro "$chroot_dir$shared"
    fi
    status=0
    chroot "$chroot_dir" "$@" || status=$?
    exit "$status"
  ' in_chroot "$CHROOT" "$ROOT" "$shared" /usr/bin/env -i HOME=/root LANG=C.UTF-8 \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "${pass[@]}" \
    /bin/bash -c 'cd "$0" && exec "$@"' "$ROOT" "$@"
}

# in_newest CMD...: run CMD (in this checkout) where the newest Python is: on this machine,
# or in the chroot. Inside, NEWEST_PYTHON names that Python.
in_newest() {
  local mode python
  mode="$(newest_mode)" || return 1
  if [ "$mode" = host ]; then
    python="$(find_newest_python)"
    (cd "$ROOT" && NEWEST_PYTHON="$python" "$@")
  else
    in_chroot /usr/bin/env NEWEST_PYTHON=/usr/bin/python3 "$@"
  fi
}
