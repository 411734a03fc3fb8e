"""The remote access family: the HTTP server and TLS as they really run.

Facts: the effective HTTP settings (`inspect.http_settings`: the running server, then
`.storage/http` or the `http:` block, then the defaults), whether the instance is reachable
from outside (`inspect.exposure`), the certificate and key read from their files
(`inspect.certificates`) and when Home Assistant started (`inspect.process`).

Certificate checks pass with a reason when no certificate is configured, and are unknown when
the certificate (or, for the key checks, the key) cannot be read: `certificate_unreadable`
says why.
"""

from __future__ import annotations

from typing import Final

URL_HTTP: Final = "https://www.home-assistant.io/integrations/http/"
URL_REMOTE: Final = "https://www.home-assistant.io/docs/configuration/remote/"
