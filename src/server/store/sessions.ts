// Server-side sessions (the cookie itself is http/cookies.ts). The cookie carries 32 random bytes; the database
// keeps only their SHA-256, so a leaked database (or log of it) cannot be replayed as a login.
import { randomBytes } from 'node:crypto';
import type { DB } from './db';
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
  readonly #db: DB;
  readonly #applicationId: string;
  readonly #now: () => number;

  constructor(db: DB, applicationId: string, now: () => number) {
    this.#db = db;
    this.#applicationId = applicationId;
    this.#now = now;
  }

  /** Starts a session and returns the cookie value (the only place it exists in clear). */
  create(userId: string, meta: { userAgent: string; ip: string }, lifetimeMs: number): { token: string; row: SessionRow } {
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
    this.#db.transaction(() => {
      this.#db
        .prepare(
          `INSERT INTO sessions (id_hash, user_id, application_id, user_agent, ip, created_at, last_seen_at, expires_at)
           VALUES (@id_hash, @user_id, @application_id, @user_agent, @ip, @created_at, @last_seen_at, @expires_at)`,
        )
        .run({ ...row, application_id: this.#applicationId });
      // Past the cap the oldest sessions end, so a script signing in forever cannot grow the table.
      this.#db
        .prepare(
          `DELETE FROM sessions WHERE user_id = ? AND rowid NOT IN
             (SELECT rowid FROM sessions WHERE user_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?)`,
        )
        .run(userId, userId, MAX_SESSIONS_PER_USER);
    }).immediate();
    return { token, row };
  }

  /** The live session for a cookie value; an expired one is deleted on sight. */
  find(token: string): SessionRow | undefined {
    const row = this.#db
      .prepare('SELECT * FROM sessions WHERE id_hash = ? AND application_id = ?')
      .get(hashToken(token), this.#applicationId) as SessionRow | undefined;
    if (!row) return undefined;
    if (row.expires_at <= this.#now()) {
      this.#db.prepare('DELETE FROM sessions WHERE id_hash = ?').run(row.id_hash);
      return undefined;
    }
    return row;
  }

  /**
   * Records activity and, for rolling sessions, pushes the expiry out again. Returns the new
   * expiry when it moved (the caller then re-sends the cookie), or null when nothing was due.
   */
  touch(row: SessionRow, lifetimeMs: number, rolling: boolean): number | null {
    const t = this.#now();
    if (t - row.last_seen_at < RENEW_INTERVAL_MS) return null;
    const expires = rolling ? Math.min(t + lifetimeMs, row.created_at + Math.max(lifetimeMs, ROLLING_ABSOLUTE_MS)) : row.expires_at;
    this.#db
      .prepare('UPDATE sessions SET last_seen_at = ?, expires_at = ? WHERE id_hash = ?')
      .run(t, expires, row.id_hash);
    return rolling ? expires : null;
  }

  end(token: string): void {
    this.#db.prepare('DELETE FROM sessions WHERE id_hash = ?').run(hashToken(token));
  }

  endAllForUser(userId: string): number {
    return this.#db.prepare('DELETE FROM sessions WHERE user_id = ?').run(userId).changes;
  }

  /** The user's live sessions, most recently used first (the account page's list). */
  listForUser(userId: string): SessionListRow[] {
    return this.#db
      .prepare(
        `SELECT id_hash, public_id, user_agent, ip, created_at, last_seen_at, expires_at FROM sessions
         WHERE user_id = ? AND application_id = ? AND expires_at > ?
         ORDER BY last_seen_at DESC, created_at DESC, public_id`,
      )
      .all(userId, this.#applicationId, this.#now()) as SessionListRow[];
  }

  /** A live session of this user by its public handle; another user's is not found. */
  findByPublicId(publicId: string, userId: string): { id_hash: string } | undefined {
    return this.#db
      .prepare('SELECT id_hash FROM sessions WHERE public_id = ? AND user_id = ? AND application_id = ? AND expires_at > ?')
      .get(publicId, userId, this.#applicationId, this.#now()) as { id_hash: string } | undefined;
  }

  endByIdHash(idHash: string): void {
    this.#db.prepare('DELETE FROM sessions WHERE id_hash = ?').run(idHash);
  }

  /** Ends every live session of the user but the one kept; returns how many ended. */
  endOthers(userId: string, keepIdHash: string): number {
    return this.#db
      .prepare('DELETE FROM sessions WHERE user_id = ? AND application_id = ? AND id_hash != ? AND expires_at > ?')
      .run(userId, this.#applicationId, keepIdHash, this.#now()).changes;
  }

  /** When the session last proved its credential (sign-in or a re-typed password). */
  authenticatedAt(idHash: string): number {
    const row = this.#db.prepare('SELECT authenticated_at, created_at FROM sessions WHERE id_hash = ?').get(idHash) as
      | { authenticated_at: number | null; created_at: number }
      | undefined;
    return row?.authenticated_at ?? row?.created_at ?? 0;
  }

  markAuthenticated(idHash: string): void {
    this.#db.prepare('UPDATE sessions SET authenticated_at = ? WHERE id_hash = ?').run(this.#now(), idHash);
  }

  purgeExpired(): number {
    // Batched along the expires_at index (store/purge.ts); "+ 1" keeps the "<=" of find().
    return deleteAll(this.#db, { table: 'sessions', column: 'expires_at' }, this.#now() + 1);
  }
}
