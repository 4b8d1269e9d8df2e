// Deleting old rows without stalling the service: every purge walks an index on its time column
// and deletes in small batches, each its own short write, so the cost of one batch does not grow
// with the table and other writers (and other processes on the same file) get the lock in between.
import type { Sql } from './sql';

/** Rows one batch deletes; small enough that a batch takes well under a millisecond. */
export const PURGE_BATCH_ROWS = 500;

export interface PurgeTarget {
  table: string;
  /** An indexed integer column holding a time in ms; rows with a value below the cut-off go. */
  column: string;
}

/** Deletes up to `limit` rows whose `column` is below `before`; returns how many went. */
export async function deleteBatch(sql: Sql, target: PurgeTarget, before: number, limit = PURGE_BATCH_ROWS): Promise<number> {
  const { table, column } = target;
  // Neither database deletes with LIMIT directly; both name a row by a hidden physical id. One of
  // the two places that branch on the dialect (the other: the schema lookup in store/accounts.ts).
  const row = sql.dialect === 'postgres' ? 'ctid' : 'rowid';
  return (
    await sql.run(`DELETE FROM ${table} WHERE ${row} IN (SELECT ${row} FROM ${table} WHERE ${column} < ? LIMIT ?)`, before, limit)
  ).changes;
}

/** Deletes every row whose `column` is below `before`, batch by batch; returns how many went. */
export async function deleteAll(sql: Sql, target: PurgeTarget, before: number, batch = PURGE_BATCH_ROWS): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await deleteBatch(sql, target, before, batch);
    total += n;
    if (n < batch) return total;
  }
}
