// Storage and password hashing: migrations on a real database file reopened, the demo seed, the
// stored hash format and its parameters, rehashing on login, and the common-password list.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { createService } from '../../src/server/app';
import { isCommonPassword } from '../../src/server/services/common-passwords';
import { MIGRATIONS } from '../../src/server/store/db';
import { SqliteSql } from '../../src/server/store/sql';
import { hashPassword, needsRehash, parseHash, verifyPassword } from '../../src/server/services/passwords';
import { ADMIN_TOKEN, APPLICATION_ID, CHEAP_PARAMS, COMPANY_ID, DEMO, startServer } from './helpers';

describe('database file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'latch-server-test-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  const open = (logs: string[] = []) =>
    createService({
      database: join(dir, 'latch.db'),
      companyId: COMPANY_ID,
      applicationId: APPLICATION_ID,
      adminToken: ADMIN_TOKEN,
      dev: true,
      demoUser: DEMO,
      passwordParams: CHEAP_PARAMS,
      log: (line) => logs.push(line),
    });

  test('migrations apply once, reopening keeps data and the demo shopper is seeded once', async () => {
    const firstLogs: string[] = [];
    const first = await open(firstLogs);
    await first.ready;
    // A file database is SQLite's: this suite checks its journal mode directly.
    assert.ok(first.sql instanceof SqliteSql);
    assert.equal(first.sql.db.pragma('journal_mode', { simple: true }), 'wal');
    const versions = await first.sql.all('SELECT version FROM schema_migrations ORDER BY version') as { version: number }[];
    assert.deepEqual(versions.map((v) => v.version), MIGRATIONS.map((m) => m.version));
    const configId = ((await (await first.app.request('/service/application/user/platform/v1.0/config')).json()) as { _id: string })._id;
    assert.ok(firstLogs.some((l) => l.includes('demo shopper created')));
    await first.close();
    await first.close(); // closing twice is harmless

    const secondLogs: string[] = [];
    const second = await open(secondLogs);
    await second.ready;
    const again = { n: Number((await second.sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM schema_migrations'))!.n) };
    assert.equal(again.n, MIGRATIONS.length, 'no migration ran twice');
    const users = { n: Number((await second.sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM users'))!.n) };
    assert.equal(users.n, 1, 'the demo shopper was not seeded twice');
    assert.ok(!secondLogs.some((l) => l.includes('demo shopper created')));
    const config = (await (await second.app.request('/service/application/user/platform/v1.0/config')).json()) as { _id: string };
    assert.equal(config._id, configId, 'the config keeps its id across restarts');
    const login = await second.app.request('/service/application/user/authentication/v1.0/login/password', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: DEMO.email, password: DEMO.password }),
    });
    assert.equal(login.status, 200, 'the seeded shopper signs in after a restart');
    await second.close();
  });
});

describe('password hashing', () => {
  test('the stored string carries algorithm, parameters, salt and hash', async () => {
    const stored = await hashPassword('correct horse', { N: 2 ** 10, r: 8, p: 2 });
    assert.match(stored, /^scrypt\$n=1024,r=8,p=2\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    const parsed = parseHash(stored)!;
    assert.deepEqual(parsed.params, { N: 1024, r: 8, p: 2 });
    assert.equal(parsed.salt.length, 16);
    assert.equal(parsed.hash.length, 32);
    assert.notEqual(stored, await hashPassword('correct horse', { N: 2 ** 10, r: 8, p: 2 }), 'a fresh salt each time');
  });

  test('verification uses the stored parameters, so parameters can change later', async () => {
    const old = await hashPassword('correct horse', { N: 2 ** 10, r: 8, p: 1 });
    assert.equal(await verifyPassword('correct horse', old), true);
    assert.equal(await verifyPassword('correct horsE', old), false);
    assert.equal(await verifyPassword('correct horse', 'garbage', CHEAP_PARAMS), false);
    assert.equal(needsRehash(old, { N: 2 ** 10, r: 8, p: 1 }), false);
    assert.equal(needsRehash(old, { N: 2 ** 15, r: 8, p: 3 }), true);
  });

  test('production parameters (N=2^15, r=8, p=3) fit in the memory limit Node is given', async () => {
    const stored = await hashPassword('production strength');
    assert.match(stored, /^scrypt\$n=32768,r=8,p=3\$/);
    assert.equal(await verifyPassword('production strength', stored), true);
  });

  test('a hash made with older parameters is upgraded at the next successful login', async () => {
    const s = await startServer({ passwordParams: { N: 2 ** 11, r: 8, p: 1 } });
    try {
      const oldHash = await hashPassword(DEMO.password, CHEAP_PARAMS);
      await s.service.sql.run('UPDATE password_hashes SET hash = ?', oldHash);
      assert.equal((await s.login(DEMO.email, DEMO.password)).status, 200);
      const row = await s.service.sql.get('SELECT hash FROM password_hashes') as { hash: string };
      assert.match(row.hash, /^scrypt\$n=2048,r=8,p=1\$/);
      assert.equal((await s.login(DEMO.email, DEMO.password)).status, 200);
    } finally {
      await s.close();
    }
  });

  test('common passwords are recognised whatever their case', () => {
    assert.equal(isCommonPassword('password123'), true);
    assert.equal(isCommonPassword('Password123'), true);
    assert.equal(isCommonPassword('qwertyuiop'), true);
    assert.equal(isCommonPassword('latch-demo-password'), false);
    assert.equal(isCommonPassword('correct-horse-battery'), false);
  });
});
