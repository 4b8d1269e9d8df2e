// The reference user service as one Hono app: createService() opens the database, wires the
// stores and protections, mounts the application, platform and (in dev) __dev routes, and seeds
// the demo shopper. The same app runs standalone (main.ts), inside Vite and inside the test runner.
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { seedDevDefinitions } from './services/attributes';
import { DevCaptcha, type CaptchaVerifier } from './services/captcha';
import { captchaGuard } from './http/captcha-guard';
import { adminAuth } from './http/admin-auth';
import { platformCustomerRoutes } from './routes/platform-customers';
import { userGroupRoutes } from './routes/user-groups';
import { APPLICATION_BASE, PLATFORM_BASE, type ServiceInternals } from './context';
import { hashClient } from './http/context-vars';
import { LeaseStore, newHolderId, runExclusive } from './store/leases';
import { LimitStore } from './store/limits';
import { openSql } from './store/open';
import type { Sql } from './store/sql';
import { every } from './shared/periodic';
import { purgeExpired } from './services/deletion';
import { ApiError, errorBody } from './shared/errors';
import type { PasswordScreen } from './services/common-passwords';
import { defaultHashQueueOptions, HashQueue, refuseWhenFull, type HashQueueOptions } from './services/hash-queue';
import { checkHealth } from './services/health';
import { KEEP_SPENT_MS, OTP_PURGE, OtpStore, TOKEN_PURGE, TokenStore } from './services/codes';
import { KEEP_MS as OUTBOX_KEEP_MS, Outbox, OUTBOX_PURGE } from './store/outbox';
import { deleteAll } from './store/purge';
import { DEFAULT_PASSWORD_PARAMS, dummyHash, hashPassword, type ScryptParams } from './services/passwords';
import { PlatformConfigStore } from './services/config';
import { parsePublicUrl, requestOrigin, TrustedProxies } from './http/proxy';
import { SlidingWindowLimiter } from './services/rate-limit';
import { purgePendingRegistrations } from './services/registration';
import { accountRoutes } from './routes/account';
import { applicationRoutes, passwordLoginSwitch } from './routes/application';
import { attributeRoutes } from './routes/attributes';
import { contactRoutes } from './routes/contacts';
import { deleteAccountRoutes } from './routes/delete-account';
import { countRequests, devRoutes } from './routes/dev';
import { otpRoutes } from './routes/otp';
import { passwordResetRoutes } from './routes/password-reset';
import { platformRoutes } from './routes/platform';
import { platformOAuthRoutes } from './routes/platform-oauth';
import { DEFAULT_PLATFORM_TOKEN_TTL_SECONDS, PLATFORM_API_SECRET_MIN_LENGTH, type PlatformCredentials } from './services/platform-tokens';
import { platformAttributeRoutes } from './routes/platform-attributes';
import { registrationRoutes } from './routes/registration';
import { devSocialRoutes, socialRoutes } from './routes/social';
import { platformLoginTokenRoutes, storefrontOpsRoutes } from './routes/storefront-ops';
import { cors, crossSiteGuard, requestContext } from './http/security';
import { SessionStore } from './store/sessions';
import { StorefrontOps } from './services/storefront-ops';
import { STOREFRONT_TOKEN_KEEP_MS, STOREFRONT_TOKEN_PURGE } from './store/storefront-tokens';
import { createUserGroupService } from './services/user-groups';
import { storageFailure, storageUnavailable } from './http/storage-errors';
import { socialSettings, type SocialProvider, type SocialVerifier } from './services/social';
import { UserStore } from './store/users';

export interface ServiceOptions {
  /** A file path, or ':memory:' for a throwaway database (tests). */
  database: string;
  companyId: string;
  applicationId: string;
  /** Bearer token for the platform (admin) API. Must not be empty. */
  adminToken: string;
  /**
   * API key and secret the published platform client exchanges for short-lived admin tokens
   * (POST /service/panel/authentication/v1.0/company/{c}/oauth/token). The secret must be at least
   * 32 characters. Without it that endpoint answers 404.
   */
  platformApi?: { apiKey: string; apiSecret: string; tokenTtlSeconds?: number };
  /** Enables /__dev/* and the demo shopper seed. */
  dev: boolean;
  /** Seeded on first start (dev only) when no user has that email yet. */
  demoUser?: { email: string; password: string; firstName?: string; lastName?: string };
  /** scrypt cost; default N=2^15, r=8, p=3. Tests pass cheap ones. */
  passwordParams?: { N: number; r: number; p: number };
  /**
   * Failed-login limits; default 10 per account and 100 per IP per 15 minutes. Code and reset
   * sends: 5 per destination and 30 per IP; code checks: 50 per IP; registrations: 10 per IP and
   * 5 per email or phone; account-deletion attempts: 10 per user (same window).
   */
  rateLimits?: Partial<{
    loginPerAccount: number;
    loginPerIp: number;
    windowSeconds: number;
    otpSendPerDestination: number;
    otpSendPerIp: number;
    otpVerifyPerIp: number;
    registerPerIp: number;
    registerPerDestination: number;
    deletePerUser: number;
    /** GET user-exists questions per client address (default 10 per window). */
    userExistsPerIp: number;
  }>;
  /**
   * USER_EXISTS: GET .../user-exists answers whether an account exists. Off by default, since it
   * lets anyone probe for customers; on, it is limited per client address (rateLimits.userExistsPerIp).
   */
  userExists?: boolean;
  /**
   * The password hashing queue (services/hash-queue.ts); default one hash per core but one, 4 waiting per
   * hash slot per client address and 64 per slot overall (see defaultHashQueueOptions).
   */
  hashing?: Partial<HashQueueOptions>;
  /** Extra origins allowed for credentialed CORS and for state-changing requests. */
  allowedOrigins?: string[];
  /**
   * PUBLIC_URL: the origin shoppers reach the service at (e.g. https://shop.example). Reset links
   * and the WebOTP host are built from it, and requests naming another Host are refused (421).
   * Without it only loopback hosts are answered (a developer's machine). The dev server passes its
   * own origin.
   */
  publicUrl?: string;
  /**
   * TRUSTED_PROXIES: addresses or CIDR ranges of reverse proxies in front of the service. Only
   * through them are X-Forwarded-For (client address) and X-Forwarded-Proto (https) believed.
   */
  trustedProxies?: string[];
  /**
   * A breached-password check run after the common-password list whenever a password is set (see
   * PasswordScreen in services/common-passwords.ts): resolve true to refuse the password as breached.
   */
  passwordScreen?: PasswordScreen;
  /** auto: Secure (and the __Host- name) on https and on localhost/127.0.0.1/[::1]. */
  cookieSecure?: 'auto' | boolean;
  /** Clock in ms; injectable so tests can move time. */
  now?: () => number;
  /** Where log lines go; default console.log. Lines never contain passwords, codes or tokens. */
  log?: (line: string) => void;
  /**
   * Server-side captcha check used when the platform config has skip_captcha: false: the place to
   * call reCAPTCHA, hCaptcha or Turnstile's verify API. Without it, dev mode uses the dev captcha
   * (GET /__dev/captcha) and production answers 503 CAPTCHA_UNAVAILABLE on the guarded endpoints.
   */
  captchaVerifier?: CaptchaVerifier;
  /** Where the dev outbox prints each message it "sends" (dev mode only); default console.log. */
  printMessage?: (block: string) => void;
  /** Social sign-in token verifiers per provider (see README). In dev mode the default is the dev provider. */
  socialVerifiers?: Partial<Record<SocialProvider, SocialVerifier>>;
  /** Secret that signs dev-provider tokens; default random per process. */
  socialDevSecret?: string;
  /** Hosts a bulk user group's https file_url may name (GROUP_FILE_HOSTS); dev mode also allows loopback. */
  groupFileHosts?: string[];
}

export interface Service {
  app: Hono;
  /** The database, through the interface every store module speaks (store/sql.ts). */
  sql: Sql;
  hashQueue: HashQueue;
  /** From now on GET /healthz answers 503 "stopping" (a graceful shutdown has begun). */
  beginShutdown(): void;
  /** Stops the timers and background loads, waits for work in flight, and closes the database. */
  close(): Promise<void>;
  /** Resolves once the demo seed is hashed and stored (at once when there is none). */
  ready: Promise<void>;
  /** Resolves once no background work (user-group file loads) is running. */
  idle(): Promise<void>;
}

const BODY_LIMIT_BYTES = 64 * 1024;
/** Scheduled work (purges, stale group loads) runs at start and then every hour. */
const SESSION_PURGE_INTERVAL_MS = 60 * 60 * 1000;

function normalizeOrigin(origin: string): string {
  return origin.trim().replace(/\/+$/, '');
}

/** The lease the scheduled purges run under (store/leases.ts); one instance at a time holds it. */
export const PURGE_LEASE = 'scheduled-purge';
/** Longer than a purge run takes; after it, a lease left by an instance that died is free again. */
const PURGE_LEASE_MS = 15 * 60 * 1000;

/** The platform API credentials, checked once at start: a weak secret is refused, not used. */
function checkPlatformApi(given: ServiceOptions['platformApi']): PlatformCredentials | undefined {
  if (!given) return undefined;
  if (!given.apiKey) throw new Error('createService: platformApi.apiKey must not be empty');
  if (given.apiSecret.length < PLATFORM_API_SECRET_MIN_LENGTH) {
    throw new Error(`createService: platformApi.apiSecret must be at least ${PLATFORM_API_SECRET_MIN_LENGTH} characters`);
  }
  const ttl = given.tokenTtlSeconds ?? DEFAULT_PLATFORM_TOKEN_TTL_SECONDS;
  if (!Number.isInteger(ttl) || ttl < 60 || ttl > 3600) throw new Error('createService: platformApi.tokenTtlSeconds must be a whole number from 60 to 3600');
  return { apiKey: given.apiKey, apiSecret: given.apiSecret, tokenTtlSeconds: ttl };
}

export async function createService(opts: ServiceOptions): Promise<Service> {
  if (!opts.adminToken) throw new Error('createService: adminToken must not be empty');
  const platformCredentials = checkPlatformApi(opts.platformApi);
  const now = opts.now ?? Date.now;
  const log = opts.log ?? ((line: string) => console.log(line));
  const passwordParams: ScryptParams = opts.passwordParams ?? DEFAULT_PASSWORD_PARAMS;
  const windowMs = (opts.rateLimits?.windowSeconds ?? 15 * 60) * 1000;

  const sql = await openSql(opts.database, log);
  let closed = false;
  // Every limit counts in the database, so instances sharing it share the counts (services/rate-limit.ts).
  const limitStore = new LimitStore(sql, now);
  const svc: ServiceInternals = {
    sql,
    limitStore,
    companyId: opts.companyId,
    applicationId: opts.applicationId,
    adminToken: opts.adminToken,
    platformCredentials,
    dev: opts.dev,
    demoUser: opts.dev && opts.demoUser ? { email: opts.demoUser.email, password: opts.demoUser.password } : undefined,
    passwordParams,
    hashQueue: new HashQueue({ ...defaultHashQueueOptions(), ...opts.hashing }),
    dummyHash: dummyHash(passwordParams),
    allowedOrigins: new Set((opts.allowedOrigins ?? []).map(normalizeOrigin).filter(Boolean)),
    publicOrigin: opts.publicUrl ? parsePublicUrl(opts.publicUrl) : undefined,
    trustedProxies: new TrustedProxies(opts.trustedProxies ?? []),
    passwordScreen: opts.passwordScreen,
    cookieSecure: opts.cookieSecure ?? 'auto',
    now,
    log,
    config: new PlatformConfigStore(sql, opts.applicationId, now),
    users: new UserStore(sql, opts.applicationId, now),
    sessions: new SessionStore(sql, opts.applicationId, now),
    limits: {
      account: new SlidingWindowLimiter(limitStore, `${opts.applicationId}:login-account`, opts.rateLimits?.loginPerAccount ?? 10, windowMs),
      ip: new SlidingWindowLimiter(limitStore, `${opts.applicationId}:login-ip`, opts.rateLimits?.loginPerIp ?? 100, windowMs),
    },
    social: socialSettings(opts, opts.dev, now),
    outbox: new Outbox(sql, opts.applicationId, now, opts.dev ? (opts.printMessage ?? ((block: string) => console.log(block))) : undefined),
    otp: new OtpStore(sql, opts.applicationId, now),
    tokens: new TokenStore(sql, opts.applicationId, now),
    otpLimits: {
      sendPerDestination: new SlidingWindowLimiter(limitStore, `${opts.applicationId}:code-send-destination`, opts.rateLimits?.otpSendPerDestination ?? 5, windowMs),
      sendPerIp: new SlidingWindowLimiter(limitStore, `${opts.applicationId}:code-send-ip`, opts.rateLimits?.otpSendPerIp ?? 30, windowMs),
      verifyPerIp: new SlidingWindowLimiter(limitStore, `${opts.applicationId}:code-check-ip`, opts.rateLimits?.otpVerifyPerIp ?? 50, windowMs),
    },
    accountLimits: {
      registerPerIp: new SlidingWindowLimiter(limitStore, `${opts.applicationId}:register-ip`, opts.rateLimits?.registerPerIp ?? 10, windowMs),
      registerPerDestination: new SlidingWindowLimiter(limitStore, `${opts.applicationId}:register-destination`, opts.rateLimits?.registerPerDestination ?? 5, windowMs),
      deletePerUser: new SlidingWindowLimiter(limitStore, `${opts.applicationId}:delete-user`, opts.rateLimits?.deletePerUser ?? 10, windowMs),
    },
    captcha: { verifier: opts.captchaVerifier, dev: opts.dev ? new DevCaptcha(now) : undefined },
    userGroups: await createUserGroupService({ sql, isOpen: () => !closed, applicationId: opts.applicationId, now, log, dev: opts.dev }, { fileHosts: opts.groupFileHosts }),
  };

  await svc.config.ensure();
  const purgeOldRows = async (): Promise<void> => {
    await svc.sessions.purgeExpired();
    await purgePendingRegistrations(svc);
    // Sends also delete a few old rows each; this catches up after a quiet spell (store/purge.ts).
    await deleteAll(sql, OTP_PURGE, now() - KEEP_SPENT_MS);
    await deleteAll(sql, TOKEN_PURGE, now() - KEEP_SPENT_MS);
    await deleteAll(sql, OUTBOX_PURGE, now() - OUTBOX_KEEP_MS);
    await deleteAll(sql, STOREFRONT_TOKEN_PURGE, now() - STOREFRONT_TOKEN_KEEP_MS);
    await limitStore.purge(windowMs);
  };
  // Scheduled work runs on one instance at a time across every instance on the database: whoever
  // holds the lease (store/leases.ts). An instance that dies mid-run holds it only until it expires.
  const leases = new LeaseStore(sql, now);
  const holder = newHolderId();
  const scheduledWork = (): Promise<boolean> =>
    runExclusive(leases, PURGE_LEASE, holder, PURGE_LEASE_MS, async () => {
      await purgeOldRows();
      // Accounts whose deletion grace period has ended lose their data now and then every hour.
      await purgeExpired(svc);
      await svc.userGroups.resumeStale();
    });
  // The timer awaits its work and never overlaps itself (shared/periodic.ts).
  const scheduled = every(SESSION_PURGE_INTERVAL_MS, async () => void (await scheduledWork()), (err) => log(`purge failed: ${(err as Error).message}`));
  await scheduled.runNow();

  // The demo's account page shows a few custom attributes when the store has none yet.
  if (svc.dev) await seedDevDefinitions(svc);

  const storefrontOps = new StorefrontOps(svc, {
    userExists: opts.userExists ?? false,
    userExistsPerIp: opts.rateLimits?.userExistsPerIp ?? 10,
    windowMs,
  });
  const app = buildApp(svc, storefrontOps, scheduledWork);
  let stopping = false;
  // Outside /service/*, so no CORS or origin guard applies: a prober sends no Origin or cookies.
  app.get('/healthz', async (c) => {
    const health = await checkHealth(sql, stopping);
    return c.json(health.body, health.httpStatus);
  });

  const ready = seedDemoUser(svc, opts.demoUser, () => closed);
  // Keep an unawaited failure from crashing the host; whoever awaits `ready` still sees it.
  ready.catch((err: unknown) => log(`demo seed failed: ${(err as Error).message}`));

  return {
    app,
    sql,
    hashQueue: svc.hashQueue,
    ready,
    idle: () => svc.userGroups.idle(),
    beginShutdown() {
      stopping = true;
    },
    async close() {
      if (closed) return;
      closed = true;
      await svc.userGroups.close();
      await scheduled.stop();
      await sql.close();
    },
  };
}

function buildApp(svc: ServiceInternals, storefrontOps: StorefrontOps, runScheduledWork: () => Promise<boolean>): Hono {
  const app = new Hono();
  app.use('*', requestContext());
  app.use('*', requestOrigin(svc));
  if (svc.dev) app.use('/service/*', countRequests(svc));
  app.use('/service/*', cors(svc.allowedOrigins));
  const limitBody = bodyLimit({
    maxSize: BODY_LIMIT_BYTES,
    onError: () => {
      throw new ApiError(413, 'PAYLOAD_TOO_LARGE', `Request bodies may not exceed ${BODY_LIMIT_BYTES} bytes`);
    },
  });
  // HTTP/1.1 carries a body only with a length or chunked encoding. A bodiless request (a browser's
  // DELETE) skips the limit: the limiter would copy its empty stream, which fails when the Node
  // adapter runs without overriding the global Request (as inside Vite and the test runner).
  app.use('/service/*', (c, next) =>
    c.req.header('content-length') || c.req.header('transfer-encoding') ? limitBody(c, next) : next(),
  );
  app.use(
    `${APPLICATION_BASE}/*`,
    crossSiteGuard(svc.allowedOrigins, (path) => path.startsWith(`${APPLICATION_BASE}/authentication/v1.0/logout`)),
  );

  // A switched-off password login is refused before anything else looks at the request.
  app.use(`${APPLICATION_BASE}/authentication/v1.0/login/password`, passwordLoginSwitch(svc));
  // A client whose share of the hashing queue is full is refused before any parsing or lookup.
  app.use(`${APPLICATION_BASE}/authentication/v1.0/login/password`, async (c, next) => {
    refuseWhenFull(svc.hashQueue, hashClient(c));
    await next();
  });
  // Settled before the login route hashes any password (only when skip_captcha is false).
  app.use(`${APPLICATION_BASE}/authentication/v1.0/login/password`, captchaGuard(svc));
  app.route(APPLICATION_BASE, applicationRoutes(svc));
  app.route(APPLICATION_BASE, otpRoutes(svc));
  app.route(APPLICATION_BASE, passwordResetRoutes(svc));
  app.route(APPLICATION_BASE, contactRoutes(svc));
  app.route(APPLICATION_BASE, socialRoutes(svc));
  app.route(APPLICATION_BASE, registrationRoutes(svc));
  app.route(APPLICATION_BASE, deleteAccountRoutes(svc));
  app.route(APPLICATION_BASE, accountRoutes(svc));
  app.route(APPLICATION_BASE, attributeRoutes(svc));
  app.route(APPLICATION_BASE, storefrontOpsRoutes(svc, storefrontOps));
  // The published platform client's token endpoint (client credentials), outside PLATFORM_BASE.
  app.route('/', platformOAuthRoutes(svc));
  // The bearer-token guard first, for every path under PLATFORM_BASE (tested in attributes.test.ts).
  app.use(`${PLATFORM_BASE}/*`, adminAuth(svc));
  app.route(PLATFORM_BASE, platformRoutes(svc));
  app.route(`${PLATFORM_BASE}/customers`, platformCustomerRoutes(svc));
  app.route(`${PLATFORM_BASE}/user_group`, userGroupRoutes(svc));
  app.route(PLATFORM_BASE, platformAttributeRoutes(svc));
  app.route(PLATFORM_BASE, platformLoginTokenRoutes(storefrontOps));
  if (svc.dev) app.route('/__dev', devRoutes(svc, runScheduledWork));
  if (svc.dev) app.route('/__dev', devSocialRoutes(svc));

  app.notFound((c) => c.json(errorBody(new ApiError(404, 'NOT_FOUND', `No route for ${c.req.method} ${c.req.path}`), c.get('requestId'), c.get('authenticated')), 404));

  app.onError((err, c) => {
    const requestId = c.get('requestId') ?? '';
    if (err instanceof ApiError) {
      for (const [name, value] of Object.entries(err.headers)) c.header(name, value);
      const authenticated = err.authenticated ?? c.get('authenticated') ?? false;
      return c.json(errorBody(err, requestId, authenticated), err.status as 400);
    }
    const storage = storageFailure(err);
    if (storage) {
      // Expected under a full disk, and then on every write: one line each, no stack.
      svc.log(`error request_id=${requestId} ${c.req.method} ${c.req.path}: storage unavailable (${storage})`);
      const busy = storageUnavailable();
      for (const [name, value] of Object.entries(busy.headers)) c.header(name, value);
      return c.json(errorBody(busy, requestId, c.get('authenticated') ?? false), 503);
    }
    // Unexpected failures are logged with their stack for the developer, answered without it.
    svc.log(`error request_id=${requestId} ${c.req.method} ${c.req.path}: ${err.stack ?? err.message}`);
    const internal = new ApiError(500, 'INTERNAL_ERROR', 'Something went wrong on the server');
    return c.json(errorBody(internal, requestId, c.get('authenticated') ?? false), 500);
  });

  return app;
}

async function seedDemoUser(
  svc: ServiceInternals,
  demo: ServiceOptions['demoUser'],
  isClosed: () => boolean,
): Promise<void> {
  if (!svc.dev || !demo) return;
  if (await svc.users.emailTaken(demo.email)) return;
  const passwordHash = await hashPassword(demo.password, svc.passwordParams);
  // The database may have been closed, or the user created, while the hash was computed.
  if (isClosed() || (await svc.users.emailTaken(demo.email))) return;
  const user = await svc.users.create({
    email: demo.email,
    first_name: demo.firstName ?? 'Demo',
    last_name: demo.lastName ?? 'Shopper',
    verified: true,
    passwordHash,
  });
  svc.log(`demo shopper created user=${user.id}`);
}
