// migratePostgres against a real server: several instances starting at once on an empty database
// apply the schema exactly once without an error, a restart finds nothing to do, and a failing
// migration leaves the database at the version before it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Migration } from '../../src/server/store/db';
import { migratePostgres, openPostgres, POSTGRES_MIGRATIONS } from '../../src/server/store/migrations-postgres';
import { PostgresSql } from '../../src/server/store/sql-postgres';
import { freshDatabase, testDatabaseUrl } from '../support/test-database';

assert.ok(testDatabaseUrl(), 'LATCH_TEST_DATABASE is not set: run these through `npm run test:server:postgres`.');

const ALL = POSTGRES_MIGRATIONS.map((m) => m.version);

describe('migratePostgres', () => {
  it('applies the schema once when three instances start together on an empty database', async () => {
    const db = await freshDatabase();
    const pools = [new PostgresSql(db.database), new PostgresSql(db.database), new PostgresSql(db.database)];
    try {
      const ran = await Promise.all(pools.map((p) => migratePostgres(p)));
      // One instance applied every version; the others waited on the lock and found them done.
      assert.deepEqual(ran.map((r) => r.length).sort((a, b) => a - b), [0, 0, ALL.length]);
      assert.deepEqual(ran.find((r) => r.length), ALL);
      const rows = await pools[0]!.all<{ version: number; name: string }>('SELECT version, name FROM schema_migrations ORDER BY version');
      assert.deepEqual(rows, POSTGRES_MIGRATIONS.map(({ version, name }) => ({ version, name })));
      // A restart has nothing left to do.
      assert.deepEqual(await migratePostgres(pools[1]!), []);
      for (const p of pools) assert.equal(p.pool.totalCount, p.pool.idleCount, 'every connection went back to its pool');
    } finally {
      await Promise.all(pools.map((p) => p.close()));
      await db.drop();
    }
  });

  it('rolls a failing migration back whole and stops there; openPostgres reports it', async () => {
    const db = await freshDatabase();
    const sql = new PostgresSql(db.database);
    try {
      const broken: Migration[] = [
        { version: 1, name: 'one', sql: 'CREATE TABLE one (id BIGINT)' },
        { version: 2, name: 'two', sql: 'CREATE TABLE two (id BIGINT); SELECT no_such_function()' },
        { version: 3, name: 'three', sql: 'CREATE TABLE three (id BIGINT)' },
      ];
      await assert.rejects(migratePostgres(sql, broken), /PostgreSQL migration 2 \(two\) failed: .*no_such_function/);
      const tables = await sql.all<{ name: string }>(
        "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY 1",
      );
      assert.deepEqual(tables.map((t) => t.name), ['one', 'schema_migrations']);
      assert.deepEqual(await sql.all('SELECT version FROM schema_migrations'), [{ version: 1 }]);
      // The lock was given back: a corrected list runs at once.
      assert.deepEqual(await migratePostgres(sql, [broken[0]!, { ...broken[1]!, sql: 'CREATE TABLE two (id BIGINT)' }, broken[2]!]), [2, 3]);
    } finally {
      await sql.close();
      await db.drop();
    }
  });

  it('openPostgres hands back a migrated, working database; the pool size comes from the options or DATABASE_POOL_SIZE', async () => {
    const db = await freshDatabase();
    const sql = await openPostgres(db.database, { poolSize: 2 });
    try {
      assert.equal(sql.pool.options.max, 2);
      const saved = process.env.DATABASE_POOL_SIZE;
      process.env.DATABASE_POOL_SIZE = '3';
      const fromEnv = new PostgresSql(db.database);
      if (saved === undefined) delete process.env.DATABASE_POOL_SIZE;
      else process.env.DATABASE_POOL_SIZE = saved;
      assert.equal(fromEnv.pool.options.max, 3);
      await fromEnv.close();
      assert.deepEqual(await sql.get('SELECT count(*) AS n FROM schema_migrations'), { n: ALL.length });
    } finally {
      await sql.close();
      await db.drop();
    }
  });
});
