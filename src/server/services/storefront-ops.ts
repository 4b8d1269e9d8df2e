// The rules behind the storefront operations of the published application client that came last
// (issue 13, item 3): user-exists, login/token, email and phone verification links (added by
// PUT profile/v1.0/email|mobile or sent again by .../link/send, proven by verify/email|mobile)
// and the password reset link by SMS. No HTTP here: routes/storefront-ops.ts reads requests and
// hands in the client's rate-limit bucket and a function that builds links from the service's
// own origin (PUBLIC_URL), never from the Host header.
import type { ServiceInternals } from '../context';
import { ApiError } from '../shared/errors';
import { loginKey } from '../shared/phone';
import { addVerifiedContact, contactOwner, storedEmail, type Destination } from '../store/contacts';
import type { UserRow } from '../store/users';
import { accountFor, enforceLimits, storeName, type CodesContext } from './codes';
import { notifyChange, provenAddresses, secureProvenContact, type NoticesContext } from './notices';
import { RESET_LINK_TTL_MS } from './password-reset';
import { SlidingWindowLimiter } from './rate-limit';
import { StorefrontTokenStore } from '../store/storefront-tokens';

/** A sign-in token works once and only this long: it is meant to be redeemed right after it is issued. */
export const LOGIN_TOKEN_TTL_MS = 5 * 60 * 1000;
/** A verification link works once and only this long, like a reset link. */
export const VERIFY_LINK_TTL_MS = 30 * 60 * 1000;

export interface StorefrontOpsOptions {
  /** USER_EXISTS=1: GET user-exists answers; off (the default) it is refused, since it reveals accounts. */
  userExists: boolean;
  /** user-exists questions per client address per window (default 10). */
  userExistsPerIp: number;
  windowMs: number;
}

/** Builds the link a message carries for a token: the route passes pageLink (services/page-links.ts) with the parameter of the link's kind, or resetLink for a reset. */
export type LinkFor = (token: string) => string;

/**
 * What the storefront operations read from the service: the code rules' part (limits, outbox, store
 * name, accounts; services/codes.ts), the notices' part (services/notices.ts), the shared limit
 * counters and the reset tokens.
 */
export type StorefrontOpsContext = Pick<CodesContext, 'sql' | 'applicationId' | 'now' | 'users' | 'otpLimits' | 'outbox' | 'config' | 'log'> &
  NoticesContext &
  Pick<ServiceInternals, 'limitStore' | 'tokens'>;

function loginTokenInvalid(): ApiError {
  return new ApiError(400, 'LOGIN_TOKEN_INVALID', 'This sign-in link has expired or was already used. Sign in another way.');
}

function verifyLinkInvalid(): ApiError {
  return new ApiError(400, 'VERIFY_LINK_INVALID', 'This verification link has expired or was already used. Ask for a new one.');
}

function live(user: UserRow | undefined): user is UserRow {
  return !!user && user.active === 1 && user.deleted_at === null;
}

export class StorefrontOps {
  readonly tokens: StorefrontTokenStore;
  readonly #svc: StorefrontOpsContext;
  readonly #opts: StorefrontOpsOptions;
  readonly #userExistsLimit: SlidingWindowLimiter;

  constructor(svc: StorefrontOpsContext, opts: StorefrontOpsOptions) {
    this.#svc = svc;
    this.#opts = opts;
    this.tokens = new StorefrontTokenStore(svc.sql, svc.applicationId, svc.now);
    this.#userExistsLimit = new SlidingWindowLimiter(svc.limitStore, `${svc.applicationId}:user-exists-ip`, opts.userExistsPerIp, opts.windowMs);
  }

  // ---- user-exists ------------------------------------------------------------------------------

  /**
   * Whether a live account signs in with `q` (an email or a phone with its country code) through a
   * proven contact. Refused unless the store turned it on; counted per client before the lookup.
   */
  async userExists(q: string, clientBucket: string): Promise<boolean> {
    if (!this.#opts.userExists) {
      throw new ApiError(403, 'USER_EXISTS_DISABLED', 'This store does not say whether an account exists. Sign in or sign up instead.');
    }
    await enforceLimits([[this.#userExistsLimit, clientBucket]]);
    const key = loginKey(q);
    if (key.kind === 'other') return false;
    const user = await this.#svc.users.findForLogin(key, { verifiedOnly: true });
    return !!user && user.deleted_at === null;
  }

  // ---- login/token ------------------------------------------------------------------------------

  /** Admin side (extension): a one-time sign-in token for a live shopper. */
  async issueLoginToken(userId: string): Promise<{ token: string; expires_in: number }> {
    const user = await this.#svc.users.findById(userId);
    if (!live(user)) throw new ApiError(404, 'USER_NOT_FOUND', 'No active shopper has this user_id');
    const token = await this.tokens.issue('login', user.id, LOGIN_TOKEN_TTL_MS);
    this.#svc.log(`admin login token issued user=${user.id}`);
    return { token, expires_in: LOGIN_TOKEN_TTL_MS / 1000 };
  }

  /**
   * Spends a sign-in token and gives the shopper to sign in. Unknown, spent, expired tokens and
   * tokens of an account blocked or deleted since share one answer. The caller limits tries per IP.
   */
  async redeemLoginToken(token: string): Promise<UserRow> {
    const row = await this.tokens.consume(token, 'login');
    const user = row ? await this.#svc.users.findById(row.user_id) : undefined;
    if (!live(user)) throw loginTokenInvalid();
    return user;
  }

  // ---- verification links -----------------------------------------------------------------------

  /**
   * Sends a link that proves `d` for the signed-in `userId` (PUT profile/v1.0/email|mobile and
   * .../link/send; the route has already asked for a recent sign-in). Nothing is attached now: the
   * contact joins the account only when the link is followed. Limits per destination and per client
   * are counted before any work. A contact another account holds gets the same answer and a token
   * that is never delivered, so the answer tells nobody whose it is. Returns whether a link is
   * pending (false only when the shopper's own account has the contact verified already).
   */
  async sendContactLink(userId: string, d: Destination, clientBucket: string, linkFor: LinkFor): Promise<boolean> {
    const svc = this.#svc;
    await enforceLimits([
      [svc.otpLimits.sendPerDestination, `${d.channel}:${d.destination}`],
      [svc.otpLimits.sendPerIp, clientBucket],
    ]);
    const owner = await contactOwner(svc, d);
    if (owner?.user_id === userId && owner.verified) return false;
    const deliver = !owner || owner.user_id === userId;
    const purpose = d.channel === 'email' ? 'verify-email' : 'verify-mobile';
    // A newer link for the same contact replaces the older ones.
    await this.tokens.revoke(userId, purpose, d.destination);
    const token = await this.tokens.issue(purpose, userId, VERIFY_LINK_TTL_MS, { destination: d.destination, address: d.address });
    const link = linkFor(token);
    const store = await storeName(svc);
    if (deliver) {
      if (d.channel === 'email') {
        await svc.outbox.send({
          channel: 'email',
          // As the account stored it when it is already on the account (a look-alike never gets it).
          to: (owner ? await storedEmail(svc, d.destination) : undefined) ?? d.address,
          subject: `Confirm your email address for ${store}`,
          text:
            `To add this email address to your ${store} account, open this link:\n\n${link}\n\n` +
            'The link works once and expires in 30 minutes. If you did not ask for it, ignore this email: nothing changes.',
        });
      } else {
        await svc.outbox.send({ channel: 'sms', to: d.address, text: `${store}: to add this number to your account, open ${link} (works once, 30 minutes).` });
      }
    }
    svc.log(`profile verify link sent channel=${d.channel} user=${userId} delivered=${deliver}`);
    return true;
  }

  /**
   * Follows a verification link: the contact it names becomes a verified contact of the account
   * that asked. A contact that sat on that account unproven falls under the takeover rule
   * (secureProvenContact: sessions, password and other unproven contacts go), as for a reset link.
   * The account's proven addresses hear about a new contact. Works without a session (the link may
   * be opened on another device); the caller limits tries per IP.
   */
  async verifyContactLink(token: string, channel: 'email' | 'sms'): Promise<void> {
    const svc = this.#svc;
    const row = await this.tokens.consume(token, channel === 'email' ? 'verify-email' : 'verify-mobile');
    const user = row ? await svc.users.findById(row.user_id) : undefined;
    if (!row || !row.destination || !row.address || !live(user)) throw verifyLinkInvalid();
    const d: Destination = { channel, destination: row.destination, address: row.address };
    const owner = await contactOwner(svc, d);
    if (owner && owner.user_id !== user.id) {
      throw new ApiError(400, 'CONTACT_UNAVAILABLE', 'This email address or phone number cannot be added. Try another one.');
    }
    if (owner) {
      // On the account but unproven: whoever put it there never proved it (account pre-hijacking).
      if (!owner.verified) await secureProvenContact(svc, user.id, d);
    } else {
      const tell = await provenAddresses(svc, user.id);
      if (!(await addVerifiedContact(svc, user.id, d))) {
        throw new ApiError(400, 'CONTACT_UNAVAILABLE', 'This email address or phone number cannot be added. Try another one.');
      }
      await notifyChange(svc, user.id, channel === 'email' ? 'email-added' : 'phone-added', tell);
    }
    svc.log(`profile contact verified by link channel=${channel} user=${user.id}`);
  }

  // ---- password reset by SMS link ---------------------------------------------------------------

  /**
   * sendResetPasswordMobile: a reset link by SMS, redeemed by the same reset/token and reset/forgot
   * operations as the email link. The answer and the work (a stored token, the text composed) are
   * the same whether or not an account has the number; only a known one gets the SMS.
   */
  async sendMobileReset(d: Destination, clientBucket: string, linkFor: LinkFor): Promise<void> {
    const svc = this.#svc;
    if ((await svc.config.get())['forgot_password'] !== true) {
      throw new ApiError(400, 'FORGOT_PASSWORD_DISABLED', 'Password reset is turned off for this store. Contact the store for help.');
    }
    await enforceLimits([
      [svc.otpLimits.sendPerDestination, `${d.channel}:${d.destination}`],
      [svc.otpLimits.sendPerIp, clientBucket],
    ]);
    const user = await accountFor(svc, d);
    const token = await svc.tokens.issue('reset', { ...(user ? { userId: user.id } : {}), channel: 'sms', destination: d.destination, address: d.address }, RESET_LINK_TTL_MS);
    const text = `${(await storeName(svc))}: to reset your password, open ${linkFor(token)} (works once, 30 minutes). Not you? Ignore this.`;
    if (user) await svc.outbox.send({ channel: 'sms', to: d.address, text });
    svc.log(`auth password reset link requested channel=sms`);
  }
}
