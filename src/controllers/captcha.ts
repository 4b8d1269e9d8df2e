/**
 * The captcha a form may need (platform config `skip_captcha: false`): picks the registered
 * provider by name, loads a challenge when the form first needs one and a new one after each use
 * (an answer is single use, right or wrong), renders its field and reads its token on submit.
 */
import { html, nothing, type TemplateResult } from 'lit/html.js';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { createCaptchaProvider, type CaptchaProvider } from '../providers/captcha.js';

/** What the controller asks its element. */
export interface CaptchaSettings {
  /** True when the config asks for a captcha. */
  required(): boolean;
  /** The provider's name (the element's `captcha` attribute); '' for the only registered one. */
  name(): string;
  /** Where challenges come from (the service's base URL), once there is a store. */
  base(): string | undefined;
  /** Milliseconds a challenge may take to load. */
  timeout(): number;
  /** A challenge could not be loaded (to report to the host page). */
  failed(error: unknown): void;
}

export class CaptchaController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #settings: CaptchaSettings;
  #provider?: CaptchaProvider;
  #for?: string;

  constructor(host: ReactiveControllerHost, settings: CaptchaSettings) {
    this.#host = host;
    this.#settings = settings;
    host.addController(this);
  }

  /** A first challenge as soon as the element is on a page with a store (nothing when not required). */
  hostConnected(): void {
    void this.load();
  }

  /** True when a captcha is required and a provider is in place (its challenge may still be loading). */
  get active(): boolean {
    return this.#settings.required() && Boolean(this.#provider);
  }

  /**
   * Picks the provider (again when its name changed) and loads a challenge: when the provider is
   * new, or with `refresh` after a use. Does nothing while no captcha is required.
   */
  async load(refresh = false): Promise<void> {
    const base = this.#settings.base();
    if (!this.#settings.required() || base === undefined) return;
    const name = this.#settings.name();
    if (this.#for !== name) {
      this.#for = name;
      this.#provider = createCaptchaProvider(name);
      refresh = true;
    }
    if (!this.#provider || !refresh) return;
    try {
      await this.#provider.load(base, AbortSignal.timeout(this.#settings.timeout()));
    } catch (error) {
      this.#settings.failed(error);
    }
    this.#host.requestUpdate();
  }

  /**
   * The token of a submitted form: `null` when the challenge is unanswered; undefined when no
   * captcha is required, or no provider is registered (the field says so, and the service refuses).
   */
  token(values: Record<string, string>): string | null | undefined {
    if (!this.#settings.required() || !this.#provider) return undefined;
    return this.#provider.token(values) ?? null;
  }

  /** The challenge's field; a configuration error when no provider is registered; nothing when not required. */
  field(id: string, label: string, error: string | undefined, configError: string): TemplateResult | typeof nothing {
    if (!this.#settings.required()) return nothing;
    return this.#provider
      ? this.#provider.render(id, label, error)
      : html`<p class="latch-notice latch-notice--error">${configError}</p>`;
  }
}
