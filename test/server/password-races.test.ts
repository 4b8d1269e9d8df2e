// Setting a password while another setting of it is in flight: two valid reset links (or a link and
// a forgot_token) of one account used at the same moment, a reset racing the shopper's own
// password change, and codes sent before a reset. The rule under attack: the first password set on
// an account ends every other way of setting it that was outstanding, in the same transaction, so
// of two concurrent attempts exactly one sets a password and the other gets RESET_CODE_INVALID.
// Run on SQLite and (npm run test:server:postgres) on PostgreSQL.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { APP, CHEAP_PARAMS, count, DEMO, Jar, jsonRequest, lastCode, messagesTo, postJson, SESSION, signedIn, startServer, type TestServer } from './helpers';
import { hashPassword } from '../../src/server/services/passwords';
import { HashQueue } from '../../src/server/services/hash-queue';
import { ipBucket } from '../../src/server/shared/caller';
import { upgradeStoredHash } from '../../src/server/services/reauth';
import type { UserStore } from '../../src/server/store/users';

const RESET = `${APP}/authentication/v1.0/login/password/reset`;
const RESET_FORGOT = `${APP}/authentication/v1.0/login/password/reset/forgot`;
const FORGOT_EMAIL_SEND = `${APP}/authentication/v1.0/otp/forgot/email/send`;
const FORGOT_EMAIL_VERIFY = `${APP}/authentication/v1.0/otp/forgot/email/verify`;
const PASSWORD_FORGOT = `${APP}/authentication/v1.0/login/password/forgot`;
const CHANGE = `${APP}/authentication/v1.0/password`;

/**
 * A breached-password screen that answers only once `n` new passwords are waiting on it: every
 * request has read its token and passed the cheap checks, so all of them go on together into
 * hashing and storing, with no timers. `n` hashes run at once (see `hashing` below).
 */
function gate(n: number): { passwordScreen: () => Promise<boolean>; hashing: { concurrency: number; maxWaitingPerClient: number; maxWaiting: number } } {
  let waiting = 0;
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return {
    passwordScreen: async () => {
      if (++waiting >= n) open();
      await opened;
      return false;
    },
    hashing: { concurrency: n, maxWaitingPerClient: 100, maxWaiting: 100 },
  };
}

async function start(n: number): Promise<TestServer> {
  const s = await startServer({ printMessage: () => {}, rateLimits: { otpSendPerDestination: 50, loginPerAccount: 100 }, ...gate(n) });
  await s.setConfig({ forgot_password: true });
  return s;
}

/** `n` reset links for the demo shopper, each one still valid (a new link does not kill older ones). */
async function resetCodes(s: TestServer, n: number): Promise<string[]> {
  for (let i = 0; i < n; i++) assert.equal((await postJson(s, RESET, { email: DEMO.email })).status, 200);
  const mails = await messagesTo(s, DEMO.email);
  const codes = mails.slice(0, n).map((m) => new URL(m.link!).searchParams.get('code')!);
  assert.equal(new Set(codes).size, n);
  return codes;
}

/** A forgot_token for the demo shopper, by an email code. */
async function forgotToken(s: TestServer): Promise<string> {
  const sent = await (await postJson(s, FORGOT_EMAIL_SEND, { email: DEMO.email, action: 'send' })).json();
  const res = await postJson(s, FORGOT_EMAIL_VERIFY, { email: DEMO.email, otp: await lastCode(s, DEMO.email), request_id: sent.request_id });
  assert.equal(res.status, 200);
  return (await res.json()).forgot_token;
}

/** A job of the test's own in the service's hashing queue, running (or waiting its turn) until released. */
function holdQueue(s: TestServer, client: string): { release: () => void } {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  void s.service.hashQueue.run(client, () => held);
  return { release };
}

/** Yields to the event loop (the server runs in it) until `ready()` holds: no timers. */
async function until(ready: () => boolean): Promise<void> {
  while (!ready()) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** Which of `passwords` signs the demo shopper in now (each tried once; a wrong one is a 400). */
async function working(s: TestServer, passwords: string[]): Promise<string[]> {
  const ok: string[] = [];
  for (const p of passwords) if ((await s.login(DEMO.email, p)).status === 200) ok.push(p);
  return ok;
}

describe('one password at a time: concurrent resets and changes of one account', () => {
  let s: TestServer | undefined;
  afterEach(() => s?.close());

  test('two different valid reset links used at once: exactly one sets its password, the other is a dead link', async () => {
    s = await start(2);
    const [a, b] = await resetCodes(s, 2);
    const passwords = ['first racing passphrase', 'second racing passphrase'];
    const answers = await Promise.all([
      postJson(s, RESET_FORGOT, { code: a, password: passwords[0] }),
      postJson(s, RESET_FORGOT, { code: b, password: passwords[1] }),
    ]);
    const statuses = answers.map((r) => r.status).sort();
    assert.deepEqual(statuses, [200, 400], `exactly one reset wins, got ${statuses.join(',')}`);
    const loser = answers.find((r) => r.status === 400)!;
    assert.equal((await loser.json()).code, 'RESET_CODE_INVALID');
    const winner = passwords[answers.findIndex((r) => r.status === 200)]!;
    assert.deepEqual(await working(s, [...passwords, DEMO.password]), [winner], 'the winner\'s password is the one that works');
  });

  test('five links and a forgot_token at once: one winner, five RESET_CODE_INVALID', async () => {
    s = await start(6);
    const codes = await resetCodes(s, 5);
    const forgot = await forgotToken(s);
    const passwords = Array.from({ length: 6 }, (_, i) => `racing passphrase number ${i}`);
    const answers = await Promise.all([
      ...codes.map((code, i) => postJson(s!, RESET_FORGOT, { code, password: passwords[i] })),
      postJson(s, PASSWORD_FORGOT, { code: forgot, password: passwords[5] }),
    ]);
    const statuses = answers.map((r) => r.status);
    assert.equal(statuses.filter((x) => x === 200).length, 1, `one winner, got ${statuses.join(',')}`);
    for (const r of answers.filter((x) => x.status !== 200)) {
      assert.equal(r.status, 400);
      assert.equal((await r.json()).code, 'RESET_CODE_INVALID');
    }
    const winner = passwords[statuses.indexOf(200)]!;
    assert.deepEqual(await working(s, [...passwords, DEMO.password]), [winner]);
  });

  test('a reset racing the shopper\'s own password change: exactly one password is set, and it is the one that works', async () => {
    s = await start(2);
    const jar = await signedIn(s);
    const [code] = await resetCodes(s, 1);
    const passwords = ['changed on the account page', 'set from the reset link'];
    const [change, reset] = await Promise.all([
      s.fetch(CHANGE, { ...jsonRequest('POST', { old_password: DEMO.password, new_password: passwords[0] }), jar }),
      postJson(s, RESET_FORGOT, { code, password: passwords[1] }),
    ]);
    const statuses = [change.status, reset.status];
    assert.equal(statuses.filter((x) => x === 200).length, 1, `one of the two wins, got change ${change.status}, reset ${reset.status}`);
    const winner = change.status === 200 ? passwords[0]! : passwords[1]!;
    if (reset.status !== 200) assert.equal((await reset.json()).code, 'RESET_CODE_INVALID');
    else assert.equal((await s.fetch(SESSION, { jar })).status, 401, 'the reset ended the changer\'s session');
    assert.deepEqual(await working(s, [...passwords, DEMO.password]), [winner]);
  });

  test('a forgot code sent before a reset cannot set the password after it', async () => {
    s = await start(1);
    const sent = await (await postJson(s, FORGOT_EMAIL_SEND, { email: DEMO.email, action: 'send' })).json();
    const code = await lastCode(s, DEMO.email);
    const [link] = await resetCodes(s, 1);
    assert.equal((await postJson(s, RESET_FORGOT, { code: link, password: 'the passphrase that won' })).status, 200);
    const late = await postJson(s, FORGOT_EMAIL_VERIFY, { email: DEMO.email, otp: code, request_id: sent.request_id });
    assert.equal(late.status, 400);
    assert.equal((await late.json()).code, 'OTP_EXPIRED', 'the open forgot code died with the reset');
  });

  test('a password change ends outstanding forgot codes as well as links, and keeps the other sessions as documented', async () => {
    s = await start(1);
    const jar = await signedIn(s);
    const elsewhere = await signedIn(s);
    const sent = await (await postJson(s, FORGOT_EMAIL_SEND, { email: DEMO.email, action: 'send' })).json();
    const code = await lastCode(s, DEMO.email);
    const [link] = await resetCodes(s, 1);
    const change = await s.fetch(CHANGE, { ...jsonRequest('POST', { old_password: DEMO.password, new_password: 'changed on the account page' }), jar });
    assert.equal(change.status, 200);
    assert.equal((await (await postJson(s, RESET_FORGOT, { code: link, password: 'a reset after the change' })).json()).code, 'RESET_CODE_INVALID');
    assert.equal((await (await postJson(s, FORGOT_EMAIL_VERIFY, { email: DEMO.email, otp: code, request_id: sent.request_id })).json()).code, 'OTP_EXPIRED');
    // The change leaves other sessions to the explicit "end other sessions" step (ASVS 7.4.3: offered).
    assert.equal((await s.fetch(SESSION, { jar: elsewhere })).status, 200);
    assert.equal((await s.fetch(SESSION, { jar })).status, 200);
  });

  test('sign-ins with the old password checked before a reset lands, their sessions asked for after it: each refused, none left behind', async () => {
    s = await start(1);
    // A hash with older parameters: each sign-in upgrades it after the check, so between its check
    // and its session it asks the hashing queue (one hash at a time here) once more.
    const user = (await s.service.sql.get<{ user_id: string }>('SELECT user_id FROM user_emails WHERE email_key = ?', DEMO.email))!;
    const old = await hashPassword(DEMO.password, { ...CHEAP_PARAMS, N: CHEAP_PARAMS.N * 2 });
    await s.service.sql.run('UPDATE password_hashes SET hash = ? WHERE user_id = ?', old, user.user_id);
    const [code] = await resetCodes(s, 1);
    // The order is set through the queue, whose jobs of one client run first in, first out: the
    // test's own jobs (under the same client key) hold it where the race needs to be.
    const queue = s.service.hashQueue;
    const client = ipBucket('127.0.0.1');
    const first = holdQueue(s, client);
    const jars = Array.from({ length: 6 }, () => new Jar());
    const logins = jars.map((jar) => s!.login(DEMO.email, DEMO.password, jar));
    await until(() => queue.waiting(client) === jars.length);
    // Every check waits ahead of the reset's hash; a second hold waits behind it, so the sign-ins'
    // upgrades (queued as each check ends) cannot run before the reset has answered.
    const reset = postJson(s, RESET_FORGOT, { code, password: 'the owner took it back' });
    await until(() => queue.waiting(client) === jars.length + 1);
    const second = holdQueue(s, client);
    first.release();
    assert.equal((await reset).status, 200);
    second.release();
    const answers = await Promise.all(logins);
    for (const r of answers) {
      assert.equal(r.status, 400, 'a right password checked before the reset gets no session after it');
      assert.equal((await r.json()).code, 'INVALID_CREDENTIALS');
    }
    // The session check is what refused them: the password itself matched when it was checked.
    assert.equal(s.logs.filter((l) => l.includes('reason=password_changed')).length, jars.length);
    for (const jar of jars) assert.equal((await s.fetch(SESSION, { jar })).status, 401, 'no sign-in with the old password outlived the reset');
    assert.equal(await count(s, 'SELECT COUNT(*) AS n FROM sessions WHERE user_id = ?', user.user_id), 0);
    assert.equal((await s.login(DEMO.email, 'the owner took it back')).status, 200);
  });

  test('parallel right sign-ins while an old hash is upgraded all get in: a lost upgrade race is no wrong password', async () => {
    s = await start(1);
    const user = (await s.service.sql.get<{ user_id: string }>('SELECT user_id FROM user_emails WHERE email_key = ?', DEMO.email))!;
    const old = await hashPassword(DEMO.password, { ...CHEAP_PARAMS, N: CHEAP_PARAMS.N * 2 });
    await s.service.sql.run('UPDATE password_hashes SET hash = ? WHERE user_id = ?', old, user.user_id);
    const answers = await Promise.all(Array.from({ length: 6 }, () => s!.login(DEMO.email, DEMO.password)));
    assert.deepEqual(answers.map((r) => r.status), [200, 200, 200, 200, 200, 200]);
    const stored = (await s.service.sql.get<{ hash: string }>('SELECT hash FROM password_hashes WHERE user_id = ?', user.user_id))!.hash;
    assert.notEqual(stored, old, 'the hash was upgraded once');
  });
});

describe('a right password whose upgrade lost the race, with the hashing queue full (services/reauth.ts alone)', () => {
  test('the re-check against the hash another sign-in stored is refused by the full queue: no 503, the old hash comes back', async () => {
    const password = 'the shoppers own passphrase';
    const stored = await hashPassword(password, { ...CHEAP_PARAMS, N: CHEAP_PARAMS.N * 2 });
    const theirs = await hashPassword(password, CHEAP_PARAMS);
    // One hash at a time and no room to wait: once a job runs, the next is refused.
    const hashQueue = new HashQueue({ concurrency: 1, maxWaitingPerClient: 0, maxWaiting: 0 });
    let unblock!: () => void;
    const blocked = new Promise<void>((resolve) => (unblock = resolve));
    let occupied: Promise<void> | undefined;
    // The store as another sign-in left it: its upgrade landed first, so ours is refused; and while
    // ours was refused, someone else's hash took the only slot.
    const users = {
      upgradePasswordHash: async () => {
        occupied = hashQueue.run('another client', () => blocked);
        return false;
      },
      passwordHash: async () => theirs,
    } as unknown as UserStore;
    try {
      const checked = await upgradeStoredHash({ users, hashQueue, passwordParams: CHEAP_PARAMS }, { ip: '127.0.0.1', signal: new AbortController().signal }, 'u1', password, stored);
      assert.equal(checked, stored, 'the hash checked comes back, which the session check then finds replaced');
      assert.ok(occupied, 'the queue was full when the re-check asked for it');
    } finally {
      unblock();
      await occupied;
    }
  });
});
