/**
 * Typed calls for the steps beyond the first sign-in screen: finishing an account, password reset,
 * adding a contact, verifying codes. Plain functions over `LatchClient.request` rather than client
 * methods, so a page that only shows sign-in does not download them (the steps load on demand).
 */
import type { Destination, LatchClient, RequestOptions, Resend } from './client.js';
import * as z from 'zod/mini';
import { okSchema, userSchema } from './schemas.js';
import type { SocialProvider } from './client.js';

/** Answer to a verified code or a social sign-in: a user (signed in), or a token to finish signing up. */
export const authResultSchema = z.looseObject({
  user: z.optional(userSchema),
  user_exists: z.optional(z.boolean()),
  register_token: z.optional(z.string()),
});
export type AuthResult = z.infer<typeof authResultSchema>;

const forgotTokenSchema = z.looseObject({ forgot_token: z.string() });

/** Answer to sending or resending a one-time code (mobile or email). */
export const otpSentSchema = z.looseObject({
  request_id: z.optional(z.string()),
  // A custom check rather than z.number(): this is the only number on the wire, and zod/mini's
  // number type would ship for it alone.
  resend_timer: z.optional(z.custom<number>((value) => typeof value === 'number' && Number.isFinite(value))),
  resend_token: z.optional(z.string()),
  resend_email_token: z.optional(z.string()),
});
export type OtpSent = z.infer<typeof otpSentSchema>;

const AUTH = '/authentication/v1.0/';

// What a sent code is lives with the code controller (the first download has it); re-exported for the callers here.
export { sentCode, type SentCode } from '../controllers/code.js';

const kind = (to: Destination) => ('email' in to ? 'email' : 'mobile');

/** Signs in with a provider's token, as the provider's adapter obtained it. */
export function socialLogin(client: LatchClient, provider: SocialProvider, token: string, options?: RequestOptions): Promise<AuthResult> {
  const body =
    provider === 'apple'
      ? { oauth: { identity_token: token }, profile: {} }
      : { is_signed_in: true, oauth2: { access_token: token }, profile: {} };
  return client.request('POST', `${AUTH}${provider === 'apple' ? 'login/apple-ios' : `login/${provider}-token`}`, authResultSchema, body, options);
}

/** Sends a sign-in code to a phone (`login/otp`) or an email (`otp/email/send`), or resends it. */
export function sendLoginCode(client: LatchClient, to: Destination, resend: Resend = {}, options?: RequestOptions): Promise<OtpSent> {
  const path = 'email' in to ? 'otp/email/send' : resend.action === 'resend' ? 'otp/mobile/send' : 'login/otp';
  return client.request('POST', `${AUTH}${path}`, otpSentSchema, { ...to, action: 'send', ...resend }, options);
}

/** Verifies a sign-in (or registration) code; signs an account in, or returns a register token for a new one. */
export function verifyLoginCode(
  client: LatchClient,
  to: Destination,
  body: { otp: string; request_id?: string; register_token?: string; action?: 'register' },
  options?: RequestOptions,
): Promise<AuthResult> {
  return client.request('POST', `${AUTH}otp/${kind(to)}/verify`, authResultSchema, { ...to, ...body }, options);
}

/** Finishes signing up after a verified code (`register_token`), or updates the signed-in profile. */
export function updateProfile(client: LatchClient, body: Record<string, unknown>, options?: RequestOptions): Promise<AuthResult> {
  return client.request('POST', '/profile/v1.0/detail', authResultSchema, body, options);
}

/** Emails a reset link for that address (the answer is the same whether an account exists). */
export function sendResetLink(client: LatchClient, email: string, options?: RequestOptions): Promise<unknown> {
  return client.request('POST', `${AUTH}login/password/reset`, okSchema, { email }, options);
}

/** Checks a reset link's code before asking for a new password. */
export function checkResetCode(client: LatchClient, code: string, options?: RequestOptions): Promise<unknown> {
  return client.request('POST', `${AUTH}login/password/reset/token`, okSchema, { code }, options);
}

/** Sets a new password with a reset link's code (`link`) or a verified reset code's token (`token`). */
export function resetPassword(client: LatchClient, via: 'link' | 'token', code: string, password: string, options?: RequestOptions): Promise<unknown> {
  const path = via === 'link' ? 'login/password/reset/forgot' : 'login/password/forgot';
  return client.request('POST', `${AUTH}${path}`, okSchema, { code, password }, options);
}

/** Sends (or resends) a password-reset code to a phone or an email. */
export function sendForgotCode(client: LatchClient, to: Destination, resend: Resend = {}, options?: RequestOptions): Promise<OtpSent> {
  return client.request('POST', `${AUTH}otp/forgot/${kind(to)}/send`, otpSentSchema, { ...to, action: 'send', ...resend }, options);
}

/** Exchanges a password-reset code for the token that sets the new password. */
export async function verifyForgotCode(client: LatchClient, to: Destination, body: { otp: string; request_id?: string }, options?: RequestOptions): Promise<string> {
  return (await client.request('POST', `${AUTH}otp/forgot/${kind(to)}/verify`, forgotTokenSchema, { ...to, ...body }, options)).forgot_token;
}

/** Sends a code that proves the signed-in shopper owns a new email or phone. */
export function sendContactCode(client: LatchClient, to: Destination, resend: Resend = {}, options?: RequestOptions): Promise<OtpSent> {
  return client.request('POST', `/profile/v2.0/${kind(to)}/otp/send`, otpSentSchema, { ...to, ...resend }, options);
}

/**
 * Follows a contact verification link (the token from `?verify_email=` or `?verify_mobile=`): the
 * contact joins the account that asked for it. Works without a session (the link may be opened on
 * another device).
 */
export function verifyContactLink(client: LatchClient, channel: 'email' | 'mobile', code: string, options?: RequestOptions): Promise<unknown> {
  return client.request('POST', `${AUTH}verify/${channel}`, okSchema, { code }, options);
}

/** Adds the verified contact to the signed-in shopper. */
export function verifyContactCode(client: LatchClient, to: Destination, body: { otp: string; request_id?: string }, options?: RequestOptions): Promise<AuthResult> {
  return client.request('POST', `/profile/v2.0/${kind(to)}/otp/verify`, authResultSchema, { ...to, ...body }, options);
}
