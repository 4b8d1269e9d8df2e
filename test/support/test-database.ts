// The database a server test runs against. Without LATCH_TEST_DATABASE: a fresh in-memory SQLite
// database (':memory:'), nothing to clean up. With it set to a PostgreSQL URL (npm run
// test:server:postgres sets it): a new, empty schema of its own in that database, so test files
// running in parallel never see each other's rows, and `drop()` removes the schema with everything
// in it. The returned URL selects the schema through the connection's search_path.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openSql } from '../../src/server/store/open';
import type { Sql } from '../../src/server/store/sql';

export interface TestDatabase {
  /** ':memory:' or a postgres:// URL whose connections use the new schema. */
  database: string;
  drop(): Promise<void>;
}

/** The PostgreSQL server under test, or undefined when the suite runs on SQLite. */
export function testDatabaseUrl(): string | undefined {
  return process.env.LATCH_TEST_DATABASE || undefined;
}

/** `url` with every connection's search_path set to `schema`. */
export function withSchema(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
}

async function onServer<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function freshDatabase(): Promise<TestDatabase> {
  const url = testDatabaseUrl();
  if (!url) return { database: ':memory:', drop: async () => {} };
  // Lowercase letters and digits only, so the name needs no quoting anywhere.
  const schema = `t_${process.pid}_${randomBytes(6).toString('hex')}`;
  await onServer(url, (c) => c.query(`CREATE SCHEMA ${schema}`));
  let dropped = false;
  return {
    database: withSchema(url, schema),
    async drop() {
      if (dropped) return;
      dropped = true;
      await onServer(url, (c) => c.query(`DROP SCHEMA ${schema} CASCADE`));
    },
  };
}

/**
 * `count` connections to one fresh, migrated database, each standing for one instance of the
 * service (store-level tests of what instances share). SQLite: one in-memory database, or a
 * temporary file when several connections must share it; PostgreSQL: one pool per instance on a
 * fresh schema.
 */
export async function openDatabases(count = 1): Promise<{ sqls: Sql[]; close: () => Promise<void> }> {
  const dir = count > 1 && !testDatabaseUrl() ? mkdtempSync(join(tmpdir(), 'latch-instances-')) : undefined;
  const db: TestDatabase = dir ? { database: join(dir, 'shared.db'), drop: async () => {} } : await freshDatabase();
  const sqls: Sql[] = [];
  // One after another, as instances starting together do: the first migrates, the rest find it done.
  for (let i = 0; i < count; i++) sqls.push(await openSql(db.database));
  return {
    sqls,
    async close() {
      for (const sql of sqls) await sql.close();
      await db.drop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
