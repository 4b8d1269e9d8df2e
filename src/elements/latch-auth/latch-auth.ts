/**
 * `<latch-auth>`: the sign-in experience, driven by the platform config: password and one-time-code
 * sign-in, social buttons, captcha, forgot/reset password, finishing a new account, required contacts
 * after sign-in, the account-locked view and continue-as-guest. Each flow step is a small render
 * method; every form goes through one submit path (validation, pending, errors, 429 countdown).
 */
import { html, nothing, type TemplateResult } from 'lit/html.js';
import { keyed } from 'lit/directives/keyed.js';
import type { Destination, SocialProvider } from '../../api/client.js';
import { LatchApiError } from '../../api/errors.js';
import { addDefaultMessages, type MessageKey } from '../../i18n/localize.js';
import { okSchema, type PlatformConfig, type User } from '../../api/schemas.js';
import { authViewModel, type AuthViewModel } from '../../config/view-model.js';
import {
  LatchLoginEvent,
  LatchLogoutEvent,
  LatchRegisterEvent,
  LatchSkipEvent,
  type LatchLoginDetail,
} from '../../events.js';
import { socialAdapter } from '../../providers/social.js';
import type { FieldSpec } from '../../ui/form.js';
import { FormElement } from '../form-element.js';
import type { Channel, CodeRequest, LazyStep } from './flows.js';
import type { PropertyDeclarations, PropertyValues } from 'lit';
import { passwordLoginSchema } from './latch-auth.schema.js';
import { loadFlows } from './load-flows.js';
import { secretsOf } from './auth-secrets.js';

/** How long "Skip for now" on a soft-required contact is remembered on this device. */
const SKIP_DAYS = 5;
/** Values carried from step to step so nothing is typed twice (WCAG 3.3.7). Never secrets. */
const CARRIED = ['username', 'email', 'mobile', 'country_code', 'first_name', 'last_name'];

type Step = 'password' | 'otp' | LazyStep;
type Method = LatchLoginDetail['method'];
type Flows = typeof import('./flows.js');

const providerName: Record<SocialProvider, string> = { google: 'Google', facebook: 'Facebook', apple: 'Apple' };

/**
 * The sign-in widget. Renders into light DOM so password managers and screen readers see one tree.
 *
 * @tagname latch-auth
 * @summary Sign-in for storefront shoppers, configured by the user service's platform config.
 *
 * @fires latch-login - A shopper signed in (after any required contact was added or skipped);
 *   `detail.user` is the user, `detail.method` is `password`, `otp`, `google`, `facebook` or `apple`.
 * @fires latch-register - A shopper created an account (every contact verified) and is signed in; `detail.user`.
 * @fires latch-logout - The shopper signed out here; `detail.user` is who was signed in.
 * @fires latch-skip - The shopper chose "Continue as guest" (`skip_login: true`).
 * @fires latch-error - A request failed or the config is invalid; the shopper has been told on screen.
 *   `detail` has `action`, `kind` (`http`, `network`, `timeout`, `malformed`, `config`), `status`, `code`, `message`, `requestId`.
 *
 * @cssprop --latch-color-primary - Buttons, links and focus accents. Default `#1f4fd6`.
 * @cssprop --latch-color-on-primary - Text on primary buttons. Default `#ffffff`.
 * @cssprop --latch-color-text - Body text. Default `#1b1f24`.
 * @cssprop --latch-color-muted - Secondary text. Default `#545c66`.
 * @cssprop --latch-color-surface - Card and input background. Default `#ffffff`.
 * @cssprop --latch-color-border - Input borders. Default `#767f8a`.
 * @cssprop --latch-color-error - Error text and borders. Default `#b3261e`.
 * @cssprop --latch-backdrop - Backdrop behind the card; overrides `look_and_feel.background_color`.
 * @cssprop --latch-radius - Corner radius. Default `0.5rem`.
 * @cssprop --latch-space - Base spacing. Default `1rem`.
 * @cssprop --latch-font - Font family. Default the system UI font.
 * @cssprop --latch-card-max-inline-size - Card width limit. Default `26rem`.
 * @cssprop --latch-focus-ring - Focus outline colour. Default `#1f4fd6`.
 */
export class LatchAuth extends FormElement {
  static override properties: PropertyDeclarations = {
    countryCode: { attribute: 'country-code' },
    mode: {},
    view: {},
    privacyUrl: { attribute: 'privacy-url' },
    captcha: {},
    step: { state: true },
    channel: { state: true },
    code: { state: true },
  };

  /** Country calling code put in the mobile field first, without `+`. */
  countryCode = '91';
  /** Which sign-in mode shows first when password and one-time code are both on: `password` or `otp`. */
  mode: 'password' | 'otp' = 'password';
  /** `register` opens the widget on registration (when the config allows it). */
  view = '';
  /** The store's privacy policy; when set, registration asks for consent with a link to it (`https:` or same origin). */
  privacyUrl = '';
  /**
   * Captcha provider by name when the config requires one (`skip_captcha: false`); default: the only
   * registered one. `latch/dev` registers `dev`, the reference service's question.
   */
  captcha = '';

  private step: Step = 'password';
  // The members marked @internal below are public only for the on-demand steps (flows.ts).
  /** @internal */
  channel: Channel = 'mobile';
  /** @internal The code last sent, while its step is on. */
  code?: CodeRequest;
  /** @internal */
  vm?: AuthViewModel;
  /** @internal Typed values carried between steps (never secrets). */
  values: Record<string, string> = {};
  /** @internal Registration's contacts still to verify, in order. */
  pendingContacts: Destination[] = [];
  /** @internal WebOTP's pending request, aborted when the step is left. */
  sms?: AbortController;

  #viewModelFor?: PlatformConfig;
  /** Sign-in method waiting to be announced until required contacts are added or skipped. */
  #pendingLogin?: Method | 'register';
  #resetChecked = false;
  #flows?: Flows;
  #flowsLoading?: Promise<void>;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.sms?.abort();
  }

  protected override keepTicking(): boolean {
    return this.now < (this.code?.resendAt ?? 0);
  }

  protected override fieldValue(name: string): string | undefined {
    return this.values[name];
  }

  protected override captchaRequired(): boolean {
    return this.vm?.captcha === true;
  }

  protected override captchaName(): string {
    return this.captcha;
  }

  protected override handleFailure(error: LatchApiError): boolean {
    if (error.isDeleted) {
      this.go('locked');
      return true;
    }
    // A dead code (expired, too many tries) needs a fresh send rather than a resend.
    if (/^OTP_(EXPIRED|ATTEMPTS)/.test(error.code ?? '') && this.code) this.code = { ...this.code, resendAt: 0 };
    return false;
  }




  /** @internal */
  go(step: Step, notice?: string): void {
    this.sms?.abort();
    this.step = step;
    this.notice = notice;
    this.formError = undefined;
    this.fieldErrors = {};
    this.focusAfterRender = 'step';
  }




  /** Keeps a non-secret value for the next step; the sign-in "username" is the email elsewhere. */
  protected override remember(name: string, value: string): void {
    if (!CARRIED.includes(name)) return;
    this.values[name] = value;
    if (name === 'username') this.values.email = value;
    if (name === 'email') this.values.username = value;
  }



  /** @internal Signed in by any path: the session is set; the login is announced once required contacts are settled. */
  finish(user: User, method: Method | 'register'): void {
    this.store!.signedIn(user);
    this.#pendingLogin = method;
    this.code = undefined;
    secretsOf(this).registerToken = '';
    this.go(this.vm?.password && this.mode !== 'otp' ? 'password' : 'otp');
    this.announceLogin(user);
  }

  /** @internal */
  announceLogin(user: User): void {
    if (!this.#pendingLogin || this.#missingContact(user)) return;
    const method = this.#pendingLogin;
    this.#pendingLogin = undefined;
    this.dispatchEvent(method === 'register' ? new LatchRegisterEvent({ user }) : new LatchLoginEvent({ user, method }));
  }

  /** A contact the config requires that this shopper lacks (and has not skipped, when soft). */
  #missingContact(user: User): { field: Channel; hard: boolean } | undefined {
    return this.vm?.required.find(({ field, hard }) => {
      const has = field === 'email' ? user.emails?.some((e) => e.verified) : user.phone_numbers?.some((p) => p.verified);
      if (has) return false;
      if (hard) return true;
      const skipped = Number(safeStorage()?.getItem(`latch:skip:${field}:${user._id}`));
      return !(skipped && Date.now() - skipped < SKIP_DAYS * 86_400_000);
    });
  }

  /** Loads the on-demand steps the first time (again after a failed try), and renders again when they arrive. */
  #loadFlows(): Promise<void> {
    return (this.#flowsLoading ??= loadFlows().then(
      (flows) => {
        addDefaultMessages('en', { ...flows.enFlows, ...flows.enCodes });
        this.#flows = flows;
        this.requestUpdate();
      },
      (error: unknown) => {
        // Offline, or the file went missing in a deploy: say so, and let the next attempt retry.
        this.#flowsLoading = undefined;
        this.fail(undefined, new LatchApiError('Could not load this step', { kind: 'network', cause: error }), 'config');
      },
    ));
  }

  /** An on-demand step, or a short loading line while its code arrives. */
  #lazy(render: (flows: Flows) => TemplateResult): TemplateResult {
    if (this.#flows) return render(this.#flows);
    void this.#loadFlows();
    return this.#status('auth.loading');
  }

  /** Runs something from the on-demand steps, loading them first if need be. */
  async #withFlows(action: (flows: Flows) => unknown): Promise<void> {
    await this.#loadFlows();
    if (this.#flows) await action(this.#flows);
  }

  /** @internal */
  skipContact(field: Channel, user: User): void {
    safeStorage()?.setItem(`latch:skip:${field}:${user._id}`, String(Date.now()));
    this.code = undefined;
    this.requestUpdate();
    this.announceLogin(user);
  }

  /** The sign-out button shows only while signed in (so there is a store), in a view without a form. */
  #signOut(): Promise<void> {
    return this.run(async (signal) => {
      const store = this.store!;
      const user = store.session.status === 'signed-in' ? store.session.user : undefined;
      await store.client.logout({ signal });
      this.values = {};
      this.code = undefined;
      this.#pendingLogin = undefined;
      store.signedOut();
      this.go(this.step);
      this.dispatchEvent(new LatchLogoutEvent({ user }));
    }, 'logout');
  }

  /** "Try again" after the config failed: the button stays (disabled) while it runs, so focus stays too. */
  async #retryConfig(): Promise<void> {
    if (this.pending) return;
    this.pending = true;
    await this.store?.fetchConfig();
    this.pending = false;
    if (this.store?.config.status === 'ready') this.focusAfterRender = 'step';
  }

  /** A reset link (`?code=` on the page) opens the new-password step once the config allows it. */
  async #checkResetLink(): Promise<void> {
    this.#resetChecked = true;
    const url = new URL(location.href);
    const code = url.searchParams.get('code');
    if (!code || !this.vm?.forgotPassword) return;
    // The code is a secret: out of the address bar and history as soon as it is read.
    url.searchParams.delete('code');
    history.replaceState(history.state, '', url);
    secretsOf(this).resetCode = { kind: 'link', code };
    this.go('new-password');
    try {
      // Checked here, not in the on-demand steps, so a dead link is caught before anything loads.
      await this.store!.client.request('POST', '/authentication/v1.0/login/password/reset/token', okSchema, { code });
    } catch (error) {
      this.go('forgot');
      this.fail(undefined, error, 'reset');
    }
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    const config = this.store?.config;
    if (config?.status === 'ready' && config.config !== this.#viewModelFor) {
      this.#viewModelFor = config.config;
      const first = !this.vm;
      this.vm = authViewModel(config.config, location.origin);
      if (first && this.mode === 'otp') this.step = 'otp';
      if (first && this.view === 'register' && this.vm.register) this.step = 'register';
      void this.loadCaptcha();
      if (!this.#resetChecked) void this.#checkResetLink();
    }
    if (changed.has('captcha')) void this.loadCaptcha();
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    const root = this.querySelector<HTMLElement>(':scope > .latch-root');
    // Config colours go in as private custom properties through the CSSOM, never a `style` attribute (CSP).
    const vm = this.vm;
    for (const [name, value] of [
      ['--_config-backdrop', vm?.backdrop],
      ['--_config-flash-bg', vm?.flash?.background],
      ['--_config-flash-text', vm?.flash?.color],
    ] as const) {
      // An empty value removes the property.
      root?.style.setProperty(name, value ?? '');
    }
    if (this.#flows && (this.step.endsWith('verify') || this.code?.purpose === 'contact')) this.#flows.listenForSms(this);
  }

  // ---- rendering -------------------------------------------------------------------------

  #renderHeader(vm: AuthViewModel): TemplateResult {
    const image = vm.desktopImage
      ? html`<picture>
          ${vm.mobileImage !== vm.desktopImage
            ? html`<source media="(max-width: 40rem)" srcset=${vm.mobileImage!} />`
            : nothing}
          <img class="latch-card__logo" src=${vm.desktopImage} alt=${vm.imageAlt} />
        </picture>`
      : nothing;
    return html`<div class="latch-card__header">
        ${image} ${vm.heading ? html`<h2 class="latch-card__title">${vm.heading}</h2>` : nothing}
        ${vm.subtext ? html`<p class="latch-card__subtitle">${vm.subtext}</p>` : nothing}
      </div>
      ${vm.flash ? html`<p class="latch-flash">${vm.flash.text}</p>` : nothing}`;
  }



  /** @internal */
  emailField(name = 'email', spec: Partial<FieldSpec> = {}): TemplateResult {
    return this.field(name, 'field.email', { type: 'email', autocomplete: name === 'username' ? 'username' : 'email', ...spec });
  }







  /** @internal */
  channelSwitch(): TemplateResult {
    const other: Channel = this.channel === 'mobile' ? 'email' : 'mobile';
    return this.button(other === 'email' ? 'auth.byEmail' : 'auth.byMobile', () => {
      this.channel = other;
      // The same step again, for the other channel: errors cleared, focus back to the step.
      this.go(this.step, this.notice);
    }, 'latch-link');
  }

  /** @internal A link-styled button to another step. */
  link(labelKey: MessageKey, step: Step): TemplateResult {
    return this.button(labelKey, () => this.go(step), 'latch-link');
  }

  #renderPassword(vm: AuthViewModel): TemplateResult {
    const login = this.submit(passwordLoginSchema, async (data, signal) => {
      const { user } = await this.store!.client.loginWithPassword(data, { signal });
      this.finish(user, 'password');
    }, 'login', true);
    return this.signInStep(
      this.form(
        'password',
        html`${this.emailField('username')}${this.passwordField('password', 'field.password', 'current-password')}${this.captchaField()}`,
        'auth.signIn',
        login,
        vm.forgotPassword
          ? this.button('auth.forgot', () => {
              // A link by email first: it needs nothing but the address the shopper just typed.
              this.channel = 'email';
              this.go('forgot');
            }, 'latch-link')
          : nothing,
      ),
      vm.otp ? this.link('auth.useCode', 'otp') : nothing,
    );
  }

  /** @internal A sign-in mode's step (password or code): its form, the way to the other mode, and to registration. */
  signInStep(form: TemplateResult, otherMode: TemplateResult | typeof nothing): TemplateResult {
    return html`<div id=${this.fid('step')} class="latch-step">${form}${otherMode}${
      this.vm!.register ? this.link('auth.createAccount', 'register') : nothing
    }</div>`;
  }



  #renderSignedIn(user: User): TemplateResult {
    const missing = this.#missingContact(user);
    if (missing) return this.#lazy((flows) => flows.renderContact(this, missing, user));
    const primaryEmail = user.emails?.find((e) => e.primary)?.email ?? user.emails?.[0]?.email;
    const name = [user.first_name, user.last_name].filter(Boolean).join(' ') || primaryEmail || user.username || '';
    return html`${this.renderMessages()}
      <p class="latch-notice" id=${this.fid('step')} tabindex="-1">${this.t('auth.signedInAs', { name })}</p>
      ${this.button('auth.signOut', () => this.#signOut(), 'latch-button--primary')}`;
  }

  #renderAlternatives(vm: AuthViewModel): TemplateResult | typeof nothing {
    // A provider shows only when the page registered an adapter that can sign in with it.
    const social = vm.social.filter(({ provider }) => socialAdapter(provider));
    if (!social.length && !vm.guest) return nothing;
    return html`<div class="latch-alternatives">
      <p class="latch-divider">${this.t('auth.or')}</p>
      ${social.map(({ provider, appId }) =>
        html`<button
          type="button"
          class="latch-button latch-social latch-social--${provider}"
          aria-disabled=${this.pending ? 'true' : 'false'}
          @click=${() => this.#withFlows((flows) => flows.social(this, provider, appId))}
        >${this.t('auth.social', { provider: providerName[provider] })}</button>`,
      )}
      ${vm.guest ? this.button('auth.guest', () => this.dispatchEvent(new LatchSkipEvent())) : nothing}
    </div>`;
  }

  #renderSignedOut(vm: AuthViewModel): TemplateResult {
    const alternatives = this.#renderAlternatives(vm);
    // A mode the config has switched off falls back to the other one.
    const base: Step | undefined = vm.password ? 'password' : vm.otp ? 'otp' : undefined;
    const show = (this.step === 'password' && !vm.password) || (this.step === 'otp' && !vm.otp) ? base : this.step;
    if (!show) {
      return alternatives === nothing
        ? this.#status('auth.noMethod')
        : html`${this.renderMessages()}${alternatives}`;
    }
    const step = show === 'password' ? this.#renderPassword(vm) : this.#lazy((flows) => flows.steps[show](this));
    // The sign-in modes offer the other ways in below them.
    const content = show === 'password' || show === 'otp' ? html`${step}${alternatives}` : step;
    // Fresh per step: a new step gets new inputs, so no field of one step is reused by the next.
    return html`${this.renderMessages()}${keyed(`${show}:${this.channel}`, content)}`;
  }

  #renderBody(vm: AuthViewModel): TemplateResult {
    if (!vm.active) return this.#status('auth.unavailable');
    const session = this.store!.session;
    if (session.status === 'unknown') return this.#status('auth.loading');
    if (session.status === 'signed-in' && this.step !== 'new-password') return this.#renderSignedIn(session.user);
    return this.#renderSignedOut(vm);
  }

  /** A one-line state of the widget (loading, unavailable), read out politely. */
  #status(key: MessageKey): TemplateResult {
    return html`<p class="latch-notice" role="status">${this.t(key)}</p>`;
  }

  #renderProblem(error: LatchApiError): TemplateResult {
    return html`<div class="latch-notice latch-notice--error" role="alert">
      <p>${this.describe(error)}</p>
      ${this.button('error.retry', () => this.#retryConfig())}
    </div>`;
  }

  protected override render(): TemplateResult {
    const config = this.store?.config ?? { status: 'loading' as const };
    const vm = config.status === 'ready' ? this.vm : undefined;
    const classes = vm ? `latch-root latch-root--align-${vm.align} latch-root--valign-${vm.valign}` : 'latch-root';
    let content: TemplateResult;
    if (config.status === 'error') content = this.#renderProblem(config.error);
    else if (!vm) content = this.#status('auth.loading');
    else content = html`${this.#renderHeader(vm)}${this.#renderBody(vm)}`;
    return html`<div class=${classes}>
      <section class="latch-card" aria-busy=${config.status === 'loading' ? 'true' : 'false'}>${content}</section>
    </div>`;
  }
}

function safeStorage(): Storage | undefined {
  try {
    return localStorage;
  } catch {
    return undefined;
  }
}

/**
 * The on-demand steps (flows.ts) get the element itself; these helpers it inherits are public to
 * them (merged into the class's type; declared after the class so tools that look the name up find
 * the class). Not part of the element's API.
 * @internal
 */
export interface LatchAuth {
  readonly store: FormElement['store'];
  pending: FormElement['pending'];
  fieldErrors: FormElement['fieldErrors'];
  formError: FormElement['formError'];
  notice: FormElement['notice'];
  focusAfterRender: FormElement['focusAfterRender'];
  t: FormElement['t'];
  fid: FormElement['fid'];
  secondsUntil: FormElement['secondsUntil'];
  duration: FormElement['duration'];
  tick: FormElement['tick'];
  submit: FormElement['submit'];
  run: FormElement['run'];
  renderMessages: FormElement['renderMessages'];
  field: FormElement['field'];
  passwordField: FormElement['passwordField'];
  form: FormElement['form'];
  button: FormElement['button'];
  heading: FormElement['heading'];
  captchaField: FormElement['captchaField'];
}

declare global {
  interface HTMLElementTagNameMap {
    'latch-auth': LatchAuth;
  }
}
