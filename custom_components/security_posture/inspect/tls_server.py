"""Whether Home Assistant's TLS server would load a certificate and its key.

Home Assistant builds its server context for the configured `ssl_profile` and calls
`load_cert_chain` at start; OpenSSL's security level refuses, for example, keys that are too
small. `server_refuses` does the same on the bytes already read (blocking).
"""

from __future__ import annotations

import os
import ssl

from homeassistant.util import ssl as ssl_util


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
