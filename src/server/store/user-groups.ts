// SQL for user groups (services/user-groups.ts has the rules): the groups of one application,
// the members of bulk groups, and the few reads of users and attribute values that deciding
// membership needs. Nothing here knows about HTTP or about what a condition means.
import type { Sql } from './sql';

export type GroupType = 'conditional' | 'bulk';
export type GroupStatus = 'pending' | 'completed' | 'failed';

/** One stored condition; `value` is kept as the text the admin sent. */
export interface StoredCondition {
  user_attribute_definition_id: string;
  type: string;
  value: string;
  ignore_year?: boolean;
}

export interface GroupRow {
  id: string;
  application_id: string;
  uid: number;
  name: string;
  description: string;
  type: GroupType;
  conditions: string; // JSON StoredCondition[]
  file_url: string | null;
  status: GroupStatus;
  is_active: number;
  error_count: number;
  error_report: string | null; // CSV of the rows the last load could not apply
  failure: string | null; // why the last file could not be loaded at all
  version: number;
  created_at: number;
  updated_at: number;
}

export interface GroupFilter {
  name?: string;
  type?: GroupType;
  status?: GroupStatus;
  uid?: number;
}

export interface Page {
  size: number;
  current: number;
}

/** The columns an update may set. */
export type GroupChanges = Partial<
  Pick<GroupRow, 'name' | 'description' | 'conditions' | 'file_url' | 'status' | 'is_active' | 'error_count' | 'error_report' | 'failure'>
>;

export interface AttributeValueRow {
  user_id: string;
  definition_id: string;
  value: string; // JSON
}

const LIKE_ESCAPE = /[\\%_]/g;

export class UserGroupStore {
  readonly #sql: Sql;
  readonly #app: string;
  readonly #isOpen: () => boolean;

  /** `isOpen` tells background loads whether the database is still there to write to. */
  constructor(sql: Sql, applicationId: string, isOpen: () => boolean = () => true) {
    this.#sql = sql;
    this.#app = applicationId;
    this.#isOpen = isOpen;
  }

  get isOpen(): boolean {
    return this.#isOpen();
  }

  /**
   * Runs `fn` in one transaction: everything it writes through the store it is given lands, or
   * nothing does. The uid counter and group rows are locked per application, so a bulk load and
   * an edit of the same application's groups on two instances do not interleave.
   */
  transaction<T>(fn: (store: UserGroupStore) => Promise<T>): Promise<T> {
    return this.#sql.tx(async (q) => {
      await q.lock(`user-groups:${this.#app}`);
      return fn(new UserGroupStore(q, this.#app, this.#isOpen));
    });
  }

  /** Inserts a group with the next uid of the application (call inside a transaction). */
  async insert(row: Omit<GroupRow, 'uid' | 'application_id' | 'version'>): Promise<GroupRow> {
    const next = (await this.#sql.get<{ uid: number }>(
      `INSERT INTO user_group_uids (application_id, last_uid) VALUES (?, 1)
       ON CONFLICT (application_id) DO UPDATE SET last_uid = user_group_uids.last_uid + 1 RETURNING last_uid AS uid`,
      this.#app,
    ))!;
    await this.#sql.run(
      `INSERT INTO user_groups (id, application_id, uid, name, description, type, conditions, file_url, status, is_active,
         error_count, error_report, failure, version, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)`,
      row.id,
      this.#app,
      Number(next.uid),
      row.name,
      row.description,
      row.type,
      row.conditions,
      row.file_url,
      row.status,
      row.is_active,
      row.error_count,
      row.error_report,
      row.failure,
      row.created_at,
      row.updated_at,
    );
    return (await this.byId(row.id))!;
  }

  async byId(id: string): Promise<GroupRow | undefined> {
    return await this.#sql.get('SELECT * FROM user_groups WHERE id = ? AND application_id = ?', id, this.#app) as GroupRow | undefined;
  }

  async byUid(uid: number): Promise<GroupRow | undefined> {
    return await this.#sql.get('SELECT * FROM user_groups WHERE uid = ? AND application_id = ?', uid, this.#app) as GroupRow | undefined;
  }

  async list(filter: GroupFilter, page: Page): Promise<{ rows: GroupRow[]; total: number }> {
    const where = ['application_id = ?'];
    const params: (string | number)[] = [this.#app];
    if (filter.name !== undefined) {
      where.push("lower(name) LIKE lower(?) ESCAPE '\\'");
      params.push(`%${filter.name.replace(LIKE_ESCAPE, (ch) => `\\${ch}`)}%`);
    }
    if (filter.type !== undefined) {
      where.push('type = ?');
      params.push(filter.type);
    }
    if (filter.status !== undefined) {
      where.push('status = ?');
      params.push(filter.status);
    }
    if (filter.uid !== undefined) {
      where.push('uid = ?');
      params.push(filter.uid);
    }
    const clause = where.join(' AND ');
    const total = Number((await this.#sql.get<{ n: number }>(`SELECT COUNT(*) AS n FROM user_groups WHERE ${clause}`, ...params))!.n);
    const rows = await this.#sql.all<GroupRow>(
      `SELECT * FROM user_groups WHERE ${clause} ORDER BY uid LIMIT ? OFFSET ?`,
      ...params,
      page.size,
      (page.current - 1) * page.size,
    );
    return { rows, total };
  }

  /**
   * Sets the given columns and the modified time; `__v` counts the admin's edits, so a load
   * finishing (`edit: false`) leaves it. Returns the row as it now is.
   */
  async update(id: string, changes: GroupChanges, now: number, edit = true): Promise<GroupRow | undefined> {
    const columns = Object.keys(changes) as (keyof GroupChanges)[];
    const sets = [...columns.map((c) => `${c} = ?`), ...(edit ? ['version = version + 1'] : []), 'updated_at = ?'];
    await this.#sql.run(
      `UPDATE user_groups SET ${sets.join(', ')} WHERE id = ? AND application_id = ?`,
      ...columns.map((c) => changes[c] ?? null),
      now,
      id,
      this.#app,
    );
    return this.byId(id);
  }

  async delete(id: string): Promise<boolean> {
    return (await this.#sql.run('DELETE FROM user_groups WHERE id = ? AND application_id = ?', id, this.#app)).changes > 0;
  }

  /** Groups waiting for their file; with `updatedBefore`, only those waiting since before then. */
  async pendingWithFile(updatedBefore?: number): Promise<GroupRow[]> {
    const pending = "SELECT * FROM user_groups WHERE application_id = ? AND status = 'pending' AND file_url IS NOT NULL";
    if (updatedBefore === undefined) return (await this.#sql.all(pending, this.#app)) as GroupRow[];
    return (await this.#sql.all(`${pending} AND updated_at < ?`, this.#app, updatedBefore)) as GroupRow[];
  }

  /** Active conditional groups, for deciding one shopper's groups. */
  async activeConditional(): Promise<GroupRow[]> {
    return await this.#sql.all("SELECT * FROM user_groups WHERE application_id = ? AND type = 'conditional' AND is_active = 1 ORDER BY uid", this.#app) as GroupRow[];
  }

  // ---- bulk membership ---------------------------------------------------------------------------

  async addMember(groupId: string, userId: string, now: number): Promise<void> {
    await this.#sql.run(
      `INSERT INTO user_group_members (group_id, user_id, application_id, added_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (group_id, user_id) DO NOTHING`,
      groupId,
      userId,
      this.#app,
      now,
    );
  }

  async removeMember(groupId: string, userId: string): Promise<void> {
    await this.#sql.run('DELETE FROM user_group_members WHERE group_id = ? AND user_id = ?', groupId, userId);
  }

  /** Members of a bulk group who still have a live account, oldest membership first. */
  async members(groupId: string, page: Page): Promise<{ userIds: string[]; total: number }> {
    const from = `FROM user_group_members m JOIN users u ON u.id = m.user_id
      WHERE m.group_id = ? AND u.deleted_at IS NULL`;
    const total = Number((await this.#sql.get<{ n: number }>(`SELECT COUNT(*) AS n ${from}`, groupId))!.n);
    const rows = await this.#sql.all(`SELECT m.user_id ${from} ORDER BY m.added_at, m.user_id LIMIT ? OFFSET ?`, groupId, page.size, (page.current - 1) * page.size) as { user_id: string }[];
    return { userIds: rows.map((r) => r.user_id), total };
  }

  /** uids of the active bulk groups the user is a member of. */
  async bulkGroupUidsOf(userId: string): Promise<number[]> {
    return (
      await this.#sql.all(`SELECT g.uid FROM user_group_members m JOIN user_groups g ON g.id = m.group_id
           WHERE m.user_id = ? AND g.application_id = ? AND g.is_active = 1 ORDER BY g.uid`, userId, this.#app) as { uid: number }[]
    ).map((r) => r.uid);
  }

  // ---- users and attribute values ----------------------------------------------------------------

  async userExists(userId: string): Promise<boolean> {
    return !!await this.#sql.get('SELECT 1 AS x FROM users WHERE id = ? AND application_id = ?', userId, this.#app);
  }

  async isLive(userId: string): Promise<boolean> {
    return !!await this.#sql.get('SELECT 1 AS x FROM users WHERE id = ? AND application_id = ? AND deleted_at IS NULL', userId, this.#app);
  }

  async userByEmail(emailKey: string): Promise<string | undefined> {
    const row = await this.#sql.get('SELECT user_id FROM user_emails WHERE application_id = ? AND email_key = ? AND active = 1', this.#app, emailKey) as { user_id: string } | undefined;
    return row?.user_id;
  }

  async userByPhone(countryCode: number, phone: string): Promise<string | undefined> {
    const row = await this.#sql.get('SELECT user_id FROM user_phones WHERE application_id = ? AND country_code = ? AND phone = ? AND active = 1', this.#app, countryCode, phone) as { user_id: string } | undefined;
    return row?.user_id;
  }

  /** One user's values, as stored JSON, keyed by definition id. */
  async valuesOf(userId: string): Promise<Map<string, string>> {
    const rows = await this.#sql.all('SELECT definition_id, value FROM user_attributes WHERE user_id = ? AND application_id = ?', userId, this.#app) as { definition_id: string; value: string }[];
    return new Map(rows.map((r) => [r.definition_id, r.value]));
  }

  /** Every live user's values for these definitions, ordered by when the user was created. */
  async valuesFor(definitionIds: string[]): Promise<AttributeValueRow[]> {
    if (definitionIds.length === 0) return [];
    const marks = definitionIds.map(() => '?').join(', ');
    return await this.#sql.all(`SELECT v.user_id, v.definition_id, v.value FROM user_attributes v JOIN users u ON u.id = v.user_id
         WHERE v.application_id = ? AND u.deleted_at IS NULL AND v.definition_id IN (${marks})
         ORDER BY u.created_at, u.id`, this.#app, ...definitionIds) as AttributeValueRow[];
  }
}
