// One-time codes and one-time tokens for the reference service, shared by OTP login, forgot
// password, adding contacts and (for the account-deletion helper) any other "prove you hold this
// phone or email" step.
// - Codes: 6 digits from the CSPRNG, stored only as sha256(request_id:code), bound to their
//   request_id, purpose and destination, single use, 10 minutes, 5 wrong tries and then dead.
// - Tokens (register_token, forgot_token, reset link code): 32 random bytes, stored hashed, single use.
// Also here: parsing the contact fields those endpoints share, sending a code through the outbox
// with rate limits and resend rules, and the contact updates a verified code leads to.
import { randomBytes, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import type { ServiceInternals } from '../context';
import { ipBucket, type Caller } from '../shared/caller';
import type { DB } from '../store/db';
import { ApiError } from '../shared/errors';
import type { Channel } from '../store/outbox';
import { parseCountryCode, parsePhone, type PhoneNumber } from '../shared/phone';
import type { SlidingWindowLimiter } from './rate-limit';
import type { UserRow } from '../store/users';
import { sha256 } from '../shared/ids';
import { isEmail } from '../shared/validation';
import { deleteBatch, type PurgeTarget } from '../store/purge';

export const OTP_TTL_MS = 10 * 60 * 1000;
export const OTP_MAX_ATTEMPTS = 5;
/** Wrong codes per address (all its requests together) within the window below, then no more checks. */
export const OTP_MAX_WRONG_PER_DESTINATION = 10;
export const OTP_DESTINATION_WINDOW_MS = 15 * 60 * 1000;
/** Seconds before a code may be sent again to the same request (the contract's resend_timer). */
export const RESEND_TIMER_SECONDS = 30;
/** A resend token works this long after the last send; later, the client starts over with "send". */
const RESEND_WINDOW_MS = 60 * 60 * 1000;
/** Spent and expired rows are kept a while for support questions, then dropped. */
export const KEEP_SPENT_MS = 24 * 60 * 60 * 1000;
/** Old rows deleted along with each new code or token; the periodic purge (app.ts) does the rest. */
const PURGE_PER_SEND = 20;
/** Every code ends at its expiry (a spent one earlier), so rows expired a day ago are done with. */
export const OTP_PURGE: PurgeTarget = { table: 'otp_requests', column: 'expires_at' };
export const TOKEN_PURGE: PurgeTarget = { table: 'one_time_tokens', column: 'expires_at' };

export type OtpPurpose = 'login' | 'forgot' | 'contact' | 'register';
export type TokenPurpose = 'register' | 'forgot' | 'reset';

export interface OtpRow {
  request_id: string;
  purpose: OtpPurpose;
  channel: Channel;
  /** Normalised: `<country code>:<number>` for SMS, the lowercased address for email. */
  destination: string;
  /** How the address was typed (email) or the E.164 form (SMS); what messages are sent to. */
  address: string;
  /** The signed-in user who asked (contact codes only). */
  user_id: string | null;
  code_hash: string;
  attempts: number;
  expires_at: number;
  resend_token_hash: string;
  resend_after: number;
  consumed_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface TokenRow {
  token_hash: string;
  purpose: TokenPurpose;
  user_id: string | null;
  channel: Channel | null;
  destination: string | null;
  address: string | null;
  expires_at: number;
  consumed_at: number | null;
  created_at: number;
}

export interface OtpLimits {
  sendPerDestination: SlidingWindowLimiter;
  sendPerIp: SlidingWindowLimiter;
  verifyPerIp: SlidingWindowLimiter;
}

function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Uniform over 000000-999999; randomInt draws from the CSPRNG without modulo bias. */
export function newCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

function codeHash(requestId: string, code: string): string {
  return sha256(`${requestId}:${code}`);
}

/** 256 bits, URL-safe: register_token, forgot_token and the reset link code. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

// ---------------------------------------------------------------------------------------------
// Errors a code check can end in. Unknown, spent and expired requests share one answer, so a
// request_id tells nobody whether it ever existed.

export function otpExpired(): ApiError {
  return new ApiError(400, 'OTP_EXPIRED', 'This code has expired. Request a new code.');
}

export function otpAttemptsExceeded(): ApiError {
  return new ApiError(400, 'OTP_ATTEMPTS_EXCEEDED', 'Too many wrong codes. Request a new code.', {
    meta: { attempts_left: 0 },
  });
}

export function otpInvalid(attemptsLeft: number): ApiError {
  return new ApiError(400, 'OTP_INVALID', 'Entered OTP is invalid, please retry', { meta: { attempts_left: attemptsLeft } });
}

export function tooManyRequests(retryAfterSeconds: number): ApiError {
  return new ApiError(429, 'TOO_MANY_REQUESTS', 'Too many requests. Please try again later.', {
    headers: { 'Retry-After': String(retryAfterSeconds) },
    meta: { retry_after: retryAfterSeconds },
  });
}

/** Checks every (limiter, key) pair first and counts the request in all of them only if none is full. */
export function enforceLimits(pairs: [SlidingWindowLimiter, string][]): void {
  const limited = pairs.map(([limiter, key]) => limiter.check(key)).filter((s) => s.limited);
  if (limited.length) throw tooManyRequests(Math.max(...limited.map((s) => s.retryAfterSeconds)));
  for (const [limiter, key] of pairs) limiter.hit(key);
}

// ---------------------------------------------------------------------------------------------

export class OtpStore {
  readonly #db: DB;
  readonly #applicationId: string;
  readonly #now: () => number;

  constructor(db: DB, applicationId: string, now: () => number) {
    this.#db = db;
    this.#applicationId = applicationId;
    this.#now = now;
  }

  /** A new request with its first code. The code is returned once, for delivery, and never stored. */
  issue(input: { purpose: OtpPurpose; channel: Channel; destination: string; address: string; userId: string | null }): {
    row: OtpRow;
    code: string;
    resendToken: string;
  } {
    const t = this.#now();
    // A small indexed batch per send keeps the table bounded at a cost independent of its size.
    deleteBatch(this.#db, OTP_PURGE, t - KEEP_SPENT_MS, PURGE_PER_SEND);
    const requestId = randomBytes(16).toString('hex');
    const code = newCode();
    const resendToken = randomUUID();
    this.#db
      .prepare(
        `INSERT INTO otp_requests (request_id, application_id, purpose, channel, destination, address, user_id,
           code_hash, attempts, expires_at, resend_token_hash, resend_after, consumed_at, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, NULL, ?, ?)`,
      )
      .run(
        requestId,
        this.#applicationId,
        input.purpose,
        input.channel,
        input.destination,
        input.address,
        input.userId,
        codeHash(requestId, code),
        t + OTP_TTL_MS,
        sha256(resendToken),
        t + RESEND_TIMER_SECONDS * 1000,
        t,
        t,
      );
    return { row: this.get(requestId)!, code, resendToken };
  }

  /**
   * Resend: same request_id, a new code (the old one no longer matches) and a fresh expiry. The
   * wrong tries made so far still count: a resend must not buy more guesses.
   */
  reissue(row: OtpRow): { row: OtpRow; code: string; resendToken: string } {
    const t = this.#now();
    const code = newCode();
    const resendToken = randomUUID();
    this.#db
      .prepare(
        `UPDATE otp_requests SET code_hash = ?, expires_at = ?, resend_token_hash = ?, resend_after = ?,
           updated_at = ? WHERE request_id = ? AND consumed_at IS NULL`,
      )
      .run(codeHash(row.request_id, code), t + OTP_TTL_MS, sha256(resendToken), t + RESEND_TIMER_SECONDS * 1000, t, row.request_id);
    return { row: this.get(row.request_id)!, code, resendToken };
  }

  get(requestId: string): OtpRow | undefined {
    return this.#db
      .prepare('SELECT * FROM otp_requests WHERE request_id = ? AND application_id = ?')
      .get(requestId, this.#applicationId) as OtpRow | undefined;
  }

  /** The newest request that is still open, for verifies that name the address but no request_id. */
  latest(purpose: OtpPurpose, channel: Channel, destination: string): OtpRow | undefined {
    return this.#db
      .prepare(
        `SELECT * FROM otp_requests WHERE application_id = ? AND purpose = ? AND channel = ? AND destination = ?
           AND consumed_at IS NULL ORDER BY updated_at DESC, created_at DESC LIMIT 1`,
      )
      .get(this.#applicationId, purpose, channel, destination) as OtpRow | undefined;
  }

  /** The open request a resend token belongs to, if it is for this purpose and destination. */
  byResendToken(token: string, purpose: OtpPurpose, channel: Channel, destination: string): OtpRow | undefined {
    const row = this.#db
      .prepare(
        `SELECT * FROM otp_requests WHERE application_id = ? AND resend_token_hash = ? AND purpose = ? AND channel = ?
           AND destination = ? AND consumed_at IS NULL`,
      )
      .get(this.#applicationId, sha256(token), purpose, channel, destination) as OtpRow | undefined;
    if (!row || row.updated_at + RESEND_WINDOW_MS <= this.#now()) return undefined;
    return row;
  }

  /**
   * Checks a code against a request (undefined = no matching request) and spends the request when
   * it matches. `acceptable: false` makes even the right code fail like a wrong one, for requests
   * whose code was never delivered (no account, contact owned by someone else); the hash is still
   * computed so that case costs the same.
   */
  verify(row: OtpRow | undefined, code: string, acceptable = true): OtpRow {
    const t = this.#now();
    if (!row || row.consumed_at !== null) throw otpExpired();
    if (row.attempts >= OTP_MAX_ATTEMPTS) throw otpAttemptsExceeded();
    if (row.expires_at <= t) throw otpExpired();
    // Wrong codes count per address across sends and resends: new requests do not buy more guesses.
    const recentWrong = (
      this.#db
        .prepare(
          `SELECT COALESCE(SUM(attempts), 0) AS n FROM otp_requests
           WHERE application_id = ? AND channel = ? AND destination = ? AND updated_at > ?`,
        )
        .get(this.#applicationId, row.channel, row.destination, t - OTP_DESTINATION_WINDOW_MS) as { n: number }
    ).n;
    if (recentWrong >= OTP_MAX_WRONG_PER_DESTINATION) throw otpAttemptsExceeded();
    const matches = sameHex(codeHash(row.request_id, code), row.code_hash) && acceptable;
    if (!matches) {
      const attempts = row.attempts + 1;
      this.#db
        .prepare('UPDATE otp_requests SET attempts = attempts + 1, updated_at = ? WHERE request_id = ?')
        .run(t, row.request_id);
      if (attempts >= OTP_MAX_ATTEMPTS) throw otpAttemptsExceeded();
      throw otpInvalid(OTP_MAX_ATTEMPTS - attempts);
    }
    // The hash is part of the condition so a resend that raced this check cannot be spent by the old code.
    const spent = this.#db
      .prepare('UPDATE otp_requests SET consumed_at = ?, updated_at = ? WHERE request_id = ? AND consumed_at IS NULL AND code_hash = ?')
      .run(t, t, row.request_id, row.code_hash).changes;
    if (spent !== 1) throw otpExpired();
    return { ...row, consumed_at: t };
  }
}

export class TokenStore {
  readonly #db: DB;
  readonly #applicationId: string;
  readonly #now: () => number;

  constructor(db: DB, applicationId: string, now: () => number) {
    this.#db = db;
    this.#applicationId = applicationId;
    this.#now = now;
  }

  issue(
    purpose: TokenPurpose,
    subject: { userId?: string; channel?: Channel; destination?: string; address?: string },
    ttlMs: number,
  ): string {
    const t = this.#now();
    deleteBatch(this.#db, TOKEN_PURGE, t - KEEP_SPENT_MS, PURGE_PER_SEND);
    const token = newToken();
    this.#db
      .prepare(
        `INSERT INTO one_time_tokens (token_hash, application_id, purpose, user_id, channel, destination, address,
           expires_at, consumed_at, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)`,
      )
      .run(
        sha256(token),
        this.#applicationId,
        purpose,
        subject.userId ?? null,
        subject.channel ?? null,
        subject.destination ?? null,
        subject.address ?? null,
        t + ttlMs,
        t,
      );
    return token;
  }

  /**
   * The work `issue` does, without storing anything: the "no such account" path of forgot password
   * calls it so both paths generate and hash a token.
   */
  issueNothing(): void {
    sha256(newToken());
  }

  /** The live token, without spending it. */
  peek(token: unknown, purpose: TokenPurpose): TokenRow | undefined {
    if (typeof token !== 'string' || !TOKEN_SHAPE.test(token)) return undefined;
    const row = this.#db
      .prepare('SELECT * FROM one_time_tokens WHERE token_hash = ? AND application_id = ? AND purpose = ?')
      .get(sha256(token), this.#applicationId, purpose) as TokenRow | undefined;
    if (!row || row.consumed_at !== null || row.expires_at <= this.#now()) return undefined;
    return row;
  }

  /** Spends a live token; undefined when it is unknown, spent, expired or was spent concurrently. */
  consume(token: unknown, purpose: TokenPurpose): TokenRow | undefined {
    const row = this.peek(token, purpose);
    if (!row) return undefined;
    const t = this.#now();
    const changes = this.#db
      .prepare('UPDATE one_time_tokens SET consumed_at = ? WHERE token_hash = ? AND consumed_at IS NULL')
      .run(t, row.token_hash).changes;
    return changes === 1 ? { ...row, consumed_at: t } : undefined;
  }

  /** After a password reset, no other reset link or forgot token of that account may still work. */
  revokeForUser(userId: string, purposes: TokenPurpose[]): void {
    const t = this.#now();
    const marks = purposes.map(() => '?').join(', ');
    this.#db
      .prepare(`UPDATE one_time_tokens SET consumed_at = ? WHERE user_id = ? AND consumed_at IS NULL AND purpose IN (${marks})`)
      .run(t, userId, ...purposes);
  }
}

// ---------------------------------------------------------------------------------------------
// Request fields shared by every endpoint that sends or checks a code.

export type Problems = { path: string; message: string }[];

export interface Destination {
  channel: Channel;
  /** See OtpRow.destination. */
  destination: string;
  /** See OtpRow.address. */
  address: string;
}

export function phoneDestination(phone: PhoneNumber): Destination {
  return { channel: 'sms', destination: `${phone.country_code}:${phone.phone}`, address: `+${phone.country_code}${phone.phone}` };
}

export function emailDestination(email: string): Destination {
  return { channel: 'email', destination: email.toLowerCase(), address: email };
}

export function phoneFromDestination(destination: string): PhoneNumber {
  const [countryCode, phone] = destination.split(':');
  return { country_code: Number(countryCode), phone: phone! };
}

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
  const email = typeof raw === 'string' ? raw.trim() : '';
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
export function storeName(svc: ServiceInternals): string {
  const config = svc.config.get();
  const name = [config['display'], config['name']].find((v) => typeof v === 'string' && v.trim() !== '') as string | undefined;
  // The name ends up inside an SMS; line breaks there would break the origin-bound last line.
  return (name ?? 'Latch').replace(/\s+/g, ' ').trim();
}

/**
 * The origin of the page that asked, when this service trusts it (its own origin or an allowed
 * one); otherwise the service's own. Used for the WebOTP line and for reset links.
 */
export function trustedOrigin(svc: Pick<ServiceInternals, 'allowedOrigins'>, caller: Pick<Caller, 'ownOrigin'>, candidate: string | undefined): string {
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

/**
 * Issues (send) or re-issues (resend) a code and hands it to the outbox. Everything that can be
 * observed (status, body, the rate-limit counts) is the same whether or not `deliver` is set.
 */
export function sendCode(svc: ServiceInternals, caller: Caller, req: SendRequest): SentCode {
  let existing: OtpRow | undefined;
  if (req.action === 'resend') {
    existing = req.token ? svc.otp.byResendToken(req.token, req.purpose, req.channel, req.destination) : undefined;
    if (existing && req.userId !== null && existing.user_id !== req.userId) existing = undefined;
    if (!existing) {
      throw new ApiError(400, 'RESEND_TOKEN_INVALID', 'This code can no longer be sent again. Request a new code.');
    }
    const wait = Math.ceil((existing.resend_after - svc.now()) / 1000);
    if (wait > 0) {
      throw new ApiError(429, 'OTP_RESEND_TOO_SOON', `Wait ${wait} seconds before asking for a new code.`, {
        headers: { 'Retry-After': String(wait) },
        meta: { retry_after: wait },
      });
    }
  }
  const ip = caller.ip;
  enforceLimits([
    [svc.otpLimits.sendPerDestination, `${req.channel}:${req.destination}`],
    [svc.otpLimits.sendPerIp, ipBucket(ip)],
  ]);

  const issued = existing
    ? svc.otp.reissue(existing)
    : svc.otp.issue({ purpose: req.purpose, channel: req.channel, destination: req.destination, address: req.address, userId: req.userId });
  if (req.deliver) {
    const store = storeName(svc);
    if (req.channel === 'sms') {
      const host = new URL(trustedOrigin(svc, caller, caller.origin)).hostname;
      svc.outbox.send({ channel: 'sms', to: req.address, text: smsText(store, host, issued.code) });
    } else {
      // An address an account holds gets its code as stored, never as typed: a look-alike that
      // folds to the same key (a Kelvin sign for "k") would otherwise receive the account's code.
      svc.outbox.send({ channel: 'email', to: storedEmail(svc, req.destination) ?? req.address, ...emailFor(req.purpose, store, issued.code) });
    }
  }
  svc.log(
    `otp ${req.action} purpose=${req.purpose} channel=${req.channel} to=${destinationTag(req)} ` +
      `otp_request=${issued.row.request_id} ip=${ip} request_id=${caller.requestId}`,
  );
  return { row: issued.row, resendToken: issued.resendToken };
}

/** The email as an account stored it, for a lowercased key; undefined when no account has it. */
export function storedEmail(svc: Pick<ServiceInternals, 'db' | 'applicationId'>, key: string): string | undefined {
  const row = svc.db.prepare('SELECT email FROM user_emails WHERE application_id = ? AND email_key = ?').get(svc.applicationId, key) as
    | { email: string }
    | undefined;
  return row?.email;
}

/** Counts a verify attempt against the caller's IP before anything is looked up. */
export function limitVerify(svc: Pick<ServiceInternals, 'otpLimits'>, caller: Pick<Caller, 'ip'>): void {
  enforceLimits([[svc.otpLimits.verifyPerIp, ipBucket(caller.ip)]]);
}

/** The request a verify names, if it exists and was issued for this purpose (and address, user). */
export function findRequest(
  svc: ServiceInternals,
  requestId: string | undefined,
  match: { purpose: OtpPurpose; channel: Channel; destination?: string; userId?: string },
): OtpRow | undefined {
  const row = requestId
    ? svc.otp.get(requestId)
    : match.destination !== undefined
      ? svc.otp.latest(match.purpose, match.channel, match.destination)
      : undefined;
  if (!row || row.purpose !== match.purpose || row.channel !== match.channel) return undefined;
  if (match.destination !== undefined && row.destination !== match.destination) return undefined;
  if (match.userId !== undefined && row.user_id !== match.userId) return undefined;
  return row;
}

// ---------------------------------------------------------------------------------------------
// What a verified code leads to.

/** The live account that has this contact (verified or not), as password login would find it. */
export function accountFor(svc: ServiceInternals, d: Pick<Destination, 'channel' | 'destination'>): UserRow | undefined {
  return d.channel === 'sms'
    ? svc.users.findForLogin({ kind: 'phone', key: '', phone: phoneFromDestination(d.destination) })
    : svc.users.findForLogin({ kind: 'email', key: '', email: d.destination });
}

/** Who has this contact at all (any state), or undefined when it is free. */
export function contactOwner(svc: ServiceInternals, d: Pick<Destination, 'channel' | 'destination'>): { user_id: string; verified: boolean } | undefined {
  const row =
    d.channel === 'sms'
      ? (svc.db
          .prepare('SELECT user_id, verified FROM user_phones WHERE application_id = ? AND country_code = ? AND phone = ?')
          .get(svc.applicationId, phoneFromDestination(d.destination).country_code, phoneFromDestination(d.destination).phone) as
          | { user_id: string; verified: number }
          | undefined)
      : (svc.db
          .prepare('SELECT user_id, verified FROM user_emails WHERE application_id = ? AND email_key = ?')
          .get(svc.applicationId, d.destination) as { user_id: string; verified: number } | undefined);
  return row ? { user_id: row.user_id, verified: row.verified === 1 } : undefined;
}

/**
 * Records that the user proved they hold this contact: an existing row of theirs becomes verified,
 * a new one is added verified (and primary when they have no primary of that kind). Returns false
 * when another account holds the contact; the caller then answers generically.
 */
export function addVerifiedContact(svc: ServiceInternals, userId: string, d: Destination, opts: { verified?: boolean } = {}): boolean {
  const verified = opts.verified === false ? 0 : 1;
  const t = svc.now();
  const table = d.channel === 'sms' ? 'user_phones' : 'user_emails';
  return svc.db.transaction(() => {
    const owner = contactOwner(svc, d);
    if (owner && owner.user_id !== userId) return false;
    if (owner) {
      if (verified) {
        if (d.channel === 'sms') {
          const p = phoneFromDestination(d.destination);
          svc.db.prepare('UPDATE user_phones SET verified = 1 WHERE user_id = ? AND country_code = ? AND phone = ?').run(userId, p.country_code, p.phone);
        } else {
          svc.db.prepare('UPDATE user_emails SET verified = 1 WHERE user_id = ? AND email_key = ?').run(userId, d.destination);
        }
      }
    } else {
      const hasPrimary = !!svc.db.prepare(`SELECT 1 FROM ${table} WHERE user_id = ? AND is_primary = 1`).get(userId);
      const primary = hasPrimary ? 0 : 1;
      if (d.channel === 'sms') {
        const p = phoneFromDestination(d.destination);
        svc.db
          .prepare(
            `INSERT INTO user_phones (user_id, application_id, phone, country_code, is_primary, verified, active, created_at)
             VALUES (?, ?, ?, ?, ?, ?, 1, ?)`,
          )
          .run(userId, svc.applicationId, p.phone, p.country_code, primary, verified, t);
      } else {
        svc.db
          .prepare(
            `INSERT INTO user_emails (user_id, application_id, email, email_key, is_primary, verified, active, created_at)
             VALUES (?, ?, ?, ?, ?, ?, 1, ?)`,
          )
          .run(userId, svc.applicationId, d.address, d.destination, primary, verified, t);
      }
    }
    svc.db.prepare('UPDATE users SET updated_at = ? WHERE id = ?').run(t, userId);
    return true;
  }).immediate();
}
