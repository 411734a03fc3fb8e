// A finding's repair, opened from the card: the same flow Settings -> Repairs opens (through
// /api/repairs/issues/fix), its texts from the integration's translations. A native <dialog>
// in the top layer, styled by the theme, so it needs none of the frontend's own elements.
import { LitElement, css, html, nothing } from "lit";
import { customElement, property, query, state } from "lit/decorators.js";
import { unsafeHTML } from "lit/directives/unsafe-html.js";

import { renderMarkdown } from "./markdown";
import { DOMAIN } from "./report";
import type { Finding, FlowField, FlowStep, HomeAssistant } from "./types";

const navigate = (path: string): void => {
  window.history.pushState(null, "", path);
  window.dispatchEvent(new CustomEvent("location-changed", { detail: { replace: false } }));
};

@customElement("security-posture-repair-dialog")
export class SecurityPostureRepairDialog extends LitElement {
  @property({ attribute: false }) public hass?: HomeAssistant;

  @state() private _finding?: Finding;

  @state() private _step?: FlowStep;

  @state() private _data: Record<string, string> = {};

  @state() private _busy = false;

  @state() private _error?: string;

  @query("dialog") private _dialog?: HTMLDialogElement;

  /** Open the repair of `finding`. */
  public async open(finding: Finding): Promise<void> {
    this._finding = finding;
    this._step = undefined;
    this._error = undefined;
    this._data = {};
    await this.updateComplete;
    this._dialog?.showModal();
    this._busy = true;
    try {
      await this.hass?.loadBackendTranslation?.("issues", DOMAIN);
      const step = await this.hass!.callApi<FlowStep>("POST", "repairs/issues/fix", {
        handler: DOMAIN,
        issue_id: finding.id,
      });
      this._show(step);
    } catch (err) {
      this._error = this._message(err);
    } finally {
      this._busy = false;
    }
  }

  private _show(step: FlowStep): void {
    this._step = step;
    this._data = {};
    for (const field of step.data_schema ?? []) {
      if (field.default !== undefined && field.default !== null) {
        this._data[field.name] = String(field.default);
      }
    }
  }

  private _message(err: unknown): string {
    if (err && typeof err === "object" && "body" in err) {
      const body = (err as { body?: { message?: string } }).body;
      if (body?.message) {
        return body.message;
      }
    }
    return err instanceof Error ? err.message : String(err);
  }

  private _t(path: string): string {
    const check = this._finding?.check ?? "";
    const placeholders = this._step?.description_placeholders ?? {};
    return (
      this.hass?.localize(`component.${DOMAIN}.issues.${check}.fix_flow.${path}`, placeholders) ??
      ""
    );
  }

  private async _submit(data: Record<string, unknown>): Promise<void> {
    if (!this._step || this._busy) {
      return;
    }
    this._busy = true;
    this._error = undefined;
    try {
      const step = await this.hass!.callApi<FlowStep>(
        "POST",
        `repairs/issues/fix/${this._step.flow_id}`,
        data,
      );
      this._show(step);
    } catch (err) {
      this._error = this._message(err);
    } finally {
      this._busy = false;
    }
  }

  private _close = async (): Promise<void> => {
    const step = this._step;
    this._dialog?.close();
    this._step = undefined;
    if (step && (step.type === "form" || step.type === "menu")) {
      // Leave nothing half-open behind (Settings -> Repairs does the same).
      await this.hass?.callApi("DELETE", `repairs/issues/fix/${step.flow_id}`).catch(() => {});
    }
  };

  private _linkClicked(ev: MouseEvent): void {
    const anchor = (ev.composedPath() as HTMLElement[]).find(
      (el) => el instanceof HTMLAnchorElement,
    ) as HTMLAnchorElement | undefined;
    if (anchor && anchor.getAttribute("href")?.startsWith("/")) {
      ev.preventDefault();
      this._close();
      navigate(anchor.getAttribute("href")!);
    }
  }

  private _renderText(text: string) {
    return text
      ? html`<div class="text" @click=${this._linkClicked}>
          ${unsafeHTML(renderMarkdown(text))}
        </div>`
      : nothing;
  }

  private _renderField(field: FlowField, stepId: string) {
    const label = this._t(`step.${stepId}.data.${field.name}`) || field.name;
    const helper = this._t(`step.${stepId}.data_description.${field.name}`);
    const error = this._step?.errors?.[field.name];
    return html`<label class="field">
      <span class="label">${label}</span>
      <input
        name=${field.name}
        .value=${this._data[field.name] ?? ""}
        maxlength=${field.lengthMax ?? 255}
        ?required=${field.required === true}
        @input=${(ev: InputEvent) => {
          this._data = {
            ...this._data,
            [field.name]: (ev.target as HTMLInputElement).value,
          };
        }}
      />
      ${helper ? html`<span class="helper">${helper}</span>` : nothing}
      ${error
        ? html`<span class="error">${this._t(`error.${error}`) || error}</span>`
        : nothing}
    </label>`;
  }

  private _renderStep(step: FlowStep) {
    const id = step.step_id ?? "";
    switch (step.type) {
      case "menu": {
        const options = Array.isArray(step.menu_options)
          ? step.menu_options
          : Object.keys(step.menu_options ?? {});
        return html`${this._renderText(this._t(`step.${id}.description`))}
          <div class="menu">
            ${options.map(
              (option) => html`<button
                class="option"
                ?disabled=${this._busy}
                @click=${() => this._submit({ next_step_id: option })}
              >
                <span>${this._t(`step.${id}.menu_options.${option}`) || option}</span>
                <span class="chevron" aria-hidden="true">›</span>
              </button>`,
            )}
          </div>`;
      }
      case "form": {
        const fields = step.data_schema ?? [];
        const data: Record<string, string> = {};
        for (const [key, value] of Object.entries(this._data)) {
          if (value.trim() !== "" || fields.find((f) => f.name === key)?.required) {
            data[key] = value;
          }
        }
        const base = step.errors?.base;
        return html`${this._renderText(this._t(`step.${id}.description`))}
          <form
            @submit=${(ev: Event) => {
              ev.preventDefault();
              this._submit(data);
            }}
          >
            ${fields.map((field) => this._renderField(field, id))}
            ${base ? html`<p class="error">${this._t(`error.${base}`) || base}</p>` : nothing}
            <div class="actions">
              <button type="button" class="plain" @click=${this._close}>Cancel</button>
              <button type="submit" class="primary" ?disabled=${this._busy}>
                ${this._t(`step.${id}.submit`) || "Submit"}
              </button>
            </div>
          </form>`;
      }
      case "abort":
        return html`${this._renderText(this._t(`abort.${step.reason}`) || step.reason || "")}
          <div class="actions">
            <button class="primary" @click=${this._close}>Close</button>
          </div>`;
      case "create_entry":
        return html`${this._renderText(
            this._t(`create_entry.${step.description || "default"}`) || "Done.",
          )}
          <div class="actions">
            <button class="primary" @click=${this._close}>Finish</button>
          </div>`;
      default:
        return html`<p>This step cannot be shown here: open it in Settings → Repairs.</p>
          <div class="actions">
            <button class="primary" @click=${this._close}>Close</button>
          </div>`;
    }
  }

  private _title(): string {
    const step = this._step;
    if (step && (step.type === "form" || step.type === "menu")) {
      return this._t(`step.${step.step_id}.title`) || this._finding?.title || "";
    }
    return this._finding?.title ?? "";
  }

  protected render() {
    return html`<dialog
      @cancel=${(ev: Event) => {
        ev.preventDefault();
        this._close();
      }}
      aria-labelledby="title"
    >
      <div class="header">
        <h2 id="title">${this._title()}</h2>
        <button class="close" aria-label="Close" @click=${this._close}>✕</button>
      </div>
      ${this._finding && this._step && this._step.type !== "abort"
        ? html`<p class="subtitle">${this._finding.title}</p>`
        : nothing}
      <div class="body">
        ${this._error ? html`<p class="error">${this._error}</p>` : nothing}
        ${this._step
          ? this._renderStep(this._step)
          : this._busy
            ? html`<p class="loading">Loading…</p>`
            : nothing}
        ${!this._step && this._error
          ? html`<div class="actions">
              <button class="primary" @click=${this._close}>Close</button>
            </div>`
          : nothing}
      </div>
    </dialog>`;
  }

  static styles = css`
    dialog {
      box-sizing: border-box;
      width: min(560px, calc(100vw - 24px));
      max-height: calc(100vh - 48px);
      padding: 0;
      border: none;
      border-radius: var(--ha-dialog-border-radius, 24px);
      background: var(--card-background-color, var(--primary-background-color, #fff));
      color: var(--primary-text-color);
      font-family: var(--ha-font-family-body, var(--paper-font-body1_-_font-family, inherit));
      box-shadow: var(--ha-card-box-shadow, 0 8px 24px rgba(0, 0, 0, 0.3));
    }
    dialog::backdrop {
      background: var(--dialog-backdrop-color, rgba(0, 0, 0, 0.32));
    }
    .header {
      display: flex;
      align-items: flex-start;
      gap: 8px;
      padding: 20px 20px 0 24px;
    }
    h2 {
      flex: 1;
      margin: 0;
      font-size: 1.35em;
      font-weight: 500;
      line-height: 1.3;
      overflow-wrap: anywhere;
    }
    .subtitle {
      margin: 4px 24px 0;
      color: var(--secondary-text-color);
      overflow-wrap: anywhere;
    }
    .body {
      padding: 8px 24px 20px;
      overflow-wrap: anywhere;
    }
    .text :is(p) {
      margin: 12px 0;
      line-height: 1.5;
    }
    .text code {
      font-family: var(--ha-font-family-code, monospace);
      font-size: 0.9em;
      background: var(--markdown-code-background-color, rgba(127, 127, 127, 0.15));
      border-radius: 4px;
      padding: 1px 4px;
    }
    a {
      color: var(--primary-color);
    }
    .menu {
      display: flex;
      flex-direction: column;
      margin: 8px -8px 0;
    }
    button {
      font: inherit;
      cursor: pointer;
    }
    button:disabled {
      cursor: default;
      opacity: 0.6;
    }
    .option {
      display: flex;
      align-items: center;
      justify-content: space-between;
      gap: 8px;
      padding: 14px 12px;
      border: none;
      border-radius: 12px;
      background: none;
      color: var(--primary-text-color);
      text-align: start;
    }
    .option:hover,
    .option:focus-visible {
      background: var(--secondary-background-color, rgba(127, 127, 127, 0.12));
    }
    .chevron {
      font-size: 1.4em;
      color: var(--secondary-text-color);
    }
    .close {
      border: none;
      background: none;
      color: var(--secondary-text-color);
      font-size: 1.1em;
      padding: 6px;
      line-height: 1;
    }
    .field {
      display: flex;
      flex-direction: column;
      gap: 4px;
      margin: 12px 0;
    }
    .label {
      font-weight: 500;
    }
    input {
      font: inherit;
      padding: 10px 12px;
      border: 1px solid var(--divider-color, #ccc);
      border-radius: 8px;
      background: var(--secondary-background-color, transparent);
      color: var(--primary-text-color);
    }
    input:focus {
      outline: 2px solid var(--primary-color);
      outline-offset: -1px;
    }
    .helper {
      font-size: 0.9em;
      color: var(--secondary-text-color);
    }
    .error {
      color: var(--error-color);
    }
    .actions {
      display: flex;
      justify-content: flex-end;
      flex-wrap: wrap;
      gap: 8px;
      margin-top: 16px;
    }
    .primary,
    .plain {
      padding: 8px 16px;
      border-radius: 20px;
      border: none;
      min-height: 40px;
    }
    .primary {
      background: var(--primary-color);
      color: var(--text-primary-color, #fff);
    }
    .plain {
      background: none;
      color: var(--primary-color);
    }
    .loading {
      color: var(--secondary-text-color);
    }
  `;
}

declare global {
  interface HTMLElementTagNameMap {
    "security-posture-repair-dialog": SecurityPostureRepairDialog;
  }
}
