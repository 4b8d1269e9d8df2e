// Failed-login limits under real concurrency (issue 12, items 1 and 8): guesses fired in parallel at
// a listening server must not all be evaluated before the first failure is counted, for password
// login, re-authentication and password change; and a locked account can still be entered by a
// one-time code, with a 429 that says so.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { APP, DEMO, Jar, jsonRequest, lastCode, postJson, signedIn, startServer, type TestServer } from './helpers';

/** Dearer than the other tests' hashing, so the guesses really overlap while a hash is computed. */
const OVERLAPPING = { N: 2 ** 13, r: 8, p: 1 };
/**
 * Room for every parallel guess in the hashing queue (by default 4 may wait per address, then 503):
 * these tests are about the failed-attempt limit, so no guess may be turned away by the queue.
 */
const ROOMY_QUEUE = { maxWaitingPerClient: 200, maxWaiting: 400 };

describe('failed-login limits hold under concurrency', () => {
  let s: TestServer | undefined;
  afterEach(() => s?.close());

  test('30 parallel guesses on one account (limit 10): at most 10 evaluated, the right last one refused', async () => {
    s = await startServer({ passwordParams: OVERLAPPING, hashing: ROOMY_QUEUE, rateLimits: { loginPerAccount: 10, loginPerIp: 1000 } });
    const guesses = Array.from({ length: 30 }, (_, i) => (i === 29 ? DEMO.password : `wrong-guess-${i}`));
    const answers = await Promise.all(guesses.map((p) => s!.login(DEMO.email, p)));
    const statuses = answers.map((r) => r.status);
    assert.ok(statuses.filter((x) => x !== 429).length <= 10, `at most 10 evaluated, got ${statuses.join(',')}`);
    assert.equal(statuses[29], 429, 'the right password, sent last, is refused');
    assert.equal(answers[29]!.headers.getSetCookie().length, 0);
  });

  test('110 parallel guesses from one address (limit 100): at most 100 evaluated, the right last one refused', async () => {
    s = await startServer({ passwordParams: OVERLAPPING, hashing: ROOMY_QUEUE, rateLimits: { loginPerAccount: 1000, loginPerIp: 100 } });
    const answers = await Promise.all(
      Array.from({ length: 110 }, (_, i) => (i === 109 ? s!.login(DEMO.email, DEMO.password) : s!.login(`ghost${i}@example.com`, 'wrong-guess'))),
    );
    const statuses = answers.map((r) => r.status);
    assert.ok(statuses.filter((x) => x !== 429).length <= 100, 'at most 100 evaluated');
    assert.equal(statuses[109], 429);
  });

  test('parallel wrong current passwords on the password change stop at the limit', async () => {
    s = await startServer({ passwordParams: OVERLAPPING, hashing: ROOMY_QUEUE, rateLimits: { loginPerAccount: 10, loginPerIp: 1000 } });
    const jar = await signedIn(s);
    const change = (old: string) =>
      s!.fetch(`${APP}/authentication/v1.0/password`, { ...jsonRequest('POST', { old_password: old, new_password: 'a brand new secret 42' }), jar: jar.clone() });
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => change(i === 29 ? DEMO.password : `wrong-${i}`)));
    const statuses = answers.map((r) => r.status);
    assert.ok(statuses.filter((x) => x !== 429).length <= 10, `at most 10 evaluated, got ${statuses.join(',')}`);
    assert.equal(statuses[29], 429);
  });

  test('parallel bad provider tokens from one address stop at the address limit; a good token sent last is refused', async () => {
    // A verifier that answers only once every attempt was either let through to it or refused, as a
    // slow provider round trip would: all attempts are in flight together, with no timers.
    let verifying = 0;
    let refused = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const settle = () => {
      if (verifying + refused >= 30) release();
    };
    s = await startServer({
      rateLimits: { loginPerIp: 10, loginPerAccount: 1000 },
      socialVerifiers: {
        google: async (token) => {
          verifying++;
          settle();
          await gate;
          if (token !== 'good-token') throw new Error('bad token');
          return { subject: 'google-sub-1', email: 'g@example.com', emailVerified: true };
        },
      },
    });
    await s.setConfig({ social: { google: true } });
    const attempt = (token: string) =>
      postJson(s!, `${APP}/authentication/v1.0/login/google-token`, { is_signed_in: true, oauth2: { access_token: token, expiry: 0, refresh_token: '' }, profile: {} }).then((res) => {
        if (res.status === 429) refused++;
        settle();
        return res;
      });
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => attempt(i === 29 ? 'good-token' : `bad-${i}`)));
    assert.ok(verifying <= 10, `at most 10 tokens verified, got ${verifying}`);
    assert.equal(answers[29]!.status, 429);
  });

  test('a success forgives its own reserved attempt: 10 right logins in parallel from one address all pass (limit 10)', async () => {
    s = await startServer({ hashing: ROOMY_QUEUE, rateLimits: { loginPerAccount: 1000, loginPerIp: 10 } });
    const answers = await Promise.all(Array.from({ length: 10 }, () => s!.login(DEMO.email, DEMO.password)));
    assert.deepEqual(answers.map((r) => r.status), Array(10).fill(200));
    assert.equal((await s.login(DEMO.email, DEMO.password)).status, 200, 'successes do not fill the address budget');
  });
});

describe('a busy hashing queue does not use up attempts', () => {
  let s: TestServer | undefined;
  let release: (() => void) | undefined;
  afterEach(async () => {
    release?.();
    await s?.close();
  });

  /** Takes the queue's only slot until release(); with nothing allowed to wait, every hash gets 503. */
  function occupyQueue(server: TestServer): void {
    void server.service.hashQueue.run('someone else', () => new Promise<void>((resolve) => (release = resolve)));
  }

  test('re-authentication refused with 503 gives its reserved attempt back (limit 3, five 503s, then the right password works)', async () => {
    s = await startServer({ hashing: { concurrency: 1, maxWaitingPerClient: 0, maxWaiting: 0 }, rateLimits: { loginPerAccount: 3, loginPerIp: 1000 } });
    const jar = await signedIn(s);
    const change = (old: string, next = 'a brand new secret 42') =>
      s!.fetch(`${APP}/authentication/v1.0/password`, { ...jsonRequest('POST', { old_password: old, new_password: next }), jar });
    occupyQueue(s);
    for (let i = 0; i < 5; i++) {
      const busy = await change(`wrong-${i}`);
      assert.equal(busy.status, 503);
      assert.equal((await busy.json()).code, 'SERVICE_BUSY');
    }
    release!();
    release = undefined;
    // The limit itself still holds: the 503s left all three tries, and a fourth wrong one is refused.
    for (let i = 0; i < 2; i++) assert.equal((await change(`wrong-again-${i}`)).status, 400);
    assert.equal((await change(DEMO.password)).status, 200, 'the right password is checked, not refused as over the limit');
    for (let i = 0; i < 3; i++) assert.equal((await change(`wrong-last-${i}`)).status, 400);
    assert.equal((await change('a brand new secret 42', 'another new secret 43')).status, 429);
  });

  test('password sign-in refused with 503 leaves the account its attempts (limit 3, five 503s, then the right password works)', async () => {
    s = await startServer({ hashing: { concurrency: 1, maxWaitingPerClient: 0, maxWaiting: 0 }, rateLimits: { loginPerAccount: 3, loginPerIp: 1000 } });
    occupyQueue(s);
    for (let i = 0; i < 5; i++) assert.equal((await s.login(DEMO.email, `wrong-${i}`)).status, 503);
    release!();
    release = undefined;
    for (let i = 0; i < 2; i++) assert.equal((await s.login(DEMO.email, `wrong-again-${i}`)).status, 400);
    assert.equal((await s.login(DEMO.email, DEMO.password)).status, 200);
  });
});

describe('a locked account still lets its shopper in by code', () => {
  let s: TestServer | undefined;
  afterEach(() => s?.close());

  test('after 10 wrong passwords the 429 says a code works, and an email code signs the shopper in', async () => {
    s = await startServer();
    await s.setConfig({ login: { password: true, otp: true } });
    for (let i = 0; i < 10; i++) assert.equal((await s.login(DEMO.email, `wrong-${i}`)).status, 400);
    const locked = await s.login(DEMO.email, DEMO.password);
    assert.equal(locked.status, 429);
    const body = await locked.json();
    assert.equal(body.code, 'TOO_MANY_ATTEMPTS');
    assert.equal(body.meta.locked, 'account');
    assert.equal(body.meta.otp_login, true, 'the widget can offer a one-time code instead');

    const send = await postJson(s, `${APP}/authentication/v1.0/otp/email/send`, { email: DEMO.email });
    assert.equal(send.status, 200);
    const { request_id } = await send.json();
    const jar = new Jar();
    const verify = await postJson(s, `${APP}/authentication/v1.0/otp/email/verify`, { email: DEMO.email, otp: await lastCode(s, DEMO.email), request_id }, { jar });
    assert.equal(verify.status, 200);
    assert.equal((await s.fetch(`${APP}/authentication/v1.0/session`, { jar })).status, 200);
  });

  test('with code sign-in off, the lock answer does not offer it', async () => {
    s = await startServer({ rateLimits: { loginPerAccount: 2 } });
    for (let i = 0; i < 2; i++) await s.login(DEMO.email, `wrong-${i}`);
    const body = await (await s.login(DEMO.email, DEMO.password)).json();
    assert.equal(body.meta.locked, 'account');
    assert.equal(body.meta.otp_login, false);
  });
});
