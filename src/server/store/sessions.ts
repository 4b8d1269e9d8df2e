// Server-side sessions (the cookie itself is http/cookies.ts). The cookie carries 32 random bytes; the database
// keeps only their SHA-256, so a leaked database (or log of it) cannot be replayed as a login.
import { randomBytes } from 'node:crypto';
import type { Sql } from './sql';
import { deleteAll } from './purge';
import { sha256 } from '../shared/ids';

/** Sessions one shopper may have at once; a new sign-in past it ends the oldest. */
export const MAX_SESSIONS_PER_USER = 50;

/** Rolling renewal writes at most this often per session, so polling does not hammer the DB. */
export const RENEW_INTERVAL_MS = 60_000;

/**
 * A rolling session's absolute limit (ASVS 7.3.2): activity keeps pushing the expiry out, but never
 * past this long after the sign-in (or the session's own lifetime, when that is longer).
 */
export const ROLLING_ABSOLUTE_MS = 30 * 86_400_000;

export interface SessionRow {
  id_hash: string;
  user_id: string;
  user_agent: string;
  ip: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
}

function hashToken(token: string): string {
  return sha256(token);
}

export interface SessionListRow {
  id_hash: string;
  public_id: string;
  user_agent: string;
  ip: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
}

export class SessionStore {
  readonly #sql: Sql;
  readonly #applicationId: string;
  readonly #now: () => number;
  /** Bound to a transaction's `q` (bind): statements join it instead of opening their own. */
  readonly #inTx: boolean;

  constructor(sql: Sql, applicationId: string, now: () => number, inTx = false) {
    this.#sql = sql;
    this.#applicationId = applicationId;
    this.#now = now;
    this.#inTx = inTx;
  }

  /** The same store on another connection: `q` of a transaction, so its writes join it. */
  bind(q: Sql): SessionStore {
    return new SessionStore(q, this.#applicationId, this.#now, true);
  }

  /**
   * Starts a session and returns the cookie value (the only place it exists in clear). A password
   * sign-in passes the hash it checked as `proof`: under the user's session lock the stored hash must
   * still be that one, else nothing is made and the answer is undefined. A reset or change that
   * committed while the password was being checked (and ended every session under the same lock)
   * so leaves no session behind for the old password.
   */
  async create(userId: string, meta: { userAgent: string; ip: string }, lifetimeMs: number): Promise<{ token: string; row: SessionRow }>;
  async create(userId: string, meta: { userAgent: string; ip: string }, lifetimeMs: number, proof: { passwordHash: string } | undefined): Promise<{ token: string; row: SessionRow } | undefined>;
  async create(userId: string, meta: { userAgent: string; ip: string }, lifetimeMs: number, proof?: { passwordHash: string }): Promise<{ token: string; row: SessionRow } | undefined> {
    const token = randomBytes(32).toString('base64url');
    const t = this.#now();
    const row: SessionRow = {
      id_hash: hashToken(token),
      user_id: userId,
      user_agent: meta.userAgent.slice(0, 512),
      ip: meta.ip,
      created_at: t,
      last_seen_at: t,
      expires_at: t + lifetimeMs,
    };
    const made = await this.#sql.tx(async (q) => {
      await q.lock(`sessions:${userId}`);
      if (proof) {
        const stored = await q.get<{ hash: string }>('SELECT hash FROM password_hashes WHERE user_id = ?', userId);
        if (stored?.hash !== proof.passwordHash) return false;
      }
      // public_id and authenticated_at are given here rather than left to the SQLite triggers, so
      // every database fills them the same way.
      await q.run(
        `INSERT INTO sessions (id_hash, user_id, application_id, user_agent, ip, created_at, last_seen_at, expires_at,
           public_id, authenticated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        row.id_hash,
        row.user_id,
        this.#applicationId,
        row.user_agent,
        row.ip,
        row.created_at,
        row.last_seen_at,
        row.expires_at,
        randomBytes(16).toString('hex'),
        t,
      );
      // Past the cap the oldest sessions end, so a script signing in forever cannot grow the table.
      // The new session always stays, even when older ones share its created_at.
      await q.run(
        `DELETE FROM sessions WHERE user_id = ? AND id_hash <> ? AND id_hash NOT IN
           (SELECT id_hash FROM sessions WHERE user_id = ? AND id_hash <> ? ORDER BY created_at DESC, id_hash DESC LIMIT ?)`,
        userId,
        row.id_hash,
        userId,
        row.id_hash,
        MAX_SESSIONS_PER_USER - 1,
      );
      return true;
    });
    return made ? { token, row } : undefined;
  }

  /** The live session for a cookie value; an expired one is deleted on sight. */
  async find(token: string): Promise<SessionRow | undefined> {
    const row = await this.#sql.get<SessionRow>('SELECT * FROM sessions WHERE id_hash = ? AND application_id = ?', hashToken(token), this.#applicationId);
    if (!row) return undefined;
    if (row.expires_at <= this.#now()) {
      await this.#sql.run('DELETE FROM sessions WHERE id_hash = ?', row.id_hash);
      return undefined;
    }
    return row;
  }

  /**
   * Records activity and, for rolling sessions, pushes the expiry out again. Returns the new
   * expiry when it moved (the caller then re-sends the cookie), or null when nothing was due.
   */
  async touch(row: SessionRow, lifetimeMs: number, rolling: boolean): Promise<number | null> {
    const t = this.#now();
    if (t - row.last_seen_at < RENEW_INTERVAL_MS) return null;
    const expires = rolling ? Math.min(t + lifetimeMs, row.created_at + Math.max(lifetimeMs, ROLLING_ABSOLUTE_MS)) : row.expires_at;
    await this.#sql.run('UPDATE sessions SET last_seen_at = ?, expires_at = ? WHERE id_hash = ?', t, expires, row.id_hash);
    return rolling ? expires : null;
  }

  async end(token: string): Promise<void> {
    await this.#sql.run('DELETE FROM sessions WHERE id_hash = ?', hashToken(token));
  }

  /**
   * Ends every session of the user under the user's session lock, the one `create` takes: a sign-in
   * in flight either made its session before (and it ends here) or makes it after this transaction
   * and sees what changed. Pass `q` when calling inside a transaction.
   */
  async endAllForUser(userId: string, q?: Sql): Promise<number> {
    const end = async (t: Sql): Promise<number> => {
      await t.lock(`sessions:${userId}`);
      return (await t.run('DELETE FROM sessions WHERE user_id = ?', userId)).changes;
    };
    const inner = q ?? (this.#inTx ? this.#sql : undefined);
    return inner ? end(inner) : this.#sql.tx(end);
  }

  /** The user's live sessions, most recently used first (the account page's list). */
  async listForUser(userId: string): Promise<SessionListRow[]> {
    return this.#sql.all<SessionListRow>(
      `SELECT id_hash, public_id, user_agent, ip, created_at, last_seen_at, expires_at FROM sessions
       WHERE user_id = ? AND application_id = ? AND expires_at > ?
       ORDER BY last_seen_at DESC, created_at DESC, public_id`,
      userId,
      this.#applicationId,
      this.#now(),
    );
  }

  /** A live session of this user by its public handle; another user's is not found. */
  async findByPublicId(publicId: string, userId: string): Promise<{ id_hash: string } | undefined> {
    return this.#sql.get<{ id_hash: string }>(
      'SELECT id_hash FROM sessions WHERE public_id = ? AND user_id = ? AND application_id = ? AND expires_at > ?',
      publicId,
      userId,
      this.#applicationId,
      this.#now(),
    );
  }

  /** Whether the session still exists and has not expired. */
  async isLive(idHash: string): Promise<boolean> {
    const row = await this.#sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM sessions WHERE id_hash = ? AND expires_at > ?', idHash, this.#now());
    return Number(row?.n ?? 0) > 0;
  }

  async endByIdHash(idHash: string): Promise<void> {
    await this.#sql.run('DELETE FROM sessions WHERE id_hash = ?', idHash);
  }

  /** Ends every live session of the user but the one kept; returns how many ended. */
  async endOthers(userId: string, keepIdHash: string): Promise<number> {
    return (
      await this.#sql.run(
        'DELETE FROM sessions WHERE user_id = ? AND application_id = ? AND id_hash <> ? AND expires_at > ?',
        userId,
        this.#applicationId,
        keepIdHash,
        this.#now(),
      )
    ).changes;
  }

  /** When the session last proved its credential (sign-in or a re-typed password). */
  async authenticatedAt(idHash: string): Promise<number> {
    const row = await this.#sql.get<{ authenticated_at: number | null; created_at: number }>(
      'SELECT authenticated_at, created_at FROM sessions WHERE id_hash = ?',
      idHash,
    );
    return Number(row?.authenticated_at ?? row?.created_at ?? 0);
  }

  async markAuthenticated(idHash: string): Promise<void> {
    await this.#sql.run('UPDATE sessions SET authenticated_at = ? WHERE id_hash = ?', this.#now(), idHash);
  }

  async purgeExpired(): Promise<number> {
    // Batched along the expires_at index (store/purge.ts); "+ 1" keeps the "<=" of find().
    return deleteAll(this.#sql, { table: 'sessions', column: 'expires_at' }, this.#now() + 1);
  }
}
