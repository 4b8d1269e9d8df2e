/**
 * `<latch-delete-account>`: the signed-in shopper deletes their own account. Steps: what deletion
 * means (with the purge date), a reason when the config offers some, consent when the config has a
 * consent text, proof that it is them (a code to a verified contact, else their password), a final
 * confirmation (the only step that sends anything destructive), and the result. Each step is a
 * small render method; every form goes through one submit path (validation, pending, errors, 429).
 */
import { html, nothing, type TemplateResult } from 'lit/html.js';
import { keyed } from 'lit/directives/keyed.js';
import type { Destination } from '../../api/client.js';
import {
  REASON_MAX_LENGTH,
  deleteAccount,
  deleteSettings,
  verificationTarget,
  type DeleteSettings,
} from '../../api/delete-account.js';
import { LatchApiError } from '../../api/errors.js';
import type { User } from '../../api/schemas.js';
import { LatchAccountDeletedEvent, LatchLoginRequiredEvent } from '../../events.js';
import { enDelete } from '../../i18n/en-delete.js';
import type { MessageKey } from '../../i18n/en.js';
import { addDefaultMessages, langOf } from '../../i18n/localize.js';
import { enCodes } from '../../i18n/en-codes.js';
import { destinationLabel, sendLoginCode, type SentCode } from '../../api/steps.js';
import { FormElement } from '../form-element.js';
import { codeSchema } from '../../ui/contact.schema.js';
import type { PropertyDeclarations, PropertyValues } from '../reactive.js';
import { consentSchema, emptySchema, passwordSchema, reasonSchema } from './latch-delete-account.schema.js';
import { deleteAccountStyles } from './latch-delete-account.styles.js';

const DAY_MS = 86_400_000;

type Step = 'explain' | 'reason' | 'consent' | 'verify' | 'confirm' | 'done';

/**
 * Account deletion for the signed-in shopper, driven by the platform config
 * (`delete_account_reasons`, `delete_account_consent`, `delete_account_day`). Works on its own from
 * its attributes, or inside `<latch-provider>` / `<latch-account>`, sharing their session. Nothing is
 * deleted before the final "Delete my account"; the code or password is sent only then. The submit
 * path, messages, 429 countdown and form building blocks are `FormElement`'s, as in `<latch-auth>`.
 * Styling hooks besides the shared ones: `latch-list`, `latch-choices`, `latch-choice`, `latch-danger`.
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
export class LatchDeleteAccount extends FormElement {
  /** @internal */
  static override ownStyles = deleteAccountStyles;

  static override properties: PropertyDeclarations = {
    captcha: {},
    step: { state: true },
    code: { state: true },
  };

  /**
   * Captcha provider by name when the config requires one (`skip_captcha: false`) to send a code;
   * default: the only registered one. `latch/dev` registers `dev`, the reference service's question.
   */
  captcha = '';

  private step: Step = 'explain';
  private code?: SentCode;

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
  #speak?: ReturnType<typeof setTimeout>;

  constructor() {
    super();
    // The English defaults join the catalog here, not with sign-in; a host's earlier overrides win.
    addDefaultMessages('en', { ...enCodes, ...enDelete } as Record<string, string>);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#speak);
  }

  protected override keepTicking(): boolean {
    return this.now < (this.code?.resendAt ?? 0);
  }

  protected override captchaRequired(): boolean {
    const config = this.store?.config;
    return config?.status === 'ready' && config.config.skip_captcha === false;
  }

  protected override captchaName(): string {
    return this.captcha;
  }

  protected override handleFailure(error: LatchApiError): boolean {
    if (error.kind !== 'http') return false;
    // The session ended (elsewhere, or it expired): the signed-out view asks for a sign-in.
    if (error.status === 401) {
      this.store?.signedOut();
      return true;
    }
    const key = (
      {
        OTP_INVALID: 'error.code',
        OTP_EXPIRED: 'error.codeDead',
        OTP_ATTEMPTS_EXCEEDED: 'error.codeDead',
        INVALID_CREDENTIALS: 'delete.wrongPassword',
      } as Record<string, MessageKey>
    )[error.code ?? ''];
    if (!key) return false;
    // A dead code needs a fresh send rather than a resend.
    if (key === 'error.codeDead' && this.code) this.code = { ...this.code, resendAt: 0 };
    // Only the code or password was wrong: back to where it is typed (empty), all else kept.
    this.#secret = undefined;
    this.#go('verify');
    this.focusAfterRender = this.code ? 'otp' : 'password';
    this.formError = this.t(key);
    return true;
  }


  #date(ms: number): string {
    return new Intl.DateTimeFormat(langOf(this), { dateStyle: 'long' }).format(ms);
  }

  #left(): string {
    const n = REASON_MAX_LENGTH - this.#text.length;
    return this.t(new Intl.PluralRules(langOf(this)).select(n) === 'one' ? 'delete.charLeft' : 'delete.charsLeft', { count: n });
  }

  #go(step: Step, notice?: string): void {
    this.step = step;
    this.notice = notice;
    this.formError = undefined;
    this.fieldErrors = {};
    this.focusAfterRender = 'step';
  }

  /** The next (1) or previous (-1) of the steps this config has. */
  #move(by: 1 | -1): void {
    const { reasons, consent } = this.#s;
    const steps: Step[] = ['explain', ...(reasons.length ? ['reason' as const] : []), ...(consent ? ['consent' as const] : []), 'verify', 'confirm'];
    this.#go(steps[steps.indexOf(this.step) + by] ?? 'explain');
  }

  /** Back to the start with nothing chosen; an open request is abandoned. */
  #reset(notice?: string): void {
    this.request?.abort();
    this.#reasonId = this.#text = this.#spoken = '';
    this.#consented = false;
    this.#secret = undefined;
    this.code = undefined;
    this.#go('explain', notice);
  }

  /** A form of this flow; a step that only moves on runs `next`. */
  #next(next: () => void) {
    return this.submit(emptySchema, async () => next(), 'delete');
  }

  async #send(to: Destination, signal: AbortSignal, captcha?: string, resend?: SentCode): Promise<void> {
    const sent = await sendLoginCode(
      this.store!.client,
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
    this.tick();
    this.notice = this.t('auth.codeSent', { to: destinationLabel(to) });
    this.focusAfterRender = 'otp';
  }

  #resend(): void {
    const code = this.code;
    if (!code || this.secondsUntil(code.resendAt) > 0) return;
    const dead = !code.resendAt;
    if (dead && this.hasCaptcha) {
      // A first send needs a fresh captcha answer: back to the form that asks for one.
      this.code = undefined;
      this.focusAfterRender = 'step';
      return;
    }
    void this.run((signal) => this.#send(code.to, signal, undefined, dead ? undefined : code), 'delete');
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
        // A change of shopper is no reason to pull focus here.
        this.focusAfterRender = undefined;
      }
    }
    this.#needsLogin =
      config?.status === 'ready' && config.config.active !== false && session?.status === 'signed-out' && this.step !== 'done';
    if ((this.step === 'verify' && !this.code) || changed.has('captcha')) void this.loadCaptcha();
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    if (this.#needsLogin && !this.#asked) this.dispatchEvent(new LatchLoginRequiredEvent());
    this.#asked = this.#needsLogin;
  }

  // ---- rendering -------------------------------------------------------------------------

  /** A step: its heading (focused when the step changes), its content, and Back / Cancel. */
  #step(title: MessageKey, content: unknown, nav = true): TemplateResult {
    return html`<div class="latch-step">
      ${this.heading(title)} ${content}
      ${nav && this.step !== 'explain' ? this.button('delete.back', () => this.#move(-1), 'latch-link') : nothing}
      ${nav ? this.button('delete.cancel', () => this.#reset(this.t('delete.cancelled')), 'latch-link') : nothing}
    </div>`;
  }

  #renderSignedOut(): TemplateResult {
    return this.#step('delete.signInTitle', html`<p>${this.t('delete.signIn')}</p>`, false);
  }

  #renderExplain(): TemplateResult {
    const s = this.#s;
    const days = new Intl.NumberFormat(langOf(this), { style: 'unit', unit: 'day', unitDisplay: 'long' }).format(s.days);
    return this.#step(
      'delete.title',
      html`<ul class="latch-list">
          <li>${this.t('delete.locked')}</li>
          <li>${this.t('delete.signedOut')}</li>
          <li>${this.t('delete.purge', { days, date: this.#date(Date.now() + s.days * DAY_MS) })}</li>
        </ul>
        ${this.form('explain', nothing, 'delete.continue', this.#next(() => this.#move(1)))}`,
    );
  }

  #renderReason(): TemplateResult {
    const s = this.#s;
    const error = this.fieldErrors.reason_id;
    const errorId = this.fid('reasons-error');
    const chosen = s.reasons.find((r) => r.id === this.#reasonId);
    const fields = html`<fieldset class="latch-choices" aria-describedby=${error ? errorId : nothing}>
        <legend class="latch-field__label">${this.t('delete.reasonLegend')}</legend>
        ${s.reasons.map(
          (r, i) => html`<div class="latch-choice">
            <input
              type="radio"
              id=${this.fid(`reason-${i}`)}
              name="reason_id"
              value=${r.id}
              required
              .checked=${r.id === this.#reasonId}
              aria-invalid=${error ? 'true' : nothing}
              @change=${() => {
                this.#reasonId = r.id;
                this.requestUpdate();
              }}
            /><label for=${this.fid(`reason-${i}`)}>${r.text}</label>
          </div>`,
        )}
        ${error ? html`<p class="latch-field__error" id=${errorId}>${error}</p>` : nothing}
      </fieldset>
      ${chosen?.textArea ? this.#renderDetails() : nothing}`;
    const next = this.submit(reasonSchema, async () => this.#move(1), 'delete');
    return this.#step('delete.reasonTitle', this.form('reason', fields, 'delete.continue', next));
  }

  /** The shopper's own words for a reason that asks for them, with a count of what is left. */
  #renderDetails(): TemplateResult {
    const id = this.fid('reason');
    const error = this.fieldErrors.reason;
    return html`<div class="latch-field">
      <label class="latch-field__label" for=${id}>${this.t('delete.details')}</label>
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
    const id = this.fid('consent');
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
    const next = this.submit(
      consentSchema,
      async () => {
        this.#consented = true;
        this.#move(1);
      },
      'delete',
    );
    return this.#step('delete.consentTitle', this.form('consent', fields, 'delete.continue', next));
  }

  #renderVerify(user: User): TemplateResult {
    const to = verificationTarget(user);
    const keep = async (secret: { otp: string } | { password: string }) => {
      this.#secret = secret;
      this.#move(1);
    };
    const code = this.code;
    let content: TemplateResult;
    if (!to) {
      // No verified contact to send a code to: the service accepts the password instead.
      const username = user.emails?.[0]?.email ?? user.username ?? '';
      content = this.form(
        'verify',
        html`<p>${this.t('delete.passwordIntro')}</p>
          <input type="hidden" name="username" autocomplete="username" .value=${username} />
          ${this.passwordField('password', 'field.password', 'current-password')}`,
        'delete.continue',
        this.submit(passwordSchema, ({ password }) => keep({ password }), 'delete'),
      );
    } else if (!code) {
      const captcha = this.captchaField();
      content = this.form(
        'send',
        html`<p>${this.t('delete.codeIntro', { to: destinationLabel(to) })}</p>${captcha}`,
        'auth.sendCode',
        this.submit(emptySchema, (data, signal) => this.#send(to, signal, data.captcha_code), 'delete', true),
      );
    } else {
      const wait = this.secondsUntil(code.resendAt);
      const resend = wait ? this.t('auth.resendIn', { time: this.duration(wait) }) : this.t(code.resendAt ? 'auth.resend' : 'auth.newCode');
      content = this.form(
        'verify',
        this.field('otp', 'field.code', { autocomplete: 'one-time-code', inputmode: 'numeric' }),
        'delete.continue',
        this.submit(codeSchema, ({ otp }) => keep({ otp }), 'delete'),
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
    const remove = this.submit(emptySchema, (_data, signal) => this.#delete(signal, user), 'delete');
    return this.#step(
      'delete.confirmTitle',
      html`<p>${this.t('delete.confirm', { date: this.#date(Date.now() + this.#s.days * DAY_MS) })}</p>
        <div class="latch-danger">${this.form('confirm', nothing, 'delete.submit', remove)}</div>`,
    );
  }

  #renderDone(): TemplateResult {
    return this.#step('delete.doneTitle', html`<p>${this.t('delete.done', { date: this.#date(this.#deleteOn) })}</p>`, false);
  }

  protected override render(): TemplateResult {
    const config = this.store?.config ?? { status: 'loading' as const };
    const session = this.store?.session ?? { status: 'unknown' as const };
    let body: unknown;
    if (config.status === 'error') {
      body = html`<div class="latch-notice latch-notice--error" role="alert">
        <p>${this.describe(config.error)}</p>
        ${this.button('error.retry', () => this.store?.fetchConfig())}
      </div>`;
    } else if (config.status === 'ready' && config.config.active === false) {
      body = html`<p class="latch-notice">${this.t('delete.unavailable')}</p>`;
    } else if (this.step === 'done') {
      body = this.#renderDone();
    } else if (config.status === 'loading' || session.status === 'unknown') {
      body = html`<p class="latch-notice">${this.t('delete.loading')}</p>`;
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
      <section class="latch-card" aria-busy=${config.status === 'loading' ? 'true' : 'false'}>${this.renderMessages()}${body}</section>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'latch-delete-account': LatchDeleteAccount;
  }
}
