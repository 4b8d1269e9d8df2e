// Setting a new password after "forgot password": the rules a new password must meet, the reset
// link that goes out by email, and the reset itself, which ends every session of the account and
// signs nobody in (OWASP Forgot Password Cheat Sheet: no automatic login after a reset, so a reset
// link that leaked into the wrong mailbox does not also hand out a session).
import { isCommonPassword } from './common-passwords';
import { withSql, type ServiceInternals } from '../context';
import { callerHashKey, type Caller } from '../shared/caller';
import { ApiError } from '../shared/errors';
import type { Channel } from '../store/outbox';
import type { Sql } from '../store/sql';
import type { TokenStore } from '../store/codes';
import { allContactKeys } from '../store/contacts';
import { notifyChange, provenAddresses, secureProvenContactIn, type Address, type NoticesContext } from './notices';
import { LINK_PARAM, pageLink } from './page-links';
import { hashPassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './passwords';
import { queuedHash } from './hash-queue';

/**
 * What password reset reads from the service: the notices' part (services/notices.ts), the account
 * and token stores, password hashing and screening, the allowed origins for links.
 */
export type PasswordResetContext = NoticesContext & Pick<ServiceInternals, 'users' | 'tokens' | 'otp' | 'passwordScreen' | 'hashQueue' | 'passwordParams' | 'allowedOrigins'>;

export const RESET_LINK_TTL_MS = 30 * 60 * 1000;
export const FORGOT_TOKEN_TTL_MS = 10 * 60 * 1000;

/**
 * Length and the common-password list only: no composition rules (ASVS 6.2.5). The password is
 * taken as typed, never trimmed or case-folded. Lengths count UTF-16 units, as the admin API does.
 */
export function checkNewPassword(password: unknown): string {
  if (typeof password !== 'string' || password === '') {
    throw new ApiError(400, 'VALIDATION_ERROR', 'password: is required', { meta: { fields: { password: 'is required' } } });
  }
  if (password.length < PASSWORD_MIN_LENGTH) {
    throw new ApiError(400, 'PASSWORD_TOO_SHORT', `Use at least ${PASSWORD_MIN_LENGTH} characters for your password.`, {
      meta: { min_length: PASSWORD_MIN_LENGTH },
    });
  }
  if (password.length > PASSWORD_MAX_LENGTH) {
    throw new ApiError(400, 'PASSWORD_TOO_LONG', `Use at most ${PASSWORD_MAX_LENGTH} characters for your password.`, {
      meta: { max_length: PASSWORD_MAX_LENGTH },
    });
  }
  if (isCommonPassword(password)) {
    throw new ApiError(400, 'PASSWORD_COMMON', 'This password is one of the most common ones and easy to guess. Choose another.');
  }
  return password;
}

/**
 * The host's breached-password check, when one is configured, after the local rules passed. A check
 * that fails (service down) lets the password through and logs why: it must not lock shoppers out.
 */
export async function checkPasswordScreen(svc: Pick<PasswordResetContext, 'passwordScreen' | 'log'>, password: string): Promise<void> {
  if (!svc.passwordScreen) return;
  let breached: boolean;
  try {
    breached = await svc.passwordScreen(password);
  } catch (err) {
    svc.log(`password screen unavailable: ${(err as Error).message.slice(0, 200).replace(/\s+/g, ' ')}`);
    return;
  }
  if (breached) {
    throw new ApiError(400, 'PASSWORD_BREACHED', 'This password has appeared in a data breach, so others may try it. Choose another.');
  }
}

/** A reset link: the page the shopper asked from (when trusted) with `?code=` (services/page-links.ts). */
export function resetLink(svc: Pick<PasswordResetContext, 'allowedOrigins'>, caller: Pick<Caller, 'ownOrigin' | 'referer'>, code: string): string {
  return pageLink(svc, caller, LINK_PARAM.reset, code);
}

export function resetEmail(store: string, link: string): { subject: string; text: string } {
  return {
    subject: `Reset your ${store} password`,
    text:
      `Someone asked to reset the password of your ${store} account. To choose a new password, open this link:\n\n` +
      `${link}\n\nThe link works once and expires in 30 minutes. If you did not ask for it, ignore this email: ` +
      'your password stays as it is.',
  };
}

/** What a password set leaves to do once its transaction committed: whom to tell, how many sessions ended. */
interface PasswordSet {
  tell: Address[];
  sessionsEnded: number;
}

/**
 * The one way an account's password is set by its shopper (reset link, forgot token, account page).
 * One transaction holds the account's lock (`account:<id>`, also taken by deletion and the purge),
 * so concurrent sets of one account take turns; `claim` runs first under the lock and says whether
 * this caller may still set it (its token unspent, its session alive, the password it checked still
 * current). Each set ends every other outstanding way of setting the password: reset links, forgot
 * tokens and open forgot-password codes of the account's contacts. So of two racing sets exactly one
 * passes its claim. Sessions: all end (a reset), or all are kept and the caller's counts as freshly
 * authenticated (a change; the widget offers ending the others next, ASVS 7.4.3). Hashing stays
 * outside: `hash` is done before. Returns undefined when the claim failed; nothing changed then.
 */
async function setPasswordOnce(
  svc: Omit<PasswordResetContext, 'allowedOrigins' | 'passwordScreen' | 'hashQueue' | 'passwordParams' | 'outbox' | 'config'>,
  userId: string,
  hash: string,
  claim: (q: Sql, tokens: TokenStore) => Promise<boolean>,
  opts: { provenContact?: { channel: Channel; destination: string } | null; sessions: 'end-all' | { fresh: string } },
): Promise<PasswordSet | undefined> {
  return svc.sql.tx(async (q) => {
    await q.lock(`account:${userId}`);
    const tokens = svc.tokens.bind(q);
    if (!(await claim(q, tokens))) return undefined;
    const inTx = withSql(svc, q);
    // The link proved the mailbox (or phone): an unproven copy of it cuts off whoever made the account.
    if (opts.provenContact) await secureProvenContactIn(inTx, q, userId, opts.provenContact);
    // Collected before the change, so the proven addresses as they were are told.
    const tell = await provenAddresses(inTx, userId);
    await inTx.users.setPasswordHash(userId, hash);
    await tokens.revokeForUser(userId, ['reset', 'forgot']);
    await svc.otp.expireOpen('forgot', await allContactKeys(q, userId), q);
    let sessionsEnded = 0;
    if (opts.sessions === 'end-all') sessionsEnded = await inTx.sessions.endAllForUser(userId);
    else await inTx.sessions.markAuthenticated(opts.sessions.fresh);
    return { tell, sessionsEnded };
  });
}

/**
 * Stores the new password, ends every session of the account (including the caller's; the route
 * clears its cookie) and spends every other reset link, forgot token and forgot code of the
 * account (setPasswordOnce). The email a reset link went to becomes verified: the shopper just
 * proved they receive its mail. False when the token was dead by the time it was claimed.
 */
export async function completeReset(
  svc: Omit<PasswordResetContext, 'allowedOrigins'>,
  caller: Caller,
  userId: string,
  password: string,
  /** The reset link code or forgot token, spent under the account's lock. */
  token: { code: string; purpose: 'reset' | 'forgot' },
  /** The contact a reset link went to (email or, for the SMS link, phone); forgot-code contacts were marked at verify. */
  linkContact: { channel: Channel; destination: string } | null,
): Promise<boolean> {
  await checkPasswordScreen(svc, password);
  const hash = await queuedHash(svc.hashQueue, callerHashKey(caller), caller.signal, () => hashPassword(password, svc.passwordParams));
  const done = await setPasswordOnce(
    svc,
    userId,
    hash,
    async (_q, tokens) => (await tokens.consume(token.code, token.purpose))?.user_id === userId,
    { provenContact: linkContact, sessions: 'end-all' },
  );
  if (!done) return false;
  await notifyChange(svc, userId, 'password-reset', done.tell);
  svc.log(`auth password reset user=${userId} sessions_ended=${done.sessionsEnded} request_id=${caller.requestId}`);
  return true;
}

/**
 * The account page's change: `checkedHash` is the stored hash the caller's current password was
 * checked against (undefined for an account that had none). Under the account's lock the session
 * must still be live and the stored hash still `checkedHash`, else a reset or another change won
 * the race: 401 UNAUTHENTICATED (the reset ended this session) or 400 INVALID_CREDENTIALS (the
 * password typed is no longer the current one). Other sessions are kept, as documented.
 */
export async function changePassword(
  svc: Omit<PasswordResetContext, 'allowedOrigins'>,
  caller: Caller,
  signedIn: { userId: string; sessionIdHash: string },
  checkedHash: string | undefined,
  password: string,
): Promise<void> {
  await checkPasswordScreen(svc, password);
  const hash = await queuedHash(svc.hashQueue, callerHashKey(caller), caller.signal, () => hashPassword(password, svc.passwordParams));
  let refusal: ApiError | undefined;
  const done = await setPasswordOnce(
    svc,
    signedIn.userId,
    hash,
    async (q) => {
      const inTx = withSql(svc, q);
      if (!(await inTx.sessions.isLive(signedIn.sessionIdHash))) {
        refusal = new ApiError(401, 'UNAUTHENTICATED', 'You are not signed in', { authenticated: false });
        return false;
      }
      if ((await inTx.users.passwordHash(signedIn.userId)) !== checkedHash) {
        refusal = new ApiError(400, 'INVALID_CREDENTIALS', 'The password you entered is incorrect');
        return false;
      }
      return true;
    },
    { sessions: { fresh: signedIn.sessionIdHash } },
  );
  if (!done) throw refusal!;
  await notifyChange(svc, signedIn.userId, 'password-changed', done.tell);
}
