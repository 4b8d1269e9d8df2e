// SQL for the storefront's one-time tokens (table storefront_tokens, migration 10): the sign-in
// tokens an admin issues for login/token, and the email and phone verification links. Tokens are
// 32 random bytes handed out once; only their SHA-256 is stored, and spending one is a single
// conditional UPDATE, so two requests racing with the same token cannot both win.
import { randomBytes } from 'node:crypto';
import type { Sql } from './sql';
import { sha256 } from '../shared/ids';
import { deleteBatch, type PurgeTarget } from './purge';

export type StorefrontTokenPurpose = 'login' | 'verify-email' | 'verify-mobile';

export interface StorefrontTokenRow {
  token_hash: string;
  purpose: StorefrontTokenPurpose;
  user_id: string;
  /** Verification links: the normalised contact (`<cc>:<number>` or the lowercased email). */
  destination: string | null;
  /** Verification links: the contact as typed (email) or in E.164 (phone). */
  address: string | null;
  expires_at: number;
  consumed_at: number | null;
  created_at: number;
}

/** Spent and expired rows are kept a day for support questions, then deleted a few per issue. */
export const STOREFRONT_TOKEN_KEEP_MS = 24 * 60 * 60 * 1000;
export const STOREFRONT_TOKEN_PURGE: PurgeTarget = { table: 'storefront_tokens', column: 'expires_at' };
const PURGE_PER_ISSUE = 20;
/** base64url of 32 bytes; anything else is not looked up at all. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export class StorefrontTokenStore {
  readonly #sql: Sql;
  readonly #applicationId: string;
  readonly #now: () => number;

  constructor(sql: Sql, applicationId: string, now: () => number) {
    this.#sql = sql;
    this.#applicationId = applicationId;
    this.#now = now;
  }

  /** A new token; the plain value is returned once, for delivery, and never stored. */
  async issue(purpose: StorefrontTokenPurpose, userId: string, ttlMs: number, contact?: { destination: string; address: string }): Promise<string> {
    const t = this.#now();
    await deleteBatch(this.#sql, STOREFRONT_TOKEN_PURGE, t - STOREFRONT_TOKEN_KEEP_MS, PURGE_PER_ISSUE);
    const token = randomBytes(32).toString('base64url');
    await this.#sql.run(`INSERT INTO storefront_tokens (token_hash, application_id, purpose, user_id, destination, address, expires_at, consumed_at, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?)`, sha256(token), this.#applicationId, purpose, userId, contact?.destination ?? null, contact?.address ?? null, t + ttlMs, t);
    return token;
  }

  /** Spends a live token of this purpose; undefined when unknown, spent, expired or lost a race. */
  async consume(token: unknown, purpose: StorefrontTokenPurpose): Promise<StorefrontTokenRow | undefined> {
    if (typeof token !== 'string' || !TOKEN_SHAPE.test(token)) return undefined;
    const hash = sha256(token);
    const t = this.#now();
    const changes = (await this.#sql.run(`UPDATE storefront_tokens SET consumed_at = ?
         WHERE token_hash = ? AND application_id = ? AND purpose = ? AND consumed_at IS NULL AND expires_at > ?`, t, hash, this.#applicationId, purpose, t)).changes;
    if (changes !== 1) return undefined;
    return await this.#sql.get('SELECT * FROM storefront_tokens WHERE token_hash = ?', hash) as StorefrontTokenRow;
  }

  /** Spends every live token of the user for this purpose (a newer link replaces the older ones). */
  async revoke(userId: string, purpose: StorefrontTokenPurpose, destination?: string): Promise<void> {
    const t = this.#now();
    if (destination === undefined) {
      await this.#sql.run('UPDATE storefront_tokens SET consumed_at = ? WHERE user_id = ? AND purpose = ? AND consumed_at IS NULL', t, userId, purpose);
    } else {
      await this.#sql.run('UPDATE storefront_tokens SET consumed_at = ? WHERE user_id = ? AND purpose = ? AND destination = ? AND consumed_at IS NULL', t, userId, purpose, destination);
    }
  }
}
