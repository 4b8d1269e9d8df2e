/**
 * The form machinery every latch element with forms shares: the alert and status regions, focus
 * after a step changes, and the building blocks (labelled field, password field with show/hide,
 * form, button, step heading). The behaviour is in reactive controllers (src/controllers/): the
 * submit path (validate with zod/mini, one request at a time, failures told at the right place, a
 * field's message gone once the shopper fixed it), one countdown per element for the 429 and resend
 * clocks, and the captcha a form may need; the protected members below are the elements' names for
 * them. Elements add what is theirs through a few hooks: `remember`, `fieldValue`,
 * `captchaRequired`, `captchaName`, `handleFailure`, `limited`, `fieldRules` and `keepTicking`.
 */
import { html, nothing, svg, type TemplateResult } from 'lit/html.js';
import type * as z from 'zod/mini';
import { LatchApiError } from '../api/errors.js';
import { CaptchaController } from '../controllers/captcha.js';
import { CountdownController } from '../controllers/countdown.js';
import { SECRET, SubmitController, type SubmitHandler } from '../controllers/submit.js';
import type { LatchErrorDetail } from '../events.js';
import type { MessageKey } from '../i18n/en.js';
import { field, type FieldSpec } from '../ui/form.js';
import { LatchElement } from './latch-element.js';
import type { PropertyValues } from 'lit';

export type { SubmitHandler };

export abstract class FormElement extends LatchElement {
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
  /** The submit path: validation, the request in flight, pending, and failures told where they belong. */
  protected readonly submission = new SubmitController(this, this.countdown, {
    t: (key, params) => this.t(key, params),
    duration: (seconds) => this.duration(seconds),
    // Dates the service names are calendar days (YYYY-MM-DD), the same day wherever the shopper is.
    date: (value) => this.localizer.formatDate(value, { dateStyle: 'long', timeZone: 'UTC' }),
    captcha: this.captchas,
    remember: (name, value) => this.remember(name, value),
    handleFailure: (error, form) => this.handleFailure(error, form),
    limited: (error) => this.limited(error),
    describe: (error) => this.describe(error),
    fieldRules: () => this.fieldRules(),
  });

  // The submit state lives in the controller (which renders the element when it changes); these
  // are the element's names for it.

  /** A form's request is running. */
  protected get pending(): boolean {
    return this.submission.pending;
  }
  protected set pending(value: boolean) {
    this.submission.pending = value;
  }
  /** Localized messages shown at fields, by control name. */
  protected get fieldErrors(): Record<string, string> {
    return this.submission.fieldErrors;
  }
  protected set fieldErrors(value: Record<string, string>) {
    this.submission.fieldErrors = value;
  }
  /** The alert line: what went wrong. */
  protected get formError(): string | undefined {
    return this.submission.formError;
  }
  protected set formError(value: string | undefined) {
    this.submission.formError = value;
  }
  /** The status line: what happened ("We sent a code to ..."). */
  protected get notice(): string | undefined {
    return this.submission.notice;
  }
  protected set notice(value: string | undefined) {
    this.submission.notice = value;
  }
  /** When a 429 lifts (ms since epoch); submitting stays disabled until then. */
  protected get retryUntil(): number {
    return this.submission.retryUntil;
  }
  protected set retryUntil(value: number) {
    this.submission.retryUntil = value;
  }
  /** What a request outside the forms is running for (a provider's name), so only its control shows progress. */
  protected get busy(): string | undefined {
    return this.submission.busy;
  }
  protected set busy(value: string | undefined) {
    this.submission.busy = value;
  }
  /** The request in flight, aborted when the element leaves the page. */
  protected get request(): AbortController | undefined {
    return this.submission.request;
  }
  protected set request(value: AbortController | undefined) {
    this.submission.request = value;
  }

  /** The time the element last rendered with (ms since epoch). */
  protected get now(): number {
    return this.countdown.now;
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
  /** A 429 was turned into the wait; what the element adds to it (another way in). */
  protected limited(_error: LatchApiError): void {}
  /** While the rules that word the service's field problems are loading (on demand), the promise of them. */
  protected fieldRules(): Promise<unknown> | undefined {
    return undefined;
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
   * turn failures into messages (controllers/submit.ts).
   */
  protected submit<T>(
    schema: z.ZodMiniType<T>,
    action: (data: T & { captcha_code?: string }, signal: AbortSignal) => Promise<unknown>,
    errorAction: LatchErrorDetail['action'],
    withCaptcha = false,
  ): SubmitHandler {
    return this.submission.handler(schema, action, errorAction, withCaptcha);
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
  protected run(action: (signal: AbortSignal) => Promise<unknown>, errorAction: LatchErrorDetail['action'], busy?: string): Promise<void> {
    return this.submission.run(action, errorAction, busy);
  }

  /** Tells the shopper what went wrong, where it belongs; fires `latch-error`. Aborts stay silent. */
  protected fail(form: HTMLFormElement | undefined, error: unknown, action: LatchErrorDetail['action']): void {
    this.submission.fail(form, error, action);
  }

  /** What a shopper is told for a failure that is not about their input. */
  protected describe(error: LatchApiError): string {
    return this.submission.describe(error);
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
      // A new password's rule is linked to the field, so a screen reader says it before anything is typed.
      hint: autocomplete == 'new-password' ? this.t('password.hint') : undefined,
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
      this.submission.clearFixed(target, onSubmit);
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
