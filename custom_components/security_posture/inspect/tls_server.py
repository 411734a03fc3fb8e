"""What the TLS server and its clients make of a certificate.

The server: Home Assistant builds a TLS context for its profile and loads the pair into it
at start (`server_context`, `server_refuses`); what OpenSSL's security level rejects there
the server refuses. A client: the certificate must name the host it connects to
(`hostname_matches`, RFC 6125).
"""

from __future__ import annotations

from ipaddress import ip_address
import os
import ssl
from typing import TYPE_CHECKING

from homeassistant.util import ssl as ssl_util

if TYPE_CHECKING:
    from collections.abc import Iterable


def server_context(ssl_profile: str) -> ssl.SSLContext:
    """The server TLS context Home Assistant builds for `ssl_profile` (blocking).

    2025.4 - 2026.10: `server_context_modern()` / `server_context_intermediate()` for the
    profiles `modern` and `intermediate`. 2026.11: `server_context(SSLProfile)` for the
    versioned profiles (`modern_v4`, `intermediate_v6`, ...), the old names meaning v4.
    A name the release does not know gets a plain server context: it cannot be the one
    that runs, and loading the certificate does not depend on the profile.
    """
    make = getattr(ssl_util, "server_context", None)
    profiles = getattr(ssl_util, "SSLProfile", None)
    if make is not None and profiles is not None:
        name = {"modern": "modern_v4", "intermediate": "intermediate_v4"}.get(
            ssl_profile, ssl_profile
        )
        try:
            profile = profiles(name)
        except ValueError:
            return ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context: ssl.SSLContext = make(profile)
        return context
    if ssl_profile.startswith("intermediate"):
        return ssl_util.server_context_intermediate()
    return ssl_util.server_context_modern()


def _in_memory(data: bytes) -> int:
    """A memory file holding `data` (Linux), for OpenSSL to load by its /proc path."""
    fd = os.memfd_create("security-posture", getattr(os, "MFD_CLOEXEC", 0))
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    except BaseException:
        os.close(fd)
        raise
    return fd


def server_refuses(
    cert_data: bytes, key_data: bytes | None, ssl_profile: str
) -> str | None:
    """Why the server's TLS context refuses the pair (blocking), or None when it loads it.

    This is what Home Assistant does at start (`load_cert_chain` on the context of its
    profile): it catches what OpenSSL's security level rejects, such as keys that are too
    small. A password callback makes sure OpenSSL never waits for a passphrase.
    OpenSSL loads the bytes already read and checked, from memory files: opening the paths
    again would let a file swapped for a FIFO meanwhile block it. Without memory files
    (not Linux) the check is skipped.
    """
    if not hasattr(os, "memfd_create"):
        return None  # pragma: no cover - Home Assistant's supported systems have them
    context = server_context(ssl_profile)
    fds: list[int] = []
    try:
        fds.append(_in_memory(cert_data))
        if key_data is not None:
            fds.append(_in_memory(key_data))
        paths = [f"/proc/self/fd/{fd}" for fd in fds]
        context.load_cert_chain(
            paths[0], paths[1] if len(paths) > 1 else None, password=lambda: b""
        )
    except ssl.SSLError as err:
        reason = (err.reason or "TLS error").replace("_", " ").lower()
        return f"the server refuses it ({reason})"
    except (OSError, ValueError) as err:
        return f"the server cannot load it ({type(err).__name__})"
    finally:
        for fd in fds:
            os.close(fd)
    return None


# --- names -------------------------------------------------------------------------------


def _label_match(pattern: str, host: str) -> bool:
    """RFC 6125: a wildcard is the whole left-most label and matches exactly one label."""
    if not pattern.startswith("*."):
        return pattern == host
    suffix = pattern[1:]  # ".example.com"
    if "*" in suffix or suffix.count(".") < 2:  # noqa: PLR2004 - no "*.com"
        return False
    label, _, rest = host.partition(".")
    return bool(label) and f".{rest}" == suffix


def hostname_matches(
    host: str, dns_names: Iterable[str], ip_addresses: Iterable[str]
) -> bool:
    """Whether a certificate with these names is valid for `host` (a name or an address)."""
    wanted = host.strip("[]").rstrip(".").lower()
    try:
        address = ip_address(wanted)
    except ValueError:
        return any(
            _label_match(str(name).rstrip(".").lower(), wanted) for name in dns_names
        )
    return any(_same_address(address, other) for other in ip_addresses)


def _same_address(address: object, other: str) -> bool:
    try:
        return ip_address(other) == address
    except ValueError:
        return False
