// The database-free parts of the PostgreSQL adapter: how `?` placeholders are renumbered, how the
// pool size is read, and which errors count as unique violations or storage failures on either
// database. The parts that need a server are in test/server-postgres/.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isUniqueViolation, PG_UNAVAILABLE, storageFailure } from '../../src/server/store/sql-errors';
import { DEFAULT_POOL_SIZE, poolSizeFromEnv, toPositional } from '../../src/server/store/sql-postgres';

describe('toPositional', () => {
  it('numbers the placeholders in order', () => {
    assert.equal(toPositional('SELECT * FROM t WHERE a = ? AND b IN (?, ?)'), 'SELECT * FROM t WHERE a = $1 AND b IN ($2, $3)');
  });

  it('leaves a ? inside a string literal alone, doubled quotes included', () => {
    assert.equal(toPositional("SELECT '?', 'it''s ?', ? FROM t WHERE x = '?'' ?'"), "SELECT '?', 'it''s ?', $1 FROM t WHERE x = '?'' ?'");
  });

  it('leaves a ? inside quoted identifiers, comments and dollar quotes alone', () => {
    assert.equal(
      toPositional('SELECT "a?b", ? -- why?\n, /* or ? */ ?, $$x?$$, $t$?$t$, ?'),
      'SELECT "a?b", $1 -- why?\n, /* or ? */ $2, $$x?$$, $t$?$t$, $3',
    );
  });

  it('does not mistake an existing $1 for a dollar quote', () => {
    assert.equal(toPositional('SELECT $1, ?'), 'SELECT $1, $1');
  });

  it('is unchanged without placeholders', () => {
    assert.equal(toPositional('SELECT 1'), 'SELECT 1');
  });
});

describe('poolSizeFromEnv', () => {
  it('defaults to 10 and reads DATABASE_POOL_SIZE', () => {
    assert.equal(poolSizeFromEnv({}), DEFAULT_POOL_SIZE);
    assert.equal(DEFAULT_POOL_SIZE, 10);
    assert.equal(poolSizeFromEnv({ DATABASE_POOL_SIZE: '25' }), 25);
  });

  it('refuses a size that is not a whole number of at least 1', () => {
    for (const bad of ['0', '-3', '2.5', 'ten']) {
      assert.throws(() => poolSizeFromEnv({ DATABASE_POOL_SIZE: bad }), /DATABASE_POOL_SIZE must be a whole number of at least 1/);
    }
  });
});

describe('sql-errors', () => {
  it('recognises a unique violation from either database, and nothing else', () => {
    assert.equal(isUniqueViolation({ code: 'SQLITE_CONSTRAINT_UNIQUE' }), true);
    assert.equal(isUniqueViolation({ code: 'SQLITE_CONSTRAINT_PRIMARYKEY' }), true);
    assert.equal(isUniqueViolation({ code: '23505' }), true);
    assert.equal(isUniqueViolation({ code: 'SQLITE_CONSTRAINT_FOREIGNKEY' }), false);
    assert.equal(isUniqueViolation({ code: '23503' }), false);
    assert.equal(isUniqueViolation(new Error('plain')), false);
    assert.equal(isUniqueViolation(null), false);
  });

  it('names storage failures of both databases and passes over request errors', () => {
    assert.equal(storageFailure({ code: 'SQLITE_FULL' }), 'SQLITE_FULL');
    assert.equal(storageFailure({ code: 'SQLITE_IOERR_WRITE' }), 'SQLITE_IOERR_WRITE');
    assert.equal(storageFailure({ code: '53100' }), 'postgres_disk_full');
    assert.equal(storageFailure({ code: '58030' }), 'postgres_io_error');
    assert.equal(storageFailure({ code: '57P01' }), 'postgres_admin_shutdown');
    assert.equal(storageFailure({ code: '08006' }), 'postgres_connection_exception');
    assert.equal(storageFailure({ code: PG_UNAVAILABLE }), 'postgres_unavailable');
    // A wrong parameter count is a bug (protocol violation), not an outage.
    assert.equal(storageFailure({ code: '08P01' }), undefined);
    assert.equal(storageFailure({ code: '23505' }), undefined);
    assert.equal(storageFailure({ code: 'SQLITE_CONSTRAINT_UNIQUE' }), undefined);
    assert.equal(storageFailure(new Error('plain')), undefined);
  });
});
