// Failed-login limits: per account (counted for accounts that do not exist too) and per IP, checked
// before the password, answered with 429 and Retry-After, identical for known and unknown accounts,
// and lifted when the window passes (moved with the injected clock).
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { DEMO, startServer, withoutRequestId, type TestServer } from './helpers';

describe('login rate limits', () => {
  let s: TestServer | undefined;
  afterEach(() => s?.close());

  test('too many failures for one account give 429 with Retry-After, the same for unknown accounts', async () => {
    s = await startServer({ rateLimits: { loginPerAccount: 3, loginPerIp: 1000, windowSeconds: 60 } });
    for (let i = 0; i < 3; i++) {
      assert.equal((await s.login(DEMO.email, 'wrong-password')).status, 400);
      assert.equal((await s.login('ghost@example.com', 'wrong-password')).status, 400);
    }
    const known = await s.login(DEMO.email, 'wrong-password');
    const unknown = await s.login('ghost@example.com', 'wrong-password');
    assert.equal(known.status, 429);
    assert.equal(unknown.status, 429);
    assert.equal(known.headers.get('retry-after'), '60');
    assert.equal(unknown.headers.get('retry-after'), known.headers.get('retry-after'));
    const a = await known.json();
    const b = await unknown.json();
    assert.deepEqual(withoutRequestId(a), withoutRequestId(b));
    assert.equal(a.code, 'TOO_MANY_ATTEMPTS');

    // Checked before the password: even the right one is refused while limited.
    const right = await s.login(DEMO.email, DEMO.password);
    assert.equal(right.status, 429);
    assert.equal(right.headers.getSetCookie().length, 0);
  });

  test('the account key is normalised, so case and spaces do not buy more attempts', async () => {
    s = await startServer({ rateLimits: { loginPerAccount: 2, loginPerIp: 1000, windowSeconds: 60 } });
    await s.login('Shopper@Example.com', 'wrong-password');
    await s.login(' shopper@example.COM ', 'wrong-password');
    assert.equal((await s.login('SHOPPER@example.com', 'wrong-password')).status, 429);
  });

  test('the limit lifts once the window has passed', async () => {
    s = await startServer({ rateLimits: { loginPerAccount: 2, loginPerIp: 1000, windowSeconds: 60 } });
    await s.login(DEMO.email, 'wrong-password');
    s.clock.advance(20_000);
    await s.login(DEMO.email, 'wrong-password');
    const limited = await s.login(DEMO.email, DEMO.password);
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '40', 'until the oldest failure leaves the window');
    s.clock.advance(40_001);
    const ok = await s.login(DEMO.email, DEMO.password);
    assert.equal(ok.status, 200);
  });

  test('a success resets the account counter', async () => {
    s = await startServer({ rateLimits: { loginPerAccount: 2, loginPerIp: 1000, windowSeconds: 60 } });
    await s.login(DEMO.email, 'wrong-password');
    assert.equal((await s.login(DEMO.email, DEMO.password)).status, 200);
    await s.login(DEMO.email, 'wrong-password');
    assert.equal((await s.login(DEMO.email, DEMO.password)).status, 200);
  });

  test('one IP spraying many accounts is limited, and a success does not reset that', async () => {
    s = await startServer({ rateLimits: { loginPerAccount: 100, loginPerIp: 4, windowSeconds: 900 } });
    for (let i = 0; i < 3; i++) assert.equal((await s.login(`user${i}@example.com`, 'wrong-password')).status, 400);
    assert.equal((await s.login(DEMO.email, DEMO.password)).status, 200);
    assert.equal((await s.login('user9@example.com', 'wrong-password')).status, 400);
    const limited = await s.login('someone-else@example.com', 'wrong-password');
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
    assert.ok(Number(limited.headers.get('retry-after')) <= 900);
  });
});
