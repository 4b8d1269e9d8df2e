/**
 * Registration: the form `register_required_fields` shapes (name, gender, contacts, new password,
 * consent when the host links a privacy policy, the captcha when the config asks for one), then a
 * code to each contact given (registration-code.ts).
 */
import { html, nothing, type TemplateResult } from 'lit/html.js';
import * as z from 'zod/mini';
import type { Destination } from '../../../api/client.js';
import { LatchApiError } from '../../../api/errors.js';
import { otpSentSchema, sendLoginCode } from '../../../api/steps.js';
import { safeUrl } from '../../../config/url.js';
import type { MessageKey } from '../../../i18n/en.js';
import { genderField } from '../../../ui/gender.js';
import { sentence } from '../../../ui/sentence.js';
import type { StepContext } from './context.js';
import { holdRegisterToken } from './finish-account.js';
import { phone, shownContact, step } from './parts.js';
import { registerSchema, type ContactRule } from './schemas.js';

/** What `register/form` answers: the codes it sent and which contacts still need one. */
const registerSentSchema = z.looseObject({
  ...otpSentSchema.def.shape,
  register_token: z.optional(z.string()),
  verify_email_otp: z.optional(z.boolean()),
  verify_mobile_otp: z.optional(z.boolean()),
});

/** A registration's contacts still to verify, in order, and the email code's resend token for its turn. */
export interface Pending {
  contacts: Destination[];
  resendEmailToken: string;
}
const pending = new WeakMap<StepContext, Pending>();

/** The contacts of this registration still to verify. */
export const pendingContacts = (ctx: StepContext): Pending => pending.get(ctx) ?? { contacts: [], resendEmailToken: '' };

/** Label of a registration contact field: "{label} (optional)", one message, when the config makes it soft. */
const optionalLabel = (ctx: StepContext, rule: ContactRule, key: MessageKey) =>
  rule === 'soft' || rule === 'either' ? ctx.t('field.optionalLabel', { label: ctx.t(key) }) : ctx.t(key);

export function registration(ctx: StepContext): TemplateResult {
  const rules = ctx.vm.registerFields;
  const consent = safeUrl(ctx.privacyUrl, location.origin);
  const schema = registerSchema(rules, Boolean(consent));
  const submit = ctx.submit(schema, async (data, signal) => {
    const phoneNumber = data.mobile ? { mobile: data.mobile, country_code: (data.country_code ?? '').replace('+', '') } : undefined;
    const sent = await ctx.client.request(
      'POST',
      '/authentication/v1.0/register/form',
      registerSentSchema,
      {
        first_name: data.first_name,
        last_name: data.last_name || undefined,
        gender: data.gender || undefined,
        email: data.email || undefined,
        phone: phoneNumber,
        password: data.password,
        consent: consent ? data.consent === 'on' : undefined,
        captcha_code: data.captcha_code,
      },
      { signal },
    );
    holdRegisterToken(ctx, sent.register_token ?? '');
    // Codes go to each contact given; the phone is verified first, then the email.
    const contacts: Destination[] = [
      ...(sent.verify_mobile_otp && phoneNumber ? [phoneNumber] : []),
      ...(sent.verify_email_otp && data.email ? [{ email: data.email }] : []),
    ];
    const first = contacts[0];
    if (!first) throw new LatchApiError('Nothing to verify', { kind: 'malformed' });
    pending.set(ctx, { contacts, resendEmailToken: contacts[1] ? (sent.resend_email_token ?? '') : '' });
    ctx.code.accept('register', first, 'email' in first ? { ...sent, request_id: undefined } : sent, sendLoginCode);
    ctx.go('registration-code', ctx.t('auth.codeSent', { to: shownContact(ctx, first) }));
  }, 'register', true);
  const consentError = ctx.fieldErrors.consent;
  return step(
    ctx,
    'auth.registerTitle',
    ctx.form(
      'register',
      html`${ctx.field('first_name', 'field.firstName', { autocomplete: 'given-name' })}
        ${ctx.field('last_name', 'field.lastName', { autocomplete: 'family-name', required: false })}
        ${genderField(ctx.fid('gender'), ctx.values.gender ?? '', ctx.t)}
        ${rules.email ? ctx.emailField('email', { label: optionalLabel(ctx, rules.email, 'field.email'), required: rules.email === 'hard' }) : nothing}
        ${rules.mobile ? phone(ctx, { label: optionalLabel(ctx, rules.mobile, 'field.mobile'), required: rules.mobile === 'hard' }) : nothing}
        ${ctx.passwordField('password', 'field.newPassword', 'new-password')}
        ${consent
          ? // The message goes under the box and its sentence, not squeezed beside them in the row.
            // aria-required, not required: Chromium announces an unticked required box as invalid
            // before the shopper has done anything; the form checks it on submit.
            html`<div class="latch-field">
              <div class="latch-choice">
                <input type="checkbox" id="${ctx.fid('consent')}" name="consent" aria-required="true"
                  aria-invalid=${consentError ? 'true' : nothing}
                  aria-describedby=${consentError ? ctx.fid('consent-error') : nothing} />
                <label for="${ctx.fid('consent')}">${sentence(ctx.t('consent.label'), {
                  link: html`<a href=${consent} target="_blank" rel="noopener">${ctx.t('consent.link')}</a>`,
                })}</label>
              </div>
              ${consentError ? html`<p class="latch-field__error" id=${ctx.fid('consent-error')}>${consentError}</p>` : nothing}
            </div>`
          : nothing}
        ${ctx.captchaField()}`,
      'auth.register',
      submit,
      ctx.link('auth.haveAccount', 'password'),
    ),
  );
}
