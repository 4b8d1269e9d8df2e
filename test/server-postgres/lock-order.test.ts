// Lock order on PostgreSQL, checked by holding a lock and watching who waits for it (pg_locks), not
// by racing and hoping: every path that drops a password or spends reset links takes `account:`
// before `contacts:` (as setPasswordOnce does), and a bulk block ends sessions in one fixed order of
// user ids, so two bulk calls naming the same users in opposite orders cannot deadlock.
// PostgreSQL only: on SQLite a transaction already excludes every other and lock() does nothing.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { APP, jsonRequest, lastCode, postJson, startServer, type TestServer } from '../server/helpers';
import { testDatabaseUrl } from '../support/test-database';
import type { Sql } from '../../src/server/store/sql';

assert.ok(testDatabaseUrl(), 'LATCH_TEST_DATABASE is not set: run these through `npm run test:server:postgres`.');

/** Whether some transaction is waiting for the advisory lock of `key` (lock() maps keys by hashtextextended). */
async function someoneWaitsFor(s: TestServer, key: string): Promise<boolean> {
  const row = await s.service.sql.get<{ n: number }>(
    "SELECT COUNT(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND ((classid::bigint << 32) | objid::bigint) = hashtextextended(?, 0)",
    key,
  );
  return Number(row!.n) > 0;
}

/** Whether another transaction holds the advisory lock of `key` now (tried without waiting). */
async function heldElsewhere(s: TestServer, key: string): Promise<boolean> {
  return s.service.sql.tx(async (q) => {
    const row = await q.get<{ got: boolean }>('SELECT pg_try_advisory_xact_lock(hashtextextended(?, 0)) AS got', key);
    return !row!.got;
  });
}

/**
 * Runs `work` while a transaction of the test holds `key`, and resolves once either `work` is seen
 * waiting for that lock (true) or `work` finished without waiting (false). The lock is then let go.
 */
async function whileHolding<T>(s: TestServer, key: string, work: () => Promise<T>, inspect: () => Promise<void> = async () => {}): Promise<{ waited: boolean; result: T }> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let held!: () => void;
  const holding = new Promise<void>((resolve) => (held = resolve));
  const holder = s.service.sql.tx(async (q: Sql) => {
    await q.lock(key);
    held();
    await released;
  });
  await holding;
  let finished = false;
  const running = work().finally(() => (finished = true));
  let waited = false;
  // Polled through the database, each query a real round trip: no timers.
  while (!finished) {
    if (await someoneWaitsFor(s, key)) {
      waited = true;
      break;
    }
  }
  if (waited) await inspect();
  release();
  await holder;
  return { waited, result: await running };
}

describe('lock order on PostgreSQL', () => {
  let s: TestServer | undefined;
  afterEach(() => s?.close());

  test('a code proving an unproven phone waits for the account\'s lock before it drops the password', async () => {
    s = await startServer({ printMessage: () => {} });
    await s.setConfig({ login: { otp: true } });
    const made = await (await s.createShopper({ email: 'owner@example.com', phone_number: '9000044444', password: 'before the takeover' }, '')).json();
    const id = made.user._id as string;
    const sent = await (await postJson(s, `${APP}/authentication/v1.0/login/otp`, { mobile: '9000044444', country_code: '91' })).json();
    const otp = await lastCode(s, '+919000044444');
    const { waited, result } = await whileHolding(s, `account:${id}`, () =>
      postJson(s!, `${APP}/authentication/v1.0/otp/mobile/verify`, { otp, request_id: sent.request_id }),
    );
    assert.equal(waited, true, 'the takeover waited for account: (it took contacts: and wrote without it otherwise)');
    assert.equal(result.status, 200);
    const left = await s.service.sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM password_hashes WHERE user_id = ?', id);
    assert.equal(Number(left!.n), 0);
  });

  test('a provider-verified sign-in taking an account with the email unproven waits for the account\'s lock', async () => {
    s = await startServer({ socialVerifiers: { google: async () => ({ subject: 'google-owner', email: 'claimed@example.com', emailVerified: true }) } });
    await s.setConfig({ social: { google: true } });
    const made = await (await s.createShopper({ email: 'claimed@example.com', password: 'a squatter password' }, '')).json();
    const id = made.user._id as string;
    const body = { is_signed_in: true, oauth2: { access_token: 'token', expiry: 0, refresh_token: '' }, profile: {} };
    const { waited, result } = await whileHolding(s, `account:${id}`, () => postJson(s!, `${APP}/authentication/v1.0/login/google-token`, body));
    assert.equal(waited, true, 'the link waited for account: before dropping the password');
    assert.equal(result.status, 200);
    assert.equal((await result.json()).user._id, id);
  });

  test('a bulk block ends sessions in id order, whatever order the ids came in', async () => {
    s = await startServer();
    const ids: string[] = [];
    for (const name of ['first', 'second']) {
      const made = await (await s.createShopper({ email: `${name}@example.com`, password: 'a shopper password' })).json();
      ids.push(made.user._id as string);
    }
    const [low, high] = [...ids].sort() as [string, string];
    // Holding the lower id's session lock: the bulk call, given the higher id first, must wait there
    // without having taken the higher one (else a call given the other order could be holding the
    // lower and waiting for the higher: a deadlock).
    let higherHeld: boolean | undefined;
    const { waited, result } = await whileHolding(
      s,
      `sessions:${low}`,
      () => s!.admin('/customers/activation', jsonRequest('PUT', { user_id: [high, low], status: false, reason: 'lock order' })),
      async () => {
        higherHeld = await heldElsewhere(s!, `sessions:${high}`);
      },
    );
    assert.equal(waited, true);
    assert.equal(higherHeld, false, 'the higher id\'s sessions were not locked while the lower one was awaited');
    assert.equal(result.status, 200);
  });
});
