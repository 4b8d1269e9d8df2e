// Social sign-in (Google, Facebook, Apple): the verifier interface that turns a provider token into
// a proven identity, the development provider's own tokens (HS256, signed by this service), and
// account linking (provider identity -> user, by verified email, or a new account).
// Real providers are plugged in through ServiceOptions.socialVerifiers; see README.md.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { withSql, type ServiceInternals } from '../context';
import { emailRow, identityOwner, insertIdentity, touchIdentity } from '../store/social-identities';
import { keepOnlyProven } from '../store/contacts';
import type { Sql } from '../store/sql';
import { addTimelineEvent, type DeletionContext } from './deletion';
import type { JsonObject } from './config';
import type { UserRow } from '../store/users';
import { isObject, isEmail, normalizeEmail } from '../shared/validation';
import { sha256 } from '../shared/ids';

export const SOCIAL_PROVIDERS = ['google', 'facebook', 'apple'] as const;
export type SocialProvider = (typeof SOCIAL_PROVIDERS)[number];

export const PROVIDER_NAMES: Record<SocialProvider, string> = { google: 'Google', facebook: 'Facebook', apple: 'Apple' };

/** What a verifier proved about the person behind a token. Only these claims are trusted. */
export interface SocialIdentity {
  /** The provider's stable user id (Google/Apple `sub`, Facebook user id). */
  subject: string;
  email?: string;
  /** Only a provider-verified email may link to an existing account. */
  emailVerified?: boolean;
  firstName?: string;
  lastName?: string;
  picture?: string;
}

/**
 * Checks a provider token and returns the identity it proves, or rejects. `appId` is
 * `social_tokens.<provider>.app_id` from the platform config (the audience to insist on), when set.
 */
export type SocialVerifier = (token: string, ctx: { appId?: string }) => Promise<SocialIdentity>;

export interface SocialSettings {
  verifiers: Partial<Record<SocialProvider, SocialVerifier>>;
  /** Signs and checks dev-provider tokens; only used in dev mode. */
  devSecret: Buffer;
}

/** A verifier's way to say "this token is not acceptable"; its message is safe to log. */
export class SocialTokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SocialTokenError';
  }
}

export function isSocialProvider(value: string): value is SocialProvider {
  return (SOCIAL_PROVIDERS as readonly string[]).includes(value);
}

/**
 * The verifiers in effect. In dev mode every provider falls back to the dev provider, so the
 * buttons work offline; in production a provider without a verifier cannot sign anyone in.
 */
export function socialSettings(
  opts: { socialVerifiers?: Partial<Record<SocialProvider, SocialVerifier>>; socialDevSecret?: string },
  dev: boolean,
  now: () => number,
): SocialSettings {
  const devSecret = opts.socialDevSecret ? Buffer.from(opts.socialDevSecret, 'utf8') : randomBytes(32);
  const verifiers: Partial<Record<SocialProvider, SocialVerifier>> = {};
  for (const provider of SOCIAL_PROVIDERS) {
    const given = opts.socialVerifiers?.[provider];
    if (given) verifiers[provider] = given;
    else if (dev) verifiers[provider] = devVerifier(provider, devSecret, now);
  }
  return { verifiers, devSecret };
}

// ---- Development provider tokens: compact JWS, HS256 ------------------------------------------

export const DEV_ISSUER = 'latch-dev-social';
export const DEV_TOKEN_LIFETIME_S = 10 * 60;

function b64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

function hmac(secret: Buffer, input: string): Buffer {
  return createHmac('sha256', secret).update(input).digest();
}

/** A subject that stays the same for an email across restarts, so re-sign-ins find the identity. */
export function devSubject(email: string): string {
  return `dev-${sha256(email.trim().toLowerCase()).slice(0, 24)}`;
}

export function signDevToken(
  secret: Buffer,
  claims: { provider: SocialProvider; aud: string; email: string; givenName: string; familyName: string },
  nowMs: number,
): string {
  const iat = Math.floor(nowMs / 1000);
  const payload = {
    iss: DEV_ISSUER,
    aud: claims.aud,
    sub: devSubject(claims.email),
    email: claims.email,
    email_verified: true,
    given_name: claims.givenName,
    family_name: claims.familyName,
    name: [claims.givenName, claims.familyName].filter(Boolean).join(' '),
    provider: claims.provider,
    iat,
    exp: iat + DEV_TOKEN_LIFETIME_S,
  };
  const signingInput = `${b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${b64url(JSON.stringify(payload))}`;
  return `${signingInput}.${b64url(hmac(secret, signingInput))}`;
}

function decodeJson(part: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    throw new SocialTokenError('malformed token');
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new SocialTokenError('malformed token');
  return value as Record<string, unknown>;
}

/** Verifies a dev-provider token: signature first (constant time), then issuer, provider, audience, time. */
export function verifyDevToken(secret: Buffer, token: string, provider: SocialProvider, appId: string | undefined, nowMs: number): SocialIdentity {
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]+$/.test(p))) throw new SocialTokenError('malformed token');
  const [h, p, s] = parts as [string, string, string];
  // Only HS256 is ever accepted, whatever the header claims ("none" and key-confusion tricks fail here).
  const header = decodeJson(h);
  if (header['alg'] !== 'HS256') throw new SocialTokenError('unexpected algorithm');
  const expected = hmac(secret, `${h}.${p}`);
  const given = Buffer.from(s, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new SocialTokenError('bad signature');

  const claims = decodeJson(p);
  const nowS = nowMs / 1000;
  if (claims['iss'] !== DEV_ISSUER) throw new SocialTokenError('wrong issuer');
  if (claims['provider'] !== provider) throw new SocialTokenError('token is for another provider');
  if (typeof claims['aud'] !== 'string') throw new SocialTokenError('missing audience');
  if (appId && claims['aud'] !== appId) throw new SocialTokenError('wrong audience');
  if (typeof claims['exp'] !== 'number' || claims['exp'] <= nowS) throw new SocialTokenError('expired');
  if (typeof claims['iat'] !== 'number' || claims['iat'] > nowS + 60) throw new SocialTokenError('issued in the future');
  if (typeof claims['sub'] !== 'string' || claims['sub'] === '') throw new SocialTokenError('missing subject');
  const str = (key: string): string | undefined => (typeof claims[key] === 'string' && claims[key] !== '' ? (claims[key] as string) : undefined);
  const identity: SocialIdentity = { subject: claims['sub'], emailVerified: claims['email_verified'] === true };
  const email = str('email');
  const firstName = str('given_name');
  const lastName = str('family_name');
  if (email) identity.email = email;
  if (firstName) identity.firstName = firstName;
  if (lastName) identity.lastName = lastName;
  return identity;
}

function devVerifier(provider: SocialProvider, secret: Buffer, now: () => number): SocialVerifier {
  return async (token, ctx) => verifyDevToken(secret, token, provider, ctx.appId, now());
}

// ---- Config ------------------------------------------------------------------------------------


export function providerEnabled(config: JsonObject, provider: SocialProvider): boolean {
  const social = config['social'];
  return isObject(social) && social[provider] === true;
}

/** social_tokens.<provider>.app_id, the audience tokens must be issued for, when the admin set one. */
export function providerAppId(config: JsonObject, provider: SocialProvider): string | undefined {
  const tokens = config['social_tokens'];
  const entry = isObject(tokens) ? tokens[provider] : undefined;
  const appId = isObject(entry) ? entry['app_id'] : undefined;
  return typeof appId === 'string' && appId.trim() !== '' ? appId.trim() : undefined;
}

// ---- Account linking ---------------------------------------------------------------------------

function clean(value: string | undefined, max: number): string | undefined {
  const v = value?.trim();
  return v ? v.slice(0, max) : undefined;
}

/** Names the provider did not put in the token (Apple sends them only in the first response body). */
export interface ProfileHints {
  firstName?: string;
  lastName?: string;
}

export interface LinkedAccount {
  user: UserRow;
  /** Whether the account existed before this sign-in. */
  existed: boolean;
}

/**
 * What social sign-in reads from the service: the account and session stores, the clock, the log, and
 * the timeline's part of services/deletion.ts. Each function below takes only the part it touches.
 */
export type SocialContext = Pick<DeletionContext, 'sql' | 'applicationId' | 'now'> & Pick<ServiceInternals, 'users' | 'sessions' | 'log'>;

/**
 * Finds or creates the account for a verified identity:
 * 1. a known (provider, subject) -> its user;
 * 2. else a provider-verified email that an account uses -> that account, linked from now on;
 * 3. else a new account (names from the token, email verified only when the provider said so).
 * The account's state (blocked, deleted) is the caller's to check; nothing is linked to an account
 * that may not sign in, so linking never happens on a refused attempt.
 */
export async function findOrCreateSocialAccount(
  outer: SocialContext,
  provider: SocialProvider,
  identity: SocialIdentity,
  hints: ProfileHints,
  canSignIn: (user: UserRow) => boolean,
): Promise<LinkedAccount> {
  return outer.sql.tx(async (q): Promise<LinkedAccount> => {
    // Two first sign-ins with one identity must not make two accounts (on two instances too).
    await q.lock(`social:${outer.applicationId}:${provider}:${identity.subject}`);
    const svc = withSql(outer, q);
    const t = svc.now();
    const knownUserId = await identityOwner(q, svc.applicationId, provider, identity.subject);
    if (knownUserId) {
      const user = (await svc.users.findById(knownUserId))!;
      if (canSignIn(user)) await touchIdentity(q, svc.applicationId, provider, identity.subject, t);
      return { user, existed: true };
    }

    const email = identity.email && isEmail(normalizeEmail(identity.email)) ? normalizeEmail(identity.email) : undefined;
    if (email && identity.emailVerified) {
      const existing = await svc.users.findForLogin({ kind: 'email', key: `email:${email.toLowerCase()}`, email: email.toLowerCase() });
      if (existing) {
        if (!canSignIn(existing)) return { user: existing, existed: true };
        // Cut off the unproven party first (their own social links too), then link this identity.
        await secureUnverifiedEmailLink(svc, q, existing, email, provider);
        await linkIdentity(svc, existing.id, provider, identity.subject, t);
        return { user: (await svc.users.findById(existing.id))!, existed: true };
      }
    }

    // An email someone else's account holds, but that the provider did not verify, proves nothing:
    // the new account is made without it rather than taking the address or failing.
    const usableEmail = email && !(await svc.users.emailTaken(email)) ? email : undefined;
    let username = usableEmail?.toLowerCase() ?? `${provider}_${identity.subject}`.slice(0, 120);
    if (await svc.users.usernameTaken(username)) username = `${provider}_${randomBytes(6).toString('hex')}`;
    const user = await svc.users.create({
      first_name: clean(identity.firstName, 100) ?? clean(hints.firstName, 100) ?? '',
      last_name: clean(identity.lastName, 100) ?? clean(hints.lastName, 100) ?? '',
      username,
      ...(usableEmail ? { email: usableEmail } : {}),
      verified: !!usableEmail && identity.emailVerified === true,
    }, q);
    const picture = identity.picture && /^https:\/\/\S+$/.test(identity.picture) ? identity.picture.slice(0, 2048) : undefined;
    if (picture) await svc.users.setProfilePicUrl(user.id, picture);
    await linkIdentity(svc, user.id, provider, identity.subject, t);
    return { user: (await svc.users.findById(user.id))!, existed: false };
  });
}

async function linkIdentity(svc: Pick<SocialContext, 'sql' | 'applicationId' | 'now'>, userId: string, provider: SocialProvider, subject: string, t: number): Promise<void> {
  await insertIdentity(svc.sql, svc.applicationId, provider, subject, userId, t);
  await addTimelineEvent(svc, userId, { type: 'social_linked', title: `${PROVIDER_NAMES[provider]} sign-in linked` });
}

/**
 * Linking by email to an account whose copy of that email was never verified: whoever made the
 * account did not prove the address, and may have done so to wait for the real owner (account
 * pre-hijacking). The provider has now proven ownership, so the same rule as a code proving it
 * applies (store/contacts.ts keepOnlyProven): the email becomes verified, and the password, every
 * session, the other unproven contacts and every other social link (the squatter's own provider
 * account among them) are cut off. The owner can set a password again through "forgot password".
 * Runs in the caller's transaction `q`, under the account's lock and then its contact lock.
 */
async function secureUnverifiedEmailLink(svc: Pick<SocialContext, 'sql' | 'applicationId' | 'sessions' | 'log' | 'now'>, q: Sql, user: UserRow, email: string, provider: SocialProvider): Promise<void> {
  // account: before contacts:, as setPasswordOnce takes them: this drops the password and spends
  // reset links, so without it a racing reset could hold a token row while waiting for contacts:.
  await q.lock(`account:${user.id}`);
  await q.lock(`contacts:${user.id}`);
  const row = await emailRow(q, svc.applicationId, email.toLowerCase());
  if (!row || Number(row.verified) === 1) return;
  const { hadPassword, droppedEmails, droppedPhones, droppedLinks } = await keepOnlyProven(q, user.id, { channel: 'email', destination: email.toLowerCase() }, svc.now());
  const ended = await svc.sessions.endAllForUser(user.id, q);
  svc.log(
    `social link verified email user=${user.id} provider=${provider} password_removed=${hadPassword} sessions_ended=${ended} ` +
      `unproven_dropped=${droppedEmails + droppedPhones} social_unlinked=${droppedLinks}`,
  );
}
