// Deleting old rows without stalling the service: every purge walks an index on its time column
// and deletes in small batches, each its own short write, so the cost of one batch does not grow
// with the table and other writers (and other processes on the same file) get the lock in between.
import type { DB } from './db';

/** Rows one batch deletes; small enough that a batch takes well under a millisecond. */
export const PURGE_BATCH_ROWS = 500;

export interface PurgeTarget {
  table: string;
  /** An indexed integer column holding a time in ms; rows with a value below the cut-off go. */
  column: string;
}

/** Deletes up to `limit` rows whose `column` is below `before`; returns how many went. */
export function deleteBatch(db: DB, target: PurgeTarget, before: number, limit = PURGE_BATCH_ROWS): number {
  const { table, column } = target;
  return db
    .prepare(`DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} WHERE ${column} < ? LIMIT ?)`)
    .run(before, limit).changes;
}

/** Deletes every row whose `column` is below `before`, batch by batch; returns how many went. */
export function deleteAll(db: DB, target: PurgeTarget, before: number, batch = PURGE_BATCH_ROWS): number {
  let total = 0;
  for (;;) {
    const n = deleteBatch(db, target, before, batch);
    total += n;
    if (n < batch) return total;
  }
}
