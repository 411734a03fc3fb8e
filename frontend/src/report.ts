// Reading the report the way the integration counts: a finding counts while it is not
// accepted and its severity is low or above (it then has an active repair issue).
import type { FamilyKey, Finding, HomeAssistant, Report, Severity } from "./types";

export const DOMAIN = "security_posture";

export const SEVERITIES: Severity[] = ["critical", "high", "medium", "low", "info"];

export const FAMILIES: FamilyKey[] = [
  "secrets",
  "updates",
  "remote_access",
  "authentication",
  "host",
  "exposure",
  "supply_chain",
];

const RANK: Record<Severity, number> = {
  critical: 4,
  high: 3,
  medium: 2,
  low: 1,
  info: 0,
};

export const counts = (finding: Finding): boolean =>
  !finding.ignored && finding.severity !== "info";

export const isAdvice = (finding: Finding): boolean =>
  !finding.ignored && finding.severity === "info";

export const isAccepted = (finding: Finding): boolean =>
  finding.ignored && finding.severity !== "info";

/** Most severe first; then by family and title, so the order is stable. */
export const bySeverity = (a: Finding, b: Finding): number =>
  RANK[b.severity] - RANK[a.severity] ||
  FAMILIES.indexOf(a.family) - FAMILIES.indexOf(b.family) ||
  a.title.localeCompare(b.title);

export interface FamilySummary {
  family: FamilyKey;
  counted: number;
  worst: Severity | null;
  ran: boolean;
}

export const familySummaries = (report: Report): FamilySummary[] =>
  FAMILIES.map((family) => {
    const counted = report.findings
      .filter((f) => f.family === family && counts(f))
      .sort(bySeverity);
    return {
      family,
      counted: counted.length,
      worst: counted.length ? counted[0].severity : null,
      ran: report.checks.some(
        (c) => c.family === family && (c.status === "pass" || c.status === "fail"),
      ),
    };
  });

/** The integration's entities, found by their translation keys (renamed ids still work). */
export const findEntity = (
  hass: HomeAssistant,
  domain: "sensor" | "binary_sensor",
  key: string,
): string | undefined => {
  const fallback = `${domain}.${DOMAIN}_${key}`;
  const entities = hass.entities;
  if (!entities) {
    return hass.states[fallback] ? fallback : undefined;
  }
  for (const entry of Object.values(entities)) {
    if (
      entry.platform === DOMAIN &&
      entry.translation_key === key &&
      entry.entity_id.startsWith(`${domain}.`)
    ) {
      return entry.entity_id;
    }
  }
  return hass.states[fallback] ? fallback : undefined;
};

export const scoreColor = (score: number): string =>
  score >= 90
    ? "var(--success-color, #43a047)"
    : score >= 60
      ? "var(--warning-color, #ffa600)"
      : "var(--error-color, #db4437)";

export const severityColor = (severity: Severity | null): string => {
  switch (severity) {
    case "critical":
    case "high":
      return "var(--error-color, #db4437)";
    case "medium":
      return "var(--warning-color, #ffa600)";
    case "low":
      return "var(--info-color, #039be5)";
    case "info":
      return "var(--secondary-text-color, #727272)";
    default:
      return "var(--success-color, #43a047)";
  }
};

/** "5 minutes ago", in the user's language. */
export const relativeTime = (iso: string, language: string, now = Date.now()): string => {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  const format = new Intl.RelativeTimeFormat(language, { numeric: "auto" });
  const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ["day", 86400],
    ["hour", 3600],
    ["minute", 60],
  ];
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size) {
      return format.format(Math.round(seconds / size), unit);
    }
  }
  return format.format(seconds, "second");
};
