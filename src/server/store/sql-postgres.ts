// The PostgreSQL side of the store's one database interface (sql.ts), for running many instances of
// the service against one database. Statements keep the `?` placeholders the SQLite side uses and
// are renumbered to $1..$n here; 64-bit integers (COUNT, BIGINT times) and numerics come back as JS
// numbers, as they do from SQLite. A transaction is one pooled connection from BEGIN to COMMIT.
import pg from 'pg';
import type { Param, Sql } from './sql';
import { PG_UNAVAILABLE } from './sql-errors';

export interface PostgresOptions {
  /** Connections this instance may hold; every instance has its own pool. Default: DATABASE_POOL_SIZE, else 10. */
  poolSize?: number;
  /** How long a statement waits for a free or new connection before failing as unavailable. */
  connectTimeoutMs?: number;
  /** Where connection trouble is reported; the process keeps running either way. */
  log?: (line: string) => void;
}

export const DEFAULT_POOL_SIZE = 10;

/** The pool size from DATABASE_POOL_SIZE, or the default; anything else is a startup error. */
export function poolSizeFromEnv(env: Record<string, string | undefined> = process.env): number {
  const raw = env.DATABASE_POOL_SIZE;
  if (raw === undefined || raw === '') return DEFAULT_POOL_SIZE;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`DATABASE_POOL_SIZE must be a whole number of at least 1, not "${raw}".`);
  return n;
}

const INT8_OID = 20;
const NUMERIC_OID = 1700;

// Set on this pool's clients only, so other users of `pg` in the process keep its defaults. The
// service's integers are milliseconds and counts, far below 2^53, so a number loses nothing.
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if ((oid === INT8_OID || oid === NUMERIC_OID) && (format ?? 'text') === 'text') return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

const translated = new Map<string, string>();
const TRANSLATED_MAX = 2000;

/**
 * Renumbers `?` placeholders to $1, $2… in order. A `?` inside a quoted literal ('it''s?'), a quoted
 * identifier ("a?"), a dollar-quoted body or a comment is text, not a parameter, and stays.
 */
export function toPositional(sql: string): string {
  const cached = translated.get(sql);
  if (cached !== undefined) return cached;
  let out = '';
  let n = 0;
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    let end = -1;
    if (c === "'" || c === '"') {
      // A doubled quote inside is an escaped quote; scanning on from it reaches the real end.
      end = i + 1;
      for (;;) {
        const close = sql.indexOf(c, end);
        if (close === -1) { end = sql.length; break; }
        if (sql[close + 1] === c) { end = close + 2; continue; }
        end = close + 1;
        break;
      }
    } else if (c === '-' && sql[i + 1] === '-') {
      const nl = sql.indexOf('\n', i);
      end = nl === -1 ? sql.length : nl;
    } else if (c === '/' && sql[i + 1] === '*') {
      const close = sql.indexOf('*/', i + 2);
      end = close === -1 ? sql.length : close + 2;
    } else if (c === '$') {
      const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(i));
      if (tag) {
        const close = sql.indexOf(tag[0], i + tag[0].length);
        end = close === -1 ? sql.length : close + tag[0].length;
      }
    } else if (c === '?') {
      out += `$${++n}`;
      i++;
      continue;
    }
    if (end > i) {
      out += sql.slice(i, end);
      i = end;
    } else {
      out += c;
      i++;
    }
  }
  if (translated.size >= TRANSLATED_MAX) translated.clear();
  translated.set(sql, out);
  return out;
}

/**
 * Errors from the server carry a five-character SQLSTATE and pass through as they are. Anything else
 * the driver throws (refused or dropped connection, connect timeout, ended pool) means the database
 * is out of reach: tagged PG_UNAVAILABLE so the HTTP layer answers 503, with the original as cause.
 */
function unavailable(err: unknown): unknown {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return err;
  const message = err instanceof Error ? err.message : String(err);
  return Object.assign(new Error(`The PostgreSQL database cannot be reached: ${message}`, { cause: err }), { code: PG_UNAVAILABLE });
}

type Queryable = Pick<pg.Pool, 'query'> | Pick<pg.PoolClient, 'query'>;

async function query(on: Queryable, sql: string, params: Param[]): Promise<pg.QueryResult> {
  try {
    return await on.query(toPositional(sql), params);
  } catch (err) {
    throw unavailable(err);
  }
}

export class PostgresSql implements Sql {
  readonly dialect = 'postgres' as const;
  readonly pool: pg.Pool;
  readonly #log: (line: string) => void;

  constructor(url: string, options: PostgresOptions = {}) {
    this.#log = options.log ?? ((line) => console.error(line));
    this.pool = new pg.Pool({
      connectionString: url,
      max: options.poolSize ?? poolSizeFromEnv(),
      connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
      types,
    });
    // An idle connection the server drops (restart, failover, admin kill) is reported here; without
    // a listener Node would end the process. The pool discards it and connects anew when asked.
    this.pool.on('error', (err) => this.#log(`postgres: idle connection lost: ${err.message}`));
  }

  async get<T>(sql: string, ...params: Param[]): Promise<T | undefined> {
    return (await query(this.pool, sql, params)).rows[0] as T | undefined;
  }

  async all<T>(sql: string, ...params: Param[]): Promise<T[]> {
    return (await query(this.pool, sql, params)).rows as T[];
  }

  async run(sql: string, ...params: Param[]): Promise<{ changes: number }> {
    return { changes: (await query(this.pool, sql, params)).rowCount ?? 0 };
  }

  async lock(key: string): Promise<void> {
    void key;
    // Outside a transaction the lock would be released at once (or, session-level, held by a
    // pooled connection forever); either way it would protect nothing.
    throw new Error('lock() works only inside tx(); use the Sql that tx() passes in.');
  }

  /** A connection of its own, for work that must stay on one (migrations' session lock). */
  async connect(): Promise<pg.PoolClient> {
    try {
      return await this.pool.connect();
    } catch (err) {
      throw unavailable(err);
    }
  }

  async tx<T>(fn: (q: Sql) => Promise<T>): Promise<T> {
    const client = await this.connect();
    // While fn awaits something else the connection sits idle but checked out; the pool's own
    // listener is off then, so a drop would be an unhandled 'error' event without this one.
    let lost: Error | undefined;
    const onError = (err: Error) => {
      lost = err;
      this.#log(`postgres: connection lost inside a transaction: ${err.message}`);
    };
    client.on('error', onError);
    const inner = new PostgresTx(client);
    let discard = false;
    try {
      await query(client, 'BEGIN', []);
      try {
        const result = await fn(inner);
        await query(client, 'COMMIT', []);
        return result;
      } catch (err) {
        if (!lost) {
          try {
            await client.query('ROLLBACK');
          } catch {
            discard = true;
          }
        }
        throw err;
      }
    } finally {
      inner.ended = true;
      client.off('error', onError);
      // A connection that broke, or whose state is unknown, is closed rather than reused.
      client.release(lost ?? discard);
    }
  }

  async close(): Promise<void> {
    if (!this.pool.ended) await this.pool.end();
  }
}

/** One transaction's connection: statements, locks, no nesting. */
class PostgresTx implements Sql {
  readonly dialect = 'postgres' as const;
  ended = false;
  readonly #client: pg.PoolClient;

  constructor(client: pg.PoolClient) {
    this.#client = client;
  }

  #check(): void {
    if (this.ended) throw new Error('This transaction has ended; use the Sql outside tx().');
  }

  async get<T>(sql: string, ...params: Param[]): Promise<T | undefined> {
    this.#check();
    return (await query(this.#client, sql, params)).rows[0] as T | undefined;
  }

  async all<T>(sql: string, ...params: Param[]): Promise<T[]> {
    this.#check();
    return (await query(this.#client, sql, params)).rows as T[];
  }

  async run(sql: string, ...params: Param[]): Promise<{ changes: number }> {
    this.#check();
    return { changes: (await query(this.#client, sql, params)).rowCount ?? 0 };
  }

  async lock(key: string): Promise<void> {
    this.#check();
    // Held until this transaction ends; hashtextextended maps any key to the lock's 64-bit id.
    await query(this.#client, 'SELECT pg_advisory_xact_lock(hashtextextended(?, 0))', [key]);
  }

  tx<T>(fn: (q: Sql) => Promise<T>): Promise<T> {
    void fn;
    return Promise.reject(new Error('Transactions do not nest; pass the inner Sql down instead.'));
  }

  async close(): Promise<void> {
    throw new Error('close() belongs to the outer Sql.');
  }
}
