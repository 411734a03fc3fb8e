"""`certificate_expiring` (medium; high under 7 days): the certificate expires soon.

Soon is within the days the options set (30 by default). The `CERTIFICATE_EXPIRY` metric is
the certificate's end of validity, for the `certificate_expiry` sensor.
"""

from __future__ import annotations

from datetime import datetime, timedelta
import math
from typing import TYPE_CHECKING, Final

from ...engine import Check, Facts, Metric
from ...inspect.certificates import CERTIFICATE
from ...model import Family, Hit, Severity
from . import URL_HTTP
from .common import CERTIFICATE_NEEDS, cert_hit, date, leaf

if TYPE_CHECKING:
    from collections.abc import Iterator

URGENT_DAYS: Final = 7


def _inspect(facts: Facts) -> Iterator[Hit]:
    not_after = leaf(facts).not_after
    left = not_after - facts.now
    warning_days = max(facts.options.certificate_warning_days, 0)
    if left <= timedelta(0) or left > timedelta(days=warning_days):
        return
    days = math.ceil(left / timedelta(days=1))
    expires = date(not_after)
    yield cert_hit(
        facts,
        f"Certificate {{file}} expires on {expires}",
        severity=Severity.HIGH if left < timedelta(days=URGENT_DAYS) else None,
        expires=expires,
        days=str(days),
    )


def _expiry(facts: Facts) -> datetime | None:
    reading = facts[CERTIFICATE]
    if reading is None or reading.leaf is None:
        return None
    return reading.leaf.not_after


CHECK: Final = Check(
    id="certificate_expiring",
    family=Family.REMOTE_ACCESS,
    severity=Severity.MEDIUM,
    learn_more_url=f"{URL_HTTP}#ssl_certificate",
    needs=CERTIFICATE_NEEDS,
    inspect=_inspect,
)

CERTIFICATE_EXPIRY: Final = Metric[datetime | None](
    name="certificate_expiry", needs=(CERTIFICATE,), compute=_expiry
)
"""When the served certificate expires; None without a readable certificate."""
METRICS: Final = (CERTIFICATE_EXPIRY,)
