// The rows behind one-time codes and one-time tokens (otp_requests, one_time_tokens): issuing,
// reissuing, the single-use and attempt-counting checks done inside one transaction, and purging.
// - Codes: 6 digits from the CSPRNG, stored only as sha256(request_id:code), bound to their
//   request_id, purpose and destination, single use, 10 minutes, 5 wrong tries and then dead.
// - Tokens (register_token, forgot_token, reset link code): 32 random bytes, stored hashed, single use.
// The rules around them (who may get a code, limits, messages) are services/codes.ts.
import { randomBytes, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Sql } from './sql';
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
  readonly #sql: Sql;
  readonly #applicationId: string;
  readonly #now: () => number;

  constructor(sql: Sql, applicationId: string, now: () => number) {
    this.#sql = sql;
    this.#applicationId = applicationId;
    this.#now = now;
  }

  /** A new request with its first code. The code is returned once, for delivery, and never stored. */
  async issue(input: { purpose: OtpPurpose; channel: Channel; destination: string; address: string; userId: string | null }): Promise<{
    row: OtpRow;
    code: string;
    resendToken: string;
  }> {
    const t = this.#now();
    // A small indexed batch per send keeps the table bounded at a cost independent of its size.
    await deleteBatch(this.#sql, OTP_PURGE, t - KEEP_SPENT_MS, PURGE_PER_SEND);
    const requestId = randomBytes(16).toString('hex');
    const code = newCode();
    const resendToken = randomUUID();
    await this.#sql.run(`INSERT INTO otp_requests (request_id, application_id, purpose, channel, destination, address, user_id,
           code_hash, attempts, expires_at, resend_token_hash, resend_after, consumed_at, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, NULL, ?, ?)`, requestId,
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
        t,);
    return { row: (await this.get(requestId))!, code, resendToken };
  }

  /**
   * Resend: same request_id, a new code (the old one no longer matches) and a fresh expiry. The
   * wrong tries made so far still count: a resend must not buy more guesses.
   */
  async reissue(row: OtpRow): Promise<{ row: OtpRow; code: string; resendToken: string } | undefined> {
    const t = this.#now();
    const code = newCode();
    const resendToken = randomUUID();
    // Only over the resend token the caller read and once its timer has run out, in this one
    // statement: of parallel resends with one token (other connections, other instances) one
    // re-issues and the rest find the token replaced (undefined), so the timer cannot be skipped.
    const { changes } = await this.#sql.run(
      `UPDATE otp_requests SET code_hash = ?, expires_at = ?, resend_token_hash = ?, resend_after = ?, updated_at = ?
         WHERE request_id = ? AND consumed_at IS NULL AND resend_token_hash = ? AND resend_after <= ?`,
      codeHash(row.request_id, code),
      t + OTP_TTL_MS,
      sha256(resendToken),
      t + RESEND_TIMER_SECONDS * 1000,
      t,
      row.request_id,
      row.resend_token_hash,
      t,
    );
    if (changes !== 1) return undefined;
    return { row: (await this.get(row.request_id))!, code, resendToken };
  }

  async get(requestId: string): Promise<OtpRow | undefined> {
    return await this.#sql.get('SELECT * FROM otp_requests WHERE request_id = ? AND application_id = ?', requestId, this.#applicationId) as OtpRow | undefined;
  }

  /** The newest request that is still open, for verifies that name the address but no request_id. */
  async latest(purpose: OtpPurpose, channel: Channel, destination: string): Promise<OtpRow | undefined> {
    return await this.#sql.get(`SELECT * FROM otp_requests WHERE application_id = ? AND purpose = ? AND channel = ? AND destination = ?
           AND consumed_at IS NULL ORDER BY updated_at DESC, created_at DESC LIMIT 1`, this.#applicationId, purpose, channel, destination) as OtpRow | undefined;
  }

  /** The open request a resend token belongs to, if it is for this purpose and destination. */
  async byResendToken(token: string, purpose: OtpPurpose, channel: Channel, destination: string): Promise<OtpRow | undefined> {
    const row = await this.#sql.get(`SELECT * FROM otp_requests WHERE application_id = ? AND resend_token_hash = ? AND purpose = ? AND channel = ?
           AND destination = ? AND consumed_at IS NULL`, this.#applicationId, sha256(token), purpose, channel, destination) as OtpRow | undefined;
    if (!row || row.updated_at + RESEND_WINDOW_MS <= this.#now()) return undefined;
    return row;
  }

  /**
   * Checks a code against a request (undefined = no matching request) and spends the request when
   * it matches. `acceptable: false` makes even the right code fail like a wrong one, for requests
   * whose code was never delivered (no account, contact owned by someone else); the hash is still
   * computed so that case costs the same.
   */
  async verify(row: OtpRow | undefined, code: string, acceptable = true): Promise<OtpRow> {
    if (!row) throw otpExpired();
    // One transaction, locked on the address: the checks and the wrong-try count cannot interleave
    // with another check of a code for the same address (on another instance too). A wrong try must
    // be committed, so the transaction returns the refusal and it is thrown after the commit.
    const outcome = await this.#sql.tx(async (q): Promise<OtpRow | ApiError> => {
      await q.lock(`otp:${this.#applicationId}:${row.channel}:${row.destination}`);
      const t = this.#now();
      const fresh = await q.get<OtpRow>('SELECT * FROM otp_requests WHERE request_id = ? AND application_id = ?', row.request_id, this.#applicationId);
      if (!fresh || fresh.consumed_at !== null) return otpExpired();
      const attemptsSoFar = Number(fresh.attempts);
      if (attemptsSoFar >= OTP_MAX_ATTEMPTS) return otpAttemptsExceeded();
      if (Number(fresh.expires_at) <= t) return otpExpired();
      // Wrong codes count per address across sends and resends: new requests do not buy more guesses.
      const wrong = await q.get<{ n: number | string }>(
        `SELECT COALESCE(SUM(attempts), 0) AS n FROM otp_requests
         WHERE application_id = ? AND channel = ? AND destination = ? AND updated_at > ?`,
        this.#applicationId,
        fresh.channel,
        fresh.destination,
        t - OTP_DESTINATION_WINDOW_MS,
      );
      if (Number(wrong?.n ?? 0) >= OTP_MAX_WRONG_PER_DESTINATION) return otpAttemptsExceeded();
      const matches = sameHex(codeHash(fresh.request_id, code), fresh.code_hash) && acceptable;
      if (!matches) {
        const attempts = attemptsSoFar + 1;
        await q.run('UPDATE otp_requests SET attempts = attempts + 1, updated_at = ? WHERE request_id = ?', t, fresh.request_id);
        if (attempts >= OTP_MAX_ATTEMPTS) return otpAttemptsExceeded();
        return otpInvalid(OTP_MAX_ATTEMPTS - attempts);
      }
      // The hash is part of the condition so a resend that raced this check cannot be spent by the old code.
      const spent = (
        await q.run(
          'UPDATE otp_requests SET consumed_at = ?, updated_at = ? WHERE request_id = ? AND consumed_at IS NULL AND code_hash = ?',
          t,
          t,
          fresh.request_id,
          fresh.code_hash,
        )
      ).changes;
      if (spent !== 1) return otpExpired();
      return { ...fresh, consumed_at: t };
    });
    if (outcome instanceof ApiError) throw outcome;
    return outcome;
  }

  /**
   * Spends every open request of `purpose` for these addresses, so a code already on its way can no
   * longer be checked (a password set ends the account's open forgot-password codes). Pass `q` inside
   * a transaction. Returns how many were spent.
   */
  async expireOpen(purpose: OtpPurpose, contacts: { channel: Channel; destination: string }[], q: Sql = this.#sql): Promise<number> {
    const t = this.#now();
    let spent = 0;
    for (const c of contacts) {
      spent += (
        await q.run(
          `UPDATE otp_requests SET consumed_at = ? WHERE application_id = ? AND purpose = ? AND channel = ? AND destination = ?
             AND consumed_at IS NULL`,
          t,
          this.#applicationId,
          purpose,
          c.channel,
          c.destination,
        )
      ).changes;
    }
    return spent;
  }
}

export class TokenStore {
  readonly #sql: Sql;
  readonly #applicationId: string;
  readonly #now: () => number;

  constructor(sql: Sql, applicationId: string, now: () => number) {
    this.#sql = sql;
    this.#applicationId = applicationId;
    this.#now = now;
  }

  async issue(
    purpose: TokenPurpose,
    subject: { userId?: string; channel?: Channel; destination?: string; address?: string },
    ttlMs: number,
  ): Promise<string> {
    const t = this.#now();
    await deleteBatch(this.#sql, TOKEN_PURGE, t - KEEP_SPENT_MS, PURGE_PER_SEND);
    const token = newToken();
    await this.#sql.run(`INSERT INTO one_time_tokens (token_hash, application_id, purpose, user_id, channel, destination, address,
           expires_at, consumed_at, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)`, sha256(token),
        this.#applicationId,
        purpose,
        subject.userId ?? null,
        subject.channel ?? null,
        subject.destination ?? null,
        subject.address ?? null,
        t + ttlMs,
        t,);
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
  async peek(token: unknown, purpose: TokenPurpose): Promise<TokenRow | undefined> {
    if (typeof token !== 'string' || !TOKEN_SHAPE.test(token)) return undefined;
    const row = await this.#sql.get('SELECT * FROM one_time_tokens WHERE token_hash = ? AND application_id = ? AND purpose = ?', sha256(token), this.#applicationId, purpose) as TokenRow | undefined;
    if (!row || row.consumed_at !== null || row.expires_at <= this.#now()) return undefined;
    return row;
  }

  /** The same store on another connection: `q` of a transaction, so its reads and writes join it. */
  bind(q: Sql): TokenStore {
    return new TokenStore(q, this.#applicationId, this.#now);
  }

  /** Spends a live token; undefined when it is unknown, spent, expired or was spent concurrently. */
  async consume(token: unknown, purpose: TokenPurpose): Promise<TokenRow | undefined> {
    const row = await this.peek(token, purpose);
    if (!row) return undefined;
    const t = this.#now();
    const changes = (await this.#sql.run('UPDATE one_time_tokens SET consumed_at = ? WHERE token_hash = ? AND consumed_at IS NULL', t, row.token_hash)).changes;
    return changes === 1 ? { ...row, consumed_at: t } : undefined;
  }

  /** Once a password is set, no other reset link or forgot token of that account may still work. */
  async revokeForUser(userId: string, purposes: TokenPurpose[]): Promise<number> {
    const t = this.#now();
    const marks = purposes.map(() => '?').join(', ');
    return (await this.#sql.run(`UPDATE one_time_tokens SET consumed_at = ? WHERE user_id = ? AND consumed_at IS NULL AND purpose IN (${marks})`, t, userId, ...purposes)).changes;
  }
}

// ---------------------------------------------------------------------------------------------
// Request fields shared by every endpoint that sends or checks a code.
