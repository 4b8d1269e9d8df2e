// SQL for custom user attributes (services/attributes.ts has the rules): the definitions an admin
// declares per application and each user's values, stored as JSON text.
import type { Param, Sql } from './sql';

export interface DefinitionRow {
  id: string;
  application_id: string;
  name: string;
  slug: string;
  description: string;
  type: string;
  multi_value: number;
  customer_editable: number;
  encrypted: number;
  pinned: number;
  pin_order: number | null;
  is_locked: number;
  validations: string;
  default_value: string | null;
  extras: string;
  created_by: string | null;
  updated_by: string | null;
  version: number;
  created_at: number;
  updated_at: number;
}

export interface ValueRow {
  id: string;
  application_id: string;
  definition_id: string;
  user_id: string;
  value: string;
  customer_overridden: number;
  updated_by: string;
  created_at: number;
  updated_at: number;
}

export interface JoinedValueRow extends ValueRow {
  name: string;
  slug: string;
  type: string;
}

/** The columns a create or update writes, in this order (see DefinitionColumns). */
export const DEFINITION_COLUMNS = [
  'name',
  'slug',
  'description',
  'type',
  'multi_value',
  'customer_editable',
  'encrypted',
  'pinned',
  'pin_order',
  'is_locked',
  'validations',
  'default_value',
  'extras',
  'updated_by',
  'updated_at',
] as const;

/** Values for DEFINITION_COLUMNS, in that order. */
export type DefinitionColumns = Param[];

export interface DefinitionQuery {
  customer_editable?: boolean;
  pinned?: boolean;
  encrypted?: boolean;
  is_locked?: boolean;
  slug?: string;
  type?: string;
  /** Case-insensitive substring of the name. */
  name?: string;
  pin_order?: number;
  excluding_ids?: string[];
}

export interface Page {
  size: number;
  current: number;
}

/** Pinned first by pin_order (unnumbered pins last), then everything by name: the order a form shows. */
function displayOrder(t = ''): string {
  return `${t}pinned DESC, CASE WHEN ${t}pinned = 1 THEN ${t}pin_order IS NULL END, CASE WHEN ${t}pinned = 1 THEN ${t}pin_order END,
    lower(${t}name), ${t}id`;
}

const paging = (page: Page | undefined): { limit: string; params: Param[] } =>
  page ? { limit: ' LIMIT ? OFFSET ?', params: [page.size, (page.current - 1) * page.size] } : { limit: '', params: [] };

export async function definitionById(sql: Sql, applicationId: string, id: string): Promise<DefinitionRow | undefined> {
  return sql.get<DefinitionRow>('SELECT * FROM user_attribute_definitions WHERE id = ? AND application_id = ?', id, applicationId);
}

export async function selectDefinitions(sql: Sql, applicationId: string, filter: DefinitionQuery, page?: Page): Promise<{ rows: DefinitionRow[]; total: number }> {
  const where = ['application_id = ?'];
  const params: Param[] = [applicationId];
  for (const flag of ['customer_editable', 'pinned', 'encrypted', 'is_locked'] as const) {
    if (filter[flag] !== undefined) {
      where.push(`${flag} = ?`);
      params.push(filter[flag] ? 1 : 0);
    }
  }
  if (filter.slug !== undefined) {
    where.push('slug = ?');
    params.push(filter.slug);
  }
  if (filter.type !== undefined) {
    where.push('type = ?');
    params.push(filter.type);
  }
  if (filter.pin_order !== undefined) {
    where.push('pin_order = ?');
    params.push(filter.pin_order);
  }
  if (filter.name !== undefined) {
    where.push("lower(name) LIKE lower(?) ESCAPE '\\'");
    params.push(`%${filter.name.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`);
  }
  if (filter.excluding_ids?.length) {
    where.push(`id NOT IN (${filter.excluding_ids.map(() => '?').join(', ')})`);
    params.push(...filter.excluding_ids);
  }
  const clause = where.join(' AND ');
  const total = Number((await sql.get<{ n: number }>(`SELECT COUNT(*) AS n FROM user_attribute_definitions WHERE ${clause}`, ...params))!.n);
  const { limit, params: pageParams } = paging(page);
  const rows = await sql.all<DefinitionRow>(`SELECT * FROM user_attribute_definitions WHERE ${clause} ORDER BY ${displayOrder()}${limit}`, ...params, ...pageParams);
  return { rows, total };
}

export async function slugInUse(sql: Sql, applicationId: string, slug: string, exceptId: string): Promise<boolean> {
  return !!(await sql.get('SELECT 1 AS x FROM user_attribute_definitions WHERE application_id = ? AND slug = ? AND id <> ?', applicationId, slug, exceptId));
}

export async function anyDefinition(sql: Sql, applicationId: string): Promise<boolean> {
  return !!(await sql.get('SELECT 1 AS x FROM user_attribute_definitions WHERE application_id = ? LIMIT 1', applicationId));
}

export async function insertDefinition(
  sql: Sql,
  row: { id: string; applicationId: string; createdBy: string | null; createdAt: number },
  columns: DefinitionColumns,
): Promise<void> {
  await sql.run(
    `INSERT INTO user_attribute_definitions (id, application_id, created_by, version, created_at, ${DEFINITION_COLUMNS.join(', ')})
     VALUES (?, ?, ?, 0, ?, ${DEFINITION_COLUMNS.map(() => '?').join(', ')})`,
    row.id,
    row.applicationId,
    row.createdBy,
    row.createdAt,
    ...columns,
  );
}

export async function updateDefinitionRow(sql: Sql, id: string, columns: DefinitionColumns): Promise<void> {
  await sql.run(
    `UPDATE user_attribute_definitions SET ${DEFINITION_COLUMNS.map((c) => `${c} = ?`).join(', ')}, version = version + 1 WHERE id = ?`,
    ...columns,
    id,
  );
}

/** Deletes a definition and its values; returns how many values went. */
export async function deleteDefinitionRow(sql: Sql, id: string): Promise<number> {
  const values = (await sql.run('DELETE FROM user_attributes WHERE definition_id = ?', id)).changes;
  await sql.run('DELETE FROM user_attribute_definitions WHERE id = ?', id);
  return values;
}

export async function countValues(sql: Sql, definitionId: string): Promise<number> {
  return Number((await sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM user_attributes WHERE definition_id = ?', definitionId))!.n);
}

const VALUE_SELECT = `SELECT v.*, d.name, d.slug, d.type FROM user_attributes v
  JOIN user_attribute_definitions d ON d.id = v.definition_id`;

export async function valueOf(sql: Sql, definitionId: string, userId: string): Promise<JoinedValueRow | undefined> {
  return sql.get<JoinedValueRow>(`${VALUE_SELECT} WHERE v.definition_id = ? AND v.user_id = ?`, definitionId, userId);
}

export async function valueById(sql: Sql, applicationId: string, id: string): Promise<JoinedValueRow | undefined> {
  return sql.get<JoinedValueRow>(`${VALUE_SELECT} WHERE v.id = ? AND v.application_id = ?`, id, applicationId);
}

/** A user's values in the definitions' display order. */
export async function selectUserValues(
  sql: Sql,
  applicationId: string,
  userId: string,
  opts: { editableOnly?: boolean; slugs?: string[]; page?: Page },
): Promise<{ rows: JoinedValueRow[]; total: number }> {
  const where = ['v.user_id = ?', 'v.application_id = ?'];
  const params: Param[] = [userId, applicationId];
  if (opts.editableOnly) where.push('d.customer_editable = 1');
  if (opts.slugs) {
    where.push(opts.slugs.length ? `d.slug IN (${opts.slugs.map(() => '?').join(', ')})` : '1 = 0');
    params.push(...opts.slugs);
  }
  const clause = where.join(' AND ');
  const total = Number(
    (await sql.get<{ n: number }>(
      `SELECT COUNT(*) AS n FROM user_attributes v JOIN user_attribute_definitions d ON d.id = v.definition_id WHERE ${clause}`,
      ...params,
    ))!.n,
  );
  const { limit, params: pageParams } = paging(opts.page);
  const rows = await sql.all<JoinedValueRow>(`${VALUE_SELECT} WHERE ${clause} ORDER BY ${displayOrder('d.')}${limit}`, ...params, ...pageParams);
  return { rows, total };
}

/** Inserts or replaces a value, keeping the row's id and created_at. */
export async function upsertValue(
  sql: Sql,
  row: { id: string; applicationId: string; definitionId: string; userId: string; value: string; customerOverridden: number; by: string; at: number },
): Promise<void> {
  await sql.run(
    `INSERT INTO user_attributes (id, application_id, definition_id, user_id, value, customer_overridden, updated_by, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (definition_id, user_id) DO UPDATE SET value = excluded.value,
       customer_overridden = excluded.customer_overridden, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
    row.id,
    row.applicationId,
    row.definitionId,
    row.userId,
    row.value,
    row.customerOverridden,
    row.by,
    row.at,
    row.at,
  );
}

export async function deleteValue(sql: Sql, definitionId: string, userId: string): Promise<boolean> {
  return (await sql.run('DELETE FROM user_attributes WHERE definition_id = ? AND user_id = ?', definitionId, userId)).changes > 0;
}
