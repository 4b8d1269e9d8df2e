// Turns environment variables into ServiceOptions for every host of the service (standalone
// main.ts, the Vite dev server, the test runner), plus the human-readable lines each host prints
// at start so a developer sees every setting in effect and how to reach the admin API.
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import type { ServiceOptions } from './app';
import { APPLICATION_BASE, platformBase } from './context';
import { DEFAULT_PASSWORD_PARAMS } from './services/passwords';
import { parsePublicUrl, TrustedProxies } from './http/proxy';
import { isPostgresUrl } from './store/open';
import { DEFAULT_PLATFORM_TOKEN_TTL_SECONDS, PLATFORM_API_SECRET_MIN_LENGTH } from './services/platform-tokens';

/** A listen address only this machine can reach. */
export function isLoopbackBind(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

export const DEFAULT_PORT = 8787;
export const DEFAULT_DEMO_EMAIL = 'shopper@example.com';
export const DEFAULT_DEMO_PASSWORD = 'latch-demo-password';

function nonEmpty(value: string | undefined): string | undefined {
  const v = value?.trim();
  return v ? v : undefined;
}

function parsePort(value: string | undefined): number {
  const v = nonEmpty(value);
  if (v === undefined) return DEFAULT_PORT;
  const port = Number(v);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got "${v}"`);
  return port;
}

function parseCookieSecure(value: string | undefined): 'auto' | boolean {
  const v = nonEmpty(value)?.toLowerCase();
  if (v === undefined || v === 'auto') return 'auto';
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw new Error(`COOKIE_SECURE must be auto, true or false, got "${v}"`);
}

/** An admin token must not be guessable: at least this many characters (32 random bytes are 43). */
export const ADMIN_TOKEN_MIN_LENGTH = 32;

function parseDev(value: string | undefined): boolean {
  const v = nonEmpty(value)?.toLowerCase();
  if (v === undefined || v === '0' || v === 'false') return false;
  if (v === '1' || v === 'true') return true;
  throw new Error(`LATCH_DEV must be 1 or 0, got "${v}"`);
}

/**
 * PLATFORM_API_KEY and PLATFORM_API_SECRET (both or neither; the secret at least 32 characters) and
 * PLATFORM_TOKEN_TTL_SECONDS (60 to 3600, default 600): what an admin tool exchanges for tokens.
 */
function parsePlatformApi(env: NodeJS.ProcessEnv): ServiceOptions['platformApi'] {
  const apiKey = nonEmpty(env['PLATFORM_API_KEY']);
  const apiSecret = nonEmpty(env['PLATFORM_API_SECRET']);
  if (apiKey === undefined && apiSecret === undefined) return undefined;
  if (apiKey === undefined || apiSecret === undefined) throw new Error('PLATFORM_API_KEY and PLATFORM_API_SECRET go together: set both or neither');
  if (apiSecret.length < PLATFORM_API_SECRET_MIN_LENGTH) {
    throw new Error(`PLATFORM_API_SECRET must be at least ${PLATFORM_API_SECRET_MIN_LENGTH} characters (try: openssl rand -base64 32)`);
  }
  const ttlSetting = nonEmpty(env['PLATFORM_TOKEN_TTL_SECONDS']);
  const tokenTtlSeconds = ttlSetting === undefined ? DEFAULT_PLATFORM_TOKEN_TTL_SECONDS : Number(ttlSetting);
  if (!Number.isInteger(tokenTtlSeconds) || tokenTtlSeconds < 60 || tokenTtlSeconds > 3600) {
    throw new Error(`PLATFORM_TOKEN_TTL_SECONDS must be a whole number from 60 to 3600, got "${ttlSetting}"`);
  }
  return { apiKey, apiSecret, tokenTtlSeconds };
}

/** USER_EXISTS: 1 lets GET user-exists answer (it reveals whether an account exists); off by default. */
function parseUserExists(value: string | undefined): boolean {
  const v = nonEmpty(value)?.toLowerCase();
  if (v === undefined || v === '0' || v === 'false') return false;
  if (v === '1' || v === 'true') return true;
  throw new Error(`USER_EXISTS must be 1 or 0, got "${v}"`);
}

/**
 * Reads PORT, HOST, DATABASE, COMPANY_ID, APPLICATION_ID, ADMIN_TOKEN, DEMO_EMAIL, DEMO_PASSWORD,
 * LATCH_DEV, PUBLIC_URL, TRUSTED_PROXIES, ALLOWED_ORIGINS, COOKIE_SECURE, GROUP_FILE_HOSTS, USER_EXISTS and the
 * PLATFORM_API_KEY / PLATFORM_API_SECRET / PLATFORM_TOKEN_TTL_SECONDS of the token exchange. A
 * missing ADMIN_TOKEN is generated for this run (and then printed); a given one must be at least
 * 32 characters. Development mode (the outbox, the dev sign-in provider, the demo shopper) is on
 * only with LATCH_DEV=1 and only on a loopback address.
 */
export function optionsFromEnv(env: NodeJS.ProcessEnv = process.env): {
  options: ServiceOptions;
  port: number;
  /** Where to listen: HOST, else loopback in development and every interface otherwise. */
  host: string;
  printed: string[];
} {
  const port = parsePort(env['PORT']);
  const dev = parseDev(env['LATCH_DEV']);
  const host = nonEmpty(env['HOST']) ?? (dev ? '127.0.0.1' : '0.0.0.0');
  if (dev && !isLoopbackBind(host)) {
    throw new Error(`LATCH_DEV=1 serves every code and link at /__dev/outbox, so it only listens on loopback; HOST is "${host}"`);
  }
  const databaseSetting = nonEmpty(env['DATABASE']) ?? 'latch.db';
  // A postgres:// URL selects PostgreSQL (many instances); anything else is a SQLite file path.
  const database = databaseSetting === ':memory:' || isPostgresUrl(databaseSetting) ? databaseSetting : resolve(process.cwd(), databaseSetting);
  const companyId = nonEmpty(env['COMPANY_ID']) ?? '1';
  const applicationId = nonEmpty(env['APPLICATION_ID']) ?? '000000000000000000000001';
  const givenToken = nonEmpty(env['ADMIN_TOKEN']);
  if (givenToken !== undefined && givenToken.length < ADMIN_TOKEN_MIN_LENGTH) {
    throw new Error(`ADMIN_TOKEN must be at least ${ADMIN_TOKEN_MIN_LENGTH} characters (try: openssl rand -base64 32)`);
  }
  const adminToken = givenToken ?? randomBytes(32).toString('base64url');
  const publicUrlSetting = nonEmpty(env['PUBLIC_URL']);
  const publicUrl = publicUrlSetting === undefined ? undefined : parsePublicUrl(publicUrlSetting);
  const trustedProxies = (env['TRUSTED_PROXIES'] ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  // Fails at start on a malformed entry rather than silently trusting nothing.
  new TrustedProxies(trustedProxies);
  const demoUser = {
    email: nonEmpty(env['DEMO_EMAIL']) ?? DEFAULT_DEMO_EMAIL,
    password: nonEmpty(env['DEMO_PASSWORD']) ?? DEFAULT_DEMO_PASSWORD,
  };
  const allowedOrigins = (env['ALLOWED_ORIGINS'] ?? '')
    .split(',')
    .map((o) => o.trim().replace(/\/+$/, ''))
    .filter(Boolean);
  const cookieSecure = parseCookieSecure(env['COOKIE_SECURE']);
  const groupFileHosts = (env['GROUP_FILE_HOSTS'] ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);

  const platformApi = parsePlatformApi(env);
  const options: ServiceOptions = {
    database,
    companyId,
    applicationId,
    adminToken,
    ...(platformApi ? { platformApi } : {}),
    dev,
    allowedOrigins,
    cookieSecure,
    trustedProxies,
    ...(publicUrl ? { publicUrl } : {}),
    groupFileHosts,
    userExists: parseUserExists(env['USER_EXISTS']),
    ...(dev ? { demoUser } : {}),
  };

  const admin = platformBase(companyId, applicationId);
  const p = DEFAULT_PASSWORD_PARAMS;
  const printed = [
    `latch user service: ${dev ? 'development mode (LATCH_DEV=1)' : 'production mode (set LATCH_DEV=1 for the dev outbox, provider and demo shopper)'}`,
    `  database:        ${describeDatabase(database)}`,
    `  company id:      ${companyId}`,
    `  application id:  ${applicationId}`,
    `  storefront API:  ${APPLICATION_BASE}/...  (e.g. GET ${APPLICATION_BASE}/platform/v1.0/config)`,
    `  admin API:       ${admin}/...  (send "Authorization: Bearer <admin token>")`,
    // A token the operator chose is theirs to keep: it never goes to a terminal or log collector.
    `  admin token:     ${givenToken ? '(from ADMIN_TOKEN, not shown)' : `${adminToken}  (generated for this run; set ADMIN_TOKEN to keep one)`}`,
    // The secret is never printed, only whether the exchange is on and under which key.
    `  platform tokens: ${platformApi ? `POST /service/panel/authentication/v1.0/company/${companyId}/oauth/token for key ${platformApi.apiKey} (secret not shown), tokens live ${platformApi.tokenTtlSeconds} s` : 'off (set PLATFORM_API_KEY and PLATFORM_API_SECRET)'}`,
    `  public URL:      ${publicUrl ?? 'none: links use the loopback address the request came to; other hosts are refused (PUBLIC_URL)'}`,
    `  proxies:         ${trustedProxies.length ? `X-Forwarded-For/-Proto believed from ${trustedProxies.join(', ')}` : 'none trusted; X-Forwarded-* headers are ignored (TRUSTED_PROXIES)'}`,
    dev
      ? `  demo shopper:    ${demoUser.email} / ${demoUser.password}  (created on first start if missing; DEMO_EMAIL, DEMO_PASSWORD)`
      : '  demo shopper:    none (LATCH_DEV is not 1)',
    dev ? '  dev endpoints:   GET /__dev/info, /__dev/outbox (every code and link), dev sign-in provider' : '  dev endpoints:   off (LATCH_DEV is not 1)',
    `  allowed origins: ${allowedOrigins.length ? allowedOrigins.join(', ') : 'none besides the service\'s own origin (ALLOWED_ORIGINS)'}`,
    `  session cookie:  ${
      cookieSecure === 'auto'
        ? 'Secure __Host-f.session on https and localhost, f.session otherwise (COOKIE_SECURE=auto)'
        : cookieSecure
          ? 'always Secure __Host-f.session (COOKIE_SECURE=true)'
          : 'always f.session without Secure (COOKIE_SECURE=false)'
    }`,
    `  group files:     ${groupFileHosts.length ? `https from ${groupFileHosts.join(', ')}` : 'no hosts (GROUP_FILE_HOSTS)'}${dev ? ' and loopback http' : ''}`,
    `  passwords:       scrypt N=${p.N} r=${p.r} p=${p.p}; failed sign-ins limited to 10 per account and 100 per IP per 15 minutes`,
  ];
  return { options, port, host, printed };
}

/** The DATABASE setting as it may be printed: a PostgreSQL URL loses its password. */
export function describeDatabase(database: string): string {
  if (!isPostgresUrl(database)) return `${database} (SQLite)`;
  try {
    const url = new URL(database);
    if (url.password) url.password = '***';
    return `${url.toString()} (PostgreSQL)`;
  } catch {
    return '(a PostgreSQL URL that does not parse)';
  }
}
