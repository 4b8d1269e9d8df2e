// The storefront-facing application API under /service/application/user: platform config,
// password login, the current session and logout (api-contract sections 3a and 3b).
import { Hono, type MiddlewareHandler } from 'hono';
import { ipBucket, type ServiceInternals } from '../context';
import { clientIp } from '../http/context-vars';
import { accountStateError } from '../services/deletion';
import { ApiError, validationError } from '../shared/errors';
import { INVALID_CREDENTIALS_MESSAGE, verifyPassword } from '../services/passwords';
import { upgradeStoredHash } from '../services/reauth';
import { callerOf } from '../http/request';
import { loginKey } from '../shared/phone';
import { publicConfig } from '../services/config';
import { clearSessionCookies, cookieIsSecure, readSessionToken, startSession } from '../http/cookies';
import { releaseAttempt, reserveAttempt, type SlidingWindowLimiter } from '../services/rate-limit';
import { isObject } from '../shared/validation';
import { readJsonObject } from '../http/body';
import { requireSession } from '../http/auth-session';
import { sha256 } from '../shared/ids';
import { queuedHash } from '../services/hash-queue';

/** Longer than any email (254) or phone number; longer usernames are refused before any lookup. */
export const LOGIN_USERNAME_MAX = 320;


/** A short, stable tag for an account key in logs, so attempts correlate without the raw email. */
function logTag(key: string): string {
  return sha256(key).slice(0, 12);
}

function requiredString(body: Record<string, unknown>, field: string, problems: { path: string; message: string }[]): string {
  const value = body[field];
  if (value === undefined || value === null) problems.push({ path: field, message: 'is required' });
  else if (typeof value !== 'string') problems.push({ path: field, message: 'expected string' });
  else if (value.trim() === '') problems.push({ path: field, message: 'must not be empty' });
  else return value;
  return '';
}

/**
 * Refuses password login while the config has login.password: false. Mounted in front of the
 * captcha check, so a switched-off path does not ask for a captcha first.
 */
export function passwordLoginSwitch(svc: ServiceInternals): MiddlewareHandler {
  return async (c, next) => {
    const login = (await svc.config.get())['login'];
    if (c.req.method === 'POST' && typeof login === 'object' && login !== null && !Array.isArray(login) && login['password'] === false) {
      throw new ApiError(400, 'LOGIN_METHOD_DISABLED', 'Signing in with a password is turned off for this store.');
    }
    await next();
  };
}

/**
 * The answer while failed sign-ins are limited. `meta.locked` says whose budget is spent ("account":
 * this account's, "network": the caller's address); `meta.otp_login` says the store takes one-time
 * codes, which a locked account's shopper can still sign in with (the lock guards passwords only).
 */
export async function loginLimited(svc: Pick<ServiceInternals, 'config'>, retryAfter: number, locked: 'account' | 'network'): Promise<ApiError> {
  const login = (await svc.config.get())['login'];
  const otpLogin = isObject(login) && login['otp'] === true;
  return new ApiError(429, 'TOO_MANY_ATTEMPTS', 'Too many sign-in attempts. Please try again later.', {
    headers: { 'Retry-After': String(retryAfter) },
    meta: { retry_after: retryAfter, locked, otp_login: otpLogin },
  });
}

export function applicationRoutes(svc: ServiceInternals): Hono {
  const app = new Hono();

  // `?platform=` (the application id) and the SDK's Authorization header are accepted and ignored:
  // this service serves one application, and the storefront token is public anyway.
  app.get('/platform/v1.0/config', async (c) => c.json(publicConfig(await svc.config.get())));

  app.post('/authentication/v1.0/login/password', async (c) => {
    const body = await readJsonObject(c);
    const problems: { path: string; message: string }[] = [];
    const username = requiredString(body, 'username', problems);
    const password = requiredString(body, 'password', problems);
    // Capped before it becomes a limiter key: the limiter keeps every key it sees for a window.
    if (username.length > LOGIN_USERNAME_MAX) problems.push({ path: 'username', message: `must be at most ${LOGIN_USERNAME_MAX} characters` });
    if (problems.length) throw validationError(problems);

    const login = loginKey(username);
    const ip = clientIp(c);
    const rid = c.get('requestId');
    const tag = logTag(login.key);

    // The attempt is counted before any lookup or hashing (and forgiven on success), so parallel
    // guesses cannot all pass the check while the first hashes run, and a limited answer is the
    // same for accounts that exist and ones that do not.
    const bucket = ipBucket(ip);
    const attempt: Parameters<typeof reserveAttempt>[0] = [
      [svc.limits.account, login.key],
      [svc.limits.ip, bucket],
    ];
    const refusedByLimit = await reserveAttempt(attempt);
    if (refusedByLimit) {
      svc.log(`auth login refused reason=rate_limited account=${tag} ip=${ip} request_id=${rid}`);
      throw await loginLimited(svc, refusedByLimit.status.retryAfterSeconds, refusedByLimit.index === 0 ? 'account' : 'network');
    }

    const user = await svc.users.findForLogin(login, { verifiedOnly: true });
    // The account's own budget, shared by every name it signs in with (two emails and a phone are
    // not three budgets) and by re-typed passwords (services/reauth.ts). An unknown name reserves a
    // bucket of its own typed key instead: the same work, and it fills exactly as fast as the first.
    const owner: [SlidingWindowLimiter, string] = [svc.limits.account, user ? `user:${user.id}` : `name:${login.key}`];
    // When the account's budget is spent by its other names, this name is answered as if the
    // password were wrong (nothing is checked: the same dummy hash an unknown name costs), not 429:
    // a 429 here, where a fresh unknown name gets 400, would tell which names share an account.
    // The attempt stays counted on this name and the caller's address, so probing is not free; once
    // this name's own budget is spent it gets the 429 (with `otp_login`) like any other name.
    const accountSpent = (await reserveAttempt([owner])) !== null;
    const stored = user && !accountSpent ? await svc.users.passwordHash(user.id) : undefined;
    // Always one full hash: a missing account or a passwordless one costs as much as a real check.
    let matches: boolean;
    try {
      // Queued per client address (an IPv6 /64 is one client), so one network cannot starve others.
      matches = await queuedHash(svc.hashQueue, bucket, c.req.raw.signal, () => verifyPassword(password, stored ?? svc.dummyHash, svc.passwordParams));
    } catch (err) {
      // Nothing was checked (a full queue's 503, or the client left while waiting): not a guess.
      await releaseAttempt(accountSpent ? attempt : [...attempt, owner]);
      throw err;
    }
    if (!user || !stored || !matches) {
      const reason = accountSpent ? 'account_rate_limited' : 'invalid_credentials';
      svc.log(`auth login failure reason=${reason} account=${tag} ip=${ip} request_id=${rid}`);
      throw new ApiError(400, 'INVALID_CREDENTIALS', INVALID_CREDENTIALS_MESSAGE);
    }

    // The password is right; only now may the answer say anything about the account's state.
    const refused = accountStateError(user);
    if (refused) {
      svc.log(`auth login refused reason=${refused.code === 'ACCOUNT_DELETED' ? 'deleted' : 'disabled'} user=${user.id} ip=${ip} request_id=${rid}`);
      throw refused;
    }

    await svc.limits.account.reset(login.key);
    await svc.limits.account.reset(owner[1]);
    await svc.limits.ip.release(bucket);
    // Hashes made with older parameters are upgraded, never over a password set meanwhile.
    const checked = await upgradeStoredHash(svc, callerOf(c), user.id, password, stored);

    // The session is made only while the password checked is still the account's: a reset or change
    // that landed during the hash ended every session and must not be outlived by this sign-in.
    if (!(await startSession(svc, c, user.id, { passwordHash: checked }))) {
      svc.log(`auth login failure reason=password_changed account=${tag} ip=${ip} request_id=${rid}`);
      throw new ApiError(400, 'INVALID_CREDENTIALS', INVALID_CREDENTIALS_MESSAGE);
    }
    svc.log(`auth login success user=${user.id} ip=${ip} request_id=${rid}`);
    return c.json({ user: await svc.users.toSchema(user), request_id: rid, register_token: '' });
  });

  app.get('/authentication/v1.0/session', async (c) => {
    const { user } = await requireSession(svc, c);
    return c.json({ user: await svc.users.toSchema(user) });
  });

  // GET is the contract's verb; POST is also accepted for clients that treat logout as a change.
  app.on(['GET', 'POST'], '/authentication/v1.0/logout', async (c) => {
    const token = readSessionToken(c, cookieIsSecure(c, svc.cookieSecure));
    if (token) {
      const session = await svc.sessions.find(token);
      await svc.sessions.end(token);
      if (session) svc.log(`auth logout user=${session.user_id} ip=${clientIp(c)} request_id=${c.get('requestId')}`);
    }
    clearSessionCookies(c, cookieIsSecure(c, svc.cookieSecure));
    c.set('authenticated', false);
    return c.json({ logout: true });
  });

  return app;
}
