// Setting a new password after "forgot password": the rules a new password must meet, the reset
// link that goes out by email, and the reset itself, which ends every session of the account and
// signs nobody in (OWASP Forgot Password Cheat Sheet: no automatic login after a reset, so a reset
// link that leaked into the wrong mailbox does not also hand out a session).
import { isCommonPassword } from './common-passwords';
import type { ServiceInternals } from '../context';
import { callerHashKey, type Caller } from '../shared/caller';
import { ApiError } from '../shared/errors';
import type { Channel } from '../store/outbox';
import { notifyChange, provenAddresses, secureProvenContact, type NoticesContext } from './notices';
import { LINK_PARAM, pageLink } from './page-links';
import { hashPassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './passwords';
import { queuedHash } from './hash-queue';

/**
 * What password reset reads from the service: the notices' part (services/notices.ts), the account
 * and token stores, password hashing and screening, the allowed origins for links.
 */
export type PasswordResetContext = NoticesContext & Pick<ServiceInternals, 'users' | 'tokens' | 'passwordScreen' | 'hashQueue' | 'passwordParams' | 'allowedOrigins'>;

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

/**
 * Stores the new password, ends every session of the account (including the caller's; the route
 * clears its cookie) and spends every other reset link and forgot token of the account. The
 * email a reset link went to becomes verified: the shopper just proved they receive its mail.
 */
export async function completeReset(
  svc: Omit<PasswordResetContext, 'allowedOrigins'>,
  caller: Caller,
  userId: string,
  password: string,
  spend: () => Promise<boolean>,
  /** The contact a reset link went to (email or, for the SMS link, phone); forgot-code contacts were marked at verify. */
  linkContact: { channel: Channel; destination: string } | null,
): Promise<boolean> {
  await checkPasswordScreen(svc, password);
  const hash = await queuedHash(svc.hashQueue, callerHashKey(caller), caller.signal, () => hashPassword(password, svc.passwordParams));
  // Spent only after the slow hash, so two concurrent submissions cannot both succeed.
  if (!(await spend())) return false;
  // The link proved the mailbox (or phone): an unproven copy of it cuts off whoever made the account.
  if (linkContact) await secureProvenContact(svc, userId, linkContact);
  // Collected before the change, with the password set and every session (but none new) ended.
  const tell = await provenAddresses(svc, userId);
  await svc.users.setPasswordHash(userId, hash);
  const ended = await svc.sessions.endAllForUser(userId);
  await svc.tokens.revokeForUser(userId, ['reset', 'forgot']);
  await notifyChange(svc, userId, 'password-reset', tell);
  svc.log(`auth password reset user=${userId} sessions_ended=${ended} request_id=${caller.requestId}`);
  return true;
}
