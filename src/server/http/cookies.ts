// The session cookie: its name, the Secure decision, reading, setting and clearing it, and starting
// a session for a proven sign-in. The sessions themselves live in services/sessions.ts.
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import type { ServiceInternals } from '../context';
import { clientIp } from './context-vars';
import { sessionPolicy } from '../services/config';
import type { UserRow } from '../store/users';

/** With Secure, the __Host- prefix pins the cookie to this host and path "/" (no Domain). */
export const SECURE_COOKIE_NAME = '__Host-f.session';
/** The name the real service uses; the only choice on plain http outside localhost. */
export const PLAIN_COOKIE_NAME = 'f.session';

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Whether the session cookie gets `Secure` (and the __Host- name). "auto": on https, and on
 * localhost, which Chromium and Firefox treat as a secure context even over http. Safari does not,
 * so a Safari tester on http://localhost should start the service with cookieSecure: false.
 */
export function cookieIsSecure(c: Context, setting: 'auto' | boolean): boolean {
  if (typeof setting === 'boolean') return setting;
  const url = new URL(c.req.url);
  // viaHttps also honours X-Forwarded-Proto, but only from a trusted proxy (http/proxy.ts).
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
export async function startSession(
  svc: Pick<ServiceInternals, 'sessions' | 'config' | 'cookieSecure'>,
  c: Context,
  userId: string,
  /** A password sign-in: the hash it checked, which must still be the account's (SessionStore.create). */
  proof?: { passwordHash: string },
): Promise<boolean> {
  const previous = readSessionToken(c, cookieIsSecure(c, svc.cookieSecure));
  if (previous) await svc.sessions.end(previous);
  const policy = sessionPolicy(await svc.config.get());
  const made = await svc.sessions.create(userId, { userAgent: c.req.header('user-agent') ?? '', ip: clientIp(c) }, policy.lifetimeMs, proof);
  if (!made) return false;
  setSessionCookie(c, made.token, policy.lifetimeMs / 1000, cookieIsSecure(c, svc.cookieSecure));
  c.set('authenticated', true);
  return true;
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

/** Starts a session the way password login does, and logs the sign-in with the method that proved it. */
export async function signIn(svc: ServiceInternals, c: Context, user: UserRow, how: string): Promise<void> {
  await startSession(svc, c, user.id);
  svc.log(`auth login success method=${how} user=${user.id} ip=${clientIp(c)} request_id=${c.get('requestId')}`);
}
