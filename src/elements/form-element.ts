/**
 * The form machinery every latch element with forms shares: one submit path (validate with a
 * zod/mini schema, one request at a time, failures turned into messages at the right place), the
 * 429 countdown, the alert and status regions, focus after a step changes, and the building blocks
 * (labelled field, password field with show/hide, form, button, step heading), and the captcha a
 * form may need. Elements add what is theirs through a few hooks: `remember`, `fieldValue`,
 * `captchaRequired`, `captchaName`, `handleFailure` and `keepTicking`.
 */
import { html, nothing, type TemplateResult } from 'lit/html.js';
import type * as z from 'zod/mini';
import { LatchApiError, isAbort, toApiError } from '../api/errors.js';
import { createCaptchaProvider, type CaptchaProvider } from '../providers/captcha.js';
import type { LatchErrorDetail } from '../events.js';
import type { MessageKey } from '../i18n/en.js';
import { field, focusFirstInvalid, formValues, validate, type FieldSpec } from '../ui/form.js';
import { LatchElement } from './latch-element.js';
import type { PropertyDeclarations, PropertyValues } from 'lit';

/** Used when a 429 comes without a readable `Retry-After` (for example cross-origin without exposure). */
const DEFAULT_RETRY_SECONDS = 30;
/** Never trimmed, never kept between steps. */
const SECRET = /password|otp/;

/** Service codes that mean something the shopper can act on. */
const BY_CODE: Record<string, MessageKey> = {
  INVALID_CREDENTIALS: 'error.credentials',
  OTP_INVALID: 'error.code',
  OTP_EXPIRED: 'error.codeDead',
  OTP_ATTEMPTS_EXCEEDED: 'error.codeDead',
  CAPTCHA_INVALID: 'error.captcha',
  ACCOUNT_DISABLED: 'error.disabled',
};

/** The service's verdict on a password goes next to the password field, like a check made here. */
const ON_PASSWORD: Record<string, MessageKey> = {
  PASSWORD_TOO_SHORT: 'password.short',
  PASSWORD_TOO_LONG: 'password.long',
  PASSWORD_COMMON: 'password.common',
};

export abstract class FormElement extends LatchElement {
  static override properties: PropertyDeclarations = {
    pending: { state: true },
    fieldErrors: { state: true },
    formError: { state: true },
    notice: { state: true },
    retryUntil: { state: true },
    now: { state: true },
  };

  protected pending = false;
  /** Localized messages shown at fields, by control name. */
  protected fieldErrors: Record<string, string> = {};
  /** The alert line: what went wrong. */
  protected formError?: string;
  /** The status line: what happened ("We sent a code to ..."). */
  protected notice?: string;
  /** When a 429 lifts (ms since epoch); submitting stays disabled until then. */
  protected retryUntil = 0;
  protected now = Date.now();
  /** The request in flight, aborted when the element leaves the page. */
  protected request?: AbortController;
  /** An element id (without the uid prefix) to focus after the next render, when the step changed under focus. */
  protected focusAfterRender?: string;
  #ticker?: ReturnType<typeof setInterval>;
  #captcha?: CaptchaProvider;
  #captchaFor?: string;

  override connectedCallback(): void {
    super.connectedCallback();
    // A countdown interrupted by a move goes on where it was.
    if (this.retryUntil || this.keepTicking()) this.tick();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.request?.abort();
    clearInterval(this.#ticker);
    this.#ticker = undefined;
  }

  // ---- hooks -----------------------------------------------------------------------------

  /** Keeps a typed, non-secret value for later steps. */
  protected remember(_name: string, _value: string): void {}
  /** A value to put in a field when it first renders (carried over from an earlier step). */
  protected fieldValue(_name: string): string | undefined {
    return undefined;
  }
  /** True when the platform config asks for a captcha before this element's sensitive forms. */
  protected captchaRequired(): boolean {
    return false;
  }
  /** The captcha provider's name (the element's `captcha` attribute); '' for the only registered one. */
  protected captchaName(): string {
    return '';
  }
  /** Handles a failure first; return true when it is dealt with. */
  protected handleFailure(_error: LatchApiError, _form?: HTMLFormElement): boolean {
    return false;
  }
  /** True while something besides a 429 needs the clock (a resend countdown). */
  protected keepTicking(): boolean {
    return false;
  }

  // ---- behaviour -------------------------------------------------------------------------

  protected fid(name: string): string {
    return `${this.uid}-${name}`;
  }

  protected secondsUntil(at: number): number {
    return Math.max(0, Math.ceil((at - this.now) / 1000));
  }

  /** Keeps `now` fresh while a countdown is running. */
  protected tick(): void {
    this.now = Date.now();
    if (this.#ticker) return;
    this.#ticker = setInterval(() => {
      this.now = Date.now();
      if (this.retryUntil && this.now >= this.retryUntil) {
        this.retryUntil = 0;
        this.formError = undefined;
        this.notice = this.t('error.canRetry');
      }
      if (!this.retryUntil && !this.keepTicking()) {
        clearInterval(this.#ticker);
        this.#ticker = undefined;
      }
    }, 1000);
  }

  /**
   * The one submit path of every form: keep values, validate, run the request once at a time, and
   * turn failures into messages.
   */
  protected submit<T>(
    schema: z.ZodMiniType<T>,
    action: (data: T & { captcha_code?: string }, signal: AbortSignal) => Promise<unknown>,
    errorAction: LatchErrorDetail['action'],
    withCaptcha = false,
  ) {
    return async (event: SubmitEvent) => {
      event.preventDefault();
      const form = event.currentTarget as HTMLFormElement;
      if (this.pending || this.secondsUntil(this.retryUntil) > 0) return;
      // A revealed password is hidden again once it is sent (it would stay on screen after an error).
      for (const toggle of form.querySelectorAll<HTMLButtonElement>('[aria-pressed="true"]')) toggle.click();
      const values = formValues(form);
      for (const [name, value] of Object.entries(values)) {
        if (SECRET.test(name)) continue;
        values[name] = value.trim();
        this.remember(name, values[name]);
      }
      const result = validate(schema, values);
      const errors: Record<string, string> = {};
      for (const [name, key] of Object.entries(result.errors ?? {})) errors[name] = this.t(key!);
      const captcha = withCaptcha && this.captchaRequired() ? this.#captchaToken(values) : undefined;
      if (captcha === null) errors.captcha = this.t('captcha.required');
      if (!result.data || Object.keys(errors).length) {
        this.fieldErrors = errors;
        this.formError = this.t('form.summary');
        await this.updateComplete;
        focusFirstInvalid(form);
        return;
      }
      this.fieldErrors = {};
      this.formError = undefined;
      this.notice = undefined;
      this.pending = true;
      this.request = new AbortController();
      try {
        await action({ ...result.data, ...(captcha ? { captcha_code: captcha } : {}) }, this.request.signal);
      } catch (error) {
        this.fail(form, error, errorAction);
      } finally {
        this.pending = false;
        // A captcha answer is single use, right or wrong: a new challenge after each try.
        if (withCaptcha) void this.loadCaptcha(true);
      }
    };
  }

  /**
   * The captcha token of a submitted form: `null` when the challenge is unanswered; none at all when
   * no provider is registered (the field says so, and the service will refuse the request).
   */
  #captchaToken(values: Record<string, string>): string | null | undefined {
    return this.#captcha ? (this.#captcha.token(values) ?? null) : undefined;
  }

  /**
   * Picks the captcha provider (again when its name changed) and loads a challenge: when the
   * provider is new, or with `refresh` after a use. Does nothing while no captcha is required.
   */
  protected async loadCaptcha(refresh = false): Promise<void> {
    if (!this.captchaRequired() || !this.store) return;
    const name = this.captchaName();
    if (this.#captchaFor !== name) {
      this.#captchaFor = name;
      this.#captcha = createCaptchaProvider(name);
      refresh = true;
    }
    if (!this.#captcha || !refresh) return;
    try {
      await this.#captcha.load(this.store.client.apiBase, AbortSignal.timeout(this.timeout));
    } catch (error) {
      this.reportError('captcha', new LatchApiError(String(error), { kind: 'network', cause: error }));
    }
    this.requestUpdate();
  }

  /** True when a captcha provider is in place (its challenge may still be loading). */
  protected get hasCaptcha(): boolean {
    return Boolean(this.#captcha);
  }

  /** The captcha's field for a form that needs one; a configuration error when no provider is registered. */
  protected captchaField(): TemplateResult | typeof nothing {
    if (!this.captchaRequired()) return nothing;
    return this.#captcha
      ? this.#captcha.render(this.fid('captcha'), this.t('field.captcha'), this.fieldErrors.captcha)
      : html`<p class="latch-notice latch-notice--error">${this.t('error.config')}</p>`;
  }

  /** Runs one request outside a form (resend, social): one at a time, pending shown, failures told. */
  protected async run(action: (signal: AbortSignal) => Promise<unknown>, errorAction: LatchErrorDetail['action']): Promise<void> {
    if (this.pending) return;
    this.pending = true;
    this.formError = undefined;
    this.request = new AbortController();
    try {
      await action(this.request.signal);
    } catch (error) {
      this.fail(this.querySelector('form') ?? undefined, error, errorAction);
    } finally {
      this.pending = false;
    }
  }

  /** Tells the shopper what went wrong, where it belongs; fires `latch-error`. Aborts stay silent. */
  protected fail(form: HTMLFormElement | undefined, error: unknown, action: LatchErrorDetail['action']): void {
    if (isAbort(error)) return;
    const apiError = toApiError(error);
    this.reportError(action, apiError);
    if (apiError.kind === 'http' && apiError.status === 429) {
      const seconds = apiError.retryAfter ?? DEFAULT_RETRY_SECONDS;
      this.retryUntil = Date.now() + seconds * 1000;
      this.tick();
      // Said once with the wait; the ticking countdown below is not a live region.
      this.formError = this.t('error.rateLimited', { time: this.duration(seconds) });
      return;
    }
    if (this.handleFailure(apiError, form)) return;
    const code = apiError.kind === 'http' ? (apiError.code ?? '') : '';
    // Field problems the service names (`meta.fields`: path -> message) go to the same fields.
    const named: Record<string, string> = ON_PASSWORD[code] ? { password: this.t(ON_PASSWORD[code]) } : {};
    for (const [path, message] of Object.entries(apiError.fields ?? {})) named[path.replace('phone.', '')] = message;
    const shown = Object.keys(named).filter((name) => form?.elements.namedItem(name));
    if (shown.length) {
      this.fieldErrors = Object.fromEntries(shown.map((name) => [name, named[name]]));
      this.formError = this.t('form.summary');
      void this.updateComplete.then(() => focusFirstInvalid(form!));
      return;
    }
    const key = BY_CODE[code];
    // Only secrets are cleared after a wrong answer; everything else the shopper typed stays.
    const secret = key === 'error.credentials' ? 'password' : key?.startsWith('error.code') ? 'otp' : undefined;
    const input = secret ? (form?.elements.namedItem(secret) as HTMLInputElement | null) : null;
    if (input) {
      input.value = '';
      input.focus();
    }
    this.formError = key ? this.t(key) : this.describe(apiError);
  }

  /** What a shopper is told for a failure that is not about their input. */
  protected describe(error: LatchApiError): string {
    const byKind: Partial<Record<LatchApiError['kind'], MessageKey>> = {
      network: 'error.network',
      cors: 'error.crossOrigin',
      'cross-site': 'error.crossOrigin',
      timeout: 'error.timeout',
      malformed: 'error.malformed',
      config: 'error.config',
    };
    const key = byKind[error.kind];
    if (key) return this.t(key);
    if (error.status >= 500) return this.t('error.server');
    return this.t('error.generic', { message: error.message });
  }

  protected override updated(_changed: PropertyValues): void {
    if (!this.focusAfterRender) return;
    const step = this.querySelector<HTMLElement>(`#${this.fid(this.focusAfterRender)}`);
    // A step that is still loading gets focus when it is there.
    if (!step) return;
    this.focusAfterRender = undefined;
    (step.querySelector<HTMLElement>('input:not([type=hidden]),select,textarea') ?? step).focus();
  }

  // ---- building blocks -------------------------------------------------------------------

  /** Always in the tree, so screen readers announce what is put into them. */
  protected renderMessages(): TemplateResult {
    const wait = this.secondsUntil(this.retryUntil);
    return html`<div role="alert" class="latch-alert">
        ${this.formError ? html`<p class="latch-notice latch-notice--error">${this.formError}</p>` : nothing}
      </div>
      <div role="status" class="latch-status">${this.notice ? html`<p class="latch-notice">${this.notice}</p>` : nothing}</div>
      ${wait ? html`<p class="latch-notice">${this.t('error.retryIn', { time: this.duration(wait) })}</p>` : nothing}`;
  }

  protected field(name: string, labelKey: MessageKey, spec: Partial<FieldSpec> = {}): TemplateResult {
    return field({
      id: this.fid(name),
      name,
      label: this.t(labelKey),
      type: 'text',
      autocomplete: 'off',
      required: true,
      value: this.fieldValue(name),
      error: this.fieldErrors[name],
      ...spec,
    });
  }

  protected passwordField(name: string, labelKey: MessageKey, autocomplete: string): TemplateResult {
    return this.field(name, labelKey, {
      type: 'password',
      autocomplete,
      value: undefined,
      after: html`<button
        type="button"
        class="latch-button latch-field__toggle"
        aria-controls=${this.fid(name)}
        aria-pressed="false"
        @click=${togglePassword}
      >${this.t('field.showPassword')}</button>`,
    });
  }

  protected button(labelKey: MessageKey, onClick: () => void, modifier = ''): TemplateResult {
    return html`<button type="button" class="latch-button ${modifier}" aria-disabled=${this.pending ? 'true' : 'false'} @click=${onClick}>
      ${this.t(labelKey)}
    </button>`;
  }

  protected form(
    name: string,
    fields: unknown,
    submitKey: MessageKey,
    onSubmit: (event: SubmitEvent) => void,
    extra: unknown = nothing,
  ): TemplateResult {
    const busy = this.pending || this.secondsUntil(this.retryUntil) > 0;
    // Typed values are kept as the shopper types, so switching steps never loses them (WCAG 3.3.7).
    const remember = (event: Event) => {
      const target = event.target as HTMLInputElement;
      if (!SECRET.test(target.name)) this.remember(target.name, target.value.trim());
    };
    return html`<form class="latch-form" method="post" novalidate name=${name} @submit=${onSubmit} @input=${remember}>
      ${fields}
      <button
        type="submit"
        class="latch-button latch-button--primary"
        aria-disabled=${busy ? 'true' : 'false'}
        aria-busy=${this.pending ? 'true' : 'false'}
      >${this.pending ? this.t('auth.busy') : this.t(submitKey)}</button>
      ${extra}
    </form>`;
  }

  /** A step's heading; focus goes to it when the step changes, so screen readers hear where they are. */
  protected heading(key: MessageKey, params?: Record<string, string>): TemplateResult {
    return html`<h3 class="latch-step__title" id=${this.fid('step')} tabindex="-1">${this.t(key, params)}</h3>`;
  }
}

function togglePassword(event: Event): void {
  const button = event.currentTarget as HTMLButtonElement;
  const input = document.getElementById(button.getAttribute('aria-controls')!) as HTMLInputElement | null;
  if (!input) return;
  const show = input.type === 'password';
  input.type = show ? 'text' : 'password';
  button.setAttribute('aria-pressed', String(show));
}
