// Server-side sessions and the session cookie. The cookie carries 32 random bytes; the database
// keeps only their SHA-256, so a leaked database (or log of it) cannot be replayed as a login.
import { randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { clientIp, type ServiceInternals } from './context';
import type { DB } from './db';
import { deleteAll } from './purge';
import { sessionPolicy } from './platform-config';
import { sha256 } from './ids';

/** With Secure, the __Host- prefix pins the cookie to this host and path "/" (no Domain). */
export const SECURE_COOKIE_NAME = '__Host-f.session';
/** The name the real service uses; the only choice on plain http outside localhost. */
export const PLAIN_COOKIE_NAME = 'f.session';

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

  purgeExpired(): number {
    // Batched along the expires_at index (purge.ts); "+ 1" keeps the "<=" of find().
    return deleteAll(this.#db, { table: 'sessions', column: 'expires_at' }, this.#now() + 1);
  }
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Whether the session cookie gets `Secure` (and the __Host- name). "auto": on https, and on
 * localhost, which Chromium and Firefox treat as a secure context even over http. Safari does not,
 * so a Safari tester on http://localhost should start the service with cookieSecure: false.
 */
export function cookieIsSecure(c: Context, setting: 'auto' | boolean): boolean {
  if (typeof setting === 'boolean') return setting;
  const url = new URL(c.req.url);
  // viaHttps also honours X-Forwarded-Proto, but only from a trusted proxy (proxy.ts).
  return (c.get('viaHttps') ?? url.protocol === 'https:') || LOCAL_HOSTS.has(url.hostname);
}

/**
 * The session cookie's value. In secure mode only the __Host- name is read: a plain-named cookie can
 * be planted by a sibling subdomain or over plain http (session fixation); otherwise either name,
 * since the secure setting may differ between the login and now.
 */
export function readSessionToken(c: Context, secure?: boolean): string | undefined {
  const value = secure ? getCookie(c, SECURE_COOKIE_NAME) : getCookie(c, SECURE_COOKIE_NAME) || getCookie(c, PLAIN_COOKIE_NAME);
  // Only values this service could have issued are looked up at all.
  return value && /^[A-Za-z0-9_-]{43}$/.test(value) ? value : undefined;
}

function cookieName(secure: boolean): string {
  return secure ? SECURE_COOKIE_NAME : PLAIN_COOKIE_NAME;
}

export function setSessionCookie(c: Context, token: string, maxAgeSeconds: number, secure: boolean): void {
  const parts = [`${cookieName(secure)}=${token}`, 'Path=/', `Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}`, 'HttpOnly', 'SameSite=Lax'];
  if (secure) parts.push('Secure');
  c.header('Set-Cookie', parts.join('; '), { append: true });
}

/**
 * Starts a session for a sign-in whose credential was proven: a new id every time (the session
 * the browser had before is ended, not reused), lifetime from session_config, the session cookie.
 * Every sign-in path goes through here so they cannot drift apart; each logs its own success line.
 */
export function startSession(svc: Pick<ServiceInternals, 'sessions' | 'config' | 'cookieSecure'>, c: Context, userId: string): void {
  const previous = readSessionToken(c, cookieIsSecure(c, svc.cookieSecure));
  if (previous) svc.sessions.end(previous);
  const policy = sessionPolicy(svc.config.get());
  const { token } = svc.sessions.create(userId, { userAgent: c.req.header('user-agent') ?? '', ip: clientIp(c) }, policy.lifetimeMs);
  setSessionCookie(c, token, policy.lifetimeMs / 1000, cookieIsSecure(c, svc.cookieSecure));
  c.set('authenticated', true);
}

/**
 * Expires the session cookie. Clear-Site-Data is deliberately not sent: on a storefront served
 * from the same site it would also wipe the shop's own cookies (cart, consent).
 */
export function clearSessionCookies(c: Context, secure: boolean): void {
  const plainPresent = getCookie(c, PLAIN_COOKIE_NAME) !== undefined;
  if (secure) {
    c.header('Set-Cookie', `${SECURE_COOKIE_NAME}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax; Secure`, { append: true });
  }
  // A browser only accepts a __Host- cookie (even to delete it) from a secure context, so the plain
  // name is the one to clear otherwise, and also whenever the request still carries it.
  if (!secure || plainPresent) {
    c.header('Set-Cookie', `${PLAIN_COOKIE_NAME}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax`, { append: true });
  }
}
