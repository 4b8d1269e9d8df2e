// Leases (table leases): scheduled work such as the purges runs on one instance at a time when
// several share a database. A lease is a row naming its holder and when it lapses; the holder renews
// it by acquiring again and gives it back when done. An instance that dies mid-run never gives it
// back, so the lease simply expires after its ttl and the next instance to try takes it over.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Sql } from './sql';

/** A holder name for this process: unique per start, readable in the table when debugging. */
export function newHolderId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(6).toString('hex')}`;
}

export class LeaseStore {
  readonly #sql: Sql;
  readonly #now: () => number;

  constructor(sql: Sql, now: () => number) {
    this.#sql = sql;
    this.#now = now;
  }

  /**
   * Takes the lease `name` for `ttlMs` when it is free, expired, or already `holder`'s (which
   * renews it). One statement, so two instances asking at once cannot both get it.
   */
  async tryAcquire(name: string, holder: string, ttlMs: number): Promise<boolean> {
    if (!(ttlMs > 0)) throw new RangeError('ttlMs must be positive');
    const t = this.#now();
    const { changes } = await this.#sql.run(
      `INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
       WHERE leases.holder = excluded.holder OR leases.expires_at <= ?`,
      name,
      holder,
      t + ttlMs,
      t,
    );
    return changes === 1;
  }

  /** Gives the lease back if `holder` still has it; false when it had expired and another took it. */
  async release(name: string, holder: string): Promise<boolean> {
    const { changes } = await this.#sql.run('DELETE FROM leases WHERE name = ? AND holder = ?', name, holder);
    return changes === 1;
  }
}

/**
 * Runs `work` only if the lease `name` can be had, and gives the lease back afterwards, also when
 * `work` throws (its error is passed on). Returns whether `work` ran. `ttlMs` must be longer than
 * the work can take: past it another instance may start the same work. A process that dies
 * mid-run leaves the lease to expire after `ttlMs`. The lease keeps runs from overlapping; it does
 * not space them out, so an instance whose timer fires right after another's run runs it again.
 */
export async function runExclusive(
  leases: LeaseStore,
  name: string,
  holder: string,
  ttlMs: number,
  work: () => Promise<void> | void,
): Promise<boolean> {
  if (!(await leases.tryAcquire(name, holder, ttlMs))) return false;
  let failed = false;
  try {
    await work();
    return true;
  } catch (err) {
    failed = true;
    throw err;
  } finally {
    try {
      await leases.release(name, holder);
    } catch (err) {
      // The work's own error matters more; an unreleased lease only waits out its ttl.
      if (!failed) throw err;
    }
  }
}
