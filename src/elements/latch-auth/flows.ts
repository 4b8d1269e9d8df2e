/**
 * The less travelled steps of `<latch-auth>`, loaded on demand the first time a shopper enters one:
 * registration, finishing a new account, forgot/reset password, required contacts after sign-in,
 * and the account-locked view. Keeping them out of the first download is what lets the widget
 * render every sign-in option within its size budget; each step is a function of the element's
 * `AuthKit` (its shared form helpers and state), so the element's own code stays private.
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
  type OtpSent,
  type SentCode,
} from '../../api/steps.js';

/** A send-code call: `sendLoginCode`-shaped, over a client. */
export type SendCode = (client: LatchClient, to: Destination, resend?: Resend, options?: RequestOptions) => Promise<OtpSent>;
import { LatchApiError } from '../../api/errors.js';
import type { User } from '../../api/schemas.js';
import { safeUrl } from '../../config/url.js';
import type { AuthViewModel } from '../../config/view-model.js';
import type { LatchErrorDetail, LatchLoginDetail } from '../../events.js';
import type { MessageKey } from '../../i18n/en.js';
import type { FieldSpec } from '../../ui/form.js';
import * as z from 'zod/mini';
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

/** What a flow step needs from the element: its form building blocks and its state. */
export interface AuthKit {
  vm: AuthViewModel;
  values: Record<string, string>;
  channel: Channel;
  code?: CodeRequest;
  /** Country calling code the mobile field starts with, without `+`. */
  readonly countryCode: string;
  registerToken: string;
  resetCode?: { kind: 'link' | 'token'; code: string };
  /** The email and phone that registration verifies next, in order. */
  pendingContacts: Destination[];
  privacyUrl: string;
  t(key: MessageKey, params?: Record<string, string | number>): string;
  /** This element's id for a control name, unique on the page. */
  fid(name: string): string;
  /** The localized error shown at a field, if any. */
  fieldError(name: string): string | undefined;
  client(): import('../../api/client.js').LatchClient;
  field(name: string, labelKey: MessageKey, spec?: Partial<FieldSpec>): TemplateResult;
  emailField(name?: string, spec?: Partial<FieldSpec>): TemplateResult;
  passwordField(name: string, labelKey: MessageKey, autocomplete: string): TemplateResult;
  form(name: string, fields: unknown, submitKey: MessageKey, onSubmit: (event: SubmitEvent) => void, extra?: unknown): TemplateResult;
  button(labelKey: MessageKey, onClick: () => void, modifier?: string): TemplateResult;
  heading(key: MessageKey, params?: Record<string, string>): TemplateResult;
  channelSwitch(): TemplateResult;
  messages(): TemplateResult;
  readonly pending: boolean;
  /** WebOTP's pending request, aborted by the element when the step is left. */
  sms?: AbortController;
  /** Seconds until a moment (ms since epoch), for countdowns. */
  wait(at: number): number;
  duration(seconds: number): string;
  run(action: (signal: AbortSignal) => Promise<unknown>, errorAction: LatchErrorDetail['action']): Promise<void>;
  /** After a right sign-in code (or a provider's token): signed in, or on to finishing a new account. */
  finishCode(result: { user?: User; register_token?: string }, method?: LatchLoginDetail['method']): void;
  /** The alert line, for a failure that is not a request's. */
  setError(text: string): void;
  submit<T>(
    schema: z.ZodMiniType<T>,
    action: (data: T & { captcha_code?: string }, signal: AbortSignal) => Promise<unknown>,
    errorAction: LatchErrorDetail['action'],
    withCaptcha?: boolean,
  ): (event: SubmitEvent) => Promise<void>;
  go(step: string, notice?: string): void;
  /** A status line for the current step; `focus` moves focus to the step's heading (its content changed). */
  setNotice(notice: string, focus?: boolean): void;
  finish(user: User, method: LatchLoginDetail['method'] | 'register'): void;
  skipContact(field: Channel, user: User): void;
  contactAdded(user: User): void;
  clearCode(): void;
  captchaField(): TemplateResult | typeof nothing;
  registerEntry(): TemplateResult | typeof nothing;
  /** Keeps the element's clock running for a countdown. */
  tick(): void;
}

/** Country code and number; `spec` (label, required) applies to the number. */
function phoneFields(k: AuthKit, spec: Partial<FieldSpec> = {}): TemplateResult {
  return html`<div class="latch-phone">
    ${k.field('country_code', 'field.countryCode', {
      type: 'tel',
      autocomplete: 'tel-country-code',
      inputmode: 'tel',
      value: k.values.country_code ?? `+${k.countryCode}`,
      required: spec.required,
    })}
    ${k.field('mobile', 'field.mobile', { type: 'tel', autocomplete: 'tel-national', inputmode: 'numeric', ...spec })}
  </div>`;
}

/** Where a code goes, from what the shopper typed. */
function destination(k: AuthKit, channel: Channel): Destination {
  return channel === 'email'
    ? { email: k.values.email ?? '' }
    : { mobile: k.values.mobile ?? '', country_code: (k.values.country_code ?? k.countryCode).replace('+', '') };
}

type Sent = { request_id?: string; resend_token?: string; resend_email_token?: string; resend_timer?: number };

/** Remembers what a send answered and starts the resend countdown; returns the "code sent" notice. */
function codeSent(k: AuthKit, purpose: CodeRequest['purpose'], to: Destination, sent: Sent, resend?: CodeRequest): string {
  k.code = {
    purpose,
    to,
    requestId: sent.request_id ?? resend?.requestId,
    resendToken: sent.resend_token ?? sent.resend_email_token,
    resendAt: Date.now() + (sent.resend_timer ?? 30) * 1000,
  };
  k.tick();
  return k.t('auth.codeSent', { to: destinationLabel(to) });
}

/** Sends a code (a sign-in code unless `send` says otherwise) and remembers the answer. */
async function sendCode(
  k: AuthKit,
  purpose: CodeRequest['purpose'],
  to: Destination,
  signal: AbortSignal,
  captcha?: string,
  resend?: CodeRequest,
  send: SendCode = sendLoginCode,
): Promise<string> {
  const options = { action: resend ? ('resend' as const) : ('send' as const), token: resend?.resendToken, captcha_code: captcha };
  return codeSent(k, purpose, to, await send(k.client(), to, options, { signal }), resend);
}

/** Sign-in by one-time code: where to send it (phone or email). */
function otpRequest(k: AuthKit): TemplateResult {
  const email = k.channel === 'email';
  const send = k.submit(contactSchema(email), async (data, signal) => {
    k.go('otp-verify', await sendCode(k, 'login', destination(k, k.channel), signal, data.captcha_code));
  }, 'code', true);
  return html`<div id=${k.fid('step')} class="latch-step">
    ${k.form('otp', html`${email ? k.emailField() : phoneFields(k)}${k.captchaField()}`, 'auth.sendCode', send, k.channelSwitch())}
    ${k.vm.password ? k.button('auth.usePassword', () => k.go('password'), 'latch-link') : nothing}
    ${k.registerEntry()}
  </div>`;
}

/** The code step shared by sign-in, reset, registration and contacts: one input, resend, change. */
function verify(k: AuthKit, next: (otp: string, signal: AbortSignal) => Promise<void>, back: () => void): TemplateResult {
  const code = k.code;
  const wait = code ? k.wait(code.resendAt) : 0;
  // A dead code (expired, too many tries) needs a fresh send, not a resend of the same request.
  const dead = code?.resendAt === 0;
  const resend = () => {
    if (!code || (!dead && k.wait(code.resendAt) > 0)) return;
    return k.run(async (signal) => {
      const send = code.purpose === 'forgot' ? sendForgotCode : code.purpose === 'contact' ? sendContactCode : undefined;
      k.setNotice(await sendCode(k, code.purpose, code.to, signal, undefined, dead ? undefined : code, send));
    }, 'code');
  };
  return k.form(
    'verify',
    k.field('otp', 'field.code', { autocomplete: 'one-time-code', inputmode: 'numeric', value: undefined }),
    'auth.verify',
    k.submit(codeSchema, ({ otp }, signal) => next(otp, signal), 'code'),
    html`<button type="button" class="latch-button latch-link" aria-disabled=${wait || k.pending ? 'true' : 'false'} @click=${resend}>
        ${wait ? k.t('auth.resendIn', { time: k.duration(wait) }) : k.t(dead ? 'auth.newCode' : 'auth.resend')}
      </button>
      <button type="button" class="latch-button latch-link" @click=${back}>
        ${k.t('auth.changeContact', { what: k.t(code && 'email' in code.to ? 'what.email' : 'what.mobile') })}
      </button>`,
  );
}

/** WebOTP: where the browser supports it, an SMS code for this origin fills the code field and is sent. */
export function listenForSms(k: AuthKit): void {
  if (k.sms && !k.sms.signal.aborted) return;
  if (!('OTPCredential' in window) || !k.code || 'email' in k.code.to) return;
  const controller = (k.sms = new AbortController());
  navigator.credentials
    .get({ otp: { transport: ['sms'] }, signal: controller.signal } as CredentialRequestOptions)
    .then((credential) => {
      const input = document.getElementById(k.fid('otp')) as HTMLInputElement | null;
      const code = (credential as unknown as { code?: string } | null)?.code;
      if (input && code) {
        input.value = code;
        input.form?.requestSubmit();
      }
    })
    .catch(() => {});
}


function complete(k: AuthKit): TemplateResult {
  const submit = k.submit(completeSchema, async (data, signal) => {
    const { user } = await updateProfile(k.client(), { ...data, register_token: k.registerToken }, { signal });
    if (!user) throw new LatchApiError('No user in the answer', { kind: 'malformed' });
    k.finish(user, 'otp');
  }, 'login');
  return html`<div class="latch-step">
    ${k.heading('auth.complete')}
    <p class="latch-card__subtitle">${k.t('auth.completeIntro')}</p>
    ${k.form(
      'complete',
      html`${k.field('first_name', 'field.firstName', { autocomplete: 'given-name' })}${k.field('last_name', 'field.lastName', {
        autocomplete: 'family-name',
        required: false,
      })}`,
      'auth.continue',
      submit,
    )}
  </div>`;
}

function forgot(k: AuthKit): TemplateResult {
  const email = k.channel === 'email' || !k.vm.otp;
  const send = k.submit(contactSchema(email), async (_data, signal) => {
    if (email) {
      await sendResetLink(k.client(), k.values.email, { signal });
      k.go('forgot-sent', k.t('auth.linkSent', { email: k.values.email }));
    } else {
      k.go('forgot-verify', await sendCode(k, 'forgot', destination(k, 'mobile'), signal, undefined, undefined, sendForgotCode));
    }
  }, 'reset');
  return html`<div class="latch-step">
    ${k.heading('auth.forgotTitle')}
    ${k.form(
      'forgot',
      email ? k.emailField() : phoneFields(k),
      email ? 'auth.sendLink' : 'auth.sendCode',
      send,
      html`${k.vm.otp ? k.channelSwitch() : nothing}${k.button('auth.back', () => k.go('password'), 'latch-link')}`,
    )}
  </div>`;
}

function forgotVerify(k: AuthKit): TemplateResult {
  return html`<div class="latch-step">
    ${k.heading('auth.forgotTitle')}
    ${verify(k, async (otp, signal) => {
      const token = await verifyForgotCode(k.client(), k.code!.to, { otp, request_id: k.code!.requestId }, { signal });
      k.resetCode = { kind: 'token', code: token };
      k.clearCode();
      k.go('new-password');
    }, () => k.go('forgot'))}
  </div>`;
}

function newPassword(k: AuthKit): TemplateResult {
  const save = k.submit(newPasswordSchema, async ({ password }, signal) => {
    const reset = k.resetCode;
    if (!reset) return k.go('forgot');
    await resetPassword(k.client(), reset.kind, reset.code, password, { signal });
    k.resetCode = undefined;
    k.go('password', k.t('auth.passwordChanged'));
  }, 'reset');
  return html`<div class="latch-step">
    ${k.heading('auth.newPassword')}
    ${k.form(
      'new-password',
      // The account's name beside the new password, so a password manager saves the pair.
      html`<input type="hidden" name="username" autocomplete="username" .value=${k.values.email ?? ''} />
        ${k.passwordField('password', 'field.newPassword', 'new-password')}`,
      'auth.savePassword',
      save,
      k.button('auth.back', () => k.go('password'), 'latch-link'),
    )}
  </div>`;
}

function locked(k: AuthKit): TemplateResult {
  return html`<div class="latch-step">
    ${k.heading('auth.lockedTitle')}
    <p>${k.t('auth.locked')}</p>
    ${k.button('auth.back', () => k.go('password'), 'latch-link')}
  </div>`;
}

/** Label of a registration contact field: "(optional)" when the config makes it soft. */
const optionalLabel = (k: AuthKit, rule: ContactRule, key: MessageKey) =>
  rule === 'soft' || rule === 'either' ? `${k.t(key)} ${k.t('field.optional')}` : k.t(key);

function register(k: AuthKit): TemplateResult {
  const rules = k.vm.registerFields;
  const consent = safeUrl(k.privacyUrl, location.origin);
  const schema = registerSchema(rules, Boolean(consent));
  const submit = k.submit(schema, async (data, signal) => {
    const phone = data.mobile ? { mobile: data.mobile, country_code: (data.country_code ?? '').replace('+', '') } : undefined;
    const sent = await k.client().request(
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
    k.registerToken = sent.register_token ?? '';
    // Codes go to each contact given; the phone is verified first, then the email.
    k.pendingContacts = [
      ...(sent.verify_mobile_otp && phone ? [phone] : []),
      ...(sent.verify_email_otp && data.email ? [{ email: data.email }] : []),
    ];
    const first = k.pendingContacts[0];
    if (!first) throw new LatchApiError('Nothing to verify', { kind: 'malformed' });
    k.go('register-verify', codeSent(k, 'register', first, 'email' in first ? { ...sent, request_id: undefined } : sent));
    // The email code's resend token, for when its turn comes.
    if (k.pendingContacts[1]) k.values.resendEmailToken = sent.resend_email_token ?? '';
  }, 'register', true);
  const gender = k.values.gender ?? '';
  return html`<div class="latch-step">
    ${k.heading('auth.registerTitle')}
    ${k.form(
      'register',
      html`${k.field('first_name', 'field.firstName', { autocomplete: 'given-name' })}
        ${k.field('last_name', 'field.lastName', { autocomplete: 'family-name', required: false })}
        <div class="latch-field">
          <label class="latch-field__label" for="${k.fid('gender')}">${k.t('field.gender')}</label>
          <select class="latch-field__input" id="${k.fid('gender')}" name="gender" autocomplete="sex">
            ${(['', 'female', 'male', 'unisex'] as const).map(
              (value) =>
                html`<option value=${value} ?selected=${value === gender}>${k.t(`gender.${value || 'none'}` as MessageKey)}</option>`,
            )}
          </select>
        </div>
        ${rules.email ? k.emailField('email', { label: optionalLabel(k, rules.email, 'field.email'), required: rules.email === 'hard' }) : nothing}
        ${rules.mobile ? phoneFields(k, { label: optionalLabel(k, rules.mobile, 'field.mobile'), required: rules.mobile === 'hard' }) : nothing}
        ${k.passwordField('password', 'field.newPassword', 'new-password')}
        <p class="latch-field__hint">${k.t('password.hint')}</p>
        ${consent
          ? html`<div class="latch-choice">
              <input type="checkbox" id="${k.fid('consent')}" name="consent" required
                aria-invalid=${k.fieldError('consent') ? 'true' : nothing}
                aria-describedby=${k.fieldError('consent') ? k.fid('consent-error') : nothing} />
              <label for="${k.fid('consent')}">${k.t('field.consent')}
                <a href=${consent} target="_blank" rel="noopener">${k.t('field.privacy')}</a></label>
              ${k.fieldError('consent')
                ? html`<p class="latch-field__error" id=${k.fid('consent-error')}>${k.fieldError('consent')}</p>`
                : nothing}
            </div>`
          : nothing}`,
      'auth.register',
      submit,
      k.button('auth.haveAccount', () => k.go('password'), 'latch-link'),
    )}
  </div>`;
}

function registerVerify(k: AuthKit): TemplateResult {
  const to = k.code?.to;
  return html`<div class="latch-step">
    ${k.heading('auth.verifyTitle', { to: to ? destinationLabel(to) : '' })}
    ${verify(k, async (otp, signal) => {
      const code = k.code!;
      const result = await verifyLoginCode(k.client(), 
        code.to,
        { otp, request_id: code.requestId, register_token: k.registerToken, action: 'register' },
        { signal },
      );
      k.pendingContacts = k.pendingContacts.slice(1);
      if (result.user) return k.finish(result.user, 'register');
      if (result.register_token) k.registerToken = result.register_token;
      const next = k.pendingContacts[0];
      if (!next) throw new LatchApiError('Registration did not finish', { kind: 'malformed' });
      // The next contact's code was sent with the form; its resend token came then too.
      k.go('register-verify', codeSent(k, 'register', next, { resend_email_token: k.values.resendEmailToken, resend_timer: 0 }));
    }, () => k.go('register'))}
  </div>`;
}

/** Sign-in through a provider: its adapter gets a token, the service checks it and signs in. */
export async function social(k: AuthKit, provider: SocialProvider, appId: string): Promise<void> {
  const adapter = socialAdapter(provider);
  if (!adapter) return;
  await k.run(async (signal) => {
    let token: string;
    try {
      token = await adapter({ provider, appId, apiBase: k.client().apiBase, signal });
    } catch (error) {
      // The shopper closed the provider's window: nothing to say. A blocked window needs their help.
      const reason = (error as Error)?.message;
      if (reason === 'popup-blocked') k.setError(k.t('error.popup'));
      else if (reason !== 'cancelled') throw error;
      return;
    }
    k.finishCode(await socialLogin(k.client(), provider, token, { signal }), provider);
  }, 'social');
}

/** After sign-in: the config requires a contact this shopper lacks. */
export function renderContact(k: AuthKit, missing: { field: Channel; hard: boolean }, user: User): TemplateResult {
  const what = k.t(missing.field === 'email' ? 'what.email' : 'what.mobile');
  const code = k.code?.purpose === 'contact' ? k.code : undefined;
  const enter = k.submit(contactSchema(missing.field === 'email'), async (_data, signal) => {
    k.setNotice(await sendCode(k, 'contact', destination(k, missing.field), signal, undefined, undefined, sendContactCode), true);
  }, 'contact');
  const add = async (otp: string, signal: AbortSignal) => {
    const result = await verifyContactCode(k.client(), code!.to, { otp, request_id: code!.requestId }, { signal });
    k.contactAdded(result.user ?? user);
  };
  return html`<div class="latch-step">
    ${k.heading('auth.requiredTitle', { what })}
    <p>${k.t(missing.hard ? 'auth.requiredHard' : 'auth.requiredSoft', { what })}</p>
    ${k.messages()}
    ${code
      ? verify(k, add, () => k.clearCode())
      : k.form('contact', missing.field === 'email' ? k.emailField() : phoneFields(k), 'auth.sendCode', enter)}
    ${missing.hard ? nothing : k.button('auth.skip', () => k.skipContact(missing.field, user), 'latch-link')}
  </div>`;
}

export const steps: Record<LazyStep, (k: AuthKit) => TemplateResult> = {
  otp: otpRequest,
  'otp-verify': (k) =>
    html`<div id=${k.fid('step')} class="latch-step">${verify(k, async (otp, signal) => {
      k.finishCode(await verifyLoginCode(k.client(), k.code!.to, { otp, request_id: k.code!.requestId }, { signal }));
    }, () => k.go('otp'))}</div>`,
  complete,
  forgot,
  'forgot-sent': (k) =>
    html`<div class="latch-step">${k.heading('auth.forgotTitle')}${k.button('auth.back', () => k.go('password'), 'latch-link')}</div>`,
  'forgot-verify': forgotVerify,
  'new-password': newPassword,
  locked,
  register,
  'register-verify': registerVerify,
};
