// Password login, the session it creates and logout, over a real socket: cookie attributes, a new
// session id on every login, server-side logout, identical failures for unknown accounts and wrong
// passwords, and the account states that may only be revealed after a correct password.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { performance } from 'node:perf_hooks';
import { DEMO, Jar, LOGIN, LOGOUT, SESSION, median, startServer, withoutRequestId, type TestServer } from './helpers';

describe('password login and sessions', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer();
  });
  after(() => s.close());

  test('an admin-created shopper can sign in and the session cookie is HttpOnly and SameSite=Lax', async () => {
    const created = await s.createShopper({ email: 'Ada@Example.com', password: 'analytical-engine', first_name: 'Ada', phone_number: '+44 7700 900123' }, '?verified=true');
    assert.equal(created.status, 200);
    const { user } = await created.json();
    assert.match(user._id, /^[0-9a-f]{24}$/);
    assert.equal(user.user_id, user._id);
    assert.deepEqual(user.emails, [{ email: 'Ada@Example.com', active: true, primary: true, verified: true }]);
    assert.deepEqual(user.phone_numbers, [{ phone: '7700900123', country_code: 44, active: true, primary: true, verified: true }]);

    const jar = new Jar();
    const res = await s.login('ada@example.COM', 'analytical-engine', jar);
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.equal(body.user._id, user._id);
    assert.equal(body.register_token, '');
    assert.equal(body.request_id, res.headers.get('x-request-id'));
    for (const key of ['_id', 'user_id', 'application_id', 'first_name', 'last_name', 'gender', 'active', 'profile_pic_url', 'username', 'account_type', 'meta', 'phone_numbers', 'emails', 'created_at', 'updated_at', 'external_id', 'rr_id']) {
      assert.ok(key in body.user, `user has ${key}`);
    }
    assert.equal(body.user.account_type, 'user');
    assert.ok(!JSON.stringify(body).includes('scrypt'), 'no password hash on the wire');

    const [cookie] = res.headers.getSetCookie();
    assert.ok(cookie, 'a session cookie is set');
    // 127.0.0.1 counts as a secure context in "auto" mode, hence the __Host- name.
    assert.match(cookie, /^__Host-f\.session=[A-Za-z0-9_-]{43};/);
    assert.match(cookie, /; HttpOnly/);
    assert.match(cookie, /; SameSite=Lax/);
    assert.match(cookie, /; Path=\//);
    assert.match(cookie, /; Secure/);
    assert.match(cookie, /; Max-Age=2592000/, '30 days from the default session_config');

    const session = await s.fetch(SESSION, { jar });
    assert.equal(session.status, 200);
    assert.equal((await session.json()).user._id, user._id);
  });

  test('a phone number written as country code + number also signs in', async () => {
    for (const username of ['+447700900123', '447700900123', '+44 7700 900123']) {
      const res = await s.login(username, 'analytical-engine');
      assert.equal(res.status, 200, username);
    }
  });

  test('only the hash of the session id is stored', async () => {
    const jar = new Jar();
    await s.login(DEMO.email, DEMO.password, jar);
    const token = jar.cookies.get('__Host-f.session')!;
    const rows = await s.service.sql.all('SELECT id_hash FROM sessions') as { id_hash: string }[];
    assert.ok(rows.length > 0);
    assert.ok(rows.every((r) => r.id_hash !== token && /^[0-9a-f]{64}$/.test(r.id_hash)));
  });

  test('every login issues a new session id and ends the one the browser had', async () => {
    const jar = new Jar();
    await s.login(DEMO.email, DEMO.password, jar);
    const first = jar.clone();
    await s.login(DEMO.email, DEMO.password, jar);
    assert.notEqual(jar.cookies.get('__Host-f.session'), first.cookies.get('__Host-f.session'));
    assert.equal((await s.fetch(SESSION, { jar: first })).status, 401, 'the old session is dead');
    assert.equal((await s.fetch(SESSION, { jar })).status, 200, 'the new one works');
  });

  test('logout ends the session on the server, not just in the browser', async () => {
    const jar = new Jar();
    await s.login(DEMO.email, DEMO.password, jar);
    const kept = jar.clone();
    const res = await s.fetch(LOGOUT, { jar });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { logout: true });
    assert.ok(res.headers.getSetCookie().some((c) => /^__Host-f\.session=;.*Max-Age=0/.test(c)), 'the cookie is cleared');
    assert.equal(jar.cookies.size, 0);
    const replay = await s.fetch(SESSION, { jar: kept });
    assert.equal(replay.status, 401, 'a copy of the old cookie no longer works');
    const body = await replay.json();
    assert.equal(body.authenticated, false);
    assert.equal(body.code, 'UNAUTHENTICATED');
  });

  test('POST logout works too, and logout without a session is still 200', async () => {
    const jar = new Jar();
    await s.login(DEMO.email, DEMO.password, jar);
    const kept = jar.clone();
    const post = await s.fetch(LOGOUT, { method: 'POST', jar });
    assert.equal(post.status, 200);
    assert.equal((await s.fetch(SESSION, { jar: kept })).status, 401);
    const anonymous = await s.fetch(LOGOUT);
    assert.equal(anonymous.status, 200);
    assert.deepEqual(await anonymous.json(), { logout: true });
  });

  test('no session is a 401 in the error shape', async () => {
    const res = await s.fetch(SESSION);
    assert.equal(res.status, 401);
    const body = await res.json();
    assert.deepEqual(Object.keys(body).sort(), ['authenticated', 'code', 'error', 'info', 'message', 'meta', 'request_id']);
    assert.equal(body.authenticated, false);
    const garbage = await s.fetch(SESSION, { headers: { cookie: 'f.session=not-a-session' } });
    assert.equal(garbage.status, 401);
  });

  test('unknown account and wrong password get the same status, code and message', async () => {
    const unknown = await s.login('nobody@example.com', 'whatever-password');
    const wrong = await s.login(DEMO.email, 'not-the-password');
    assert.equal(unknown.status, 400);
    assert.equal(wrong.status, 400);
    const a = await unknown.json();
    const b = await wrong.json();
    assert.deepEqual(withoutRequestId(a), withoutRequestId(b));
    assert.equal(a.code, 'INVALID_CREDENTIALS');
    assert.equal(a.message, 'Password or username is incorrect');
    assert.equal(unknown.headers.getSetCookie().length, 0);
  });

  test('missing or empty fields are named in a 400', async () => {
    const res = await s.fetch(LOGIN, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: '  ' }) });
    assert.equal(res.status, 400);
    const body = await res.json();
    assert.equal(body.code, 'VALIDATION_ERROR');
    assert.match(body.message, /username/);
    assert.match(body.message, /password/);
    const empty = await s.fetch(LOGIN, { method: 'POST', headers: { 'content-type': 'application/json' } });
    assert.equal(empty.status, 400);
    assert.match((await empty.json()).message, /username.*password/);
  });

  test('a body that is not JSON is a 400', async () => {
    const res = await s.fetch(LOGIN, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"username": "a",' });
    assert.equal(res.status, 400);
    const body = await res.json();
    assert.equal(body.code, 'INVALID_JSON');
    assert.equal(typeof body.request_id, 'string');
  });

  test('a blocked account says so only after the right password', async () => {
    await s.createShopper({ email: 'blocked@example.com', password: 'blocked-but-right' });
    await s.service.sql.run("UPDATE users SET active = 0 WHERE username = 'blocked@example.com'");
    const wrong = await s.login('blocked@example.com', 'wrong-password');
    assert.equal((await wrong.json()).code, 'INVALID_CREDENTIALS');
    const right = await s.login('blocked@example.com', 'blocked-but-right');
    assert.equal(right.status, 400);
    const body = await right.json();
    assert.equal(body.message, 'This account has been disabled');
    assert.equal(right.headers.getSetCookie().length, 0, 'no session for a blocked account');
  });

  test('a soft-deleted account answers with meta.is_deleted after the right password', async () => {
    await s.createShopper({ email: 'leaving@example.com', password: 'leaving-for-good' });
    const jar = new Jar();
    await s.login('leaving@example.com', 'leaving-for-good', jar);
    const t = s.clock.now();
    await s.service.sql.run("UPDATE users SET deleted_at = ?, delete_on = ? WHERE username = 'leaving@example.com'", t, t + 7 * 86_400_000);
    assert.equal((await s.fetch(SESSION, { jar })).status, 401, 'a deleted account has no live session');
    const wrong = await s.login('leaving@example.com', 'wrong-password');
    assert.equal((await wrong.json()).code, 'INVALID_CREDENTIALS');
    const right = await s.login('leaving@example.com', 'leaving-for-good');
    assert.equal(right.status, 400);
    const body = await right.json();
    assert.equal(body.meta.is_deleted, true);
    assert.match(body.message, /scheduled for deletion/);
  });

  test('a log line per attempt, without the password or the session id', async () => {
    const jar = new Jar();
    s.logs.length = 0;
    await s.login(DEMO.email, DEMO.password, jar);
    await s.login(DEMO.email, 'secret-typo-password');
    const text = s.logs.join('\n');
    assert.match(text, /auth login success/);
    assert.match(text, /auth login failure/);
    assert.ok(!text.includes(DEMO.password) && !text.includes('secret-typo-password'));
    assert.ok(!text.includes(jar.cookies.get('__Host-f.session')!));
  });
});

describe('login timing does not reveal whether an account exists', () => {
  let s: TestServer;
  before(async () => {
    // A cost high enough that a skipped hash would stand out from network noise.
    s = await startServer({ passwordParams: { N: 2 ** 14, r: 8, p: 1 }, rateLimits: { loginPerAccount: 1000, loginPerIp: 1000 } });
  });
  after(() => s.close());

  test('unknown account and wrong password take similar time', async () => {
    const time = async (username: string): Promise<number> => {
      const start = performance.now();
      const res = await s.login(username, 'definitely-wrong');
      await res.arrayBuffer();
      return performance.now() - start;
    };
    await time(DEMO.email); // warm up
    const unknown: number[] = [];
    const known: number[] = [];
    for (let i = 0; i < 7; i++) {
      unknown.push(await time(`nobody${i}@example.com`));
      known.push(await time(DEMO.email));
    }
    const a = median(unknown);
    const b = median(known);
    assert.ok(a < b * 3 && b < a * 3, `medians ${a.toFixed(1)} ms (unknown) vs ${b.toFixed(1)} ms (wrong password)`);
  });
});
