// The parts of Home Assistant's frontend objects the card uses. Home Assistant passes a
// `hass` object to every card; these are the members that exist on every supported release
// (2025.4 and later).

export interface HassEntity {
  entity_id: string;
  state: string;
  attributes: Record<string, unknown>;
  last_changed: string;
  last_updated: string;
}

export interface EntityRegistryDisplayEntry {
  entity_id: string;
  platform: string;
  translation_key?: string;
  device_id?: string;
}

export interface Connection {
  subscribeMessage<T>(
    callback: (message: T) => void,
    subscribeMessage: Record<string, unknown>,
  ): Promise<() => Promise<void>>;
}

export interface HomeAssistant {
  states: Record<string, HassEntity>;
  entities?: Record<string, EntityRegistryDisplayEntry>;
  user?: { id: string; is_admin: boolean; name: string };
  language: string;
  locale?: { language: string };
  themes?: { darkMode?: boolean };
  connection: Connection;
  localize(key: string, values?: Record<string, unknown>): string;
  loadBackendTranslation?(category: string, integration?: string): Promise<unknown>;
  callService(
    domain: string,
    service: string,
    data?: Record<string, unknown>,
  ): Promise<unknown>;
  callApi<T>(method: string, path: string, data?: Record<string, unknown>): Promise<T>;
}

export interface LovelaceCardEditor extends HTMLElement {
  hass?: HomeAssistant;
  setConfig(config: unknown): void;
}

export type Severity = "critical" | "high" | "medium" | "low" | "info";
export type FamilyKey =
  | "secrets"
  | "updates"
  | "remote_access"
  | "authentication"
  | "host"
  | "exposure"
  | "supply_chain";

export interface Finding {
  id: string;
  check: string;
  family: FamilyKey;
  severity: Severity;
  title: string;
  subject: string;
  file: string | null;
  line: number | null;
  key: string | null;
  ignored: boolean;
  learn_more_url: string | null;
}

export interface CheckResult {
  check: string;
  family: FamilyKey;
  status: "pass" | "fail" | "unknown" | "disabled";
  reason: string | null;
}

export interface Report {
  score: number;
  grade: string;
  scanned_at: string;
  duration_ms: number;
  checks: CheckResult[];
  findings: Finding[];
}

export interface Accepted {
  reason: string | null;
  at: string;
}

// What `security_posture/subscribe_report` sends, now and after every change.
export interface ReportMessage {
  report: Report | null;
  accepted: Record<string, Accepted>;
}

// A step of a repair flow, as /api/repairs/issues/fix answers.
export interface FlowField {
  name: string;
  type?: string;
  optional?: boolean;
  required?: boolean;
  default?: unknown;
  lengthMax?: number;
}

export interface FlowStep {
  flow_id: string;
  type: "form" | "menu" | "abort" | "create_entry" | "progress" | "external";
  step_id?: string;
  data_schema?: FlowField[];
  errors?: Record<string, string> | null;
  description_placeholders?: Record<string, string> | null;
  menu_options?: string[] | Record<string, string>;
  reason?: string;
  description?: string | null;
}

export interface CardConfig {
  type: string;
  title?: string;
  max_findings?: number;
  show_families?: boolean;
  show_accepted?: boolean;
  show_advice?: boolean;
}
