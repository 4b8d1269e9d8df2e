// SQL for user groups (services/user-groups.ts has the rules): the groups of one application,
// the members of bulk groups, and the few reads of users and attribute values that deciding
// membership needs. Nothing here knows about HTTP or about what a condition means.
import type { DB } from './db';

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
  readonly #db: DB;
  readonly #app: string;

  constructor(db: DB, applicationId: string) {
    this.#db = db;
    this.#app = applicationId;
  }

  get isOpen(): boolean {
    return this.#db.open;
  }

  /** Runs `fn` in one transaction: everything it writes lands, or nothing does. */
  transaction<T>(fn: () => T): T {
    return this.#db.transaction(fn).immediate();
  }

  /** Inserts a group with the next uid of the application (call inside a transaction). */
  insert(row: Omit<GroupRow, 'uid' | 'application_id' | 'version'>): GroupRow {
    const next = this.#db
      .prepare(
        `INSERT INTO user_group_uids (application_id, last_uid) VALUES (?, 1)
         ON CONFLICT (application_id) DO UPDATE SET last_uid = last_uid + 1 RETURNING last_uid AS uid`,
      )
      .get(this.#app) as { uid: number };
    this.#db
      .prepare(
        `INSERT INTO user_groups (id, application_id, uid, name, description, type, conditions, file_url, status, is_active,
           error_count, error_report, failure, version, created_at, updated_at)
         VALUES (@id, @app, @uid, @name, @description, @type, @conditions, @file_url, @status, @is_active,
           @error_count, @error_report, @failure, 0, @created_at, @updated_at)`,
      )
      .run({ ...row, app: this.#app, uid: next.uid });
    return this.byId(row.id)!;
  }

  byId(id: string): GroupRow | undefined {
    return this.#db.prepare('SELECT * FROM user_groups WHERE id = ? AND application_id = ?').get(id, this.#app) as GroupRow | undefined;
  }

  byUid(uid: number): GroupRow | undefined {
    return this.#db.prepare('SELECT * FROM user_groups WHERE uid = ? AND application_id = ?').get(uid, this.#app) as GroupRow | undefined;
  }

  list(filter: GroupFilter, page: Page): { rows: GroupRow[]; total: number } {
    const where = ['application_id = @app'];
    const params: Record<string, unknown> = { app: this.#app };
    if (filter.name !== undefined) {
      where.push("name LIKE @name ESCAPE '\\'");
      params['name'] = `%${filter.name.replace(LIKE_ESCAPE, (ch) => `\\${ch}`)}%`;
    }
    if (filter.type !== undefined) {
      where.push('type = @type');
      params['type'] = filter.type;
    }
    if (filter.status !== undefined) {
      where.push('status = @status');
      params['status'] = filter.status;
    }
    if (filter.uid !== undefined) {
      where.push('uid = @uid');
      params['uid'] = filter.uid;
    }
    const clause = where.join(' AND ');
    const total = (this.#db.prepare(`SELECT COUNT(*) AS n FROM user_groups WHERE ${clause}`).get(params) as { n: number }).n;
    const rows = this.#db
      .prepare(`SELECT * FROM user_groups WHERE ${clause} ORDER BY uid LIMIT @limit OFFSET @offset`)
      .all({ ...params, limit: page.size, offset: (page.current - 1) * page.size }) as GroupRow[];
    return { rows, total };
  }

  /**
   * Sets the given columns and the modified time; `__v` counts the admin's edits, so a load
   * finishing (`edit: false`) leaves it. Returns the row as it now is.
   */
  update(id: string, changes: GroupChanges, now: number, edit = true): GroupRow | undefined {
    const columns = Object.keys(changes);
    const sets = [...columns.map((c) => `${c} = @${c}`), ...(edit ? ['version = version + 1'] : []), 'updated_at = @now'];
    this.#db.prepare(`UPDATE user_groups SET ${sets.join(', ')} WHERE id = @id AND application_id = @app`).run({
      ...changes,
      id,
      app: this.#app,
      now,
    });
    return this.byId(id);
  }

  delete(id: string): boolean {
    return this.#db.prepare('DELETE FROM user_groups WHERE id = ? AND application_id = ?').run(id, this.#app).changes > 0;
  }

  pendingWithFile(): GroupRow[] {
    return this.#db
      .prepare("SELECT * FROM user_groups WHERE application_id = ? AND status = 'pending' AND file_url IS NOT NULL")
      .all(this.#app) as GroupRow[];
  }

  /** Active conditional groups, for deciding one shopper's groups. */
  activeConditional(): GroupRow[] {
    return this.#db
      .prepare("SELECT * FROM user_groups WHERE application_id = ? AND type = 'conditional' AND is_active = 1 ORDER BY uid")
      .all(this.#app) as GroupRow[];
  }

  // ---- bulk membership ---------------------------------------------------------------------------

  addMember(groupId: string, userId: string, now: number): void {
    this.#db
      .prepare('INSERT OR IGNORE INTO user_group_members (group_id, user_id, application_id, added_at) VALUES (?, ?, ?, ?)')
      .run(groupId, userId, this.#app, now);
  }

  removeMember(groupId: string, userId: string): void {
    this.#db.prepare('DELETE FROM user_group_members WHERE group_id = ? AND user_id = ?').run(groupId, userId);
  }

  /** Members of a bulk group who still have a live account, oldest membership first. */
  members(groupId: string, page: Page): { userIds: string[]; total: number } {
    const from = `FROM user_group_members m JOIN users u ON u.id = m.user_id
      WHERE m.group_id = ? AND u.deleted_at IS NULL`;
    const total = (this.#db.prepare(`SELECT COUNT(*) AS n ${from}`).get(groupId) as { n: number }).n;
    const rows = this.#db
      .prepare(`SELECT m.user_id ${from} ORDER BY m.added_at, m.user_id LIMIT ? OFFSET ?`)
      .all(groupId, page.size, (page.current - 1) * page.size) as { user_id: string }[];
    return { userIds: rows.map((r) => r.user_id), total };
  }

  /** uids of the active bulk groups the user is a member of. */
  bulkGroupUidsOf(userId: string): number[] {
    return (
      this.#db
        .prepare(
          `SELECT g.uid FROM user_group_members m JOIN user_groups g ON g.id = m.group_id
           WHERE m.user_id = ? AND g.application_id = ? AND g.is_active = 1 ORDER BY g.uid`,
        )
        .all(userId, this.#app) as { uid: number }[]
    ).map((r) => r.uid);
  }

  // ---- users and attribute values ----------------------------------------------------------------

  userExists(userId: string): boolean {
    return !!this.#db.prepare('SELECT 1 FROM users WHERE id = ? AND application_id = ?').get(userId, this.#app);
  }

  isLive(userId: string): boolean {
    return !!this.#db.prepare('SELECT 1 FROM users WHERE id = ? AND application_id = ? AND deleted_at IS NULL').get(userId, this.#app);
  }

  userByEmail(emailKey: string): string | undefined {
    const row = this.#db
      .prepare('SELECT user_id FROM user_emails WHERE application_id = ? AND email_key = ? AND active = 1')
      .get(this.#app, emailKey) as { user_id: string } | undefined;
    return row?.user_id;
  }

  userByPhone(countryCode: number, phone: string): string | undefined {
    const row = this.#db
      .prepare('SELECT user_id FROM user_phones WHERE application_id = ? AND country_code = ? AND phone = ? AND active = 1')
      .get(this.#app, countryCode, phone) as { user_id: string } | undefined;
    return row?.user_id;
  }

  /** One user's values, as stored JSON, keyed by definition id. */
  valuesOf(userId: string): Map<string, string> {
    const rows = this.#db
      .prepare('SELECT definition_id, value FROM user_attributes WHERE user_id = ? AND application_id = ?')
      .all(userId, this.#app) as { definition_id: string; value: string }[];
    return new Map(rows.map((r) => [r.definition_id, r.value]));
  }

  /** Every live user's values for these definitions, ordered by when the user was created. */
  valuesFor(definitionIds: string[]): AttributeValueRow[] {
    if (definitionIds.length === 0) return [];
    const marks = definitionIds.map(() => '?').join(', ');
    return this.#db
      .prepare(
        `SELECT v.user_id, v.definition_id, v.value FROM user_attributes v JOIN users u ON u.id = v.user_id
         WHERE v.application_id = ? AND u.deleted_at IS NULL AND v.definition_id IN (${marks})
         ORDER BY u.created_at, u.id`,
      )
      .all(this.#app, ...definitionIds) as AttributeValueRow[];
  }
}
