/**
 * `<latch-auth>`: the sign-in experience, driven by the platform config. The element decides which
 * step shows (first screen, signed in, a required contact, an on-demand step) and gives every step
 * one typed context (steps/context.ts); each step is its own module in steps/. The first screen
 * (password sign-in, social buttons, continue as guest) is in the first download; every other step
 * loads on demand through steps/registry.ts.
 */
import { html, nothing, type TemplateResult } from 'lit/html.js';
import { keyed } from 'lit/directives/keyed.js';
import type { SocialProvider } from '../../api/client.js';
import { LatchApiError } from '../../api/errors.js';
import { addDefaultMessages, ltr, type MessageKey } from '../../i18n/localize.js';
import { addCodeMessages, useFieldRules } from '../../i18n/errors.js';
import type { PlatformConfig, User } from '../../api/schemas.js';
import { authViewModel, type AuthViewModel } from '../../config/view-model.js';
import { LatchLoginEvent, LatchLogoutEvent, LatchRegisterEvent, LatchSkipEvent } from '../../events.js';
import { socialAdapter } from '../../providers/social.js';
import type { CodeController } from '../../controllers/code.js';
import { configError } from '../../ui/config-error.js';
import { adoptLatchStyles } from '../../ui/styles.js';
import { providerMarks } from '../../ui/provider-marks.js';
import { FormElement } from '../form-element.js';
import type { PropertyDeclarations, PropertyValues } from 'lit';
import type { Channel, CodePurpose, Method, MissingContact, StepContext, StepName } from './steps/context.js';
import { password } from './steps/password.js';
import { loadSteps } from './load-steps.js';

/** How long "Skip for now" on a soft-required contact is remembered on this device. */
const SKIP_DAYS = 5;
/** Values carried from step to step so nothing is typed twice (WCAG 3.3.7). Never secrets. */
const CARRIED = ['username', 'email', 'mobile', 'country_code', 'first_name', 'last_name', 'gender'];

type Steps = typeof import('./steps/registry.js');
/** The context's properties that follow the element's state. */
type LiveState =
  | 'vm'
  | 'code'
  | 'client'
  | 'values'
  | 'countryCode'
  | 'locale'
  | 'privacyUrl'
  | 'pending'
  | 'fieldErrors'
  | 'channel'
  | 'notice'
  | 'formError'
  | 'passwordLocked';

/** The links the service sends, by their query parameter: what each token is for. */
const LINKS: readonly (readonly [string, 'reset' | Channel])[] = [
  ['code', 'reset'],
  ['verify_email', 'email'],
  ['verify_mobile', 'mobile'],
];

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

  private step: StepName = 'password';
  private channel: Channel = 'mobile';
  /**
   * The code a step is waiting for (sign-in, reset, registration, a required contact). Made when the
   * steps load: only they send codes, so the first screen's download carries no code logic.
   */
  #code?: CodeController<CodePurpose>;
  #vm?: AuthViewModel;
  /** Typed values carried between steps (never secrets). */
  #values: Record<string, string> = {};
  #viewModelFor?: PlatformConfig;
  /** Sign-in method waiting to be announced until required contacts are added or skipped. */
  #pendingLogin?: Method | 'register';
  #linksChecked = false;
  /** A 429 locked this account's password sign-in, and a one-time code would still let the shopper in. */
  #codeStillWorks = false;
  #steps?: Steps;
  #stepsLoading?: Promise<Steps | undefined>;
  /** The one context every step gets; private, so no page script reaches a step's state through the element. */
  readonly #ctx: StepContext = this.#context();

  protected override fieldValue(name: string): string | undefined {
    return this.#values[name];
  }

  protected override captchaRequired(): boolean {
    return this.#vm?.captcha === true;
  }

  protected override captchaName(): string {
    return this.captcha;
  }

  protected override handleFailure(error: LatchApiError): boolean {
    if (error.isDeleted) {
      void this.#withSteps((steps) => {
        steps.lockedUntil(this.#ctx, error.deleteOn);
        this.#go('locked');
      });
      return true;
    }
    // The store turned captcha on after this page read its config: read it again, so the question
    // shows under "Answer the security check." instead of a message with nothing to answer.
    // Focus goes to the question once it is there, where the alert sends the shopper.
    if (error.code === 'CAPTCHA_REQUIRED' && !this.captchaRequired()) {
      void this.store?.refreshConfig().then(() => {
        if (this.captchaRequired()) this.focusAfterRender = 'captcha';
      });
    }
    this.#code?.failed(error);
    return false;
  }

  /** The rules that word the service's field problems come with the steps: a first-screen form waits for them. */
  protected override fieldRules(): Promise<unknown> | undefined {
    return this.#steps ? undefined : this.#loadSteps();
  }

  /**
   * The lock on failed sign-ins guards passwords only: when the service says this account's budget
   * is spent and the store takes codes (and this widget offers them), the password step says so and
   * offers the code instead, for as long as the wait lasts.
   */
  protected override limited(error: LatchApiError): void {
    if (error.locked !== 'account' || !error.otpLogin || !this.#vm?.otp || this.step !== 'password') return;
    this.#codeStillWorks = true;
    this.notice = this.t('auth.lockedCodeWorks');
  }

  #go(step: StepName, notice?: string): void {
    this.#codeStillWorks = false;
    this.#code?.stopListening();
    this.step = step;
    this.notice = notice;
    this.formError = undefined;
    this.fieldErrors = {};
    this.focusAfterRender = 'step';
  }

  /**
   * The shopper chose another step while a request of this one may still run (a code being sent):
   * it is abandoned, so the new step is usable at once and a late answer cannot pull them back.
   */
  #leave(step: StepName, notice?: string): void {
    this.submission.abort();
    this.#go(step, notice);
  }

  /** Keeps a non-secret value for the next step; the sign-in "username" is the email elsewhere. */
  protected override remember(name: string, value: string): void {
    if (!CARRIED.includes(name)) return;
    this.#values[name] = value;
    if (name === 'username') this.#values.email = value;
    if (name === 'email') this.#values.username = value;
  }

  /** Builds the steps' context: the element's state and building blocks, as closures over it. */
  #context(): StepContext {
    /** A property that reads (and with `set`, writes) the element's state, so a step always sees what is current. */
    const live = <T>(get: () => T, set?: (value: T) => void): PropertyDescriptor => ({ get, set, enumerable: true });
    const actions: Omit<StepContext, LiveState> = {
      t: (key, params) => this.t(key, params),
      date: (value) => this.formatDate(new Date(value)),
      duration: (seconds) => this.duration(seconds),
      fid: (name) => this.fid(name),
      go: (step, notice) => this.#go(step, notice),
      focusStep: (target) => (this.focusAfterRender = target ?? 'step'),
      codeInstead: () => {
        // The wait was for passwords; the code request is another limit of the service's.
        this.submission.clearWait();
        this.channel = 'email';
        this.#go('code-request');
      },
      finish: (user, method) => this.#finish(user, method),
      contactAdded: (user) => {
        this.store!.signedIn(user);
        this.focusAfterRender = 'step';
        this.#announceLogin(user);
      },
      skipContact: (field, user) => {
        safeStorage()?.setItem(`latch:skip:${field}:${user._id}`, String(Date.now()));
        this.#code?.clear();
        this.notice = undefined;
        this.focusAfterRender = 'step';
        this.requestUpdate();
        this.#announceLogin(user);
      },
      refreshSession: () => this.store!.refreshSession(),
      submit: (schema, action, errorAction, withCaptcha) => this.submit(schema, action, errorAction, withCaptcha),
      run: (action, errorAction, busy) => this.run(action, errorAction, busy),
      form: (name, fields, submitKey, onSubmit, extra) => this.form(name, fields, submitKey, onSubmit, extra),
      field: (name, labelKey, spec) => this.field(name, labelKey, spec),
      passwordField: (name, labelKey, autocomplete, aside) => this.passwordField(name, labelKey, autocomplete, aside),
      emailField: (name = 'email', spec = {}) =>
        this.field(name, 'field.email', { type: 'email', autocomplete: name === 'username' ? 'username' : 'email', ...spec }),
      button: (labelKey, onClick, modifier) => this.button(labelKey, onClick, modifier),
      link: (labelKey, step) => this.button(labelKey, () => this.#leave(step), 'latch-link'),
      heading: (key, params) => this.heading(key, params),
      captchaField: () => this.captchaField(),
      renderMessages: () => this.renderMessages(true),
      signInStep: (form, otherMode) => html`<div id=${this.fid('step')} class="latch-step">${form}${otherMode}</div>`,
      channelSwitch: () => {
        const other: Channel = this.channel === 'mobile' ? 'email' : 'mobile';
        return this.button(other === 'email' ? 'auth.byEmail' : 'auth.byMobile', () => {
          this.channel = other;
          // The same step again, for the other channel: errors cleared, focus back to the step.
          this.#leave(this.step, this.notice);
        }, 'latch-link');
      },
    };
    return Object.defineProperties(actions, {
      vm: live(() => this.#vm!),
      code: live(() => this.#code!),
      client: live(() => this.store!.client),
      values: live(() => this.#values),
      countryCode: live(() => this.countryCode),
      locale: live(() => this.localizer.locale),
      privacyUrl: live(() => this.privacyUrl),
      pending: live(() => this.pending),
      fieldErrors: live(() => this.fieldErrors),
      channel: live(() => this.channel, (channel: Channel) => (this.channel = channel)),
      notice: live(() => this.notice, (notice?: string) => (this.notice = notice)),
      formError: live(() => this.formError, (error?: string) => (this.formError = error)),
      passwordLocked: live(() => this.#codeStillWorks && this.submission.wait > 0),
    } satisfies Record<LiveState, PropertyDescriptor>) as StepContext;
  }

  /** Signed in by any path: the session is set; the login is announced once required contacts are settled. */
  #finish(user: User, method: Method | 'register'): void {
    this.store!.signedIn(user);
    this.#pendingLogin = method;
    this.#code?.clear();
    this.#go(this.#vm?.password && this.mode !== 'otp' ? 'password' : 'code-request');
    this.#announceLogin(user);
  }

  #announceLogin(user: User): void {
    if (!this.#pendingLogin || this.#missingContact(user)) return;
    const method = this.#pendingLogin;
    this.#pendingLogin = undefined;
    this.dispatchEvent(method === 'register' ? new LatchRegisterEvent({ user }) : new LatchLoginEvent({ user, method }));
  }

  /** A contact the config requires that this shopper lacks (and has not skipped, when soft). */
  #missingContact(user: User): MissingContact | undefined {
    return this.#vm?.required.find(({ field, hard }) => {
      const has = field === 'email' ? user.emails?.some((e) => e.verified) : user.phone_numbers?.some((p) => p.verified);
      if (has) return false;
      if (hard) return true;
      const skipped = Number(safeStorage()?.getItem(`latch:skip:${field}:${user._id}`));
      return !(skipped && Date.now() - skipped < SKIP_DAYS * 86_400_000);
    });
  }

  /** Loads the on-demand steps the first time (again after a failed try), and renders again when they arrive. */
  #loadSteps(): Promise<Steps | undefined> {
    return (this.#stepsLoading ??= loadSteps().then(
      (steps) => {
        addDefaultMessages('en', { ...steps.enFlows, ...steps.enCodes });
        addCodeMessages(steps.LATER_MESSAGES);
        steps.useFigures();
        useFieldRules(steps.readFieldProblem);
        this.#code ??= new steps.CodeController<CodePurpose>(this, this.countdown);
        this.#steps = steps;
        this.requestUpdate();
        return steps;
      },
      (error: unknown) => {
        // Offline, or the file went missing in a deploy: say so, and let the next attempt retry.
        this.#stepsLoading = undefined;
        this.fail(undefined, new LatchApiError('Could not load this step', { kind: 'network', cause: error }), 'config');
        return undefined;
      },
    ));
  }

  /** An on-demand step, or a short loading line while its code arrives. */
  #lazy(render: (steps: Steps) => TemplateResult): TemplateResult {
    if (this.#steps) {
      // Checked on every render, as the shared sheet is: the element may have moved to another root.
      adoptLatchStyles(this.getRootNode(), this.#steps.formStyles);
      return render(this.#steps);
    }
    void this.#loadSteps();
    return this.#status('auth.loading');
  }

  /** Runs something from the on-demand steps, loading them first if need be. */
  async #withSteps(action: (steps: Steps) => unknown): Promise<void> {
    const steps = await this.#loadSteps();
    if (steps) await action(steps);
  }

  /** The sign-out button shows only while signed in (so there is a store), in a view without a form. */
  #signOut(): Promise<void> {
    return this.run(async (signal) => {
      const store = this.store!;
      const user = store.session.status === 'signed-in' ? store.session.user : undefined;
      await store.client.logout({ signal });
      this.#values = {};
      this.#code?.clear();
      this.#pendingLogin = undefined;
      store.signedOut();
      this.#go(this.step);
      this.dispatchEvent(new LatchLogoutEvent({ user }));
      // Focus lands on the empty form; the status says why, or a screen reader hears only "Email".
      // Said once the signed-out view is on the page: words that arrive with a new live region are not read.
      await this.updateComplete;
      this.notice = this.t('auth.signedOut');
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

  /**
   * A link the service sent, opened on this page, once the config is in: a reset link (`?code=`)
   * opens the new-password step (when the store offers password reset); a contact verification link
   * (`?verify_email=`, `?verify_mobile=`) is followed and its result told. Each kind has its own
   * parameter (the service's page-links.ts), so neither is taken for the other.
   */
  #checkLinks(): void {
    this.#linksChecked = true;
    const url = new URL(location.href);
    const found = LINKS.find(([param]) => url.searchParams.get(param));
    if (!found || (found[1] === 'reset' && !this.#vm?.forgotPassword)) return;
    const [param, kind] = found;
    const token = url.searchParams.get(param)!;
    // The token is a secret: out of the address bar and history as soon as it is read, and handed
    // straight to the step that owns it.
    url.searchParams.delete(param);
    history.replaceState(history.state, '', url);
    if (kind === 'reset') {
      this.step = 'new-password';
      // Checked quietly while the shopper types: the form stays usable, a dead link moves to "forgot".
      this.#withSteps((steps) => steps.openResetLink(this.#ctx, token)).catch((error: unknown) => this.fail(undefined, error, 'reset'));
    } else {
      // Not a form run: a step the shopper opens meanwhile must not abandon it, since the token has
      // already left the address bar. A refusal is told in the alert of whatever step shows.
      this.#withSteps((steps) => steps.followContactLink(this.#ctx, kind, token)).catch((error: unknown) => this.fail(undefined, error, 'contact'));
    }
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    const config = this.store?.config;
    if (config?.status === 'ready' && config.config !== this.#viewModelFor) {
      this.#viewModelFor = config.config;
      const first = !this.#vm;
      this.#vm = authViewModel(config.config, location.origin);
      if (first && this.mode === 'otp') this.step = 'code-request';
      if (first && this.view === 'register' && this.#vm.register) this.step = 'registration';
      void this.loadCaptcha();
      if (!this.#linksChecked) this.#checkLinks();
    }
    if (changed.has('captcha')) void this.loadCaptcha();
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    const root = this.querySelector<HTMLElement>(':scope > .latch-root');
    // Config colours go in as private custom properties through the CSSOM, never a `style` attribute (CSP).
    const vm = this.#vm;
    for (const [name, value] of [
      ['--_config-backdrop', vm?.backdrop],
      ['--_config-flash-bg', vm?.flash?.background],
      ['--_config-flash-text', vm?.flash?.color],
    ] as const) {
      // An empty value removes the property.
      root?.style.setProperty(name, value ?? '');
    }
    if (this.#code?.sent) this.#code.listenForSms(() => document.getElementById(this.fid('otp')) as HTMLInputElement | null);
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

  #renderSignedIn(user: User): TemplateResult {
    const missing = this.#missingContact(user);
    if (missing) return this.#lazy((steps) => steps.requiredContact(this.#ctx, missing, user));
    const primaryEmail = user.emails?.find((e) => e.primary)?.email ?? user.emails?.[0]?.email;
    const contact = primaryEmail || user.username;
    // An address reads left to right even inside an Arabic sentence.
    const name = [user.first_name, user.last_name].filter(Boolean).join(' ') || (contact ? ltr(contact) : '');
    return html`${this.renderMessages(true)}
      <p class="latch-notice" id=${this.fid('step')} tabindex="-1">${this.t('auth.signedInAs', { name })}</p>
      ${this.button('auth.signOut', () => this.#signOut(), 'latch-button--primary')}`;
  }

  /** The providers' buttons, first on the screen; "or" under them when a form follows. */
  #renderProviders(vm: AuthViewModel, divider: boolean): TemplateResult | typeof nothing {
    // A provider shows only when the page registered an adapter that can sign in with it.
    const social = vm.social.filter(({ provider }) => socialAdapter(provider));
    if (!social.length) return nothing;
    return html`<div class="latch-providers">
        ${social.map(({ provider, appId }) => {
          // Progress shows on the button that was clicked only; the others are merely unavailable.
          const busy = this.busy === provider;
          return html`<button
            type="button"
            class="latch-button latch-social latch-social--${provider}"
            aria-disabled=${this.pending || this.busy ? 'true' : 'false'}
            aria-busy=${busy ? 'true' : 'false'}
            @click=${() => this.#withSteps((steps) => steps.providerSignIn(this.#ctx, provider, appId))}
          >${busy ? nothing : providerMarks[provider]}${busy ? this.t('auth.busy') : this.t('auth.social', { provider: providerName[provider] })}</button>`;
        })}
      </div>
      ${divider ? html`<p class="latch-divider">${this.t('auth.or')}</p>` : nothing}`;
  }

  /** Below the form: "Continue as guest" (a quiet button, apart from the providers) and the way to registration. */
  #renderFooter(vm: AuthViewModel): TemplateResult {
    return html`${vm.guest ? this.button('auth.guest', () => this.dispatchEvent(new LatchSkipEvent()), 'latch-guest') : nothing}${
      vm.register ? html`<p class="latch-footer">${this.t('auth.newHere')} ${this.#ctx.link('auth.createAccount', 'registration')}</p>` : nothing
    }`;
  }

  #renderSignedOut(vm: AuthViewModel): TemplateResult {
    // A mode the config has switched off falls back to the other one.
    const base: StepName | undefined = vm.password ? 'password' : vm.otp ? 'code-request' : undefined;
    const show = (this.step === 'password' && !vm.password) || (this.step === 'code-request' && !vm.otp) ? base : this.step;
    if (!show) {
      const providers = this.#renderProviders(vm, false);
      return providers === nothing && !vm.guest
        ? this.#status('auth.noMethod')
        : html`${this.renderMessages(true)}${providers}${this.#renderFooter(vm)}`;
    }
    const step = show === 'password' ? password(this.#ctx) : this.#lazy((steps) => steps.steps[show](this.#ctx));
    // The sign-in modes offer the providers first, and guest and registration below.
    const content =
      show === 'password' || show === 'code-request' ? html`${this.#renderProviders(vm, true)}${step}${this.#renderFooter(vm)}` : step;
    // Fresh per step: a new step gets new inputs, so no field of one step is reused by the next.
    return html`${this.renderMessages(true)}${keyed(`${show}:${this.channel}`, content)}`;
  }

  #renderBody(vm: AuthViewModel): TemplateResult {
    if (!vm.active) return this.#status('auth.unavailable');
    const session = this.store!.session;
    // While the session is checked, the signed-out form shows at once (most shoppers are signed
    // out; a cached config then gives the real form in the first frame); a session found replaces it.
    if (session.status === 'signed-in' && this.step !== 'new-password') return this.#renderSignedIn(session.user);
    return this.#renderSignedOut(vm);
  }

  /**
   * The first load without a cached config: the shape of a sign-in card (title, two fields, the
   * button) at its size, so the real form takes its place without moving the page. Heard as
   * "Loading sign-in…".
   */
  #skeleton(): TemplateResult {
    const field = html`<span class="latch-skeleton__field"><span class="latch-skeleton__label"></span><span class="latch-skeleton__input"></span></span>`;
    return html`<span class="latch-skeleton" aria-hidden="true"
        ><span class="latch-skeleton__title"></span>${field}${field}<span class="latch-skeleton__input"></span
      ></span>
      <p class="latch-visually-hidden" role="status">${this.t('auth.loading')}</p>`;
  }

  /** A one-line state of the widget (loading, unavailable), read out politely. */
  #status(key: MessageKey): TemplateResult {
    return html`<p class="latch-notice" role="status">${this.t(key)}</p>`;
  }

  protected override render(): TemplateResult {
    const config = this.store?.config ?? { status: 'loading' as const };
    const vm = config.status === 'ready' ? this.#vm : undefined;
    const classes = vm ? `latch-root latch-root--align-${vm.align} latch-root--valign-${vm.valign}` : 'latch-root';
    let content: TemplateResult;
    if (config.status === 'error') content = configError(this.describe(config.error), this.t('error.retry'), () => this.#retryConfig(), this.pending);
    else if (!vm) content = this.#skeleton();
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

declare global {
  interface HTMLElementTagNameMap {
    'latch-auth': LatchAuth;
  }
}
