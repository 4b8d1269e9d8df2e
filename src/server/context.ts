// What every route of the reference service shares: the stores, limits, options and the logger,
// bundled once by createService so routes get one argument instead of a dozen. Plain TypeScript, no
// Hono: services import ServiceInternals from here (each picks the fields it needs), so anything
// bound to a request's Context lives in http/context-vars.ts instead.
import { ipBucket } from './shared/caller';
import type { CaptchaService } from './services/captcha';
import type { PasswordScreen } from './services/common-passwords';
import type { Sql } from './store/sql';
import type { HashQueue } from './services/hash-queue';
import type { OtpLimits, OtpStore, TokenStore } from './services/codes';
import type { Outbox } from './store/outbox';
import type { ScryptParams } from './services/passwords';
import type { PlatformConfigStore } from './services/config';
import type { SlidingWindowLimiter } from './services/rate-limit';
import type { LimitStore } from './store/limits';
import type { SessionStore } from './store/sessions';
import type { TrustedProxies } from './shared/trusted-proxies';
import type { SocialSettings } from './services/social';
import type { UserGroupService } from './services/user-groups';
import type { UserStore } from './store/users';
import type { PlatformCredentials } from './services/platform-tokens';

export interface ServiceInternals {
  sql: Sql;
  companyId: string;
  applicationId: string;
  adminToken: string;
  /** PLATFORM_API_KEY / PLATFORM_API_SECRET: exchanged for short-lived admin tokens; undefined turns that off. */
  platformCredentials: PlatformCredentials | undefined;
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

export { ipBucket };

export const PLATFORM_BASE = '/service/platform/user/v1.0/company/:companyId/application/:applicationId';
export const APPLICATION_BASE = '/service/application/user';

export function platformBase(companyId: string, applicationId: string): string {
  return `/service/platform/user/v1.0/company/${companyId}/application/${applicationId}`;
}
