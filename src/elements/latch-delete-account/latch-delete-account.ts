/**
 * `<latch-delete-account>`: the signed-in shopper deletes their own account. Steps: what deletion
 * means (with the purge date), a reason when the config offers some, consent when the config has a
 * consent text, proof that it is them (a code to a verified contact, else their password), a final
 * confirmation (the only step that sends anything destructive), and the result. Each step is a
 * method named after it (`#explainStep`, `#reasonStep`, ...), listed with its heading in the step
 * table `#steps`; the code step is the shared CodeController with the shared code form, as in
 * `<latch-auth>`. Every form goes through one submit path.
 */
import { html, nothing, type TemplateResult } from 'lit/html.js';
import { keyed } from 'lit/directives/keyed.js';
import type * as z from 'zod/mini';
import {
  REASON_MAX_LENGTH,
  deleteAccount,
  deleteSettings,
  verificationTarget,
  type DeleteRequest,
  type DeleteSettings,
} from '../../api/delete-account.js';
import { LatchApiError } from '../../api/errors.js';
import type { User } from '../../api/schemas.js';
import type { Destination } from '../../api/client.js';
import type { FieldSpec } from '../../ui/form.js';
import { LatchAccountDeletedEvent, LatchDeleteCancelEvent, LatchLoginRequiredEvent } from '../../events.js';
import { enDelete } from '../../i18n/en-delete.js';
import type { MessageKey } from '../../i18n/en.js';
import { addDefaultMessages } from '../../i18n/localize.js';
import { addCodeMessages, useFieldRules } from '../../i18n/errors.js';
import { readFieldProblem } from '../../i18n/field-errors.js';
import { LATER_MESSAGES } from '../../i18n/errors-later.js';
import { enCodes } from '../../i18n/en-codes.js';
import { sendLoginCode } from '../../api/steps.js';
import { formatContact } from '../../i18n/contact.js';
import { useFigures } from '../../i18n/figures.js';
import { enFlows } from '../../i18n/en-flows.js';
import { CodeController, isDeadCode } from '../../controllers/code.js';
import { FormElement } from '../form-element.js';
import { codeSchema } from '../../ui/contact.schema.js';
import { codeForm } from '../../ui/code-form.js';
import { configError } from '../../ui/config-error.js';
import type { PropertyDeclarations, PropertyValues } from 'lit';
import type { ConfigState, SessionState } from '../../context/store.js';
import { consentSchema, emptySchema, passwordSchema, reasonSchema } from './latch-delete-account.schema.js';
import formStyles from '../../ui/forms.css?inline';
import deleteAccountStyles from './latch-delete-account.css?inline';

const DAY_MS = 86_400_000;

type Step = 'explain' | 'reason' | 'consent' | 'verify' | 'confirm' | 'done';

/**
 * Account deletion for the signed-in shopper, driven by the platform config
 * (`delete_account_reasons`, `delete_account_consent`, `delete_account_day`). Works on its own from
 * its attributes, or inside `<latch-provider>` / `<latch-account>`, sharing their session. Nothing is
 * deleted before the final "Delete my account"; the code or password is sent only then. The submit
 * path, messages, 429 countdown and form building blocks are `FormElement`'s, as in `<latch-auth>`.
 * Styling hooks besides the shared ones: `latch-list`, `latch-choices`, `latch-choice`, `latch-danger`,
 * `latch-step__nav` (Back and Cancel, one row of text buttons). Each step has one primary button.
 *
 * @tagname latch-delete-account
 * @summary Lets a signed-in shopper delete their account, with the store's reasons, consent and grace period.
 *
 * @fires latch-account-deleted - The account is scheduled for deletion and every session has ended:
 *   `detail.user` is who it was, `detail.deleteOn` (ISO) when it is deleted for good.
 * @fires latch-delete-cancel - The shopper pressed Cancel; nothing was deleted and the flow is back at its start.
 * @fires latch-login-required - Nobody is signed in; fired once each time the element finds itself signed out.
 * @fires latch-error - A request failed; the shopper has been told on screen. `detail.action` is `delete`
 *   (`captcha` when a challenge could not load; `config` / `session` from loading).
 *
 * @cssprop --latch-color-primary - Primary button, links, focus ring. Default `#1f4fd6` (dark `#8ab4f8`).
 * @cssprop --latch-color-on-primary - Text on the primary button. Default `#ffffff` (dark `#0b1b3a`).
 * @cssprop --latch-color-link - Links and outlined buttons. Default: the primary colour.
 * @cssprop --latch-color-text - Body text. Default `#1b1f24` (dark `#e6edf3`).
 * @cssprop --latch-color-muted - Secondary text. Default `#545c66` (dark `#a3adb9`).
 * @cssprop --latch-color-surface - Card background. Default `#ffffff` (dark `#161b22`).
 * @cssprop --latch-color-field - Input background. Default `#ffffff` (dark `#0d1117`).
 * @cssprop --latch-color-border - Input and secondary button borders. Default `#767f8a` (dark `#7d8590`).
 * @cssprop --latch-color-card-border - Card border, dividers, list entries. Default `#e1e4e8` (dark `#30363d`).
 * @cssprop --latch-color-notice - Notice background. Default `#eef2fb` (dark `#1c2940`).
 * @cssprop --latch-color-error - Error text and borders. Default `#b3261e` (dark `#ff9b91`).
 * @cssprop --latch-color-error-bg - Error notice background. Default `#fcebea` (dark `#3d1a1b`).
 * @cssprop --latch-color-flash-bg - Flash card background; beats the config. Default `flash_card.background_color`.
 * @cssprop --latch-color-flash-text - Flash card text; beats the config. Default `flash_card.text_color`, kept readable.
 * @cssprop --latch-backdrop - Backdrop behind the card; beats `look_and_feel.background_color`.
 * @cssprop --latch-focus-ring - Focus outline colour. Default: the link colour.
 * @cssprop --latch-font - Font family. Default the system UI font.
 * @cssprop --latch-font-heading - Font family of headings. Default `--latch-font`.
 * @cssprop --latch-font-size - Base text size. Default `1rem`.
 * @cssprop --latch-title-size - Card title size. Default `1.5rem`.
 * @cssprop --latch-radius - Corner radius of controls. Default `0.5rem`.
 * @cssprop --latch-card-radius - Corner radius of the card. Default 1.5 × `--latch-radius`.
 * @cssprop --latch-space - Base spacing. Default `1rem`.
 * @cssprop --latch-card-padding - Card padding. Default 2 × `--latch-space` (1.25 × on narrow screens).
 * @cssprop --latch-control-size - Height of fields and buttons. Default `2.75rem` (44 px).
 * @cssprop --latch-card-shadow - Card shadow. Default a soft two-layer shadow (deeper in dark).
 * @cssprop --latch-card-max-inline-size - Card width limit. Default `26rem`.
 * @cssprop --latch-min-block-size - Minimum height of the root. Default `auto`.
 * @cssprop --latch-color-danger - The "Delete my account" button. Default `--latch-color-error`.
 * @cssprop --latch-color-on-danger - Text on that button. Default `#ffffff` (dark `#2a0a08`).
 */
export class LatchDeleteAccount extends FormElement {
  /** @internal */
  static override ownStyles = formStyles + deleteAccountStyles;

  static override properties: PropertyDeclarations = {
    captcha: {},
    step: { state: true },
  };

  /**
   * Captcha provider by name when the config requires one (`skip_captcha: false`) to send a code;
   * default: the only registered one. `latch/dev` registers `dev`, the reference service's question.
   */
  captcha = '';

  private step: Step = 'explain';
  /** The code that proves it is the shopper: sent, resent, dead or not (controllers/code.ts). */
  readonly #code = new CodeController<'delete'>(this, this.countdown);

  // What the shopper chose, kept while they move back and forth; cleared by Cancel. Set by #reset,
  // which runs as soon as a shopper is known, before their first step renders.
  #reasonId!: string;
  #text!: string;
  /** The character count as last announced: said when typing pauses, not at every key. */
  #spoken!: string;
  #consented!: boolean;
  /** The code (with its request) or password, held until the final confirmation sends it. Never rendered back. */
  #secret?: Pick<DeleteRequest, 'request_id' | 'otp' | 'password'>;
  /** When the account is purged; set by the deletion, before the done step renders. */
  #deleteOn!: number;
  /** The config's deletion settings, read by every render of the signed-in steps. */
  #s!: DeleteSettings;
  /** Whose flow this is; a different (or no) shopper starts over. */
  #userId?: string;
  /** The last render showed the signed-out view (and not after a deletion here): `latch-login-required` is due, once per signed-out spell. */
  #signedOutView?: boolean;
  #asked?: boolean;
  #speak?: ReturnType<typeof setTimeout>;

  constructor() {
    super();
    // The English defaults join the catalog here, not with sign-in; a host's earlier overrides win.
    // en-flows brings the words of the codes LATER_MESSAGES names (`consent.required`,
    // `password.common`, ...) and of the service's field problems by rule.
    addDefaultMessages('en', { ...enCodes, ...enFlows, ...enDelete });
    addCodeMessages(LATER_MESSAGES);
    useFigures();
    useFieldRules(readFieldProblem);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#speak);
  }

  /** Sends a code (a fresh one: `captcha` answers the challenge when the config asks for one). */
  async #send(to: Destination, signal: AbortSignal, captcha?: string): Promise<void> {
    await this.#code.send(this.store!.client, 'delete', to, sendLoginCode, signal, captcha ? { captcha_code: captcha } : {});
    this.#sent(to);
  }

  #sent(to: Destination): void {
    this.notice = this.t('auth.codeSent', { to: formatContact(this.localizer.locale, to) });
    this.focusAfterRender = 'otp';
  }

  /** Resend, or once the code is dead a fresh send; a fresh send that needs a new captcha answer goes back to the form that asks for one. */
  #resend(): void {
    if (this.#code.wait > 0) return;
    if (this.#code.dead && this.hasCaptcha) {
      this.#code.clear();
      this.focusAfterRender = 'step';
      this.requestUpdate();
      return;
    }
    void this.run(async (signal) => {
      const sent = await this.#code.resend(this.store!.client, signal);
      if (sent) this.#sent(sent.to);
    }, 'delete');
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
    // A dead code is marked so the next send is a fresh one (the one rule: controllers/code.ts).
    this.#code.failed(error);
    const key: MessageKey | undefined = isDeadCode(error)
      ? 'error.codeDead'
      : error.code === 'OTP_INVALID'
        ? 'error.code'
        : error.code === 'INVALID_CREDENTIALS'
          ? 'delete.wrongPassword'
          : undefined;
    if (!key) return false;
    // Only the code or password was wrong: back to where it is typed (empty), all else kept.
    this.#secret = undefined;
    this.#go('verify');
    this.focusAfterRender = this.#code.sent ? 'otp' : 'password';
    this.formError = this.t(key);
    return true;
  }

  #date(ms: number): string {
    return this.formatDate(ms, { dateStyle: 'long' });
  }

  #left(): string {
    const n = REASON_MAX_LENGTH - this.#text.length;
    return this.t('delete.charsLeft', { count: n });
  }

  #go(step: Step, notice?: string): void {
    this.#code.stopListening();
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

  /** Cancel: back to the start, saying so, and the host may close the flow (`<latch-account>` does). */
  #cancel(): void {
    this.#reset(this.t('delete.cancelled'));
    this.dispatchEvent(new LatchDeleteCancelEvent());
  }

  /** Back to the start with nothing chosen; an open request is abandoned. */
  #reset(notice?: string): void {
    this.request?.abort();
    this.#reasonId = this.#text = this.#spoken = '';
    this.#consented = false;
    this.#secret = undefined;
    this.#code.clear();
    this.#go('explain', notice);
  }

  /** A form that moves on once its fields are valid, after `keep` has taken what it needs. */
  #continue<T>(schema: z.ZodMiniType<T>, keep?: (data: T) => void) {
    return this.submit(
      schema,
      async (data) => {
        keep?.(data);
        this.#move(1);
      },
      'delete',
    );
  }

  async #delete(signal: AbortSignal, user: User): Promise<void> {
    const reason = this.#s.reasons.find((r) => r.id === this.#reasonId);
    const text = reason?.textArea ? this.#text.trim() : '';
    const result = await deleteAccount(
      this.store!.client,
      {
        user_id: user._id,
        ...(reason && { reason_id: reason.id, reason: text || reason.text }),
        ...this.#secret,
        ...(this.#s.consent && { consent: true }),
      },
      { signal },
    );
    // An unreadable date is the config's grace period from now.
    this.#deleteOn = Date.parse(result.delete_on ?? '') || Date.now() + this.#s.days * DAY_MS;
    this.#reset();
    this.step = 'done';
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
    if (session && session.status !== 'unknown') {
      const id = session.status === 'signed-in' ? session.user._id : undefined;
      if (id !== this.#userId) {
        this.#userId = id;
        this.#reset();
        // A change of shopper is no reason to pull focus here.
        this.focusAfterRender = undefined;
      }
    }
    if ((this.step === 'verify' && !this.#code.sent) || changed.has('captcha')) void this.loadCaptcha();
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    if (this.#signedOutView && !this.#asked) this.dispatchEvent(new LatchLoginRequiredEvent());
    this.#asked = this.#signedOutView;
    // WebOTP: an SMS with the code fills the field and moves on.
    if (this.step === 'verify' && this.#code.sent) this.#code.listenForSms(() => document.getElementById(this.fid('otp')) as HTMLInputElement | null);
  }

  // ---- rendering -------------------------------------------------------------------------

  /**
   * The step table: each step's heading and its template, a method named after the step. The order
   * they come in (and which this config skips) is `#move`'s; `done` is the final view of `#body`.
   */
  readonly #steps: Record<Exclude<Step, 'done'>, { title: MessageKey; render: (user: User) => unknown }> = {
    explain: { title: 'delete.title', render: () => this.#explainStep() },
    reason: { title: 'delete.reasonTitle', render: () => this.#reasonStep() },
    consent: { title: 'delete.consentTitle', render: () => this.#consentStep() },
    verify: { title: 'delete.verifyTitle', render: (user) => this.#verifyStep(user) },
    confirm: { title: 'delete.confirmTitle', render: (user) => this.#confirmStep(user) },
  };

  /**
   * A step's heading. Inside `<latch-account>` the flow sits in the "Delete account" section, under
   * its h3, so the steps are h4; alone they are h3 like the other elements' steps. The final views
   * stay h3: after a deletion the page shows the confirmation straight under its own h2.
   */
  #stepHeading(key: MessageKey): TemplateResult {
    return this.closest('latch-account')
      ? html`<h4 class="latch-step__title" id=${this.fid('step')} tabindex="-1">${this.t(key)}</h4>`
      : this.heading(key);
  }

  /** A step of the flow: its heading (focused when the step changes), its content, and Back / Cancel. */
  #step(title: MessageKey, content: unknown): TemplateResult {
    return html`<div class="latch-step">
      ${this.#stepHeading(title)} ${content}
      <div class="latch-step__nav">
        ${this.step !== 'explain' ? this.button('delete.back', () => this.#move(-1), 'latch-link') : nothing}
        ${this.button('delete.cancel', () => this.#cancel(), 'latch-link')}
      </div>
    </div>`;
  }

  /** A view with nowhere to go from here (signed out, or done): a heading and what to know. */
  #final(title: MessageKey, text: string): TemplateResult {
    return html`<div class="latch-step">${this.heading(title)} <p>${text}</p></div>`;
  }

  #explainStep(): TemplateResult {
    const days = this.localizer.formatDuration(this.#s.days * 86400, 'day');
    return html`<ul class="latch-list">
        <li>${this.t('delete.locked')}</li>
        <li>${this.t('delete.signedOut')}</li>
        <li>${this.t('delete.purge', { days, date: this.#date(Date.now() + this.#s.days * DAY_MS) })}</li>
      </ul>
      ${this.form('explain', nothing, 'delete.continue', this.#continue(emptySchema))}`;
  }

  #reasonStep(): TemplateResult {
    const error = this.fieldErrors.reason_id;
    const errorId = this.fid('reasons-error');
    const reasons = this.#s.reasons;
    // The group says "required", not each radio: Chromium announces an unchosen required radio (and
    // an unticked required box, below) as invalid before the shopper has done anything.
    const fields = html`<fieldset class="latch-choices" role="radiogroup" aria-required="true" aria-describedby=${error ? errorId : nothing}>
        <legend class="latch-field__label">${this.t('delete.reasonLegend')}</legend>
        ${reasons.map(
          (r, i) => html`<div class="latch-choice">
            <input
              type="radio"
              id=${this.fid(`reason-${i}`)}
              name="reason_id"
              value=${r.id}
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
      ${reasons.find((r) => r.id === this.#reasonId)?.textArea ? this.#renderDetails() : nothing}`;
    return this.form('reason', fields, 'delete.continue', this.#continue(reasonSchema));
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

  #consentStep(): TemplateResult {
    const id = this.fid('consent');
    const error = this.fieldErrors.consent;
    const fields = html`<div class="latch-field">
      <div class="latch-choice">
        <input
          type="checkbox"
          id=${id}
          name="consent"
          aria-required="true"
          .checked=${this.#consented}
          aria-invalid=${error ? 'true' : nothing}
          aria-describedby=${error ? `${id}-error` : nothing}
        /><label for=${id}>${this.#s.consent}</label>
      </div>
      ${error ? html`<p class="latch-field__error" id=${`${id}-error`}>${error}</p>` : nothing}
    </div>`;
    return this.form('consent', fields, 'delete.continue', this.#continue(consentSchema, () => (this.#consented = true)));
  }

  #verifyStep(user: User): TemplateResult {
    const to = verificationTarget(user);
    const code = this.#code.sent;
    if (!to) {
      // No verified contact to send a code to: the service accepts the password instead.
      const username = user.emails?.[0]?.email ?? user.username ?? '';
      return this.form(
        'verify',
        html`<p>${this.t('delete.passwordIntro')}</p>
          <input type="hidden" name="username" autocomplete="username" .value=${username} />
          ${this.passwordField('password', 'field.password', 'current-password')}`,
        'delete.continue',
        this.#continue(passwordSchema, ({ password }) => (this.#secret = { password })),
      );
    }
    if (!code) {
      return this.form(
        'send',
        html`<p>${this.t('delete.codeIntro', { to: formatContact(this.localizer.locale, to) })}</p>${this.captchaField()}`,
        'auth.sendCode',
        this.submit(emptySchema, (data, signal) => this.#send(to, signal, data.captcha_code), 'delete', true),
      );
    }
    const el = this;
    const parts = {
      get pending() {
        return el.pending;
      },
      t: (key: MessageKey, params?: Record<string, string | number>) => this.t(key, params),
      duration: (seconds: number) => this.duration(seconds),
      field: (name: string, key: MessageKey, spec?: Partial<FieldSpec>) => this.field(name, key, spec),
      form: (name: string, fields: unknown, key: MessageKey, onSubmit: (event: SubmitEvent) => void, extra?: unknown) => this.form(name, fields, key, onSubmit, extra),
    };
    // The code is kept, not checked: the final confirmation sends it with the deletion.
    return codeForm(parts, this.#code, {
      verify: this.#continue(codeSchema, ({ otp }) => (this.#secret = { request_id: code.requestId, otp })),
      resend: () => this.#resend(),
      submit: 'delete.continue',
    });
  }

  #confirmStep(user: User): TemplateResult {
    const remove = this.submit(emptySchema, (_data, signal) => this.#delete(signal, user), 'delete');
    return html`<p>${this.t('delete.confirm', { date: this.#date(Date.now() + this.#s.days * DAY_MS) })}</p>
      <div class="latch-danger">${this.form('confirm', nothing, 'delete.submit', remove)}</div>`;
  }

  protected override render(): TemplateResult {
    const config = this.store?.config ?? { status: 'loading' as const };
    const session = this.store?.session ?? { status: 'unknown' as const };
    return html`<div class="latch-root">
      <section class="latch-card" aria-busy=${config.status === 'loading' ? 'true' : 'false'}>${this.renderMessages()}${this.#body(config, session)}</section>
    </div>`;
  }

  /**
   * What the card shows below its messages. Rendering the signed-out view is what makes
   * `latch-login-required` due (fired from `updated`, once per signed-out spell).
   */
  #body(config: ConfigState, session: SessionState): unknown {
    const notice = (key: MessageKey) => html`<p class="latch-notice">${this.t(key)}</p>`;
    this.#signedOutView = false;
    if (config.status === 'error') {
      return configError(this.describe(config.error), this.t('error.retry'), () => void this.store?.fetchConfig(), this.pending);
    }
    if (config.status === 'ready' && config.config.active === false) return notice('delete.unavailable');
    if (this.step === 'done') return this.#final('delete.doneTitle', this.t('delete.done', { date: this.#date(this.#deleteOn) }));
    if (config.status === 'loading' || session.status === 'unknown') return notice('delete.loading');
    if (session.status === 'signed-out') {
      this.#signedOutView = true;
      return this.#final('delete.signInTitle', this.t('delete.signIn'));
    }
    this.#s = deleteSettings(config.config);
    const user = session.user;
    const { title, render } = this.#steps[this.step as Exclude<Step, 'done'>];
    // Fresh controls for a new step (or for the code form after the send form), never reused ones.
    return keyed(`${this.step}:${!!this.#code.sent}`, this.#step(title, render(user)));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'latch-delete-account': LatchDeleteAccount;
  }
}
