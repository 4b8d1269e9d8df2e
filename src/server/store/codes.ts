// The rows behind one-time codes and one-time tokens (otp_requests, one_time_tokens): issuing,
// reissuing, the single-use and attempt-counting checks done inside one transaction, and purging.
// - Codes: 6 digits from the CSPRNG, stored only as sha256(request_id:code), bound to their
//   request_id, purpose and destination, single use, 10 minutes, 5 wrong tries and then dead.
// - Tokens (register_token, forgot_token, reset link code): 32 random bytes, stored hashed, single use.
// The rules around them (who may get a code, limits, messages) are services/codes.ts.
import { randomBytes, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import type { DB } from './db';
import { ApiError } from '../shared/errors';
import type { Channel } from './outbox';
import { sha256 } from '../shared/ids';
import { deleteBatch, type PurgeTarget } from './purge';

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
