// The card's visual editor: Home Assistant's own <ha-form>, which the dashboard editor has
// loaded by the time it shows a card editor.
import { LitElement, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";

import type { CardConfig, HomeAssistant, LovelaceCardEditor } from "./types";

const SCHEMA = [
  { name: "title", selector: { text: {} } },
  {
    name: "max_findings",
    selector: { number: { min: 1, max: 100, mode: "box" } },
  },
  { name: "show_families", selector: { boolean: {} } },
  { name: "show_advice", selector: { boolean: {} } },
  { name: "show_accepted", selector: { boolean: {} } },
] as const;

const LABELS: Record<string, string> = {
  title: "Title",
  max_findings: "Findings shown before “Show all”",
  show_families: "Show the families",
  show_advice: "Show advice (info findings)",
  show_accepted: "Show accepted risks",
};

const DEFAULTS = {
  title: "Security posture",
  max_findings: 8,
  show_families: true,
  show_advice: true,
  show_accepted: true,
};

@customElement("security-posture-card-editor")
export class SecurityPostureCardEditor extends LitElement implements LovelaceCardEditor {
  @property({ attribute: false }) public hass?: HomeAssistant;

  @state() private _config?: CardConfig;

  public setConfig(config: CardConfig): void {
    this._config = config;
  }

  private _changed(ev: CustomEvent<{ value: Record<string, unknown> }>): void {
    const value = { ...ev.detail.value };
    // Keep the YAML short: leave out what equals the default.
    for (const [key, fallback] of Object.entries(DEFAULTS)) {
      if (value[key] === fallback || value[key] === "" || value[key] === undefined) {
        delete value[key];
      }
    }
    const config = { type: this._config?.type ?? "custom:security-posture-card", ...value };
    this.dispatchEvent(
      new CustomEvent("config-changed", { detail: { config }, bubbles: true, composed: true }),
    );
  }

  protected render() {
    if (!this.hass || !this._config) {
      return nothing;
    }
    return html`<ha-form
      .hass=${this.hass}
      .data=${{ ...DEFAULTS, ...this._config }}
      .schema=${SCHEMA}
      .computeLabel=${(field: { name: string }) => LABELS[field.name] ?? field.name}
      @value-changed=${this._changed}
    ></ha-form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "security-posture-card-editor": SecurityPostureCardEditor;
  }
}
