/**
 * `<latch-account>`: the signed-in shopper's account page: profile, emails and phones, password,
 * signed-in devices, custom attributes and the way into account deletion. Each part is a section
 * with its own form(s); every form goes through FormElement's one submit path (validation, one
 * request at a time, failures at their fields, 429 countdown), and the messages of an action show
 * in the section it came from. Signed out, the page shows an embedded `<latch-auth>`.
 */
import { html, nothing, render as renderInto, type TemplateResult } from 'lit/html.js';
import { keyed } from 'lit/directives/keyed.js';
import {
  attributeDefinitions,
  changePassword,
  endSessions,
  hasPassword,
  listSessions,
  saveProfile,
  removeContact,
  setPrimaryContact,
  userAttributes,
  type AttributeDefinition,
  type AttributeValues,
  type Contact,
  type SessionInfo,
} from '../../api/account.js';
import type { Destination } from '../../api/client.js';
import { toApiError, type LatchApiError } from '../../api/errors.js';
import type { User } from '../../api/schemas.js';
import { sendContactCode, verifyContactCode, destinationLabel, sentCode, type SentCode } from '../../api/steps.js';
import { safeUrl } from '../../config/url.js';
import { ContextProvider } from '@lit/context';
import { storeContext } from '../../context/store-context.js';
import type { LatchStore } from '../../context/store.js';
import { LatchLoginRequiredEvent, LatchLogoutEvent, LatchProfileUpdatedEvent, LatchSessionRevokedEvent } from '../../events.js';
import { enAccount } from '../../i18n/en-account.js';
import type { MessageKey } from '../../i18n/en.js';
import { addDefaultMessages, langOf } from '../../i18n/localize.js';
import { enCodes } from '../../i18n/en-codes.js';
import { enFlows } from '../../i18n/en-flows.js';
import { focusFirstInvalid, formValues, type FieldSpec } from '../../ui/form.js';
import { codeSchema, contactSchema } from '../../ui/contact.schema.js';
import { FormElement } from '../form-element.js';
import type { PropertyDeclarations, PropertyValues } from 'lit';
import { passwordSchema, profileSchema, reauthSchema } from './latch-account.schema.js';
import type * as z from 'zod/mini';
import accountStyles from './latch-account.css?inline';

/** A part of the page where an action's messages show; also the `action` of the `latch-error` it fires. */
type Section = 'profile' | 'contact' | 'password' | 'sessions' | 'attributes';

interface ContactItem {
  kind: 'email' | 'mobile';
  label: string;
  contact: Contact;
  primary?: boolean;
  verified?: boolean;
  active?: boolean;
}

/** Forms whose unsaved values outlive a session that ends while the page is open. Never secrets. */
const DRAFTED = new Set(['profile', 'contact', 'attributes']);
const GENDERS = ['', 'female', 'male', 'unisex'] as const;
const DEVICES: Record<string, MessageKey> = { desktop: 'account.desktop', mobile: 'account.phone', tablet: 'account.tablet' };
const INPUT_TYPES: Record<string, string> = { string: 'text', number: 'number', date: 'date' };
/** Attribute controls are named as the service names their problems (`meta.fields`), so those land at them. */
const ATTRIBUTE = 'attributes.';

const rule = (d: AttributeDefinition, type: string) => d.validations?.find((v) => v.type === type)?.value;
/** An attribute's value as its control holds it: a checkbox `'true'` or `''`, a date `YYYY-MM-DD`. */
const shown = (d: AttributeDefinition, value: unknown): string =>
  d.type === 'boolean' ? (value === true ? 'true' : '') : value == null ? '' : String(value).slice(0, d.type === 'date' ? 10 : undefined);

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
 * @cssprop --latch-account-max-inline-size - Width limit of the account card. Default `40rem`.
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
 * Styling hooks: `latch-account` (the card), `latch-section`, `latch-entries`, `latch-entry`,
 * `latch-entry__name`, `latch-entry__details`, `latch-badge`, `latch-actions`, `latch-avatar`.
 */
export class LatchAccount extends FormElement {
  /** @internal */
  static override ownStyles = accountStyles;

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
  #sessions?: SessionInfo[];
  #definitions?: AttributeDefinition[];
  #values: AttributeValues = {};
  #hasPassword = true;
  #code?: SentCode;
  /** The "add a contact" form asks for a phone rather than an email. */
  #byMobile?: boolean;
  /** Ending sessions waits for the password again: which one (all others when `id` is undefined). */
  #reauth?: { id?: string; section: Section };
  #offerSignOutOthers?: boolean;
  #deleting = false;
  /** The session ended under the shopper (a 401), as opposed to a sign-out they chose. */
  #expired?: boolean;
  #welcomeBack?: boolean;
  #wasSignedOut?: boolean;
  /** Signed out here on purpose (or deleted): no `latch-login-required` for that. */
  #quiet?: boolean;
  #loading?: AbortController;

  constructor() {
    super();
    // Host overrides registered earlier win over these defaults.
    // The name fields and genders use the sign-in steps' own words (en-flows).
    addDefaultMessages('en', { ...enCodes, ...enFlows, ...enAccount } as Record<string, string>);
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
    this.focusAfterRender = 'title';
  }

  protected override keepTicking(): boolean {
    return this.now < (this.#code?.resendAt ?? 0);
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
        this.focusAfterRender = 'title';
        this.store.signedOut();
      }
      return true;
    }
    // A dead code needs a fresh send, not a resend of the same request.
    if (this.#code && /^OTP_(EXPIRED|ATTEMPTS)/.test(code)) this.#code = { ...this.#code, resendAt: 0, resendToken: undefined };
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
  protected override describe(error: LatchApiError): string {
    return error.kind === 'http' && error.status < 500 ? this.t('account.refused', { message: error.message }) : super.describe(error);
  }

  /** Loads what the page shows beyond the user: sessions, whether a password exists, attributes. */
  async #load(): Promise<void> {
    const client = this.store!.client;
    this.#loading?.abort();
    this.#loadErrors = {};
    const { signal } = (this.#loading = new AbortController());
    const get = async <T>(section: Section, work: Promise<T>, use: (value: T) => void) => {
      try {
        use(await work);
      } catch (error) {
        const apiError = toApiError(error);
        if (apiError.kind === 'aborted') return;
        this.reportError(section, apiError);
        if (!this.handleFailure(apiError)) this.#loadErrors[section] = this.describe(apiError);
      }
      this.requestUpdate();
    };
    await Promise.all([
      get('sessions', listSessions(client, { signal }), (sessions) => (this.#sessions = sessions)),
      get('password', hasPassword(client, { signal }), (has) => (this.#hasPassword = has)),
      get('attributes', Promise.all([attributeDefinitions(client, { signal }), userAttributes(client, undefined, { signal })]), ([definitions, values]) => {
        this.#definitions = definitions;
        this.#values = values;
      }),
    ]);
  }

  async #sendCode(to: Destination, signal: AbortSignal, resend?: SentCode): Promise<void> {
    const again = resend?.resendToken ? resend : undefined;
    const sent = await sendContactCode(this.store!.client, to, again ? { action: 'resend', token: again.resendToken } : {}, { signal });
    this.#code = sentCode(to, sent, again);
    this.tick();
    this.notice = this.t('auth.codeSent', { to: destinationLabel(to) });
    this.focusAfterRender = 'otp';
  }

  /** Work that ends one other session or all others, asking for the password when the service wants it. */
  #endSessions(section: Section, id?: string, password?: string) {
    return async (signal: AbortSignal) => {
      const client = this.store!.client;
      const ended = id ? [id] : (this.#sessions ?? []).filter((s) => !s.current).map((s) => s.session_id);
      try {
        await endSessions(client, id, password, { signal });
      } catch (error) {
        // 401 REAUTH_REQUIRED is not a sign-out: the session is fine, it only needs the password again.
        if (toApiError(error).code !== 'REAUTH_REQUIRED' || !this.#hasPassword) throw error;
        this.#reauth = { id, section };
        this.notice = this.t('account.reauth');
        this.focusAfterRender = 'reauth';
        return;
      }
      this.#reauth = undefined;
      this.#offerSignOutOthers = false;
      this.notice = this.t(id ? 'account.revokedOne' : 'account.revokedAll');
      this.focusAfterRender = `${section}-heading`;
      this.dispatchEvent(new LatchSessionRevokedEvent({ sessionIds: ended }));
      this.#sessions = await listSessions(client, { signal });
    };
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

  /**
   * The attributes whose controls changed, as the service takes them (`null` removes one). The
   * service checks them against their definitions and names any problem per field.
   */
  #changedAttributes(values: Record<string, string>): AttributeValues {
    const data: AttributeValues = {};
    for (const d of this.#editable()) {
      const raw = values[ATTRIBUTE + d.slug] ?? '';
      if (raw !== shown(d, this.#values[d.slug])) data[d.slug] = d.type === 'boolean' ? raw === 'true' : raw === '' ? null : d.type === 'number' ? Number(raw) : raw;
    }
    return data;
  }

  /** The attributes this page can edit: one value each, of a known type (lists are left to the service). */
  #editable(): AttributeDefinition[] {
    return (this.#definitions ?? []).filter((d) => !d.multi_value && (d.type in INPUT_TYPES || d.type === 'boolean' || d.type === 'enum'));
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    if (this.store !== this.#shared) this.#share.setValue((this.#shared = this.store));
    const session = this.store?.session;
    const user = session?.status === 'signed-in' ? session.user : undefined;
    if (user?._id === this.#userId) return;
    this.#userId = user?._id;
    this.#loading?.abort();
    this.#sessions = this.#definitions = this.#code = this.#reauth = this.#active = undefined;
    this.#values = {};
    this.#clearMessages();
    this.#offerSignOutOthers = this.#deleting = false;
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
  }

  // ---- rendering -------------------------------------------------------------------------

  /** Every section has its regions from the start, so screen readers announce what is put into them. */
  #messages(section: Section): TemplateResult {
    const active = this.#active === section;
    const wait = active ? this.secondsUntil(this.retryUntil) : 0;
    return html`<div role="alert" class="latch-alert">
        ${active && this.formError ? html`<p class="latch-notice latch-notice--error">${this.formError}</p>` : nothing}
      </div>
      <div role="status" class="latch-status">${active && this.notice ? html`<p class="latch-notice">${this.notice}</p>` : nothing}</div>
      ${wait ? html`<p class="latch-notice">${this.t('error.retryIn', { time: this.duration(wait) })}</p>` : nothing}`;
  }

  #section(section: Section | 'delete', title: MessageKey, body: unknown): TemplateResult {
    // `-heading`: a section's name may also be a control's (`password`).
    const id = this.fid(`${section}-heading`);
    return html`<section class="latch-section" aria-labelledby=${id}>
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
   * A labelled control that `field()` does not cover: a select of `options`, or else the input of
   * attribute `d` with its limits. The hint (the attribute's description) and the error are linked.
   */
  #control(name: string, label: string, value: string, options?: [string, string][], d?: AttributeDefinition): TemplateResult {
    const id = this.fid(name);
    const hint = d?.description;
    const error = this.fieldErrors[name];
    const invalid = error ? 'true' : nothing;
    const describedBy = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || nothing;
    // Limits as the browser's own controls take them: numbers, or dates as YYYY-MM-DD.
    const limit = (type: string) => (d!.type === 'string' ? nothing : ((rule(d!, type) as string | undefined)?.toString().slice(0, 10) ?? nothing));
    return html`<div class="latch-field">
      <label class="latch-field__label" for=${id}>${label}</label>
      ${hint ? html`<p class="latch-field__hint" id="${id}-hint">${hint}</p>` : nothing}
      <div class="latch-field__row">${options
        ? html`<select class="latch-field__input" id=${id} name=${name} aria-invalid=${invalid} aria-describedby=${describedBy}>${options.map(
            ([option, text]) => html`<option value=${option} ?selected=${option === value}>${text}</option>`,
          )}</select>`
        : html`<input
            class="latch-field__input"
            id=${id}
            name=${name}
            type=${INPUT_TYPES[d!.type]}
            step=${d!.type === 'number' ? 'any' : nothing}
            min=${limit('min')}
            max=${limit('max')}
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

  #form(name: string, fields: unknown, submit: MessageKey, onSubmit: (event: SubmitEvent) => void, extra: unknown = nothing): TemplateResult {
    return html`<form class="latch-form" method="post" novalidate name=${name} @submit=${onSubmit}>
      ${fields} ${this.#button(submit, name, undefined, 'latch-button--primary')} ${extra}
    </form>`;
  }

  /** For password managers: whose password a form takes. */
  #username(user: User): TemplateResult {
    return html`<input type="hidden" name="username" autocomplete="username" value=${primaryEmail(user)} />`;
  }

  #badge(key: MessageKey): TemplateResult {
    return html`<span class="latch-badge">${this.t(key)}</span>`;
  }

  #renderProfile(user: User): TemplateResult {
    const draft = this.#drafts;
    const name = [draft.first_name ?? user.first_name, draft.last_name ?? user.last_name].filter(Boolean).join(' ');
    const picture = safeUrl(draft.profile_pic_url ?? user.profile_pic_url, location.origin);
    const save = this.#submit('profile', profileSchema, async (data, signal) => {
      const saved = await saveProfile(this.store!.client, data, { signal });
      this.notice = this.t('account.saved');
      this.#saved('profile', saved);
    });
    return this.#section('profile', 'account.profile', html`
      ${picture ? html`<img class="latch-avatar" src=${picture} alt=${this.t('account.pictureAlt', { name: name || primaryEmail(user) })} />` : nothing}
      ${this.#form('profile', html`
        ${this.#field('first_name', 'field.firstName', user.first_name, { autocomplete: 'given-name', required: true })}
        ${this.#field('last_name', 'field.lastName', user.last_name, { autocomplete: 'family-name' })}
        ${this.#control('gender', this.t('account.gender'), draft.gender ?? user.gender ?? '', GENDERS.map((value) => [value, this.t(`gender.${value || 'none'}`)]))}
        ${this.#field('dob', 'account.dob', user.dob?.slice(0, 10), { type: 'date', autocomplete: 'bday' })}
        ${this.#field('profile_pic_url', 'account.picture', user.profile_pic_url, { type: 'url', autocomplete: 'photo', inputmode: 'url' })}
      `, 'account.save', save)}`);
  }

  #renderContacts(user: User): TemplateResult {
    const items: ContactItem[] = [
      ...(user.emails ?? []).map((e) => ({ ...e, kind: 'email' as const, label: e.email, contact: { email: e.email } })),
      ...(user.phone_numbers ?? []).map((p) => ({
        ...p,
        kind: 'mobile' as const,
        label: `+${String(p.country_code)} ${p.phone}`,
        contact: { country_code: String(p.country_code), phone: p.phone },
      })),
    ];
    // Verified and active: a way to sign in.
    const usable = items.filter((i) => i.verified && i.active !== false);
    const config = this.store!.config;
    const required = config.status === 'ready' ? config.config.required_fields : undefined;
    // The service keeps the account reachable; the same rules decide here which contacts cannot go.
    const keep = (i: ContactItem): MessageKey | undefined =>
      items.length < 2 || (usable.includes(i) && usable.length < 2)
        ? 'account.keepOnly'
        : usable.includes(i) && required?.[i.kind]?.is_required && required[i.kind]?.level === 'hard' && usable.filter((o) => o.kind === i.kind).length < 2
          ? 'account.keepRequired'
          : undefined;
    const act = (i: ContactItem, primary: boolean, name: string) =>
      this.#run('contact', name, async (signal) => {
        const saved = await (primary ? setPrimaryContact : removeContact)(this.store!.client, i.contact, { signal });
        this.notice = this.t(primary ? 'account.primarySet' : 'account.removed', { to: i.label });
        // A removed row takes its button with it.
        if (!primary) this.focusAfterRender = 'contact-heading';
        this.#saved(undefined, saved);
      });
    return this.#section('contact', 'account.contacts', html`<ul class="latch-entries">
        ${items.map((i, n) => {
          const id = this.fid(`contact-${n}`);
          const why = keep(i);
          return html`<li class="latch-entry">
            <span class="latch-entry__name" id=${id}>${i.label}</span>
            ${i.primary ? this.#badge('account.primary') : nothing}${this.#badge(i.verified ? 'account.verified' : 'account.unverified')}
            <span class="latch-actions">
              ${usable.includes(i) && !i.primary ? this.#button('account.makePrimary', `primary-${n}`, () => act(i, true, `primary-${n}`), 'latch-link', id) : nothing}
              ${why
                ? html`<span class="latch-entry__details">${this.t(why, { what: this.t(i.kind === 'email' ? 'what.email' : 'what.mobile') })}</span>`
                : this.#button('account.remove', `remove-${n}`, () => act(i, false, `remove-${n}`), 'latch-link', id)}
            </span>
          </li>`;
        })}
      </ul>
      ${this.#code ? this.#renderCode(this.#code) : this.#renderAddContact()}`);
  }

  #renderAddContact(): TemplateResult {
    const email = !this.#byMobile;
    const send = this.#submit('contact', contactSchema(email), (data, signal) =>
      this.#sendCode(email ? { email: data.email } : { mobile: data.mobile, country_code: data.country_code.replace('+', '') }, signal),
    );
    const fields = email
      ? this.#field('email', 'field.email', undefined, { type: 'email', autocomplete: 'email', required: true })
      : html`<div class="latch-phone">
          ${this.#field('country_code', 'field.countryCode', `+${this.countryCode}`, { type: 'tel', autocomplete: 'tel-country-code', inputmode: 'tel', required: true })}
          ${this.#field('mobile', 'field.mobile', undefined, { type: 'tel', autocomplete: 'tel-national', inputmode: 'numeric', required: true })}
        </div>`;
    return html`<h4 class="latch-step__title" id=${this.fid('contact-add')} tabindex="-1">${this.t('account.addContact')}</h4>
      ${this.#form('contact', fields, 'auth.sendCode', send, this.#button(email ? 'auth.byMobile' : 'auth.byEmail', 'channel', () => {
        this.#byMobile = !this.#byMobile;
        this.fieldErrors = {};
        this.formError = undefined;
        this.focusAfterRender = 'contact-add';
      }, 'latch-link'))}`;
  }

  #renderCode(code: SentCode): TemplateResult {
    const wait = this.secondsUntil(code.resendAt);
    const verify = this.#submit('contact', codeSchema, async ({ otp }, signal) => {
      const { user } = await verifyContactCode(this.store!.client, code.to, { otp, request_id: code.requestId }, { signal });
      this.#code = undefined;
      this.notice = this.t('account.added', { to: destinationLabel(code.to) });
      this.focusAfterRender = 'contact-heading';
      // The address form is off the page while the code is asked for; its drafts go by name.
      for (const name of ['email', 'country_code', 'mobile']) delete this.#drafts[name];
      this.#saved(undefined, user);
    });
    const resend = () => {
      if (!wait) void this.#run('contact', 'resend', (signal) => this.#sendCode(code.to, signal, code));
    };
    return this.#form('otp', this.field('otp', 'field.code', { autocomplete: 'one-time-code', inputmode: 'numeric', value: undefined }), 'auth.verify', verify, html`
      <button type="button" class="latch-button latch-link" aria-disabled=${wait || this.#waiting ? 'true' : 'false'} @click=${resend}>
        ${wait ? this.t('auth.resendIn', { time: this.duration(wait) }) : this.t(code.resendToken ? 'auth.resend' : 'auth.newCode')}
      </button>
      ${this.#cancel(() => (this.#code = undefined), 'contact-add')}`);
  }

  #renderPassword(user: User): TemplateResult {
    const has = this.#hasPassword;
    const save = this.#submit('password', passwordSchema(has), async ({ old_password, password }, signal) => {
      await changePassword(this.store!.client, { old_password, new_password: password }, { signal });
      this.querySelector<HTMLFormElement>('form[name="password"]')?.reset();
      this.#hasPassword = true;
      // ASVS 7.4.3: after a change, offer to end the other sessions.
      this.#offerSignOutOthers = true;
      this.notice = this.t('account.passwordChanged');
    });
    const others = this.#sessions?.some((s) => !s.current) ?? true;
    return this.#section('password', has ? 'account.password' : 'account.setPassword', html`
      ${this.#form('password', html`
        ${this.#username(user)}
        ${has ? this.passwordField('old_password', 'account.currentPassword', 'current-password') : nothing}
        ${this.passwordField('password', 'field.newPassword', 'new-password')}
      `, has ? 'account.changePassword' : 'account.setPassword', save)}
      ${this.#reauth?.section === 'password' ? this.#renderReauth(user) : nothing}
      ${this.#offerSignOutOthers && others
        ? this.#button('account.signOutOthers', 'others', () => void this.#run('password', 'others', this.#endSessions('password')))
        : nothing}`);
  }

  #renderReauth(user: User): TemplateResult {
    const { id, section } = this.#reauth!;
    const confirm = this.#submit(section, reauthSchema, ({ current_password }, signal) => this.#endSessions(section, id, current_password)(signal));
    return html`<div id=${this.fid('reauth')} tabindex="-1">${this.#form('reauth', html`
      ${this.#username(user)}
      ${this.passwordField('current_password', 'field.password', 'current-password')}
    `, 'account.confirm', confirm, this.#cancel(() => (this.#reauth = undefined), `${section}-heading`))}</div>`;
  }

  #ago(iso: string): string {
    const seconds = (Date.parse(iso) - Date.now()) / 1000;
    const abs = Math.abs(seconds);
    const [size, unit]: [number, Intl.RelativeTimeFormatUnit] =
      abs < 60 ? [1, 'second'] : abs < 3600 ? [60, 'minute'] : abs < 86400 ? [3600, 'hour'] : [86400, 'day'];
    return new Intl.RelativeTimeFormat(langOf(this), { numeric: 'auto' }).format(Math.round(seconds / size), unit);
  }

  #renderSessions(user: User): TemplateResult {
    const sessions = this.#sessions;
    if (!sessions) return this.#section('sessions', 'account.sessions', this.#loadingOr('sessions'));
    const dates = new Intl.DateTimeFormat(langOf(this), { dateStyle: 'medium', timeStyle: 'short' });
    const valid = (iso?: string): iso is string => !!iso && !Number.isNaN(Date.parse(iso));
    const item = (s: SessionInfo, n: number) => {
      const id = this.fid(`session-${n}`);
      const device = DEVICES[s.device ?? ''];
      const name = this.t('account.device', { browser: s.browser || this.t('account.unknownBrowser'), os: s.os || this.t('account.unknownOs') });
      const details = [
        s.ip && this.t('account.ip', { ip: s.ip }),
        s.location,
        valid(s.last_active_at) && this.t('account.lastActive', { time: this.#ago(s.last_active_at) }),
        valid(s.expires_at) && this.t('account.expires', { time: dates.format(new Date(s.expires_at)) }),
      ].filter(Boolean);
      return html`<li class="latch-entry">
        <span class="latch-entry__name" id=${id}>${s.browser || s.os || device
          ? device ? this.t('account.deviceKind', { name, kind: this.t(device) }) : name
          : this.t('account.session', { id: s.session_id.slice(0, 8) })}</span>
        ${s.current ? this.#badge('account.thisDevice') : nothing}
        ${details.length ? html`<span class="latch-entry__details">${details.map((d) => html`<span>${d}</span>`)}</span>` : nothing}
        ${s.current
          ? nothing
          : html`<span class="latch-actions">${this.#button('account.signOutSession', `revoke-${n}`, () => void this.#run('sessions', `revoke-${n}`, this.#endSessions('sessions', s.session_id)), '', id)}</span>`}
      </li>`;
    };
    return this.#section('sessions', 'account.sessions', html`<ul class="latch-entries">${sessions.map(item)}</ul>
      ${this.#reauth?.section === 'sessions' ? this.#renderReauth(user) : nothing}
      <div class="latch-actions">
        ${sessions.some((s) => !s.current) ? this.#button('account.signOutAll', 'others', () => void this.#run('sessions', 'others', this.#endSessions('sessions'))) : nothing}
        ${this.#button('account.signOutHere', 'logout', () => void this.#signOut())}
      </div>`);
  }

  #renderAttribute(d: AttributeDefinition): TemplateResult {
    const name = ATTRIBUTE + d.slug;
    const value = this.#drafts[name] ?? shown(d, this.#values[d.slug]);
    if (d.type === 'boolean') {
      const id = this.fid(name);
      // formValues() gives '' for an unticked box, so an untick is a change like any other.
      return html`<div class="latch-field">
        <div class="latch-choice">
          <input type="checkbox" id=${id} name=${name} value="true" ?checked=${value === 'true'} aria-describedby=${d.description ? `${id}-hint` : nothing} />
          <label for=${id}>${d.name}</label>
        </div>
        ${d.description ? html`<p class="latch-field__hint" id="${id}-hint">${d.description}</p>` : nothing}
      </div>`;
    }
    const options = d.type === 'enum' ? ((rule(d, 'enum') as unknown[] | undefined) ?? []).map((o): [string, string] => [String(o), String(o)]) : undefined;
    return this.#control(name, d.name, value, options && [['', this.t('account.notSet')], ...options], d);
  }

  #renderAttributes(): TemplateResult | typeof nothing {
    const editable = this.#editable();
    if (this.#definitions && !editable.length) return nothing;
    const save = (event: SubmitEvent) => {
      event.preventDefault();
      const form = event.currentTarget as HTMLFormElement;
      void this.#run('attributes', 'attributes', async (signal) => {
        const client = this.store!.client;
        try {
          this.#values = await userAttributes(client, this.#changedAttributes(formValues(form)), { signal });
        } catch (error) {
          // The rules may have changed since the form was drawn: show the current ones. The failure
          // itself (the service's words at the fields it names) is told as for any form.
          if (/^(VALIDATION_ERROR|ATTRIBUTE_NOT_EDITABLE)$/.test(toApiError(error).code ?? '')) {
            this.#definitions = await attributeDefinitions(client, { signal });
          }
          throw error;
        }
        this.notice = this.t('account.saved');
        this.#saved('attributes');
      }, form);
    };
    return this.#section('attributes', 'account.attributes', this.#definitions
      ? // New definitions get new controls: an option that is gone must not live on in a reused <option>.
        this.#form('attributes', keyed(this.#definitions, editable.map((d) => this.#renderAttribute(d))), 'account.save', save)
      : this.#loadingOr('attributes'));
  }

  #renderDelete(): TemplateResult {
    const open = this.#deleting;
    return this.#section('delete', 'account.delete', html`<p>${this.t('account.deleteIntro')}</p>
      <button type="button" class="latch-button" aria-expanded=${String(open)} aria-controls=${this.fid('deletion')} @click=${() => {
        this.#deleting = !open;
        this.requestUpdate();
      }}>${this.t('account.deleteStart')}</button>
      <div id=${this.fid('deletion')} ?hidden=${!open} @latch-account-deleted=${() => this.#forget()}>
        ${open ? html`<latch-delete-account></latch-delete-account>` : nothing}
      </div>`);
  }

  #renderSignedOut(): TemplateResult {
    if (this.signIn !== 'event' && !this.#auth) {
      this.#auth = document.createElement('latch-auth');
      this.#auth.setAttribute('country-code', this.countryCode);
    }
    return html`<section class="latch-card latch-account" aria-labelledby=${this.fid('title')}>
      <h2 class="latch-card__title" id=${this.fid('title')} tabindex="-1">${this.t('account.signInTitle')}</h2>
      <p class="latch-notice" role=${this.#expired ? 'alert' : nothing}>${this.t(this.#expired ? 'account.expired' : 'account.signInIntro')}</p>
      ${this.signIn === 'event' ? nothing : this.#auth}
    </section>`;
  }

  #renderAccount(user: User): TemplateResult {
    return html`<section class="latch-card latch-account" aria-labelledby=${this.fid('title')}>
      <h2 class="latch-card__title" id=${this.fid('title')} tabindex="-1">${this.t('account.title')}</h2>
      ${this.#welcomeBack ? html`<p class="latch-notice" role="status">${this.t('account.welcomeBack')}</p>` : nothing}
      ${this.#renderProfile(user)}${this.#renderContacts(user)}${this.#renderPassword(user)}
      ${this.#renderSessions(user)}${this.#renderAttributes()}${this.#renderDelete()}
    </section>`;
  }

  #content(): TemplateResult {
    const config = this.store?.config;
    const session = this.store?.session;
    if (config?.status === 'error') {
      return html`<div class="latch-notice latch-notice--error" role="alert">
        <p>${this.describe(config.error)}</p>
        ${this.#button('error.retry', 'config', () => void this.store?.fetchConfig())}
      </div>`;
    }
    if (config?.status === 'ready' && config.config.active === false) {
      return html`<p class="latch-notice" role="status">${this.t('auth.unavailable')}</p>`;
    }
    if (session?.status === 'signed-in') return this.#renderAccount(session.user);
    if (session?.status === 'signed-out') return this.#renderSignedOut();
    return html`<p class="latch-notice" role="status">${this.t('account.loading')}</p>`;
  }

  protected override render(): unknown {
    renderInto(this.#content(), this.#root);
    return this.#root;
  }
}

function primaryEmail(user: User): string {
  return user.emails?.find((e) => e.primary)?.email ?? user.emails?.[0]?.email ?? user.username ?? '';
}

declare global {
  interface HTMLElementTagNameMap {
    'latch-account': LatchAccount;
  }
}
