// Reads the platform API seed (platform-user-api.md, copied to fixtures/) at test time: its schema
// tables (Properties | Type | Nullable) and its JSON examples, so the wire tests check answers
// against what the seed documents rather than against a copy typed in by hand. `checkAnswer`
// walks an answer field by field: every field the schema lists must have the seed's type, and a
// field with no value must be left out, never null (the published clients decode these as
// non-optional strings and numbers once the key is present). Fields the seed does not list are
// returned as `extra`, so a test can compare them with the documented extensions.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * A copy of the seed is kept in test/server/fixtures so CI on a clean clone has it; LATCH_SEED
 * points the tests at another copy (say, a newer seed) to see what changed.
 */
export function seedPath(): string {
  const path = process.env['LATCH_SEED'] || resolve(here, 'fixtures/platform-user-api.md');
  if (!existsSync(path)) throw new Error(`seed not found at ${path}`);
  return path;
}

export type FieldType =
  | { kind: 'string' | 'bool' | 'int' | 'double' | 'any-object' }
  | { kind: 'ref'; schema: string }
  | { kind: 'list'; item: FieldType };

export interface SeedField {
  /** The wire (snake_case) name. */
  wire: string;
  type: FieldType;
  nullable: boolean;
}

export interface Seed {
  schemas: Map<string, SeedField[]>;
  /** The JSON examples under each operation heading, parsed, in order. */
  examples: Map<string, unknown[]>;
}

/** camelCase property names of the seed's tables, as they travel: `id` and `v` are Mongo's `_id` and `__v`. */
export function wireName(property: string): string {
  if (property === 'id') return '_id';
  if (property === 'v') return '__v';
  return property.replace(/[A-Z]/g, (ch) => `_${ch.toLowerCase()}`);
}

function parseType(raw: string): FieldType {
  const t = raw.replace(/\?$/, '').trim();
  if (t === 'String') return { kind: 'string' };
  if (t === 'Bool') return { kind: 'bool' };
  if (t === 'Int') return { kind: 'int' };
  if (t === 'Double') return { kind: 'double' };
  if (t === '[String: Any]') return { kind: 'any-object' };
  if (t === '[String]') return { kind: 'list', item: { kind: 'string' } };
  if (t === '[[String: Any]]') return { kind: 'list', item: { kind: 'any-object' } };
  const list = /^\[\[(\w+)\]\(#\w+\)\]$/.exec(t);
  if (list) return { kind: 'list', item: { kind: 'ref', schema: list[1]! } };
  const ref = /^\[(\w+)\]\(#\w+\)$/.exec(t);
  if (ref) return { kind: 'ref', schema: ref[1]! };
  throw new Error(`seed type not understood: ${raw}`);
}

let cached: Seed | undefined;

export function loadSeed(): Seed {
  if (cached) return cached;
  const text = readFileSync(seedPath(), 'utf8');
  const schemas = new Map<string, SeedField[]>();
  const examples = new Map<string, unknown[]>();
  const schemaStart = text.indexOf('### Schemas');
  const body = text.slice(schemaStart);
  for (const block of body.split(/\n\s*#### \[/).slice(1)) {
    const name = /^(\w+)\]/.exec(block)![1]!;
    const fields: SeedField[] = [];
    for (const line of block.split('\n')) {
      const cells = line.split('|').map((c) => c.trim());
      // | name | Type | yes/no | description |
      if (cells.length < 5 || cells[1] === 'Properties' || cells[1]!.startsWith('---') || cells[1] === '') continue;
      fields.push({ wire: wireName(cells[1]!), type: parseType(cells[2]!), nullable: cells[3] === 'yes' });
    }
    schemas.set(name, fields);
  }
  let operation = '';
  const lines = text.slice(0, schemaStart).split('\n');
  for (let i = 0; i < lines.length; i++) {
    const heading = /^#### (\w+)$/.exec(lines[i]!);
    if (heading) operation = heading[1]!;
    if (lines[i] !== '```json') continue;
    const end = lines.indexOf('```', i + 1);
    const json = lines.slice(i + 1, end).join('\n').trim();
    i = end;
    if (!json) continue;
    const list = examples.get(operation) ?? [];
    list.push(JSON.parse(json) as unknown);
    examples.set(operation, list);
  }
  cached = { schemas, examples };
  return cached;
}

/** The first JSON example of an operation; a `{ value }` wrapper (as the seed writes most of them) is unwrapped. */
export function seedExample(operation: string): Record<string, unknown> {
  const first = loadSeed().examples.get(operation)?.[0];
  assert.ok(first && typeof first === 'object', `the seed has an example for ${operation}`);
  const value = (first as { value?: unknown }).value;
  return structuredClone((value ?? first) as Record<string, unknown>);
}

export interface CheckResult {
  /** "path: problem" lines; empty when the answer fits. */
  problems: string[];
  /** Paths of fields the seed's schema does not list (our documented extensions). */
  extra: string[];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkValue(type: FieldType, value: unknown, path: string, out: CheckResult): void {
  switch (type.kind) {
    case 'string':
      if (typeof value !== 'string') out.problems.push(`${path}: expected a string, got ${JSON.stringify(value)}`);
      return;
    case 'bool':
      if (typeof value !== 'boolean') out.problems.push(`${path}: expected a boolean, got ${JSON.stringify(value)}`);
      return;
    case 'int':
      if (typeof value !== 'number' || !Number.isInteger(value)) out.problems.push(`${path}: expected a whole number, got ${JSON.stringify(value)}`);
      return;
    case 'double':
      if (typeof value !== 'number' || !Number.isFinite(value)) out.problems.push(`${path}: expected a number, got ${JSON.stringify(value)}`);
      return;
    case 'any-object':
      if (!isObject(value)) out.problems.push(`${path}: expected an object, got ${JSON.stringify(value)}`);
      return;
    case 'list':
      if (!Array.isArray(value)) return void out.problems.push(`${path}: expected a list, got ${JSON.stringify(value)}`);
      value.forEach((item, i) => checkValue(type.item, item, `${path}[${i}]`, out));
      return;
    case 'ref':
      walk(type.schema, value, path, out);
      return;
  }
}

/**
 * Where the seed contradicts itself, its example wins (clients are written against the examples
 * too). Each entry names the field and the example that overrules its table type.
 */
const EXAMPLE_OVERRULES: Record<string, string> = {
  // createUserAttributeDefinition's example: `validations: [{ type: "min", value: 1 }]`, while the
  // table types value as [String: Any]. Any JSON value is accepted there.
  'UserAttributeDefinitionValidation.value': 'createUserAttributeDefinition example',
};

function walk(schema: string, value: unknown, path: string, out: CheckResult): void {
  const fields = loadSeed().schemas.get(schema);
  assert.ok(fields, `the seed defines ${schema}`);
  if (!isObject(value)) return void out.problems.push(`${path || '(answer)'}: expected a ${schema} object, got ${JSON.stringify(value)}`);
  const known = new Set(fields.map((f) => f.wire));
  for (const f of fields) {
    const here = path ? `${path}.${f.wire}` : f.wire;
    if (!(f.wire in value)) {
      if (!f.nullable) out.problems.push(`${here}: required by ${schema} but missing`);
      continue;
    }
    const v = value[f.wire];
    if (v === null) {
      out.problems.push(`${here}: null (leave a field with no value out)`);
      continue;
    }
    if (EXAMPLE_OVERRULES[`${schema}.${f.wire}`]) continue;
    checkValue(f.type, v, here, out);
  }
  for (const key of Object.keys(value)) if (!known.has(key)) out.extra.push(path ? `${path}.${key}` : key);
}

/** Checks `answer` against the seed schema `schema`; see the file comment. */
export function checkAnswer(schema: string, answer: unknown): CheckResult {
  const out: CheckResult = { problems: [], extra: [] };
  walk(schema, answer, '', out);
  return out;
}

/** Asserts the answer fits `schema` and that its only extra fields are `allowedExtra`. */
export function assertFits(schema: string, answer: unknown, allowedExtra: readonly string[] = []): void {
  const { problems, extra } = checkAnswer(schema, answer);
  assert.deepEqual(problems, [], `${schema}: ${problems.join('; ')}`);
  const unexpected = extra.filter((p) => !allowedExtra.includes(p.replace(/\[\d+\]/g, '[]')));
  assert.deepEqual(unexpected, [], `${schema}: fields the seed does not list and no extension documents: ${unexpected.join(', ')}`);
}
