// Custom user attributes: definitions an admin declares per application (name, slug, type,
// validations, whether shoppers may edit it, pinning) and the values each user has for them.
// Both the admin API (routes/platform-attributes.ts) and the shopper's profile API
// (routes/attributes.ts) go through here, so a value is checked against its definition the same
// way whoever writes it. Wire names follow the seed's UserAttributeDefinition and
// UserAttributeResponse schemas (snake_case).
import type { ServiceInternals } from '../context';
import { ApiError, validationError } from '../shared/errors';
import { objectId } from '../shared/ids';
import {
  anyDefinition,
  countValues,
  definitionById,
  deleteDefinitionRow,
  deleteValue,
  insertDefinition,
  selectDefinitions,
  selectUserValues,
  slugInUse,
  updateDefinitionRow,
  upsertValue,
  valueById,
  valueOf,
  type DefinitionColumns,
  type DefinitionQuery,
  type DefinitionRow as StoredDefinitionRow,
  type JoinedValueRow,
} from '../store/attributes';
import { isUniqueViolation } from '../store/constraint';

export type AttributeContext = Pick<ServiceInternals, 'sql' | 'applicationId' | 'now' | 'log'>;
type Problem = { path: string; message: string };

export const ATTRIBUTE_TYPES = ['string', 'number', 'boolean', 'date', 'enum'] as const;
export type AttributeType = (typeof ATTRIBUTE_TYPES)[number];
export const VALIDATION_TYPES = ['required', 'min', 'max', 'min_length', 'max_length', 'regex', 'enum'] as const;
export type ValidationType = (typeof VALIDATION_TYPES)[number];

/** Which validations make sense for which type; anything else is refused when a definition is saved. */
const VALIDATIONS_FOR: Record<AttributeType, readonly ValidationType[]> = {
  // min/max on a string bound its length, as the seed's own example (`{ type: "min", value: 1 }` on a
  // string attribute) uses them; min_length/max_length say the same thing explicitly.
  string: ['required', 'min', 'max', 'min_length', 'max_length', 'regex'],
  number: ['required', 'min', 'max'],
  boolean: ['required'],
  date: ['required', 'min', 'max'],
  enum: ['required', 'enum'],
};

export interface Validation {
  type: ValidationType;
  value: unknown;
}

// Limits that keep one definition or one value from growing without bound.
const NAME_MAX = 100;
const DESCRIPTION_MAX = 1000;
const SLUG = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const REGEX_MAX = 500;
const ENUM_OPTIONS_MAX = 200;
const ENUM_OPTION_MAX = 200;
/** A string value may never be longer than this, whatever its validations say. */
export const STRING_VALUE_MAX = 1000;
const MULTI_VALUE_MAX = 100;
const VALIDATIONS_MAX = 10;

type DefinitionRow = Omit<StoredDefinitionRow, 'type'> & { type: AttributeType };

/**
 * Fields newer platform clients send on a definition that the seed does not list. They are stored
 * and returned as sent (within the bounds readDefinitionInput checks) but change no behaviour here.
 */
export interface DefinitionExtras {
  icon?: string;
  ordering_channels?: string[];
  masking?: boolean | Record<string, unknown>;
  registration?: boolean | Record<string, unknown>;
}
const EXTRA_KEYS = ['icon', 'ordering_channels', 'masking', 'registration'] as const;

/** A definition as stored, with its JSON columns read back. */
export interface Definition extends Omit<DefinitionRow, 'validations' | 'default_value' | 'extras'> {
  validations: Validation[];
  default_value: unknown;
  extras: DefinitionExtras;
}

/**
 * The wire shape (seed UserAttributeDefinition), plus default_value, updated_at, is_multi_value
 * (newer clients' name for multi_value) and the extras. A field with no value is left out rather
 * than sent as null, since the published models type these as strings and numbers.
 */
export interface DefinitionSchema extends DefinitionExtras {
  _id: string;
  name: string;
  slug: string;
  description: string;
  application_id: string;
  type: AttributeType;
  multi_value: boolean;
  customer_editable: boolean;
  encrypted: boolean;
  pinned: boolean;
  is_multi_value: boolean;
  pin_order?: number;
  is_locked: boolean;
  validations: Validation[];
  default_value?: unknown;
  created_by?: string;
  updated_by?: string;
  created_at: string;
  modified_at: string;
  updated_at: string;
  __v: number;
}

/** Seed UserAttributeResponse, plus definition_id and slug so a client need not look them up. */
export interface AttributeValueSchema {
  _id: string;
  definition_id: string;
  name: string;
  slug: string;
  user_id: string;
  application_id: string;
  type: AttributeType;
  /** Spelled as the seed spells it. */
  customer_overriden: boolean;
  attribute: { value: unknown };
  updated_by: string;
  created_at: string;
  modified_at: string;
}

// ---- reading definitions -------------------------------------------------------------------------

function readRow(row: DefinitionRow): Definition {
  return {
    ...row,
    validations: JSON.parse(row.validations) as Validation[],
    default_value: row.default_value === null ? null : (JSON.parse(row.default_value) as unknown),
    extras: JSON.parse(row.extras) as DefinitionExtras,
  };
}

export function definitionSchema(d: Definition): DefinitionSchema {
  const modified = new Date(d.updated_at).toISOString();
  return {
    _id: d.id,
    name: d.name,
    slug: d.slug,
    description: d.description,
    application_id: d.application_id,
    type: d.type,
    multi_value: d.multi_value === 1,
    is_multi_value: d.multi_value === 1,
    customer_editable: d.customer_editable === 1,
    encrypted: d.encrypted === 1,
    pinned: d.pinned === 1,
    ...(d.pin_order !== null ? { pin_order: d.pin_order } : {}),
    is_locked: d.is_locked === 1,
    validations: d.validations,
    ...(d.default_value !== null && d.default_value !== undefined ? { default_value: d.default_value } : {}),
    ...(d.created_by !== null ? { created_by: d.created_by } : {}),
    ...(d.updated_by !== null ? { updated_by: d.updated_by } : {}),
    ...d.extras,
    created_at: new Date(d.created_at).toISOString(),
    modified_at: modified,
    updated_at: modified,
    __v: d.version,
  };
}

export async function findDefinition(svc: Pick<AttributeContext, 'sql' | 'applicationId'>, id: string): Promise<Definition | undefined> {
  const row = (await definitionById(svc.sql, svc.applicationId, id)) as DefinitionRow | undefined;
  return row ? readRow(row) : undefined;
}

export async function requireDefinition(svc: Pick<AttributeContext, 'sql' | 'applicationId'>, id: string): Promise<Definition> {
  const d = await findDefinition(svc, id);
  if (!d) throw definitionNotFound();
  return d;
}

/** A definition changed between checking a value against it and writing the value. */
export function definitionChanged(): ApiError {
  return new ApiError(409, 'ATTRIBUTE_DEFINITION_CHANGED', 'This attribute changed while your value was being saved. Reload and try again.');
}

export function definitionNotFound(): ApiError {
  return new ApiError(404, 'ATTRIBUTE_DEFINITION_NOT_FOUND', 'No user attribute definition with this id');
}

export type DefinitionFilter = DefinitionQuery;

export async function listDefinitions(
  svc: Pick<AttributeContext, 'sql' | 'applicationId'>,
  filter: DefinitionFilter,
  page?: { size: number; current: number },
): Promise<{ items: Definition[]; total: number }> {
  const { rows, total } = await selectDefinitions(svc.sql, svc.applicationId, filter, page);
  return { items: (rows as DefinitionRow[]).map(readRow), total };
}

// ---- writing definitions -------------------------------------------------------------------------

/** What a create or update may set; an update leaves out what it does not change. */
export interface DefinitionInput {
  name?: string;
  slug?: string;
  description?: string;
  type?: AttributeType;
  multi_value?: boolean;
  customer_editable?: boolean;
  encrypted?: boolean;
  pinned?: boolean;
  pin_order?: number | null;
  is_locked?: boolean;
  validations?: Validation[];
  default_value?: unknown;
  /** Only the extras the body named; null in the body removes one. */
  extras?: { [K in keyof DefinitionExtras]: DefinitionExtras[K] | null };
}

const FLAGS = ['multi_value', 'customer_editable', 'encrypted', 'pinned', 'is_locked'] as const;

/** "Shoe size" -> "shoe_size": the slug a definition gets when the admin gives none. */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 64)
    .replace(/_+$/, '');
  return slug || 'attribute';
}

/**
 * Reads a definition body (seed CreateUserAttributeDefinition, snake_case). Every problem is
 * collected and reported at once. `mode: 'create'` requires name and type.
 */
export function readDefinitionInput(body: Record<string, unknown>, mode: 'create' | 'update'): DefinitionInput {
  const problems: Problem[] = [];
  const out: DefinitionInput = {};

  const text = (field: 'name' | 'description', max: number, required: boolean): void => {
    const raw = body[field];
    if (raw === undefined || raw === null) {
      if (required) problems.push({ path: field, message: 'is required' });
      return;
    }
    if (typeof raw !== 'string') return void problems.push({ path: field, message: 'expected a string' });
    const value = raw.trim();
    if (field === 'name' && value === '') problems.push({ path: field, message: 'must not be empty' });
    else if (value.length > max) problems.push({ path: field, message: `must be at most ${max} characters` });
    else if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(value)) problems.push({ path: field, message: 'must not contain control characters' });
    else out[field] = value;
  };
  text('name', NAME_MAX, mode === 'create');
  text('description', DESCRIPTION_MAX, false);

  const slug = body['slug'];
  if (slug !== undefined && slug !== null && slug !== '') {
    if (typeof slug !== 'string' || !SLUG.test(slug)) {
      problems.push({ path: 'slug', message: 'expected 1 to 64 lowercase letters, digits, "_" or "-", starting with a letter or digit' });
    } else {
      out.slug = slug;
    }
  }

  const type = body['type'];
  if (type === undefined || type === null) {
    if (mode === 'create') problems.push({ path: 'type', message: 'is required' });
  } else if (typeof type !== 'string' || !(ATTRIBUTE_TYPES as readonly string[]).includes(type)) {
    problems.push({ path: 'type', message: `expected one of ${ATTRIBUTE_TYPES.join(', ')}` });
  } else {
    out.type = type as AttributeType;
  }

  for (const flag of FLAGS) {
    const raw = body[flag];
    if (raw === undefined || raw === null) continue;
    if (typeof raw !== 'boolean') problems.push({ path: flag, message: 'expected true or false' });
    else out[flag] = raw;
  }
  // Newer clients call multi_value is_multi_value; either spelling works, both must agree.
  const multi = body['is_multi_value'];
  if (multi !== undefined && multi !== null) {
    if (typeof multi !== 'boolean') problems.push({ path: 'is_multi_value', message: 'expected true or false' });
    else if (out.multi_value !== undefined && out.multi_value !== multi) problems.push({ path: 'is_multi_value', message: 'disagrees with multi_value' });
    else out.multi_value = multi;
  }

  if ('pin_order' in body) {
    const raw = body['pin_order'];
    // The response types pin_order as a whole number, so a fraction would break strict clients.
    if (raw === null) out.pin_order = null;
    else if (typeof raw !== 'number' || !Number.isInteger(raw) || Math.abs(raw) > 1e9) problems.push({ path: 'pin_order', message: 'expected a whole number or null' });
    else out.pin_order = raw;
  }

  const extras = readExtras(body, problems);
  if (extras) out.extras = extras;

  const validations = body['validations'];
  if (validations !== undefined && validations !== null) {
    if (!Array.isArray(validations)) problems.push({ path: 'validations', message: 'expected a list of { type, value }' });
    else if (validations.length > VALIDATIONS_MAX) problems.push({ path: 'validations', message: `at most ${VALIDATIONS_MAX} validations` });
    else out.validations = readValidations(validations, problems);
  }

  if ('default_value' in body) out.default_value = body['default_value'] ?? null;

  if (problems.length) throw validationError(problems);
  return out;
}

const ICON_MAX = 2000;
const CHANNELS_MAX = 50;
const CHANNEL_MAX = 100;
const EXTRA_OBJECT_MAX = 2000;

/** The newer clients' fields: checked for shape and size only, since nothing here acts on them. */
function readExtras(body: Record<string, unknown>, problems: Problem[]): DefinitionInput['extras'] {
  const out: NonNullable<DefinitionInput['extras']> = {};
  let any = false;
  for (const key of EXTRA_KEYS) {
    if (!(key in body)) continue;
    const raw = body[key];
    any = true;
    if (raw === null) {
      out[key] = null;
      continue;
    }
    switch (key) {
      case 'icon':
        if (typeof raw !== 'string' || raw.length > ICON_MAX) problems.push({ path: key, message: `expected text of at most ${ICON_MAX} characters` });
        else out.icon = raw;
        break;
      case 'ordering_channels':
        if (!Array.isArray(raw) || raw.length > CHANNELS_MAX || !raw.every((v) => typeof v === 'string' && v !== '' && v.length <= CHANNEL_MAX)) {
          problems.push({ path: key, message: `expected a list of at most ${CHANNELS_MAX} channel names` });
        } else {
          out.ordering_channels = [...(raw as string[])];
        }
        break;
      case 'masking':
      case 'registration':
        if (typeof raw === 'boolean') out[key] = raw;
        else if (typeof raw === 'object' && !Array.isArray(raw) && JSON.stringify(raw).length <= EXTRA_OBJECT_MAX) {
          out[key] = JSON.parse(JSON.stringify(raw)) as Record<string, unknown>;
        } else {
          problems.push({ path: key, message: `expected true, false or an object of at most ${EXTRA_OBJECT_MAX} characters` });
        }
        break;
    }
  }
  return any ? out : undefined;
}

/** Applies the extras an input names over the stored ones; a null removes one. */
function mergeExtras(current: DefinitionExtras, input: DefinitionInput['extras']): DefinitionExtras {
  const next: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(input ?? {})) {
    if (value === null) delete next[key];
    else next[key] = value;
  }
  return next as DefinitionExtras;
}

/** Shape checks of each validation on its own; whether it fits the type is checked in checkDefinition. */
function readValidations(list: unknown[], problems: Problem[]): Validation[] {
  const out: Validation[] = [];
  const seen = new Set<string>();
  list.forEach((entry, i) => {
    const path = `validations[${i}]`;
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
      problems.push({ path, message: 'expected { type, value }' });
      return;
    }
    const { type, value } = entry as { type?: unknown; value?: unknown };
    if (typeof type !== 'string' || !(VALIDATION_TYPES as readonly string[]).includes(type)) {
      problems.push({ path: `${path}.type`, message: `expected one of ${VALIDATION_TYPES.join(', ')}` });
      return;
    }
    if (seen.has(type)) {
      problems.push({ path: `${path}.type`, message: `${type} is listed twice` });
      return;
    }
    seen.add(type);
    const bad = (message: string): void => void problems.push({ path: `${path}.value`, message });
    const kind = type as ValidationType;
    switch (kind) {
      case 'required':
        // A bare { type: "required" } means required; false keeps the entry but switches it off.
        if (value !== undefined && value !== null && typeof value !== 'boolean') return bad('expected true or false');
        out.push({ type: 'required', value: value !== false });
        return;
      case 'min':
      case 'max':
        // Numbers for number attributes, dates for date attributes; checkDefinition knows which.
        if (!(typeof value === 'number' && Number.isFinite(value)) && !(typeof value === 'string' && parseDate(value) !== null)) {
          return bad('expected a number (or a date for date attributes)');
        }
        out.push({ type: kind, value });
        return;
      case 'min_length':
      case 'max_length':
        if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > STRING_VALUE_MAX) {
          return bad(`expected a whole number from 0 to ${STRING_VALUE_MAX}`);
        }
        out.push({ type: kind, value });
        return;
      case 'regex':
        if (typeof value !== 'string' || value === '' || value.length > REGEX_MAX) return bad(`expected a pattern of 1 to ${REGEX_MAX} characters`);
        try {
          new RegExp(value, 'u');
        } catch {
          return bad('is not a valid regular expression');
        }
        out.push({ type: kind, value });
        return;
      case 'enum': {
        if (!Array.isArray(value) || value.length === 0 || value.length > ENUM_OPTIONS_MAX) {
          return bad(`expected a list of 1 to ${ENUM_OPTIONS_MAX} options`);
        }
        if (!value.every((v) => typeof v === 'string' && v.trim() !== '' && v.length <= ENUM_OPTION_MAX)) {
          return bad(`options must be non-empty strings of at most ${ENUM_OPTION_MAX} characters`);
        }
        if (new Set(value).size !== value.length) return bad('options must not repeat');
        out.push({ type: kind, value: [...value] });
        return;
      }
    }
  });
  return out;
}

function validation(d: Pick<Definition, 'validations'>, type: ValidationType): unknown {
  return d.validations.find((v) => v.type === type)?.value;
}

/**
 * Checks a whole definition (after merging an update over the stored one): validations that fit
 * the type, min not above max, an enum with its options, and a default value that passes.
 */
function checkDefinition(d: Pick<Definition, 'type' | 'multi_value' | 'validations' | 'default_value'>): void {
  const problems: Problem[] = [];
  const allowed = VALIDATIONS_FOR[d.type];
  d.validations.forEach((v, i) => {
    if (!allowed.includes(v.type)) {
      problems.push({ path: `validations[${i}].type`, message: `${v.type} does not apply to ${d.type} attributes (use ${allowed.join(', ')})` });
    } else if ((v.type === 'min' || v.type === 'max') && d.type === 'string') {
      if (typeof v.value !== 'number' || !Number.isInteger(v.value) || v.value < 0 || v.value > STRING_VALUE_MAX) {
        problems.push({ path: `validations[${i}].value`, message: `expected a whole number from 0 to ${STRING_VALUE_MAX} (a length)` });
      }
    } else if ((v.type === 'min' || v.type === 'max') && (d.type === 'number') !== (typeof v.value === 'number')) {
      problems.push({ path: `validations[${i}].value`, message: d.type === 'number' ? 'expected a number' : 'expected a date like 2000-01-31' });
    }
  });
  if (d.type === 'enum' && validation(d, 'enum') === undefined) {
    problems.push({ path: 'validations', message: 'an enum attribute needs { type: "enum", value: [options] }' });
  }
  const order = (lo: ValidationType, hi: ValidationType): void => {
    const a = validation(d, lo);
    const b = validation(d, hi);
    if (a === undefined || b === undefined) return;
    const x = typeof a === 'number' ? a : parseDate(String(a));
    const y = typeof b === 'number' ? b : parseDate(String(b));
    if (x !== null && y !== null && x > y) problems.push({ path: 'validations', message: `${lo} must not be above ${hi}` });
  };
  order('min', 'max');
  order('min_length', 'max_length');
  if (problems.length) throw validationError(problems);
  if (d.default_value !== null && d.default_value !== undefined) {
    const checked = checkValue(d, d.default_value, 'default_value');
    if (!checked.ok) throw validationError(checked.problems);
  }
}

/** The values of DEFINITION_COLUMNS (store/attributes.ts), in its order. */
function definitionRowValues(d: Omit<Definition, 'id' | 'application_id' | 'created_at' | 'created_by' | 'version'>): DefinitionColumns {
  return [
    d.name,
    d.slug,
    d.description,
    d.type,
    d.multi_value,
    d.customer_editable,
    d.encrypted,
    d.pinned,
    d.pin_order,
    d.is_locked,
    JSON.stringify(d.validations),
    d.default_value === null || d.default_value === undefined ? null : JSON.stringify(d.default_value),
    JSON.stringify(d.extras),
    d.updated_by,
    d.updated_at,
  ];
}

async function slugTaken(svc: Pick<AttributeContext, 'sql' | 'applicationId'>, slug: string, exceptId?: string): Promise<boolean> {
  return slugInUse(svc.sql, svc.applicationId, slug, exceptId ?? '');
}

function slugExists(slug: string): ApiError {
  return new ApiError(409, 'SLUG_EXISTS', `Another attribute definition already uses the slug "${slug}"`, { meta: { slug } });
}

const bit = (flag: boolean | undefined, fallback = 0): number => (flag === undefined ? fallback : flag ? 1 : 0);

export async function createDefinition(svc: Pick<AttributeContext, 'sql' | 'applicationId' | 'now'>, input: DefinitionInput, by: string | null): Promise<Definition> {
  const t = svc.now();
  const d: Definition = {
    id: objectId(t),
    application_id: svc.applicationId,
    name: input.name!,
    slug: input.slug ?? slugify(input.name!),
    description: input.description ?? '',
    type: input.type!,
    multi_value: bit(input.multi_value),
    customer_editable: bit(input.customer_editable),
    encrypted: bit(input.encrypted),
    pinned: bit(input.pinned),
    pin_order: input.pin_order ?? null,
    is_locked: bit(input.is_locked),
    validations: input.validations ?? [],
    default_value: input.default_value ?? null,
    extras: mergeExtras({}, input.extras),
    created_by: by,
    updated_by: by,
    version: 0,
    created_at: t,
    updated_at: t,
  };
  checkDefinition(d);
  if (await slugTaken(svc, d.slug)) throw slugExists(d.slug);
  try {
    await insertDefinition(svc.sql, { id: d.id, applicationId: d.application_id, createdBy: by, createdAt: t }, definitionRowValues(d));
  } catch (err) {
    // Two creates with one slug raced past the check above; the unique index settles it.
    if (isUniqueViolation(err)) throw slugExists(d.slug);
    throw err;
  }
  return (await findDefinition(svc, d.id))!;
}

async function valueCount(svc: Pick<AttributeContext, 'sql'>, definitionId: string): Promise<number> {
  return countValues(svc.sql, definitionId);
}

/**
 * Applies an update over the stored definition. A locked definition keeps its slug, type,
 * multi_value and validations (what stored values and clients depend on) and cannot be deleted;
 * only is_locked itself and the presentational fields may change. Changing type or multi_value
 * while values exist is refused, since those values would no longer fit.
 */
export async function updateDefinition(outer: Pick<AttributeContext, 'sql' | 'applicationId' | 'now'>, id: string, input: DefinitionInput, by: string | null): Promise<Definition> {
  return outer.sql.tx(async (q) => {
    await q.lock(`attribute-definitions:${outer.applicationId}`);
    const svc = { ...outer, sql: q };
    const current = await requireDefinition(svc, id);
    const unlocking = input.is_locked === false;
    if (current.is_locked === 1 && !unlocking) {
      const structural = (['slug', 'type', 'multi_value', 'validations'] as const).filter(
        (k) => input[k] !== undefined && JSON.stringify(input[k]) !== JSON.stringify(k === 'multi_value' ? current.multi_value === 1 : current[k]),
      );
      if (structural.length) {
        throw new ApiError(400, 'DEFINITION_LOCKED', `This attribute definition is locked; ${structural.join(', ')} cannot change`, {
          meta: { fields: structural },
        });
      }
    }
    const next: Definition = {
      ...current,
      name: input.name ?? current.name,
      slug: input.slug ?? current.slug,
      description: input.description ?? current.description,
      type: input.type ?? current.type,
      multi_value: bit(input.multi_value, current.multi_value),
      customer_editable: bit(input.customer_editable, current.customer_editable),
      encrypted: bit(input.encrypted, current.encrypted),
      pinned: bit(input.pinned, current.pinned),
      pin_order: input.pin_order === undefined ? current.pin_order : input.pin_order,
      is_locked: bit(input.is_locked, current.is_locked),
      validations: input.validations ?? current.validations,
      default_value: input.default_value === undefined ? current.default_value : input.default_value,
      extras: mergeExtras(current.extras, input.extras),
      updated_by: by,
      updated_at: svc.now(),
    };
    // A new type makes the old validations and default meaningless unless the update sent new ones.
    if (next.type !== current.type) {
      if (input.validations === undefined) next.validations = [];
      if (input.default_value === undefined) next.default_value = null;
    }
    checkDefinition(next);
    if ((next.type !== current.type || next.multi_value !== current.multi_value) && (await valueCount(svc, id)) > 0) {
      throw new ApiError(409, 'DEFINITION_IN_USE', 'Users already have values for this attribute, so its type and multi_value cannot change');
    }
    if (next.slug !== current.slug && (await slugTaken(svc, next.slug, id))) throw slugExists(next.slug);
    await updateDefinitionRow(svc.sql, id, definitionRowValues(next));
    return (await findDefinition(svc, id))!;
  });
}

/** Deletes a definition and every user's value for it. Returns how many values went with it. */
export async function deleteDefinition(outer: Pick<AttributeContext, 'sql' | 'applicationId'>, id: string): Promise<number> {
  return outer.sql.tx(async (q) => {
    await q.lock(`attribute-definitions:${outer.applicationId}`);
    const svc = { ...outer, sql: q };
    const current = await requireDefinition(svc, id);
    if (current.is_locked === 1) {
      throw new ApiError(400, 'DEFINITION_LOCKED', 'This attribute definition is locked; unlock it (is_locked: false) before deleting it');
    }
    return deleteDefinitionRow(svc.sql, id);
  });
}

// ---- checking values -----------------------------------------------------------------------------

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Milliseconds for "2000-01-31" (a real calendar date) or a full ISO date-time; null otherwise. */
export function parseDate(value: string): number | null {
  const m = DATE_ONLY.exec(value);
  if (m) {
    const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
    // Date.UTC rolls 2021-02-30 over into March; a real date survives the round trip.
    return new Date(t).toISOString().slice(0, 10) === value ? t : null;
  }
  if (DATE_TIME.test(value)) {
    const t = Date.parse(value);
    return Number.isNaN(t) ? null : t;
  }
  return null;
}

type Checked = { ok: true; value: unknown } | { ok: false; problems: Problem[] };

export function isEmpty(value: unknown): boolean {
  return value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
}

/** One scalar against the type and the validations; returns the value to store or a problem. */
function checkScalar(d: Pick<Definition, 'type' | 'validations'>, raw: unknown): { value: unknown } | { message: string } {
  switch (d.type) {
    case 'string': {
      if (typeof raw !== 'string') return { message: 'expected text' };
      if (raw.length > STRING_VALUE_MAX) return { message: `must be at most ${STRING_VALUE_MAX} characters` };
      const min = (validation(d, 'min_length') ?? validation(d, 'min')) as number | undefined;
      const max = (validation(d, 'max_length') ?? validation(d, 'max')) as number | undefined;
      if (min !== undefined && raw.length < min) return { message: `must be at least ${min} characters` };
      if (max !== undefined && raw.length > max) return { message: `must be at most ${max} characters` };
      const pattern = validation(d, 'regex') as string | undefined;
      if (pattern !== undefined && !new RegExp(pattern, 'u').test(raw)) return { message: 'does not have the expected format' };
      return { value: raw };
    }
    case 'number': {
      // Form fields send numbers as text; a plain decimal string is accepted and stored as a number.
      const n = typeof raw === 'string' && /^-?\d+(\.\d+)?$/.test(raw.trim()) ? Number(raw) : raw;
      if (typeof n !== 'number' || !Number.isFinite(n)) return { message: 'expected a number' };
      const min = validation(d, 'min') as number | undefined;
      const max = validation(d, 'max') as number | undefined;
      if (min !== undefined && n < min) return { message: `must be at least ${min}` };
      if (max !== undefined && n > max) return { message: `must be at most ${max}` };
      return { value: n };
    }
    case 'boolean':
      return typeof raw === 'boolean' ? { value: raw } : { message: 'expected true or false' };
    case 'date': {
      const t = typeof raw === 'string' ? parseDate(raw) : null;
      if (t === null) return { message: 'expected a date like 2000-01-31' };
      const min = validation(d, 'min') as string | undefined;
      const max = validation(d, 'max') as string | undefined;
      if (min !== undefined && t < parseDate(min)!) return { message: `must not be before ${min}` };
      if (max !== undefined && t > parseDate(max)!) return { message: `must not be after ${max}` };
      return { value: raw };
    }
    case 'enum': {
      const options = (validation(d, 'enum') as string[] | undefined) ?? [];
      return typeof raw === 'string' && options.includes(raw) ? { value: raw } : { message: `expected one of ${options.join(', ')}` };
    }
  }
}

/**
 * Checks a value for a definition. Multi-value attributes take a list whose every item passes
 * (length validations apply to each item). `required` refuses null, "" and [].
 */
export function checkValue(d: Pick<Definition, 'type' | 'multi_value' | 'validations'>, raw: unknown, path: string): Checked {
  if (isEmpty(raw)) {
    return validation(d, 'required') === true
      ? { ok: false, problems: [{ path, message: 'is required' }] }
      : { ok: false, problems: [{ path, message: 'must not be empty (remove the value instead)' }] };
  }
  if (d.multi_value === 1) {
    if (!Array.isArray(raw)) return { ok: false, problems: [{ path, message: 'expected a list of values' }] };
    if (raw.length > MULTI_VALUE_MAX) return { ok: false, problems: [{ path, message: `at most ${MULTI_VALUE_MAX} values` }] };
    const problems: Problem[] = [];
    const values: unknown[] = [];
    raw.forEach((item, i) => {
      const r = checkScalar(d, item);
      if ('message' in r) problems.push({ path: `${path}[${i}]`, message: r.message });
      else values.push(r.value);
    });
    if (!problems.length && new Set(values.map((v) => JSON.stringify(v))).size !== values.length) {
      problems.push({ path, message: 'must not repeat a value' });
    }
    return problems.length ? { ok: false, problems } : { ok: true, value: values };
  }
  const r = checkScalar(d, raw);
  return 'message' in r ? { ok: false, problems: [{ path, message: r.message }] } : { ok: true, value: r.value };
}

/** Whether a definition allows removing a user's value (a required attribute does not). */
export function removable(d: Pick<Definition, 'validations'>): boolean {
  return validation(d, 'required') !== true;
}

// ---- values --------------------------------------------------------------------------------------

export function valueSchema(row: JoinedValueRow): AttributeValueSchema {
  return {
    _id: row.id,
    definition_id: row.definition_id,
    name: row.name,
    slug: row.slug,
    user_id: row.user_id,
    application_id: row.application_id,
    type: row.type as AttributeType,
    customer_overriden: row.customer_overridden === 1,
    attribute: { value: JSON.parse(row.value) as unknown },
    updated_by: row.updated_by,
    created_at: new Date(row.created_at).toISOString(),
    modified_at: new Date(row.updated_at).toISOString(),
  };
}

export async function findValue(svc: Pick<AttributeContext, 'sql'>, definitionId: string, userId: string): Promise<AttributeValueSchema | undefined> {
  const row = await valueOf(svc.sql, definitionId, userId);
  return row ? valueSchema(row) : undefined;
}

export async function findValueById(svc: Pick<AttributeContext, 'sql' | 'applicationId'>, id: string): Promise<AttributeValueSchema | undefined> {
  const row = await valueById(svc.sql, svc.applicationId, id);
  return row ? valueSchema(row) : undefined;
}

/** A user's values in the definitions' display order, optionally only the shopper-editable ones. */
export async function userValues(
  svc: Pick<AttributeContext, 'sql' | 'applicationId'>,
  userId: string,
  opts: { editableOnly?: boolean; slugs?: string[]; page?: { size: number; current: number } } = {},
): Promise<{ items: AttributeValueSchema[]; total: number }> {
  const { rows, total } = await selectUserValues(svc.sql, svc.applicationId, userId, opts);
  return { items: rows.map(valueSchema), total };
}

/** Stores an already checked value (insert or replace), keeping the row's id and created_at. */
export async function putValue(
  svc: Pick<AttributeContext, 'sql' | 'applicationId' | 'now'>,
  d: Definition,
  userId: string,
  value: unknown,
  meta: { by: string; customerOverridden: boolean },
): Promise<void> {
  const t = svc.now();
  await upsertValue(svc.sql, {
    id: objectId(t),
    applicationId: svc.applicationId,
    definitionId: d.id,
    userId,
    value: JSON.stringify(value),
    customerOverridden: meta.customerOverridden ? 1 : 0,
    by: meta.by,
    at: t,
  });
}

export async function removeValue(svc: Pick<AttributeContext, 'sql'>, definitionId: string, userId: string): Promise<boolean> {
  return deleteValue(svc.sql, definitionId, userId);
}

/** Writes and removes a user's values together in one immediate transaction (all or nothing). */
export async function writeValues(
  outer: Pick<AttributeContext, 'sql' | 'applicationId' | 'now'>,
  userId: string,
  writes: { definition: Definition; value: unknown }[],
  removals: Pick<Definition, 'id'>[],
  meta: { by: string; customerOverridden: boolean },
): Promise<void> {
  await outer.sql.tx(async (q) => {
    // The values were checked against definitions read before this transaction. Under the lock
    // every definition change takes, each must still be the version they were checked against:
    // else a type change that counted no values yet and this write could both land, leaving a
    // value its definition no longer accepts (or one the shopper may no longer edit).
    await q.lock(`attribute-definitions:${outer.applicationId}`);
    const svc = { ...outer, sql: q };
    for (const d of [...writes.map((w) => w.definition), ...removals]) {
      if (!('version' in d)) continue;
      const now = await findDefinition(svc, d.id);
      if (!now || Number(now.version) !== Number(d.version)) throw definitionChanged();
    }
    for (const { definition, value } of writes) await putValue(svc, definition, userId, value, meta);
    for (const definition of removals) await removeValue(svc, definition.id, userId);
  });
}

/** Removes a user's values for these definitions in one transaction; returns how many existed. */
export async function removeValues(outer: Pick<AttributeContext, 'sql'>, userId: string, definitionIds: string[]): Promise<number> {
  return outer.sql.tx(async (q) => {
    const svc = { ...outer, sql: q };
    let removed = 0;
    for (const id of definitionIds) if (await removeValue(svc, id, userId)) removed++;
    return removed;
  });
}

// ---- dev seed ------------------------------------------------------------------------------------

/**
 * In dev mode, a store with no definitions gets three shopper-editable ones, so the account page
 * of the demo has something to show. Never runs outside dev mode.
 */
export async function seedDevDefinitions(outer: AttributeContext): Promise<void> {
  const seeded = await outer.sql.tx(async (q) => {
    await q.lock(`attribute-definitions:${outer.applicationId}`);
    const svc: AttributeContext = { ...outer, sql: q };
    if (await anyDefinition(q, svc.applicationId)) return false;
    await createDefinition(
      svc,
      {
        name: 'Shoe size',
        slug: 'shoe_size',
        description: 'Your usual shoe size (EU)',
        type: 'number',
        customer_editable: true,
        pinned: true,
        pin_order: 1,
        validations: [
          { type: 'min', value: 1 },
          { type: 'max', value: 60 },
        ],
      },
      null,
    );
    await createDefinition(
      svc,
      {
        name: 'Newsletter frequency',
        slug: 'newsletter_frequency',
        description: 'How often we may email you our newsletter',
        type: 'enum',
        customer_editable: true,
        pinned: true,
        pin_order: 2,
        validations: [{ type: 'enum', value: ['weekly', 'monthly', 'never'] }],
      },
      null,
    );
    await createDefinition(
      svc,
      {
        name: 'Birthday reminders',
        slug: 'birthday_reminders',
        description: 'Remind me of offers around my birthday',
        type: 'boolean',
        customer_editable: true,
      },
      null,
    );
    return true;
  });
  if (seeded) outer.log('dev attribute definitions seeded count=3');
}
