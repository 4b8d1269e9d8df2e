/**
 * The contacts section of `<latch-account>`: the shopper's emails and phones, which one is primary,
 * removal (except of a contact the account cannot do without), and adding one with a code (the
 * shared CodeController and code form, as in `<latch-auth>`).
 */
import { html, nothing, type TemplateResult } from 'lit/html.js';
import { removeContact, setPrimaryContact, type Contact } from '../../../api/account.js';
import type { Destination } from '../../../api/client.js';
import type { LatchApiError } from '../../../api/errors.js';
import type { User } from '../../../api/schemas.js';
import { sendContactCode, verifyContactCode } from '../../../api/steps.js';
import type { CodeController } from '../../../controllers/code.js';
import { formatContact } from '../../../i18n/contact.js';
import type { MessageKey } from '../../../i18n/en.js';
import { codeForm, type CodeFormParts } from '../../../ui/code-form.js';
import { codeSchema, contactSchema } from '../../../ui/contact.schema.js';
import { phoneFields, type FieldBuilder } from '../../../ui/phone-fields.js';
import type { AccountSection, SectionHost } from './host.js';

interface ContactItem {
  kind: 'email' | 'mobile';
  label: string;
  contact: Contact;
  primary?: boolean;
  verified?: boolean;
  active?: boolean;
}

export class ContactsSection implements AccountSection {
  readonly name = 'contact' as const;
  /** The "add a contact" form asks for a phone rather than an email. */
  #byMobile?: boolean;
  /** A field of this section: required unless said otherwise, a draft before the given value. */
  readonly #field: FieldBuilder;
  /** What the shared code form needs from the page. */
  readonly #parts: CodeFormParts;

  constructor(
    private readonly host: SectionHost,
    private readonly countryCode: () => string,
    /** The code that proves the new contact is the shopper's (the element's own CodeController). */
    private readonly code: CodeController<'contact'>,
  ) {
    this.#field = (name, key, spec) => host.field(name, key, spec?.value, { required: true, ...spec });
    this.#parts = {
      get pending() {
        return host.waiting;
      },
      t: (key, params) => host.t(key, params),
      duration: (seconds) => host.duration(seconds),
      field: this.#field,
      form: (name, fields, key, onSubmit, extra) => host.form(name, fields, key, onSubmit, extra),
    };
  }

  reset(): void {
    this.code.clear();
  }

  /** A dead code is marked for a fresh send; the failure is still told as usual. */
  handleFailure(error: LatchApiError): boolean {
    this.code.failed(error);
    return false;
  }

  #sent(to: Destination): void {
    this.host.say(this.host.t('auth.codeSent', { to: formatContact(this.host.lang, to) }));
    this.host.focusAfterRender('otp');
  }

  #verified(to: Destination, user?: User): void {
    const host = this.host;
    this.code.clear();
    host.say(host.t('account.added', { to: formatContact(host.lang, to) }));
    host.focusAfterRender('contact-heading');
    // The address form is off the page while the code is asked for; its drafts go by name.
    for (const name of ['email', 'country_code', 'mobile']) delete host.drafts[name];
    host.saved(undefined, user);
  }

  #renderCode(): TemplateResult {
    const host = this.host;
    const code = this.code;
    return codeForm(this.#parts, code, {
      verify: host.submit('contact', codeSchema, async ({ otp }, signal) => {
        const to = code.sent!.to;
        const { user } = await code.verify(host.store.client, verifyContactCode, otp, signal);
        this.#verified(to, user);
      }),
      // Nothing to run while the countdown is on (the button says so and is disabled).
      resend: () =>
        code.wait > 0 ||
        void host.run('contact', 'resend', async (signal) => {
          const sent = await code.resend(host.store.client, signal);
          if (sent) this.#sent(sent.to);
        }),
      back: () => {
        code.clear();
        host.clearMessages();
        host.focusAfterRender('contact-add');
        host.requestUpdate();
      },
    });
  }

  render(user: User): TemplateResult {
    const host = this.host;
    const items: ContactItem[] = [
      ...(user.emails ?? []).map((e) => ({ ...e, kind: 'email' as const, label: formatContact(host.lang, e), contact: { email: e.email } })),
      ...(user.phone_numbers ?? []).map((p) => ({
        ...p,
        kind: 'mobile' as const,
        contact: { country_code: String(p.country_code), phone: p.phone },
        label: formatContact(host.lang, { country_code: String(p.country_code), phone: p.phone }),
      })),
    ];
    // Verified and active: a way to sign in.
    const usable = items.filter((i) => i.verified && i.active !== false);
    const config = host.store.config;
    const required = config.status === 'ready' ? config.config.required_fields : undefined;
    // The service keeps the account reachable; the same rules decide here which contacts cannot go.
    const keep = (i: ContactItem): MessageKey | undefined =>
      items.length < 2 || (usable.includes(i) && usable.length < 2)
        ? 'account.keepOnly'
        : usable.includes(i) && required?.[i.kind]?.is_required && required[i.kind]?.level === 'hard' && usable.filter((o) => o.kind === i.kind).length < 2
          ? 'account.keepRequired'
          : undefined;
    const act = (i: ContactItem, primary: boolean, name: string) =>
      host.run('contact', name, async (signal) => {
        const saved = await (primary ? setPrimaryContact : removeContact)(host.store.client, i.contact, { signal });
        host.say(host.t(primary ? 'account.primarySet' : 'account.removed', { to: i.label }));
        // A removed row takes its button with it.
        if (!primary) host.focusAfterRender('contact-heading');
        host.saved(undefined, saved);
      });
    return host.section('contact', 'account.contacts', html`<ul class="latch-entries">
        ${items.map((i, n) => {
          const id = host.fid(`contact-${n}`);
          const why = keep(i);
          return html`<li class="latch-entry">
            <span class="latch-entry__name" id=${id}>${i.label}</span>
            ${i.primary ? host.badge('account.primary') : nothing}${host.badge(i.verified ? 'account.verified' : 'account.unverified')}
            <span class="latch-actions">
              ${usable.includes(i) && !i.primary ? host.button('account.makePrimary', `primary-${n}`, () => act(i, true, `primary-${n}`), 'latch-link', id) : nothing}
              ${why
                ? html`<span class="latch-entry__details">${host.t(why, { what: host.t(i.kind === 'email' ? 'what.email' : 'what.mobile') })}</span>`
                : host.button('account.remove', `remove-${n}`, () => act(i, false, `remove-${n}`), 'latch-link', id)}
            </span>
          </li>`;
        })}
      </ul>
      ${this.code.sent ? this.#renderCode() : this.#renderAdd()}`);
  }

  #renderAdd(): TemplateResult {
    const host = this.host;
    const email = !this.#byMobile;
    const send = host.submit('contact', contactSchema(email), async (data, signal) => {
      const to: Destination = email ? { email: data.email } : { mobile: data.mobile, country_code: data.country_code.replace('+', '') };
      await this.code.send(host.store.client, 'contact', to, sendContactCode, signal);
      this.#sent(to);
    });
    const fields = email
      ? this.#field('email', 'field.email', { type: 'email', autocomplete: 'email' })
      : phoneFields(
          this.#field,
          { id: host.fid('country_code'), label: host.t('field.countryCode'), error: host.fieldErrors.country_code },
          this.countryCode(),
          { required: true },
        );
    return html`<h4 class="latch-step__title" id=${host.fid('contact-add')} tabindex="-1">${host.t('account.addContact')}</h4>
      ${host.form('contact', fields, 'auth.sendCode', send, host.button(email ? 'auth.byMobile' : 'auth.byEmail', 'channel', () => {
        this.#byMobile = !this.#byMobile;
        host.clearMessages();
        host.focusAfterRender('contact-add');
      }, 'latch-link'))}`;
  }
}
