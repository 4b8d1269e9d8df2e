/**
 * `<latch-auth>`: the sign-in experience, driven by the platform config. This slice renders the
 * header (title, subtext, images, flash card), the look and feel, the disabled state, password
 * sign-in and the signed-in state with sign-out. Each flow step is its own render method.
 */
import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { state } from 'lit/decorators.js';
import type { LatchApiError } from '../../api/errors.js';
import { isAbort } from '../../api/errors.js';
import type { PlatformConfig, User } from '../../api/schemas.js';
import { authViewModel, type AuthViewModel } from '../../config/view-model.js';
import { LatchLoginEvent, LatchLogoutEvent } from '../../events.js';
import type { MessageKey } from '../../i18n/en.js';
import { field, focusFirstInvalid, formValues, validate, type FieldErrors } from '../../ui/form.js';
import { LatchElement } from '../latch-element.js';
import { passwordLoginSchema } from './latch-auth.schema.js';

/** Used when a 429 comes without a readable `Retry-After` (for example cross-origin without exposure). */
const DEFAULT_RETRY_SECONDS = 30;

/**
 * The sign-in widget. Renders into light DOM so password managers and screen readers see one tree.
 *
 * @tagname latch-auth
 * @summary Sign-in for storefront shoppers, configured by the user service's platform config.
 *
 * @fires latch-login - A shopper signed in; `detail.user` is the user, `detail.method` how.
 * @fires latch-logout - The shopper signed out here; `detail.user` is who was signed in.
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
 *
 * @csspart none - Light DOM: style the documented `latch-*` classes instead
 *   (`latch-root`, `latch-card`, `latch-card__title`, `latch-flash`, `latch-field`, `latch-field__input`, `latch-button`, `latch-notice`).
 */
export class LatchAuth extends LatchElement {
  @state() private pending = false;
  @state() private fieldErrors: FieldErrors = {};
  @state() private formError?: string;
  /** When a 429 lifts (ms since epoch); the submit stays disabled until then. */
  @state() private retryUntil = 0;
  @state() private now = Date.now();

  private viewModel?: AuthViewModel;
  private viewModelFor?: PlatformConfig;
  private countdown?: ReturnType<typeof setInterval>;
  private request?: AbortController;
  /** Where focus goes after the next render, when a step changes under the shopper's focus. */
  private focusAfterRender?: string;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.request?.abort();
    clearInterval(this.countdown);
  }

  private get retrySeconds(): number {
    return Math.max(0, Math.ceil((this.retryUntil - this.now) / 1000));
  }

  private async handlePasswordSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    if (this.pending || this.retrySeconds > 0 || !this.store) return;
    const values = formValues(form);
    const result = validate(passwordLoginSchema, { username: values.username?.trim() ?? '', password: values.password ?? '' });
    if (result.errors) {
      this.fieldErrors = result.errors;
      this.formError = this.t('form.summary');
      await this.updateComplete;
      focusFirstInvalid(form);
      return;
    }
    this.fieldErrors = {};
    this.formError = undefined;
    this.pending = true;
    this.request = new AbortController();
    try {
      const { user } = await this.store.client.loginWithPassword(result.data, { signal: this.request.signal });
      this.focusAfterRender = 'signed-in';
      this.store.signedIn(user);
      this.dispatchEvent(new LatchLoginEvent({ user, method: 'password' }));
    } catch (error) {
      this.handleLoginError(form, error as LatchApiError);
    } finally {
      this.pending = false;
    }
  }

  private handleLoginError(form: HTMLFormElement, error: LatchApiError): void {
    if (isAbort(error)) return;
    this.reportError('login', error);
    if (error.kind === 'http' && error.status === 429) {
      this.startCountdown(error.retryAfter ?? DEFAULT_RETRY_SECONDS);
      this.formError = this.t('error.rateLimited');
      return;
    }
    if (error.kind === 'http' && error.isDeleted) {
      this.formError = this.t('error.locked');
      return;
    }
    if (error.kind === 'http' && error.code === 'INVALID_CREDENTIALS') {
      // Only the secret is cleared; the email stays (WCAG 3.3.7).
      const password = form.elements.namedItem('password') as HTMLInputElement | null;
      if (password) {
        password.value = '';
        password.focus();
      }
      this.formError = this.t('error.credentials');
      return;
    }
    if (error.kind === 'http' && error.code === 'ACCOUNT_DISABLED') {
      this.formError = this.t('error.disabled');
      return;
    }
    this.formError = this.describe(error);
  }

  /** What a shopper is told for a failure that is not about their input. */
  private describe(error: LatchApiError): string {
    const byKind: Partial<Record<LatchApiError['kind'], MessageKey>> = {
      network: 'error.network',
      timeout: 'error.timeout',
      malformed: 'error.malformed',
      config: 'error.config',
    };
    const key = byKind[error.kind];
    if (key) return this.t(key);
    if (error.status >= 500) return this.t('error.server');
    return this.t('error.generic', { message: error.message });
  }

  private startCountdown(seconds: number): void {
    this.now = Date.now();
    this.retryUntil = this.now + seconds * 1000;
    clearInterval(this.countdown);
    this.countdown = setInterval(() => {
      this.now = Date.now();
      if (this.retrySeconds === 0) {
        clearInterval(this.countdown);
        this.formError = undefined;
      }
    }, 1000);
  }

  private async handleSignOut(): Promise<void> {
    if (this.pending || !this.store) return;
    const user = this.store.session.status === 'signed-in' ? this.store.session.user : undefined;
    this.pending = true;
    this.formError = undefined;
    try {
      await this.store.client.logout();
      this.focusAfterRender = 'username';
      this.store.signedOut();
      this.dispatchEvent(new LatchLogoutEvent({ user }));
    } catch (error) {
      if (isAbort(error)) return;
      this.reportError('logout', error as LatchApiError);
      this.formError = this.describe(error as LatchApiError);
    } finally {
      this.pending = false;
    }
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    const config = this.store?.config;
    if (config?.status === 'ready' && config.config !== this.viewModelFor) {
      this.viewModelFor = config.config;
      this.viewModel = authViewModel(config.config, location.origin);
    }
  }

  protected override updated(): void {
    this.applyTheme(this.querySelector(':scope > .latch-root') ?? undefined);
    if (!this.focusAfterRender) return;
    this.querySelector<HTMLElement>(`#${this.uid}-${this.focusAfterRender}`)?.focus();
    this.focusAfterRender = undefined;
  }

  /** Config colours go in as private custom properties through the CSSOM, never a `style` attribute (CSP). */
  private applyTheme(root: Element | undefined): void {
    if (!(root instanceof HTMLElement)) return;
    const vm = this.viewModel;
    const set = (name: string, value: string | undefined) =>
      value ? root.style.setProperty(name, value) : root.style.removeProperty(name);
    set('--_config-backdrop', vm?.backdrop);
    set('--_config-flash-bg', vm?.flash?.background);
    set('--_config-flash-text', vm?.flash?.color);
  }

  private renderHeader(vm: AuthViewModel): TemplateResult {
    const image = vm.desktopImage
      ? html`<picture>
          ${vm.mobileImage !== vm.desktopImage
            ? html`<source media="(max-width: 40rem)" srcset=${vm.mobileImage!} />`
            : nothing}
          <img class="latch-card__logo" src=${vm.desktopImage} alt=${vm.imageAlt} />
        </picture>`
      : nothing;
    return html`<div class="latch-card__header">
      ${image}
      ${vm.heading ? html`<h2 class="latch-card__title">${vm.heading}</h2>` : nothing}
      ${vm.subtext ? html`<p class="latch-card__subtitle">${vm.subtext}</p>` : nothing}
    </div>
    ${vm.flash ? html`<p class="latch-flash">${vm.flash.text}</p>` : nothing}`;
  }

  /** Always in the tree, so screen readers announce what is put into it. */
  private renderAlert(): TemplateResult {
    return html`<div role="alert" class="latch-alert">
      ${this.formError ? html`<p class="latch-notice latch-notice--error">${this.formError}</p>` : nothing}
    </div>`;
  }

  private renderPasswordForm(): TemplateResult {
    const id = (name: string) => `${this.uid}-${name}`;
    const err = (name: string) => (this.fieldErrors[name] ? this.t(this.fieldErrors[name]!) : undefined);
    const waiting = this.retrySeconds > 0;
    const busy = this.pending || waiting;
    return html`<form class="latch-form" method="post" novalidate aria-label=${this.t('auth.passwordForm')} @submit=${this.handlePasswordSubmit}>
      ${this.renderAlert()}
      ${field({
        id: id('username'),
        name: 'username',
        label: this.t('field.email'),
        type: 'email',
        autocomplete: 'username',
        required: true,
        error: err('username'),
      })}
      ${field({
        id: id('password'),
        name: 'password',
        label: this.t('field.password'),
        type: 'password',
        autocomplete: 'current-password',
        required: true,
        error: err('password'),
        after: html`<button
          type="button"
          class="latch-button latch-field__toggle"
          aria-controls=${id('password')}
          aria-pressed="false"
          @click=${this.togglePassword}
        >${this.t('field.showPassword')}</button>`,
      })}
      ${waiting ? html`<p class="latch-notice">${this.t('error.retryIn', { seconds: this.retrySeconds })}</p>` : nothing}
      <button
        type="submit"
        class="latch-button latch-button--primary"
        aria-disabled=${busy ? 'true' : 'false'}
        aria-busy=${this.pending ? 'true' : 'false'}
      >${this.pending ? this.t('auth.signingIn') : this.t('auth.signIn')}</button>
    </form>`;
  }

  private togglePassword(event: Event): void {
    const button = event.currentTarget as HTMLButtonElement;
    const input = this.querySelector<HTMLInputElement>(`#${button.getAttribute('aria-controls')}`);
    if (!input) return;
    const show = input.type === 'password';
    input.type = show ? 'text' : 'password';
    button.setAttribute('aria-pressed', String(show));
  }

  private renderSignedIn(user: User): TemplateResult {
    const primaryEmail = user.emails?.find((e) => e.primary)?.email ?? user.emails?.[0]?.email;
    const name = [user.first_name, user.last_name].filter(Boolean).join(' ') || primaryEmail || user.username || '';
    return html`${this.renderAlert()}
      <p class="latch-notice" id="${this.uid}-signed-in" tabindex="-1">${this.t('auth.signedInAs', { name })}</p>
      <button
        type="button"
        class="latch-button latch-button--primary"
        aria-disabled=${this.pending ? 'true' : 'false'}
        aria-busy=${this.pending ? 'true' : 'false'}
        @click=${this.handleSignOut}
      >${this.pending ? this.t('auth.signingOut') : this.t('auth.signOut')}</button>`;
  }

  private renderBody(vm: AuthViewModel): TemplateResult {
    if (!vm.active) return html`<p class="latch-notice" role="status">${this.t('auth.unavailable')}</p>`;
    const session = this.store!.session;
    if (session.status === 'unknown') return html`<p class="latch-notice" role="status">${this.t('auth.loading')}</p>`;
    if (session.status === 'signed-in') return this.renderSignedIn(session.user);
    if (!vm.password) return html`<p class="latch-notice" role="status">${this.t('auth.noMethod')}</p>`;
    return this.renderPasswordForm();
  }

  private renderProblem(error: LatchApiError): TemplateResult {
    return html`<div class="latch-notice latch-notice--error" role="alert">
      <p>${this.describe(error)}</p>
      <button type="button" class="latch-button" @click=${() => this.store?.fetchConfig()}>${this.t('error.retry')}</button>
    </div>`;
  }

  protected override render(): TemplateResult {
    const config = this.store?.config ?? { status: 'loading' as const };
    const vm = config.status === 'ready' ? this.viewModel : undefined;
    const classes = vm ? `latch-root latch-root--align-${vm.align} latch-root--valign-${vm.valign}` : 'latch-root';
    let content: TemplateResult;
    if (config.status === 'error') content = this.renderProblem(config.error);
    else if (!vm) content = html`<p class="latch-notice" role="status">${this.t('auth.loading')}</p>`;
    else content = html`${this.renderHeader(vm)}${this.renderBody(vm)}`;
    return html`<div class=${classes}>
      <section class="latch-card" aria-busy=${config.status === 'loading' ? 'true' : 'false'}>${content}</section>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'latch-auth': LatchAuth;
  }
}
