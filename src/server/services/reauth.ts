// Re-authentication for sensitive account changes (ASVS 6.2.3, 7.5.2): a sign-in counts as recent
// for 10 minutes; otherwise the request carries the current password, checked with the login's
// limits (per user and per IP) through the hashing queue.
import type { ServiceInternals } from '../context';
import { ApiError, validationError } from '../shared/errors';
import { ipBucket, type Caller } from '../shared/caller';
import type { SessionRow } from '../store/sessions';
import type { UserRow } from '../store/users';
import { optionalHash, queuedHash } from './hash-queue';
import { hashPassword, needsRehash, verifyPassword } from './passwords';
import { releaseAttempt, reserveAttempt } from './rate-limit';

/** What re-authentication needs of the service. */
export type ReauthContext = Pick<ServiceInternals, 'limits' | 'users' | 'sessions' | 'hashQueue' | 'dummyHash' | 'passwordParams' | 'log' | 'now'>;

/** How long a sign-in (or a re-typed password) counts as recent for sensitive changes. */
export const REAUTH_WINDOW_MS = 10 * 60 * 1000;

const WRONG_PASSWORD_MESSAGE = 'The password you entered is incorrect';

/** The per-user bucket in the account limiter: re-typed passwords share the login budget's size. */
function limiterKey(userId: string): string {
  return `user:${userId}`;
}

/**
 * Checks the shopper's current password, limited per user and per IP like login attempts. A user
 * without a password is checked against the dummy hash, so the answer costs the same and fails.
 * Returns the stored hash that was checked (or its upgrade), for a change that must still find it.
 */
export async function checkCurrentPassword(svc: Omit<ReauthContext, 'sessions' | 'now'>, caller: Caller, user: UserRow, password: string): Promise<string> {
  const key = limiterKey(user.id);
  const ip = caller.ip;
  // Counted before the hash and forgiven on success, so parallel guesses stop at the limit.
  const bucket = ipBucket(ip);
  const attempt: Parameters<typeof reserveAttempt>[0] = [
    [svc.limits.account, key],
    [svc.limits.ip, bucket],
  ];
  const limited = await reserveAttempt(attempt);
  if (limited) {
    const retryAfter = limited.status.retryAfterSeconds;
    svc.log(`auth reauth refused reason=rate_limited user=${user.id} ip=${ip} request_id=${caller.requestId}`);
    throw new ApiError(429, 'TOO_MANY_ATTEMPTS', 'Too many attempts. Please try again later.', {
      headers: { 'Retry-After': String(retryAfter) },
      meta: { retry_after: retryAfter },
    });
  }
  const stored = await svc.users.passwordHash(user.id);
  let matches: boolean;
  try {
    matches = await queuedHash(svc.hashQueue, bucket, caller.signal, () => verifyPassword(password, stored ?? svc.dummyHash, svc.passwordParams));
  } catch (err) {
    // Nothing was checked (a full queue's 503, or the client left while waiting): not a guess.
    await releaseAttempt(attempt);
    throw err;
  }
  if (!stored || !matches) {
    svc.log(`auth reauth failure reason=invalid_credentials user=${user.id} ip=${ip} request_id=${caller.requestId}`);
    throw new ApiError(400, 'INVALID_CREDENTIALS', WRONG_PASSWORD_MESSAGE);
  }
  await svc.limits.ip.release(bucket);
  await svc.limits.account.reset(key);
  return upgradeStoredHash(svc, caller, user.id, password, stored);
}

/**
 * After `password` was found to match `stored`: a hash made with older parameters is upgraded while
 * the plain password is at hand, but only over `stored` itself (a password set meanwhile by a reset
 * or change is never written back to the old one). Returns the hash the account now holds for this
 * password: the upgrade, `stored`, or, when another sign-in upgraded it first, the stored one after
 * checking this password against it. A hash that no longer matches (a reset won) comes back as
 * `stored`, which a caller that binds its work to the hash (a session, a change) then finds gone.
 */
export async function upgradeStoredHash(
  svc: Pick<ReauthContext, 'users' | 'hashQueue' | 'passwordParams'>,
  caller: Pick<Caller, 'ip' | 'signal'>,
  userId: string,
  password: string,
  stored: string,
): Promise<string> {
  if (!needsRehash(stored, svc.passwordParams)) return stored;
  const bucket = ipBucket(caller.ip);
  const upgraded = await optionalHash(svc.hashQueue, bucket, () => hashPassword(password, svc.passwordParams));
  if (!upgraded) return stored;
  if (await svc.users.upgradePasswordHash(userId, stored, upgraded)) return upgraded;
  const current = await svc.users.passwordHash(userId);
  if (!current) return stored;
  let same: boolean;
  try {
    same = await queuedHash(svc.hashQueue, bucket, caller.signal, () => verifyPassword(password, current, svc.passwordParams));
  } catch (err) {
    // A full queue must not turn a right password into a 503: `stored` is no longer the account's
    // hash, so the caller's session check answers as for a password changed meanwhile (400).
    if (err instanceof ApiError && err.code === 'SERVICE_BUSY') return stored;
    throw err;
  }
  return same ? current : stored;
}

export async function reauthRequired(svc: Pick<ReauthContext, 'users'>, user: UserRow): Promise<ApiError> {
  return new ApiError(401, 'REAUTH_REQUIRED', 'For your security, confirm it is you: enter your password or sign in again.', {
    meta: { reauth: true, has_password: (await svc.users.passwordHash(user.id)) !== undefined, max_age_seconds: REAUTH_WINDOW_MS / 1000 },
  });
}

/** An optional `password` field: undefined when absent or empty, a 400 when it is not a string. */
export function optionalPassword(body: Record<string, unknown>, field: string): string | undefined {
  const raw = body[field];
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (typeof raw !== 'string') throw validationError([{ path: field, message: 'expected a string' }]);
  return raw;
}

/**
 * Passes when the session authenticated recently or the body's `password` is right (which then
 * counts as a fresh authentication). A password that is given is always checked, recent or not.
 */
export async function requireRecentAuth(svc: ReauthContext, caller: Caller, signedIn: { session: Pick<SessionRow, 'id_hash'>; user: UserRow }, body: Record<string, unknown>): Promise<void> {
  const password = optionalPassword(body, 'password');
  if (password !== undefined) {
    await checkCurrentPassword(svc, caller, signedIn.user, password);
    await svc.sessions.markAuthenticated(signedIn.session.id_hash);
    return;
  }
  if (svc.now() - (await svc.sessions.authenticatedAt(signedIn.session.id_hash)) <= REAUTH_WINDOW_MS) return;
  throw await reauthRequired(svc, signedIn.user);
}

