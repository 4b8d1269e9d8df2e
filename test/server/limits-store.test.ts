// The database-backed limit store (store/limits.ts): the same window answers as the in-memory
// limiter (limit, Retry-After, aging out, release, reset), reservations that count in every pair or
// none even when 30 arrive at once, counts shared by two instances on one database, and a table that
// stays small (long keys hashed, at most `limit` rows a key, old rows purged). Time is a hand-driven
// clock. Every test gets its database from openDatabases below, the one place to swap for another.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { LimitStore, MAX_KEY_CHARS, type LimitRule } from '../../src/server/store/limits';
import type { Param, Sql } from '../../src/server/store/sql';
import { openDatabases } from '../support/test-database';
import { Clock } from './helpers';

const rowsOf = async (sql: Sql, bucket: string): Promise<{ key: string; at: number }[]> =>
  (await sql.all<{ key: string; at: number | string }>('SELECT key, at FROM limit_hits WHERE bucket = ? ORDER BY id', bucket)).map((r) => ({
    key: r.key,
    at: Number(r.at),
  }));

/** The same database, noting the locks each transaction takes (one list per transaction). */
function recordingLocks(inner: Sql, log: string[][]): Sql {
  const wrap = (q: Sql, mine?: string[]): Sql => ({
    dialect: q.dialect,
    get<T>(s: string, ...p: Param[]) {
      return q.get<T>(s, ...p);
    },
    all<T>(s: string, ...p: Param[]) {
      return q.all<T>(s, ...p);
    },
    run: (s, ...p) => q.run(s, ...p),
    close: () => q.close(),
    async lock(key) {
      mine?.push(key);
      await q.lock(key);
    },
    tx: (fn) =>
      q.tx((t) => {
        const locks: string[] = [];
        log.push(locks);
        return fn(wrap(t, locks));
      }),
  });
  return wrap(inner);
}

describe('database limit store', () => {
  let opened: Awaited<ReturnType<typeof openDatabases>> | undefined;
  afterEach(async () => {
    await opened?.close();
    opened = undefined;
  });

  async function setup(count = 1): Promise<{ clock: Clock; sql: Sql; sqls: Sql[]; limits: LimitStore }> {
    opened = await openDatabases(count);
    const clock = new Clock();
    return { clock, sql: opened.sqls[0]!, sqls: opened.sqls, limits: new LimitStore(opened.sqls[0]!, clock.now) };
  }

  const LOGIN: LimitRule = { bucket: 'login-account', limit: 2, windowMs: 60_000 };

  test('limits after `limit` hits, says when the oldest leaves the window, and lifts then', async () => {
    const { clock, limits } = await setup();
    assert.deepEqual(await limits.check(LOGIN, 'shopper'), { limited: false, retryAfterSeconds: 0 });
    await limits.hit(LOGIN, 'shopper');
    clock.advance(20_000);
    await limits.hit(LOGIN, 'shopper');
    assert.deepEqual(await limits.check(LOGIN, 'shopper'), { limited: true, retryAfterSeconds: 40 });
    clock.advance(39_999);
    assert.deepEqual(await limits.check(LOGIN, 'shopper'), { limited: true, retryAfterSeconds: 1 }, 'never less than a second');
    clock.advance(1);
    assert.deepEqual(await limits.check(LOGIN, 'shopper'), { limited: false, retryAfterSeconds: 0 }, 'the first hit has aged out');
    await limits.hit(LOGIN, 'shopper');
    assert.deepEqual(await limits.check(LOGIN, 'shopper'), { limited: true, retryAfterSeconds: 20 }, 'now the second hit decides');
  });

  test('keys and buckets count apart', async () => {
    const { limits } = await setup();
    const other: LimitRule = { bucket: 'login-ip', limit: 2, windowMs: 60_000 };
    await limits.hit(LOGIN, 'a');
    await limits.hit(LOGIN, 'a');
    assert.equal((await limits.check(LOGIN, 'a')).limited, true);
    assert.equal((await limits.check(LOGIN, 'b')).limited, false);
    assert.equal((await limits.check(other, 'a')).limited, false);
  });

  test('release takes back the newest hit only; reset forgets the key and nothing else', async () => {
    const { clock, sql, limits } = await setup();
    const rule: LimitRule = { bucket: 'codes', limit: 3, windowMs: 60_000 };
    for (let i = 0; i < 3; i++) {
      await limits.hit(rule, 'k');
      clock.advance(10_000);
    }
    // Hits at 0, 10 s, 20 s; now 30 s.
    assert.deepEqual(await limits.check(rule, 'k'), { limited: true, retryAfterSeconds: 30 });
    await limits.release(rule, 'k');
    assert.equal((await limits.check(rule, 'k')).limited, false);
    await limits.hit(rule, 'k');
    // Had the oldest (0 s) gone instead, the 10 s hit would decide: 40 s.
    assert.deepEqual(await limits.check(rule, 'k'), { limited: true, retryAfterSeconds: 30 });

    await limits.hit(rule, 'other');
    await limits.reset(rule, 'k');
    assert.equal((await limits.check(rule, 'k')).limited, false);
    for (let i = 0; i < 2; i++) await limits.hit(rule, 'k');
    assert.equal((await limits.check(rule, 'k')).limited, false, 'reset left no old hit behind');
    await limits.hit(rule, 'k');
    assert.equal((await limits.check(rule, 'k')).limited, true);
    assert.equal((await rowsOf(sql, 'codes')).filter((r) => r.key === 'other').length, 1);
  });

  test('two releases at once take back two hits', async () => {
    const { limits } = await setup();
    const rule: LimitRule = { bucket: 'codes', limit: 3, windowMs: 60_000 };
    for (let i = 0; i < 3; i++) await limits.hit(rule, 'k');
    await Promise.all([limits.release(rule, 'k'), limits.release(rule, 'k')]);
    await limits.hit(rule, 'k');
    assert.equal((await limits.check(rule, 'k')).limited, false, 'one of three hits left, plus one');
  });

  test('reserve counts in every pair, or refuses with the longest wait and counts nothing', async () => {
    const { clock, limits } = await setup();
    const account: LimitRule = { bucket: 'login-account', limit: 3, windowMs: 60_000 };
    const ip: LimitRule = { bucket: 'login-ip', limit: 1, windowMs: 900_000 };
    assert.equal(await limits.reserve([[account, 'shopper'], [ip, '10.0.0.1']]), null);
    clock.advance(1_000);
    // The IP is full now: refused there, and the account's count must not move.
    assert.deepEqual(await limits.reserve([[account, 'shopper'], [ip, '10.0.0.1']]), {
      status: { limited: true, retryAfterSeconds: 899 },
      index: 1,
    });
    assert.equal(await limits.reserve([[account, 'shopper']]), null);
    assert.equal(await limits.reserve([[account, 'shopper']]), null);
    const full = await limits.reserve([[account, 'shopper']]);
    assert.deepEqual(full, { status: { limited: true, retryAfterSeconds: 59 }, index: 0 }, 'three hits: one per successful reserve');

    // Both full: the longer wait is the answer, whatever the order.
    assert.deepEqual(await limits.reserve([[ip, '10.0.0.1'], [account, 'shopper']]), { status: { limited: true, retryAfterSeconds: 899 }, index: 0 });
    assert.deepEqual(await limits.reserve([[account, 'shopper'], [ip, '10.0.0.1']]), { status: { limited: true, retryAfterSeconds: 899 }, index: 1 });
  });

  test('30 reservations at once with a limit of 10: exactly 10 go through', async () => {
    const { sql, limits } = await setup();
    const rule: LimitRule = { bucket: 'login-account', limit: 10, windowMs: 60_000 };
    const results = await Promise.all(Array.from({ length: 30 }, () => limits.reserve([[rule, 'shopper']])));
    assert.equal(results.filter((r) => r === null).length, 10);
    assert.equal(results.filter((r) => r?.status.limited).length, 20);
    assert.equal((await rowsOf(sql, 'login-account')).length, 10);
  });

  test('reserve locks every key it counts, in one sorted order', async () => {
    const { clock, sql } = await setup();
    const locked: string[][] = [];
    const limits = new LimitStore(recordingLocks(sql, locked), clock.now);
    const ip: LimitRule = { bucket: 'login-ip', limit: 5, windowMs: 60_000 };
    const account: LimitRule = { bucket: 'login-account', limit: 5, windowMs: 60_000 };
    await limits.reserve([[ip, 'z'], [account, 'y'], [ip, 'a']]);
    await limits.reserve([[account, 'y'], [ip, 'a'], [ip, 'z']]);
    const expected = ['limit:login-account:y', 'limit:login-ip:a', 'limit:login-ip:z'];
    assert.deepEqual(locked, [expected, expected]);
  });

  test('two instances on one database share their counts', async () => {
    const { clock, sqls } = await setup(2);
    const a = new LimitStore(sqls[0]!, clock.now);
    const b = new LimitStore(sqls[1]!, clock.now);
    const rule: LimitRule = { bucket: 'login-account', limit: 10, windowMs: 60_000 };
    // Ten failures spread over both instances lock as ten.
    let passed = 0;
    for (let i = 0; i < 20; i++) if ((await (i % 2 ? a : b).reserve([[rule, 'shopper']])) === null) passed++;
    assert.equal(passed, 10);
    assert.deepEqual(await a.check(rule, 'shopper'), { limited: true, retryAfterSeconds: 60 });
    assert.deepEqual(await b.check(rule, 'shopper'), { limited: true, retryAfterSeconds: 60 });
    await a.release(rule, 'shopper');
    assert.equal((await b.check(rule, 'shopper')).limited, false, 'a release on one is seen by the other');
    await b.hit(rule, 'shopper');
    await b.reset(rule, 'shopper');
    assert.equal((await a.check(rule, 'shopper')).limited, false);
  });

  test('a 60 kB key is stored short, still counts, and does not share its count with a near twin', async () => {
    const { sql, limits } = await setup();
    const rule: LimitRule = { bucket: 'login-account', limit: 3, windowMs: 60_000 };
    const long = 'x'.repeat(60_000);
    const twin = `${'x'.repeat(59_999)}y`;
    for (let i = 0; i < 3; i++) await limits.hit(rule, long);
    assert.equal((await limits.check(rule, long)).limited, true);
    assert.equal((await limits.check(rule, twin)).limited, false);
    const rows = await rowsOf(sql, 'login-account');
    assert.equal(rows.length, 3);
    for (const r of rows) assert.ok(r.key.length <= MAX_KEY_CHARS + 7, `stored key of ${r.key.length} chars`);
    // A short key is kept as typed.
    await limits.hit(rule, 'shopper@example.com');
    assert.ok((await rowsOf(sql, 'login-account')).some((r) => r.key === 'shopper@example.com'));
  });

  test('a hammered key keeps at most `limit` rows, and the newest decide', async () => {
    const { clock, sql, limits } = await setup();
    const rule: LimitRule = { bucket: 'codes', limit: 5, windowMs: 60_000 };
    for (let i = 0; i < 50; i++) {
      await limits.hit(rule, 'k');
      clock.advance(1_000);
    }
    const rows = await rowsOf(sql, 'codes');
    assert.equal(rows.length, 5);
    // Hits at 45..49 s, now 50 s: the oldest kept one (45 s) leaves the window at 105 s.
    assert.deepEqual(await limits.check(rule, 'k'), { limited: true, retryAfterSeconds: 55 });
    clock.advance(120_000);
    await limits.hit(rule, 'k');
    assert.equal((await rowsOf(sql, 'codes')).length, 1, 'hits out of the window go when the key is hit again');
  });

  test('purge deletes, in batches, the hits no window can count any more', async () => {
    const { clock, sql, limits } = await setup();
    const short: LimitRule = { bucket: 'short', limit: 100, windowMs: 60_000 };
    const long: LimitRule = { bucket: 'long', limit: 100, windowMs: 900_000 };
    for (let i = 0; i < 7; i++) await limits.hit(short, `k${i}`);
    for (let i = 0; i < 3; i++) await limits.hit(long, `k${i}`);
    clock.advance(120_000);
    await limits.hit(short, 'fresh');

    // Asked to keep only a minute, it still keeps what the 15-minute rule it has seen may count.
    assert.equal(await limits.purge(60_000, 2), 0);
    assert.equal((await rowsOf(sql, 'long')).length, 3);
    assert.equal((await limits.check(long, 'k0')).limited, false);

    clock.advance(900_000 - 120_000);
    assert.equal(await limits.purge(900_000, 2), 10, 'every row from the start, two at a time');
    assert.deepEqual((await rowsOf(sql, 'short')).map((r) => r.key), ['fresh']);
    assert.equal((await rowsOf(sql, 'long')).length, 0);
  });

  test('a rule without a usable limit or window is refused', async () => {
    const { limits } = await setup();
    await assert.rejects(limits.check({ bucket: 'b', limit: 0, windowMs: 1000 }, 'k'), RangeError);
    await assert.rejects(limits.hit({ bucket: 'b', limit: 1.5, windowMs: 1000 }, 'k'), RangeError);
    await assert.rejects(limits.reserve([[{ bucket: 'b', limit: 1, windowMs: 0 }, 'k']]), RangeError);
  });
});
