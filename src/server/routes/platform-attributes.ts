// The admin (platform) user-attribute operations (api-contract section 2, "User attributes"), under
// .../application/{a}/user_attribute: definitions (create, list with filters, read, update,
// delete) and users' values (per definition and user, per user, in bulk, by value id). Mounted
// at PLATFORM_BASE next to platformRoutes, behind the admin bearer-token guard (http/admin-auth.ts).
import { Hono, type Context } from 'hono';
import {
  removeValues,
  writeValues,
  ATTRIBUTE_TYPES,
  checkValue,
  createDefinition,
  definitionSchema,
  deleteDefinition,
  findDefinition,
  findValue,
  findValueById,
  isEmpty,
  listDefinitions,
  putValue,
  readDefinitionInput,
  removeValue,
  requireDefinition,
  updateDefinition,
  userValues,
  type Definition,
  type DefinitionFilter,
} from '../services/attributes';
import type { ServiceInternals } from '../context';
import { findAccount, userNotFound } from '../services/deletion';
import { ApiError, validationError } from '../shared/errors';
import { readJsonObject } from '../http/body';
import { logKeys } from '../shared/log';

type Problem = { path: string; message: string };

/** Admin writes are recorded as made by "admin": the bearer token names no person. */
const ADMIN = 'admin';
const BULK_MAX = 100;
/**
 * The seed answers both deletes with SuccessMessageResponse, whose `success` is a String (unlike
 * the customers' BlockUserSuccess and friends, where it is a Bool), so a strict client gets "true".
 */
const DELETED = { success: 'true' } as const;

function attributeNotFound(): ApiError {
  return new ApiError(404, 'ATTRIBUTE_NOT_FOUND', 'This user has no value for this attribute');
}

async function requireUser(svc: ServiceInternals, userId: string): Promise<void> {
  if (!(await findAccount(svc, userId))) throw userNotFound();
}

function boolQuery(c: Context, name: string, problems: Problem[]): boolean | undefined {
  const raw = c.req.query(name)?.trim();
  if (raw === undefined || raw === '') return undefined;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  problems.push({ path: name, message: 'expected true or false' });
  return undefined;
}

function pageQuery(c: Context, problems: Problem[]): { size: number; current: number } {
  const read = (name: string, fallback: number, max: number): number => {
    const raw = c.req.query(name)?.trim();
    if (raw === undefined || raw === '') return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > max) {
      problems.push({ path: name, message: `expected a whole number from 1 to ${max}` });
      return fallback;
    }
    return Number(raw);
  };
  return { size: read('page_size', 10, 100), current: read('page_no', 1, 1_000_000) };
}

function page(p: { size: number; current: number }, total: number) {
  return { type: 'number', current: p.current, size: p.size, item_total: total, has_next: p.current * p.size < total };
}

/**
 * A value from an admin body: the seed's CreateUserAttributeRequest `{ customer_overriden,
 * attribute: { value } }`, or simply `{ value }`. The seed spells the flag customer_overriden;
 * some published clients send customer_overridden: both are read, and must agree when both come.
 */
function readAdminValue(body: Record<string, unknown>): { value: unknown; customerOverridden: boolean } {
  const attribute = body['attribute'];
  let value: unknown;
  if (attribute !== undefined && attribute !== null) {
    if (typeof attribute !== 'object' || Array.isArray(attribute) || !('value' in attribute)) {
      throw validationError([{ path: 'attribute', message: 'expected { value }' }]);
    }
    value = (attribute as { value: unknown }).value;
  } else if ('value' in body) {
    value = body['value'];
  } else {
    throw validationError([{ path: 'attribute.value', message: 'is required' }]);
  }
  const problems: Problem[] = [];
  const flags: boolean[] = [];
  for (const key of ['customer_overriden', 'customer_overridden']) {
    const flag = body[key];
    if (flag === undefined || flag === null) continue;
    if (typeof flag !== 'boolean') problems.push({ path: key, message: 'expected true or false' });
    else flags.push(flag);
  }
  if (flags.length === 2 && flags[0] !== flags[1]) {
    problems.push({ path: 'customer_overridden', message: 'disagrees with customer_overriden' });
  }
  if (problems.length) throw validationError(problems);
  return { value, customerOverridden: flags[0] === true };
}

export function platformAttributeRoutes(svc: ServiceInternals): Hono {
  const app = new Hono();

  // ---- definitions ------------------------------------------------------------------------------

  app.post('/user_attribute/definition', async (c) => {
    const input = readDefinitionInput(await readJsonObject(c), 'create');
    const d = await createDefinition(svc, input, ADMIN);
    svc.log(`admin attribute definition created definition=${d.id} slug=${d.slug} request_id=${c.get('requestId')}`);
    return c.json(definitionSchema(d));
  });

  app.get('/user_attribute/definition', async (c) => {
    const problems: Problem[] = [];
    const filter: DefinitionFilter = {};
    for (const flag of ['customer_editable', 'pinned', 'encrypted', 'is_locked'] as const) {
      const value = boolQuery(c, flag, problems);
      if (value !== undefined) filter[flag] = value;
    }
    const slug = c.req.query('slug')?.trim();
    if (slug) filter.slug = slug;
    const type = c.req.query('type')?.trim();
    if (type) {
      if ((ATTRIBUTE_TYPES as readonly string[]).includes(type)) filter.type = type;
      else problems.push({ path: 'type', message: `expected one of ${ATTRIBUTE_TYPES.join(', ')}` });
    }
    const name = c.req.query('name')?.trim();
    if (name) filter.name = name;
    const pinOrder = c.req.query('pin_order')?.trim();
    if (pinOrder) {
      if (Number.isFinite(Number(pinOrder))) filter.pin_order = Number(pinOrder);
      else problems.push({ path: 'pin_order', message: 'expected a number' });
    }
    const excluding = c.req.query('excluding_ids');
    if (excluding) filter.excluding_ids = excluding.split(',').map((s) => s.trim()).filter(Boolean).slice(0, 1000);
    const p = pageQuery(c, problems);
    if (problems.length) throw validationError(problems);
    const { items, total } = await listDefinitions(svc, filter, p);
    return c.json({ items: items.map(definitionSchema), page: page(p, total) });
  });

  app.get('/user_attribute/definition/:id', async (c) => c.json(definitionSchema(await requireDefinition(svc, c.req.param('id')))));

  app.put('/user_attribute/definition/:id', async (c) => {
    const body = await readJsonObject(c);
    // 404 before 400: a body problem does not matter when there is nothing to update.
    await requireDefinition(svc, c.req.param('id'));
    const d = await updateDefinition(svc, c.req.param('id'), readDefinitionInput(body, 'update'), ADMIN);
    svc.log(`admin attribute definition updated definition=${d.id} fields=${logKeys(body)} request_id=${c.get('requestId')}`);
    return c.json(definitionSchema(d));
  });

  app.delete('/user_attribute/definition/:id', async (c) => {
    const id = c.req.param('id');
    const values = await deleteDefinition(svc, id);
    svc.log(`admin attribute definition deleted definition=${id} values=${values} request_id=${c.get('requestId')}`);
    return c.json(DELETED);
  });

  // ---- one user's value of one definition ---------------------------------------------------------

  app.get('/user_attribute/definition/:id/user/:user_id', async (c) => {
    const d = await requireDefinition(svc, c.req.param('id'));
    await requireUser(svc, c.req.param('user_id'));
    const value = await findValue(svc, d.id, c.req.param('user_id'));
    if (!value) throw attributeNotFound();
    return c.json(value);
  });

  app.put('/user_attribute/definition/:id/user/:user_id', async (c) => {
    const body = await readJsonObject(c);
    const d = await requireDefinition(svc, c.req.param('id'));
    const userId = c.req.param('user_id');
    await requireUser(svc, userId);
    const { value, customerOverridden } = readAdminValue(body);
    const checked = checkValue(d, value, 'attribute.value');
    if (!checked.ok) throw validationError(checked.problems);
    await putValue(svc, d, userId, checked.value, { by: ADMIN, customerOverridden });
    svc.log(`admin attribute set definition=${d.id} user=${userId} request_id=${c.get('requestId')}`);
    return c.json((await findValue(svc, d.id, userId))!);
  });

  app.delete('/user_attribute/definition/:id/user/:user_id', async (c) => {
    const d = await requireDefinition(svc, c.req.param('id'));
    const userId = c.req.param('user_id');
    await requireUser(svc, userId);
    if (!(await removeValue(svc, d.id, userId))) throw attributeNotFound();
    svc.log(`admin attribute removed definition=${d.id} user=${userId} request_id=${c.get('requestId')}`);
    return c.json(DELETED);
  });

  // ---- all of one user's values -------------------------------------------------------------------

  app.get('/user_attribute/user/:user_id', async (c) => {
    const userId = c.req.param('user_id');
    await requireUser(svc, userId);
    const problems: Problem[] = [];
    const p = pageQuery(c, problems);
    if (problems.length) throw validationError(problems);
    const { items, total } = await userValues(svc, userId, { page: p });
    return c.json({ items, page: page(p, total) });
  });

  /**
   * Bulk write: `{ attributes: [{ definition_id, value }] }`, all or nothing. A null (or "", [])
   * value removes the user's value. Answers all of the user's values.
   */
  app.post('/user_attribute/user/:user_id', async (c) => {
    const body = await readJsonObject(c);
    const userId = c.req.param('user_id');
    await requireUser(svc, userId);
    const list = body['attributes'];
    if (!Array.isArray(list) || list.length === 0 || list.length > BULK_MAX) {
      throw validationError([{ path: 'attributes', message: `expected a list of 1 to ${BULK_MAX} { definition_id, value }` }]);
    }
    const problems: Problem[] = [];
    const missing: string[] = [];
    const writes: { d: Definition; value: unknown }[] = [];
    const removals: Definition[] = [];
    const seen = new Set<string>();
    for (const [i, entry] of (list as unknown[]).entries()) {
      const path = `attributes[${i}]`;
      if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
        problems.push({ path, message: 'expected { definition_id, value }' });
        continue;
      }
      const { definition_id: id, value } = entry as { definition_id?: unknown; value?: unknown };
      if (typeof id !== 'string' || id === '') {
        problems.push({ path: `${path}.definition_id`, message: 'is required' });
        continue;
      }
      if (seen.has(id)) {
        problems.push({ path: `${path}.definition_id`, message: 'is listed twice' });
        continue;
      }
      seen.add(id);
      const d = await findDefinition(svc, id);
      if (!d) {
        missing.push(id);
        continue;
      }
      // Admins may remove any value, required or not, as the DELETE endpoints also allow.
      if (isEmpty(value)) {
        removals.push(d);
        continue;
      }
      const checked = checkValue(d, value, `${path}.value`);
      if (checked.ok) writes.push({ d, value: checked.value });
      else problems.push(...checked.problems);
    }
    if (problems.length) throw validationError(problems);
    if (missing.length) {
      throw new ApiError(404, 'ATTRIBUTE_DEFINITION_NOT_FOUND', `No user attribute definition with id ${missing.join(', ')}`, {
        meta: { definition_ids: missing },
      });
    }
    await writeValues(svc, userId, writes.map(({ d, value }) => ({ definition: d, value })), removals, { by: ADMIN, customerOverridden: false });
    svc.log(`admin attributes bulk user=${userId} set=${writes.length} removed=${removals.length} request_id=${c.get('requestId')}`);
    return c.json({ items: (await userValues(svc, userId)).items });
  });

  /** `{ definition_ids: [...] }`: removes those values of the user; unknown ids are skipped. */
  app.delete('/user_attribute/user/:user_id', async (c) => {
    const body = await readJsonObject(c);
    const userId = c.req.param('user_id');
    await requireUser(svc, userId);
    const ids = body['definition_ids'];
    if (!Array.isArray(ids) || ids.length === 0 || ids.length > BULK_MAX || !ids.every((id) => typeof id === 'string' && id !== '')) {
      throw validationError([{ path: 'definition_ids', message: `expected a list of 1 to ${BULK_MAX} definition ids` }]);
    }
    const removed = await removeValues(svc, userId, ids as string[]);
    svc.log(`admin attributes removed user=${userId} count=${removed} request_id=${c.get('requestId')}`);
    // The published client checks this answer as SuccessMessage, whose `success` is a string.
    return c.json({ success: 'true', removed });
  });

  app.get('/user_attribute/attribute/:attribute_id', async (c) => {
    const value = await findValueById(svc, c.req.param('attribute_id'));
    if (!value) throw attributeNotFound();
    return c.json(value);
  });

  return app;
}
