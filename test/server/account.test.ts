// The shopper's account page on the server: the user-agent reader, the active-session list and
// ending sessions (with re-authentication after 10 minutes), changing or setting a password, and
// managing which email and phone are primary or removed, over a real socket with a moved clock.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { parseUserAgent } from '../../src/server/services/user-agent';
import { APP, DEMO, Jar, jsonRequest, LOGIN, SESSION, startServer, type TestServer } from './helpers';

const SESSIONS = `${APP}/authentication/v1.0/sessions`;
const PASSWORD = `${APP}/authentication/v1.0/password`;
const HAS_PASSWORD = `${APP}/authentication/v1.0/has-password`;
const MINUTE = 60_000;

const UA = {
  chromeWindows: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  safariIphone: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  safariMac: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
  safariIpad: 'Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  firefoxLinux: 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
  firefoxIos: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/125.0 Mobile/15E148 Safari/605.1.15',
  edgeWindows: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.51',
  operaMac: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 OPR/110.0.0.0',
  samsungPhone: 'Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36',
  chromeAndroidTablet: 'Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  chromeIos: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/124.0.6367.88 Mobile/15E148 Safari/604.1',
  chromebook: 'Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  edgeAndroid: 'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36 EdgA/124.0.2478.64',
};

describe('user-agent reader', () => {
  test('names the common browsers, systems and device kinds', () => {
    const cases: [string, string, string, string][] = [
      [UA.chromeWindows, 'Chrome', 'Windows', 'desktop'],
      [UA.safariIphone, 'Safari', 'iOS', 'mobile'],
      [UA.safariMac, 'Safari', 'macOS', 'desktop'],
      [UA.safariIpad, 'Safari', 'iPadOS', 'tablet'],
      [UA.firefoxLinux, 'Firefox', 'Linux', 'desktop'],
      [UA.firefoxIos, 'Firefox', 'iOS', 'mobile'],
      [UA.edgeWindows, 'Edge', 'Windows', 'desktop'],
      [UA.operaMac, 'Opera', 'macOS', 'desktop'],
      [UA.samsungPhone, 'Samsung Internet', 'Android', 'mobile'],
      [UA.chromeAndroidTablet, 'Chrome', 'Android', 'tablet'],
      [UA.chromeIos, 'Chrome', 'iOS', 'mobile'],
      [UA.chromebook, 'Chrome', 'ChromeOS', 'desktop'],
      [UA.edgeAndroid, 'Edge', 'Android', 'mobile'],
    ];
    for (const [ua, browser, os, device] of cases) {
      assert.deepEqual(parseUserAgent(ua), { browser, os, device }, ua);
    }
  });

  test('unknown or missing user agents give empty names on a desktop', () => {
    assert.deepEqual(parseUserAgent(''), { browser: '', os: '', device: 'desktop' });
    assert.deepEqual(parseUserAgent(undefined), { browser: '', os: '', device: 'desktop' });
    assert.deepEqual(parseUserAgent('curl/8.5.0'), { browser: '', os: '', device: 'desktop' });
  });
});

async function loginAs(s: TestServer, userAgent: string, username = DEMO.email, password = DEMO.password): Promise<Jar> {
  const jar = new Jar();
  const res = await s.fetch(LOGIN, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': userAgent },
    body: JSON.stringify({ username, password }),
    jar,
  });
  assert.equal(res.status, 200);
  return jar;
}

interface SessionItem {
  session_id: string;
  current: boolean;
  user_agent: string;
  browser: string;
  os: string;
  device: string;
  ip: string;
  location: string;
  created_at: string;
  last_active_at: string;
  expires_at: string;
}

async function listSessions(s: TestServer, jar: Jar): Promise<SessionItem[]> {
  const res = await s.fetch(SESSIONS, { jar });
  assert.equal(res.status, 200);
  return (await res.json()).sessions;
}

describe('active sessions', () => {
  let s: TestServer | undefined;
  afterEach(() => s?.close());

  test('the list shows every live session of the user with what its user agent says, the caller marked current', async () => {
    s = await startServer();
    const laptop = await loginAs(s, UA.chromeWindows);
    s.clock.advance(MINUTE);
    const phone = await loginAs(s, UA.safariIphone);
    // Someone else's session must not show up.
    await s.createShopper({ email: 'other@example.com', password: 'another-long-password' }, '?verified=true');
    await loginAs(s, UA.firefoxLinux, 'other@example.com', 'another-long-password');

    const fromLaptop = await listSessions(s, laptop);
    assert.equal(fromLaptop.length, 2);
    const [newest, oldest] = fromLaptop;
    assert.deepEqual(
      { browser: newest!.browser, os: newest!.os, device: newest!.device, current: newest!.current },
      { browser: 'Safari', os: 'iOS', device: 'mobile', current: false },
      'newest activity first',
    );
    assert.deepEqual(
      { browser: oldest!.browser, os: oldest!.os, device: oldest!.device, current: oldest!.current },
      { browser: 'Chrome', os: 'Windows', device: 'desktop', current: true },
    );
    assert.equal(oldest!.user_agent, UA.chromeWindows);
    assert.equal(oldest!.ip, '127.0.0.1');
    assert.equal(oldest!.location, '');
    assert.equal(oldest!.created_at, '2030-01-01T00:00:00.000Z');
    assert.match(oldest!.expires_at, /^2030-01-31T/);
    assert.deepEqual(Object.keys(oldest!).sort(), [
      'browser', 'created_at', 'current', 'device', 'expires_at', 'ip', 'last_active_at', 'location', 'os', 'session_id', 'user_agent',
    ]);
    assert.match(oldest!.session_id, /^[0-9a-f]{32}$/);
    // The public id is neither the cookie value nor its stored hash.
    const cookie = [...laptop.cookies.values()][0]!;
    const stored = await s.service.sql.get('SELECT id_hash FROM sessions WHERE public_id = ?', oldest!.session_id) as { id_hash: string };
    assert.notEqual(oldest!.session_id, cookie);
    assert.ok(!stored.id_hash.startsWith(oldest!.session_id));

    const fromPhone = await listSessions(s, phone);
    assert.deepEqual(fromPhone.map((x) => x.current), [true, false]);
  });

  test('activity moves last_active_at (at most once a minute) and the order follows it', async () => {
    s = await startServer();
    const laptop = await loginAs(s, UA.chromeWindows);
    s.clock.advance(MINUTE);
    await loginAs(s, UA.safariIphone);
    s.clock.advance(MINUTE);
    const tablet = await loginAs(s, UA.safariIpad);
    s.clock.advance(5 * MINUTE);
    assert.equal((await s.fetch(SESSION, { jar: laptop })).status, 200);
    s.clock.advance(MINUTE);
    const list = await listSessions(s, tablet);
    assert.deepEqual(
      list.map((x) => [x.browser, x.os, x.last_active_at]),
      [
        ['Safari', 'iPadOS', '2030-01-01T00:08:00.000Z'],
        ['Chrome', 'Windows', '2030-01-01T00:07:00.000Z'],
        ['Safari', 'iOS', '2030-01-01T00:01:00.000Z'],
      ],
      'the caller (active now), then the laptop (active a minute ago), then the idle phone',
    );
    // Seconds later, the caller's activity is not written again.
    s.clock.advance(10_000);
    assert.equal((await listSessions(s, tablet))[0]!.last_active_at, '2030-01-01T00:08:00.000Z');
  });

  test('ending another session: its next request is signed out; the current one and strangers are refused', async () => {
    s = await startServer();
    const laptop = await loginAs(s, UA.chromeWindows);
    const phone = await loginAs(s, UA.safariIphone);
    const sessions = await listSessions(s, laptop);
    const phoneId = sessions.find((x) => !x.current)!.session_id;
    const laptopId = sessions.find((x) => x.current)!.session_id;

    const current = await s.fetch(`${SESSIONS}/${laptopId}`, { ...jsonRequest('DELETE'), jar: laptop });
    assert.equal(current.status, 400);
    assert.equal((await current.json()).code, 'CURRENT_SESSION');

    await s.createShopper({ email: 'other@example.com', password: 'another-long-password' }, '?verified=true');
    const stranger = await loginAs(s, UA.firefoxLinux, 'other@example.com', 'another-long-password');
    const foreign = await s.fetch(`${SESSIONS}/${phoneId}`, { ...jsonRequest('DELETE'), jar: stranger });
    assert.equal(foreign.status, 404);
    assert.equal((await foreign.json()).code, 'SESSION_NOT_FOUND');
    const unknown = await s.fetch(`${SESSIONS}/${'0'.repeat(32)}`, { ...jsonRequest('DELETE'), jar: stranger });
    assert.equal(unknown.status, 404);
    assert.equal((await s.fetch(SESSION, { jar: phone })).status, 200, 'a stranger cannot end it');

    const ended = await s.fetch(`${SESSIONS}/${phoneId}`, { ...jsonRequest('DELETE'), jar: laptop });
    assert.equal(ended.status, 200);
    assert.deepEqual(await ended.json(), { success: true });
    const after = await s.fetch(SESSION, { jar: phone });
    assert.equal(after.status, 401);
    const err = await after.json();
    assert.equal(err.code, 'UNAUTHENTICATED');
    assert.equal(err.authenticated, false);
    assert.equal((await s.fetch(SESSION, { jar: laptop })).status, 200, 'the caller stays signed in');
    assert.equal((await listSessions(s, laptop)).length, 1);
    assert.ok(s.logs.some((l) => l.includes(`auth session revoked`) && l.includes(`session=${phoneId}`)));
  });

  test('ending every other session keeps only the caller', async () => {
    s = await startServer();
    const a = await loginAs(s, UA.chromeWindows);
    const b = await loginAs(s, UA.safariIphone);
    const c = await loginAs(s, UA.firefoxLinux);
    const missingFlag = await s.fetch(SESSIONS, { ...jsonRequest('DELETE'), jar: a });
    assert.equal(missingFlag.status, 400);
    assert.equal((await missingFlag.json()).code, 'VALIDATION_ERROR');

    const res = await s.fetch(`${SESSIONS}?others=true`, { ...jsonRequest('DELETE'), jar: a });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { success: true, ended: 2 });
    assert.equal((await s.fetch(SESSION, { jar: b })).status, 401);
    assert.equal((await s.fetch(SESSION, { jar: c })).status, 401);
    assert.equal((await s.fetch(SESSION, { jar: a })).status, 200);
    const again = await s.fetch(`${SESSIONS}?others=true`, { ...jsonRequest('DELETE'), jar: a });
    assert.deepEqual(await again.json(), { success: true, ended: 0 });
  });

  test('after 10 minutes, ending sessions needs the password again; a right one counts as a fresh sign-in', async () => {
    s = await startServer();
    const a = await loginAs(s, UA.chromeWindows);
    const b = await loginAs(s, UA.safariIphone);
    const bId = (await listSessions(s, a)).find((x) => !x.current)!.session_id;
    s.clock.advance(10 * MINUTE + 1000);

    const stale = await s.fetch(`${SESSIONS}/${bId}`, { ...jsonRequest('DELETE'), jar: a });
    assert.equal(stale.status, 401);
    const err = await stale.json();
    assert.equal(err.code, 'REAUTH_REQUIRED');
    assert.equal(err.authenticated, true, 'still signed in; only the proof is old');
    assert.deepEqual(err.meta, { reauth: true, has_password: true, max_age_seconds: 600 });
    assert.equal((await s.fetch(`${SESSIONS}?others=true`, { ...jsonRequest('DELETE'), jar: a })).status, 401);
    assert.equal((await s.fetch(SESSION, { jar: b })).status, 200, 'nothing was ended');

    const wrong = await s.fetch(`${SESSIONS}/${bId}`, { ...jsonRequest('DELETE', { password: 'not-the-password' }), jar: a });
    assert.equal(wrong.status, 400);
    assert.equal((await wrong.json()).code, 'INVALID_CREDENTIALS');
    assert.equal((await s.fetch(SESSION, { jar: b })).status, 200);

    const right = await s.fetch(`${SESSIONS}/${bId}`, { ...jsonRequest('DELETE', { password: DEMO.password }), jar: a });
    assert.equal(right.status, 200);
    assert.equal((await s.fetch(SESSION, { jar: b })).status, 401);

    // The typed password is a fresh authentication: the next step needs none for 10 minutes.
    await loginAs(s, UA.firefoxLinux);
    s.clock.advance(5 * MINUTE);
    assert.equal((await s.fetch(`${SESSIONS}?others=true`, { ...jsonRequest('DELETE'), jar: a })).status, 200);
    assert.ok(!s.logs.some((l) => l.includes(DEMO.password) || l.includes('not-the-password')), 'no password in the logs');
  });

  test('wrong re-authentication passwords are limited per user', async () => {
    s = await startServer({ rateLimits: { loginPerAccount: 3 } });
    const a = await loginAs(s, UA.chromeWindows);
    s.clock.advance(11 * MINUTE);
    for (let i = 0; i < 3; i++) {
      const res = await s.fetch(`${SESSIONS}?others=true`, { ...jsonRequest('DELETE', { password: `wrong-password-${i}` }), jar: a });
      assert.equal(res.status, 400);
    }
    const limited = await s.fetch(`${SESSIONS}?others=true`, { ...jsonRequest('DELETE', { password: DEMO.password }), jar: a });
    assert.equal(limited.status, 429);
    assert.equal((await limited.json()).code, 'TOO_MANY_ATTEMPTS');
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
  });

  test('every session endpoint needs a session, and cross-site deletes are refused', async () => {
    s = await startServer();
    for (const [path, init] of [
      [SESSIONS, jsonRequest('GET')],
      [`${SESSIONS}/abc`, jsonRequest('DELETE')],
      [`${SESSIONS}?others=true`, jsonRequest('DELETE')],
      [HAS_PASSWORD, jsonRequest('GET')],
      [PASSWORD, jsonRequest('POST', { old_password: 'x', new_password: 'long-enough-password' })],
    ] as const) {
      const res = await s.fetch(path, init);
      assert.equal(res.status, 401, path);
      const body = await res.json();
      assert.equal(body.code, 'UNAUTHENTICATED');
      assert.equal(body.authenticated, false);
    }
    const a = await loginAs(s, UA.chromeWindows);
    const res = await s.fetch(`${SESSIONS}?others=true`, { method: 'DELETE', headers: { 'sec-fetch-site': 'cross-site' }, jar: a });
    assert.equal(res.status, 403);
  });
});

describe('password change', () => {
  let s: TestServer | undefined;
  afterEach(() => s?.close());

  const change = (s: TestServer, jar: Jar, body: unknown) => s.fetch(PASSWORD, { ...jsonRequest('POST', body), jar });

  test('needs the right current password and a new one that meets the rules', async () => {
    s = await startServer();
    const jar = await loginAs(s, UA.chromeWindows);
    const wrong = await change(s, jar, { old_password: 'not-my-password', new_password: 'a-brand-new-passphrase' });
    assert.equal(wrong.status, 400);
    assert.equal((await wrong.json()).code, 'INVALID_CREDENTIALS');
    const missingOld = await change(s, jar, { new_password: 'a-brand-new-passphrase' });
    assert.equal((await missingOld.json()).meta.fields.old_password, 'is required');
    const missingNew = await change(s, jar, { old_password: DEMO.password });
    assert.equal((await missingNew.json()).meta.fields.new_password, 'is required');
    for (const [password, code] of [
      ['short', 'PASSWORD_TOO_SHORT'],
      ['password123', 'PASSWORD_COMMON'],
      ['x'.repeat(513), 'PASSWORD_TOO_LONG'],
    ] as const) {
      const res = await change(s, jar, { old_password: DEMO.password, new_password: password });
      assert.equal(res.status, 400, code);
      assert.equal((await res.json()).code, code);
    }
    assert.equal((await s.login(DEMO.email, DEMO.password)).status, 200, 'nothing changed');
  });

  test('a change signs in with the new password only, and leaves other sessions to the next step', async () => {
    s = await startServer();
    const jar = await loginAs(s, UA.chromeWindows);
    const other = await loginAs(s, UA.safariIphone);
    s.clock.advance(30 * MINUTE);
    const res = await change(s, jar, { old_password: DEMO.password, new_password: 'a-brand-new-passphrase' });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { message: 'Password updated', success: true });
    assert.equal((await s.login(DEMO.email, DEMO.password)).status, 400, 'the old password is gone');
    assert.equal((await s.login(DEMO.email, 'a-brand-new-passphrase')).status, 200);
    assert.equal((await s.fetch(SESSION, { jar: other })).status, 200, 'other sessions are not ended by the change itself');
    assert.equal((await s.fetch(SESSION, { jar })).status, 200);
    // The change counts as re-authentication, so ending the others needs no password now.
    const revoke = await s.fetch(`${SESSIONS}?others=true`, { ...jsonRequest('DELETE'), jar });
    assert.equal(revoke.status, 200);
    assert.equal((await s.fetch(SESSION, { jar: other })).status, 401);
    assert.ok(s.logs.some((l) => l.startsWith('auth password changed')));
    assert.ok(!s.logs.some((l) => l.includes('a-brand-new-passphrase')));
  });

  test('wrong current passwords are limited per user', async () => {
    s = await startServer({ rateLimits: { loginPerAccount: 2 } });
    const jar = await loginAs(s, UA.chromeWindows);
    for (let i = 0; i < 2; i++) {
      assert.equal((await change(s, jar, { old_password: `wrong-${i}-password`, new_password: 'a-brand-new-passphrase' })).status, 400);
    }
    const limited = await change(s, jar, { old_password: DEMO.password, new_password: 'a-brand-new-passphrase' });
    assert.equal(limited.status, 429);
  });

  test('has-password, and a first password for an account without one only right after signing in', async () => {
    s = await startServer();
    const jar = await loginAs(s, UA.chromeWindows);
    assert.deepEqual(await (await s.fetch(HAS_PASSWORD, { jar })).json(), { result: 1 });

    // A shopper without a password (as after OTP or social sign-up), signed in through an admin session.
    const created = await (await s.createShopper({ email: 'nopass@example.com' }, '?verified=true')).json();
    const session = await (await s.admin('/customers/session', jsonRequest('POST', { user_id: created.user._id }))).json();
    const nopass = new Jar();
    nopass.cookies.set('__Host-f.session', session.cookie['f.session']);
    assert.deepEqual(await (await s.fetch(HAS_PASSWORD, { jar: nopass })).json(), { result: 0 });

    s.clock.advance(11 * MINUTE);
    const stale = await change(s, nopass, { new_password: 'my-first-passphrase' });
    assert.equal(stale.status, 401);
    assert.deepEqual((await stale.json()).meta, { reauth: true, has_password: false, max_age_seconds: 600 });

    // A fresh session (as right after an OTP sign-in) may set it without an old password.
    const fresh = await (await s.admin('/customers/session', jsonRequest('POST', { user_id: created.user._id }))).json();
    const freshJar = new Jar();
    freshJar.cookies.set('__Host-f.session', fresh.cookie['f.session']);
    const set = await change(s, freshJar, { new_password: 'my-first-passphrase' });
    assert.equal(set.status, 200);
    assert.deepEqual(await (await s.fetch(HAS_PASSWORD, { jar: freshJar })).json(), { result: 1 });
    assert.equal((await s.login('nopass@example.com', 'my-first-passphrase')).status, 200);
  });

  test('an OTP sign-in counts as a fresh authentication', async () => {
    s = await startServer({ printMessage: () => {} });
    await s.setConfig({ login: { otp: true } });
    const old = await loginAs(s, UA.chromeWindows);
    s.clock.advance(20 * MINUTE);
    const sent = await (await s.fetch(`${APP}/authentication/v1.0/otp/email/send`, jsonRequest('POST', { email: DEMO.email }))).json();
    const { items } = await (await s.fetch(`/__dev/outbox?to=${encodeURIComponent(DEMO.email)}`)).json();
    const jar = new Jar();
    const verified = await s.fetch(`${APP}/authentication/v1.0/otp/email/verify`, {
      ...jsonRequest('POST', { email: DEMO.email, otp: items[0].code, request_id: sent.request_id }),
      jar,
    });
    assert.equal(verified.status, 200);
    const res = await s.fetch(`${SESSIONS}?others=true`, { ...jsonRequest('DELETE'), jar });
    assert.equal(res.status, 200);
    assert.equal((await s.fetch(SESSION, { jar: old })).status, 401);
  });
});

describe('primary and removed contacts', () => {
  let s: TestServer | undefined;
  afterEach(() => s?.close());

  /** A shopper with a verified and an unverified email, and a verified phone. */
  async function shopper(s: TestServer): Promise<{ jar: Jar; id: string }> {
    const created = await (await s.createShopper({ email: 'main@example.com', password: 'a-long-password-1' }, '?verified=true')).json();
    const id = created.user._id as string;
    const put = await s.admin(`/customers/${id}`, {
      ...jsonRequest('PUT', {
        emails: [
          { email: 'main@example.com', primary: true, verified: true },
          { email: 'second@example.com', verified: true },
          { email: 'pending@example.com', verified: false },
        ],
        phone_numbers: [{ phone: '9876543210', country_code: '91', verified: true, primary: true }],
      }),
    });
    assert.equal(put.status, 200);
    const jar = new Jar();
    assert.equal((await s.login('main@example.com', 'a-long-password-1', jar)).status, 200);
    return { jar, id };
  }

  test('only a verified contact of the shopper can become primary', async () => {
    s = await startServer();
    const { jar } = await shopper(s);
    const pending = await s.fetch(`${APP}/profile/v1.0/email/primary`, { ...jsonRequest('POST', { email: 'pending@example.com' }), jar });
    assert.equal(pending.status, 400);
    assert.equal((await pending.json()).code, 'CONTACT_NOT_VERIFIED');
    const unknown = await s.fetch(`${APP}/profile/v1.0/email/primary`, { ...jsonRequest('POST', { email: DEMO.email }), jar });
    assert.equal(unknown.status, 404, "another account's email is simply not found");
    assert.equal((await unknown.json()).code, 'CONTACT_NOT_FOUND');
    const bad = await s.fetch(`${APP}/profile/v1.0/email/primary`, { ...jsonRequest('POST', { email: 'nope' }), jar });
    assert.equal((await bad.json()).code, 'VALIDATION_ERROR');

    const ok = await s.fetch(`${APP}/profile/v1.0/email/primary`, { ...jsonRequest('POST', { email: 'Second@Example.com' }), jar });
    assert.equal(ok.status, 200);
    const { user } = await ok.json();
    assert.deepEqual(
      user.emails.map((e: { email: string; primary: boolean }) => [e.email, e.primary]),
      [
        ['second@example.com', true],
        ['main@example.com', false],
        ['pending@example.com', false],
      ],
    );

    const phone = await s.fetch(`${APP}/profile/v1.0/mobile/primary`, { ...jsonRequest('POST', { country_code: '+91', phone: '98765 43210', active: true }), jar });
    assert.equal(phone.status, 200);
    const missing = await s.fetch(`${APP}/profile/v1.0/mobile/primary`, { ...jsonRequest('POST', { country_code: '91', phone: '9999999999' }), jar });
    assert.equal(missing.status, 404);
  });

  test('removing: a primary hands over to another verified one; unverified ones go freely', async () => {
    s = await startServer();
    const { jar } = await shopper(s);
    const removed = await s.fetch(`${APP}/profile/v1.0/email?email=main%40example.com&active=true&primary=true&verified=true`, { ...jsonRequest('DELETE'), jar });
    assert.equal(removed.status, 200);
    const { user } = await removed.json();
    assert.deepEqual(user.emails, [
      { email: 'second@example.com', active: true, primary: true, verified: true },
      { email: 'pending@example.com', active: true, primary: false, verified: false },
    ]);
    assert.equal((await s.login('main@example.com', 'a-long-password-1')).status, 400, 'the removed email no longer signs in');
    const pending = await s.fetch(`${APP}/profile/v1.0/email?email=pending%40example.com`, { ...jsonRequest('DELETE'), jar });
    assert.equal(pending.status, 200);
    const unknown = await s.fetch(`${APP}/profile/v1.0/email?email=pending%40example.com`, { ...jsonRequest('DELETE'), jar });
    assert.equal(unknown.status, 404);
    const missingQuery = await s.fetch(`${APP}/profile/v1.0/email`, { ...jsonRequest('DELETE'), jar });
    assert.equal((await missingQuery.json()).meta.fields.email, 'is required');
  });

  test('the last verified email cannot go while the store requires one (level hard); the last verified contact never', async () => {
    s = await startServer();
    const { jar } = await shopper(s);
    assert.equal((await s.fetch(`${APP}/profile/v1.0/email?email=second%40example.com`, { ...jsonRequest('DELETE'), jar })).status, 200);
    const lastEmail = await s.fetch(`${APP}/profile/v1.0/email?email=main%40example.com`, { ...jsonRequest('DELETE'), jar });
    assert.equal(lastEmail.status, 400);
    const err = await lastEmail.json();
    // The store's rule, not the account's reachability (a verified phone is left): its own code.
    assert.equal(err.code, 'CONTACT_REQUIRED_BY_STORE');
    assert.equal(err.meta.contact, 'email');

    // With email optional, the verified phone keeps the account reachable, so the email may go.
    await s.setConfig({ required_fields: { email: { is_required: false, level: 'soft' } } });
    assert.equal((await s.fetch(`${APP}/profile/v1.0/email?email=main%40example.com`, { ...jsonRequest('DELETE'), jar })).status, 200);
    // Now the phone is the last verified contact (pending@ is unverified).
    const lastContact = await s.fetch(`${APP}/profile/v1.0/mobile?country_code=91&phone=9876543210&primary=true`, { ...jsonRequest('DELETE'), jar });
    assert.equal(lastContact.status, 400);
    assert.equal((await lastContact.json()).code, 'CONTACT_REQUIRED');
    assert.equal((await s.fetch(SESSION, { jar })).status, 200);
  });

  test('a hard-required mobile keeps its last verified phone too', async () => {
    s = await startServer();
    const { jar } = await shopper(s);
    await s.setConfig({ required_fields: { mobile: { is_required: true, level: 'hard' } } });
    const res = await s.fetch(`${APP}/profile/v1.0/mobile?country_code=91&phone=9876543210`, { ...jsonRequest('DELETE'), jar });
    assert.equal(res.status, 400);
    assert.equal((await res.json()).meta.contact, 'mobile');
    await s.setConfig({ required_fields: { mobile: { is_required: true, level: 'soft' } } });
    const ok = await s.fetch(`${APP}/profile/v1.0/mobile?country_code=91&phone=9876543210`, { ...jsonRequest('DELETE'), jar });
    assert.equal(ok.status, 200);
    assert.deepEqual((await ok.json()).user.phone_numbers, []);
  });
});
