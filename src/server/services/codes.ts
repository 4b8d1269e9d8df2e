// The rules of one-time codes, shared by OTP login, forgot password, adding contacts and (for the
// account-deletion helper) any other "prove you hold this phone or email" step. The code and token
// rows themselves are store/codes.ts (re-exported here, so callers keep one import). Here: parsing
// the contact fields those endpoints share, sending a code through the outbox with rate limits and
// resend rules, and the contact updates a verified code leads to.
import type { ServiceInternals } from '../context';
import { ipBucket, type Caller } from '../shared/caller';
import { ApiError } from '../shared/errors';
import type { Channel } from '../store/outbox';
import { parseCountryCode, parsePhone, type PhoneNumber } from '../shared/phone';
import { reserveAttempt, type SlidingWindowLimiter } from './rate-limit';
import type { UserRow } from '../store/users';
import { sha256 } from '../shared/ids';
import { isEmail, normalizeEmail } from '../shared/validation';
import { RESEND_TIMER_SECONDS, type OtpPurpose, type OtpRow } from '../store/codes';
export * from '../store/codes';
export * from '../store/contacts';
import { phoneFromDestination, storedEmail, type Destination } from '../store/contacts';

/**
 * What the code rules read from the service (createService's ServiceInternals has all of it); each
 * function below takes only the part it touches.
 */
export type CodesContext = Pick<ServiceInternals, 'sql' | 'applicationId' | 'config' | 'allowedOrigins' | 'otp' | 'otpLimits' | 'outbox' | 'users' | 'now' | 'log'>;
/** What sending a code touches: the code rows and their limits, the outbox, the store's name, the contact rows. */
export type SendCodeContext = Omit<CodesContext, 'users'>;

export interface OtpLimits {
  sendPerDestination: SlidingWindowLimiter;
  sendPerIp: SlidingWindowLimiter;
  verifyPerIp: SlidingWindowLimiter;
}

export function tooManyRequests(retryAfterSeconds: number): ApiError {
  return new ApiError(429, 'TOO_MANY_REQUESTS', 'Too many requests. Please try again later.', {
    headers: { 'Retry-After': String(retryAfterSeconds) },
    meta: { retry_after: retryAfterSeconds },
  });
}

/** Checks every (limiter, key) pair first and counts the request in all of them only if none is full. */
export async function enforceLimits(pairs: [SlidingWindowLimiter, string][]): Promise<void> {
  // Counted in every pair or in none, atomically across instances (reserveAttempt); refused with the longest wait.
  const refused = await reserveAttempt(pairs);
  if (refused) throw tooManyRequests(refused.status.retryAfterSeconds);
}

export type Problems = { path: string; message: string }[];

/** `mobile` (digits, separators allowed) and `country_code` (91, "91" or "+91"). */
export function readPhone(
  body: Record<string, unknown>,
  problems: Problems,
  fields: { mobile: string; countryCode: string } = { mobile: 'mobile', countryCode: 'country_code' },
): PhoneNumber | undefined {
  const rawCode = body[fields.countryCode];
  const rawMobile = body[fields.mobile];
  let countryCode: number | undefined;
  if (rawCode === undefined || rawCode === null || rawCode === '') {
    problems.push({ path: fields.countryCode, message: 'is required' });
  } else {
    countryCode = parseCountryCode(rawCode) ?? undefined;
    if (countryCode === undefined) problems.push({ path: fields.countryCode, message: 'expected a country calling code like "91"' });
  }
  if (rawMobile === undefined || rawMobile === null || rawMobile === '') {
    problems.push({ path: fields.mobile, message: 'is required' });
    return undefined;
  }
  const text = typeof rawMobile === 'number' && Number.isInteger(rawMobile) ? String(rawMobile) : rawMobile;
  // Digits only (spaces and dashes are allowed): the country belongs in country_code, not a "+" here.
  const phone = typeof text === 'string' && !text.includes('+') ? parsePhone(text, countryCode ?? 1) : null;
  if (!phone) {
    problems.push({ path: fields.mobile, message: 'expected the phone number as 4 to 14 digits, like "9876543210"' });
    return undefined;
  }
  return countryCode === undefined ? undefined : phone;
}

export function readEmail(body: Record<string, unknown>, problems: Problems, field = 'email'): string | undefined {
  const raw = body[field];
  if (raw === undefined || raw === null || raw === '') {
    problems.push({ path: field, message: 'is required' });
    return undefined;
  }
  const email = typeof raw === 'string' ? normalizeEmail(raw) : '';
  if (!email || !isEmail(email)) {
    problems.push({ path: field, message: 'expected an email address' });
    return undefined;
  }
  return email;
}

/** `action` defaults to "send"; "resend" needs the previous resend token in `tokenField`. */
export function readAction(
  body: Record<string, unknown>,
  problems: Problems,
  tokenField = 'token',
): { action: 'send' | 'resend'; token: string | undefined } {
  const action = body['action'] ?? 'send';
  if (action !== 'send' && action !== 'resend') {
    problems.push({ path: 'action', message: 'expected "send" or "resend"' });
    return { action: 'send', token: undefined };
  }
  if (action === 'send') return { action, token: undefined };
  const token = body[tokenField];
  if (typeof token !== 'string' || token.trim() === '') {
    problems.push({ path: tokenField, message: 'is required to resend a code' });
    return { action, token: undefined };
  }
  return { action, token: token.trim() };
}

export function readOtp(body: Record<string, unknown>, problems: Problems): string {
  const raw = body['otp'];
  const otp = typeof raw === 'string' ? raw.trim() : '';
  if (raw === undefined || raw === null || raw === '') problems.push({ path: 'otp', message: 'is required' });
  else if (!/^\d{6}$/.test(otp)) problems.push({ path: 'otp', message: 'expected the 6-digit code as a string' });
  return otp;
}

export function readRequestId(body: Record<string, unknown>, problems: Problems, required: boolean): string | undefined {
  const raw = body['request_id'];
  if (raw === undefined || raw === null || raw === '') {
    if (required) problems.push({ path: 'request_id', message: 'is required' });
    return undefined;
  }
  if (typeof raw !== 'string' || raw.length > 100) {
    problems.push({ path: 'request_id', message: 'expected the request_id the send answered with' });
    return undefined;
  }
  return raw;
}

// ---------------------------------------------------------------------------------------------
// Sending.

/** The name messages use for the store: the config's display name, else its name. */
export async function storeName(svc: Pick<CodesContext, 'config'>): Promise<string> {
  const config = await svc.config.get();
  const name = [config['display'], config['name']].find((v) => typeof v === 'string' && v.trim() !== '') as string | undefined;
  // The name ends up inside an SMS; line breaks there would break the origin-bound last line.
  return (name ?? 'Latch').replace(/\s+/g, ' ').trim();
}

/**
 * The origin of the page that asked, when this service trusts it (its own origin or an allowed
 * one); otherwise the service's own. Used for the WebOTP line and for reset links.
 */
export function trustedOrigin(svc: Pick<CodesContext, 'allowedOrigins'>, caller: Pick<Caller, 'ownOrigin'>, candidate: string | undefined): string {
  const own = caller.ownOrigin;
  if (!candidate) return own;
  let origin: string;
  try {
    origin = new URL(candidate).origin;
  } catch {
    return own;
  }
  return origin === own || svc.allowedOrigins.has(origin) ? origin : own;
}

/**
 * WebOTP's origin-bound format: the last line `@<host> #<code>` lets the browser offer the code to
 * that site only. The host is a bare host name: the format has no room for a scheme or port.
 */
export function smsText(store: string, host: string, code: string): string {
  return `${code} is your ${store} code. It expires in 10 minutes.\n\n@${host} #${code}`;
}

function emailFor(purpose: OtpPurpose, store: string, code: string): { subject: string; text: string } {
  const lead =
    purpose === 'forgot'
      ? `Use this code to reset your ${store} password: ${code}`
      : purpose === 'contact'
        ? `Use this code to add this email address to your ${store} account: ${code}`
        : purpose === 'register'
          ? `Use this code to confirm the email address of your new ${store} account: ${code}`
          : `Use this code to sign in to ${store}: ${code}`;
  const subject = purpose === 'forgot' ? `Reset your ${store} password` : `Your ${store} code`;
  const text = `${lead}\n\nIt expires in 10 minutes. If you did not ask for it, you can ignore this email.`;
  return { subject, text };
}

function destinationTag(d: Destination): string {
  return sha256(`${d.channel}:${d.destination}`).slice(0, 12);
}

export interface SendRequest extends Destination {
  purpose: OtpPurpose;
  action: 'send' | 'resend';
  token: string | undefined;
  userId: string | null;
  /** False when nothing may be sent (no account to reset, contact owned by someone else). */
  deliver: boolean;
}

/** What sendCode hands back: the request row and the token a resend must show. */
export interface SentCode {
  row: OtpRow;
  resendToken: string;
}

/** The contract's answer to a code sent by SMS, the same for sign-in and forgot password. */
export function mobileCodeSent(phone: PhoneNumber, sent: SentCode) {
  return {
    success: true,
    request_id: sent.row.request_id,
    message: 'OTP sent',
    mobile: phone.phone,
    country_code: String(phone.country_code),
    resend_timer: RESEND_TIMER_SECONDS,
    resend_token: sent.resendToken,
  };
}

/** The contract's answer to a code sent by email, the same for sign-in and forgot password. */
export function emailCodeSent(email: string, sent: SentCode) {
  return {
    success: true,
    request_id: sent.row.request_id,
    message: 'OTP sent',
    email,
    resend_timer: RESEND_TIMER_SECONDS,
    resend_email_token: sent.resendToken,
  };
}

function resendTokenInvalid(): ApiError {
  return new ApiError(400, 'RESEND_TOKEN_INVALID', 'This code can no longer be sent again. Request a new code.');
}

/**
 * Issues (send) or re-issues (resend) a code and hands it to the outbox. Everything that can be
 * observed (status, body, the rate-limit counts) is the same whether or not `deliver` is set.
 */
export async function sendCode(svc: SendCodeContext, caller: Caller, req: SendRequest): Promise<SentCode> {
  let existing: OtpRow | undefined;
  if (req.action === 'resend') {
    existing = req.token ? await svc.otp.byResendToken(req.token, req.purpose, req.channel, req.destination) : undefined;
    if (existing && req.userId !== null && existing.user_id !== req.userId) existing = undefined;
    if (!existing) throw resendTokenInvalid();
    const wait = Math.ceil((existing.resend_after - svc.now()) / 1000);
    if (wait > 0) {
      throw new ApiError(429, 'OTP_RESEND_TOO_SOON', `Wait ${wait} seconds before asking for a new code.`, {
        headers: { 'Retry-After': String(wait) },
        meta: { retry_after: wait },
      });
    }
  }
  const ip = caller.ip;
  await enforceLimits([
    [svc.otpLimits.sendPerDestination, `${req.channel}:${req.destination}`],
    [svc.otpLimits.sendPerIp, ipBucket(ip)],
  ]);

  const issued = existing
    ? await svc.otp.reissue(existing)
    : await svc.otp.issue({ purpose: req.purpose, channel: req.channel, destination: req.destination, address: req.address, userId: req.userId });
  // Another resend with the same token re-issued first (or the code was used meanwhile).
  if (!issued) throw resendTokenInvalid();
  if (req.deliver) {
    const store = await storeName(svc);
    if (req.channel === 'sms') {
      const host = new URL(trustedOrigin(svc, caller, caller.origin)).hostname;
      await svc.outbox.send({ channel: 'sms', to: req.address, text: smsText(store, host, issued.code) });
    } else {
      // An address an account holds gets its code as stored, never as typed: a look-alike that
      // folds to the same key (a Kelvin sign for "k") would otherwise receive the account's code.
      await svc.outbox.send({ channel: 'email', to: (await storedEmail(svc, req.destination)) ?? req.address, ...emailFor(req.purpose, store, issued.code) });
    }
  }
  svc.log(
    `otp ${req.action} purpose=${req.purpose} channel=${req.channel} to=${destinationTag(req)} ` +
      `otp_request=${issued.row.request_id} ip=${ip} request_id=${caller.requestId}`,
  );
  return { row: issued.row, resendToken: issued.resendToken };
}

/** Counts a verify attempt against the caller's IP before anything is looked up. */
export async function limitVerify(svc: Pick<CodesContext, 'otpLimits'>, caller: Pick<Caller, 'ip'>): Promise<void> {
  await enforceLimits([[svc.otpLimits.verifyPerIp, ipBucket(caller.ip)]]);
}

/** The request a verify names, if it exists and was issued for this purpose (and address, user). */
export async function findRequest(
  svc: Pick<CodesContext, 'otp'>,
  requestId: string | undefined,
  match: { purpose: OtpPurpose; channel: Channel; destination?: string; userId?: string },
): Promise<OtpRow | undefined> {
  const row = requestId
    ? await svc.otp.get(requestId)
    : match.destination !== undefined
      ? await svc.otp.latest(match.purpose, match.channel, match.destination)
      : undefined;
  if (!row || row.purpose !== match.purpose || row.channel !== match.channel) return undefined;
  if (match.destination !== undefined && row.destination !== match.destination) return undefined;
  if (match.userId !== undefined && row.user_id !== match.userId) return undefined;
  return row;
}

// ---------------------------------------------------------------------------------------------
// What a verified code leads to.

/** The live account that has this contact (verified or not), as password login would find it. */
export async function accountFor(svc: Pick<CodesContext, 'users'>, d: Pick<Destination, 'channel' | 'destination'>): Promise<UserRow | undefined> {
  return d.channel === 'sms'
    ? svc.users.findForLogin({ kind: 'phone', key: '', phone: phoneFromDestination(d.destination) })
    : svc.users.findForLogin({ kind: 'email', key: '', email: d.destination });
}
