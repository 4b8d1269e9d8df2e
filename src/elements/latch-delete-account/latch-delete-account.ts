/**
 * `<latch-delete-account>`: the signed-in shopper deletes their own account. Steps: what deletion
 * means (with the purge date), a reason when the config offers some, consent when the config has a
 * consent text, proof that it is them (a code to a verified contact, else their password), a final
 * confirmation (the only step that sends anything destructive), and the result. Each step is a
 * small render method; every form goes through one submit path (validation, pending, errors, 429).
 */
import { html, nothing, type TemplateResult } from 'lit/html.js';
import { keyed } from 'lit/directives/keyed.js';
import type * as z from 'zod/mini';
import type { Destination } from '../../api/client.js';
import {
  REASON_MAX_LENGTH,
  deleteAccount,
  deleteSettings,
  verificationTarget,
  type DeleteSettings,
} from '../../api/delete-account.js';
import { LatchApiError, isAbort, toApiError } from '../../api/errors.js';
import type { User } from '../../api/schemas.js';
import { LatchAccountDeletedEvent, LatchLoginRequiredEvent } from '../../events.js';
import { enDelete, type DeleteMessageKey } from '../../i18n/en-delete.js';
import type { MessageKey } from '../../i18n/en.js';
import { addDefaultMessages, langOf } from '../../i18n/localize.js';
import { createCaptchaProvider, type CaptchaProvider } from '../../providers/captcha.js';
import { field, focusFirstInvalid, formValues, validate } from '../../ui/form.js';
import { codeSchema } from '../latch-auth/latch-auth.schema.js';
import { LatchElement } from '../latch-element.js';
import type { PropertyValues } from '../reactive.js';
import { consentSchema, emptySchema, passwordSchema, reasonSchema } from './latch-delete-account.schema.js';

const DAY_MS = 86_400_000;
/** Used when a 429 comes without a readable `Retry-After`. */
const DEFAULT_RETRY_SECONDS = 30;

type Step = 'explain' | 'reason' | 'consent' | 'verify' | 'confirm' | 'done';
type Key = MessageKey | DeleteMessageKey;

interface CodeRequest {
  to: Destination;
  requestId?: string;
  resendToken?: string;
  /** When the resend button wakes up (ms since epoch); 0 once the code is dead. */
  resendAt: number;
}

const describeTo = (to: Destination): string => ('email' in to ? to.email : `+${to.country_code} ${to.mobile}`);

/**
 * Account deletion for the signed-in shopper, driven by the platform config
 * (`delete_account_reasons`, `delete_account_consent`, `delete_account_day`). Works on its own from
 * its attributes, or inside `<latch-provider>` / `<latch-account>`, sharing their session. Nothing is
 * deleted before the final "Delete my account"; the code or password is sent only then.
 *
 * @tagname latch-delete-account
 * @summary Lets a signed-in shopper delete their account, with the store's reasons, consent and grace period.
 *
 * @fires latch-account-deleted - The account is scheduled for deletion and every session has ended:
 *   `detail.user` is who it was, `detail.deleteOn` (ISO) when it is deleted for good.
 * @fires latch-login-required - Nobody is signed in; fired once each time the element finds itself signed out.
 * @fires latch-error - A request failed; the shopper has been told on screen. `detail.action` is `delete`
 *   (`captcha` when a challenge could not load; `config` / `session` from loading).
 *
 * @cssprop --latch-color-danger - The "Delete my account" button. Default `--latch-color-error` (`#b3261e`).
 *   Everything else is themed by the same `--latch-*` properties as `<latch-auth>`.
 */
export class LatchDeleteAccount extends LatchElement {
  static override properties = {
    captcha: {},
    step: { state: true },
    pending: { state: true },
    fieldErrors: { state: true },
    formError: { state: true },
    notice: { state: true },
    retryUntil: { state: true },
    now: { state: true },
    code: { state: true },
  };

  /**
   * Captcha provider by name when the config requires one (`skip_captcha: false`) to send a code;
   * default: the only registered one. `latch/dev` registers `dev`, the reference service's question.
   */
  captcha = '';

  private step: Step = 'explain';
  private pending = false;
  /** Localized messages shown at fields, by control name. */
  private fieldErrors: Record<string, string> = {};
  private formError?: string;
  private notice?: string;
  /** When a 429 lifts (ms since epoch). */
  private retryUntil = 0;
  private now = Date.now();
  private code?: CodeRequest;

  // What the shopper chose, kept while they move back and forth; cleared by Cancel.
  #reasonId = '';
  #text = '';
  /** The character count as last announced: said when typing pauses, not at every key. */
  #spoken = '';
  #consented = false;
  /** The code or password, held until the final confirmation sends it. Never rendered back. */
  #secret?: { otp: string } | { password: string };
  #deleteOn = 0;
  /** The config's deletion settings, read once per render. */
  #s: DeleteSettings = deleteSettings({});
  /** Whose flow this is; a different (or no) shopper starts over. */
  #userId?: string;
  /** Signed out, and not by a deletion here: `latch-login-required` is due, once per signed-out spell. */
  #needsLogin = false;
  #asked = false;
  #captchaProvider?: CaptchaProvider;
  #captchaFor?: string;
  #request?: AbortController;
  #ticker?: ReturnType<typeof setInterval>;
  #speak?: ReturnType<typeof setTimeout>;
  /** An element id (without the uid prefix) to focus after the next render. */
  #focus?: string;

  constructor() {
    super();
    // The English defaults join the catalog here, not with sign-in; a host's earlier overrides win.
    addDefaultMessages('en', enDelete as Record<string, string>);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.retryUntil || this.code) this.#tick();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#request?.abort();
    clearInterval(this.#ticker);
    this.#ticker = undefined;
    clearTimeout(this.#speak);
  }

  // The shared `t` is typed for the first download's catalog; these keys join it at construction.
  #t(key: Key, params?: Record<string, string | number>): string {
    return this.t(key as MessageKey, params);
  }

  #fid(name: string): string {
    return `${this.uid}-${name}`;
  }

  #secondsUntil(at: number): number {
    return Math.max(0, Math.ceil((at - this.now) / 1000));
  }

  #date(ms: number): string {
    return new Intl.DateTimeFormat(langOf(this), { dateStyle: 'long' }).format(ms);
  }

  #left(): string {
    const n = REASON_MAX_LENGTH - this.#text.length;
    return this.#t(new Intl.PluralRules(langOf(this)).select(n) === 'one' ? 'delete.charLeft' : 'delete.charsLeft', { count: n });
  }

  /** Keeps `now` fresh while a countdown (429 or resend) runs. */
  #tick(): void {
    this.now = Date.now();
    if (this.#ticker) return;
    this.#ticker = setInterval(() => {
      this.now = Date.now();
      if (this.retryUntil && this.now >= this.retryUntil) {
        this.retryUntil = 0;
        this.formError = undefined;
        this.notice = this.t('error.canRetry');
      }
      if (!this.retryUntil && this.now >= (this.code?.resendAt ?? 0)) {
        clearInterval(this.#ticker);
        this.#ticker = undefined;
      }
    }, 1000);
  }


  #go(step: Step, notice?: string): void {
    this.step = step;
    this.notice = notice;
    this.formError = undefined;
    this.fieldErrors = {};
    this.#focus = 'step';
  }

  /** The next (1) or previous (-1) of the steps this config has. */
  #move(by: 1 | -1): void {
    const { reasons, consent } = this.#s;
    const steps: Step[] = ['explain', ...(reasons.length ? ['reason' as const] : []), ...(consent ? ['consent' as const] : []), 'verify', 'confirm'];
    this.#go(steps[steps.indexOf(this.step) + by] ?? 'explain');
  }

  /** Back to the start with nothing chosen; an open request is abandoned. */
  #reset(notice?: string): void {
    this.#request?.abort();
    this.#reasonId = this.#text = this.#spoken = '';
    this.#consented = false;
    this.#secret = undefined;
    this.code = undefined;
    this.#go('explain', notice);
  }

  /** The one submit path of every step: validate, then run once at a time, and speak about failures. */
  #submit<T>(schema: z.ZodMiniType<T>, run: (data: T & { captcha_code?: string }, signal: AbortSignal) => unknown, withCaptcha = false) {
    return async (event: SubmitEvent) => {
      event.preventDefault();
      const form = event.currentTarget as HTMLFormElement;
      if (this.pending || this.#secondsUntil(this.retryUntil) > 0) return;
      // An unchosen radio group is absent from form data; '' lets the schema name it.
      const values = { reason_id: '', ...formValues(form) };
      const result = validate(schema, values);
      const errors: Record<string, string> = {};
      for (const [name, key] of Object.entries(result.errors ?? {})) errors[name] = this.#t(key!);
      const captcha = withCaptcha ? this.#captchaProvider?.token(values) : undefined;
      if (withCaptcha && this.#captchaProvider && !captcha) errors.captcha = this.t('captcha.required');
      if (!result.data || Object.keys(errors).length) {
        this.fieldErrors = errors;
        this.formError = this.t('form.summary');
        await this.updateComplete;
        focusFirstInvalid(form);
        return;
      }
      const data: T & { captcha_code?: string } = { ...result.data, ...(captcha ? { captcha_code: captcha } : {}) };
      await this.#run((signal) => run(data, signal));
      // A captcha answer is single use, right or wrong.
      if (withCaptcha) void this.#loadCaptcha(true);
    };
  }

  async #run(action: (signal: AbortSignal) => unknown): Promise<void> {
    this.fieldErrors = {};
    this.formError = undefined;
    this.notice = undefined;
    this.pending = true;
    this.#request = new AbortController();
    try {
      await action(this.#request.signal);
    } catch (error) {
      this.#fail(error);
    } finally {
      this.pending = false;
    }
  }

  #fail(error: unknown): void {
    if (isAbort(error)) return;
    const e = toApiError(error);
    this.reportError('delete', e);
    if (e.kind === 'http' && e.status === 429) {
      const seconds = e.retryAfter ?? DEFAULT_RETRY_SECONDS;
      this.retryUntil = Date.now() + seconds * 1000;
      this.#tick();
      // Said once with the wait; the ticking countdown is not a live region.
      this.formError = this.t('error.rateLimited', { time: this.duration(seconds) });
      return;
    }
    // The session ended (elsewhere, or it expired): the signed-out view asks for a sign-in.
    if (e.kind === 'http' && e.status === 401) return this.store?.signedOut();
    const key = (
      {
        OTP_INVALID: 'error.code',
        OTP_EXPIRED: 'error.codeDead',
        OTP_ATTEMPTS_EXCEEDED: 'error.codeDead',
        INVALID_CREDENTIALS: 'delete.wrongPassword',
        CAPTCHA_INVALID: 'error.captcha',
      } as Record<string, Key>
    )[e.code ?? ''];
    if (key && this.step === 'confirm') {
      // Only the code or password was wrong: back to where it is typed (empty), all else kept.
      this.#secret = undefined;
      this.#go('verify');
      this.#focus = this.code ? 'otp' : 'password';
    }
    if (key === 'error.codeDead' && this.code) this.code = { ...this.code, resendAt: 0 };
    this.formError = key ? this.#t(key) : this.#describe(e);
  }

  /** What a shopper is told for a failure that is not about their input (as `<latch-auth>` says it). */
  #describe(error: LatchApiError): string {
    const byKind: Partial<Record<LatchApiError['kind'], MessageKey>> = {
      network: 'error.network',
      timeout: 'error.timeout',
      malformed: 'error.malformed',
      config: 'error.config',
    };
    const key = byKind[error.kind];
    if (key) return this.t(key);
    return this.t(error.status >= 500 ? 'error.server' : 'error.generic', { message: error.message });
  }

  async #send(to: Destination, signal: AbortSignal, captcha?: string, resend?: CodeRequest): Promise<void> {
    const sent = await this.store!.client.sendLoginCode(
      to,
      { action: resend ? 'resend' : 'send', token: resend?.resendToken, captcha_code: captcha },
      { signal },
    );
    this.code = {
      to,
      requestId: sent.request_id ?? resend?.requestId,
      resendToken: sent.resend_token ?? sent.resend_email_token,
      resendAt: Date.now() + (sent.resend_timer ?? 30) * 1000,
    };
    this.#tick();
    this.notice = this.t('auth.codeSent', { to: describeTo(to) });
    this.#focus = 'otp';
  }

  #resend(): void {
    const code = this.code;
    if (!code || this.pending || this.#secondsUntil(code.resendAt) > 0) return;
    const dead = !code.resendAt;
    if (dead && this.#captchaProvider) {
      // A first send needs a fresh captcha answer: back to the form that asks for one.
      this.code = undefined;
      this.#focus = 'step';
      return;
    }
    void this.#run((signal) => this.#send(code.to, signal, undefined, dead ? undefined : code));
  }

  async #delete(signal: AbortSignal, user: User): Promise<void> {
    const s = this.#s;
    const reason = s.reasons.find((r) => r.id === this.#reasonId);
    const text = reason?.textArea ? this.#text.trim() : '';
    const secret = this.#secret && 'otp' in this.#secret ? { request_id: this.code?.requestId, ...this.#secret } : this.#secret;
    const result = await deleteAccount(
      this.store!.client,
      {
        user_id: user._id,
        ...(reason ? { reason_id: reason.id, reason: text || reason.text } : {}),
        ...secret,
        ...(s.consent ? { consent: true } : {}),
      },
      { signal },
    );
    const at = Date.parse(result.delete_on ?? '');
    this.#deleteOn = Number.isNaN(at) ? Date.now() + s.days * DAY_MS : at;
    this.#reset();
    this.#go('done');
    // The service ended every session; every latch element sharing this store follows.
    this.#userId = undefined;
    this.store!.signedOut();
    this.dispatchEvent(new LatchAccountDeletedEvent({ user, deleteOn: new Date(this.#deleteOn).toISOString() }));
  }

  /** Loads the captcha challenge when the config asks for one (or, after a use, a new one). */
  async #loadCaptcha(refresh = false): Promise<void> {
    const config = this.store?.config;
    if (config?.status !== 'ready' || config.config.skip_captcha !== false) return;
    if (this.#captchaFor !== this.captcha) {
      this.#captchaFor = this.captcha;
      this.#captchaProvider = createCaptchaProvider(this.captcha);
      refresh = true;
    }
    if (!this.#captchaProvider || !refresh) return;
    try {
      await this.#captchaProvider.load(this.store!.client.apiBase, AbortSignal.timeout(this.timeout));
    } catch (error) {
      this.reportError('captcha', new LatchApiError(String(error), { kind: 'network', cause: error }));
    }
    this.requestUpdate();
  }

  #typed(value: string): void {
    this.#text = value;
    this.requestUpdate();
    clearTimeout(this.#speak);
    this.#speak = setTimeout(() => {
      this.#spoken = this.#left();
      this.requestUpdate();
    }, 1000);
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    const session = this.store?.session;
    const config = this.store?.config;
    if (session && session.status !== 'unknown') {
      const id = session.status === 'signed-in' ? session.user._id : undefined;
      if (id !== this.#userId) {
        this.#userId = id;
        this.#reset();
        this.#focus = undefined;
      }
    }
    this.#needsLogin =
      config?.status === 'ready' && config.config.active !== false && session?.status === 'signed-out' && this.step !== 'done';
    if ((this.step === 'verify' && !this.code) || changed.has('captcha')) void this.#loadCaptcha();
  }

  protected override updated(): void {
    const target = this.#focus && this.querySelector<HTMLElement>(`#${this.#fid(this.#focus)}`);
    this.#focus = undefined;
    const active = document.activeElement;
    // Only when focus is in here, or was lost with a removed control: never pulled from elsewhere.
    if (target && (!active || active === document.body || this.contains(active))) target.focus();
    if (this.#needsLogin && !this.#asked) this.dispatchEvent(new LatchLoginRequiredEvent());
    this.#asked = this.#needsLogin;
  }

  // ---- rendering -------------------------------------------------------------------------

  /** Always in the tree, so screen readers announce what is put into them. */
  #renderMessages(alert?: string): TemplateResult {
    const wait = this.#secondsUntil(this.retryUntil);
    return html`<div role="alert" class="latch-alert">
        ${alert ? html`<p class="latch-notice latch-notice--error">${alert}</p>` : nothing}
      </div>
      <div role="status" class="latch-status">${this.notice ? html`<p class="latch-notice">${this.notice}</p>` : nothing}</div>
      ${wait ? html`<p class="latch-notice">${this.t('error.retryIn', { time: this.duration(wait) })}</p>` : nothing}`;
  }

  #step(title: Key, content: unknown): TemplateResult {
    return html`<div class="latch-step">
      <h3 class="latch-step__title" id=${this.#fid('step')} tabindex="-1">${this.#t(title)}</h3>
      ${content}
    </div>`;
  }

  #link(key: Key, onClick: () => void): TemplateResult {
    return html`<button type="button" class="latch-button latch-link" @click=${onClick}>
      ${this.#t(key)}
    </button>`;
  }

  #form(
    name: string,
    fields: unknown,
    submitKey: Key,
    onSubmit: (event: SubmitEvent) => void,
    extra: unknown = nothing,
  ): TemplateResult {
    const busy = this.pending || this.#secondsUntil(this.retryUntil) > 0;
    const danger = this.step === 'confirm' ? ' latch-button--danger' : '';
    return html`<form class="latch-form" method="post" novalidate name=${name} @submit=${onSubmit}>
      ${fields}
      <button
        type="submit"
        class="latch-button latch-button--primary${danger}"
        aria-disabled=${busy ? 'true' : 'false'}
        aria-busy=${this.pending ? 'true' : 'false'}
      >${this.pending ? this.t('auth.busy') : this.#t(submitKey)}</button>
      ${extra} ${this.step === 'explain' ? nothing : this.#link('delete.back', () => this.#move(-1))}
      ${this.#link('delete.cancel', () => this.#reset(this.#t('delete.cancelled')))}
    </form>`;
  }

  #field(name: string, label: Key, spec: { autocomplete: string; type?: string; inputmode?: string }): TemplateResult {
    return field({ id: this.#fid(name), name, label: this.#t(label), type: 'text', required: true, error: this.fieldErrors[name], ...spec });
  }

  #renderSignedOut(): TemplateResult {
    return this.#step('delete.signInTitle', html`<p>${this.#t('delete.signIn')}</p>`);
  }

  #renderExplain(): TemplateResult {
    const s = this.#s;
    const days = new Intl.NumberFormat(langOf(this), { style: 'unit', unit: 'day', unitDisplay: 'long' }).format(s.days);
    return this.#step(
      'delete.title',
      html`<ul class="latch-list">
          <li>${this.#t('delete.locked')}</li>
          <li>${this.#t('delete.signedOut')}</li>
          <li>${this.#t('delete.purge', { days, date: this.#date(Date.now() + s.days * DAY_MS) })}</li>
        </ul>
        ${this.#form('explain', nothing, 'delete.continue', this.#submit(emptySchema, () => this.#move(1)))}`,
    );
  }

  #renderReason(): TemplateResult {
    const s = this.#s;
    const error = this.fieldErrors.reason_id;
    const errorId = this.#fid('reasons-error');
    const chosen = s.reasons.find((r) => r.id === this.#reasonId);
    const fields = html`<fieldset class="latch-choices" aria-describedby=${error ? errorId : nothing}>
        <legend class="latch-field__label">${this.#t('delete.reasonLegend')}</legend>
        ${s.reasons.map(
          (r, i) => html`<div class="latch-choice">
            <input
              type="radio"
              id=${this.#fid(`reason-${i}`)}
              name="reason_id"
              value=${r.id}
              required
              .checked=${r.id === this.#reasonId}
              aria-invalid=${error ? 'true' : nothing}
              @change=${() => {
                this.#reasonId = r.id;
                this.requestUpdate();
              }}
            /><label for=${this.#fid(`reason-${i}`)}>${r.text}</label>
          </div>`,
        )}
        ${error ? html`<p class="latch-field__error" id=${errorId}>${error}</p>` : nothing}
      </fieldset>
      ${chosen?.textArea ? this.#renderDetails() : nothing}`;
    return this.#step(
      'delete.reasonTitle',
      this.#form('reason', fields, 'delete.continue', this.#submit(reasonSchema, () => this.#move(1))),
    );
  }

  /** The shopper's own words for a reason that asks for them, with a count of what is left. */
  #renderDetails(): TemplateResult {
    const id = this.#fid('reason');
    const error = this.fieldErrors.reason;
    return html`<div class="latch-field">
      <label class="latch-field__label" for=${id}>${this.#t('delete.details')}</label>
      <textarea
        class="latch-field__input"
        id=${id}
        name="reason"
        rows="4"
        maxlength=${REASON_MAX_LENGTH}
        aria-describedby=${error ? `${id}-count ${id}-error` : `${id}-count`}
        aria-invalid=${error ? 'true' : nothing}
        .value=${this.#text}
        @input=${(event: Event) => this.#typed((event.target as HTMLTextAreaElement).value)}
      ></textarea>
      <p class="latch-field__hint" id=${`${id}-count`} aria-hidden="true">${this.#left()}</p>
      <p class="latch-visually-hidden" aria-live="polite">${this.#spoken}</p>
      ${error ? html`<p class="latch-field__error" id=${`${id}-error`}>${error}</p>` : nothing}
    </div>`;
  }

  #renderConsent(): TemplateResult {
    const id = this.#fid('consent');
    const error = this.fieldErrors.consent;
    const fields = html`<div class="latch-field">
      <div class="latch-choice">
        <input
          type="checkbox"
          id=${id}
          name="consent"
          required
          .checked=${this.#consented}
          aria-invalid=${error ? 'true' : nothing}
          aria-describedby=${error ? `${id}-error` : nothing}
        /><label for=${id}>${this.#s.consent}</label>
      </div>
      ${error ? html`<p class="latch-field__error" id=${`${id}-error`}>${error}</p>` : nothing}
    </div>`;
    const next = this.#submit(consentSchema, () => {
      this.#consented = true;
      this.#move(1);
    });
    return this.#step('delete.consentTitle', this.#form('consent', fields, 'delete.continue', next));
  }

  #renderVerify(user: User): TemplateResult {
    const to = verificationTarget(user);
    const keep = (secret: { otp: string } | { password: string }) => {
      this.#secret = secret;
      this.#move(1);
    };
    const code = this.code;
    let content: TemplateResult;
    if (!to) {
      // No verified contact to send a code to: the service accepts the password instead.
      const username = user.emails?.[0]?.email ?? user.username ?? '';
      content = this.#form(
        'verify',
        html`<p>${this.#t('delete.passwordIntro')}</p>
          <input type="hidden" name="username" autocomplete="username" .value=${username} />
          ${this.#field('password', 'field.password', { type: 'password', autocomplete: 'current-password' })}`,
        'delete.continue',
        this.#submit(passwordSchema, ({ password }) => keep({ password })),
      );
    } else if (!code) {
      const needsCaptcha = this.store?.config.status === 'ready' && this.store.config.config.skip_captcha === false;
      const captcha = !needsCaptcha
        ? nothing
        : this.#captchaProvider
          ? this.#captchaProvider.render(this.#fid('captcha'), this.t('field.captcha'), this.fieldErrors.captcha)
          : html`<p class="latch-notice latch-notice--error">${this.t('error.config')}</p>`;
      content = this.#form(
        'send',
        html`<p>${this.#t('delete.codeIntro', { to: describeTo(to) })}</p>${captcha}`,
        'auth.sendCode',
        this.#submit(emptySchema, (data, signal) => this.#send(to, signal, data.captcha_code), true),
      );
    } else {
      const wait = this.#secondsUntil(code.resendAt);
      const resend = wait ? this.t('auth.resendIn', { time: this.duration(wait) }) : this.t(code.resendAt ? 'auth.resend' : 'auth.newCode');
      content = this.#form(
        'verify',
        this.#field('otp', 'field.code', { autocomplete: 'one-time-code', inputmode: 'numeric' }),
        'delete.continue',
        this.#submit(codeSchema, ({ otp }) => keep({ otp })),
        html`<button
          type="button"
          class="latch-button latch-link"
          aria-disabled=${wait || this.pending ? 'true' : 'false'}
          @click=${() => this.#resend()}
        >${resend}</button>`,
      );
    }
    return this.#step('delete.verifyTitle', content);
  }

  #renderConfirm(user: User): TemplateResult {
    return this.#step(
      'delete.confirmTitle',
      html`<p>${this.#t('delete.confirm', { date: this.#date(Date.now() + this.#s.days * DAY_MS) })}</p>
        ${this.#form('confirm', nothing, 'delete.submit', this.#submit(emptySchema, (_data, signal) => this.#delete(signal, user)))}`,
    );
  }

  #renderDone(): TemplateResult {
    return this.#step('delete.doneTitle', html`<p>${this.#t('delete.done', { date: this.#date(this.#deleteOn) })}</p>`);
  }

  protected override render(): TemplateResult {
    const config = this.store?.config ?? { status: 'loading' as const };
    const session = this.store?.session ?? { status: 'unknown' as const };
    let alert = this.formError;
    let body: unknown;
    if (config.status === 'error') {
      alert = this.#describe(config.error);
      body = html`<button type="button" class="latch-button" @click=${() => this.store?.fetchConfig()}>${this.t('error.retry')}</button>`;
    } else if (config.status === 'ready' && config.config.active === false) {
      body = html`<p class="latch-notice">${this.#t('delete.unavailable')}</p>`;
    } else if (this.step === 'done') {
      body = this.#renderDone();
    } else if (config.status === 'loading' || session.status === 'unknown') {
      body = html`<p class="latch-notice">${this.#t('delete.loading')}</p>`;
    } else if (session.status === 'signed-out') {
      body = this.#renderSignedOut();
    } else {
      this.#s = deleteSettings(config.config);
      const user = session.user;
      const steps: Record<Exclude<Step, 'done'>, () => TemplateResult> = {
        explain: () => this.#renderExplain(),
        reason: () => this.#renderReason(),
        consent: () => this.#renderConsent(),
        verify: () => this.#renderVerify(user),
        confirm: () => this.#renderConfirm(user),
      };
      // Keyed: a new step (or the code form after the send form) gets new controls, never reused ones.
      body = keyed(`${this.step}:${!!this.code}`, steps[this.step]());
    }
    return html`<div class="latch-root">
      <section class="latch-card" aria-busy=${config.status === 'loading' ? 'true' : 'false'}>${this.#renderMessages(alert)}${body}</section>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'latch-delete-account': LatchDeleteAccount;
  }
}
