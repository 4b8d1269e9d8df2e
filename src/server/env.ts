// Turns environment variables into ServiceOptions for every host of the service (standalone
// main.ts, the Vite dev server, the test runner), plus the human-readable lines each host prints
// at start so a developer sees every setting in effect and how to reach the admin API.
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import type { ServiceOptions } from './app';
import { APPLICATION_BASE, platformBase } from './context';
import { DEFAULT_PASSWORD_PARAMS } from './passwords';

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

/**
 * Reads PORT, DATABASE, COMPANY_ID, APPLICATION_ID, ADMIN_TOKEN, DEMO_EMAIL, DEMO_PASSWORD,
 * NODE_ENV, ALLOWED_ORIGINS, COOKIE_SECURE and GROUP_FILE_HOSTS. A missing ADMIN_TOKEN is generated for this run.
 */
export function optionsFromEnv(env: NodeJS.ProcessEnv = process.env): {
  options: ServiceOptions;
  port: number;
  printed: string[];
} {
  const port = parsePort(env['PORT']);
  const databaseSetting = nonEmpty(env['DATABASE']) ?? 'latch.db';
  const database = databaseSetting === ':memory:' ? databaseSetting : resolve(process.cwd(), databaseSetting);
  const companyId = nonEmpty(env['COMPANY_ID']) ?? '1';
  const applicationId = nonEmpty(env['APPLICATION_ID']) ?? '000000000000000000000001';
  const givenToken = nonEmpty(env['ADMIN_TOKEN']);
  const adminToken = givenToken ?? randomBytes(32).toString('base64url');
  const dev = env['NODE_ENV'] !== 'production';
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

  const options: ServiceOptions = {
    database,
    companyId,
    applicationId,
    adminToken,
    dev,
    allowedOrigins,
    cookieSecure,
    groupFileHosts,
    ...(dev ? { demoUser } : {}),
  };

  const admin = platformBase(companyId, applicationId);
  const p = DEFAULT_PASSWORD_PARAMS;
  const printed = [
    `latch user service: ${dev ? 'development mode (NODE_ENV is not "production")' : 'production mode'}`,
    `  database:        ${database}`,
    `  company id:      ${companyId}`,
    `  application id:  ${applicationId}`,
    `  storefront API:  ${APPLICATION_BASE}/...  (e.g. GET ${APPLICATION_BASE}/platform/v1.0/config)`,
    `  admin API:       ${admin}/...  (send "Authorization: Bearer <admin token>")`,
    `  admin token:     ${adminToken}${givenToken ? '  (from ADMIN_TOKEN)' : '  (generated for this run; set ADMIN_TOKEN to keep one)'}`,
    dev
      ? `  demo shopper:    ${demoUser.email} / ${demoUser.password}  (created on first start if missing; DEMO_EMAIL, DEMO_PASSWORD)`
      : '  demo shopper:    none (production mode)',
    dev ? '  dev endpoints:   GET /__dev/info' : '  dev endpoints:   off (production mode)',
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
  return { options, port, printed };
}
