// SQL for an account's life after a deletion request (services/deletion.ts has the rules): the
// admin timeline, soft deletion and restore, and the final purge with its tombstone.
import type { Sql } from './sql';
import type { UserRow } from './users';

/** The users row with the state columns UserRow leaves out. */
export interface AccountRow extends UserRow {
  archived: number;
  blocked_reason: string | null;
  delete_reason: string | null;
  delete_reason_id: string | null;
  delete_reason_text: string | null;
}

export interface TimelineRow {
  type: string;
  title: string;
  sub_title: string;
  visible: number;
  created_at: number;
}

export interface TimelineEvent {
  type: string;
  title: string;
  subTitle?: string;
  visible?: boolean;
}

export async function findAccountRow(q: Sql, applicationId: string, userId: string): Promise<AccountRow | undefined> {
  return q.get<AccountRow>('SELECT * FROM users WHERE id = ? AND application_id = ?', userId, applicationId);
}

export async function insertTimelineEvent(q: Sql, applicationId: string, userId: string, event: TimelineEvent, now: number): Promise<void> {
  await q.run(
    `INSERT INTO user_timeline (application_id, user_id, type, title, sub_title, visible, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
    applicationId,
    userId,
    event.type,
    event.title,
    event.subTitle ?? '',
    event.visible === false ? 0 : 1,
    now,
  );
}

/** What is left of a purged account; undefined when this service never purged it. */
export async function findTombstone(q: Sql, applicationId: string, userId: string): Promise<{ delete_on: number | null } | undefined> {
  return q.get<{ delete_on: number | null }>('SELECT delete_on FROM purged_users WHERE user_id = ? AND application_id = ?', userId, applicationId);
}

export async function timelineRows(q: Sql, applicationId: string, userId: string): Promise<TimelineRow[]> {
  return q.all<TimelineRow>(
    `SELECT type, title, sub_title, visible, created_at FROM user_timeline
     WHERE user_id = ? AND application_id = ? ORDER BY created_at, id`,
    userId,
    applicationId,
  );
}

export async function markDeleted(
  q: Sql,
  userId: string,
  fields: { at: number; deleteOn: number; reason: string | null; reasonId: string | null; reasonText: string | null },
): Promise<void> {
  await q.run(
    `UPDATE users SET deleted_at = ?, delete_on = ?, delete_reason = ?, delete_reason_id = ?,
       delete_reason_text = ?, updated_at = ? WHERE id = ?`,
    fields.at,
    fields.deleteOn,
    fields.reason,
    fields.reasonId,
    fields.reasonText,
    fields.at,
    userId,
  );
}

export async function clearDeletion(q: Sql, userId: string, now: number): Promise<void> {
  await q.run(
    `UPDATE users SET deleted_at = NULL, delete_on = NULL, delete_reason = NULL, delete_reason_id = NULL,
       delete_reason_text = NULL, updated_at = ? WHERE id = ?`,
    now,
    userId,
  );
}

/** The ids of soft-deleted accounts whose grace period is over (the purge reads each row again under its lock). */
export async function dueForPurge(q: Sql, applicationId: string, now: number): Promise<string[]> {
  const rows = await q.all<{ id: string }>(
    'SELECT id FROM users WHERE application_id = ? AND deleted_at IS NOT NULL AND delete_on IS NOT NULL AND delete_on <= ?',
    applicationId,
    now,
  );
  return rows.map((r) => r.id);
}

export interface PersonalColumn {
  /** Quoted identifiers, ready for a statement. */
  table: string;
  column: string;
}

const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/**
 * Tables that hold rows of one user and must lose them in a purge: anything with a foreign key to
 * users or a user_id column, found in the schema so tables added later are covered too. The
 * catalogue differs between the databases, so this is the one query here written per dialect.
 */
export async function personalColumns(q: Sql): Promise<PersonalColumn[]> {
  const keep = new Set(['users', 'user_timeline', 'purged_users', 'schema_migrations']);
  const found: { table_name: string; column_name: string }[] = [];
  if (q.dialect === 'postgres') {
    found.push(
      ...(await q.all<{ table_name: string; column_name: string }>(
        `SELECT table_name, column_name FROM information_schema.columns
         WHERE table_schema = current_schema() AND column_name = 'user_id'
         UNION
         SELECT k.table_name, k.column_name FROM information_schema.table_constraints t
           JOIN information_schema.key_column_usage k ON k.constraint_name = t.constraint_name AND k.constraint_schema = t.constraint_schema
           JOIN information_schema.constraint_column_usage u ON u.constraint_name = t.constraint_name AND u.constraint_schema = t.constraint_schema
         WHERE t.constraint_type = 'FOREIGN KEY' AND t.table_schema = current_schema() AND u.table_name = 'users'
         ORDER BY 1, 2`,
      )),
    );
  } else {
    const tables = await q.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
    for (const { name } of tables) {
      const fks = await q.all<{ table: string; from: string }>(`PRAGMA foreign_key_list(${quote(name)})`);
      const columns = new Set((await q.all<{ name: string }>(`PRAGMA table_info(${quote(name)})`)).map((c) => c.name));
      const targets = new Set(fks.filter((fk) => fk.table === 'users').map((fk) => fk.from));
      if (columns.has('user_id')) targets.add('user_id');
      for (const column of targets) found.push({ table_name: name, column_name: column });
    }
  }
  return found.filter((r) => !keep.has(r.table_name)).map((r) => ({ table: quote(r.table_name), column: quote(r.column_name) }));
}

/** Deletes the person's rows everywhere, the user row itself, and leaves a tombstone (inside a tx). */
export async function purgeAccountRows(q: Sql, applicationId: string, user: AccountRow, columns: PersonalColumn[], now: number): Promise<void> {
  for (const { table, column } of columns) await q.run(`DELETE FROM ${table} WHERE ${column} = ?`, user.id);
  await q.run('DELETE FROM users WHERE id = ?', user.id);
  await q.run(
    `INSERT INTO purged_users (user_id, application_id, delete_on, purged_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (user_id) DO UPDATE SET application_id = excluded.application_id, delete_on = excluded.delete_on, purged_at = excluded.purged_at`,
    user.id,
    applicationId,
    user.delete_on,
    now,
  );
  await q.run("UPDATE user_timeline SET sub_title = '' WHERE user_id = ?", user.id);
}
