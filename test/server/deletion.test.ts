// Account deletion: the soft delete (reason kept, all sessions ended, login answers is_deleted),
// restoring within the grace period through the admin API and not after it, the timeline, and the
// purge after the period, after which the old email behaves exactly like one never registered.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createService } from '../../src/server/app';
import { purgeExpired, requestDeletion, restoreUser, type DeletionContext } from '../../src/server/services/deletion';
import { PlatformConfigStore } from '../../src/server/services/config';
import { SessionStore } from '../../src/server/store/sessions';
import { UserStore } from '../../src/server/store/users';
import { APP, APPLICATION_ID, CHEAP_PARAMS, Clock, count, deletionContext, Jar, jsonRequest, SESSION, startServer, withoutRequestId, type TestServer } from './helpers';

const DAY = 86_400_000;

function put(s: TestServer, path: string, body: unknown): Promise<Response> {
  return s.admin(path, jsonRequest('PUT', body));
}

async function shopper(s: TestServer, email: string, password: string, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await s.createShopper({ email, password, ...extra }, '?verified=true');
  assert.equal(res.status, 200);
  return (await res.json()).user._id;
}

describe('requesting deletion', () => {
  let s: TestServer;
  let ctx: DeletionContext;
  before(async () => {
    s = await startServer();
    ctx = deletionContext(s);
  });
  after(() => s.close());

  test('soft-deletes with the reason, ends every session at once, and login then says is_deleted', async () => {
    const id = await shopper(s, 'leaving@example.com', 'leaving-the-shop');
    const phone = new Jar();
    const laptop = new Jar();
    await s.login('leaving@example.com', 'leaving-the-shop', phone);
    await s.login('leaving@example.com', 'leaving-the-shop', laptop);

    const result = await requestDeletion(ctx, { userId: id, reasonId: 'privacy', reasonText: 'my own words' });
    assert.equal(result.deleteOn, s.clock.now() + 7 * DAY, 'delete_account_day defaults to 7');
    assert.equal(result.sessionsEnded, 2);
    assert.equal(await count(s, 'SELECT COUNT(*) AS n FROM sessions WHERE user_id = ?', id), 0);
    assert.equal((await s.fetch(SESSION, { jar: phone })).status, 401);
    assert.equal((await s.fetch(SESSION, { jar: laptop })).status, 401);
    const row = await s.service.sql.get('SELECT deleted_at, delete_on, delete_reason, delete_reason_id, delete_reason_text FROM users WHERE id = ?', id);
    assert.deepEqual(row, {
      deleted_at: s.clock.now(),
      delete_on: s.clock.now() + 7 * DAY,
      delete_reason: 'I have privacy concerns',
      delete_reason_id: 'privacy',
      delete_reason_text: 'my own words',
    });

    const login = await s.login('leaving@example.com', 'leaving-the-shop');
    assert.equal(login.status, 400);
    const body = await login.json();
    assert.equal(body.code, 'ACCOUNT_DELETED');
    assert.deepEqual(body.meta, { is_deleted: true, delete_on: new Date(s.clock.now() + 7 * DAY).toISOString() });
    assert.equal((await (await s.login('leaving@example.com', 'wrong-password')).json()).code, 'INVALID_CREDENTIALS', 'only after the right password');

    const [listed] = (await (await s.admin('/customers/search?q=leaving@example.com')).json()).users;
    assert.equal(listed.status, 'deleted');
    assert.equal(listed.deleted_on, new Date(s.clock.now()).toISOString());
    assert.equal(listed.delete_on, new Date(s.clock.now() + 7 * DAY).toISOString());

    const timeline = await (await s.admin(`/customers/${id}/timeline`)).json();
    assert.equal(timeline.delete_on, new Date(s.clock.now() + 7 * DAY).toISOString());
    const event = timeline.timeline.find((e: { type: string }) => e.type === 'deletion_requested');
    assert.equal(event.title, 'Account deletion requested');
    assert.match(event.sub_title, /Reason: I have privacy concerns/);
    assert.ok(!event.sub_title.includes('my own words'), "the shopper's own text stays out of the timeline");
  });

  test('the grace period follows delete_account_day; a second request and unknown users are refused', async () => {
    await s.setConfig({ delete_account_day: 3 });
    try {
      const id = await shopper(s, 'three-days@example.com', 'three-days-left');
      assert.equal((await requestDeletion(ctx, { userId: id })).deleteOn, s.clock.now() + 3 * DAY);
      await assert.rejects(() => requestDeletion(ctx, { userId: id }), { code: 'ALREADY_DELETED', status: 400 });
      await assert.rejects(() => requestDeletion(ctx, { userId: 'ffffffffffffffffffffffff' }), { code: 'USER_NOT_FOUND', status: 404 });
    } finally {
      await s.setConfig({ delete_account_day: 7 });
    }
  });
});

describe('restoring a deleted account (unDeleteUser)', () => {
  let s: TestServer;
  let ctx: DeletionContext;
  before(async () => {
    s = await startServer();
    ctx = deletionContext(s);
  });
  after(() => s.close());

  test('within the grace period the admin restores it and the shopper signs in again', async () => {
    const id = await shopper(s, 'comeback@example.com', 'changed-my-mind');
    await requestDeletion(ctx, { userId: id, reasonId: 'not_using' });
    s.clock.advance(7 * DAY - 1);
    const res = await put(s, '/customers/undelete', { user_id: id, reason: 'asked by phone', reason_id: 'support' });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { success: true });
    assert.equal((await s.login('comeback@example.com', 'changed-my-mind')).status, 200);
    const timeline = await (await s.admin(`/customers/${id}/timeline`)).json();
    assert.equal('delete_on' in timeline, false, 'no deletion pending: delete_on left out, not null');
    assert.deepEqual(
      timeline.timeline.map((e: { type: string }) => e.type),
      ['account_created', 'deletion_requested', 'account_restored'],
    );
    assert.ok(timeline.timeline.every((e: { visible: boolean; date: string }) => e.visible && !Number.isNaN(Date.parse(e.date))));
    assert.equal(timeline.timeline[2].sub_title, 'asked by phone');
  });

  test('after delete_on it is refused, even before the purge has run', async () => {
    const id = await shopper(s, 'toolate@example.com', 'too-late-for-this');
    await requestDeletion(ctx, { userId: id });
    s.clock.advance(7 * DAY);
    const res = await put(s, '/customers/undelete', { user_id: id, reason: 'late' });
    assert.equal(res.status, 400);
    const body = await res.json();
    assert.equal(body.code, 'RESTORE_PERIOD_OVER');
    assert.match(body.message, /period for restoring this account ended/);
  });

  test('a live account, an unknown id and a missing id are clear errors', async () => {
    const id = await shopper(s, 'alive@example.com', 'still-here-thanks');
    const live = await put(s, '/customers/undelete', { user_id: id });
    assert.equal(live.status, 400);
    assert.equal((await live.json()).code, 'NOT_DELETED');
    assert.equal((await put(s, '/customers/undelete', { user_id: 'ffffffffffffffffffffffff' })).status, 404);
    const missing = await put(s, '/customers/undelete', {});
    assert.equal(missing.status, 400);
    assert.match((await missing.json()).message, /user_id/);
    await assert.rejects(() => restoreUser(ctx, { userId: id }), { code: 'NOT_DELETED' });
    assert.equal((await s.admin('/customers/ffffffffffffffffffffffff/timeline')).status, 404);
  });
});

describe('purging after the grace period', () => {
  let s: TestServer;
  let ctx: DeletionContext;
  before(async () => {
    s = await startServer();
    ctx = deletionContext(s);
    await s.setConfig({ social: { google: true } });
  });
  after(() => s.close());

  test('removes the person for good; the old email then behaves exactly like an unknown one', async () => {
    const id = await shopper(s, 'Purge.Me@example.com', 'purge-me-later', { phone_number: '+91 91234 56789', first_name: 'Pat' });
    const tokenRes = await s.fetch('/__dev/social/google/token', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ identity: { name: 'Pat Purge', email: 'purge.me@example.com' } }),
    });
    const token = (await tokenRes.json()).token;
    const social = await s.fetch(`${APP}/authentication/v1.0/login/google-token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ oauth2: { access_token: token } }),
    });
    assert.equal((await social.json()).user._id, id, 'linked by verified email');
    // A table added later (by another feature) holding this user's data, without a cascade.
    await s.service.sql.run('CREATE TABLE later_feature (user_id TEXT NOT NULL, note TEXT)');
    await s.service.sql.run("INSERT INTO later_feature VALUES (?, 'personal')", id);
    const bystander = await shopper(s, 'bystander@example.com', 'not-going-anywhere');
    const pending = await shopper(s, 'pending@example.com', 'still-in-grace');

    await requestDeletion(ctx, { userId: id, reasonId: 'other', reasonText: 'free text' });
    s.clock.advance(DAY);
    await requestDeletion(ctx, { userId: pending });
    s.clock.advance(6 * DAY - 1);
    assert.equal(await purgeExpired(ctx), 0, 'not before delete_on');
    s.clock.advance(1);
    assert.equal(await purgeExpired(ctx), 1);
    assert.equal(await purgeExpired(ctx), 0, 'idempotent');

    for (const table of ['users', 'user_emails', 'user_phones', 'password_hashes', 'sessions', 'social_identities', 'later_feature']) {
      const column = table === 'users' ? 'id' : 'user_id';
      assert.equal(await count(s, `SELECT COUNT(*) AS n FROM ${table} WHERE ${column} = ?`, id), 0, table);
    }
    assert.equal(await count(s, 'SELECT COUNT(*) AS n FROM users WHERE id IN (?, ?)', bystander, pending), 2, 'no one else is touched');
    assert.equal(await count(s, 'SELECT COUNT(*) AS n FROM purged_users WHERE user_id = ?', id), 1, 'an anonymous tombstone');
    const leftovers = JSON.stringify(await s.service.sql.all('SELECT * FROM user_timeline WHERE user_id = ?', id));
    for (const personal of ['purge.me', 'Pat', 'free text', '91234']) assert.ok(!leftovers.toLowerCase().includes(personal.toLowerCase()), personal);

    // Signing in: the same status, code and message as an email never seen, by password and by phone.
    const unknown = await s.login('never-registered@example.com', 'purge-me-later');
    const purged = await s.login('purge.me@example.com', 'purge-me-later');
    assert.equal(purged.status, unknown.status);
    assert.deepEqual(withoutRequestId(await purged.json()), withoutRequestId(await unknown.json()));
    assert.equal((await (await s.login('919123456789', 'purge-me-later')).json()).code, 'INVALID_CREDENTIALS');

    // Gone from the admin views, while the timeline still tells what happened.
    const list = await (await s.admin('/customers/list?page_size=100')).json();
    assert.ok(!list.items.some((u: { _id: string }) => u._id === id));
    assert.deepEqual((await (await s.admin('/customers/search?q=purge.me@example.com')).json()).users, []);
    assert.equal((await s.admin(`/customers/sessions?id=${id}`)).status, 404);
    assert.equal((await put(s, '/customers/undelete', { user_id: id })).status, 404);
    const timeline = await (await s.admin(`/customers/${id}/timeline`)).json();
    assert.deepEqual(
      timeline.timeline.map((e: { type: string }) => e.type),
      ['account_created', 'social_linked', 'deletion_requested', 'purged'],
    );
    assert.equal(timeline.delete_on, new Date(s.clock.now()).toISOString());

    // The address is free again: the same Google identity now makes a brand-new account.
    // (A new dev token: the first one expired while the clock moved on by a week.)
    const newToken = (await (await s.fetch('/__dev/social/google/token', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ identity: { name: 'Pat Again', email: 'purge.me@example.com' } }),
    })).json()).token;
    const again = await (await s.fetch(`${APP}/authentication/v1.0/login/google-token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ oauth2: { access_token: newToken } }),
    })).json();
    assert.equal(again.user_exists, false);
    assert.notEqual(again.user._id, id);
  });
  test('an account restored after the purge listed it (another instance, its clock behind) is not purged', async () => {
    const id = await shopper(s, 'restored.late@example.com', 'kept-after-all');
    await requestDeletion(ctx, { userId: id });
    s.clock.advance(8 * DAY);
    // The purge reads the due accounts, then purges each in a transaction of its own. Between the
    // two, an instance whose clock is a little behind (so still within the grace period) restores
    // the account: done here just before the purge's transaction starts.
    let restoredFirst = false;
    const sql = ctx.sql;
    const racing: DeletionContext = {
      ...ctx,
      sql: {
        dialect: sql.dialect,
        get: (text, ...params) => sql.get(text, ...params),
        all: (text, ...params) => sql.all(text, ...params),
        run: (text, ...params) => sql.run(text, ...params),
        lock: (key) => sql.lock(key),
        close: () => sql.close(),
        tx: async (fn) => {
          if (!restoredFirst) {
            restoredFirst = true;
            const behind = s.clock.t;
            s.clock.t -= 2 * DAY;
            await restoreUser(ctx, { userId: id, reason: 'changed their mind' });
            s.clock.t = behind;
          }
          return sql.tx(fn);
        },
      },
    };
    // (Other accounts of this suite may be due as well; this one must survive.)
    await purgeExpired(racing);
    assert.equal(restoredFirst, true);
    assert.equal(await count(s, 'SELECT COUNT(*) AS n FROM users WHERE id = ? AND deleted_at IS NULL', id), 1, 'the account is live');
    assert.equal((await s.login('restored.late@example.com', 'kept-after-all')).status, 200, 'and signs in');
  });
});

describe('purging runs when the service starts', () => {
  test('an account whose grace period ended while the service was down is purged at the next start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'latch-purge-'));
    const clock = new Clock();
    const options = {
      database: join(dir, 'latch.db'),
      companyId: '1',
      applicationId: APPLICATION_ID,
      adminToken: 'token',
      dev: false,
      passwordParams: CHEAP_PARAMS,
      now: clock.now,
      log: () => {},
    };
    try {
      const first = await createService(options);
      const db = first.sql;
      const ctx: DeletionContext = {
        sql: db,
        applicationId: APPLICATION_ID,
        now: clock.now,
        log: () => {},
        config: new PlatformConfigStore(db, APPLICATION_ID, clock.now),
        users: new UserStore(db, APPLICATION_ID, clock.now),
        sessions: new SessionStore(db, APPLICATION_ID, clock.now),
      };
      const user = await ctx.users.create({ email: 'offline@example.com', verified: true });
      await ctx.config.update({ delete_account_day: 0 });
      await requestDeletion(ctx, { userId: user.id });
      await first.close();

      clock.advance(1);
      const second = await createService(options);
      try {
        assert.equal(Number((await second.sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM users WHERE id = ?', user.id))!.n), 0);
        assert.equal(Number((await second.sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM purged_users WHERE user_id = ?', user.id))!.n), 1);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
