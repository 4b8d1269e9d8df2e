/**
 * The form machinery every latch element with forms shares: one submit path (validate with a
 * zod/mini schema, one request at a time, failures turned into messages at the right place, a
 * field's message gone once the shopper fixed it), the alert and status regions, focus after a step
 * changes, and the building blocks (labelled field, password field with show/hide, form, button,
 * step heading). Time and captcha are reactive controllers (src/controllers/): one countdown per
 * element for the 429 and resend clocks, and the captcha a form may need. Elements add what is
 * theirs through a few hooks: `remember`, `fieldValue`, `captchaRequired`, `captchaName`,
 * `handleFailure` and `keepTicking`.
 */
import { html, nothing, svg, type TemplateResult } from 'lit/html.js';
import type * as z from 'zod/mini';
import { LatchApiError, isAbort, toApiError } from '../api/errors.js';
import { CaptchaController } from '../controllers/captcha.js';
import { CountdownController } from '../controllers/countdown.js';
import type { LatchErrorDetail } from '../events.js';
import type { MessageKey } from '../i18n/en.js';
import { field, focusFirstInvalid, formValues, validate, type FieldSpec } from '../ui/form.js';
import { LatchElement } from './latch-element.js';
import type { PropertyDeclarations, PropertyValues } from 'lit';

/** Used when a 429 comes without a readable `Retry-After` (for example cross-origin without exposure). */
const DEFAULT_RETRY_SECONDS = 30;
/** A submit handler from `submit()`; `fixed` tells whether a field's value now passes the form's rules. */
export type SubmitHandler = ((event: SubmitEvent) => Promise<void>) & { fixed?: (form: HTMLFormElement, name: string) => boolean };

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
    busy: { state: true },
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
  /** What a request outside the forms is running for (a provider's name), so only its control shows progress. */
  protected busy?: string;
  /** The request in flight, aborted when the element leaves the page. */
  protected request?: AbortController;
  /** An element id (without the uid prefix) to focus after the next render, when the step changed under focus. */
  protected focusAfterRender?: string;
  /** The one clock of this element: the 429 wait and every resend countdown. */
  protected readonly countdown = new CountdownController(this);
  /** The captcha a form may need; asks the element's hooks. */
  protected readonly captchas = new CaptchaController(this, {
    required: () => this.captchaRequired(),
    name: () => this.captchaName(),
    base: () => this.store?.client.apiBase,
    timeout: () => this.timeout,
    failed: (error) => this.reportError('captcha', new LatchApiError(String(error), { kind: 'network', cause: error })),
  });

  /** The time the element last rendered with (ms since epoch). */
  protected get now(): number {
    return this.countdown.now;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.request?.abort();
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
    return this.countdown.secondsUntil(at);
  }

  /** Keeps `now` fresh while `keepTicking()` says a countdown of the element's own is running. */
  protected tick(): void {
    this.countdown.keep('element', () => this.keepTicking());
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
  ): SubmitHandler {
    const handler: SubmitHandler = async (event: SubmitEvent) => {
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
      const captcha = withCaptcha ? this.captchas.token(values) : undefined;
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
    // A field's message goes as soon as what is typed there passes the same rules.
    handler.fixed = (form, name) => {
      if (name === 'captcha') return Boolean(formValues(form).captcha?.trim());
      const values = formValues(form);
      for (const key of Object.keys(values)) if (!SECRET.test(key)) values[key] = values[key].trim();
      return !validate(schema, values).errors?.[name];
    };
    return handler;
  }

  /** Loads a captcha challenge when one is needed (again with `refresh`, after a use). */
  protected loadCaptcha(refresh = false): Promise<void> {
    return this.captchas.load(refresh);
  }

  /** True when a captcha provider is in place (its challenge may still be loading). */
  protected get hasCaptcha(): boolean {
    return this.captchas.active;
  }

  /** The captcha's field for a form that needs one; a configuration error when no provider is registered. */
  protected captchaField(): TemplateResult | typeof nothing {
    return this.captchas.field(this.fid('captcha'), this.t('field.captcha'), this.fieldErrors.captcha, this.t('error.config'));
  }

  /**
   * Runs one request outside a form (resend, social): one at a time, failures told. Pending is shown
   * on the forms, or with `busy` only on the control that started it (a provider's button).
   */
  protected async run(action: (signal: AbortSignal) => Promise<unknown>, errorAction: LatchErrorDetail['action'], busy?: string): Promise<void> {
    if (this.pending || this.busy) return;
    if (busy) this.busy = busy;
    else this.pending = true;
    this.formError = undefined;
    this.request = new AbortController();
    try {
      await action(this.request.signal);
    } catch (error) {
      this.fail(this.querySelector('form') ?? undefined, error, errorAction);
    } finally {
      this.pending = false;
      this.busy = undefined;
    }
  }

  /** Tells the shopper what went wrong, where it belongs; fires `latch-error`. Aborts stay silent. */
  protected fail(form: HTMLFormElement | undefined, error: unknown, action: LatchErrorDetail['action']): void {
    if (isAbort(error)) return;
    const apiError = toApiError(error);
    this.reportError(action, apiError);
    if (apiError.kind === 'http' && apiError.status === 429) {
      const seconds = apiError.retryAfter ?? DEFAULT_RETRY_SECONDS;
      this.retryUntil = this.countdown.refresh() + seconds * 1000;
      this.countdown.until('retry', this.retryUntil, () => {
        this.retryUntil = 0;
        this.formError = undefined;
        this.notice = this.t('error.canRetry');
      });
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

  /**
   * Always in the tree, so screen readers announce what is put into them. With `oneLine`, a 429 is
   * one message whose time counts down (the sign-in widget); without, the alert says it once and a
   * countdown line follows (the account elements, until they take the one line too).
   */
  protected renderMessages(oneLine = false): TemplateResult {
    const wait = this.secondsUntil(this.retryUntil);
    const error =
      oneLine && wait
        ? // The time ticks outside the live region's reading, so the alert is heard once.
          html`${this.t('error.tooMany')} <span aria-live="off">${this.t('error.retryIn', { time: this.duration(wait) })}</span>`
        : this.formError;
    return html`<div role="alert" class="latch-alert">
        ${error ? html`<p class="latch-notice latch-notice--error">${error}</p>` : nothing}
      </div>
      <div role="status" class="latch-status">${this.notice ? html`<p class="latch-notice">${this.notice}</p>` : nothing}</div>
      ${wait && !oneLine ? html`<p class="latch-notice">${this.t('error.retryIn', { time: this.duration(wait) })}</p>` : nothing}`;
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

  /**
   * A password field with its show/hide toggle: an icon button inside the field (named "Show
   * password", "Hide password" once pressed), and `aside` on the label's row.
   */
  protected passwordField(name: string, labelKey: MessageKey, autocomplete: string, aside?: unknown): TemplateResult {
    return this.field(name, labelKey, {
      type: 'password',
      autocomplete,
      value: undefined,
      aside,
      after: html`<button
        type="button"
        class="latch-button latch-field__toggle"
        aria-controls=${this.fid(name)}
        aria-pressed="false"
        @click=${togglePassword}
      >${eyeIcon}<span class="latch-visually-hidden">${this.t('field.showPassword')}</span><span class="latch-visually-hidden" hidden>${this.t(
        'field.hidePassword',
      )}</span></button>`,
    });
  }

  protected button(labelKey: MessageKey, onClick: () => void, modifier = ''): TemplateResult {
    return html`<button type="button" class="latch-button ${modifier}" aria-disabled=${this.pending ? 'true' : 'false'} @click=${onClick}>
      ${this.t(labelKey)}
    </button>`;
  }

  /** Takes a field's message away once its value passes; the summary goes with the last one. */
  #clearFixed(target: HTMLInputElement, onSubmit: SubmitHandler | ((event: SubmitEvent) => void)): void {
    const name = target.name;
    if (!this.fieldErrors[name] || !target.form || !('fixed' in onSubmit) || !onSubmit.fixed?.(target.form, name)) return;
    const { [name]: _fixed, ...rest } = this.fieldErrors;
    this.fieldErrors = rest;
    if (!Object.keys(rest).length && this.formError === this.t('form.summary')) this.formError = undefined;
  }

  protected form(
    name: string,
    fields: unknown,
    submitKey: MessageKey,
    onSubmit: SubmitHandler | ((event: SubmitEvent) => void),
    extra: unknown = nothing,
  ): TemplateResult {
    const busy = this.pending || this.secondsUntil(this.retryUntil) > 0;
    // Typed values are kept as the shopper types, so switching steps never loses them (WCAG 3.3.7).
    const remember = (event: Event) => {
      const target = event.target as HTMLInputElement;
      if (!SECRET.test(target.name)) this.remember(target.name, target.value.trim());
      this.#clearFixed(target, onSubmit);
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

/** An eye; struck through (the second path) while the password shows. */
const eyeIcon = svg`<svg class="latch-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M2 12s3.6-7 10-7 10 7 10 7-3.6 7-10 7S2 12 2 12Z"/><circle cx="12" cy="12" r="3"/><path class="latch-icon__strike" d="M4 4l16 16"/></svg>`;

/** Flips the field's type, the pressed state and which of the two names is heard. */
function togglePassword(event: Event): void {
  const button = event.currentTarget as HTMLButtonElement;
  const input = document.getElementById(button.getAttribute('aria-controls')!) as HTMLInputElement | null;
  if (!input) return;
  const shown = input.type === 'password';
  input.type = shown ? 'text' : 'password';
  button.setAttribute('aria-pressed', String(shown));
  // Not bound by the template, so a later render keeps the state the shopper chose.
  const [showName, hideName] = button.querySelectorAll('span');
  showName.hidden = shown;
  hideName.hidden = !shown;
}
