// What every route of the reference service shares: the stores, limits, options and the logger,
// bundled once by createService so routes get one argument instead of a dozen.
import type { Context } from 'hono';
import { ipBucket } from './shared/caller';
import type { CaptchaService } from './services/captcha';
import type { PasswordScreen } from './services/common-passwords';
import type { Sql } from './store/sql';
import type { HashQueue } from './services/hash-queue';
import type { OtpLimits, OtpStore, TokenStore } from './services/codes';
import type { Outbox } from './store/outbox';
import type { ScryptParams } from './services/passwords';
import type { PlatformConfigStore } from './services/config';
import type { TrustedProxies } from './http/proxy';
import type { SlidingWindowLimiter } from './services/rate-limit';
import type { LimitStore } from './store/limits';
import type { SessionStore } from './store/sessions';
import type { SocialSettings } from './services/social';
import type { UserGroupService } from './services/user-groups';
import type { UserStore } from './store/users';

declare module 'hono' {
  interface ContextVariableMap {
    /** Random per request; echoed in the x-request-id header and in every error body. */
    requestId: string;
    /** Set once a valid session was seen, so error bodies can say so. */
    authenticated: boolean;
    /** The client's address, worked out once per request by the proxy-aware middleware (http/proxy.ts). */
    clientAddress: string;
    /** Whether the request reached the service over https (directly or through a trusted proxy). */
    viaHttps: boolean;
    /** The origin links and origin checks use: PUBLIC_URL, or the (loopback) request's own. */
    ownOrigin: string;
  }
}

export interface ServiceInternals {
  sql: Sql;
  companyId: string;
  applicationId: string;
  adminToken: string;
  dev: boolean;
  demoUser: { email: string; password: string } | undefined;
  passwordParams: ScryptParams;
  /** Every password hash and check goes through it, fairly per client address (services/hash-queue.ts). */
  hashQueue: HashQueue;
  /** Verified against when an account is missing, so that costs the same as a wrong password. */
  dummyHash: string;
  allowedOrigins: ReadonlySet<string>;
  /** PUBLIC_URL: where shoppers reach the service; links are built from it, never from Host. */
  publicOrigin: string | undefined;
  trustedProxies: TrustedProxies;
  /** The host's breached-password check (ServiceOptions.passwordScreen), if any. */
  passwordScreen: PasswordScreen | undefined;
  cookieSecure: 'auto' | boolean;
  now: () => number;
  log: (line: string) => void;
  config: PlatformConfigStore;
  users: UserStore;
  sessions: SessionStore;
  /** The shared limit counters every limiter below (and any other) keeps its hits in. */
  limitStore: LimitStore;
  limits: { account: SlidingWindowLimiter; ip: SlidingWindowLimiter };
  /** Where SMS and email go (dev outbox), one-time codes and tokens, their limits, robot checks. */
  outbox: Outbox;
  otp: OtpStore;
  tokens: TokenStore;
  otpLimits: OtpLimits;
  /** Registrations per IP and per email or phone; account-deletion attempts per user. */
  accountLimits: { registerPerIp: SlidingWindowLimiter; registerPerDestination: SlidingWindowLimiter; deletePerUser: SlidingWindowLimiter };
  captcha: CaptchaService;
  /** Social sign-in verifiers and the dev provider's signing secret. */
  social: SocialSettings;
  /** User groups and their background file loads (services/user-groups.ts). */
  userGroups: UserGroupService;
}

/**
 * The service as seen from inside one transaction: SQL, users and sessions all go through `q`, so
 * nothing in the transaction waits on (or escapes into) the connection outside it.
 */
export function withSql<T extends Partial<Pick<ServiceInternals, 'sql' | 'users' | 'sessions'>>>(svc: T, q: Sql): T {
  return {
    ...svc,
    sql: q,
    ...(svc.users ? { users: svc.users.bind(q) } : {}),
    ...(svc.sessions ? { sessions: svc.sessions.bind(q) } : {}),
  };
}

/**
 * The client's address: set per request by the proxy-aware middleware (http/proxy.ts), which takes it
 * from X-Forwarded-For only through configured trusted proxies. Without that middleware (a route
 * tested alone), the socket's peer address; requests that came through no Node socket
 * (app.request in tests) share the bucket "unknown".
 */
export function clientIp(c: Context): string {
  const known = c.get('clientAddress');
  if (known) return known;
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? 'unknown';
}

/**
 * The hashing queue's client key (services/hash-queue.ts): the proxy-aware client address, an IPv6 /64 as
 * one client, so neither a forged X-Forwarded-For nor a fresh address per request gets a new share.
 */
export function hashClient(c: Context): string {
  return ipBucket(clientIp(c));
}

export { ipBucket };

export const PLATFORM_BASE = '/service/platform/user/v1.0/company/:companyId/application/:applicationId';
export const APPLICATION_BASE = '/service/application/user';

export function platformBase(companyId: string, applicationId: string): string {
  return `/service/platform/user/v1.0/company/${companyId}/application/${applicationId}`;
}
