// Sessions per shopper are capped (the oldest end first), and a full disk gives a clear 503 with
// one log line per request, then heals by itself: the disk is simulated full by pinning SQLite's
// max_page_count to the pages in use and filling the free space, then given room again.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { MAX_SESSIONS_PER_USER } from '../../src/server/store/sessions';
import { SqliteSql } from '../../src/server/store/sql';
import { APP, APPLICATION_ID, count, DEMO, Jar, SESSION, signedIn, startServer, type TestServer } from './helpers';

describe('sessions per shopper', () => {
  let s: TestServer | undefined;
  afterEach(() => s?.close());

  it(`keeps at most ${MAX_SESSIONS_PER_USER}; a new sign-in past that ends the oldest`, async () => {
    s = await startServer();
    const jars: Jar[] = [];
    for (let i = 0; i < MAX_SESSIONS_PER_USER + 2; i++) {
      s.clock.advance(1000);
      jars.push(await signedIn(s));
    }
    const user = await s.service.sql.get("SELECT user_id FROM user_emails WHERE email_key = ?", DEMO.email) as { user_id: string };
    assert.equal(await count(s, 'SELECT COUNT(*) AS n FROM sessions WHERE user_id = ?', user.user_id), MAX_SESSIONS_PER_USER);
    assert.equal((await s.fetch(SESSION, { jar: jars[0]! })).status, 401, 'the oldest session ended');
    assert.equal((await s.fetch(SESSION, { jar: jars[1]! })).status, 401, 'the second oldest ended');
    assert.equal((await s.fetch(SESSION, { jar: jars[2]! })).status, 200, 'the rest still work');
    assert.equal((await s.fetch(SESSION, { jar: jars.at(-1)! })).status, 200);
  });

  it("one shopper's sign-ins never end another shopper's sessions", async () => {
    s = await startServer();
    assert.equal((await s.createShopper({ email: 'other@example.com', first_name: 'O', password: 'another long password' })).status, 200);
    const other = await signedIn(s, 'other@example.com', 'another long password');
    for (let i = 0; i < MAX_SESSIONS_PER_USER + 1; i++) await signedIn(s);
    assert.equal((await s.fetch(SESSION, { jar: other })).status, 200);
  });
});

describe('a full disk', () => {
  let s: TestServer | undefined;
  afterEach(() => s?.close());

  /**
   * Lets the database grow no further, then fills the free room of the sessions table (where a
   * sign-in writes) with sessions of ever smaller size until not even a small one fits.
   */
  async function fillDisk(t: TestServer): Promise<void> {
    // SQLITE_FULL is SQLite's: this suite runs on its own SQLite database (see startServer below).
    assert.ok(t.service.sql instanceof SqliteSql);
    const db = t.service.sql.db;
    const user = db.prepare('SELECT user_id FROM user_emails WHERE email_key = ?').get(DEMO.email) as { user_id: string };
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
    const insert = db.prepare(
      `INSERT INTO sessions (id_hash, user_id, application_id, user_agent, ip, created_at, last_seen_at, expires_at)
       VALUES (lower(hex(randomblob(32))), ?, ?, substr(hex(randomblob(?)), 1, ?), '', 0, 0, 0)`,
    );
    for (const size of [2048, 512, 128, 32, 0]) {
      for (let i = 0; i < 10_000; i++) {
        try {
          insert.run(user.user_id, APPLICATION_ID, size + 1, size);
        } catch (err) {
          assert.equal((err as { code?: string }).code, 'SQLITE_FULL');
          break;
        }
      }
    }
  }

  it('answers writes with 503 STORAGE_UNAVAILABLE and one log line, reads still work, and writes recover when space returns', async () => {
    s = await startServer({ database: ':memory:' });
    await fillDisk(s);
    const before = s.logs.length;

    const refused = await s.login(DEMO.email, DEMO.password, new Jar());
    assert.equal(refused.status, 503);
    assert.equal(refused.headers.get('retry-after'), '30');
    const body = await refused.json();
    assert.equal(body.code, 'STORAGE_UNAVAILABLE');
    assert.match(body.message, /cannot save changes right now/);
    assert.equal(refused.headers.getSetCookie().length, 0, 'no cookie for a session that was not stored');
    const lines = s.logs.slice(before).filter((l) => l.startsWith('error '));
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /storage unavailable \(SQLITE_FULL\)$/);
    assert.ok(!s.logs.slice(before).some((l) => /\n\s+at /.test(l)), 'no stack trace in the log');

    assert.equal((await s.fetch(`${APP}/platform/v1.0/config`)).status, 200, 'reads are unaffected');

    // Space returns: the very next write works, nothing to restart.
    (s.service.sql as SqliteSql).db.pragma('max_page_count = 1073741823');
    const jar = new Jar();
    assert.equal((await s.login(DEMO.email, DEMO.password, jar)).status, 200);
    assert.equal((await s.fetch(SESSION, { jar })).status, 200);
  });
});
