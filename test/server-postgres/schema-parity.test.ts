// The two schemas stay one schema: db.ts's MIGRATIONS applied to SQLite and migrations-postgres.ts's
// applied to PostgreSQL give the same versions, tables, columns (in order), indexes and column
// kinds, and the rows SQLite's triggers add appear on PostgreSQL too. A migration added to one list
// and not the other fails here.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { MIGRATIONS } from '../../src/server/store/db';
import { migratePostgres, POSTGRES_MIGRATIONS } from '../../src/server/store/migrations-postgres';
import { PostgresSql } from '../../src/server/store/sql-postgres';
import { freshDatabase, testDatabaseUrl, type TestDatabase } from '../support/test-database';

assert.ok(testDatabaseUrl(), 'LATCH_TEST_DATABASE is not set: run these through `npm run test:server:postgres`.');

interface Column {
  name: string;
  kind: string;
}

// What each SQLite declared type may become. INTEGER may widen to BIGINT (times, ids); nothing else changes.
const KINDS: Record<string, string[]> = {
  INTEGER: ['integer', 'bigint'],
  TEXT: ['text'],
  REAL: ['double precision'],
};

describe('SQLite and PostgreSQL schemas', () => {
  let lite: Database.Database;
  let db: TestDatabase;
  let pg: PostgresSql;
  const liteTables = new Map<string, Column[]>();
  const pgTables = new Map<string, Column[]>();

  before(async () => {
    lite = new Database(':memory:');
    lite.pragma('foreign_keys = ON');
    for (const m of [...MIGRATIONS].sort((a, b) => a.version - b.version)) lite.exec(m.sql);
    db = await freshDatabase();
    pg = new PostgresSql(db.database);
    await migratePostgres(pg);

    const names = lite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").pluck().all() as string[];
    for (const t of names) {
      const cols = lite.prepare(`PRAGMA table_info(${t})`).all() as { name: string; type: string }[];
      liteTables.set(t, cols.map((c) => ({ name: c.name, kind: c.type })));
    }
    const rows = await pg.all<{ table_name: string; column_name: string; data_type: string }>(
      `SELECT table_name, column_name, data_type FROM information_schema.columns
        WHERE table_schema = current_schema() AND table_name <> 'schema_migrations'
        ORDER BY table_name, ordinal_position`,
    );
    for (const r of rows) {
      if (!pgTables.has(r.table_name)) pgTables.set(r.table_name, []);
      pgTables.get(r.table_name)!.push({ name: r.column_name, kind: r.data_type });
    }
  });

  after(async () => {
    lite.close();
    await pg.close();
    await db.drop();
  });

  it('have the same migrations: versions and names, one to one', () => {
    const list = (ms: typeof MIGRATIONS) => ms.map(({ version, name }) => ({ version, name }));
    assert.deepEqual(list(POSTGRES_MIGRATIONS), list(MIGRATIONS));
  });

  it('have the same tables', () => {
    assert.deepEqual([...pgTables.keys()].sort(), [...liteTables.keys()].sort());
  });

  it('have the same columns in the same order in every table', () => {
    for (const [table, cols] of liteTables) {
      assert.deepEqual(pgTables.get(table)?.map((c) => c.name), cols.map((c) => c.name), `columns of ${table}`);
    }
  });

  it('keep each column the same kind, and every time column 64-bit on PostgreSQL', () => {
    for (const [table, cols] of liteTables) {
      const pgCols = new Map(pgTables.get(table)!.map((c) => [c.name, c.kind]));
      for (const c of cols) {
        const kind = pgCols.get(c.name)!;
        assert.ok(KINDS[c.kind]?.includes(kind), `${table}.${c.name}: SQLite ${c.kind} became ${kind}`);
        // Milliseconds since 1970 passed 2^31 in January 1970.
        if (/_(at|on)$/.test(c.name)) assert.equal(kind, 'bigint', `${table}.${c.name} holds a time`);
      }
    }
  });

  it('have the same indexes', async () => {
    const liteIndexes = lite.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name").pluck().all();
    const pgIndexes = await pg.all<{ name: string }>(
      "SELECT indexname AS name FROM pg_indexes WHERE schemaname = current_schema() AND indexname NOT LIKE '%_pkey' ORDER BY 1",
    );
    assert.deepEqual(pgIndexes.map((i) => i.name), liteIndexes);
  });

  it('add the same rows on insert: the account-created event, a session public id and authenticated_at', async () => {
    const user = 'INSERT INTO users (id, application_id, username, created_at, updated_at) VALUES (?, ?, ?, ?, ?)';
    const session = `INSERT INTO sessions (id_hash, user_id, application_id, created_at, last_seen_at, expires_at)
                     VALUES (?, ?, ?, ?, ?, ?)`;
    const timeline = 'SELECT application_id, user_id, type, title, sub_title, visible, created_at FROM user_timeline';
    const sessionRow = 'SELECT public_id, authenticated_at FROM sessions';
    const t = Date.UTC(2030, 5, 1);

    lite.prepare(user).run('u1', 'app', 'Ann', t, t);
    lite.prepare(session).run('h1', 'u1', 'app', t, t, t + 1000);
    await pg.run(user, 'u1', 'app', 'Ann', t, t);
    await pg.run(session, 'h1', 'u1', 'app', t, t, t + 1000);

    assert.deepEqual(await pg.all(timeline), lite.prepare(timeline).all());
    const [liteSession, pgSession] = [lite.prepare(sessionRow).get() as { public_id: string }, (await pg.get<{ public_id: string }>(sessionRow))!];
    assert.match(liteSession.public_id, /^[0-9a-f]{32}$/);
    assert.match(pgSession.public_id, /^[0-9a-f]{32}$/);
    assert.deepEqual({ ...pgSession, public_id: 'x' }, { ...liteSession, public_id: 'x', authenticated_at: t });
  });

  it('refuse the same duplicates, usernames compared without case', async () => {
    const user = 'INSERT INTO users (id, application_id, username, created_at, updated_at) VALUES (?, ?, ?, ?, ?)';
    assert.throws(() => lite.prepare(user).run('u2', 'app', 'aNN', 1, 1), { code: 'SQLITE_CONSTRAINT_UNIQUE' });
    await assert.rejects(pg.run(user, 'u2', 'app', 'aNN', 1, 1), { code: '23505' });
  });
});
