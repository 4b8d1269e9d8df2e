// What every route of the reference service shares: the stores, limits, options and the logger,
// bundled once by createService so routes get one argument instead of a dozen.
import type { Context } from 'hono';
import type { CaptchaService } from './captcha';
import type { DB } from './db';
import type { HashQueue } from './hash-queue';
import type { OtpLimits, OtpStore, TokenStore } from './otp';
import type { Outbox } from './outbox';
import type { ScryptParams } from './passwords';
import type { PlatformConfigStore } from './platform-config';
import type { SlidingWindowLimiter } from './rate-limit';
import type { SessionStore } from './sessions';
import type { SocialSettings } from './social';
import type { UserGroupService } from './services/user-groups';
import type { UserStore } from './users';

declare module 'hono' {
  interface ContextVariableMap {
    /** Random per request; echoed in the x-request-id header and in every error body. */
    requestId: string;
    /** Set once a valid session was seen, so error bodies can say so. */
    authenticated: boolean;
  }
}

export interface ServiceInternals {
  db: DB;
  companyId: string;
  applicationId: string;
  adminToken: string;
  dev: boolean;
  demoUser: { email: string; password: string } | undefined;
  passwordParams: ScryptParams;
  /** Every password hash and check goes through it, fairly per client address (hash-queue.ts). */
  hashQueue: HashQueue;
  /** Verified against when an account is missing, so that costs the same as a wrong password. */
  dummyHash: string;
  allowedOrigins: ReadonlySet<string>;
  cookieSecure: 'auto' | boolean;
  now: () => number;
  log: (line: string) => void;
  config: PlatformConfigStore;
  users: UserStore;
  sessions: SessionStore;
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
 * The peer address as the socket saw it. Forwarded-for headers are not trusted: anyone can send
 * them, and trusting them would let a client pick its own rate-limit bucket. Requests that did not
 * come through a Node socket (app.request in tests) share the bucket "unknown".
 */
export function clientIp(c: Context): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? 'unknown';
}

export const PLATFORM_BASE = '/service/platform/user/v1.0/company/:companyId/application/:applicationId';
export const APPLICATION_BASE = '/service/application/user';

export function platformBase(companyId: string, applicationId: string): string {
  return `/service/platform/user/v1.0/company/${companyId}/application/${applicationId}`;
}
