// The storefront operations of the published application client added last (issue 13, item 3),
// each sent in the client's request shape and checked field by field, with the attacks on them:
// user-exists (store switch, per-client limit), login/token (one-time, short-lived, hashed),
// verification links for an email or phone added by PUT (re-auth, PUBLIC_URL links, nothing
// attached until the link is followed, the takeover rule, notices) and the SMS reset link.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { afterEach, describe, test } from 'node:test';
import { optionsFromEnv } from '../../src/server/env';
import { APP, count, DEMO, Jar, messagesTo, postJson, sessionFor, signedIn, startServer, type TestServer } from './helpers';

const USER_EXISTS = `${APP}/authentication/v1.0/user-exists`;
const LOGIN_TOKEN = `${APP}/authentication/v1.0/login/token`;
const VERIFY_EMAIL = `${APP}/authentication/v1.0/verify/email`;
const VERIFY_MOBILE = `${APP}/authentication/v1.0/verify/mobile`;
const PROFILE_EMAIL = `${APP}/profile/v1.0/email`;
const PROFILE_MOBILE = `${APP}/profile/v1.0/mobile`;
const EMAIL_LINK_SEND = `${APP}/profile/v1.0/email/link/send`;
const MOBILE_LINK_SEND = `${APP}/profile/v1.0/mobile/link/send`;
const MOBILE_RESET = `${APP}/authentication/v1.0/login/password/mobile/reset`;
const RESET_TOKEN = `${APP}/authentication/v1.0/login/password/reset/token`;
const RESET_FORGOT = `${APP}/authentication/v1.0/login/password/reset/forgot`;
const SESSION = `${APP}/authentication/v1.0/session`;

function put(s: TestServer, path: string, body: unknown, jar?: Jar, headers: Record<string, string> = {}): Promise<Response> {
  return s.fetch(path, { method: 'PUT', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body), ...(jar ? { jar } : {}) });
}

/** The token a link carries: `code` on a reset link, `verify_email` / `verify_mobile` on a verification link. */
function codeOf(link: string | undefined): string {
  assert.ok(link, 'the message carries a link');
  const params = new URL(link).searchParams;
  const found = ['code', 'verify_email', 'verify_mobile'].filter((name) => params.has(name));
  assert.equal(found.length, 1, `one token parameter in ${link}`);
  return params.get(found[0]!)!;
}

async function demoId(s: TestServer): Promise<string> {
  return (await s.service.sql.get('SELECT user_id FROM user_emails WHERE email_key = ?', DEMO.email) as { user_id: string }).user_id;
}

function userExists(s: TestServer, q: string): Promise<Response> {
  return s.fetch(`${USER_EXISTS}?q=${encodeURIComponent(q)}`);
}

describe('user-exists', () => {
  let s: TestServer | undefined;
  afterEach(() => s?.close());

  test('off by default it is refused and says nothing; turned on it answers { user_exists } for proven accounts only', async () => {
    s = await startServer({ printMessage: () => {} });
    const off = await userExists(s, DEMO.email);
    assert.equal(off.status, 403);
    const refused = await off.json();
    assert.equal(refused.code, 'USER_EXISTS_DISABLED');
    assert.equal(refused.info, 'urn:latch:error:USER_EXISTS_DISABLED');
    await s.close();

    s = await startServer({ printMessage: () => {}, userExists: true });
    await s.createShopper({ email: 'unproven@example.com', phone_number: '9000012345' }, '');
    await s.createShopper({ phone_number: '9000054321' });
    const answers: Record<string, unknown> = {};
    for (const q of [DEMO.email, 'SHOPPER@example.com', 'nobody@example.com', 'unproven@example.com', '+919000054321', '919000054321', '+919000012345', 'not-a-contact']) {
      const res = await userExists(s, q);
      assert.equal(res.status, 200, q);
      const body = await res.json();
      assert.deepEqual(Object.keys(body), ['user_exists'], q);
      answers[q] = body.user_exists;
    }
    assert.deepEqual(answers, {
      [DEMO.email]: true,
      'SHOPPER@example.com': true,
      'nobody@example.com': false,
      // An address nobody proved is no way in, so it is no account to report either.
      'unproven@example.com': false,
      '+919000054321': true,
      '919000054321': true,
      '+919000012345': false,
      'not-a-contact': false,
    });
    const missing = await s.fetch(USER_EXISTS);
    assert.equal(missing.status, 400);
    assert.equal((await missing.json()).code, 'VALIDATION_ERROR');
  });

  test('USER_EXISTS turns it on from the environment; it is off unless set, and a typo stops the start', () => {
    assert.equal(optionsFromEnv({ LATCH_DEV: '1' }).options.userExists, false);
    assert.equal(optionsFromEnv({ LATCH_DEV: '1', USER_EXISTS: '1' }).options.userExists, true);
    assert.equal(optionsFromEnv({ LATCH_DEV: '1', USER_EXISTS: '0' }).options.userExists, false);
    assert.throws(() => optionsFromEnv({ LATCH_DEV: '1', USER_EXISTS: 'yes' }), /USER_EXISTS must be 1 or 0/);
  });

  test('the per-client limit holds under Promise.all concurrency and says when to retry', async () => {
    s = await startServer({ printMessage: () => {}, userExists: true, rateLimits: { userExistsPerIp: 5 } });
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => userExists(s!, `probe${i}@example.com`)));
    const statuses = answers.map((r) => r.status).sort();
    assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429, 429, 429, 429, 429, 429, 429]);
    const limited = answers.find((r) => r.status === 429)!;
    assert.equal((await limited.json()).code, 'TOO_MANY_REQUESTS');
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
    // The window passes and questions are answered again.
    s.clock.advance(15 * 60 * 1000 + 1000);
    assert.equal((await userExists(s, DEMO.email)).status, 200);
  });
});

describe('login/token', () => {
  let s: TestServer | undefined;
  afterEach(() => s?.close());

  async function issue(srv: TestServer, userId: string): Promise<Response> {
    return srv.admin('/customers/login_token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user_id: userId }) });
  }

  test('an admin-issued token signs the shopper in once with LoginSuccess; replayed, expired, forged or blocked it is refused alike', async () => {
    s = await startServer({ printMessage: () => {} });
    const id = await demoId(s);
    const issued = await issue(s, id);
    assert.equal(issued.status, 200);
    const minted = await issued.json();
    assert.deepEqual(Object.keys(minted).sort(), ['expires_in', 'token', 'user_id']);
    assert.equal(minted.user_id, id);
    assert.equal(minted.expires_in, 300);
    assert.match(minted.token, /^[A-Za-z0-9_-]{43}$/);
    // Stored only as its SHA-256.
    assert.equal(await count(s, 'SELECT COUNT(*) AS n FROM storefront_tokens WHERE token_hash = ?', minted.token), 0);
    assert.equal(await count(s, 'SELECT COUNT(*) AS n FROM storefront_tokens WHERE token_hash = ?', createHash('sha256').update(minted.token).digest('hex')), 1);

    const jar = new Jar();
    const ok = await postJson(s, LOGIN_TOKEN, { token: minted.token }, { jar });
    assert.equal(ok.status, 200);
    const login = await ok.json();
    assert.deepEqual(Object.keys(login).sort(), ['register_token', 'request_id', 'user']);
    assert.equal(login.user._id, id);
    assert.equal(login.register_token, '');
    assert.equal(login.request_id, ok.headers.get('x-request-id'));
    assert.equal((await s.fetch(SESSION, { jar })).status, 200, 'the cookie set is a working session');

    const refusedBodies: unknown[] = [];
    const replay = await postJson(s, LOGIN_TOKEN, { token: minted.token });
    const forged = await postJson(s, LOGIN_TOKEN, { token: 'A'.repeat(43) });
    const expiring = await (await issue(s, id)).json();
    s.clock.advance(5 * 60 * 1000 + 1);
    const expired = await postJson(s, LOGIN_TOKEN, { token: expiring.token });
    const blockedToken = await (await issue(s, id)).json();
    await s.admin('/customers/activation', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user_id: [id], status: false, reason: 'test' }) });
    const blocked = await postJson(s, LOGIN_TOKEN, { token: blockedToken.token });
    for (const res of [replay, forged, expired, blocked]) {
      assert.equal(res.status, 400);
      assert.equal(res.headers.getSetCookie().some((line) => /session=[^;]/.test(line)), false, 'no session cookie');
      const { request_id: _r, ...rest } = await res.json();
      refusedBodies.push(rest);
    }
    assert.equal((refusedBodies[0] as { code: string }).code, 'LOGIN_TOKEN_INVALID');
    for (const body of refusedBodies) assert.deepEqual(body, refusedBodies[0], 'one answer for every refused token');
  });

  test('issuing needs the admin token and a live shopper; the body takes the token only', async () => {
    s = await startServer({ printMessage: () => {} });
    const id = await demoId(s);
    const anonymous = await postJson(s, `/service/platform/user/v1.0/company/1/application/000000000000000000000001/customers/login_token`, { user_id: id });
    assert.equal(anonymous.status, 401);
    assert.equal(await count(s, 'SELECT COUNT(*) AS n FROM storefront_tokens'), 0);
    const unknown = await issue(s, 'ffffffffffffffffffffffff');
    assert.equal(unknown.status, 404);
    assert.equal((await unknown.json()).code, 'USER_NOT_FOUND');
    const empty = await postJson(s, LOGIN_TOKEN, {});
    assert.equal(empty.status, 400);
    assert.deepEqual((await empty.json()).meta.fields, { token: 'is required' });
  });
});

describe('verification links and contacts added by PUT', () => {
  let s: TestServer | undefined;
  afterEach(() => s?.close());

  test('addEmail needs a recent sign-in, links from PUBLIC_URL (not Host), and adds the email verified only when verify/email follows the link; old addresses hear of it', async () => {
    s = await startServer({ printMessage: () => {}, publicUrl: 'https://shop.example' });
    const jar = await signedIn(s);
    s.clock.advance(11 * 60 * 1000);
    const stale = await put(s, PROFILE_EMAIL, { email: 'second@example.com' }, jar);
    assert.equal(stale.status, 401);
    assert.equal((await stale.json()).code, 'REAUTH_REQUIRED');
    assert.equal((await messagesTo(s, 'second@example.com')).length, 0, 'nothing sent without re-authentication');

    const res = await put(s, PROFILE_EMAIL, { email: 'Second@Example.com', password: DEMO.password }, jar, { 'x-forwarded-host': 'attacker.example' });
    assert.equal(res.status, 200);
    const added = await res.json();
    assert.deepEqual(Object.keys(added).sort(), ['user', 'verify_email_link']);
    assert.equal(added.verify_email_link, true);
    // Not attached until proven: the answer's user still has only its own address.
    assert.deepEqual(added.user.emails, [{ email: DEMO.email, active: true, primary: true, verified: true }]);
    assert.equal(await count(s, "SELECT COUNT(*) AS n FROM user_emails WHERE email_key = 'second@example.com'"), 0);

    const [mail] = await messagesTo(s, 'second@example.com');
    assert.equal(mail!.to, 'Second@Example.com');
    // Its own parameter, so the store's page verifies it instead of opening "choose a new password".
    assert.ok(mail!.link!.startsWith('https://shop.example/?verify_email='), mail!.link);
    assert.equal(mail!.text.includes('attacker.example'), false);

    const verified = await postJson(s, VERIFY_EMAIL, { code: codeOf(mail!.link) });
    assert.equal(verified.status, 200);
    assert.deepEqual(await verified.json(), { message: 'verified' });
    const me = await (await s.fetch(SESSION, { jar })).json();
    assert.deepEqual(me.user.emails, [
      { email: DEMO.email, active: true, primary: true, verified: true },
      { email: 'Second@Example.com', active: true, primary: false, verified: true },
    ]);
    const notices = (await messagesTo(s, DEMO.email)).filter((m) => /An email address was added/.test(m.text));
    assert.equal(notices.length, 1, 'the address the account had before hears about the new one');

    const replay = await postJson(s, VERIFY_EMAIL, { code: codeOf(mail!.link) });
    assert.equal(replay.status, 400);
    assert.equal((await replay.json()).code, 'VERIFY_LINK_INVALID');
  });

  test('addMobileNumber and sendVerificationLinkToMobile send an SMS link; verify/mobile adds the phone; older and expired links are dead', async () => {
    s = await startServer({ printMessage: () => {} });
    const jar = await signedIn(s);
    const res = await put(s, PROFILE_MOBILE, { country_code: '91', phone: '9876543210' }, jar);
    assert.equal(res.status, 200);
    const added = await res.json();
    assert.deepEqual(Object.keys(added).sort(), ['user', 'verify_mobile_link']);
    assert.equal(added.verify_mobile_link, true);
    assert.deepEqual(added.user.phone_numbers, []);
    const first = codeOf((await messagesTo(s, '+919876543210'))[0]!.link);

    // The client's sendVerificationLinkToMobile body: the v1 flags are sent along and ignored.
    const again = await postJson(s, MOBILE_LINK_SEND, { verified: false, active: true, country_code: '91', phone: '9876543210', primary: false }, { jar });
    assert.equal(again.status, 200);
    assert.deepEqual(await again.json(), { verify_mobile_link: true });
    const sms = (await messagesTo(s, '+919876543210'))[0]!;
    assert.equal(sms.channel, 'sms');
    assert.ok(new URL(sms.link!).searchParams.has('verify_mobile'), sms.link);
    const second = codeOf(sms.link);
    assert.notEqual(second, first);

    const old = await postJson(s, VERIFY_MOBILE, { code: first });
    assert.equal((await old.json()).code, 'VERIFY_LINK_INVALID', 'a newer link replaces the older one');
    // An email link does not prove a phone.
    assert.equal((await (await postJson(s, VERIFY_EMAIL, { code: second })).json()).code, 'VERIFY_LINK_INVALID');
    const ok = await postJson(s, VERIFY_MOBILE, { code: second });
    assert.deepEqual(await ok.json(), { message: 'verified' });
    const me = await (await s.fetch(SESSION, { jar })).json();
    assert.deepEqual(
      me.user.phone_numbers.map((p: Record<string, unknown>) => [p['phone'], p['country_code'], p['verified'], p['primary']]),
      [['9876543210', 91, true, true]],
    );

    await postJson(s, EMAIL_LINK_SEND, { email: 'late@example.com' }, { jar });
    const late = codeOf((await messagesTo(s, 'late@example.com'))[0]!.link);
    s.clock.advance(30 * 60 * 1000 + 1);
    assert.equal((await (await postJson(s, VERIFY_EMAIL, { code: late })).json()).code, 'VERIFY_LINK_INVALID', 'expired');
    assert.equal(await count(s, "SELECT COUNT(*) AS n FROM user_emails WHERE email_key = 'late@example.com'"), 0);
  });

  test("a contact another account holds gets the same answer and no link; the shopper's own verified one needs none", async () => {
    s = await startServer({ printMessage: () => {} });
    await s.createShopper({ email: 'taken@example.com' });
    const jar = await signedIn(s);
    const taken = await put(s, PROFILE_EMAIL, { email: 'taken@example.com' }, jar);
    const free = await put(s, PROFILE_EMAIL, { email: 'free@example.com' }, jar);
    assert.equal(taken.status, 200);
    assert.deepEqual(await taken.json(), await free.json(), 'identical answers');
    assert.equal((await messagesTo(s, 'taken@example.com')).length, 0, 'nothing went to the other account');
    assert.equal((await messagesTo(s, 'free@example.com')).length, 1);
    const own = await postJson(s, EMAIL_LINK_SEND, { email: DEMO.email }, { jar });
    assert.deepEqual(await own.json(), { verify_email_link: false });
    for (const [method, path, body] of [
      ['PUT', PROFILE_EMAIL, { email: 'x@example.com' }],
      ['PUT', PROFILE_MOBILE, { country_code: '91', phone: '9876500000' }],
      ['POST', EMAIL_LINK_SEND, { email: 'x@example.com' }],
      ['POST', MOBILE_LINK_SEND, { country_code: '91', phone: '9876500000' }],
    ] as const) {
      const res = await s.fetch(path, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      assert.equal(res.status, 401, `${method} ${path} needs a session`);
    }
  });

  test('a link proving an email that sat unproven on the account cuts off whoever pre-registered it (takeover rule)', async () => {
    s = await startServer({ printMessage: () => {} });
    // The squatter made the account with the victim's address, unproven, and their own password and phone.
    const created = await (await s.createShopper({ email: 'victim@example.com', phone_number: '9000011111', password: 'squatter-secret-1' }, '')).json();
    const squatter = await sessionFor(s, created.user._id);
    const sent = await postJson(s, EMAIL_LINK_SEND, { email: 'victim@example.com' }, { jar: squatter });
    assert.deepEqual(await sent.json(), { verify_email_link: true });
    const [mail] = await messagesTo(s, 'victim@example.com');
    // The victim follows the link.
    assert.deepEqual(await (await postJson(s, VERIFY_EMAIL, { code: codeOf(mail!.link) })).json(), { message: 'verified' });
    assert.equal((await s.fetch(SESSION, { jar: squatter })).status, 401, "the squatter's session ended");
    assert.equal(await count(s, 'SELECT COUNT(*) AS n FROM password_hashes WHERE user_id = ?', created.user._id), 0, 'their password is gone');
    assert.equal(await count(s, 'SELECT COUNT(*) AS n FROM user_phones WHERE user_id = ?', created.user._id), 0, 'their unproven phone is dropped');
    assert.equal(await count(s, "SELECT COUNT(*) AS n FROM user_emails WHERE email_key = 'victim@example.com' AND verified = 1"), 1);
  });

  test('link sends are limited per destination, counted before any work, under Promise.all concurrency', async () => {
    s = await startServer({ printMessage: () => {}, rateLimits: { otpSendPerDestination: 3 } });
    const jar = await signedIn(s);
    const answers = await Promise.all(Array.from({ length: 8 }, () => postJson(s!, EMAIL_LINK_SEND, { email: 'flood@example.com' }, { jar: jar.clone() })));
    assert.deepEqual(answers.map((r) => r.status).sort(), [200, 200, 200, 429, 429, 429, 429, 429]);
    assert.equal((await messagesTo(s, 'flood@example.com')).length, 3, 'counted at the service: three links went out');
    assert.equal(await count(s, "SELECT COUNT(*) AS n FROM storefront_tokens WHERE destination = 'flood@example.com'"), 3);
  });
});

describe('sendResetPasswordMobile', () => {
  let s: TestServer | undefined;
  afterEach(() => s?.close());

  test('the same answer for unknown numbers; a known one gets an SMS link from PUBLIC_URL that reset/forgot redeems once', async () => {
    s = await startServer({ printMessage: () => {}, publicUrl: 'https://shop.example' });
    const off = await postJson(s, MOBILE_RESET, { country_code: '91', mobile: '9000022222' });
    assert.equal((await off.json()).code, 'FORGOT_PASSWORD_DISABLED');
    await s.setConfig({ forgot_password: true });
    await s.createShopper({ phone_number: '9000022222', password: 'old-password-22' });

    const known = await postJson(s, MOBILE_RESET, { country_code: '91', mobile: '9000022222', captcha_code: '' });
    const unknown = await postJson(s, MOBILE_RESET, { country_code: '91', mobile: '9000099999' });
    assert.equal(known.status, 200);
    assert.equal(unknown.status, 200);
    assert.deepEqual(await known.json(), { status: 'sent' });
    assert.deepEqual(await unknown.json(), { status: 'sent' });
    assert.equal((await messagesTo(s, '+919000099999')).length, 0, 'nothing sent to a number without an account');
    const [sms] = await messagesTo(s, '+919000022222');
    assert.equal(sms!.channel, 'sms');
    assert.ok(sms!.link!.startsWith('https://shop.example/?code='), sms!.link);
    const code = codeOf(sms!.link);

    assert.deepEqual(await (await postJson(s, RESET_TOKEN, { code })).json(), { status: 'valid' });
    const done = await postJson(s, RESET_FORGOT, { code, password: 'brand-new-password-22' });
    assert.deepEqual(await done.json(), { success: true });
    assert.equal((await s.login('+919000022222', 'brand-new-password-22')).status, 200);
    assert.equal((await s.login('+919000022222', 'old-password-22')).status, 400);
    const replay = await postJson(s, RESET_FORGOT, { code, password: 'another-password-33' });
    assert.equal((await replay.json()).code, 'RESET_CODE_INVALID');

    const bad = await postJson(s, MOBILE_RESET, { country_code: '91' });
    assert.equal(bad.status, 400);
    assert.equal((await bad.json()).code, 'VALIDATION_ERROR');
  });

  test('an SMS reset link proving a phone that sat unproven cuts off whoever pre-registered it', async () => {
    s = await startServer({ printMessage: () => {} });
    await s.setConfig({ forgot_password: true });
    const created = await (await s.createShopper({ phone_number: '9000044444', email: 'squatter-extra@example.com', password: 'squatter-secret-4' }, '')).json();
    const squatter = await sessionFor(s, created.user._id);
    await postJson(s, MOBILE_RESET, { country_code: '91', mobile: '9000044444' });
    const code = codeOf((await messagesTo(s, '+919000044444'))[0]!.link);
    assert.deepEqual(await (await postJson(s, RESET_FORGOT, { code, password: 'victims-own-pass-4' })).json(), { success: true });
    assert.equal((await s.fetch(SESSION, { jar: squatter })).status, 401);
    assert.equal(await count(s, 'SELECT COUNT(*) AS n FROM user_emails WHERE user_id = ?', created.user._id), 0, "the squatter's unproven email is dropped");
    assert.equal(await count(s, 'SELECT COUNT(*) AS n FROM user_phones WHERE user_id = ? AND verified = 1', created.user._id), 1, 'the phone is proven');
    assert.equal((await s.login('+919000044444', 'victims-own-pass-4')).status, 200, 'the holder signs in through the proven phone');
  });
});
