// The cost of the hot storefront paths must not grow with the tables: every statement the service
// runs while shoppers sign in (by password and by code), reset passwords and while it purges old
// rows is recorded as it is prepared, and SQLite's EXPLAIN QUERY PLAN must show an index (or
// primary key) for each table it reads, never a full SCAN.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { deleteAll, deleteBatch } from '../../src/server/store/purge';
import { OTP_PURGE, TOKEN_PURGE } from '../../src/server/services/codes';
import { OUTBOX_PURGE } from '../../src/server/store/outbox';
import { SessionStore } from '../../src/server/store/sessions';
import { SqliteSql } from '../../src/server/store/sql';
import { APP, APPLICATION_ID, DEMO, Jar, lastCode, postJson, SESSION, startServer, type TestServer } from './helpers';

function post(s: TestServer, path: string, body: unknown, jar?: Jar): Promise<Response> {
  return postJson(s, `${APP}${path}`, body, { jar });
}

/** Placeholders for a statement's parameters (EXPLAIN needs them bound, their values do not matter). */
function nullParams(sql: string): unknown[] {
  const named = [...sql.matchAll(/[@:$]([A-Za-z_]\w*)/g)].map((m) => m[1]!);
  if (named.length) return [Object.fromEntries(named.map((n) => [n, null]))];
  const withoutStrings = sql.replace(/'[^']*'/g, '');
  return Array((withoutStrings.match(/\?/g) ?? []).length).fill(null);
}

describe('query plans of the hot paths', () => {
  let s: TestServer;
  /** EXPLAIN QUERY PLAN is SQLite's: this suite always runs on SQLite, whatever testDatabase() says. */
  let sqlite: SqliteSql;
  const seen = new Set<string>();

  before(async () => {
    s = await startServer({ printMessage: () => {}, database: ':memory:' });
    assert.ok(s.service.sql instanceof SqliteSql);
    sqlite = s.service.sql;
    await s.setConfig({ login: { otp: true }, forgot_password: true });
    const db = sqlite.db;
    const prepare = db.prepare.bind(db);
    db.prepare = ((sql: string) => {
      seen.add(sql.replace(/\s+/g, ' ').trim());
      return prepare(sql);
    }) as typeof db.prepare;

    // Password sign-in, the session, sign-out.
    const jar = new Jar();
    assert.equal((await s.login(DEMO.email, DEMO.password, jar)).status, 200);
    assert.equal((await s.login(DEMO.email, 'wrong password', new Jar())).status, 400);
    assert.equal((await s.fetch(SESSION, { jar })).status, 200);
    assert.equal((await s.fetch(`${APP}/platform/v1.0/config`)).status, 200);
    // Sign-in by code: send, resend, verify.
    const sent = await (await post(s, '/authentication/v1.0/otp/email/send', { email: DEMO.email, action: 'send' })).json();
    s.clock.advance(31_000);
    const resent = await post(s, '/authentication/v1.0/otp/email/send', { email: DEMO.email, action: 'resend', token: sent.resend_email_token });
    assert.equal(resent.status, 200);
    const code = await lastCode(s, DEMO.email);
    assert.equal((await post(s, '/authentication/v1.0/otp/email/verify', { email: DEMO.email, otp: code, request_id: sent.request_id }, new Jar())).status, 200);
    // A reset link: request, check.
    assert.equal((await post(s, '/authentication/v1.0/login/password/reset', { email: DEMO.email })).status, 200);
    const link = new URL((await (await s.fetch(`/__dev/outbox?to=${encodeURIComponent(DEMO.email)}`)).json()).items[0].link);
    const checked = await post(s, '/authentication/v1.0/login/password/reset/token', { code: link.searchParams.get('code') });
    assert.equal(checked.status, 200);
    assert.equal((await s.fetch(`${APP}/authentication/v1.0/logout`, { method: 'POST', jar })).status, 200);
    // The purges.
    await new SessionStore(sqlite, APPLICATION_ID, s.clock.now).purgeExpired();
    for (const target of [OTP_PURGE, TOKEN_PURGE, OUTBOX_PURGE]) {
      await deleteBatch(sqlite, target, 0);
      await deleteAll(sqlite, target, 0);
    }
    db.prepare = prepare as typeof db.prepare;
  });
  after(() => s.close());

  it('reads every table of every hot statement through an index', () => {
    const hot = [...seen].filter((sql) => /^(SELECT|UPDATE|DELETE|INSERT)/i.test(sql));
    for (const table of ['otp_requests', 'one_time_tokens', 'sessions', 'outbox', 'users', 'user_emails', 'password_hashes']) {
      assert.ok(hot.some((sql) => sql.includes(table)), `the flow touched ${table}`);
    }
    const scans: string[] = [];
    for (const sql of hot) {
      const plan = sqlite.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...nullParams(sql)) as { detail: string }[];
      for (const { detail } of plan) {
        if (/^SCAN /.test(detail) && !/^SCAN CONSTANT ROW/.test(detail)) scans.push(`${detail}  <-  ${sql}`);
      }
    }
    assert.deepEqual(scans, []);
  });

  it('orders the newest open code of an address by the index, without a sort', () => {
    const plan = sqlite.db
      .prepare(
        `EXPLAIN QUERY PLAN SELECT * FROM otp_requests WHERE application_id = ? AND purpose = ? AND channel = ? AND destination = ?
           AND consumed_at IS NULL ORDER BY updated_at DESC, created_at DESC LIMIT 1`,
      )
      .all('a', 'login', 'email', 'x') as { detail: string }[];
    assert.ok(plan.some((p) => /USING INDEX otp_requests_destination/.test(p.detail)), JSON.stringify(plan));
    assert.ok(!plan.some((p) => /TEMP B-TREE/.test(p.detail)), JSON.stringify(plan));
  });

  it('sums the wrong codes of an address from its own index alone, whatever the purpose', () => {
    // The statement the code check above ran, not a copy of it.
    const sum = [...seen].find((sql) => sql.includes('SUM(attempts)') && sql.includes('otp_requests'));
    assert.ok(sum, 'the code check summed the wrong tries at its address');
    const plan = sqlite.db.prepare(`EXPLAIN QUERY PLAN ${sum}`).all(...nullParams(sum)) as { detail: string }[];
    const detail = plan.map((p) => p.detail).join(' | ');
    assert.match(detail, /SEARCH otp_requests USING COVERING INDEX otp_requests_wrong_per_destination \(application_id=\? AND channel=\? AND destination=\? AND updated_at>\?\)/);
  });

  it('purges in batches until every old row is gone, and keeps the rest', async () => {
    const db = sqlite.db;
    db.exec('CREATE TEMP TABLE purge_probe (id INTEGER PRIMARY KEY, at INTEGER NOT NULL)');
    db.exec('CREATE INDEX temp.purge_probe_at ON purge_probe (at)');
    const insert = db.prepare('INSERT INTO purge_probe (at) VALUES (?)');
    db.transaction(() => {
      for (let i = 0; i < 1234; i++) insert.run(i);
    })();
    const target = { table: 'purge_probe', column: 'at' };
    assert.equal(await deleteBatch(sqlite, target, 1000, 100), 100, 'one batch deletes at most its size');
    assert.equal(await deleteAll(sqlite, target, 1000, 300), 900);
    assert.equal((db.prepare('SELECT COUNT(*) AS n FROM purge_probe').get() as { n: number }).n, 234);
    db.exec('DROP TABLE purge_probe');
  });
});
