/**
 * `<latch-account>`: the signed-in shopper's account page: profile, emails and phones, password,
 * signed-in devices, custom attributes and the way into account deletion. Each part is a section
 * module under `sections/` (see sections/host.ts for how they are built); this element lays them out
 * and owns what they share: one request at a time, the messages of the section that acted (one
 * message for a 429, with its countdown), drafts kept through a lost session, and the signed-out page
 * (an embedded `<latch-auth>`, or after a deletion here the deletion's confirmation first).
 */
import { html, nothing, render as renderInto, type TemplateResult } from 'lit/html.js';
import { toApiError, type LatchApiError } from '../../api/errors.js';
import type { User } from '../../api/schemas.js';
import { authViewModel } from '../../config/view-model.js';
import { ContextProvider } from '@lit/context';
import { storeContext } from '../../context/store-context.js';
import type { LatchStore } from '../../context/store.js';
import { LatchLoginRequiredEvent, LatchLogoutEvent, LatchProfileUpdatedEvent } from '../../events.js';
import { enAccount } from '../../i18n/en-account.js';
import type { MessageKey } from '../../i18n/en.js';
import { addDefaultMessages } from '../../i18n/localize.js';
import { addCodeMessages, useFieldRules } from '../../i18n/errors.js';
import { readFieldProblem } from '../../i18n/field-errors.js';
import { LATER_MESSAGES } from '../../i18n/errors-later.js';
import { enCodes } from '../../i18n/en-codes.js';
import { enFlows } from '../../i18n/en-flows.js';
import { useFigures } from '../../i18n/figures.js';
import { focusFirstInvalid, formValues, type FieldSpec } from '../../ui/form.js';
import { CodeController } from '../../controllers/code.js';
import { configError } from '../../ui/config-error.js';
import { focusInside } from '../../ui/focus-inside.js';
import { FormElement } from '../form-element.js';
import type { PropertyDeclarations, PropertyValues } from 'lit';
import type * as z from 'zod/mini';
import formStyles from '../../ui/forms.css?inline';
import accountStyles from './latch-account.css?inline';
import { AttributesSection } from './sections/attributes.js';
import { ContactsSection } from './sections/contacts.js';
import { DeleteSection } from './sections/delete.js';
import { primaryEmail, type AccountSection, type InputLimits, type Section, type SectionHost } from './sections/host.js';
import { PasswordSection } from './sections/password.js';
import { ProfileSection } from './sections/profile.js';
import { SessionsSection } from './sections/sessions.js';

/** Forms whose unsaved values outlive a session that ends while the page is open. Never secrets. */
const DRAFTED = new Set(['profile', 'contact', 'attributes']);

/**
 * The shopper's account page. Renders into light DOM, like every latch element.
 *
 * Signed out (on load, or when the session ends while the page is open) it explains that sign-in is
 * needed, fires `latch-login-required` and, unless `sign-in="event"`, shows an embedded `<latch-auth>`
 * that shares this element's store, so signing in there shows the account at once. Values typed into
 * the profile, contact and attribute forms are kept in memory (never secrets) and put back when the
 * same shopper signs in again.
 *
 * @tagname latch-account
 * @summary Profile, contacts, password, signed-in devices, custom attributes and account deletion.
 *
 * @attr sign-in - `form` (default): signed out, show an embedded `<latch-auth>`. `event`: show only a
 *   notice and leave sign-in to the host, which routes on `latch-login-required`.
 * @attr country-code - Country calling code put in the "add a phone" form first, without `+`. Default `91`.
 *
 * @fires latch-login-required - No shopper is signed in: on load, or when a request finds the session
 *   over. Not fired after the shopper signs out or deletes the account here.
 * @fires latch-profile-updated - The profile or a contact (added, made primary, removed) was saved;
 *   `detail.user` is the updated user.
 * @fires latch-session-revoked - Other devices were signed out; `detail.sessionIds` lists their sessions.
 * @fires latch-logout - The shopper chose "Sign out here"; `detail.user` is who was signed in.
 * @fires latch-error - A request failed; the shopper has been told on screen. `detail.action` is the
 *   section: `profile`, `contact`, `password`, `sessions` or `attributes`.
 *
 * @cssprop --latch-account-max-inline-size - Width limit of the signed-in account card (signed out it takes `--latch-card-max-inline-size`). Default `40rem`.
 * @cssprop --latch-color-primary - Buttons, links and focus accents. Default `#1f4fd6`.
 * @cssprop --latch-color-text - Body text. Default `#1b1f24`.
 * @cssprop --latch-color-muted - Secondary text (session details, hints). Default `#545c66`.
 * @cssprop --latch-color-surface - Card and input background. Default `#ffffff`.
 * @cssprop --latch-color-border - Input borders. Default `#767f8a`.
 * @cssprop --latch-color-card-border - Card, section and entry borders. Default `#d5d9de`.
 * @cssprop --latch-color-error - Error text and borders. Default `#b3261e`.
 * @cssprop --latch-radius - Corner radius. Default `0.5rem`.
 * @cssprop --latch-space - Base spacing. Default `1rem`.
 * @cssprop --latch-font - Font family. Default the system UI font.
 * @cssprop --latch-focus-ring - Focus outline colour. Default `#1f4fd6`.
 *
 * Styling hooks: `latch-account` (the card), `latch-section` (one panel per section, with
 * `latch-section--profile`, `--contact`, `--password`, `--sessions`, `--attributes`, `--delete`),
 * `latch-entries`, `latch-entry`, `latch-entry__name`, `latch-entry__details`, `latch-badge`,
 * `latch-actions`, `latch-avatar`, `latch-button--danger` (the outlined "Delete my account").
 * Each section has one primary button (`latch-button--primary`); the rest are outlined or links.
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
 * @cssprop --latch-account-max-inline-size - Width limit of the signed-in account card (signed out it takes `--latch-card-max-inline-size`). Default `40rem`.
 */
export class LatchAccount extends FormElement {
  /** @internal */
  static override ownStyles = formStyles + accountStyles;

  static override properties: PropertyDeclarations = {
    signIn: { attribute: 'sign-in' },
    countryCode: { attribute: 'country-code' },
  };

  /** `form`: signed out, show an embedded `<latch-auth>`; `event`: leave sign-in to the host. */
  signIn: 'form' | 'event' = 'form';
  /** Country calling code put in the "add a phone" form first, without `+`. */
  countryCode = '91';

  /**
   * The rendered tree, made once. It answers store requests from the latch elements rendered inside
   * (sign-in, deletion), so they share this element's store; the host itself still asks upwards.
   */
  readonly #root = Object.assign(document.createElement('div'), { className: 'latch-root' });
  readonly #share = new ContextProvider(this.#root, { context: storeContext });
  #shared?: LatchStore;
  #auth?: HTMLElement;
  /** Where the last action's messages show, and which control shows it running. */
  #active?: Section;
  #busy?: string;
  #loadErrors: Partial<Record<Section, string>> = {};
  /** Unsaved values by control name, and whose they are. */
  #drafts: Record<string, string> = {};
  #draftsOf?: string;
  #userId?: string;
  /** The session ended under the shopper (a 401), as opposed to a sign-out they chose. */
  #expired?: boolean;
  #welcomeBack?: boolean;
  #wasSignedOut?: boolean;
  /** Signed out here on purpose (or deleted): no `latch-login-required` for that. */
  #quiet?: boolean;
  /** Focus goes to the embedded sign-in form's first field once it shows. */
  #focusSignIn?: boolean;
  #loading?: AbortController;

  /** What the sections see of this element (sections/host.ts). */
  readonly #host: SectionHost = this.#makeHost();
  readonly #profile = new ProfileSection(this.#host);
  /** The code that proves a new contact is the shopper's (the shared code controller, as in sign-in). */
  readonly #contactCode = new CodeController<'contact'>(this, this.countdown);
  readonly #contacts = new ContactsSection(this.#host, () => this.countryCode, this.#contactCode);
  readonly #sessions: SessionsSection = new SessionsSection(
    this.#host,
    () => this.#password.hasPassword,
    () => void this.#signOut(),
    () => this.#password.othersEnded(),
  );
  readonly #password = new PasswordSection(this.#host, this.#sessions);
  readonly #attributes = new AttributesSection(this.#host);
  readonly #delete = new DeleteSection(this.#host, () => this.#forget());
  /** In page order. */
  readonly #sections: AccountSection[] = [this.#profile, this.#contacts, this.#password, this.#sessions, this.#attributes, this.#delete];

  constructor() {
    super();
    // Host overrides registered earlier win over these defaults.
    // The name fields and genders use the sign-in steps' own words (en-flows).
    addDefaultMessages('en', { ...enCodes, ...enFlows, ...enAccount });
    addCodeMessages(LATER_MESSAGES);
    useFigures();
    useFieldRules(readFieldProblem);
    const keep = (event: Event) => {
      const form = (event.target as HTMLInputElement).form;
      // Only this element's own forms; the embedded sign-in keeps its own values.
      if (!form || form.closest('.latch-root') !== this.#root || !DRAFTED.has(form.name)) return;
      Object.assign(this.#drafts, formValues(form));
      if (event.type === 'change') this.requestUpdate();
    };
    this.#root.addEventListener('input', keep);
    this.#root.addEventListener('change', keep);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#loading?.abort();
  }

  get #waiting(): boolean {
    return this.pending || this.secondsUntil(this.retryUntil) > 0;
  }

  #makeHost(): SectionHost {
    // Arrow functions over `this`: the sections reach the element's protected and private parts only through these.
    const el = this;
    return {
      get store() {
        return el.store!;
      },
      get lang() {
        return el.localizer.locale;
      },
      get waiting() {
        return el.#waiting;
      },
      get fieldErrors() {
        return el.fieldErrors;
      },
      get drafts() {
        return el.#drafts;
      },
      t: (key, params) => this.t(key, params),
      fid: (name) => this.fid(name),
      duration: (seconds) => this.duration(seconds),
      requestUpdate: () => this.requestUpdate(),
      dispatchEvent: (event) => this.dispatchEvent(event),
      say: (notice) => (this.notice = notice),
      focusAfterRender: (id) => (this.focusAfterRender = id),
      clearMessages: () => this.#clearMessages(),
      run: (section, name, work, form) => this.#run(section, name, work, form),
      submit: (section, schema, action) => this.#submit(section, schema, action),
      saved: (form, user) => this.#saved(form, user),
      formNamed: (name) => this.querySelector<HTMLFormElement>(`form[name="${name}"]`),
      section: (section, title, body) => this.#section(section, title, body),
      loadingOr: (section) => this.#loadingOr(section),
      field: (name, label, stored, spec) => this.#field(name, label, stored, spec),
      passwordField: (name, label, autocomplete) => this.passwordField(name, label, autocomplete),
      control: (name, label, value, kind, hint) => this.#control(name, label, value, kind, hint),
      button: (label, name, onClick, modifier, describedBy) => this.#button(label, name, onClick, modifier, describedBy),
      cancel: (leave, focus) => this.#cancel(leave, focus),
      form: (name, fields, submit, onSubmit, extra, secondary) => this.#form(name, fields, submit, onSubmit, extra, secondary),
      username: (user) => this.#username(user),
      badge: (key) => this.#badge(key),
    };
  }

  /** Starts an action: its messages go to its section, its control shows it running. */
  #start(section: Section, name: string): void {
    this.#active = section;
    this.#busy = name;
    this.#welcomeBack = false;
  }

  /** Clears what the last action said. */
  #clearMessages(): void {
    this.fieldErrors = {};
    this.formError = this.notice = undefined;
  }

  /** Runs one request, one at a time; a failure is told in its section (at the fields of `form`, if any). */
  async #run(section: Section, name: string, work: (signal: AbortSignal) => Promise<unknown>, form?: HTMLFormElement): Promise<void> {
    if (this.#waiting) return;
    this.#start(section, name);
    this.#clearMessages();
    this.pending = true;
    this.request = new AbortController();
    try {
      await work(this.request.signal);
    } catch (error) {
      this.fail(form, error, section);
    } finally {
      this.pending = false;
    }
  }

  /** FormElement's submit path, with the section its messages belong to. */
  #submit<T>(section: Section, schema: z.ZodMiniType<T>, action: (data: T, signal: AbortSignal) => Promise<unknown>) {
    const submit = this.submit(schema, action, section);
    return (event: SubmitEvent) => {
      if (!this.#waiting) this.#start(section, (event.currentTarget as HTMLFormElement).name);
      return submit(event);
    };
  }

  /** Drops the drafts of a saved form, and shares a saved user. */
  #saved(form?: string, user?: User): void {
    const saved = form ? this.querySelector<HTMLFormElement>(`form[name="${form}"]`) : null;
    for (const control of saved?.elements ?? []) delete this.#drafts[(control as HTMLInputElement).name];
    // Everyone on the page sees the saved user (the store), and so does the host (the event).
    if (user) {
      this.store!.signedIn(user);
      this.dispatchEvent(new LatchProfileUpdatedEvent({ user }));
    }
  }

  /** Forgets the shopper's data when they leave on purpose (sign-out, deletion). */
  #forget(): void {
    this.#drafts = {};
    this.#auth = undefined;
    this.#quiet = true;
    this.#focusSignIn = true;
  }

  protected override handleFailure(error: LatchApiError, form?: HTMLFormElement): boolean {
    const code = error.code ?? '';
    if (code === 'REAUTH_REQUIRED') {
      this.formError = this.t('account.signInAgain');
      return true;
    }
    if (error.status === 401) {
      // The session is over; what was typed stays in #drafts for when the shopper is back.
      if (this.store?.session.status === 'signed-in') {
        this.#expired = true;
        this.#focusSignIn = true;
        this.store.signedOut();
      }
      return true;
    }
    if (this.#sections.some((s) => s.handleFailure?.(error, form))) return true;
    const current = form?.querySelector<HTMLInputElement>('[name=old_password],[name=current_password]');
    if (code === 'INVALID_CREDENTIALS' && current) {
      // The secret is cleared and told at its field; the new password typed next to it stays.
      current.value = '';
      this.fieldErrors = { [current.name]: this.t('account.wrongPassword') };
      this.formError = this.t('form.summary');
      void this.updateComplete.then(() => focusFirstInvalid(form!));
      return true;
    }
    return false;
  }

  /** A refusal (a contact the service must keep, a session it cannot end) in the service's own words. */

  /** Loads what the page shows beyond the user (each section's own part); a failure shows in its section. */
  async #load(): Promise<void> {
    this.#loading?.abort();
    this.#loadErrors = {};
    const { signal } = (this.#loading = new AbortController());
    await Promise.all(
      this.#sections.map(async (s) => {
        if (!s.load) return;
        try {
          await s.load(signal);
        } catch (error) {
          const apiError = toApiError(error);
          if (apiError.kind === 'aborted') return;
          const section = s.name as Section;
          this.reportError(section, apiError);
          if (!this.handleFailure(apiError)) this.#loadErrors[section] = this.describe(apiError);
        }
        this.requestUpdate();
      }),
    );
  }

  async #signOut(): Promise<void> {
    await this.#run('sessions', 'logout', async (signal) => {
      const store = this.store!;
      const user = store.session.status === 'signed-in' ? store.session.user : undefined;
      await store.client.logout({ signal });
      this.#forget();
      store.signedOut();
      this.dispatchEvent(new LatchLogoutEvent({ user }));
    });
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    if (this.store !== this.#shared) this.#share.setValue((this.#shared = this.store));
    const session = this.store?.session;
    const user = session?.status === 'signed-in' ? session.user : undefined;
    if (user?._id === this.#userId) return;
    this.#userId = user?._id;
    this.#loading?.abort();
    this.#active = undefined;
    for (const s of this.#sections) s.reset();
    this.#clearMessages();
    if (!user) return;
    // Drafts belong to one shopper: someone else signing in on this page starts clean.
    if (this.#draftsOf !== user._id) this.#drafts = {};
    this.#draftsOf = user._id;
    this.#welcomeBack = this.#expired && Object.keys(this.#drafts).length > 0;
    this.#expired = false;
    if (this.#wasSignedOut) this.focusAfterRender = 'title';
    void this.#load();
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    const signedOut = this.store?.session.status === 'signed-out';
    if (signedOut && !this.#wasSignedOut && !this.#quiet) this.dispatchEvent(new LatchLoginRequiredEvent());
    if (!signedOut) this.#quiet = false;
    this.#wasSignedOut = signedOut;
    // WebOTP: an SMS with the code for a new phone fills the field and submits it.
    if (this.#contactCode.sent) this.#contactCode.listenForSms(() => this.querySelector<HTMLInputElement>(`#${this.fid('otp')}`));
    if (signedOut && this.#focusSignIn && !this.#delete.deleted) {
      this.#focusSignIn = false;
      void this.#focusSignInForm();
    }
  }

  /** Focus to the embedded sign-in form's first field once it has one, else to the page's heading. */
  async #focusSignInForm(): Promise<void> {
    if (this.#auth?.isConnected && (await focusInside(this.#auth, 'input:not([type=hidden])'))) return;
    this.querySelector<HTMLElement>(`#${this.fid('title')}`)?.focus();
  }

  // ---- rendering -------------------------------------------------------------------------

  /**
   * Every section has its regions from the start, so screen readers announce what is put into them.
   * A 429 is ONE message: said once in the alert region (hidden from sight), shown with its ticking
   * countdown (hidden from screen readers, which would hear every tick).
   */
  #messages(section: Section): TemplateResult {
    const active = this.#active === section;
    const wait = active ? this.secondsUntil(this.retryUntil) : 0;
    return html`<div role="alert" class="latch-alert">
        ${active && this.formError
          ? html`<p class="latch-notice latch-notice--error ${wait ? 'latch-visually-hidden' : ''}">${this.formError}</p>`
          : nothing}
      </div>
      <div role="status" class="latch-status">${active && this.notice ? html`<p class="latch-notice">${this.notice}</p>` : nothing}</div>
      ${wait ? html`<p class="latch-notice latch-notice--error" aria-hidden="true">${this.t('error.retryIn', { time: this.duration(wait) })}</p>` : nothing}`;
  }

  #section(section: Section | 'delete', title: MessageKey, body: unknown): TemplateResult {
    // `-heading`: a section's name may also be a control's (`password`).
    const id = this.fid(`${section}-heading`);
    return html`<section class="latch-section latch-section--${section}" aria-labelledby=${id}>
      <h3 class="latch-step__title" id=${id} tabindex="-1">${this.t(title)}</h3>
      ${section === 'delete' ? nothing : this.#messages(section)}${body}
    </section>`;
  }

  /** Loading text, or after a failed load what went wrong and a way to try again. */
  #loadingOr(section: Section): TemplateResult {
    const error = this.#loadErrors[section];
    return error
      ? html`<div class="latch-notice latch-notice--error" role="alert"><p>${error}</p>${this.#button('error.retry', 'load', () => void this.#load())}</div>`
      : html`<p>${this.t('account.loading')}</p>`;
  }

  /** A field that shows what the shopper typed before what is stored. */
  #field(name: string, label: MessageKey, stored?: string, spec: Partial<FieldSpec> = {}): TemplateResult {
    return this.field(name, label, { required: false, ...spec, value: this.#drafts[name] ?? stored });
  }

  /**
   * A labelled control that `field()` does not cover: a select of `options`, or an input with the
   * browser's own limits (an attribute's type, min and max). The hint and the error are linked.
   */
  #control(name: string, label: string, value: string, kind: [string, string][] | InputLimits, hint?: string): TemplateResult {
    const id = this.fid(name);
    const error = this.fieldErrors[name];
    const invalid = error ? 'true' : nothing;
    const describedBy = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || nothing;
    return html`<div class="latch-field">
      <label class="latch-field__label" for=${id}>${label}</label>
      ${hint ? html`<p class="latch-field__hint" id="${id}-hint">${hint}</p>` : nothing}
      <div class="latch-field__row">${Array.isArray(kind)
        ? html`<select class="latch-field__input" id=${id} name=${name} aria-invalid=${invalid} aria-describedby=${describedBy}>${kind.map(
            ([option, text]) => html`<option value=${option} ?selected=${option === value}>${text}</option>`,
          )}</select>`
        : html`<input
            class="latch-field__input"
            id=${id}
            name=${name}
            type=${kind.type}
            step=${kind.step ?? nothing}
            min=${kind.min ?? nothing}
            max=${kind.max ?? nothing}
            autocomplete="off"
            value=${value}
            aria-invalid=${invalid}
            aria-describedby=${describedBy}
          />`}</div>
      ${error ? html`<p class="latch-field__error" id="${id}-error">${error}</p>` : nothing}
    </div>`;
  }

  /**
   * A button that shows its own action running; every action waits while another runs. Without
   * `onClick` it is the submit button of form `name`.
   */
  #button(label: MessageKey, name: string, onClick?: () => void, modifier = '', describedBy?: string): TemplateResult {
    const busy = this.pending && this.#busy === name;
    return html`<button
      type=${onClick ? 'button' : 'submit'}
      class="latch-button ${modifier}"
      aria-disabled=${this.#waiting ? 'true' : 'false'}
      aria-busy=${busy ? 'true' : 'false'}
      aria-describedby=${describedBy ?? nothing}
      @click=${onClick}
    >${busy ? this.t('auth.busy') : this.t(label)}</button>`;
  }

  /** Leaves a step (a code, a password prompt) without a word: focus goes back to where it began. */
  #cancel(leave: () => void, focus: string): TemplateResult {
    return this.#button('account.cancel', 'cancel', () => {
      leave();
      this.#clearMessages();
      this.focusAfterRender = focus;
    }, 'latch-link');
  }

  #form(name: string, fields: unknown, submit: MessageKey, onSubmit: (event: SubmitEvent) => void, extra: unknown = nothing, secondary = false): TemplateResult {
    return html`<form class="latch-form" method="post" novalidate name=${name} @submit=${onSubmit} @input=${this.#edited} @change=${this.#edited}>
      ${fields} ${this.#button(submit, name, undefined, secondary ? '' : 'latch-button--primary')} ${extra}
    </form>`;
  }

  /**
   * A field's error goes as soon as the shopper changes that field (it is checked again on submit),
   * and the summary with the last one, so nothing on screen points at a fixed problem.
   */
  readonly #edited = (event: Event): void => {
    const name = (event.target as HTMLInputElement).name;
    if (!(name in this.fieldErrors)) return;
    const { [name]: _fixed, ...rest } = this.fieldErrors;
    this.fieldErrors = rest;
    if (!Object.keys(rest).length && this.formError === this.t('form.summary')) this.formError = undefined;
  };

  /** For password managers: whose password a form takes. */
  #username(user: User): TemplateResult {
    return html`<input type="hidden" name="username" autocomplete="username" value=${primaryEmail(user)} />`;
  }

  #badge(key: MessageKey): TemplateResult {
    return html`<span class="latch-badge">${this.t(key)}</span>`;
  }

  /** The signed-out page: why sign-in is needed, and the embedded form (or only the notice with `sign-in="event"`). */
  #renderSignedOut(): TemplateResult {
    const embedded = this.signIn !== 'event';
    if (embedded && !this.#auth) {
      this.#auth = document.createElement('latch-auth');
      this.#auth.setAttribute('country-code', this.countryCode);
    }
    // One heading: the embedded form's when it names the store (the same rule <latch-auth> uses), else the page's own.
    const config = this.store?.config;
    const formHeading = embedded && config?.status === 'ready' && !!authViewModel(config.config, location.origin).heading;
    return html`<section class="latch-card latch-account" aria-labelledby=${formHeading ? nothing : this.fid('title')} aria-label=${formHeading ? this.t('account.signInTitle') : nothing}>
      ${formHeading ? nothing : html`<h2 class="latch-card__title" id=${this.fid('title')} tabindex="-1">${this.t('account.signInTitle')}</h2>`}
      <p class="latch-notice" role=${this.#expired ? 'alert' : nothing}>${this.t(this.#expired ? 'account.expired' : 'account.signInIntro')}</p>
      ${embedded ? this.#auth : nothing}
    </section>`;
  }

  /** After a deletion here: the deletion's confirmation (with its date) first, sign-in only when asked. */
  #renderDeleted(): TemplateResult {
    return html`<section class="latch-card latch-account" aria-labelledby=${this.fid('title')}>
      <h2 class="latch-card__title" id=${this.fid('title')} tabindex="-1">${this.t('account.title')}</h2>
      ${this.#delete.renderDeleted(() => {
        this.#focusSignIn = true;
        this.requestUpdate();
      })}
    </section>`;
  }

  #renderAccount(user: User): TemplateResult {
    return html`<section class="latch-card latch-account" aria-labelledby=${this.fid('title')}>
      <h2 class="latch-card__title" id=${this.fid('title')} tabindex="-1">${this.t('account.title')}</h2>
      ${this.#welcomeBack ? html`<p class="latch-notice" role="status">${this.t('account.welcomeBack')}</p>` : nothing}
      ${this.#sections.map((s) => s.render(user))}
    </section>`;
  }

  #content(): TemplateResult {
    const config = this.store?.config;
    const session = this.store?.session;
    if (config?.status === 'error') {
      return configError(this.describe(config.error), this.t('error.retry'), () => void this.store?.fetchConfig(), this.pending);
    }
    if (config?.status === 'ready' && config.config.active === false) {
      return html`<p class="latch-notice" role="status">${this.t('auth.unavailable')}</p>`;
    }
    if (session?.status === 'signed-in') return this.#renderAccount(session.user);
    if (session?.status === 'signed-out') return this.#delete.deleted ? this.#renderDeleted() : this.#renderSignedOut();
    return html`<p class="latch-notice" role="status">${this.t('account.loading')}</p>`;
  }

  protected override render(): unknown {
    renderInto(this.#content(), this.#root);
    return this.#root;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'latch-account': LatchAccount;
  }
}
