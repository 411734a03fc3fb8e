"""Constants for Security Posture."""

from __future__ import annotations

from datetime import timedelta
import logging
from typing import Final

DOMAIN: Final = "security_posture"
LOGGER = logging.getLogger(__package__)

CONF_SCAN_INTERVAL: Final = "scan_interval"
CONF_CERT_WARNING_DAYS: Final = "certificate_warning_days"
CONF_DISABLED_CHECKS: Final = "disabled_checks"
CONF_SSHD_CONFIG: Final = "sshd_config"

DEFAULT_SCAN_INTERVAL_HOURS: Final = 6
DEFAULT_CERT_WARNING_DAYS: Final = 30
DEFAULT_SSHD_CONFIG: Final = "/etc/ssh/sshd_config"

# Rescans requested by listeners (reloads, entity changes) are debounced by this much.
REFRESH_COOLDOWN: Final = timedelta(seconds=2)

EVENT_FINDING: Final = "security_posture_finding"
# Dispatched whenever the report changes (a scan ended, a risk was accepted or taken back).
SIGNAL_REPORT_UPDATED: Final = f"{DOMAIN}_report_updated"
# Fired once per failed login or ban Home Assistant reports (core fires no event of its own).
EVENT_FAILED_LOGIN: Final = "security_posture_failed_login"
# Fired once per successful login (a new session), saying whether its source is new.
EVENT_LOGIN: Final = "security_posture_login"

SERVICE_SCAN: Final = "scan"
SERVICE_IGNORE_FINDING: Final = "ignore_finding"
SERVICE_UNIGNORE_FINDING: Final = "unignore_finding"
ATTR_FINDING_ID: Final = "finding_id"
ATTR_REASON: Final = "reason"
# The longest reason for accepting a risk that is kept.
MAX_REASON_LENGTH: Final = 255

STORAGE_VERSION: Final = 1
STORAGE_KEY: Final = f"{DOMAIN}.state"
