// The admin (platform) API under /service/platform/user/v1.0/company/{c}/application/{a}:
// reading and changing the platform config and creating customers. Every route needs the admin
// bearer token; a token for this service but another company or application gets a 404.
import { createHash, timingSafeEqual } from 'node:crypto';
import { Hono, type MiddlewareHandler } from 'hono';
import { z } from 'zod';
import { isCommonPassword } from '../common-passwords';
import type { ServiceInternals } from '../context';
import { ApiError, validationError } from '../errors';
import { hashPassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../passwords';
import { parseCountryCode, parsePhone, type PhoneNumber } from '../phone';
import { normalizeConfigPatch, platformConfigPatchSchema } from '../platform-config';
import { parseOrThrow, readJsonObject, zodProblems } from '../validation';

/** Comparing digests keeps the comparison constant-time even when the lengths differ. */
function tokenMatches(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b) && expected.length > 0;
}

function adminAuth(svc: ServiceInternals): MiddlewareHandler {
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match || !tokenMatches(match[1]!, svc.adminToken)) {
      c.header('WWW-Authenticate', 'Bearer realm="latch-platform"');
      throw new ApiError(401, 'UNAUTHORIZED', 'A valid admin bearer token is required', { authenticated: false });
    }
    if (c.req.param('companyId') !== svc.companyId || c.req.param('applicationId') !== svc.applicationId) {
      throw new ApiError(404, 'NOT_FOUND', 'No such company or application on this service');
    }
    await next();
  };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const createUserSchema = z.object({
  phone_number: z.string().optional(),
  // Our extension: the country of a phone_number given without "+".
  country_code: z.union([z.number(), z.string()]).optional(),
  email: z.string().trim().max(254).regex(EMAIL, 'expected an email address').optional(),
  first_name: z.string().trim().max(100).optional(),
  last_name: z.string().trim().max(100).optional(),
  gender: z.string().trim().max(32).optional(),
  username: z.string().trim().max(100).optional(),
  meta: z.record(z.string(), z.unknown()).optional(),
  external_id: z.string().max(200).optional(),
  rr_id: z.string().max(200).optional(),
  dob: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}/, 'expected an ISO date like 1990-04-30')
    .refine((v) => !Number.isNaN(Date.parse(v)), 'expected a real date')
    .optional(),
  // Our extension, so an admin or a test can create a shopper who can sign in with a password.
  password: z
    .string()
    .min(PASSWORD_MIN_LENGTH, `must be at least ${PASSWORD_MIN_LENGTH} characters`)
    .max(PASSWORD_MAX_LENGTH, `must be at most ${PASSWORD_MAX_LENGTH} characters`)
    .refine((v) => !isCommonPassword(v), 'is too common; choose a less guessable password')
    .optional(),
});

/** Null and "" mean "not given" here, as forms and SDKs send both for empty optional fields. */
function dropEmpty(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== null && v !== ''));
}

export function platformRoutes(svc: ServiceInternals): Hono {
  const app = new Hono();
  app.use('*', adminAuth(svc));

  app.get('/platform/config', (c) => c.json(svc.config.get()));

  app.post('/platform/config', async (c) => {
    const body = await readJsonObject(c);
    const parsed = parseOrThrow(platformConfigPatchSchema, body);
    const config = svc.config.update(normalizeConfigPatch(parsed));
    svc.log(`admin platform config updated fields=${Object.keys(body).join(',')} request_id=${c.get('requestId')}`);
    return c.json(config);
  });

  app.post('/customers', async (c) => {
    const body = dropEmpty(await readJsonObject(c));
    const result = createUserSchema.safeParse(body);
    const problems = result.success ? [] : zodProblems(result.error.issues);
    const input = result.success ? result.data : undefined;

    let phone: PhoneNumber | undefined;
    let countryCode: number | undefined;
    if (body['country_code'] !== undefined) {
      countryCode = parseCountryCode(body['country_code']) ?? undefined;
      if (countryCode === undefined) problems.push({ path: 'country_code', message: 'expected a country calling code like 91 or "+1"' });
    }
    if (typeof body['phone_number'] === 'string') {
      phone = parsePhone(body['phone_number'], countryCode) ?? undefined;
      if (!phone) problems.push({ path: 'phone_number', message: 'expected a phone number like "+91 98765 43210" or "9876543210"' });
    }
    if (body['email'] === undefined && body['phone_number'] === undefined) {
      problems.push({ path: 'email', message: 'email or phone_number is required' });
    }
    if (problems.length || !input) throw validationError(problems);

    const passwordHash = input.password ? await hashPassword(input.password, svc.passwordParams) : undefined;
    const { password: _password, phone_number: _phone, country_code: _country, ...fields } = input;
    const row = svc.users.create({ ...fields, phone, passwordHash, verified: c.req.query('verified') === 'true' });
    svc.log(`admin user created user=${row.id} request_id=${c.get('requestId')}`);
    return c.json({ user: svc.users.toSchema(row) });
  });

  return app;
}
