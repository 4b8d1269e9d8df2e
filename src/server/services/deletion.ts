// Account deletion with a grace period, and the account timeline it writes to. A deletion request
// soft-deletes the account (reason kept, every session ended at once); an admin can restore it
// until `delete_on`; after that, purgeExpired() removes the person's data for good and leaves only
// an anonymous tombstone, so the old email or phone then behaves exactly like one never seen.
// The application endpoint (POST .../authentication/v1.0/delete, OTP-protected) calls requestDeletion.
import type { ServiceInternals } from '../context';
import { ApiError } from '../shared/errors';
import type { JsonObject } from './config';
import type { UserRow } from '../store/users';
import type { Sql } from '../store/sql';
import {
  clearDeletion,
  dueForPurge,
  findAccountRow,
  findTombstone,
  insertTimelineEvent,
  markDeleted,
  personalColumns,
  purgeAccountRows,
  timelineRows,
  type AccountRow,
  type PersonalColumn,
} from '../store/accounts';

/**
 * What these functions use of the service: declared narrowly so that routes pass their
 * ServiceInternals and tools or tests can pass just the stores.
 */
export type DeletionContext = Pick<ServiceInternals, 'sql' | 'applicationId' | 'now' | 'log' | 'config' | 'users' | 'sessions'>;

const DAY_MS = 86_400_000;
/** Used when the platform config has no usable delete_account_day. */
export const DEFAULT_DELETE_ACCOUNT_DAYS = 7;

export type { AccountRow };

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

export async function findAccount(svc: Pick<DeletionContext, 'sql' | 'applicationId'>, userId: string, q: Sql = svc.sql): Promise<AccountRow | undefined> {
  return findAccountRow(q, svc.applicationId, userId);
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

/** Adds an event to the user's admin timeline; pass `q` inside a transaction. */
export async function addTimelineEvent(
  svc: Pick<DeletionContext, 'sql' | 'applicationId' | 'now'>,
  userId: string,
  event: { type: TimelineType; title: string; subTitle?: string; visible?: boolean },
  q: Sql = svc.sql,
): Promise<void> {
  await insertTimelineEvent(q, svc.applicationId, userId, event, svc.now());
}

/**
 * The admin timeline of an account, oldest event first; undefined for an id this service never had.
 * A purged account still has its timeline (without personal data), so an admin can see it happened.
 */
export async function userTimeline(svc: Pick<DeletionContext, 'sql' | 'applicationId'>, userId: string): Promise<{ delete_on: string | null; timeline: TimelineEntry[] } | undefined> {
  const user = await findAccount(svc, userId);
  const tombstone = user ? undefined : await findTombstone(svc.sql, svc.applicationId, userId);
  if (!user && !tombstone) return undefined;
  const rows = await timelineRows(svc.sql, svc.applicationId, userId);
  const deleteOn = user ? user.delete_on : (tombstone?.delete_on ?? null);
  return {
    delete_on: deleteOn !== null ? new Date(Number(deleteOn)).toISOString() : null,
    timeline: rows.map((r) => ({
      date: new Date(Number(r.created_at)).toISOString(),
      title: r.title,
      type: r.type,
      visible: Number(r.visible) === 1,
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
export async function requestDeletion(svc: Omit<DeletionContext, 'users'>, req: DeletionRequest): Promise<{ deleteOn: number; sessionsEnded: number }> {
  const config = await svc.config.get();
  const label = reasonLabel(config, req.reasonId?.trim());
  const reason = req.reason?.trim() || label || null;
  return svc.sql.tx(async (q) => {
    await q.lock(`account:${req.userId}`);
    const user = await findAccount(svc, req.userId, q);
    if (!user) throw userNotFound();
    if (user.deleted_at !== null) {
      throw new ApiError(400, 'ALREADY_DELETED', 'This account is already scheduled for deletion', {
        meta: { is_deleted: true, ...(user.delete_on !== null ? { delete_on: new Date(user.delete_on).toISOString() } : {}) },
      });
    }
    const t = svc.now();
    const deleteOn = t + deleteAccountDays(config) * DAY_MS;
    await markDeleted(q, user.id, { at: t, deleteOn, reason, reasonId: req.reasonId?.trim() || null, reasonText: req.reasonText?.trim() || null });
    const sessionsEnded = await svc.sessions.endAllForUser(user.id, q);
    // The label of a configured reason, never the shopper's own words: the timeline outlives a purge.
    await addTimelineEvent(
      svc,
      user.id,
      {
        type: 'deletion_requested',
        title: 'Account deletion requested',
        subTitle: `Data will be removed on ${new Date(deleteOn).toISOString()}${label ? `. Reason: ${label}` : ''}`,
      },
      q,
    );
    svc.log(`account deletion requested user=${user.id} delete_on=${new Date(deleteOn).toISOString()} sessions_ended=${sessionsEnded}`);
    return { deleteOn, sessionsEnded };
  });
}

/**
 * Restores a soft-deleted account while its grace period lasts (now < delete_on). Throws 404
 * USER_NOT_FOUND, 400 NOT_DELETED for a live account and 400 RESTORE_PERIOD_OVER after delete_on.
 */
export async function restoreUser(svc: Pick<DeletionContext, 'sql' | 'applicationId' | 'now' | 'log'>, req: { userId: string; reason?: string; reasonId?: string }): Promise<void> {
  await svc.sql.tx(async (q) => {
    await q.lock(`account:${req.userId}`);
    const user = await findAccount(svc, req.userId, q);
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
    await clearDeletion(q, user.id, t);
    await addTimelineEvent(svc, user.id, { type: 'account_restored', title: 'Account restored', subTitle: req.reason?.trim() ?? '' }, q);
    svc.log(`account restored user=${user.id}`);
  });
}

export function userNotFound(): ApiError {
  return new ApiError(404, 'USER_NOT_FOUND', 'No user with this id');
}

/**
 * Removes every trace of a person for good. Rows are found by reference rather than by a fixed
 * list, so tables added later (codes, tokens, attributes) are covered too: anything with a foreign
 * key to users or a user_id column. The timeline keeps its events but loses their free text.
 */
async function purgeUser(svc: Pick<DeletionContext, 'sql' | 'applicationId' | 'now'>, userId: string, columns: PersonalColumn[]): Promise<boolean> {
  return svc.sql.tx(async (q) => {
    await q.lock(`account:${userId}`);
    // Read again under the account's lock: an admin may have restored it (or a shopper changed the
    // date) since the list of due accounts was read, and a restored account must never be purged.
    const user = await findAccountRow(q, svc.applicationId, userId);
    const t = svc.now();
    if (!user || user.deleted_at === null || user.delete_on === null || user.delete_on > t) return false;
    await purgeAccountRows(q, svc.applicationId, user, columns, t);
    await addTimelineEvent(svc, user.id, { type: 'purged', title: 'Account data removed', subTitle: 'The grace period ended; personal data was deleted for good' }, q);
    return true;
  });
}

/** Purges every soft-deleted account whose delete_on has passed; returns how many were purged. */
export async function purgeExpired(svc: Pick<DeletionContext, 'sql' | 'applicationId' | 'now' | 'log'>): Promise<number> {
  const due = await dueForPurge(svc.sql, svc.applicationId, svc.now());
  if (due.length === 0) return 0;
  const columns = await personalColumns(svc.sql);
  let purged = 0;
  for (const userId of due) {
    try {
      if (!(await purgeUser(svc, userId, columns))) continue;
      purged++;
      svc.log(`account purged user=${userId}`);
    } catch (err) {
      // One account that cannot be purged (a table added without a cascade, say) must not stop the rest.
      svc.log(`account purge failed user=${userId}: ${(err as Error).message}`);
    }
  }
  return purged;
}
