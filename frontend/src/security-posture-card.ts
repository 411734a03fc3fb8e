// The posture card: score and grade, the five families, the findings that count (most
// severe first, each opening its repair), advice, accepted risks with undo, and when the last
// scan ran with a button to scan now. Served and registered by the integration itself.
//
// Findings come from the integration's `security_posture/subscribe_report` websocket
// command, which only administrators may use (like the report itself); everyone else sees
// the score, the grade and the families from the entities.
import { LitElement, css, html, nothing, svg, type PropertyValues } from "lit";
import { customElement, property, query, state } from "lit/decorators.js";

import "./editor";
import "./repair-dialog";
import type { SecurityPostureRepairDialog } from "./repair-dialog";
import {
  DOMAIN,
  FAMILIES,
  bySeverity,
  counts,
  familySummaries,
  findEntity,
  isAccepted,
  isAdvice,
  relativeTime,
  scoreColor,
  severityColor,
} from "./report";
import type {
  CardConfig,
  FamilyKey,
  Finding,
  HomeAssistant,
  ReportMessage,
  Severity,
} from "./types";

const CARD = "security-posture-card";

/** A title with break opportunities after dots, slashes and underscores (key paths, files). */
const breakable = (text: string) =>
  text.split(/(?<=[._/])/).map((part, i) => (i ? html`<wbr>${part}` : part));
const DEFAULT_MAX = 8;

// The card's own words. Finding titles and repair texts come from the integration.
const FAMILY_NAMES: Record<FamilyKey, string> = {
  secrets: "Secrets",
  updates: "Updates",
  remote_access: "Remote access",
  authentication: "Authentication",
  host: "Host",
  exposure: "Exposure",
  supply_chain: "Supply chain",
};
const FAMILY_ICONS: Record<FamilyKey, string> = {
  secrets: "mdi:key-chain",
  updates: "mdi:package-up",
  remote_access: "mdi:web",
  authentication: "mdi:account-lock",
  host: "mdi:server-security",
  exposure: "mdi:door-open",
  supply_chain: "mdi:package-variant",
};
const SEVERITY_NAMES: Record<Severity, string> = {
  critical: "Critical",
  high: "High",
  medium: "Medium",
  low: "Low",
  info: "Info",
};

@customElement(CARD)
export class SecurityPostureCard extends LitElement {
  @property({ attribute: false }) public hass?: HomeAssistant;

  @state() private _config: CardConfig = { type: `custom:${CARD}` };

  @state() private _message?: ReportMessage;

  @state() private _subscribeError?: string;

  @state() private _scanning = false;

  @state() private _scanError?: string;

  @state() private _expanded = false;

  @state() private _busy = new Set<string>();

  @query("security-posture-repair-dialog")
  private _dialog?: SecurityPostureRepairDialog;

  private _unsubscribe?: Promise<() => Promise<void>>;

  private _timer?: number;

  public static getConfigElement(): HTMLElement {
    return document.createElement(`${CARD}-editor`);
  }

  public static getStubConfig(): Partial<CardConfig> {
    return {};
  }

  public setConfig(config: CardConfig): void {
    if (!config || typeof config !== "object") {
      throw new Error("Invalid configuration");
    }
    if (
      config.max_findings !== undefined &&
      (!Number.isInteger(config.max_findings) || config.max_findings < 1)
    ) {
      throw new Error("max_findings must be a whole number of at least 1");
    }
    this._config = config;
  }

  public getCardSize(): number {
    return 6 + Math.min(this._max, this._counted.length);
  }

  public getGridOptions() {
    return { columns: 12, min_columns: 6, rows: "auto" };
  }

  public connectedCallback(): void {
    super.connectedCallback();
    this._subscribe();
    // The "last scan" time stays current.
    this._timer = window.setInterval(() => this.requestUpdate(), 30_000);
  }

  public disconnectedCallback(): void {
    super.disconnectedCallback();
    this._unsubscribeNow();
    window.clearInterval(this._timer);
  }

  protected updated(changed: PropertyValues): void {
    if (changed.has("hass")) {
      this._subscribe();
    }
  }

  private get _admin(): boolean {
    return this.hass?.user?.is_admin === true;
  }

  private _subscribe(): void {
    if (this._unsubscribe || !this.hass || !this.isConnected || !this._admin) {
      return;
    }
    this._unsubscribe = this.hass.connection.subscribeMessage<ReportMessage>(
      (message) => {
        this._message = message;
        this._subscribeError = undefined;
      },
      { type: `${DOMAIN}/subscribe_report` },
    );
    this._unsubscribe.catch((err: { message?: string }) => {
      this._subscribeError = err?.message ?? String(err);
      this._unsubscribe = undefined;
    });
  }

  private _unsubscribeNow(): void {
    const pending = this._unsubscribe;
    this._unsubscribe = undefined;
    pending?.then((unsubscribe) => unsubscribe()).catch(() => {});
  }

  private get _max(): number {
    return this._config.max_findings ?? DEFAULT_MAX;
  }

  private get _findings(): Finding[] {
    return this._message?.report?.findings ?? [];
  }

  private get _counted(): Finding[] {
    return this._findings.filter(counts).sort(bySeverity);
  }

  private get _language(): string {
    return this.hass?.locale?.language ?? this.hass?.language ?? "en";
  }

  private _state(domain: "sensor" | "binary_sensor", key: string) {
    const entityId = this.hass ? findEntity(this.hass, domain, key) : undefined;
    return entityId ? this.hass!.states[entityId] : undefined;
  }

  private async _scan(): Promise<void> {
    if (this._scanning || !this.hass) {
      return;
    }
    this._scanning = true;
    this._scanError = undefined;
    try {
      await this.hass.callService(DOMAIN, "scan", {});
    } catch (err) {
      this._scanError = (err as { message?: string })?.message ?? String(err);
    } finally {
      this._scanning = false;
    }
  }

  private async _stopAccepting(finding: Finding): Promise<void> {
    this._busy = new Set([...this._busy, finding.id]);
    try {
      await this.hass!.callService(DOMAIN, "unignore_finding", { finding_id: finding.id });
    } finally {
      const busy = new Set(this._busy);
      busy.delete(finding.id);
      this._busy = busy;
    }
  }

  private _open(finding: Finding): void {
    if (this._dialog) {
      this._dialog.hass = this.hass;
      this._dialog.open(finding);
    }
  }

  // --- rendering ----------------------------------------------------------------------

  private _renderScore() {
    const report = this._message?.report;
    const scoreState = this._state("sensor", "score");
    const gradeState = this._state("sensor", "grade");
    const score = report?.score ?? Number(scoreState?.state);
    const grade = report?.grade ?? gradeState?.state;
    const known = Number.isFinite(score);
    const color = known ? scoreColor(score) : "var(--disabled-text-color, #bdbdbd)";
    const circumference = 2 * Math.PI * 42;
    const filled = known ? (Math.max(0, Math.min(100, score)) / 100) * circumference : 0;
    const counted = this._counted.length;
    const accepted = this._findings.filter(isAccepted).length;
    return html`<div class="summary">
      <div
        class="ring"
        role="img"
        aria-label=${known ? `Score ${score} of 100, grade ${grade}` : "No score yet"}
      >
        <svg viewBox="0 0 100 100" aria-hidden="true">
          <circle class="track" cx="50" cy="50" r="42"></circle>
          ${filled > 0
            ? svg`<circle
                class="value"
                cx="50"
                cy="50"
                r="42"
                style="stroke: ${color}; stroke-dasharray: ${filled} ${circumference}"
              ></circle>`
            : nothing}
        </svg>
        <div class="ring-text">
          <span class="score">${known ? score : "–"}</span>
          <span class="points">points</span>
        </div>
      </div>
      <div class="facts">
        <div class="grade-line">
          <span class="grade" style="color: ${color}">${grade ?? "–"}</span>
          <span class="grade-label">grade</span>
        </div>
        ${report
          ? html`<div class="counts">
              <span>${counted} ${counted === 1 ? "finding" : "findings"}</span>
              ${accepted
                ? html`<span class="muted">· ${accepted} accepted</span>`
                : nothing}
            </div>`
          : nothing}
        ${this._renderLastScan()}
      </div>
    </div>`;
  }

  private _renderLastScan() {
    const scannedAt =
      this._message?.report?.scanned_at ?? this._state("sensor", "last_scan")?.state;
    const valid = scannedAt && !Number.isNaN(new Date(scannedAt).getTime());
    return html`<div class="scan">
      <span class="muted" title=${valid ? new Date(scannedAt).toLocaleString(this._language) : ""}>
        ${this._scanning
          ? "Scanning…"
          : valid
            ? `Scanned ${relativeTime(scannedAt, this._language)}`
            : "Not scanned yet"}
      </span>
      ${this._admin
        ? html`<button
            class="scan-button"
            @click=${this._scan}
            ?disabled=${this._scanning}
            aria-busy=${this._scanning ? "true" : "false"}
          >
            <ha-icon
              class=${this._scanning ? "spin" : ""}
              icon=${this._scanning ? "mdi:loading" : "mdi:shield-refresh"}
            ></ha-icon>
            <span>${this._scanning ? "Scanning" : "Scan now"}</span>
          </button>`
        : nothing}
      ${this._scanError ? html`<span class="error">${this._scanError}</span>` : nothing}
    </div>`;
  }

  private _renderFamilies() {
    const report = this._message?.report;
    const summaries = report ? familySummaries(report) : undefined;
    return html`<div class="families">
      ${FAMILIES.map((family) => {
        const summary = summaries?.find((s) => s.family === family);
        const entity = this._state("binary_sensor", family);
        const ran = summary ? summary.ran : entity !== undefined && entity.state !== "unavailable";
        const problem = summary ? summary.counted > 0 : entity?.state === "on";
        const color = !ran
          ? "var(--disabled-text-color, #bdbdbd)"
          : problem
            ? severityColor(summary?.worst ?? "high")
            : severityColor(null);
        const label = !ran
          ? "not checked"
          : problem
            ? summary
              ? `${summary.counted}`
              : "problem"
            : "OK";
        return html`<div class="family" style="--family-color: ${color}">
          <ha-icon icon=${FAMILY_ICONS[family]}></ha-icon>
          <span class="family-name">${FAMILY_NAMES[family]}</span>
          <span class="family-state">${label}</span>
        </div>`;
      })}
    </div>`;
  }

  private _renderFinding(finding: Finding) {
    return html`<li>
      <button class="finding" @click=${() => this._open(finding)}>
        <span class="pill" style="--pill-color: ${severityColor(finding.severity)}">
          ${SEVERITY_NAMES[finding.severity]}
        </span>
        <span class="finding-text">
          <span class="finding-title">${breakable(finding.title)}</span>
          <span class="finding-family">${FAMILY_NAMES[finding.family]}</span>
        </span>
        <ha-icon class="next" icon="mdi:chevron-right"></ha-icon>
      </button>
    </li>`;
  }

  private _renderFindings() {
    const counted = this._counted;
    if (!counted.length) {
      return html`<p class="all-clear">
        <ha-icon icon="mdi:shield-check"></ha-icon>
        No findings: nothing to repair.
      </p>`;
    }
    const shown = this._expanded ? counted : counted.slice(0, this._max);
    return html`<h3>Findings <span class="muted">(${counted.length})</span></h3>
      <ul class="list">
        ${shown.map((finding) => this._renderFinding(finding))}
      </ul>
      ${counted.length > this._max
        ? html`<button class="more" @click=${() => (this._expanded = !this._expanded)}>
            ${this._expanded ? "Show fewer" : `Show all ${counted.length}`}
          </button>`
        : nothing}`;
  }

  private _renderAdvice() {
    const advice = this._findings.filter(isAdvice).sort(bySeverity);
    if (!advice.length || this._config.show_advice === false) {
      return nothing;
    }
    return html`<details>
      <summary>Advice <span class="muted">(${advice.length}, not counted)</span></summary>
      <ul class="list plain-list">
        ${advice.map(
          (finding) => html`<li class="advice">
            <span>${breakable(finding.title)}</span>
            ${finding.learn_more_url
              ? html`<a href=${finding.learn_more_url} target="_blank" rel="noreferrer noopener"
                  >Learn more</a
                >`
              : nothing}
          </li>`,
        )}
      </ul>
    </details>`;
  }

  private _renderAccepted() {
    const accepted = this._findings.filter(isAccepted).sort(bySeverity);
    if (!accepted.length || this._config.show_accepted === false) {
      return nothing;
    }
    const reasons = this._message?.accepted ?? {};
    return html`<h3>Accepted risks <span class="muted">(${accepted.length})</span></h3>
      <ul class="list plain-list">
        ${accepted.map((finding) => {
          const info = reasons[finding.id];
          const when =
            info?.at && !Number.isNaN(new Date(info.at).getTime())
              ? relativeTime(info.at, this._language)
              : undefined;
          return html`<li class="accepted">
            <span class="finding-text">
              <span class="finding-title">${breakable(finding.title)}</span>
              <span class="finding-family">
                ${SEVERITY_NAMES[finding.severity]} · accepted${when ? ` ${when}` : ""}${info?.reason
                  ? html` · “${info.reason}”`
                  : nothing}
              </span>
            </span>
            <button
              class="undo"
              ?disabled=${this._busy.has(finding.id)}
              @click=${() => this._stopAccepting(finding)}
            >
              Stop accepting
            </button>
          </li>`;
        })}
      </ul>`;
  }

  private _renderBody() {
    if (!this.hass) {
      return nothing;
    }
    if (!this._admin) {
      return html`<p class="muted note">
        Only administrators see the findings and can act on them.
      </p>`;
    }
    if (this._subscribeError) {
      return html`<p class="error note">
        The report cannot be read: ${this._subscribeError}. Is Security Posture set up?
      </p>`;
    }
    if (!this._message) {
      return html`<p class="muted note">Loading the report…</p>`;
    }
    if (!this._message.report) {
      return html`<p class="muted note">
        No report yet: Security Posture scans once Home Assistant has started.
      </p>`;
    }
    return html`${this._renderFindings()} ${this._renderAdvice()} ${this._renderAccepted()}`;
  }

  protected render() {
    const title = this._config.title ?? "Security posture";
    return html`<ha-card>
      ${title ? html`<h1 class="card-header">${title}</h1>` : nothing}
      <div class="content">
        ${this._renderScore()}
        ${this._config.show_families === false ? nothing : this._renderFamilies()}
        ${this._renderBody()}
      </div>
      <security-posture-repair-dialog .hass=${this.hass}></security-posture-repair-dialog>
    </ha-card>`;
  }

  static styles = css`
    :host {
      display: block;
    }
    ha-card {
      overflow: hidden;
    }
    .card-header {
      margin: 0;
      padding: 16px 16px 0;
      font-size: var(--ha-card-header-font-size, 1.5em);
      font-weight: var(--ha-card-header-font-weight, 400);
      color: var(--ha-card-header-color, var(--primary-text-color));
      line-height: 1.3;
    }
    .content {
      padding: 12px 16px 16px;
    }
    .muted {
      color: var(--secondary-text-color);
    }
    .error {
      color: var(--error-color);
    }
    .summary {
      display: flex;
      align-items: center;
      gap: 16px;
      flex-wrap: wrap;
    }
    .ring {
      position: relative;
      width: 96px;
      height: 96px;
      flex: none;
    }
    .ring svg {
      width: 100%;
      height: 100%;
      transform: rotate(-90deg);
    }
    .ring circle {
      fill: none;
      stroke-width: 9;
    }
    .ring .track {
      stroke: var(--divider-color, rgba(127, 127, 127, 0.3));
    }
    .ring .value {
      stroke-linecap: round;
      transition: stroke-dasharray 0.4s;
    }
    .ring-text {
      position: absolute;
      inset: 0;
      display: flex;
      flex-direction: column;
      align-items: center;
      justify-content: center;
    }
    .score {
      font-size: 1.9em;
      font-weight: 500;
      line-height: 1;
    }
    .points {
      font-size: 0.8em;
      color: var(--secondary-text-color);
    }
    .facts {
      display: flex;
      flex-direction: column;
      gap: 4px;
      min-width: 0;
      flex: 1;
    }
    .grade-line {
      display: flex;
      align-items: baseline;
      gap: 6px;
    }
    .grade {
      font-size: 2.2em;
      font-weight: 600;
      line-height: 1;
    }
    .grade-label {
      color: var(--secondary-text-color);
    }
    .scan {
      display: flex;
      align-items: center;
      flex-wrap: wrap;
      gap: 4px 12px;
    }
    button {
      font: inherit;
      cursor: pointer;
    }
    button:disabled {
      cursor: default;
      opacity: 0.7;
    }
    .scan-button,
    .undo,
    .more {
      display: inline-flex;
      align-items: center;
      gap: 6px;
      padding: 6px 14px;
      min-height: 36px;
      border-radius: 18px;
      border: 1px solid var(--divider-color, rgba(127, 127, 127, 0.4));
      background: none;
      color: var(--primary-color);
    }
    .scan-button ha-icon {
      --mdc-icon-size: 20px;
    }
    .spin {
      animation: spin 1s linear infinite;
    }
    @keyframes spin {
      to {
        transform: rotate(360deg);
      }
    }
    @media (prefers-reduced-motion: reduce) {
      .spin {
        animation: none;
      }
    }
    .families {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(128px, 1fr));
      gap: 8px;
      margin: 16px 0 4px;
    }
    .family {
      display: grid;
      grid-template-columns: auto 1fr;
      grid-template-rows: auto auto;
      column-gap: 8px;
      align-items: center;
      padding: 8px 10px;
      border-radius: 12px;
      border: 1px solid var(--divider-color, rgba(127, 127, 127, 0.3));
      border-inline-start: 4px solid var(--family-color);
    }
    .family ha-icon {
      grid-row: span 2;
      color: var(--family-color);
    }
    .family-name {
      font-weight: 500;
      overflow-wrap: anywhere;
    }
    .family-state {
      color: var(--secondary-text-color);
      font-size: 0.9em;
    }
    h3 {
      margin: 16px 0 4px;
      font-size: 1.05em;
      font-weight: 500;
    }
    .list {
      list-style: none;
      margin: 0;
      padding: 0;
    }
    .finding {
      display: flex;
      align-items: center;
      gap: 10px;
      width: 100%;
      padding: 10px 4px;
      border: none;
      border-bottom: 1px solid var(--divider-color, rgba(127, 127, 127, 0.2));
      background: none;
      color: var(--primary-text-color);
      text-align: start;
    }
    .finding:hover,
    .finding:focus-visible {
      background: var(--secondary-background-color, rgba(127, 127, 127, 0.08));
    }
    .pill {
      flex: none;
      min-width: 58px;
      padding: 2px 8px;
      border-radius: 10px;
      font-size: 0.8em;
      font-weight: 500;
      text-align: center;
      color: var(--pill-color);
      border: 1px solid var(--pill-color);
    }
    .finding-text {
      display: flex;
      flex-direction: column;
      min-width: 0;
      flex: 1;
    }
    .finding-title {
      overflow-wrap: break-word;
      min-width: 0;
      line-height: 1.35;
    }
    .finding-family {
      font-size: 0.85em;
      color: var(--secondary-text-color);
      overflow-wrap: anywhere;
    }
    .next {
      flex: none;
      color: var(--secondary-text-color);
    }
    .more {
      margin-top: 8px;
    }
    .plain-list li {
      display: flex;
      align-items: center;
      gap: 10px;
      padding: 8px 4px;
      border-bottom: 1px solid var(--divider-color, rgba(127, 127, 127, 0.2));
    }
    .advice span {
      flex: 1;
      overflow-wrap: anywhere;
    }
    .undo {
      flex: none;
    }
    details {
      margin-top: 12px;
    }
    summary {
      cursor: pointer;
      font-weight: 500;
      padding: 4px 0;
    }
    a {
      color: var(--primary-color);
    }
    .all-clear {
      display: flex;
      align-items: center;
      gap: 8px;
      margin: 16px 0 4px;
      color: var(--success-color, #43a047);
    }
    .note {
      margin: 16px 0 0;
    }
  `;
}

declare global {
  interface HTMLElementTagNameMap {
    "security-posture-card": SecurityPostureCard;
  }
  interface Window {
    customCards?: Array<Record<string, unknown>>;
  }
}

window.customCards = window.customCards ?? [];
if (!window.customCards.some((card) => card.type === CARD)) {
  window.customCards.push({
    type: CARD,
    name: "Security posture",
    description:
      "Score and grade, the families, findings that open their repair, accepted risks and a scan button.",
    preview: true,
    documentationURL: "https://github.com/security-posture/security-posture",
  });
}
