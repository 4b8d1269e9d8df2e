// The one database interface every store module speaks, so the same store code runs on SQLite (one
// process, the default) and on PostgreSQL (many instances, store/sql-postgres.ts). It is small on
// purpose: a row, some rows, a write, and a transaction. SQL passed through it is written in the
// subset both databases understand (see "Writing SQL for both" in src/server/README.md):
// positional `?` parameters only, ON CONFLICT instead of INSERT OR IGNORE/REPLACE, lower() instead
// of COLLATE NOCASE, COALESCE, 0/1 for flags, times as integer milliseconds computed in JS.
import Database from 'better-sqlite3';

export type Dialect = 'sqlite' | 'postgres';

/** What a parameter may be; booleans are not (store flags as 0/1 so both databases agree). */
export type Param = string | number | bigint | null | Buffer;

export interface Sql {
  readonly dialect: Dialect;
  /** The first row, or undefined. */
  get<T>(sql: string, ...params: Param[]): Promise<T | undefined>;
  all<T>(sql: string, ...params: Param[]): Promise<T[]>;
  /** A write; `changes` is the number of rows it touched. */
  run(sql: string, ...params: Param[]): Promise<{ changes: number }>;
  /**
   * Runs `fn` in one transaction on one connection: committed when it resolves, rolled back when it
   * throws. Inside, use only the `Sql` it is given. Keep slow work (hashing, HTTP) outside: on
   * SQLite every other query waits while a transaction is open.
   */
  tx<T>(fn: (q: Sql) => Promise<T>): Promise<T>;
  /**
   * Inside tx: makes every other transaction that locks the same key wait until this one ends, so
   * "count, then add" on a shared counter cannot interleave across instances. PostgreSQL takes a
   * transaction-scoped advisory lock; SQLite needs nothing (a transaction already excludes all
   * other writers: BEGIN IMMEDIATE plus the queue below).
   */
  lock(key: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * SQLite through better-sqlite3. Its calls are synchronous, so a single statement is atomic by
 * itself; a transaction whose body awaits is not, because another request's statements would run
 * on the same connection in between and become part of it. So transactions queue one after
 * another, and statements outside a transaction wait while one is open.
 */
export class SqliteSql implements Sql {
  readonly dialect = 'sqlite' as const;
  readonly db: Database.Database;
  /** Resolves when the open transaction (if any) has ended; the next one chains onto it. */
  #idle: Promise<void> = Promise.resolve();
  #open = false;

  constructor(db: Database.Database) {
    this.db = db;
  }

  async get<T>(sql: string, ...params: Param[]): Promise<T | undefined> {
    if (this.#open) await this.#waitIdle();
    return this.db.prepare(sql).get(...params) as T | undefined;
  }

  async all<T>(sql: string, ...params: Param[]): Promise<T[]> {
    if (this.#open) await this.#waitIdle();
    return this.db.prepare(sql).all(...params) as T[];
  }

  async run(sql: string, ...params: Param[]): Promise<{ changes: number }> {
    if (this.#open) await this.#waitIdle();
    return { changes: this.db.prepare(sql).run(...params).changes };
  }

  async lock(): Promise<void> {}

  async #waitIdle(): Promise<void> {
    while (this.#open) await this.#idle;
  }

  async tx<T>(fn: (q: Sql) => Promise<T>): Promise<T> {
    const before = this.#idle;
    let done!: () => void;
    this.#idle = new Promise<void>((resolve) => (done = resolve));
    await before;
    this.#open = true;
    const inner = new SqliteTx(this.db);
    try {
      this.db.prepare('BEGIN IMMEDIATE').run();
      try {
        const result = await fn(inner);
        this.db.prepare('COMMIT').run();
        return result;
      } catch (err) {
        if (this.db.inTransaction) this.db.prepare('ROLLBACK').run();
        throw err;
      }
    } finally {
      inner.ended = true;
      this.#open = false;
      done();
    }
  }

  async close(): Promise<void> {
    await this.#waitIdle();
    if (this.db.open) this.db.close();
  }
}

/** The connection as seen from inside one SQLite transaction: no waiting, no nesting. */
class SqliteTx implements Sql {
  readonly dialect = 'sqlite' as const;
  ended = false;
  readonly #db: Database.Database;

  constructor(db: Database.Database) {
    this.#db = db;
  }

  #check(): void {
    if (this.ended) throw new Error('This transaction has ended; use the Sql outside tx().');
  }

  async get<T>(sql: string, ...params: Param[]): Promise<T | undefined> {
    this.#check();
    return this.#db.prepare(sql).get(...params) as T | undefined;
  }

  async all<T>(sql: string, ...params: Param[]): Promise<T[]> {
    this.#check();
    return this.#db.prepare(sql).all(...params) as T[];
  }

  async run(sql: string, ...params: Param[]): Promise<{ changes: number }> {
    this.#check();
    return { changes: this.#db.prepare(sql).run(...params).changes };
  }

  async lock(): Promise<void> {}

  tx<T>(fn: (q: Sql) => Promise<T>): Promise<T> {
    // One level is enough for every rule; nesting would hide which transaction a write belongs to.
    void fn;
    return Promise.reject(new Error('Transactions do not nest; pass the inner Sql down instead.'));
  }

  async close(): Promise<void> {
    throw new Error('close() belongs to the outer Sql.');
  }
}
