// Sliding-window limits kept in the database (table limit_hits), so failed sign-ins, code sends and
// checks and registrations count once across every instance of the service on one database, where
// an in-memory counter per process would let N instances allow N times the attempts. Same answers
// as the in-memory SlidingWindowLimiter (services/rate-limit.ts): a key is limited while `limit`
// hits lie within the last `windowMs`, and Retry-After says when the oldest of those leaves it.
//
// Each hit is one row. Only the newest `limit` rows of a key can ever matter, so counting a hit
// deletes the older ones and the ones out of the window: a key never holds more than `limit` rows,
// however hard it is hammered. The purge removes the keys nobody touched again.
import { sha256 } from '../shared/ids';
import { PURGE_BATCH_ROWS } from './purge';
import type { Sql } from './sql';

/**
 * One limit. `bucket` names it (e.g. "login-account") and must always come with the same limit and
 * window; when several applications share a database, put the application id in it.
 */
export interface LimitRule {
  bucket: string;
  /** Hits allowed within the window; the next one is refused. At least 1. */
  limit: number;
  windowMs: number;
}

/** The same shape as services/rate-limit.ts's LimitStatus (the store may not import services). */
export interface LimitStatus {
  limited: boolean;
  /** Seconds until the oldest counted hit leaves the window (0 when not limited). */
  retryAfterSeconds: number;
}

/** Keys longer than this are stored (and locked) as their SHA-256, so a 60 kB username is 71 bytes. */
export const MAX_KEY_CHARS = 64;

/** The key as stored: short keys as they are, long ones as "sha256:<hex>" (longer than any short key). */
export function storedKey(key: string): string {
  return key.length > MAX_KEY_CHARS ? `sha256:${sha256(key)}` : key;
}

function checkRule(rule: LimitRule): void {
  if (!Number.isInteger(rule.limit) || rule.limit < 1) throw new RangeError(`limit of ${rule.bucket} must be a whole number of at least 1`);
  if (!(rule.windowMs > 0)) throw new RangeError(`windowMs of ${rule.bucket} must be positive`);
}

export class LimitStore {
  readonly #sql: Sql;
  readonly #now: () => number;
  /** The longest window any rule used here: purge never deletes a hit that may still count. */
  #longestWindowMs = 0;

  constructor(sql: Sql, now: () => number) {
    this.#sql = sql;
    this.#now = now;
  }

  #use(rule: LimitRule): void {
    checkRule(rule);
    if (rule.windowMs > this.#longestWindowMs) this.#longestWindowMs = rule.windowMs;
  }

  async check(rule: LimitRule, key: string): Promise<LimitStatus> {
    this.#use(rule);
    return status(this.#sql, rule, storedKey(key), this.#now());
  }

  /** Counts one hit. */
  async hit(rule: LimitRule, key: string): Promise<void> {
    this.#use(rule);
    const k = storedKey(key);
    await this.#sql.tx(async (q) => {
      await q.lock(lockKey(rule, k));
      await addHit(q, rule, k, this.#now());
    });
  }

  /** Takes back the newest hit of `key`: a reserved attempt that turned out to succeed or not to count. */
  async release(rule: LimitRule, key: string): Promise<void> {
    this.#use(rule);
    const k = storedKey(key);
    // Locked, so two releases at once take back two hits rather than both picking the same newest one.
    await this.#sql.tx(async (q) => {
      await q.lock(lockKey(rule, k));
      await q.run(
        'DELETE FROM limit_hits WHERE id IN (SELECT id FROM limit_hits WHERE bucket = ? AND key = ? ORDER BY at DESC, id DESC LIMIT 1)',
        rule.bucket,
        k,
      );
    });
  }

  /** Forgets every hit of `key` (a successful sign-in clears its account's failures). */
  async reset(rule: LimitRule, key: string): Promise<void> {
    this.#use(rule);
    await this.#sql.run('DELETE FROM limit_hits WHERE bucket = ? AND key = ?', rule.bucket, storedKey(key));
  }

  /**
   * Counts one hit in every (rule, key) pair, or in none: returns the refusal of the pair with the
   * longest Retry-After (and its index) when any pair is full, else null with every hit counted.
   * Atomic across instances: each pair's key is locked, in one sorted order so two reservations
   * that share keys cannot each hold one and wait for the other.
   */
  async reserve(pairs: readonly (readonly [LimitRule, string])[]): Promise<{ status: LimitStatus; index: number } | null> {
    for (const [rule] of pairs) this.#use(rule);
    const keyed = pairs.map(([rule, key]) => ({ rule, key: storedKey(key) }));
    const locks = [...new Set(keyed.map((p) => lockKey(p.rule, p.key)))].sort();
    return this.#sql.tx(async (q) => {
      for (const name of locks) await q.lock(name);
      const t = this.#now();
      let worst: { status: LimitStatus; index: number } | null = null;
      for (const [index, p] of keyed.entries()) {
        const s = await status(q, p.rule, p.key, t);
        if (s.limited && (!worst || s.retryAfterSeconds > worst.status.retryAfterSeconds)) worst = { status: s, index };
      }
      if (worst) return worst;
      for (const p of keyed) await addHit(q, p.rule, p.key, t);
      return null;
    });
  }

  /**
   * Deletes hits that no rule can count any more: older than `keepMs` (pass the longest window of
   * every rule in use; a shorter one is raised to the longest window this store has seen). Works in
   * batches of `batch` rows, each its own short statement, so other writers get in between (the
   * approach of store/purge.ts). Returns how many rows went.
   */
  async purge(keepMs: number, batch = PURGE_BATCH_ROWS): Promise<number> {
    const before = this.#now() - Math.max(keepMs, this.#longestWindowMs);
    let total = 0;
    for (;;) {
      const { changes } = await this.#sql.run(
        'DELETE FROM limit_hits WHERE id IN (SELECT id FROM limit_hits WHERE at <= ? LIMIT ?)',
        before,
        batch,
      );
      total += changes;
      if (changes < batch) return total;
    }
  }
}

function lockKey(rule: LimitRule, key: string): string {
  return `limit:${rule.bucket}:${key}`;
}

/** Whether `key` is full at time `t`: the limit-th newest hit within the window decides. */
async function status(q: Sql, rule: LimitRule, key: string, t: number): Promise<LimitStatus> {
  const row = await q.get<{ at: number | string }>(
    'SELECT at FROM limit_hits WHERE bucket = ? AND key = ? AND at > ? ORDER BY at DESC, id DESC LIMIT 1 OFFSET ?',
    rule.bucket,
    key,
    t - rule.windowMs,
    rule.limit - 1,
  );
  if (!row) return { limited: false, retryAfterSeconds: 0 };
  // The request becomes possible once that hit has left the window.
  const freeAt = Number(row.at) + rule.windowMs;
  return { limited: true, retryAfterSeconds: Math.max(1, Math.ceil((freeAt - t) / 1000)) };
}

/** Inside a transaction holding the key's lock: adds a hit, then drops what can no longer count. */
async function addHit(q: Sql, rule: LimitRule, key: string, t: number): Promise<void> {
  await q.run('INSERT INTO limit_hits (bucket, key, at) VALUES (?, ?, ?)', rule.bucket, key, t);
  await q.run(
    `DELETE FROM limit_hits WHERE bucket = ? AND key = ? AND (at <= ? OR id NOT IN (
       SELECT id FROM limit_hits WHERE bucket = ? AND key = ? ORDER BY at DESC, id DESC LIMIT ?))`,
    rule.bucket,
    key,
    t - rule.windowMs,
    rule.bucket,
    key,
    rule.limit,
  );
}
