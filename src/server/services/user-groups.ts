// The rules of user groups: which shoppers belong to a group and how that changes.
// - A conditional group's members are every live shopper whose custom attributes meet all its
//   conditions, computed at each read, so an attribute change shows at once.
// - A bulk group's members are listed rows, changed by a CSV file fetched in the background
//   (file_url) or by rows sent in the request (user_data). A file is applied in one transaction
//   or not at all; rows that name nobody are reported as a CSV, the rest are applied.
// No HTTP here: routes/user-groups.ts parses requests and shapes answers; store/user-groups.ts
// holds the SQL. What this needs from the rest of the service is the small UserGroupDeps.
import { parse as parseCsvText } from 'csv-parse/sync';
import { findDefinition, parseDate, STRING_VALUE_MAX, type AttributeContext, type AttributeType } from './attributes';
import type { Sql } from '../store/sql';
import { ApiError, validationError } from '../shared/errors';
import { objectId } from '../shared/ids';
import { parsePhone } from '../shared/phone';
import { normalizeEmail } from '../shared/validation';
import { UserGroupStore, type GroupFilter, type GroupRow, type GroupStatus, type GroupType, type Page, type StoredCondition } from '../store/user-groups';
import { DEFAULT_FILE_LIMITS, fetchFile, FileFetchError, type FilePolicy } from './file-fetch';

export type { GroupFilter, GroupStatus, GroupType, Page } from '../store/user-groups';

/** What a condition needs to know about an attribute definition. */
export interface ConditionDefinition {
  id: string;
  slug: string;
  type: AttributeType;
  multiValue: boolean;
  /** The options of an enum attribute. */
  options: readonly string[];
}

export interface UserGroupDeps {
  store: UserGroupStore;
  findDefinition(id: string): Promise<ConditionDefinition | undefined>;
  /** Gets a bulk file's bytes; throws FileFetchError with a message for the admin. */
  fetchFile(url: string, signal: AbortSignal): Promise<Uint8Array>;
  now(): number;
  log(line: string): void;
}

export const CONDITION_TYPES = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'contains'] as const;
export type ConditionType = (typeof CONDITION_TYPES)[number];

const ORDERED: readonly ConditionType[] = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte'];
/** Which comparisons each attribute type can take; a multi-value attribute takes only `contains`. */
const TYPES_FOR: Record<AttributeType, readonly ConditionType[]> = {
  string: ['eq', 'neq', 'contains'],
  number: ORDERED,
  date: ORDERED,
  boolean: ['eq', 'neq'],
  enum: ['eq', 'neq'],
};

export interface ConditionInput {
  user_attribute_definition_id: string;
  type: string;
  value: string | number | boolean;
  ignore_year?: boolean | undefined;
}

export interface UserDataRow {
  user_id?: string | undefined;
  email?: string | undefined;
  phone_number?: string | undefined;
  action: string;
}

export interface CreateGroupInput {
  name: string;
  description: string;
  type?: GroupType | undefined;
  conditions?: ConditionInput[] | undefined;
  file_url?: string | undefined;
  is_active?: boolean | undefined;
}

export interface UpdateGroupInput {
  name?: string | undefined;
  description?: string | undefined;
  type?: GroupType | undefined;
  conditions?: ConditionInput[] | undefined;
  file_url?: string | undefined;
  is_active?: boolean | undefined;
}

export interface PatchGroupInput {
  type?: 'json' | 'file_url' | undefined;
  name?: string | undefined;
  description?: string | undefined;
  file_url?: string | undefined;
  user_data?: UserDataRow[] | undefined;
  is_active?: boolean | undefined;
}

/** A group as the service hands it to the route; the route renders UserGroupResponseSchema. */
export interface UserGroup {
  id: string;
  uid: number;
  applicationId: string;
  name: string;
  description: string;
  type: GroupType;
  conditions: (StoredCondition & { key?: string })[];
  fileUrl: string | null;
  status: GroupStatus;
  isActive: boolean;
  errorCount: number;
  hasErrorReport: boolean;
  failure: string | null;
  version: number;
  createdAt: number;
  updatedAt: number;
}

/** A file that arrived but cannot be used (not UTF-8, not CSV, wrong header, too many rows). */
class GroupFileError extends Error {}

const MAX_FILE_ROWS = 100_000;
/** Files fetched at once; each may hold up to the size limit in memory, so more wait their turn. */
export const MAX_PARALLEL_LOADS = 2;
const IDENTIFIERS = ['user_id', 'email', 'phone_number'] as const;
const OBJECT_ID = /^[0-9a-f]{24}$/i;
const DAY_MS = 86_400_000;

interface SourceRow extends UserDataRow {
  /** Where the row came from: the file's line number, or `user_data[i]`. */
  at: string;
}

interface BadRow {
  row: SourceRow;
  error: string;
}

export function groupNotFound(): ApiError {
  return new ApiError(404, 'USER_GROUP_NOT_FOUND', 'No user group with this id');
}

export class UserGroupService {
  readonly #deps: UserGroupDeps;
  readonly #jobs = new Set<Promise<void>>();
  readonly #stop = new AbortController();
  #running = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(deps: UserGroupDeps) {
    this.#deps = deps;
  }

  // ---- reading -----------------------------------------------------------------------------------

  async get(ref: string): Promise<UserGroup> {
    return this.#view(await this.#require(ref));
  }

  async list(filter: GroupFilter, page: Page): Promise<{ items: UserGroup[]; total: number }> {
    const { rows, total } = await this.#deps.store.list(filter, page);
    const items: UserGroup[] = [];
    for (const r of rows) items.push(await this.#view(r));
    return { items, total };
  }

  /** The group's live members, a page at a time (user ids). */
  async members(ref: string, page: Page): Promise<{ userIds: string[]; total: number }> {
    const group = await this.#require(ref);
    if (group.type === 'bulk') return this.#deps.store.members(group.id, page);
    const all = await this.#conditionalMembers(group);
    const start = (page.current - 1) * page.size;
    return { userIds: all.slice(start, start + page.size), total: all.length };
  }

  /** uids of the active groups the user belongs to now, ascending. */
  async groupsOf(userId: string): Promise<number[]> {
    const store = this.#deps.store;
    if (!(await store.isLive(userId))) return [];
    const values = await store.valuesOf(userId);
    const conditional: number[] = [];
    for (const g of await store.activeConditional()) {
      const conditions = parseConditions(g);
      if (this.#meets(conditions, await this.#definitionsOf(conditions), (definitionId) => values.get(definitionId))) conditional.push(g.uid);
    }
    return [...new Set([...conditional, ...(await store.bulkGroupUidsOf(userId))])].sort((a, b) => a - b);
  }

  /** The CSV of rows the last load could not apply, or undefined when it had none. */
  async errorReport(ref: string): Promise<string | undefined> {
    return (await this.#require(ref)).error_report ?? undefined;
  }

  // ---- writing -----------------------------------------------------------------------------------

  async create(input: CreateGroupInput): Promise<UserGroup> {
    const type: GroupType = input.type ?? (input.conditions?.length ? 'conditional' : 'bulk');
    const problems: { path: string; message: string }[] = [];
    if (type === 'conditional') {
      if (!input.conditions?.length) problems.push({ path: 'conditions', message: 'a conditional group needs at least one condition' });
      if (input.file_url !== undefined) problems.push({ path: 'file_url', message: 'only bulk groups load a file' });
    } else if (input.conditions?.length) {
      problems.push({ path: 'conditions', message: 'only conditional groups have conditions' });
    }
    if (problems.length) throw validationError(problems);
    const conditions = type === 'conditional' ? await this.#checkConditions(input.conditions!) : [];
    const fileUrl = type === 'bulk' ? (input.file_url ?? null) : null;
    const t = this.#deps.now();
    const row = await this.#deps.store.transaction((tx) =>
      tx.insert({
        id: objectId(t),
        name: input.name,
        description: input.description,
        type,
        conditions: JSON.stringify(conditions),
        file_url: fileUrl,
        status: fileUrl ? 'pending' : 'completed',
        is_active: input.is_active === false ? 0 : 1,
        error_count: 0,
        error_report: null,
        failure: null,
        created_at: t,
        updated_at: t,
      }),
    );
    this.#deps.log(`user group created uid=${row.uid} type=${type}`);
    if (fileUrl) this.#startLoad(row.id, fileUrl);
    return this.#view(row);
  }

  /** updateUserGroup: changes what it is sent; a new file_url starts a new load. */
  async update(ref: string, input: UpdateGroupInput): Promise<UserGroup> {
    const group = await this.#require(ref);
    const problems: { path: string; message: string }[] = [];
    if (input.type !== undefined && input.type !== group.type) {
      problems.push({ path: 'type', message: `cannot change; this group is ${group.type}` });
    }
    if (input.conditions !== undefined) {
      if (group.type !== 'conditional') problems.push({ path: 'conditions', message: 'only conditional groups have conditions' });
      else if (input.conditions.length === 0) problems.push({ path: 'conditions', message: 'a conditional group needs at least one condition' });
    }
    if (input.file_url !== undefined && group.type !== 'bulk') problems.push({ path: 'file_url', message: 'only bulk groups load a file' });
    if (problems.length) throw validationError(problems);
    if (input.file_url !== undefined) this.#refuseWhilePending(group);

    const changes: Parameters<UserGroupStore['update']>[1] = {};
    if (input.name !== undefined) changes.name = input.name;
    if (input.description !== undefined) changes.description = input.description;
    if (input.is_active !== undefined) changes.is_active = input.is_active ? 1 : 0;
    if (input.conditions !== undefined) changes.conditions = JSON.stringify(await this.#checkConditions(input.conditions));
    if (input.file_url !== undefined) Object.assign(changes, { file_url: input.file_url, status: 'pending', failure: null });
    const row = (await this.#deps.store.update(group.id, changes, this.#deps.now()))!;
    if (input.file_url !== undefined) this.#startLoad(row.id, input.file_url);
    return this.#view(row);
  }

  /**
   * updateUserGroupPartially: details, plus members from a file (`type: file_url`, the default)
   * or from `user_data` rows (`type: json`, also assumed when only user_data is sent).
   */
  async patch(ref: string, input: PatchGroupInput): Promise<UserGroup> {
    const group = await this.#require(ref);
    const source = input.type ?? (input.user_data !== undefined && input.file_url === undefined ? 'json' : 'file_url');
    const problems: { path: string; message: string }[] = [];
    if (source === 'json') {
      if (!input.user_data?.length) problems.push({ path: 'user_data', message: 'is required with type json (at least one row)' });
      if (input.file_url !== undefined) problems.push({ path: 'file_url', message: 'goes with type file_url, not json' });
    } else if (input.user_data !== undefined) {
      problems.push({ path: 'user_data', message: 'goes with type json' });
    }
    if (problems.length) throw validationError(problems);
    const changesMembers = source === 'json' || input.file_url !== undefined;
    if (changesMembers && group.type !== 'bulk') {
      throw new ApiError(400, 'USER_GROUP_NOT_BULK', 'Members are added and removed only in bulk groups; a conditional group follows its conditions');
    }
    if (changesMembers) this.#refuseWhilePending(group);

    const changes: Parameters<UserGroupStore['update']>[1] = {};
    if (input.name !== undefined) changes.name = input.name;
    if (input.description !== undefined) changes.description = input.description;
    if (input.is_active !== undefined) changes.is_active = input.is_active ? 1 : 0;
    if (input.file_url !== undefined) Object.assign(changes, { file_url: input.file_url, status: 'pending', failure: null });
    const store = this.#deps.store;
    const row = await store.transaction(async (tx) => {
      if (source === 'json') {
        const rows = input.user_data!.map((r, i) => ({ ...r, at: `user_data[${i}]` }));
        Object.assign(changes, await this.#applyRows(tx, group.id, rows), { status: 'completed', failure: null });
      }
      return (await tx.update(group.id, changes, this.#deps.now()))!;
    });
    if (input.file_url !== undefined) this.#startLoad(row.id, input.file_url);
    return this.#view(row);
  }

  /** Deletes a group and its member rows. */
  async remove(ref: string): Promise<UserGroup> {
    const group = await this.#require(ref);
    await this.#deps.store.delete(group.id);
    this.#deps.log(`user group deleted uid=${group.uid}`);
    return this.#view(group);
  }

  // ---- background loads --------------------------------------------------------------------------

  /** Resolves when no file load is running (also those started while waiting). */
  async idle(): Promise<void> {
    while (this.#jobs.size) await Promise.allSettled([...this.#jobs]);
  }

  /** Loads left pending by a stopped process start again. */
  async resumePending(): Promise<void> {
    for (const g of await this.#deps.store.pendingWithFile()) this.#startLoad(g.id, g.file_url!);
  }

  /**
   * Loads still pending long after any fetch could have ended (STALE_LOAD_MS): the instance that
   * ran them stopped mid-load. The scheduled work calls this under its lease, so with several
   * instances a dead one's loads are picked up without waiting for a restart; a load that two
   * instances happen to run is applied once (the apply re-checks the group under its lock).
   */
  async resumeStale(): Promise<number> {
    const stale = await this.#deps.store.pendingWithFile(this.#deps.now() - STALE_LOAD_MS);
    for (const g of stale) this.#startLoad(g.id, g.file_url!);
    return stale.length;
  }

  /** Stops running fetches and queued ones; what they would have applied is dropped. */
  async close(): Promise<void> {
    this.#stop.abort();
    for (const wake of this.#waiting.splice(0)) wake();
  }

  #startLoad(groupId: string, url: string): void {
    const job = this.#load(groupId, url)
      .catch((err: unknown) => this.#deps.log(`user group load crashed group=${groupId}: ${(err as Error).stack ?? String(err)}`))
      .finally(() => this.#jobs.delete(job));
    this.#jobs.add(job);
  }

  async #load(groupId: string, url: string): Promise<void> {
    while (this.#running >= MAX_PARALLEL_LOADS && !this.#stop.signal.aborted) {
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    }
    this.#running++;
    try {
      await this.#fetchAndApply(groupId, url);
    } finally {
      this.#running--;
      this.#waiting.shift()?.();
    }
  }

  async #fetchAndApply(groupId: string, url: string): Promise<void> {
    let rows: SourceRow[];
    try {
      if (this.#stop.signal.aborted) return;
      rows = readCsv(await this.#deps.fetchFile(url, this.#stop.signal));
    } catch (err) {
      if (this.#stop.signal.aborted || !this.#deps.store.isOpen) return;
      const known = err instanceof FileFetchError || err instanceof GroupFileError;
      if (!known) this.#deps.log(`user group file failed group=${groupId}: ${(err as Error).stack ?? String(err)}`);
      await this.#finish(groupId, url, {
        status: 'failed',
        failure: known ? (err as Error).message : 'the file could not be loaded',
        error_count: 0,
        error_report: null,
      });
      return;
    }
    if (this.#stop.signal.aborted || !this.#deps.store.isOpen) return;
    const store = this.#deps.store;
    await store.transaction(async (tx) => {
      const group = await tx.byId(groupId);
      // Deleted meanwhile, or no longer waiting for this file: nothing to apply.
      if (!group || group.status !== 'pending' || group.file_url !== url) return;
      const outcome = await this.#applyRows(tx, groupId, rows);
      await tx.update(groupId, { ...outcome, status: 'completed', failure: null }, this.#deps.now(), false);
      this.#deps.log(`user group file loaded uid=${group.uid} rows=${rows.length} bad=${outcome.error_count}`);
    });
  }

  async #finish(groupId: string, url: string, changes: Parameters<UserGroupStore['update']>[1]): Promise<void> {
    const store = this.#deps.store;
    await store.transaction(async (tx) => {
      const group = await tx.byId(groupId);
      if (group?.status === 'pending' && group.file_url === url) await tx.update(groupId, changes, this.#deps.now(), false);
    });
  }

  /** Applies rows in order (call inside a transaction) and reports those that name nobody. */
  async #applyRows(store: UserGroupStore, groupId: string, rows: SourceRow[]): Promise<{ error_count: number; error_report: string | null }> {
    const bad: BadRow[] = [];
    const t = this.#deps.now();
    for (const row of rows) {
      const found = await this.#resolve(store, row);
      if ('error' in found) {
        bad.push({ row, error: found.error });
        continue;
      }
      if (found.action === 'add') await store.addMember(groupId, found.userId, t);
      else await store.removeMember(groupId, found.userId);
    }
    return { error_count: bad.length, error_report: bad.length ? reportCsv(bad) : null };
  }

  async #resolve(store: UserGroupStore, row: SourceRow): Promise<{ userId: string; action: 'add' | 'remove' } | { error: string }> {
    const action = row.action.trim().toLowerCase();
    if (action !== 'add' && action !== 'remove') return { error: 'action must be add or remove' };
    const ids = new Set<string>();
    let given = 0;
    for (const field of IDENTIFIERS) {
      const value = row[field]?.trim();
      if (!value) continue;
      given++;
      let id: string | undefined;
      if (field === 'user_id') id = OBJECT_ID.test(value) && (await store.userExists(value.toLowerCase())) ? value.toLowerCase() : undefined;
      else if (field === 'email') id = await store.userByEmail(normalizeEmail(value).toLowerCase());
      else {
        const phone = parsePhone(value);
        if (!phone) return { error: 'phone_number is not a phone number' };
        id = await store.userByPhone(phone.country_code, phone.phone);
      }
      if (!id) return { error: `no account has this ${field}` };
      ids.add(id);
    }
    if (given === 0) return { error: 'needs a phone_number, email or user_id' };
    if (ids.size > 1) return { error: 'its user_id, email and phone_number name different accounts' };
    return { userId: [...ids][0]!, action };
  }

  #refuseWhilePending(group: GroupRow): void {
    if (group.status === 'pending') {
      throw new ApiError(409, 'USER_GROUP_BUSY', 'This group is still loading its file; change its members once the load has finished');
    }
  }

  // ---- conditions --------------------------------------------------------------------------------

  /** Checks conditions against their attribute definitions; returns them as stored. */
  async #checkConditions(input: ConditionInput[]): Promise<StoredCondition[]> {
    const problems: { path: string; message: string }[] = [];
    const out: StoredCondition[] = [];
    const definitions = await Promise.all(input.map((c) => this.#deps.findDefinition(c.user_attribute_definition_id)));
    input.forEach((c, i) => {
      const at = `conditions[${i}]`;
      const d = definitions[i];
      if (!d) {
        problems.push({ path: `${at}.user_attribute_definition_id`, message: 'no user attribute definition has this id' });
        return;
      }
      const allowed = d.multiValue ? (['contains'] as const) : TYPES_FOR[d.type];
      if (!(allowed as readonly string[]).includes(c.type)) {
        problems.push({
          path: `${at}.type`,
          message: `a ${d.multiValue ? 'multi-value ' : ''}${d.type} attribute (${d.slug}) takes ${allowed.join(', ')}`,
        });
        return;
      }
      if (c.ignore_year !== undefined && d.type !== 'date') {
        problems.push({ path: `${at}.ignore_year`, message: 'applies only to date attributes' });
        return;
      }
      const value = conditionValue(d, c.value);
      if ('message' in value) {
        problems.push({ path: `${at}.value`, message: value.message });
        return;
      }
      out.push({
        user_attribute_definition_id: d.id,
        type: c.type,
        value: value.text,
        ...(c.ignore_year !== undefined ? { ignore_year: c.ignore_year } : {}),
      });
    });
    if (problems.length) throw validationError(problems);
    return out;
  }

  async #definitionsOf(conditions: StoredCondition[]): Promise<Map<string, ConditionDefinition | undefined>> {
    const ids = [...new Set(conditions.map((c) => c.user_attribute_definition_id))];
    const found = await Promise.all(ids.map((id) => this.#deps.findDefinition(id)));
    return new Map(ids.map((id, i) => [id, found[i]]));
  }

  /** Whether values meet every condition; a missing value or definition meets none. */
  #meets(
    conditions: StoredCondition[],
    definitions: Map<string, ConditionDefinition | undefined>,
    valueOf: (definitionId: string) => string | undefined,
  ): boolean {
    return conditions.every((c) => {
      const d = definitions.get(c.user_attribute_definition_id);
      const raw = valueOf(c.user_attribute_definition_id);
      return d !== undefined && raw !== undefined && conditionHolds(d, c, JSON.parse(raw) as unknown);
    });
  }

  async #conditionalMembers(group: GroupRow): Promise<string[]> {
    const conditions = parseConditions(group);
    const definitions = await this.#definitionsOf(conditions);
    const ids = [...definitions.keys()];
    const byUser = new Map<string, Map<string, string>>();
    for (const r of await this.#deps.store.valuesFor(ids)) {
      let values = byUser.get(r.user_id);
      if (!values) byUser.set(r.user_id, (values = new Map()));
      values.set(r.definition_id, r.value);
    }
    return [...byUser].filter(([, values]) => this.#meets(conditions, definitions, (id) => values.get(id))).map(([userId]) => userId);
  }

  // ---- helpers -----------------------------------------------------------------------------------

  async #require(ref: string): Promise<GroupRow> {
    const store = this.#deps.store;
    let row: GroupRow | undefined;
    if (/^\d{1,15}$/.test(ref)) row = await store.byUid(Number(ref));
    else if (OBJECT_ID.test(ref)) row = await store.byId(ref.toLowerCase());
    if (!row) throw groupNotFound();
    return row;
  }

  async #view(row: GroupRow): Promise<UserGroup> {
    return {
      id: row.id,
      uid: row.uid,
      applicationId: row.application_id,
      name: row.name,
      description: row.description,
      type: row.type,
      conditions: await Promise.all(
        parseConditions(row).map(async (c) => {
          const d = await this.#deps.findDefinition(c.user_attribute_definition_id);
          return d ? { ...c, key: d.slug } : c;
        }),
      ),
      fileUrl: row.file_url,
      status: row.status,
      isActive: row.is_active === 1,
      errorCount: row.error_count,
      hasErrorReport: row.error_report !== null,
      failure: row.failure,
      version: row.version,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }
}

function parseConditions(row: GroupRow): StoredCondition[] {
  return JSON.parse(row.conditions) as StoredCondition[];
}

/** A condition's value checked for the attribute's type, kept as text (the seed types it String). */
function conditionValue(d: ConditionDefinition, raw: string | number | boolean): { text: string } | { message: string } {
  const text = typeof raw === 'string' ? raw.trim() : String(raw);
  switch (d.type) {
    case 'number':
      return /^-?\d+(\.\d+)?$/.test(text) ? { text: String(Number(text)) } : { message: 'expected a number' };
    case 'date':
      return parseDate(text) !== null ? { text } : { message: 'expected a date like 2000-01-31' };
    case 'boolean':
      return text === 'true' || text === 'false' ? { text } : { message: 'expected true or false' };
    case 'enum':
      return d.options.includes(text) ? { text } : { message: `expected one of ${d.options.join(', ')}` };
    case 'string':
      if (text === '') return { message: 'must not be empty' };
      return text.length <= STRING_VALUE_MAX ? { text } : { message: `must be at most ${STRING_VALUE_MAX} characters` };
  }
}

/** A date compared by its calendar day (UTC), or by month and day when the year is ignored. */
function dayKey(value: string, ignoreYear: boolean): number | null {
  const t = parseDate(value);
  if (t === null) return null;
  if (!ignoreYear) return Math.floor(t / DAY_MS);
  const d = new Date(t);
  return (d.getUTCMonth() + 1) * 100 + d.getUTCDate();
}

function compare(op: string, a: number, b: number): boolean {
  switch (op) {
    case 'eq':
      return a === b;
    case 'neq':
      return a !== b;
    case 'gt':
      return a > b;
    case 'gte':
      return a >= b;
    case 'lt':
      return a < b;
    case 'lte':
      return a <= b;
    default:
      return false;
  }
}

/** One stored value against one condition. Anything that does not fit the type fails the condition. */
export function conditionHolds(d: ConditionDefinition, c: StoredCondition, value: unknown): boolean {
  if (d.multiValue) {
    return c.type === 'contains' && Array.isArray(value) && value.some((item) => conditionHolds({ ...d, multiValue: false }, { ...c, type: 'eq' }, item));
  }
  switch (d.type) {
    case 'number':
      return typeof value === 'number' && compare(c.type, value, Number(c.value));
    case 'date': {
      const a = typeof value === 'string' ? dayKey(value, c.ignore_year === true) : null;
      const b = dayKey(c.value, c.ignore_year === true);
      return a !== null && b !== null && compare(c.type, a, b);
    }
    case 'boolean':
      return typeof value === 'boolean' && (c.type === 'eq' ? value === (c.value === 'true') : c.type === 'neq' && value !== (c.value === 'true'));
    case 'enum':
    case 'string':
      if (typeof value !== 'string') return false;
      if (c.type === 'eq') return value === c.value;
      if (c.type === 'neq') return value !== c.value;
      return c.type === 'contains' && d.type === 'string' && value.toLowerCase().includes(c.value.toLowerCase());
  }
}

/** Reads a bulk file: UTF-8 CSV, a header naming `action` and at least one identifier column. */
function readCsv(bytes: Uint8Array): SourceRow[] {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new GroupFileError('the file is not UTF-8 text');
  }
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parseCsvText(text, { bom: true, relax_column_count: true, skip_empty_lines: true, trim: true, info: true }) as unknown as typeof records;
  } catch (err) {
    throw new GroupFileError(`the file is not valid CSV: ${(err as Error).message.slice(0, 200)}`);
  }
  if (records.length === 0) throw new GroupFileError('the file is empty');
  if (records.length - 1 > MAX_FILE_ROWS) throw new GroupFileError(`the file has more than ${MAX_FILE_ROWS} rows`);
  const header = records[0]!.record.map((h) => h.trim().toLowerCase());
  const column = (name: string): number => header.indexOf(name);
  if (column('action') < 0 || IDENTIFIERS.every((f) => column(f) < 0)) {
    throw new GroupFileError('the first line must name an action column and a phone_number, email or user_id column');
  }
  const cell = (record: string[], name: string): string | undefined => {
    const i = column(name);
    return i < 0 ? undefined : record[i];
  };
  return records.slice(1).map(({ record, info }) => ({
    at: String(info.lines),
    user_id: cell(record, 'user_id'),
    email: cell(record, 'email'),
    phone_number: cell(record, 'phone_number'),
    action: cell(record, 'action') ?? '',
  }));
}

/**
 * One CSV cell. Text that a spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a
 * leading apostrophe, since these cells echo what someone else put in a file.
 */
function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
}

function reportCsv(bad: BadRow[]): string {
  const lines = ['row,user_id,email,phone_number,action,error'];
  for (const { row, error } of bad) {
    lines.push([row.at, row.user_id ?? '', row.email ?? '', row.phone_number ?? '', row.action, error].map(csvCell).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** The narrow part of the service context this feature needs. */
export interface UserGroupContext extends AttributeContext {
  sql: Sql;
  dev: boolean;
  /** False once the service has closed the database (background loads then stop quietly). */
  isOpen: () => boolean;
}

export interface UserGroupSettings {
  /** Hosts a bulk file_url may name (GROUP_FILE_HOSTS). */
  fileHosts?: readonly string[] | undefined;
  /** Replaces the fetcher (tests of this layer). */
  fetchFile?: UserGroupDeps['fetchFile'] | undefined;
  /** Overrides the size, time and redirect limits of the fetcher. */
  fileLimits?: Partial<Pick<FilePolicy, 'maxBytes' | 'timeoutMs' | 'maxRedirects' | 'resolve' | 'timers'>> | undefined;
}

/** Wires the service to SQLite, the attribute definitions and the guarded fetcher, and resumes pending loads. */
/** Longer than any file fetch may take (DEFAULT_FILE_LIMITS.timeoutMs) plus applying its rows. */
export const STALE_LOAD_MS = 10 * 60 * 1000;

export async function createUserGroupService(ctx: UserGroupContext, settings: UserGroupSettings = {}): Promise<UserGroupService> {
  const policy: FilePolicy = { dev: ctx.dev, hosts: settings.fileHosts ?? [], ...DEFAULT_FILE_LIMITS, ...settings.fileLimits };
  const service = new UserGroupService({
    store: new UserGroupStore(ctx.sql, ctx.applicationId, ctx.isOpen),
    findDefinition: async (id) => {
      const d = await findDefinition(ctx, id);
      if (!d) return undefined;
      const options = d.validations.find((v) => v.type === 'enum')?.value;
      return { id: d.id, slug: d.slug, type: d.type, multiValue: d.multi_value === 1, options: Array.isArray(options) ? (options as string[]) : [] };
    },
    fetchFile: settings.fetchFile ?? ((url, signal) => fetchFile(url, { ...policy, signal })),
    now: ctx.now,
    log: ctx.log,
  });
  await service.resumePending();
  return service;
}
