// The admin (platform) customer operations under .../application/{a}/customers (api-contract
// section 2 and the seed): create, list, search, block/unblock, archive, undelete, update, the
// account timeline and session administration. Mounted by app.ts under PLATFORM_BASE, behind the bearer
// token guard. Session ids shown here are public handles, never cookie values.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { isCommonPassword } from '../services/common-passwords';
import type { ServiceInternals } from '../context';
import { hashClient } from '../http/context-vars';
import {
  accountStateError,
  findAccount,
  restoreUser,
  userNotFound,
  userTimeline,
  type AccountRow,
} from '../services/deletion';
import { ApiError, validationError } from '../shared/errors';
import { hashPassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../services/passwords';
import { DEFAULT_COUNTRY_CODE, parseCountryCode, parsePhone, type PhoneNumber } from '../shared/phone';
import { MAX_SESSION_MS, sessionPolicy } from '../services/config';
import { ownOrigin } from '../http/security';
import { cookieIsSecure, PLAIN_COOKIE_NAME, SECURE_COOKIE_NAME } from '../http/cookies';
import type { UserSchema } from '../services/users';
import { hasForbiddenNameCharacters, zodProblems, isEmail, normalizeEmail } from '../shared/validation';
import { readJsonObject } from '../http/body';
import { logKeys } from '../shared/log';
import { queuedHash } from '../services/hash-queue';
import {
  adminSessions,
  archiveCustomer,
  createAdminSession,
  customerIdsFor,
  endAdminSession,
  endAllAdminSessions,
  listCustomers,
  setActivation,
  updateCustomer,
  type EmailInput,
  type Param,
  type PhoneInput,
} from '../services/customers';

type Problem = { path: string; message: string };

/** A person's name: no controls and no invisible characters that make it read differently. */
const nameSchema = z.string().trim().max(100).refine((v) => !hasForbiddenNameCharacters(v), 'must not contain control or invisible characters');

const ISO_DATE = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}/, 'expected an ISO date like 1990-04-30')
  .refine((v) => !Number.isNaN(Date.parse(v)), 'expected a real date');

const createUserSchema = z.object({
  phone_number: z.string().optional(),
  // Our extension: the country of a phone_number given without "+".
  country_code: z.union([z.number(), z.string()]).optional(),
  email: z.string().overwrite(normalizeEmail).max(254).refine(isEmail, 'expected an email address').optional(),
  first_name: nameSchema.optional(),
  last_name: nameSchema.optional(),
  gender: z.string().trim().max(32).optional(),
  username: z.string().trim().max(100).optional(),
  meta: z.record(z.string(), z.unknown()).optional(),
  external_id: z.string().max(200).optional(),
  rr_id: z.string().max(200).optional(),
  dob: ISO_DATE.optional(),
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

const userId = z.string().trim().min(1, 'must not be empty').max(64, 'is not a user id');
const reasonText = z.string().max(1000, 'must be at most 1000 characters').nullish();

const activationSchema = z.object({
  status: z.boolean({ error: 'expected true (unblock) or false (block)' }),
  user_id: z.array(userId).min(1, 'must name at least one user').max(1000, 'at most 1000 users at a time'),
  reason: reasonText,
});
const archiveSchema = z.object({ user_id: userId });
const undeleteSchema = z.object({ user_id: userId, reason: reasonText, reason_id: z.string().max(200).nullish() });
const createSessionSchema = z.object({
  user_id: userId,
  domain: z
    .string()
    .trim()
    .max(253)
    .regex(/^[A-Za-z0-9.-]+(:\d{1,5})?$/, 'expected a host name like shop.example.com')
    .nullish(),
  // The seed's CreateUserSessionRequestSchema also has maxAge; taken as seconds, like max_age out.
  max_age: z.number().int('expected whole seconds').positive('expected a positive number of seconds').nullish(),
});

const flag = z.boolean().optional();
const updateUserSchema = z.object({
  first_name: nameSchema.nullish(),
  last_name: nameSchema.nullish(),
  gender: z.string().trim().max(32).nullish(),
  dob: z.union([z.literal(''), ISO_DATE]).nullish(),
  external_id: z.string().max(200).nullish(),
  rr_id: z.string().max(200).nullish(),
  meta: z.record(z.string(), z.unknown()).nullish(),
  phone_numbers: z
    .array(
      z.object({
        phone: z.string().trim().min(1, 'must not be empty').max(32),
        country_code: z.union([z.string(), z.number()]).nullish(),
        active: flag,
        primary: flag,
        verified: flag,
      }),
    )
    .max(20)
    .nullish(),
  emails: z
    .array(
      z.object({
        email: z.string().overwrite(normalizeEmail).max(254).refine(isEmail, 'expected an email address'),
        active: flag,
        primary: flag,
        verified: flag,
      }),
    )
    .max(20)
    .nullish(),
});

function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  const result = schema.safeParse(body);
  if (!result.success) throw validationError(zodProblems(result.error.issues));
  return result.data;
}

export type UserStatus = 'active' | 'blocked' | 'deleted' | 'archived';

/** UserSearchSchema: the UserSchema plus the account's admin state. */
export interface UserSearchSchema extends UserSchema {
  archive: boolean;
  status: UserStatus;
  /** When deletion was requested (ISO); left out for a live account (published models type it a string). */
  deleted_on?: string;
  /** Our extension: when the grace period ends and the data is purged (ISO); left out when none. */
  delete_on?: string;
  /** Our extension: uids of the active user groups the shopper belongs to now. */
  user_groups: number[];
}

function status(row: AccountRow): UserStatus {
  if (row.deleted_at !== null) return 'deleted';
  if (row.archived === 1) return 'archived';
  if (row.active !== 1) return 'blocked';
  return 'active';
}

async function searchSchema(svc: ServiceInternals, row: AccountRow): Promise<UserSearchSchema> {
  return {
    ...(await svc.users.toSchema(row)),
    archive: row.archived === 1,
    status: status(row),
    ...(row.deleted_at !== null ? { deleted_on: new Date(row.deleted_at).toISOString() } : {}),
    ...(row.delete_on !== null ? { delete_on: new Date(row.delete_on).toISOString() } : {}),
    user_groups: await svc.userGroups.groupsOf(row.id),
  };
}

async function requireAccount(svc: ServiceInternals, id: string): Promise<AccountRow> {
  const user = await findAccount(svc, id);
  if (!user) throw userNotFound();
  return user;
}

/** Reads required query parameters, naming every missing one in a single 400. */
function requiredQuery<K extends string>(c: Context, names: readonly K[]): Record<K, string> {
  const problems: Problem[] = [];
  const out = {} as Record<K, string>;
  for (const name of names) {
    const value = c.req.query(name)?.trim();
    if (!value) problems.push({ path: name, message: 'is required' });
    else out[name] = value;
  }
  if (problems.length) throw validationError(problems);
  return out;
}

function positiveInt(c: Context, name: string, fallback: number, max: number, problems: Problem[]): number {
  const raw = c.req.query(name);
  if (raw === undefined || raw.trim() === '') return fallback;
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < 1 || Number(raw) > max) {
    problems.push({ path: name, message: `expected a whole number from 1 to ${max}` });
    return fallback;
  }
  return Number(raw);
}

const PHONE_SEPARATORS = /[\s\-.()+\u00a0]/g;

export function platformCustomerRoutes(svc: ServiceInternals): Hono {
  const app = new Hono();

  // ---- createUser -------------------------------------------------------------------------
  app.post('/', async (c) => {
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

    const passwordHash = input.password
      ? await queuedHash(svc.hashQueue, hashClient(c), c.req.raw.signal, () => hashPassword(input.password!, svc.passwordParams))
      : undefined;
    const { password: _password, phone_number: _phone, country_code: _country, ...fields } = input;
    const row = await svc.users.create({ ...fields, phone, passwordHash, verified: c.req.query('verified') === 'true' });
    svc.log(`admin user created user=${row.id} request_id=${c.get('requestId')}`);
    return c.json({ user: await svc.users.toSchema(row) });
  });

  // ---- getCustomers -----------------------------------------------------------------------
  app.get('/list', async (c) => {
    const problems: Problem[] = [];
    const size = positiveInt(c, 'page_size', 10, 100, problems);
    const current = positiveInt(c, 'page_no', 1, 1_000_000, problems);
    if (problems.length) throw validationError(problems);

    const q = c.req.query('q')?.trim() ?? '';
    // Names, username and email by substring; phones by their digits, with or without the country code.
    const digits = q.replace(PHONE_SEPARATORS, '');
    const query = q ? { text: q, digits: /^\d+$/.test(digits) ? digits : null } : undefined;
    const { rows, total } = await listCustomers(svc, query, { size, current });
    const items: UserSearchSchema[] = [];
    for (const r of rows) items.push(await searchSchema(svc, r));
    return c.json({
      items,
      page: { type: 'number', current, size, item_total: total, has_next: current * size < total },
    });
  });

  // ---- searchUsers ------------------------------------------------------------------------
  app.get('/search', async (c) => {
    const terms = [c.req.query('q'), ...(c.req.queries('query') ?? [])]
      .filter((t): t is string => typeof t === 'string')
      .map((t) => t.trim())
      .filter(Boolean);
    if (terms.length === 0) throw validationError([{ path: 'q', message: 'is required (an email address or a phone number)' }]);
    if (terms.length > 50) throw validationError([{ path: 'query', message: 'at most 50 search terms at a time' }]);
    const ids = new Set<string>();
    for (const term of terms) {
      let found: string[] = [];
      if (term.includes('@')) {
        found = await customerIdsFor(svc, { email: term });
      } else {
        const digits = term.replace(PHONE_SEPARATORS, '');
        if (/^\d{4,15}$/.test(digits)) found = await customerIdsFor(svc, { digits });
      }
      for (const id of found) ids.add(id);
    }
    const users: UserSearchSchema[] = [];
    for (const id of ids) {
      const u = await findAccount(svc, id);
      if (u) users.push(await searchSchema(svc, u));
    }
    return c.json({ users });
  });

  // ---- blockOrUnblockUsers ----------------------------------------------------------------
  app.put('/activation', async (c) => {
    const body = parseBody(activationSchema, await readJsonObject(c));
    const ids = [...new Set(body.user_id)];
    const reason = body.reason?.trim() ?? '';
    await setActivation(svc, ids, body.status, reason);
    svc.log(`admin users ${body.status ? 'unblocked' : 'blocked'} count=${ids.length} request_id=${c.get('requestId')}`);
    return c.json({ success: true });
  });

  // ---- archiveUser ------------------------------------------------------------------------
  // An archived account is also inactive, so every sign-in path and session check (which look at
  // `active`) refuses it; unblocking through /activation brings it back.
  app.put('/archive', async (c) => {
    const body = parseBody(archiveSchema, await readJsonObject(c));
    if (!(await archiveCustomer(svc, body.user_id))) throw userNotFound();
    svc.log(`admin user archived user=${body.user_id} request_id=${c.get('requestId')}`);
    return c.json({ success: true });
  });

  // ---- unDeleteUser -----------------------------------------------------------------------
  app.put('/undelete', async (c) => {
    const body = parseBody(undeleteSchema, await readJsonObject(c));
    await restoreUser(svc, {
      userId: body.user_id,
      ...(body.reason ? { reason: body.reason } : {}),
      ...(body.reason_id ? { reasonId: body.reason_id } : {}),
    });
    return c.json({ success: true });
  });

  // ---- createUserSession ------------------------------------------------------------------
  app.post('/session', async (c) => {
    const body = parseBody(createSessionSchema, await readJsonObject(c));
    const user = await requireAccount(svc, body.user_id);
    const refused = accountStateError(user);
    if (refused) throw refused;
    const policy = sessionPolicy(await svc.config.get());
    const lifetimeMs = body.max_age ? Math.min(body.max_age * 1000, MAX_SESSION_MS) : policy.lifetimeMs;
    const domain = body.domain || new URL(ownOrigin(c)).hostname;
    const { token, publicId } = await createAdminSession(svc, user.id, lifetimeMs, domain);
    svc.log(`admin session created user=${user.id} session=${publicId} request_id=${c.get('requestId')}`);
    return c.json({
      domain,
      max_age: Math.floor(lifetimeMs / 1000),
      // Whether the cookie this service sets for this request's origin carries Secure.
      secure: cookieIsSecure(c, svc.cookieSecure),
      http_only: true,
      // The contract's key, plus the name this service reads in secure mode (https or localhost):
      // there only __Host-f.session counts (Path=/, Secure, no Domain), which a sibling site cannot plant.
      cookie: { 'f.session': token, [SECURE_COOKIE_NAME]: token },
      cookie_name: cookieIsSecure(c, svc.cookieSecure) ? SECURE_COOKIE_NAME : PLAIN_COOKIE_NAME,
      session_id: publicId,
    });
  });

  // ---- getActiveSessions ------------------------------------------------------------------
  app.get('/sessions', async (c) => {
    const { id } = requiredQuery(c, ['id']);
    const user = await requireAccount(svc, id);
    const rows = await adminSessions(svc, user.id);
    return c.json({
      items: rows.map((r) => ({
        session_id: r.public_id,
        user_agent: r.user_agent,
        ip: r.ip,
        domain: r.domain,
        expire_in: new Date(r.expires_at).toISOString(),
        location: '',
        created_at: new Date(r.created_at).toISOString(),
        last_seen_at: new Date(r.last_seen_at).toISOString(),
      })),
    });
  });

  // ---- deleteSession ----------------------------------------------------------------------
  app.delete('/session', async (c) => {
    const q = requiredQuery(c, ['id', 'session_id', 'reason']);
    const user = await requireAccount(svc, q.id);
    if (!(await endAdminSession(svc, user.id, q.session_id))) throw new ApiError(404, 'SESSION_NOT_FOUND', 'This user has no session with this id');
    svc.log(`admin session ended user=${user.id} session=${q.session_id} request_id=${c.get('requestId')}`);
    return c.json({ user_id: user.id, session_id: q.session_id });
  });

  // ---- deleteActiveSessions ---------------------------------------------------------------
  app.delete('/sessions', async (c) => {
    const q = requiredQuery(c, ['id', 'reason']);
    const user = await requireAccount(svc, q.id);
    const sessionIds = await endAllAdminSessions(svc, user.id);
    svc.log(`admin sessions ended user=${user.id} count=${sessionIds.length} request_id=${c.get('requestId')}`);
    return c.json({ user_id: user.id, session_ids: sessionIds });
  });

  // ---- getUserTimeline --------------------------------------------------------------------
  app.get('/:user_id/timeline', async (c) => {
    const timeline = await userTimeline(svc, c.req.param('user_id'));
    if (!timeline) throw userNotFound();
    // delete_on is a string in the published timeline model: left out when no deletion is pending.
    const { delete_on: deleteOn, ...rest } = timeline;
    return c.json(deleteOn !== null ? timeline : rest);
  });

  // ---- updateUser -------------------------------------------------------------------------
  app.put('/:user_id', async (c) => {
    const body = parseBody(updateUserSchema, await readJsonObject(c));
    const user = await requireAccount(svc, c.req.param('user_id'));
    const problems: Problem[] = [];
    const phones = body.phone_numbers ? parsePhones(body.phone_numbers, problems) : undefined;
    const emails = body.emails ? checkEmails(body.emails, problems) : undefined;
    if (problems.length) throw validationError(problems);

    const columns: [string, Param][] = [];
    // Omitted or null: unchanged. "": cleared.
    if (typeof body.first_name === 'string') columns.push(['first_name', body.first_name]);
    if (typeof body.last_name === 'string') columns.push(['last_name', body.last_name]);
    if (typeof body.gender === 'string') columns.push(['gender', body.gender || null]);
    if (typeof body.dob === 'string') columns.push(['dob', body.dob || null]);
    if (typeof body.external_id === 'string') columns.push(['external_id', body.external_id || null]);
    if (typeof body.rr_id === 'string') columns.push(['rr_id', body.rr_id || null]);
    if (body.meta) columns.push(['meta', JSON.stringify(body.meta)]);
    await updateCustomer(svc, user, columns, emails, phones);
    svc.log(`admin user updated user=${user.id} fields=${logKeys(body)} request_id=${c.get('requestId')}`);
    return c.json({ user: await svc.users.toSchema((await svc.users.findById(user.id))!) });
  });

  return app;
}

// ---- updateUser helpers: contact lists ----------------------------------------------------------

interface ContactFlags {
  active?: boolean | undefined;
  primary?: boolean | undefined;
  verified?: boolean | undefined;
}

function parsePhones(
  list: (ContactFlags & { phone: string; country_code?: string | number | null | undefined })[],
  problems: Problem[],
): PhoneInput[] {
  const out: PhoneInput[] = [];
  const seen = new Set<string>();
  list.forEach((entry, i) => {
    let code = DEFAULT_COUNTRY_CODE;
    if (entry.country_code !== undefined && entry.country_code !== null && entry.country_code !== '') {
      const parsed = parseCountryCode(entry.country_code);
      if (parsed === null) {
        problems.push({ path: `phone_numbers[${i}].country_code`, message: 'expected a country calling code like 91 or "+1"' });
        return;
      }
      code = parsed;
    }
    const phone = parsePhone(entry.phone, code);
    if (!phone) {
      problems.push({ path: `phone_numbers[${i}].phone`, message: 'expected a phone number like "9876543210" or "+91 98765 43210"' });
      return;
    }
    const key = `${phone.country_code}:${phone.phone}`;
    if (seen.has(key)) problems.push({ path: `phone_numbers[${i}].phone`, message: 'is listed twice' });
    seen.add(key);
    out.push({ ...phone, active: entry.active, primary: entry.primary, verified: entry.verified });
  });
  if (out.filter((p) => p.primary).length > 1) problems.push({ path: 'phone_numbers', message: 'only one phone number can be primary' });
  return out;
}

function checkEmails(list: EmailInput[], problems: Problem[]): EmailInput[] {
  const seen = new Set<string>();
  list.forEach((entry, i) => {
    const key = entry.email.toLowerCase();
    if (seen.has(key)) problems.push({ path: `emails[${i}].email`, message: 'is listed twice' });
    seen.add(key);
  });
  if (list.filter((e) => e.primary).length > 1) problems.push({ path: 'emails', message: 'only one email can be primary' });
  return list;
}

