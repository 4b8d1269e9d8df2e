/**
 * The less travelled steps of `<latch-auth>`, loaded on demand the first time a shopper enters one:
 * registration, finishing a new account, forgot/reset password, required contacts after sign-in,
 * and the account-locked view. Keeping them out of the first download is what lets the widget
 * render every sign-in option within its size budget. Each step is a function of the element
 * itself: the helpers and state it uses are public to this file, marked `@internal` (see the
 * `LatchAuth` interface at the end of latch-auth.ts).
 */
import { html, nothing, type TemplateResult } from 'lit/html.js';
import type { Destination, LatchClient, RequestOptions, Resend, SocialProvider } from '../../api/client.js';
import { socialAdapter } from '../../providers/social.js';
import {
  otpSentSchema,
  resetPassword,
  sendLoginCode,
  socialLogin,
  sendContactCode,
  sendForgotCode,
  sendResetLink,
  updateProfile,
  verifyContactCode,
  verifyForgotCode,
  verifyLoginCode,
  destinationLabel,
  sentCode,
  type AuthResult,
  type OtpSent,
  type SentCode,
} from '../../api/steps.js';

/** A send-code call: `sendLoginCode`-shaped, over a client. */
export type SendCode = (client: LatchClient, to: Destination, resend?: Resend, options?: RequestOptions) => Promise<OtpSent>;
import { LatchApiError } from '../../api/errors.js';
import { secretsOf } from './auth-secrets.js';
import type { User } from '../../api/schemas.js';
import { safeUrl } from '../../config/url.js';
import type { LatchLoginDetail } from '../../events.js';
import type { MessageKey } from '../../i18n/en.js';
import type { FieldSpec } from '../../ui/form.js';
import * as z from 'zod/mini';
import type { LatchAuth } from './latch-auth.js';
import { codeSchema, completeSchema, contactSchema, newPasswordSchema, registerSchema, type ContactRule } from './flows.schema.js';

/** What `register/form` answers: the codes it sent and which contacts still need one. */
const registerSentSchema = z.looseObject({
  ...otpSentSchema.def.shape,
  register_token: z.optional(z.string()),
  verify_email_otp: z.optional(z.boolean()),
  verify_mobile_otp: z.optional(z.boolean()),
});

export { enFlows } from '../../i18n/en-flows.js';
export { enCodes } from '../../i18n/en-codes.js';

export type Channel = 'mobile' | 'email';
export type LazyStep =
  | 'otp'
  | 'otp-verify'
  | 'complete'
  | 'forgot'
  | 'forgot-sent'
  | 'forgot-verify'
  | 'new-password'
  | 'locked'
  | 'register'
  | 'register-verify';

/** A code the sign-in widget sent, and what it was for. */
export interface CodeRequest extends SentCode {
  purpose: 'login' | 'forgot' | 'contact' | 'register';
}

/** The call that sends (or resends) each kind of code. */
const SENDERS: Record<CodeRequest['purpose'], SendCode> = {
  login: sendLoginCode,
  register: sendLoginCode,
  forgot: sendForgotCode,
  contact: sendContactCode,
};

/** Country code and number; `spec` (label, required) applies to the number. */
function phoneFields(auth: LatchAuth, spec: Partial<FieldSpec> = {}): TemplateResult {
  return html`<div class="latch-phone">
    ${auth.field('country_code', 'field.countryCode', {
      type: 'tel',
      autocomplete: 'tel-country-code',
      inputmode: 'tel',
      value: auth.values.country_code ?? `+${auth.countryCode}`,
      required: spec.required,
    })}
    ${auth.field('mobile', 'field.mobile', { type: 'tel', autocomplete: 'tel-national', inputmode: 'numeric', ...spec })}
  </div>`;
}

/** Where a code goes: an email address, or a phone. */
const contactFields = (auth: LatchAuth, email: boolean) => (email ? auth.emailField() : phoneFields(auth));

/** "email address" or "mobile number", for messages about a contact. */
const contactWord = (auth: LatchAuth, email: boolean) => auth.t(email ? 'what.email' : 'what.mobile');

/** Where a code goes, from what the shopper typed. */
function destination(auth: LatchAuth, channel: Channel): Destination {
  const { values } = auth;
  return channel === 'email'
    ? { email: values.email ?? '' }
    : { mobile: values.mobile ?? '', country_code: (values.country_code ?? auth.countryCode).replace('+', '') };
}

/** A step under its heading; focus goes to the heading when the step changes. */
function step(auth: LatchAuth, title: MessageKey, body: unknown, params?: Record<string, string>): TemplateResult {
  return html`<div class="latch-step">${auth.heading(title, params)}${body}</div>`;
}

/** Remembers what a send answered and starts the resend countdown; returns the "code sent" notice. */
function codeSent(auth: LatchAuth, purpose: CodeRequest['purpose'], to: Destination, sent: OtpSent, resend?: CodeRequest): string {
  auth.code = { purpose, ...sentCode(to, sent, resend) };
  auth.tick();
  return auth.t('auth.codeSent', { to: destinationLabel(to) });
}

/** Sends a code for `purpose` (or resends `resend`) and remembers the answer; returns the "code sent" notice. */
async function sendCode(
  auth: LatchAuth,
  purpose: CodeRequest['purpose'],
  to: Destination,
  signal: AbortSignal,
  captcha?: string,
  resend?: CodeRequest,
): Promise<string> {
  const options = { action: resend ? ('resend' as const) : ('send' as const), token: resend?.resendToken, captcha_code: captcha };
  return codeSent(auth, purpose, to, await SENDERS[purpose](auth.store!.client, to, options, { signal }), resend);
}

/** After a right sign-in code (or a provider's token): signed in, or on to finishing a new account. */
function signedIn(auth: LatchAuth, result: { user?: User; register_token?: string }, method: LatchLoginDetail['method'] = 'otp'): void {
  if (result.user) return auth.finish(result.user, method);
  secretsOf(auth).registerToken = result.register_token ?? '';
  auth.go('complete');
}

/** The code is done with (verified, or the shopper went back): it and its notice go. */
function clearCode(auth: LatchAuth): void {
  auth.code = undefined;
  auth.notice = undefined;
}

/** Sign-in by one-time code: where to send it (phone or email). */
function otpRequest(auth: LatchAuth): TemplateResult {
  const email = auth.channel === 'email';
  const send = auth.submit(contactSchema(email), async (data, signal) => {
    auth.go('otp-verify', await sendCode(auth, 'login', destination(auth, auth.channel), signal, data.captcha_code));
  }, 'code', true);
  return auth.signInStep(
    auth.form('otp', html`${contactFields(auth, email)}${auth.captchaField()}`, 'auth.sendCode', send, auth.channelSwitch()),
    auth.vm!.password ? auth.link('auth.usePassword', 'password') : nothing,
  );
}

/** How a code is checked: one of the `verify*Code` calls of api/steps.ts. */
type CheckCode<R> = (client: LatchClient, to: Destination, body: { otp: string; request_id?: string }, options: RequestOptions) => Promise<R>;

/**
 * The code step shared by sign-in, reset, registration and contacts: one input, resend, change.
 * The typed code goes to `check` for the code last sent, and its answer to `done`.
 */
function verify<R>(auth: LatchAuth, check: CheckCode<R>, done: (result: R) => unknown, back: () => void): TemplateResult {
  const code = auth.code;
  const wait = code ? auth.secondsUntil(code.resendAt) : 0;
  // A dead code (expired, too many tries) needs a fresh send, not a resend of the same request.
  const dead = code?.resendAt === 0;
  const resend = () => {
    if (!code || (!dead && auth.secondsUntil(code.resendAt) > 0)) return;
    return auth.run(async (signal) => {
      auth.notice = await sendCode(auth, code.purpose, code.to, signal, undefined, dead ? undefined : code);
    }, 'code');
  };
  return auth.form(
    'verify',
    auth.field('otp', 'field.code', { autocomplete: 'one-time-code', inputmode: 'numeric', value: undefined }),
    'auth.verify',
    auth.submit(codeSchema, async ({ otp }, signal) => {
      const { to, requestId } = auth.code!;
      await done(await check(auth.store!.client, to, { otp, request_id: requestId }, { signal }));
    }, 'code'),
    html`<button type="button" class="latch-button latch-link" aria-disabled=${wait || auth.pending ? 'true' : 'false'} @click=${resend}>
        ${wait ? auth.t('auth.resendIn', { time: auth.duration(wait) }) : auth.t(dead ? 'auth.newCode' : 'auth.resend')}
      </button>
      <button type="button" class="latch-button latch-link" @click=${back}>
        ${auth.t('auth.changeContact', { what: contactWord(auth, !!code && 'email' in code.to) })}
      </button>`,
  );
}

/** WebOTP: where the browser supports it, an SMS code for this origin fills the code field and is sent. */
export function listenForSms(auth: LatchAuth): void {
  if (auth.sms && !auth.sms.signal.aborted) return;
  if (!('OTPCredential' in window) || !auth.code || 'email' in auth.code.to) return;
  const controller = (auth.sms = new AbortController());
  navigator.credentials
    .get({ otp: { transport: ['sms'] }, signal: controller.signal } as CredentialRequestOptions)
    .then((credential) => {
      const input = document.getElementById(auth.fid('otp')) as HTMLInputElement | null;
      const code = (credential as unknown as { code?: string } | null)?.code;
      if (input && code) {
        input.value = code;
        input.form?.requestSubmit();
      }
    })
    .catch(() => {});
}

function complete(auth: LatchAuth): TemplateResult {
  const submit = auth.submit(completeSchema, async (data, signal) => {
    const { user } = await updateProfile(auth.store!.client, { ...data, register_token: secretsOf(auth).registerToken }, { signal });
    if (!user) throw new LatchApiError('No user in the answer', { kind: 'malformed' });
    auth.finish(user, 'otp');
  }, 'login');
  return step(
    auth,
    'auth.complete',
    html`<p class="latch-card__subtitle">${auth.t('auth.completeIntro')}</p>
      ${auth.form(
        'complete',
        html`${auth.field('first_name', 'field.firstName', { autocomplete: 'given-name' })}${auth.field('last_name', 'field.lastName', {
          autocomplete: 'family-name',
          required: false,
        })}`,
        'auth.continue',
        submit,
      )}`,
  );
}

function forgot(auth: LatchAuth): TemplateResult {
  const { otp } = auth.vm!;
  const email = auth.channel === 'email' || !otp;
  const send = auth.submit(contactSchema(email), async (_data, signal) => {
    if (email) {
      await sendResetLink(auth.store!.client, auth.values.email, { signal });
      auth.go('forgot-sent', auth.t('auth.linkSent', { email: auth.values.email }));
    } else {
      auth.go('forgot-verify', await sendCode(auth, 'forgot', destination(auth, 'mobile'), signal));
    }
  }, 'reset');
  return step(
    auth,
    'auth.forgotTitle',
    auth.form(
      'forgot',
      contactFields(auth, email),
      email ? 'auth.sendLink' : 'auth.sendCode',
      send,
      html`${otp ? auth.channelSwitch() : nothing}${auth.link('auth.back', 'password')}`,
    ),
  );
}

function newPassword(auth: LatchAuth): TemplateResult {
  const save = auth.submit(newPasswordSchema, async ({ password }, signal) => {
    const reset = secretsOf(auth).resetCode;
    if (!reset) return auth.go('forgot');
    await resetPassword(auth.store!.client, reset.kind, reset.code, password, { signal });
    secretsOf(auth).resetCode = undefined;
    auth.go('password', auth.t('auth.passwordChanged'));
  }, 'reset');
  return step(
    auth,
    'auth.newPassword',
    auth.form(
      'new-password',
      // The account's name beside the new password, so a password manager saves the pair.
      html`<input type="hidden" name="username" autocomplete="username" .value=${auth.values.email ?? ''} />
        ${auth.passwordField('password', 'field.newPassword', 'new-password')}`,
      'auth.savePassword',
      save,
      auth.link('auth.back', 'password'),
    ),
  );
}

/** Label of a registration contact field: "(optional)" when the config makes it soft. */
const optionalLabel = (auth: LatchAuth, rule: ContactRule, key: MessageKey) =>
  rule === 'soft' || rule === 'either' ? `${auth.t(key)} ${auth.t('field.optional')}` : auth.t(key);

function register(auth: LatchAuth): TemplateResult {
  const rules = auth.vm!.registerFields;
  const consent = safeUrl(auth.privacyUrl, location.origin);
  const schema = registerSchema(rules, Boolean(consent));
  const submit = auth.submit(schema, async (data, signal) => {
    const phone = data.mobile ? { mobile: data.mobile, country_code: (data.country_code ?? '').replace('+', '') } : undefined;
    const sent = await auth.store!.client.request(
      'POST',
      '/authentication/v1.0/register/form',
      registerSentSchema,
      {
        first_name: data.first_name,
        last_name: data.last_name || undefined,
        gender: data.gender || undefined,
        email: data.email || undefined,
        phone,
        password: data.password,
        consent: consent ? data.consent === 'on' : undefined,
        captcha_code: data.captcha_code,
      },
      { signal },
    );
    secretsOf(auth).registerToken = sent.register_token ?? '';
    // Codes go to each contact given; the phone is verified first, then the email.
    auth.pendingContacts = [
      ...(sent.verify_mobile_otp && phone ? [phone] : []),
      ...(sent.verify_email_otp && data.email ? [{ email: data.email }] : []),
    ];
    const first = auth.pendingContacts[0];
    if (!first) throw new LatchApiError('Nothing to verify', { kind: 'malformed' });
    auth.go('register-verify', codeSent(auth, 'register', first, 'email' in first ? { ...sent, request_id: undefined } : sent));
    // The email code's resend token, for when its turn comes.
    if (auth.pendingContacts[1]) auth.values.resendEmailToken = sent.resend_email_token ?? '';
  }, 'register', true);
  const gender = auth.values.gender ?? '';
  const consentError = auth.fieldErrors.consent;
  return step(
    auth,
    'auth.registerTitle',
    auth.form(
      'register',
      html`${auth.field('first_name', 'field.firstName', { autocomplete: 'given-name' })}
        ${auth.field('last_name', 'field.lastName', { autocomplete: 'family-name', required: false })}
        <div class="latch-field">
          <label class="latch-field__label" for="${auth.fid('gender')}">${auth.t('field.gender')}</label>
          <select class="latch-field__input" id="${auth.fid('gender')}" name="gender" autocomplete="sex">
            ${(['', 'female', 'male', 'unisex'] as const).map(
              (value) =>
                html`<option value=${value} ?selected=${value === gender}>${auth.t(`gender.${value || 'none'}` as MessageKey)}</option>`,
            )}
          </select>
        </div>
        ${rules.email ? auth.emailField('email', { label: optionalLabel(auth, rules.email, 'field.email'), required: rules.email === 'hard' }) : nothing}
        ${rules.mobile ? phoneFields(auth, { label: optionalLabel(auth, rules.mobile, 'field.mobile'), required: rules.mobile === 'hard' }) : nothing}
        ${auth.passwordField('password', 'field.newPassword', 'new-password')}
        <p class="latch-field__hint">${auth.t('password.hint')}</p>
        ${consent
          ? html`<div class="latch-choice">
              <input type="checkbox" id="${auth.fid('consent')}" name="consent" required
                aria-invalid=${consentError ? 'true' : nothing}
                aria-describedby=${consentError ? auth.fid('consent-error') : nothing} />
              <label for="${auth.fid('consent')}">${auth.t('field.consent')}
                <a href=${consent} target="_blank" rel="noopener">${auth.t('field.privacy')}</a></label>
              ${consentError ? html`<p class="latch-field__error" id=${auth.fid('consent-error')}>${consentError}</p>` : nothing}
            </div>`
          : nothing}`,
      'auth.register',
      submit,
      auth.link('auth.haveAccount', 'password'),
    ),
  );
}

function registerVerify(auth: LatchAuth): TemplateResult {
  const check: CheckCode<AuthResult> = (client, to, body, options) =>
    verifyLoginCode(client, to, { ...body, register_token: secretsOf(auth).registerToken, action: 'register' }, options);
  const sentTo = auth.code?.to;
  return step(
    auth,
    'auth.verifyTitle',
    verify(auth, check, (result) => {
      auth.pendingContacts = auth.pendingContacts.slice(1);
      if (result.user) return auth.finish(result.user, 'register');
      if (result.register_token) secretsOf(auth).registerToken = result.register_token;
      const next = auth.pendingContacts[0];
      if (!next) throw new LatchApiError('Registration did not finish', { kind: 'malformed' });
      // The next contact's code was sent with the form; its resend token came then too.
      auth.go('register-verify', codeSent(auth, 'register', next, { resend_email_token: auth.values.resendEmailToken, resend_timer: 0 }));
    }, () => auth.go('register')),
    { to: sentTo ? destinationLabel(sentTo) : '' },
  );
}

/** Sign-in through a provider: its adapter gets a token, the service checks it and signs in. */
export async function social(auth: LatchAuth, provider: SocialProvider, appId: string): Promise<void> {
  const adapter = socialAdapter(provider);
  if (!adapter) return;
  await auth.run(async (signal) => {
    let token: string;
    try {
      token = await adapter({ provider, appId, apiBase: auth.store!.client.apiBase, signal });
    } catch (error) {
      // The shopper closed the provider's window: nothing to say. A blocked window needs their help.
      const reason = (error as Error)?.message;
      if (reason === 'popup-blocked') auth.formError = auth.t('error.popup');
      else if (reason !== 'cancelled') throw error;
      return;
    }
    signedIn(auth, await socialLogin(auth.store!.client, provider, token, { signal }), provider);
  }, 'social');
}

/** After sign-in: the config requires a contact this shopper lacks. */
export function renderContact(auth: LatchAuth, missing: { field: Channel; hard: boolean }, user: User): TemplateResult {
  const what = contactWord(auth, missing.field === 'email');
  const code = auth.code?.purpose === 'contact' ? auth.code : undefined;
  const enter = auth.submit(contactSchema(missing.field === 'email'), async (_data, signal) => {
    auth.notice = await sendCode(auth, 'contact', destination(auth, missing.field), signal);
    auth.focusAfterRender = 'step';
  }, 'contact');
  const added = (result: AuthResult) => {
    clearCode(auth);
    auth.store!.signedIn(result.user ?? user);
    auth.announceLogin(result.user ?? user);
  };
  return step(
    auth,
    'auth.requiredTitle',
    html`<p>${auth.t(missing.hard ? 'auth.requiredHard' : 'auth.requiredSoft', { what })}</p>
      ${auth.renderMessages()}
      ${code
        ? verify(auth, verifyContactCode, added, () => clearCode(auth))
        : auth.form('contact', contactFields(auth, missing.field === 'email'), 'auth.sendCode', enter)}
      ${missing.hard ? nothing : auth.button('auth.skip', () => auth.skipContact(missing.field, user), 'latch-link')}`,
    { what },
  );
}

export const steps: Record<LazyStep, (auth: LatchAuth) => TemplateResult> = {
  otp: otpRequest,
  'otp-verify': (auth) =>
    html`<div id=${auth.fid('step')} class="latch-step">${verify(auth, verifyLoginCode, (result) => signedIn(auth, result), () => auth.go('otp'))}</div>`,
  complete,
  forgot,
  'forgot-sent': (auth) => step(auth, 'auth.forgotTitle', auth.link('auth.back', 'password')),
  'forgot-verify': (auth) =>
    step(
      auth,
      'auth.forgotTitle',
      verify(auth, verifyForgotCode, (token) => {
        secretsOf(auth).resetCode = { kind: 'token', code: token };
        clearCode(auth);
        auth.go('new-password');
      }, () => auth.go('forgot')),
    ),
  'new-password': newPassword,
  locked: (auth) =>
    step(auth, 'auth.lockedTitle', html`<p>${auth.t('auth.locked')}</p>${auth.link('auth.back', 'password')}`),
  register,
  'register-verify': registerVerify,
};
