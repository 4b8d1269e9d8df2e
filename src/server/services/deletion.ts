// Account deletion with a grace period, and the account timeline it writes to. A deletion request
// soft-deletes the account (reason kept, every session ended at once); an admin can restore it
// until `delete_on`; after that, purgeExpired() removes the person's data for good and leaves only
// an anonymous tombstone, so the old email or phone then behaves exactly like one never seen.
// The application endpoint (POST .../authentication/v1.0/delete, OTP-protected) calls requestDeletion.
import type { ServiceInternals } from '../context';
import { ApiError } from '../shared/errors';
import type { JsonObject } from './config';
import type { UserRow } from '../store/users';

/**
 * What these functions use of the service: declared narrowly so that routes pass their
 * ServiceInternals and tools or tests can pass just the stores.
 */
export type DeletionContext = Pick<ServiceInternals, 'db' | 'applicationId' | 'now' | 'log' | 'config' | 'users' | 'sessions'>;

const DAY_MS = 86_400_000;
/** Used when the platform config has no usable delete_account_day. */
export const DEFAULT_DELETE_ACCOUNT_DAYS = 7;
/** How often the service looks for accounts whose grace period has ended. */
export const PURGE_INTERVAL_MS = 60 * 60 * 1000;

/** The users row with the state columns UserRow leaves out. */
export interface AccountRow extends UserRow {
  archived: number;
  blocked_reason: string | null;
  delete_reason: string | null;
  delete_reason_id: string | null;
  delete_reason_text: string | null;
}

export type TimelineType =
  | 'account_created'
  | 'deletion_requested'
  | 'account_restored'
  | 'blocked'
  | 'unblocked'
  | 'archived'
  | 'social_linked'
  | 'purged';

export interface TimelineEntry {
  date: string;
  title: string;
  type: TimelineType | string;
  visible: boolean;
  sub_title: string;
}

export function findAccount(svc: DeletionContext, userId: string): AccountRow | undefined {
  return svc.users.findById(userId) as AccountRow | undefined;
}

/**
 * Why an account may not sign in, or undefined when it may. Every sign-in path (password, social,
 * and later OTP) must call this only after the credential was proven, so that an account's state
 * is never revealed to someone who merely knows its email.
 */
export function accountStateError(user: UserRow): ApiError | undefined {
  if (user.deleted_at !== null) {
    return new ApiError(400, 'ACCOUNT_DELETED', 'This account is scheduled for deletion. Contact support to restore it.', {
      meta: {
        is_deleted: true,
        ...(user.delete_on !== null ? { delete_on: new Date(user.delete_on).toISOString() } : {}),
      },
    });
  }
  if (user.active !== 1) return new ApiError(400, 'ACCOUNT_DISABLED', 'This account has been disabled');
  return undefined;
}

export function addTimelineEvent(
  svc: DeletionContext,
  userId: string,
  event: { type: TimelineType; title: string; subTitle?: string; visible?: boolean },
): void {
  svc.db
    .prepare(
      `INSERT INTO user_timeline (application_id, user_id, type, title, sub_title, visible, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(svc.applicationId, userId, event.type, event.title, event.subTitle ?? '', event.visible === false ? 0 : 1, svc.now());
}

/**
 * The admin timeline of an account, oldest event first; undefined for an id this service never had.
 * A purged account still has its timeline (without personal data), so an admin can see it happened.
 */
export function userTimeline(svc: DeletionContext, userId: string): { delete_on: string | null; timeline: TimelineEntry[] } | undefined {
  const user = findAccount(svc, userId);
  const tombstone = user
    ? undefined
    : (svc.db.prepare('SELECT delete_on FROM purged_users WHERE user_id = ? AND application_id = ?').get(userId, svc.applicationId) as
        | { delete_on: number | null }
        | undefined);
  if (!user && !tombstone) return undefined;
  const rows = svc.db
    .prepare(
      `SELECT type, title, sub_title, visible, created_at FROM user_timeline
       WHERE user_id = ? AND application_id = ? ORDER BY created_at, id`,
    )
    .all(userId, svc.applicationId) as { type: string; title: string; sub_title: string; visible: number; created_at: number }[];
  const deleteOn = user ? user.delete_on : (tombstone?.delete_on ?? null);
  return {
    delete_on: deleteOn !== null ? new Date(deleteOn).toISOString() : null,
    timeline: rows.map((r) => ({
      date: new Date(r.created_at).toISOString(),
      title: r.title,
      type: r.type,
      visible: r.visible === 1,
      sub_title: r.sub_title,
    })),
  };
}

/** delete_account_day from the config: whole days, 0 allowed (purged at the next run). */
export function deleteAccountDays(config: JsonObject): number {
  const days = config['delete_account_day'];
  return typeof days === 'number' && Number.isInteger(days) && days >= 0 ? days : DEFAULT_DELETE_ACCOUNT_DAYS;
}

function reasonLabel(config: JsonObject, reasonId: string | undefined): string | undefined {
  const reasons = config['delete_account_reasons'];
  if (!reasonId || !Array.isArray(reasons)) return undefined;
  for (const r of reasons) {
    if (r && typeof r === 'object' && !Array.isArray(r) && r['reason_id'] === reasonId && typeof r['reason_text'] === 'string') {
      return r['reason_text'];
    }
  }
  return undefined;
}

export interface DeletionRequest {
  userId: string;
  /** The reason as the client named it; defaults to the config's text for reasonId. */
  reason?: string;
  /** One of the config's delete_account_reasons[].reason_id. */
  reasonId?: string;
  /** What the shopper typed in the reason's text area, if it had one. */
  reasonText?: string;
}

/**
 * Soft-deletes an account: records the reason, sets delete_on = now + delete_account_day days,
 * ends every session of the user at once and adds a timeline event. Throws 404 USER_NOT_FOUND
 * for an unknown user and 400 ALREADY_DELETED when a deletion is already pending.
 * The caller is responsible for having re-authenticated the shopper (OTP) first.
 */
export function requestDeletion(svc: DeletionContext, req: DeletionRequest): { deleteOn: number; sessionsEnded: number } {
  const config = svc.config.get();
  const label = reasonLabel(config, req.reasonId?.trim());
  const reason = req.reason?.trim() || label || null;
  return svc.db.transaction(() => {
    const user = findAccount(svc, req.userId);
    if (!user) throw userNotFound();
    if (user.deleted_at !== null) {
      throw new ApiError(400, 'ALREADY_DELETED', 'This account is already scheduled for deletion', {
        meta: { is_deleted: true, ...(user.delete_on !== null ? { delete_on: new Date(user.delete_on).toISOString() } : {}) },
      });
    }
    const t = svc.now();
    const deleteOn = t + deleteAccountDays(config) * DAY_MS;
    svc.db
      .prepare(
        `UPDATE users SET deleted_at = ?, delete_on = ?, delete_reason = ?, delete_reason_id = ?,
           delete_reason_text = ?, updated_at = ? WHERE id = ?`,
      )
      .run(t, deleteOn, reason, req.reasonId?.trim() || null, req.reasonText?.trim() || null, t, user.id);
    const sessionsEnded = svc.sessions.endAllForUser(user.id);
    // The label of a configured reason, never the shopper's own words: the timeline outlives a purge.
    addTimelineEvent(svc, user.id, {
      type: 'deletion_requested',
      title: 'Account deletion requested',
      subTitle: `Data will be removed on ${new Date(deleteOn).toISOString()}${label ? `. Reason: ${label}` : ''}`,
    });
    svc.log(`account deletion requested user=${user.id} delete_on=${new Date(deleteOn).toISOString()} sessions_ended=${sessionsEnded}`);
    return { deleteOn, sessionsEnded };
  }).immediate();
}

/**
 * Restores a soft-deleted account while its grace period lasts (now < delete_on). Throws 404
 * USER_NOT_FOUND, 400 NOT_DELETED for a live account and 400 RESTORE_PERIOD_OVER after delete_on.
 */
export function restoreUser(svc: DeletionContext, req: { userId: string; reason?: string; reasonId?: string }): void {
  svc.db.transaction(() => {
    const user = findAccount(svc, req.userId);
    if (!user) throw userNotFound();
    if (user.deleted_at === null) throw new ApiError(400, 'NOT_DELETED', 'This account is not scheduled for deletion, so there is nothing to restore');
    const t = svc.now();
    if (user.delete_on !== null && t >= user.delete_on) {
      throw new ApiError(
        400,
        'RESTORE_PERIOD_OVER',
        `The period for restoring this account ended on ${new Date(user.delete_on).toISOString()}; its data is being removed`,
        { meta: { delete_on: new Date(user.delete_on).toISOString() } },
      );
    }
    svc.db
      .prepare(
        `UPDATE users SET deleted_at = NULL, delete_on = NULL, delete_reason = NULL, delete_reason_id = NULL,
           delete_reason_text = NULL, updated_at = ? WHERE id = ?`,
      )
      .run(t, user.id);
    addTimelineEvent(svc, user.id, { type: 'account_restored', title: 'Account restored', subTitle: req.reason?.trim() ?? '' });
    svc.log(`account restored user=${user.id}`);
  }).immediate();
}

export function userNotFound(): ApiError {
  return new ApiError(404, 'USER_NOT_FOUND', 'No user with this id');
}

/** Tables that hold rows of one user and must lose them in a purge (see purgeUser). */
function personalTables(svc: DeletionContext): { table: string; column: string }[] {
  const keep = new Set(['users', 'user_timeline', 'purged_users', 'schema_migrations']);
  const tables = (svc.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[])
    .map((r) => r.name)
    .filter((name) => !keep.has(name));
  const out: { table: string; column: string }[] = [];
  for (const table of tables) {
    const quoted = `"${table.replace(/"/g, '""')}"`;
    const fks = svc.db.prepare(`PRAGMA foreign_key_list(${quoted})`).all() as { table: string; from: string }[];
    const columns = new Set((svc.db.prepare(`PRAGMA table_info(${quoted})`).all() as { name: string }[]).map((c) => c.name));
    const targets = new Set(fks.filter((fk) => fk.table === 'users').map((fk) => fk.from));
    if (columns.has('user_id')) targets.add('user_id');
    for (const column of targets) out.push({ table: quoted, column: `"${column.replace(/"/g, '""')}"` });
  }
  return out;
}

/**
 * Removes every trace of a person for good. Rows are found by reference rather than by a fixed
 * list, so tables added later (codes, tokens, attributes) are covered too: anything with a foreign
 * key to users or a user_id column. The timeline keeps its events but loses their free text.
 */
function purgeUser(svc: DeletionContext, user: AccountRow, tables: { table: string; column: string }[]): void {
  svc.db.transaction(() => {
    for (const { table, column } of tables) svc.db.prepare(`DELETE FROM ${table} WHERE ${column} = ?`).run(user.id);
    svc.db.prepare('DELETE FROM users WHERE id = ?').run(user.id);
    svc.db
      .prepare('INSERT OR REPLACE INTO purged_users (user_id, application_id, delete_on, purged_at) VALUES (?, ?, ?, ?)')
      .run(user.id, svc.applicationId, user.delete_on, svc.now());
    svc.db.prepare("UPDATE user_timeline SET sub_title = '' WHERE user_id = ?").run(user.id);
    addTimelineEvent(svc, user.id, { type: 'purged', title: 'Account data removed', subTitle: 'The grace period ended; personal data was deleted for good' });
  }).immediate();
}

/** Purges every soft-deleted account whose delete_on has passed; returns how many were purged. */
export function purgeExpired(svc: DeletionContext): number {
  const due = svc.db
    .prepare('SELECT * FROM users WHERE application_id = ? AND deleted_at IS NOT NULL AND delete_on IS NOT NULL AND delete_on <= ?')
    .all(svc.applicationId, svc.now()) as AccountRow[];
  if (due.length === 0) return 0;
  const tables = personalTables(svc);
  let purged = 0;
  for (const user of due) {
    try {
      purgeUser(svc, user, tables);
      purged++;
      svc.log(`account purged user=${user.id}`);
    } catch (err) {
      // One account that cannot be purged (a table added without a cascade, say) must not stop the rest.
      svc.log(`account purge failed user=${user.id}: ${(err as Error).message}`);
    }
  }
  return purged;
}

/** Purges now and then every intervalMs; the timer does not keep the process alive. Returns a stop function. */
export function schedulePurge(svc: DeletionContext, intervalMs: number = PURGE_INTERVAL_MS): () => void {
  const run = (): void => {
    try {
      purgeExpired(svc);
    } catch (err) {
      svc.log(`account purge failed: ${(err as Error).message}`);
    }
  };
  run();
  const timer = setInterval(run, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
