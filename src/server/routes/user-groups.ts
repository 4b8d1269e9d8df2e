// The admin user-group operations under .../application/{a}/user_group (seed: createUserGroup,
// getUserGroups, getUserGroupById, updateUserGroup, updateUserGroupPartially), plus our
// extensions: DELETE (as the published client has it), the member list and the CSV of rows a
// load could not apply. Thin: bodies are parsed with zod, services/user-groups.ts decides, and
// this file shapes UserGroupResponseSchema. Mounted by app.ts under PLATFORM_BASE, behind the admin token guard (http/admin-auth.ts).
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { platformBase, type ServiceInternals } from '../context';
import { ApiError, validationError } from '../shared/errors';
import { CONDITION_TYPES, type GroupFilter, type Page, type UserGroup } from '../services/user-groups';
import { parseOrThrow } from '../shared/validation';
import { readJsonObject } from '../http/body';
import type { UserSchema } from '../services/users';

type Deps = Pick<ServiceInternals, 'userGroups' | 'users' | 'companyId' | 'applicationId' | 'log'>;

/** The seed marks every optional field nullable; null means "not given". */
function opt<T extends z.ZodType>(schema: T) {
  return schema.nullish().transform((v) => v ?? undefined);
}

const name = z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters');
const description = z.string().trim().max(1000, 'must be at most 1000 characters');
const fileUrl = z.string().trim().min(1, 'must not be empty').max(2048, 'must be at most 2048 characters');
const groupType = z.enum(['conditional', 'bulk'], { error: 'expected conditional or bulk' });

const condition = z.strictObject({
  user_attribute_definition_id: z.string().trim().min(1, 'is required').max(64),
  type: z.enum(CONDITION_TYPES, { error: `expected one of ${CONDITION_TYPES.join(', ')}` }),
  value: z.union([z.string().max(1000), z.number(), z.boolean()], { error: 'expected text, a number or true/false' }),
  ignore_year: opt(z.boolean()),
});
const conditions = z.array(condition).max(20, 'at most 20 conditions');

const createSchema = z.strictObject({
  name,
  description,
  type: opt(groupType),
  conditions: opt(conditions),
  file_url: opt(fileUrl),
  // Our extension: a group can be made inactive (it then counts for nobody).
  is_active: opt(z.boolean()),
});

const updateSchema = z.strictObject({
  name: opt(name),
  description: opt(description),
  type: opt(groupType),
  conditions: opt(conditions),
  file_url: opt(fileUrl),
  is_active: opt(z.boolean()),
});

const userDataRow = z
  .strictObject({
    user_id: opt(z.string().trim().max(64)),
    email: opt(z.string().trim().max(254)),
    phone_number: opt(z.string().trim().max(32)),
    action: z.enum(['add', 'remove'], { error: 'expected add or remove' }),
  })
  .refine((r) => !!(r.user_id || r.email || r.phone_number), 'needs a phone_number, email or user_id');

const patchSchema = z.strictObject({
  type: opt(z.enum(['json', 'file_url'], { error: 'expected json or file_url' })),
  name: opt(name),
  description: opt(description),
  file_url: opt(fileUrl),
  user_data: opt(z.array(userDataRow).max(10_000, 'at most 10000 rows at a time')),
  is_active: opt(z.boolean()),
});

const STATUSES = ['pending', 'completed', 'failed'] as const;

function pageOf(c: Context): Page {
  const problems: { path: string; message: string }[] = [];
  const int = (key: string, fallback: number, max: number): number => {
    const raw = c.req.query(key)?.trim();
    if (!raw) return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > max) {
      problems.push({ path: key, message: `expected a whole number from 1 to ${max}` });
      return fallback;
    }
    return Number(raw);
  };
  const page = { size: int('page_size', 10, 100), current: int('page_no', 1, 1_000_000) };
  if (problems.length) throw validationError(problems);
  return page;
}

function filterOf(c: Context): GroupFilter {
  const problems: { path: string; message: string }[] = [];
  const filter: GroupFilter = {};
  const q = (key: string): string | undefined => c.req.query(key)?.trim() || undefined;
  const nameQ = q('name');
  if (nameQ !== undefined) filter.name = nameQ.slice(0, 100);
  const type = q('type');
  if (type !== undefined) {
    if (type === 'conditional' || type === 'bulk') filter.type = type;
    else problems.push({ path: 'type', message: 'expected conditional or bulk' });
  }
  const status = q('status');
  if (status !== undefined) {
    if ((STATUSES as readonly string[]).includes(status)) filter.status = status as GroupFilter['status'];
    else problems.push({ path: 'status', message: `expected one of ${STATUSES.join(', ')}` });
  }
  const uid = q('group_uid');
  if (uid !== undefined) {
    if (/^\d{1,15}$/.test(uid)) filter.uid = Number(uid);
    else problems.push({ path: 'group_uid', message: 'expected a whole number' });
  }
  if (problems.length) throw validationError(problems);
  return filter;
}

function pageSchema(page: Page, total: number): Record<string, unknown> {
  return { type: 'number', current: page.current, size: page.size, item_total: total, has_next: page.current * page.size < total };
}

export function userGroupRoutes(svc: Deps): Hono {
  const app = new Hono();
  const groups = svc.userGroups;
  const base = `${platformBase(svc.companyId, svc.applicationId)}/user_group`;

  /** UserGroupResponseSchema, in the seed example's key order; fields without a value are left out. */
  const shape = (g: UserGroup): Record<string, unknown> => ({
    is_active: g.isActive,
    _id: g.id,
    name: g.name,
    description: g.description,
    ...(g.fileUrl !== null ? { file_url: g.fileUrl } : {}),
    status: g.status,
    uid: g.uid,
    type: g.type,
    ...(g.type === 'conditional' ? { conditions: g.conditions } : {}),
    error: {
      count: g.errorCount,
      // A path on this service (its own host is not trusted from the request).
      ...(g.hasErrorReport ? { file_url: `${base}/${g.uid}/errors.csv` } : {}),
      // Our extension: why the last file could not be loaded (status failed).
      ...(g.failure !== null ? { message: g.failure } : {}),
    },
    application_id: g.applicationId,
    created_at: new Date(g.createdAt).toISOString(),
    modified_at: new Date(g.updatedAt).toISOString(),
    __v: g.version,
  });

  app.post('/', async (c) => {
    const input = parseOrThrow(createSchema, await readJsonObject(c));
    return c.json(shape(await groups.create(input)));
  });

  app.get('/', async (c) => {
    const page = pageOf(c);
    const { items, total } = await groups.list(filterOf(c), page);
    return c.json({ items: items.map(shape), page: pageSchema(page, total) });
  });

  app.get('/:group_id', async (c) => c.json(shape(await groups.get(c.req.param('group_id')))));

  app.put('/:group_id', async (c) => {
    const input = parseOrThrow(updateSchema, await readJsonObject(c));
    return c.json(shape(await groups.update(c.req.param('group_id'), input)));
  });

  app.patch('/:group_id', async (c) => {
    const input = parseOrThrow(patchSchema, await readJsonObject(c));
    return c.json(shape(await groups.patch(c.req.param('group_id'), input)));
  });

  // Extension (the published platform client has it; the seed does not).
  app.delete('/:group_id', async (c) => {
    const g = await groups.remove(c.req.param('group_id'));
    svc.log(`admin user group deleted uid=${g.uid} request_id=${c.get('requestId')}`);
    return c.json({ id: g.id, success: true });
  });

  // Extension: the members, live accounts only, as UserSchema.
  app.get('/:group_id/users', async (c) => {
    const page = pageOf(c);
    const { userIds, total } = await groups.members(c.req.param('group_id'), page);
    const items: UserSchema[] = [];
    for (const id of userIds) {
      const row = await svc.users.findById(id);
      if (row) items.push(await svc.users.toSchema(row));
    }
    return c.json({ items, page: pageSchema(page, total) });
  });

  // Extension: the rows the last load could not apply (error.file_url points here).
  app.get('/:group_id/errors.csv', async (c) => {
    const group = await groups.get(c.req.param('group_id'));
    const report = await groups.errorReport(String(group.uid));
    if (report === undefined) throw new ApiError(404, 'ERROR_REPORT_NOT_FOUND', 'The last load of this group had no rows to report');
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="user-group-${group.uid}-errors.csv"`);
    return c.body(report);
  });

  return app;
}
