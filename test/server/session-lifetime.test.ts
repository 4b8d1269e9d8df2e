// Session lifetime from the platform config's session_config, moved with the injected clock:
// fixed expiry, rolling renewal (at most once a minute) and the units the config may use.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { DEMO, Jar, SESSION, startServer, type TestServer } from './helpers';

const MINUTE = 60_000;

describe('session lifetime', () => {
  let s: TestServer | undefined;
  afterEach(() => s?.close());

  test('a non-rolling session ends at its expiry, and the cookie says how long it lives', async () => {
    s = await startServer();
    await s.setConfig({ session_config: { duration: 1, type: 'Hours', is_rolling: false } });
    const jar = new Jar();
    const login = await s.login(DEMO.email, DEMO.password, jar);
    assert.match(login.headers.getSetCookie()[0]!, /Max-Age=3600;/);
    s.clock.advance(59 * MINUTE);
    const alive = await s.fetch(SESSION, { jar });
    assert.equal(alive.status, 200);
    assert.equal(alive.headers.getSetCookie().length, 0, 'no renewal when not rolling');
    s.clock.advance(2 * MINUTE);
    assert.equal((await s.fetch(SESSION, { jar })).status, 401);
    const rows = { n: Number((await s.service.sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM sessions'))!.n) };
    assert.equal(rows.n, 0, 'the expired session is removed from the database');
  });

  test('a rolling session is extended on use, at most once a minute', async () => {
    s = await startServer();
    await s.setConfig({ session_config: { duration: 10, type: 'minutes', is_rolling: true } });
    const jar = new Jar();
    await s.login(DEMO.email, DEMO.password, jar);

    s.clock.advance(9 * MINUTE);
    const renewed = await s.fetch(SESSION, { jar });
    assert.equal(renewed.status, 200);
    const [cookie] = renewed.headers.getSetCookie();
    assert.ok(cookie, 'the cookie is re-sent with the new lifetime');
    assert.match(cookie, /Max-Age=600;/);
    assert.match(cookie, /HttpOnly/);

    s.clock.advance(30_000);
    const soon = await s.fetch(SESSION, { jar });
    assert.equal(soon.status, 200);
    assert.equal(soon.headers.getSetCookie().length, 0, 'not renewed again within a minute');

    // 18.5 minutes after login, but only 9.5 after the renewal: still alive.
    s.clock.advance(9 * MINUTE);
    assert.equal((await s.fetch(SESSION, { jar })).status, 200);

    s.clock.advance(11 * MINUTE);
    assert.equal((await s.fetch(SESSION, { jar })).status, 401, 'idle longer than the lifetime');
  });

  test('"Days" and "days" both work as units', async () => {
    s = await startServer();
    await s.setConfig({ session_config: { duration: 2, type: 'days', is_rolling: false } });
    const jar = new Jar();
    const res = await s.login(DEMO.email, DEMO.password, jar);
    assert.match(res.headers.getSetCookie()[0]!, /Max-Age=172800;/);
    s.clock.advance(47 * 60 * MINUTE);
    assert.equal((await s.fetch(SESSION, { jar })).status, 200);
    s.clock.advance(2 * 60 * MINUTE);
    assert.equal((await s.fetch(SESSION, { jar })).status, 401);
  });

  test('a plain-http, non-local host gets the f.session cookie name without Secure', async () => {
    s = await startServer({ publicUrl: 'http://shop.test' });
    const res = await s.service.app.request('http://shop.test/service/application/user/authentication/v1.0/login/password', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: DEMO.email, password: DEMO.password }),
    });
    assert.equal(res.status, 200);
    const [cookie] = res.headers.getSetCookie();
    assert.match(cookie!, /^f\.session=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Lax$/);
    const token = cookie!.split(';')[0]!;
    const session = await s.service.app.request('http://shop.test/service/application/user/authentication/v1.0/session', { headers: { cookie: token } });
    assert.equal(session.status, 200);
  });
});
