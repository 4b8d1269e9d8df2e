// The shopper's own custom attributes (api-contract 3c "Attributes"), under /service/application/user:
// - GET /profile/v1.0/attributes/definition: the definitions a shopper may edit, in form order;
// - GET /profile/v1.0/user-attributes[?slug=a,b]: their values, as { slug: value };
// - PATCH /profile/v1.0/user-attributes { attributes: { slug: value | null } }: set or remove.
// Only shopper-editable definitions are visible or writable here; admins use platform-attributes.ts.
import { Hono, type Context } from 'hono';
import {
  writeValues,
  checkValue,
  definitionSchema,
  isEmpty,
  listDefinitions,
  removable,
  userValues,
  type Definition,
} from '../services/attributes';
import type { ServiceInternals } from '../context';
import { ApiError, validationError } from '../shared/errors';
import { readJsonObject } from '../http/body';
import { requireSession } from '../http/auth-session';

/** More keys than any form has: a guard against oversized bodies, not a product limit. */
const PATCH_KEYS_MAX = 100;

async function valuesBySlug(svc: ServiceInternals, userId: string, slugs?: string[]): Promise<Record<string, unknown>> {
  const { items } = await userValues(svc, userId, { editableOnly: true, ...(slugs ? { slugs } : {}) });
  return Object.fromEntries(items.map((v) => [v.slug, v.attribute.value]));
}

/** `?slug=a&slug=b` and `?slug=a,b` both work; no slug means every attribute. */
function slugFilter(c: Context): string[] | undefined {
  const raw = c.req.queries('slug');
  if (!raw) return undefined;
  const slugs = raw.flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
  return slugs.length ? slugs : undefined;
}

export function attributeRoutes(svc: ServiceInternals): Hono {
  const app = new Hono();

  app.get('/profile/v1.0/attributes/definition', async (c) => {
    await requireSession(svc, c);
    const { items } = await listDefinitions(svc, { customer_editable: true });
    return c.json({ items: items.map(definitionSchema) });
  });

  app.get('/profile/v1.0/user-attributes', async (c) => {
    const { user } = await requireSession(svc, c);
    return c.json({ attributes: await valuesBySlug(svc, user.id, slugFilter(c)) });
  });

  app.patch('/profile/v1.0/user-attributes', async (c) => {
    const { user } = await requireSession(svc, c);
    const body = await readJsonObject(c);
    const attributes = body['attributes'];
    if (attributes === null || typeof attributes !== 'object' || Array.isArray(attributes)) {
      throw validationError([{ path: 'attributes', message: 'expected an object of { slug: value }' }]);
    }
    const entries = Object.entries(attributes as Record<string, unknown>);
    if (entries.length > PATCH_KEYS_MAX) throw validationError([{ path: 'attributes', message: `at most ${PATCH_KEYS_MAX} attributes at a time` }]);

    const editable = new Map((await listDefinitions(svc, { customer_editable: true })).items.map((d) => [d.slug, d]));
    // Unknown and admin-only slugs get the same answer, so the shopper learns nothing about the latter.
    const refused = entries.map(([slug]) => slug).filter((slug) => !editable.has(slug));
    if (refused.length) {
      throw new ApiError(400, 'ATTRIBUTE_NOT_EDITABLE', `These attributes cannot be changed: ${refused.join(', ')}`, { meta: { slugs: refused } });
    }

    // Everything is checked before anything is written: one bad value changes nothing.
    const problems: { path: string; message: string }[] = [];
    const writes: { definition: Definition; value: unknown }[] = [];
    const removals: Definition[] = [];
    for (const [slug, raw] of entries) {
      const definition = editable.get(slug)!;
      const path = `attributes.${slug}`;
      // null removes; so do "" and [], which is what a cleared form field sends.
      if (isEmpty(raw)) {
        if (removable(definition)) removals.push(definition);
        else problems.push({ path, message: 'is required' });
        continue;
      }
      const checked = checkValue(definition, raw, path);
      if (checked.ok) writes.push({ definition, value: checked.value });
      else problems.push(...checked.problems);
    }
    if (problems.length) throw validationError(problems);

    await writeValues(svc, user.id, writes, removals, { by: user.id, customerOverridden: true });
    if (entries.length) {
      svc.log(`profile attributes updated slugs=${entries.map(([s]) => s).join(',')} user=${user.id} request_id=${c.get('requestId')}`);
    }
    return c.json({ attributes: await valuesBySlug(svc, user.id) });
  });

  return app;
}
